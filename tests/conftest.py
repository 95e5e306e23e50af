"""Shared test setup: offscreen Qt, artefact folder, fresh workspaces on real SQLCipher files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before any Qt import, so that tests run without a display (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PSEA_DESK_CONFIG_DIR", str(Path(__file__).resolve().parent.parent / "artifacts" / "config"))

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
PASSPHRASE = "correct horse battery staple"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import i18n  # noqa: E402
from storage import Workspace  # noqa: E402


@pytest.fixture
def artifacts() -> Path:
    """Where tests leave things a person can look at (screenshots, PDFs): ./artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="session", autouse=True)
def _bundle_passphrase_cost() -> Iterator[None]:
    """Bundles written in tests are stretched with scrypt N=2^15 (the cost of format-1 bundles, still
    read), not N=2^18: hundreds of bundles at 0.6 s each would dominate the suite. The real cost is
    checked once (tests/desktop/exchange/test_bundle.py::test_passphrase_cost_is_ages) and used by
    every command-line test, which runs in its own process."""
    from desktop.exchange import bundle

    bundle.SCRYPT.update(n=2**15)
    yield
    bundle.SCRYPT.update(bundle.PASSPHRASE_COST)


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "office.pdesk"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    yield ws
    end_operations()
    ws.close()


def end_operations() -> None:
    """A window test may leave an operation running on the worker thread (ui/operations.py): it ends
    before the workspace under it is closed."""
    operations = sys.modules.get("ui.operations")
    if operations is not None:
        operations.join_workers()
