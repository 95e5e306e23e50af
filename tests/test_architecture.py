"""The rooms keep apart: ui -> desktop -> storage, all may use i18n; no SQL in ui; no Qt below ui."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _room_files(room: str) -> list[Path]:
    return sorted((ROOT / room).rglob("*.py"))


RULES = {
    "storage": ("desktop", "ui", "PySide6", "reportlab", "pyhanko", "shiboken6"),
    "desktop": ("ui", "PySide6", "shiboken6"),
    "ui": ("sqlcipher3", "sqlite3", "storage"),
    "i18n": ("storage", "desktop", "ui"),
}
# The launcher is the one place in desktop/ that starts the window.
EXCEPTIONS = {ROOT / "desktop" / "launcher.py": ("ui", "PySide6")}


@pytest.mark.parametrize("room", sorted(RULES))
def test_room_imports_follow_the_arrow(room: str) -> None:
    bad = []
    for path in _room_files(room):
        allowed = EXCEPTIONS.get(path, ())
        for name in _imports(path):
            top = name.split(".")[0]
            if top in RULES[room] and top not in allowed:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)


def test_no_sql_in_ui() -> None:
    sql = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", ".execute(", "PRAGMA ")
    bad = [f"{p.relative_to(ROOT)}: {word.strip()}" for p in _room_files("ui")
           for word in sql if word in p.read_text(encoding="utf-8")]
    assert not bad, bad


def _calls(path: Path) -> list[tuple[int, str]]:
    """(line, attribute) of every call of an attribute in a module: `ws.transaction()` → "transaction"."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            out.append((node.lineno, node.func.attr))
        elif isinstance(node, ast.Attribute) and node.attr == "connection":
            out.append((node.lineno, "connection"))
    return out


def test_no_transactions_connections_or_event_pumping_in_ui() -> None:
    """design.md, "Long work and change": use cases (transactions) live in desktop/, long work runs as
    an operation, and the window's thread never pumps events itself."""
    forbidden = {"transaction", "savepoint", "connection", "processEvents", "execute", "executemany"}
    bad = [f"{p.relative_to(ROOT)}:{line}: {name}" for p in _room_files("ui") for line, name in _calls(p)
           if name in forbidden]
    assert not bad, "\n".join(bad)


def test_the_rule_catches_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(ws, app):\n    with ws.transaction():\n        app.processEvents()\n")
    assert {name for _line, name in _calls(sample)} >= {"transaction", "processEvents"}


@pytest.mark.skipif(shutil.which("lint-imports") is None and not (Path(sys.executable).parent / "lint-imports").exists(),
                    reason="import-linter not installed")
def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
