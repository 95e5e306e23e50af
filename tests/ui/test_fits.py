"""Every window fits a 1024×768 screen with a taskbar, in the six languages: the main window with each of
its pages, and every dialog. A page or dialog that needs more scrolls (ui/main_window.py `_holder`) or
was made narrower; none may push a window past the screen's edge."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QScrollArea, QStyleOptionTab, QWidget

from desktop import registry
from desktop.session import Session
from storage import Workspace
from tests.conftest import PASSPHRASE
from tests.ui.conftest import NoShell, each_page, finish, window_language

SMALL = QSize(1024, 768 - 40)     # a 1024×768 screen less a taskbar
SCALED = QSize(920, 496)          # what fit_to_screen gives on 1920×1080 at a scale factor of 2 (960×540 points)
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
TODAY = dt.date(2026, 11, 23)


def _needed(widget: QWidget) -> QSize:
    """The smallest size the layout allows (what Qt would force on a smaller screen)."""
    return widget.minimumSizeHint().expandedTo(widget.minimumSize())


def _fits(widget: QWidget) -> bool:
    needed = _needed(widget)
    return needed.width() <= SMALL.width() and needed.height() <= SMALL.height()


@pytest.fixture
def demo_session(tmp_path: Path, qtbot):  # noqa: ANN201, ARG001 - qtbot: the QApplication
    ws = Workspace.create(tmp_path / "demo.pdesk", PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    registry.populate_demo(ws, random.Random(7), TODAY, 300)
    session = Session(ws)
    yield session
    ws.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_main_window_and_each_page_fit_a_small_screen(qtbot, demo_session, code: str) -> None:
    from ui.main_window import MainWindow

    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.show()
        screen = main.screen().availableGeometry()   # the window opened within the screen (fit_to_screen)
        assert main.width() <= screen.width() and main.height() <= screen.height()
        # fit_to_screen gives 983 px on a 1024×768 screen and 920 logical px at a scale factor of 2 on
        # 1920×1080: pages must fit the narrower one.
        main.resize(920, 706)
        for title in each_page(qtbot, main, demo_session):
            assert _fits(main), (code, title, _needed(main))
            # No page needs sideways scrolling there: rows of buttons wrap, titles and notes wrap.
            holder = main.stack.currentWidget()
            page = main.current_page()
            widest = max(page.findChildren(QWidget), key=lambda w: w.minimumSizeHint().width() * (
                w.isVisibleTo(page) and not w.findChildren(QWidget)))
            assert page.minimumSizeHint().width() <= holder.viewport().width(), (
                code, title, page.minimumSizeHint().width(), holder.viewport().width(), type(widest).__name__,
                widest.objectName(), getattr(widest, "text", lambda: "")()[:60] if type(widest).__name__ in (
                    "QLabel", "QPushButton", "QCheckBox") else "")


@pytest.mark.parametrize("code", LANGUAGES)
def test_forms_and_tabs_inside_a_page_fit_its_width(qtbot, demo_session, code: str) -> None:
    """What the page's own check cannot see, because it scrolls inside the page: a capacity assessment of
    each built-in rule set scrolls only downwards (its evidence ticks wrap; one long Russian item of evidence
    made the whole form scroll sideways), so does the letter's left column, and every tab of the exchange page
    is in sight, the longest titles shortened rather than hidden behind arrows (six tabs in Russian are wider
    than the page)."""
    from desktop.partners import assessments, model, rulesets
    from ui import access_keys
    from ui.main_window import MainWindow

    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.show()
        main.resize(920, 706)
        page = main.show_page("partners")
        finish(qtbot, demo_session)
        partner = model.list_partners(demo_session.ws)[0]
        for key in rulesets.BUILTIN_KEYS:
            page.open_form(assessments.start(demo_session.ws, partner["id"], key)["id"])
            qtbot.wait(1)
            inner = page.form.scroll.widget()
            assert inner.minimumSizeHint().width() <= page.form.scroll.viewport().width(), (
                code, key, inner.minimumSizeHint().width(), page.form.scroll.viewport().width())
        letter = main.show_page("letter")   # its left column scrolls downwards only: a group box title (which
        finish(qtbot, demo_session)         # never wraps) made it wider than its pane in French, Spanish, Russian
        letter.tabs.setCurrentIndex(1)
        qtbot.wait(1)
        for area in letter.findChildren(QScrollArea):
            if area.isVisible() and area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
                assert area.widget().minimumSizeHint().width() <= area.viewport().width(), (
                    code, area.widget().minimumSizeHint().width(), area.viewport().width())
        exchange = main.show_page("exchange")
        finish(qtbot, demo_session)
        access_keys.apply(main)   # the titles as the window shows them: "导出(&E)"
        bar = exchange.tabs.tabBar()
        qtbot.wait(1)
        assert all(bar.rect().contains(bar.tabRect(n)) for n in range(bar.count())), code
        whole = []
        for n in range(bar.count()):
            option = QStyleOptionTab()
            bar.initStyleOption(option, n)
            whole.append(option.text == bar.tabText(n))
        assert whole[0], code   # the short titles stay whole ("Export")
        # A title given its whole width is shown whole (Qt shortened Chinese and Arabic ones with room to spare).
        assert all(whole[n] for n in range(bar.count()) if bar.tabSizeHint(n) == bar._natural(n)), (
            code, [bar.tabText(n) for n in range(bar.count())], whole)


def _dialogs(session: Session, tmp_path: Path) -> list[QWidget]:
    from desktop.letter import allegation_import
    from desktop.partners import importing as partner_import
    from desktop.partners import model as partners
    from desktop.risk import assessments
    from ui.help import GuideWindow
    from ui.import_wizard import ImportWizard as SpreadsheetWizard
    from ui.letter.page import SettingsDialog, SignDialog
    from ui.partners.dialogs import (
        ActionDialog,
        AgreementsDialog,
        NewAssessmentDialog,
        PartnerDialog,
        RuleSetDialog,
        TriggerDialog,
    )
    from ui.risk.form import AssessmentForm, VisitDialog
    from ui.risk.library import LibraryDialog
    from ui.roster.dialogs import CoursesDialog, ImportWizard, PersonDialog, SessionDialog

    ws = session.ws
    person = ws.connection.execute("SELECT id FROM roster_person WHERE deleted = 0 LIMIT 1").fetchone()[0]
    partner = partners.list_partners(ws)[0]
    aid = assessments.assessments(ws)[0]["id"]
    sheet = tmp_path / "people.csv"
    sheet.write_text("Name,E-mail,Category,Course,Date\nAmina Diallo,amina@un.org,staff,Induction,2026-03-04\n")
    register = tmp_path / "partners.csv"
    register.write_text("Partner name,Type,Agreement reference,Start date,End date,SEA clauses\n"
                        "Association Espoir,National NGO,PCA-1,2026-01-01,2026-12-31,yes\n")
    counts = tmp_path / "counts.csv"
    counts.write_text("Category,Status,Referred to,Number\nstaff,closed,OIOS,2\n")
    return [
        SpreadsheetWizard(session, partner_import.STEPS, str(register)),
        SpreadsheetWizard(session, allegation_import.steps(2026), str(counts)),
        PersonDialog(ws, None), PersonDialog(ws, person), SessionDialog(ws, [person]), CoursesDialog(ws),
        ImportWizard(session, str(sheet)),
        AssessmentForm(ws, None, today=TODAY), AssessmentForm(ws, aid, today=TODAY), VisitDialog(ws, aid, today=TODAY),
        LibraryDialog(ws),
        PartnerDialog(session), PartnerDialog(session, partner), NewAssessmentDialog(session, partner),
        ActionDialog(session, partner), TriggerDialog(session, partner), AgreementsDialog(session, partner),
        RuleSetDialog(session),
        SignDialog(False, "Amina Diallo", "Head of Office"), SettingsDialog(ws),
        GuideWindow(lambda: ([("Ctrl+1", "Workspace")], "")),
    ]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_dialog_fits_a_small_screen(qtbot, demo_session, tmp_path: Path, code: str) -> None:
    with window_language(code):
        dialogs = _dialogs(demo_session, tmp_path)
        finish(qtbot, demo_session)
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            assert _fits(dialog), (code, type(dialog).__name__, _needed(dialog))
            # At a scale factor of 2 too: a dialog needing more height grew past the screen's edge, its buttons
            # out of reach (the roster's import wizard, the risk assessment form): their fields scroll instead.
            needed = _needed(dialog)
            assert needed.width() <= SCALED.width() and needed.height() <= SCALED.height(), (
                code, type(dialog).__name__, needed)
            # Opened within the screen (the offscreen test screen is 800×800) or at most at the small size.
            screen = dialog.screen().availableGeometry()
            assert dialog.width() <= max(screen.width(), SMALL.width()), type(dialog).__name__
            assert dialog.height() <= max(screen.height(), SMALL.height()), type(dialog).__name__
            dialog.close()
