"""The instruments' pages in the main window's navigation.

Each module in PAGE_MODULES defines `Page`, a subclass of InstrumentPage. A module that does not
exist yet is skipped, so an instrument lands its page without editing the shell.
"""

from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtWidgets import QWidget

from desktop.session import Session

PAGE_MODULES = (
    "ui.roster.page",
    "ui.risk.page",
    "ui.partners.page",
    "ui.letter.page",
    "ui.exchange.page",
)


class InstrumentPage(QWidget):
    """Base of an instrument's page. Subclasses set `key` and implement the three methods."""

    key = "page"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    @staticmethod
    def nav_title() -> str:
        """The translated name shown in the navigation (call _() inside, at call time)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        """Set every visible text again after the language changed."""

    def refresh(self) -> None:
        """Reload data after an import, a merge or another page's change."""


def available_pages(errors: list[tuple[str, BaseException]] | None = None) -> list[type[InstrumentPage]]:
    """The Page classes of the instruments that have landed, in navigation order.

    With `errors` given, a page module that fails to import is reported there (module name, exception)
    and skipped, so one broken page does not keep the whole window from opening; without it the
    exception propagates (tests want to see it)."""
    pages = []
    for name in PAGE_MODULES:
        package = name.rsplit(".", 1)[0]
        try:
            if importlib.util.find_spec(package) is None or importlib.util.find_spec(name) is None:
                continue
            pages.append(importlib.import_module(name).Page)
        except Exception as exc:
            if errors is None:
                raise
            errors.append((name, exc))
    return pages
