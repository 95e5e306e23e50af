"""The instruments' pages in the main window's navigation.

Each instrument names its page module in desktop/registry.py; the module defines `Page`, a subclass
of InstrumentPage.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.session import Session


class InstrumentPage(QWidget):
    """Base of an instrument's page. Subclasses set `key` and implement the three methods.

    Change events: after every commit the workspace announces the record kinds it wrote (storage); a
    page whose `kinds` meet them refreshes if it is visible and no operation runs, else when it is shown
    or the operation has ended. Pages never announce their own writes."""

    key = "page"
    kinds: frozenset[str] | None = None      # the record kinds the page shows; None: any change

    _kinds_changed = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = True   # nothing loaded yet: the page loads its data when first shown
        # Queued: a commit on the worker thread (or in the middle of a save) refreshes the page later,
        # on the window's thread, from its event loop.
        self._kinds_changed.connect(self._on_kinds_changed, Qt.ConnectionType.QueuedConnection)
        session.on_data_changed(self._announce)

    def remembered(self) -> dict[str, QObject]:
        """Parts whose state (`saveState`/`restoreState`: column widths, splitters) is remembered for the
        user between sessions, by a name unique in the application ("roster/columns")."""
        return {}

    def search_field(self) -> QLineEdit | None:
        """The page's search field (Ctrl+F), named "search"; None if it has none."""
        return self.findChild(QLineEdit, "search")

    def has_unsaved(self) -> bool:
        """Whether the page holds changes not saved yet (closing the window asks about them)."""
        return False

    def save_unsaved(self) -> bool:
        """Save what `has_unsaved` reports; False if it could not be saved (the page says why)."""
        return True

    def keep_draft(self) -> bool:
        """Keep what the page holds unsaved in the workspace (desktop/drafts.py), before the workspace is
        locked or closed; True if there was something. Pages with forms override it."""
        return False

    def _announce(self, kinds: frozenset[str]) -> None:
        try:
            self._kinds_changed.emit(kinds)
        except RuntimeError:   # the page is gone (its window was closed)
            pass

    def _on_kinds_changed(self, kinds: frozenset[str]) -> None:
        if self.kinds is not None and not (kinds & self.kinds):
            return
        self._stale = True
        self._refresh_if_due()

    def _refresh_if_due(self) -> None:
        from ui import operations

        if not self._stale or not self.session.is_unlocked or not self.isVisible():
            return
        running = operations.runner(self.session)
        if running.busy:
            running.when_idle(self._refresh_if_due)
            return
        self._stale = False
        self.refresh()

    def run_operation(self, title: str, work, on_done=None, *, errors=None, cancellable: bool = False) -> bool:  # noqa: ANN001
        """Run `work(task)` as an operation of the session (ui/operations.py); `on_done(result)` on the
        window's thread; an error is shown in the label `errors` (a message_label). False when another
        operation runs (nothing started; said in `errors`)."""
        from ui import operations
        from ui.widgets import show_error

        def failed(exc: BaseException) -> None:
            if errors is not None:
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                show_error(errors, reason if not isinstance(exc, OSError) else _file_error(reason))
            else:
                import traceback

                traceback.print_exception(exc)

        started = operations.runner(self.session).run(work, title=title, on_done=on_done, on_error=failed,
                                                      cancellable=cancellable)
        if not started and errors is not None:
            show_error(errors, _busy_text())
        return started

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._refresh_if_due()

    @staticmethod
    def nav_title() -> str:
        """The translated name shown in the navigation (call _() inside, at call time)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        """Set every visible text again after the language changed."""

    def refresh(self) -> None:
        """Reload data after an import, a merge or another page's change."""


def _file_error(reason: str) -> str:
    from i18n import _

    return _("The file could not be written: {reason}").format(reason=reason)


def _busy_text() -> str:
    from i18n import _

    return _("Another task is running; try again when it has finished.")


def available_pages(errors: list[tuple[str, BaseException]] | None = None) -> list[type[InstrumentPage]]:
    """The instruments' Page classes in navigation order: each instrument's page as desktop/registry.py
    names it, then the exchange page (bundles and the regional view).

    With `errors` given, a page module that fails to import is reported there (module name, exception)
    and skipped, so one broken page does not keep the whole window from opening; without it the
    exception propagates (tests want to see it)."""
    from desktop import registry

    pages = []
    for name in [*(instrument.page for instrument in registry.INSTRUMENTS), "ui.exchange.page"]:
        try:
            pages.append(importlib.import_module(name).Page)
        except Exception as exc:
            if errors is None:
                raise
            errors.append((name, exc))
    return pages
