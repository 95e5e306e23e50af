"""A demo workspace shared by the letter tests of one module (creating it takes a moment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.demo import create_demo_workspace
from storage import Workspace

DEMO_PASSPHRASE = "correct horse battery staple"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("letter-demo") / "demo.pdesk"
    ws = create_demo_workspace(path, DEMO_PASSPHRASE, people=300, today=TODAY)
    ws.close()
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(demo_path, DEMO_PASSPHRASE)
    yield ws
    ws.close()
