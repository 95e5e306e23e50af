"""Every control a keyboard or screen-reader user reaches has a name, in the current language: the main
window with each page, and every dialog, in the six languages (ui/accessibility.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

import i18n
from i18n import gettext_in
from tests.ui.conftest import NoShell, each_page, finish, window_language
from tests.ui.test_fits import LANGUAGES, _dialogs, demo_session  # noqa: F401 - the fixture
from ui import accessibility
from ui.accessibility import is_reachable, spoken_name


def _unnamed(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r}" for w in root.findChildren(QWidget)
            if w.isVisibleTo(root) and w.isEnabled() and is_reachable(w) and not spoken_name(w)]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_control_of_every_page_and_dialog_has_a_name(qtbot, demo_session, tmp_path: Path, code: str) -> None:  # noqa: F811
    from ui.main_window import MainWindow

    accessibility.install()
    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.show()
        for title in each_page(qtbot, main, demo_session):
            assert _unnamed(main) == [], (code, title)
        for dialog in _dialogs(demo_session, tmp_path):
            qtbot.addWidget(dialog)
            dialog.show()
            assert _unnamed(dialog) == [], (code, type(dialog).__name__)
            dialog.close()


def test_names_follow_the_language_and_say_what_the_field_is(qtbot, demo_session, tmp_path: Path) -> None:  # noqa: F811
    """The risk form's notes field is announced as "Notes" (not as its neighbour), a rating in a table
    cell by its column and factor, and a switch renames in the new language."""
    from ui.main_window import MainWindow
    from ui.risk.form import AssessmentForm

    accessibility.install()
    form = AssessmentForm(demo_session.ws, None)
    qtbot.addWidget(form)
    form.show()
    assert spoken_name(form.notes) == "Notes"
    cells = [w for w in form.findChildren(QWidget) if w.property(accessibility.AUTO) and ": " in w.accessibleName()]
    assert cells and all(len(w.accessibleName().split(": ", 1)[1]) > 3 for w in cells)

    main = MainWindow(demo_session, NoShell())
    qtbot.addWidget(main)
    main.show()
    roster = main.show_page("roster")
    finish(qtbot, demo_session)
    english = spoken_name(roster.search)
    try:
        with window_language("fr"):
            main.retranslate()
            accessibility.rename_all(main)
            assert spoken_name(roster.search) != english
            assert spoken_name(main.nav) == gettext_in("fr", "Pages")
    finally:
        i18n.set_language("en")


def test_tab_leaves_a_table(qtbot, demo_session) -> None:  # noqa: F811
    """Tab moves to the next field, not to the next cell: tables are no trap for keyboard users."""
    from PySide6.QtWidgets import QAbstractItemView

    from ui.main_window import MainWindow

    accessibility.install()
    main = MainWindow(demo_session, NoShell())
    qtbot.addWidget(main)
    main.show()
    seen = 0
    for title in each_page(qtbot, main, demo_session):
        views = [v for v in main.findChildren(QAbstractItemView) if v.isVisibleTo(main)]
        seen += len(views)
        assert [type(v).__name__ for v in views if v.tabKeyNavigation()] == [], title
    assert seen > 5
