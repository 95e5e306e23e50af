"""Qt widgets, item models, dialogs, charts and the main window. No SQL, no file formats: everything
goes through `desktop`."""

import sys

if sys.version_info < (3, 12):
    # PySide6 6.12 on CPython 3.11 releases one reference to None on every call of a Qt method that
    # returns nothing (measured: QLabel.setText, QTableWidget.setItem, setRowCount: -1 each). From 3.12
    # None is immortal and the slip is harmless; on 3.11 None's count (about 5,000 after importing Qt)
    # reaches zero after a few thousand calls and the interpreter aborts with "none_dealloc". None is
    # never freed, so give it a count no session can use up.
    import ctypes

    _count = ctypes.c_ssize_t.from_address(id(None))
    if _count.value < 1 << 40:
        _count.value += 1 << 41
    del _count
