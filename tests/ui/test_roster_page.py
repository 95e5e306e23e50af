"""The roster page through real widgets offscreen, on a real workspace: table, filters, detail,
add/edit, classroom session, import wizard, exports, report, screenshots in six languages."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

import i18n
from desktop.roster import demo, figures
from desktop.roster.model import PERSON, seeded_course_id
from desktop.session import Session
from i18n import gettext_in
from tests.ui.conftest import finish, window_language
from ui.access_keys import plain

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def page(qtbot, workspace):
    from ui.roster.page import Page

    demo.populate_demo(workspace, random.Random(5), TODAY, 300)
    p = Page(Session(workspace), today=TODAY)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    p.refresh()
    finish(qtbot, p.session)
    return p


def _select(page, rows):
    sel = page.table.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(page.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_table_filters_and_figures(page, workspace):
    assert page.model.rowCount() == 300
    f = figures.completion_figures(workspace, TODAY)
    assert str(f.overall.trained) in page.summary.text().replace(",", "")
    name = page.model.data(page.model.index(0, 0))
    page.search.setText(name)
    assert 1 <= page.model.rowCount() < 300
    assert all(name.casefold() in page.model.data(page.model.index(r, 0)).casefold()
               for r in range(page.model.rowCount()))
    page.search.setText("")
    page.category.setCurrentIndex(page.category.findData("partner"))
    assert page.model.rowCount() == sum(1 for r in workspace.records.iter_all(PERSON, include_deleted=False)
                                        if r["category"] == "partner")
    page.category.setCurrentIndex(0)
    page.status.setCurrentIndex([s for s, _w in __import__("ui.roster.page", fromlist=["x"]).STATUS_FILTERS].index("never"))
    assert page.model.rowCount() == f.overall.never
    page.status.setCurrentIndex(0)
    page.office.setCurrentIndex(page.office.findData("CHN-BJS"))
    assert page.model.rowCount() == f.by_office["CHN-BJS"].active + sum(
        1 for i in range(len(page.roster)) if page.roster.snap.office(i) == "CHN-BJS"
        and page.roster.statuses[i] == "inactive")


def test_detail_edit_and_session(qtbot, page, workspace):
    from ui.roster.dialogs import PersonDialog, SessionDialog

    _select(page, [0])
    pid = page.selected_ids()[0]
    assert page.detail_title.text() == workspace.records.get(PERSON, pid)["name"]
    dialog = PersonDialog(workspace, pid, page)
    qtbot.addWidget(dialog)
    dialog.unit.setText("Protection")
    dialog.save()
    assert workspace.records.get(PERSON, pid)["unit"] == "Protection"
    page.refresh()
    finish(qtbot, page.session)
    _select(page, [page.model.rows.index(page.roster.snap.ids.index(pid))])
    assert "Earlier versions" in page.detail.toPlainText()
    # a new person with a bad e-mail is refused with a message, nothing saved
    add = PersonDialog(workspace, None, page)
    qtbot.addWidget(add)
    add.show()
    add.name.setText("<b>Nour</b> Haddad")
    add.email.setText("not an address")
    add.save()
    assert add.error.isVisible() and add.result() == 0
    add.email.setText("nour@un.org")
    add.save()
    assert add.result() == 1
    # classroom session for three selected people
    page.refresh()
    finish(qtbot, page.session)
    _select(page, [0, 1, 2])
    session = SessionDialog(workspace, page.selected_ids(), page)
    qtbot.addWidget(session)
    session.course.setCurrentIndex(session.course.findData(seeded_course_id("classroom")))
    session.date.setDate(session.date.date().addDays(-1))
    session.save()
    assert session.result() == 1 and "3" in session.result_text


def test_import_wizard_asks_day_month_and_imports(qtbot, page, workspace, tmp_path):
    from ui.roster.dialogs import ImportWizard

    path = tmp_path / "attendance.csv"
    path.write_text("Nom;Courriel;Catégorie;Cours;Date\nAmina Diallo;amina@un.org;stagiaire;Induction;03/04/2026\n"
                    "Ivan Petrov;ivan@un.org;consultant;Induction;04/03/2026\n", encoding="cp1252")
    wizard = ImportWizard(page.session, str(path), page)
    qtbot.addWidget(wizard)
    wizard.show()
    finish(qtbot, page.session)
    assert wizard.day_first.isVisible() and wizard.analysis.ambiguous_dates
    wizard._next()  # no order chosen: a message, still on the first page
    assert wizard.pages.currentIndex() == 0 and wizard.message.isVisible()
    wizard.day_first.setChecked(True)
    wizard._next()
    finish(qtbot, page.session)
    assert wizard.pages.currentIndex() == 1 and plain(wizard.next_button.text()) == "Import"
    wizard._next()
    finish(qtbot, page.session)
    assert wizard.imported and "2 people added" in wizard.result_text
    dates = {r[0] for r in workspace.connection.execute(
        "SELECT completed_on FROM roster_completion WHERE source = 'attendance.csv'")}
    assert dates == {"2026-04-03", "2026-03-04"}


def test_enter_in_the_import_wizard_goes_forward_not_to_cancel(qtbot, page, workspace, tmp_path):
    """Enter on the column page checks the file; it never closes the wizard (and loses the mapping)."""
    from PySide6.QtCore import Qt

    from ui.roster.dialogs import ImportWizard

    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail,Category\nAmina Diallo,amina@un.org,staff\n")
    wizard = ImportWizard(page.session, str(path), page)
    qtbot.addWidget(wizard)
    wizard.show()
    finish(qtbot, page.session)
    assert wizard.next_button.isDefault() and not wizard.cancel_button.isDefault()
    qtbot.keyClick(wizard.combos["email"], Qt.Key.Key_Return)
    finish(qtbot, page.session)
    assert wizard.isVisible() and wizard.result() == 0
    assert wizard.pages.currentIndex() == 1        # Enter pressed the default button: the file was checked


def test_import_wizard_reports_rows(qtbot, page, workspace, tmp_path):
    from ui.roster.dialogs import ImportWizard

    path = tmp_path / "bad.csv"
    path.write_text("Name,E-mail,Category\nA,a@x.org,staff\nA,a@x.org,staff\n")
    wizard = ImportWizard(page.session, str(path), page)
    qtbot.addWidget(wizard)
    finish(qtbot, page.session)
    wizard._next()
    finish(qtbot, page.session)
    assert wizard.report.rowCount() == 1 and wizard.report.item(0, 0).text() == "3"
    assert not wizard.imported


def test_import_wizard_asks_what_new_courses_count_as(qtbot, page, workspace, tmp_path):
    """A title the workspace does not know is not imported until the user says what it counts as;
    a column the import does not use is named on the first page and in the report."""
    from ui.roster.dialogs import ImportWizard

    path = tmp_path / "lms.csv"
    path.write_text("Index number;Last name;First name;Category;Course;Date;Grade\n"
                    "90001;Diallo;Aminata;staff;Sensibilisation PEAS du bureau;2026-03-01;P3\n"
                    "90002;Ngom;Marie;staff;BSAFE;2026-03-02;P2\n", encoding="utf-8")
    wizard = ImportWizard(page.session, str(path), page)
    qtbot.addWidget(wizard)
    wizard.show()
    finish(qtbot, page.session)
    assert "Grade" in wizard.unused.text()
    wizard._next()
    finish(qtbot, page.session)
    assert wizard.pages.currentIndex() == 1 and wizard.course_table.isVisible()
    assert wizard.course_table.rowCount() == 2 and "Grade" in wizard.report_intro.text()
    combos = wizard.course_kinds
    assert combos["bsafe"].currentData() == "not_psea"                     # recognised: its kind is known
    assert combos["sensibilisation peas du bureau"].currentData() is None   # unknown: the user must choose
    assert not wizard.next_button.isEnabled()
    combos["sensibilisation peas du bureau"].setCurrentIndex(
        combos["sensibilisation peas du bureau"].findData("refresher"))
    assert wizard.next_button.isEnabled()
    wizard._next()
    finish(qtbot, page.session)
    assert wizard.imported
    kinds = {c.label(): c.kind for c in __import__("desktop.roster.model", fromlist=["x"]).courses(workspace)
             if c.code == "imported"}
    assert kinds == {"Sensibilisation PEAS du bureau": "refresher", "BSAFE": "not_psea"}
    names = {r["name"] for r in workspace.records.iter_all(PERSON, include_deleted=False)}
    assert {"Aminata Diallo", "Marie Ngom"} <= names


def test_the_roster_page_says_what_its_figures_leave_out(qtbot, page, workspace):
    from desktop.roster.model import COMPLETION, add_course, add_person

    course = add_course(workspace, "Local awareness session", "unclassified")
    person = add_person(workspace, {"name": "Zawadi", "category": "staff", "index_number": "Z-1"})
    workspace.records.insert(COMPLETION, {"person_id": person["id"], "course_id": course["id"],
                                          "completed_on": "2026-03-01", "source": "test", "certificate": ""})
    page.refresh()
    finish(qtbot, page.session)
    assert page.not_counted.isVisible()
    assert "1 completion of 1 course not yet classified is not counted." in page.not_counted.text()
    assert "Courses…" in page.not_counted.text()


def test_exports_neutralise_formulas(qtbot, page, workspace, tmp_path):
    from desktop.roster import exports
    from desktop.roster.model import add_person

    add_person(workspace, {"name": "=HYPERLINK(\"http://x\")", "category": "staff", "email": "x@un.org"})
    page.refresh()
    finish(qtbot, page.session)
    page.search.setText("hyperlink")
    rows = page.model.visible_people()
    assert len(rows) == 1
    exports.write_csv(tmp_path / "l.csv", page.roster, rows, "fr")
    text = (tmp_path / "l.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith(gettext_in("fr", "Full name"))
    assert "'=HYPERLINK" in text
    exports.write_xlsx(tmp_path / "l.xlsx", page.roster, rows, "ar")
    sheet = openpyxl.load_workbook(tmp_path / "l.xlsx").active
    assert sheet.cell(2, 1).value.startswith("'=")
    assert sheet.cell(1, 1).value == gettext_in("ar", "Full name")


def test_report_pdf(qtbot, page, workspace, tmp_path):
    import subprocess

    from desktop.roster import report
    from desktop.roster.model import add_person

    add_person(workspace, {"name": "<b>Bold</b> & <font size=40>Co</font>", "category": "staff",
                           "email": "markup@un.org"})
    page.refresh()
    finish(qtbot, page.session)
    page.search.setText("markup@")
    path = tmp_path / "markup.pdf"
    report.write_report(workspace, path, TODAY, "en", rows=page.model.visible_people())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "<b>Bold</b> &" in flat and "<font" in flat and "Co</font>" in flat  # shown as text, not markup
    page.search.setText("")
    for code in ("ar", "zh"):
        path = tmp_path / f"roster-{code}.pdf"
        pages = report.write_report(workspace, path, TODAY, code, rows=page.model.visible_people())
        assert pages >= 2 and path.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "CHN-BJS" in text


def test_filter_is_fast_on_many_people(qtbot):
    """A synthetic 100,000-person roster in memory: one keystroke well under 50 ms."""
    import time
    from array import array

    from desktop.roster.listing import Roster
    from desktop.roster.snapshot import Snapshot
    from ui.roster.model import RosterTableModel

    n = 100_000
    rng = random.Random(1)
    snap = Snapshot("v", [])
    syll = ["wa", "nji", "ru", "mo", "ha", "li", "ko", "sa", "ne", "ba"]
    snap.names = ["".join(rng.choice(syll) for _ in range(4)) for _ in range(n)]
    snap.haystack = [s.casefold() for s in snap.names]
    snap.ids = [str(i) for i in range(n)]
    snap.categories = array("b", [0] * n)
    snap.offices = array("l", [0] * n)
    snap.office_names = ["KEN-NBO"]
    snap.order = array("l", range(n))
    roster = Roster(snap, TODAY, ["never"] * n, [0] * n)
    model = RosterTableModel()
    model.set_roster(roster)
    times = []
    for text in ["w", "wa", "wan", "wanj", "ko", "kos"]:
        start = time.perf_counter()
        model.set_filter(text=text)
        times.append(time.perf_counter() - start)
    assert max(times) < 0.05 * 3, times  # the budget is 50 ms; 3x slack for a loaded test machine
    assert model.rowCount() == sum(1 for s in snap.haystack if "kos" in s)


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_screenshots(qtbot, workspace, artifacts, code):
    from ui.roster.page import Page

    demo.populate_demo(workspace, random.Random(5), TODAY, 300)
    with window_language(code):
        p = Page(Session(workspace), today=TODAY)
        qtbot.addWidget(p)
        p.resize(1280, 800)
        p.show()
        QApplication.processEvents()
        p.refresh()
        finish(qtbot, p.session)
        _select(p, [2])
        QApplication.processEvents()
        assert p.detail.toPlainText()
        assert p.title.text() == gettext_in(code, "Training roster")
        assert p.isRightToLeft() == (code == "ar")
        assert p.model.headerData(0, Qt.Orientation.Horizontal) == gettext_in(code, "Full name")
        folder = artifacts / "screenshots"
        folder.mkdir(exist_ok=True)
        assert p.grab().save(str(folder / f"roster-{code}.png"))



def test_course_validity_dialog(qtbot, page, workspace):
    from ui.roster.dialogs import CoursesDialog

    before = figures.completion_figures(workspace, TODAY).overall.trained
    dialog = CoursesDialog(workspace, page)
    qtbot.addWidget(dialog)
    for spin in dialog.spins.values():
        spin.setValue(1)
    dialog.new_name.setText("Induction (Kiswahili)")
    dialog.new_kind.setCurrentIndex(dialog.new_kind.findData("induction"))
    dialog.save()
    assert dialog.result() == 1
    from desktop.roster.model import courses
    assert {c.validity_months for c in courses(workspace)} == {1, 36}
    assert [c.label() for c in courses(workspace) if c.code == "custom"] == ["Induction (Kiswahili)"]
    again = CoursesDialog(workspace, page)  # the same name twice: refused with a message, nothing saved
    qtbot.addWidget(again)
    again.show()
    again.new_name.setText("induction (kiswahili)")
    again.save()
    assert again.result() == 0 and again.error.isVisible()
    assert figures.completion_figures(workspace, TODAY).overall.trained < before


def test_a_first_load_shows_the_people_at_once_then_their_statuses(qtbot, workspace):
    """A first load publishes the people (name order, statuses "…") before the completions are read;
    the statuses and figures follow in the same table."""
    from desktop.roster import snapshot
    from ui.roster.page import Page

    demo.populate_demo(workspace, random.Random(7), TODAY, 400)
    snapshot.forget()
    p = Page(Session(workspace), today=TODAY)
    qtbot.addWidget(p)
    seen = []
    shown = p._people_shown

    def spy(partial):  # noqa: ANN001, ANN202
        shown(partial)
        seen.append((p.model.rowCount(), p.model.data(p.model.index(0, 6)), p.model.data(p.model.index(0, 7)),
                     p.count_label.text(), p.summary.text()))

    p._people_shown = spy
    p.show()
    p.refresh()
    finish(qtbot, p.session)
    assert len(seen) == 1
    rows, status, last, count, summary = seen[0]
    assert rows == 400 and status == "…" and last == "…" and "400" in count and summary == ""
    assert p.model.data(p.model.index(0, 6)) != "…" and p.summary.text()
    # A later refresh (the roster in memory is current) shows no intermediate step.
    p.refresh()
    finish(qtbot, p.session)
    assert len(seen) == 1


def test_the_date_column_holds_the_widest_date_of_each_language(page):
    """UN Chinese dates are spaced ("2026 年 12 月 28 日"): the column is not cut at its English width."""
    from i18n import qt as i18n_qt
    from i18n.formatting import date as format_date
    from ui.roster.model import COLUMN_INDEX

    try:
        for code in ("en", "zh", "ar", "ru"):
            i18n.set_language(code)
            i18n_qt.apply_language(code)
            page.retranslate()
            widest = max(page.table.fontMetrics().horizontalAdvance(format_date(dt.date(2026, m, 28), style="medium"))
                         for m in range(1, 13))
            assert page.table.columnWidth(COLUMN_INDEX["last"]) >= widest + 8, code
    finally:
        i18n.set_language("en")
        i18n_qt.apply_language("en")
