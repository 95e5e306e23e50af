"""The command line starts at once (issue 14, "A command line that starts at once"; bench/bench_cli.py
times it): a command loads the libraries of its own work, not every instrument's. Checked on what a
command leaves in `sys.modules`, in a fresh process each time: not on a clock, which a shared machine
moves.

What keeps it so (desktop/cli.py, desktop/registry.py): the registry imports every instrument's model,
command and demo modules with plain imports, so those modules import their implementations inside the
functions that need them (PDFs, signatures, spreadsheets, the regional view, the letter's templates
and settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.storage.wsutil import PASSPHRASE, ROOT

# Heavy libraries no command below needs: PDFs, signatures, spreadsheets, the window.
LIBRARIES = {"reportlab", "pyhanko", "openpyxl", "PySide6", "shiboken6", "cryptography", "asn1crypto"}
# Our modules that pull in much more than their name says (each instrument's figures and labels, the
# letter's text in six languages, its settings machinery, the spreadsheet readers, the bundles).
HEAVY_MODULES = {"desktop.exchange.region", "desktop.exchange.merge", "desktop.exchange.bundle",
                 "desktop.letter.templates", "desktop.letter.settings", "desktop.letter.compose",
                 "desktop.spreadsheet.reading", "desktop.xlsx", "desktop.pdf", "desktop.signing.identity"}

SCRIPT = """
import contextlib, io, json, sys
from desktop.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:  # --help
        code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules(*args: str) -> set[str]:
    env = dict(os.environ, PSEA_DESK_PASSPHRASE=PASSPHRASE, PSEA_DESK_LANGUAGE="en",
               PYTHONPATH=str(ROOT) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout.splitlines()[-1])
    assert found["code"] == 0, (args, proc.stderr)
    return set(found["modules"])


def _loaded(modules: set[str], names: set[str]) -> list[str]:
    return sorted(m for m in modules if m in names or m.split(".")[0] in names
                  or any(m.startswith(name + ".") for name in names))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.demo import create_demo_workspace

    path = tmp_path_factory.mktemp("cli-imports") / "demo.pdesk"
    create_demo_workspace(path, PASSPHRASE, people=40).close()
    return path


def test_help_loads_no_heavy_library_nor_sqlcipher() -> None:
    modules = _modules("--help")
    assert not _loaded(modules, LIBRARIES | HEAVY_MODULES | {"sqlcipher3"})
    assert "desktop.registry" in modules  # every instrument's commands are listed: the check means something


@pytest.mark.parametrize("command", [
    ("roster", "stats", "{path}", "--as-of", "2026-11-30"),
    ("roster", "stats", "{path}", "--as-of", "2026-11-30", "--json"),
    ("risk", "stats", "{path}"),
    ("partners", "stats", "{path}"),
    ("letter", "allegations", "{path}", "--year", "2026"),
], ids=" ".join)
def test_a_figures_command_loads_only_its_own_libraries(demo: Path, command: tuple[str, ...]) -> None:
    modules = _modules(*(part.format(path=demo) for part in command))
    assert not _loaded(modules, LIBRARIES | HEAVY_MODULES)
    assert "sqlcipher3" in modules  # the workspace was opened: the check means something


def test_the_regional_view_is_loaded_by_its_own_command(demo: Path) -> None:
    """The other side of the same coin: `region` still finds its implementation."""
    assert "desktop.exchange.region" in _modules("region", str(demo), "--year", "2026")
