"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on CPython 3.11 released one reference to None on every Qt call returning nothing;
after a few thousand calls the interpreter aborted ("none_dealloc"). pyproject.toml pins below it.
This test fails if a binding with such a leak comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QTableWidget


def test_qt_calls_do_not_leak_references_to_none(qtbot) -> None:
    label = QLabel()
    table = QTableWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(table)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        table.setRowCount(1)
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 200, f"None's reference count moved by {drift} over 4,000 Qt calls"
