"""Shared pieces of the window tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

import i18n
from i18n import qt as qt_i18n


@contextlib.contextmanager
def window_language(code: str) -> Iterator[None]:
    """The window in `code` (fonts for Arabic and Chinese loaded, Qt's direction and catalogs set),
    back to English afterwards even when the test fails."""
    qt_i18n.load_fonts()
    qt_i18n.apply_fallback_fonts()
    i18n.set_language(code)
    qt_i18n.apply_language(code)
    try:
        yield
    finally:
        i18n.set_language("en")
        qt_i18n.apply_language("en")


def finish(qtbot, session, timeout: int = 120_000) -> None:  # noqa: ANN001
    """Wait until the session's operation (ui/operations.py) has ended and its result was shown."""
    from ui import operations

    qtbot.waitUntil(lambda: not operations.runner(session).busy, timeout=timeout)


def unlock(qtbot, window) -> bool:  # noqa: ANN001
    """Press Unlock in the prompt and wait until the workspace is open (or refused): whether it opened."""
    if not window.try_unlock():
        return False
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
    return window.last_ok


@pytest.fixture
def back_to_english():  # noqa: ANN201
    """After a test that switched the language, the next one starts in English again."""
    yield
    import i18n
    from i18n import qt as i18n_qt

    i18n.set_language("en")
    i18n_qt.apply_language("en")


@pytest.fixture
def fonted_session(workspace):  # noqa: ANN001, ANN201
    """A session on the test workspace with the Arabic and Chinese fonts the window registers."""
    from desktop.session import Session
    from i18n import qt as i18n_qt

    i18n_qt.load_fonts()
    i18n_qt.apply_fallback_fonts()
    return Session(workspace)


@pytest.fixture(autouse=True)
def _no_unanswered_message_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal message box nobody answers would hang the suite offscreen: a test that expects one says
    what the user answers (monkeypatch QMessageBox.exec); any other fails at once, with its text."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(box: QMessageBox) -> int:
        raise AssertionError(f"unexpected message box: {box.windowTitle()!r}: {box.text()!r}")

    monkeypatch.setattr(QMessageBox, "exec", unexpected)


class NoShell:
    """A stand-in for ui.shell.Shell where a test builds a MainWindow alone: menu actions do nothing."""

    def __getattr__(self, _name: str):  # noqa: ANN204
        return lambda *a, **k: None


def each_page(qtbot, main, session) -> Iterator[str]:  # noqa: ANN001
    """Show every page of a MainWindow in turn (its data loaded); yields each page's title."""
    for row in range(main.nav.count()):
        main.nav.setCurrentRow(row)
        finish(qtbot, session)
        yield main.nav.item(row).text()
