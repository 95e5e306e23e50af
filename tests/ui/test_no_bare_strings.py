"""No English left outside the catalogs: every literal a widget shows goes through _()/N_().

The screenshot tests catch an English msgid showing on a translated screen; this catches text that
never became an msgid at all (a literal handed straight to Qt)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT_SETTERS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setTitle", "addTab", "setTabText",
    "addAction", "addMenu", "setStatusTip", "setHeaderLabels", "setHorizontalHeaderLabels", "addItem",
    "addItems", "setWhatsThis", "showMessage", "setLabelText", "setPrefix", "setSuffix", "setSpecialValueText",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
}
WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"PDF", "CSV", "XLSX", "JSON", "OK", "PSEA Desk", "SQLCipher", "Qt", "PySide6", "Babel", "reportlab",
           "pyHanko", "Python", "UTC", "ID", "SHA-256", "PKCS#12"}


def _bare_literals(node: ast.Call) -> list[str]:
    out = []
    for arg in node.args:
        values = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and WORD.search(value.value):
                if value.value.strip() not in ALLOWED:
                    out.append(value.value)
    return out


def test_widgets_get_no_untranslated_literals() -> None:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in TEXT_SETTERS:
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {text!r}" for text in _bare_literals(node)]
    assert not found, "\n".join(found)
