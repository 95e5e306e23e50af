"""The risk page, heat map and forms through real widgets offscreen, on a real workspace."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

import i18n
from desktop.risk import assessments, demo, factors, followup, model, ratings, scoring
from desktop.session import Session
from i18n import gettext_in
from tests.ui.conftest import finish, window_language
from ui.access_keys import plain

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def page(qtbot, workspace):
    from ui.risk.page import Page

    demo.populate_demo(workspace, random.Random(11), TODAY, 50)
    p = Page(Session(workspace), today=TODAY)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    return p


def _save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_heat_map_counts_the_register_and_filters_it(qtbot, page):
    total = sum(page.heatmap.counts.values())
    assert total == len(page.register_rows) == page.register_table.rowCount() > 10
    (lk, im), n = max(page.heatmap.counts.items(), key=lambda kv: kv[1])
    centre = page.heatmap.cell_rect(lk, im).center().toPoint()
    qtbot.mouseClick(page.heatmap, Qt.MouseButton.LeftButton, pos=centre)
    assert page.register_table.rowCount() == n
    assert page.heatmap.selected == (lk, im)
    qtbot.mouseClick(page.heatmap, Qt.MouseButton.LeftButton, pos=centre)  # again: no filter
    assert page.register_table.rowCount() == total


def test_heat_map_is_mirrored_right_to_left(page):
    hm = page.heatmap
    hm.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert hm.cell_rect(1, 1).x() < hm.cell_rect(5, 1).x()
    hm.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert hm.cell_rect(1, 1).x() > hm.cell_rect(5, 1).x()
    assert hm.cell_rect(3, 5).y() < hm.cell_rect(3, 1).y()  # impact grows upwards in both
    assert hm.cell_at(hm.cell_rect(5, 2).center()) == (5, 2)


def test_new_assessment_through_the_form(qtbot, page, workspace):
    before = len(assessments.assessments(workspace))
    form = page.new_assessment()
    qtbot.addWidget(form)
    _save(form)  # nothing filled in: refused, nothing written
    assert form.error.isVisible() and form.isVisible()
    assert len(assessments.assessments(workspace)) == before
    form.subject.setText("Camp de Minawao — زيارة")
    form.location.setText("Far North")
    form.distributions.setCurrentIndex(form.distributions.findData("cash"))
    form.iasc_level.setCurrentIndex(form.iasc_level.findData("very_high"))
    codes = [i["code"] for i in form.factor_rows()]
    form.set_rating(codes[0], 5, 4)
    form.set_rating(codes[3], 2, 2)
    band = form.ratings.item(form.row_for(codes[0])["row"], form.R_BAND)
    assert "20" in band.text() and band.background().color().name() == scoring.matrix().band(5, 4).colour.lower()
    form.ratings.setCurrentCell(form.row_for(codes[0])["row"], form.R_FACTOR)
    entry = form.add_measure_for_selected()
    entry["action"].setText("Deux agents, une femme et un homme, à chaque distribution")
    entry["owner"].setText("Aïcha")
    _save(form)
    assert not form.isVisible()
    new = [a for a in assessments.assessments(workspace) if a["subject"] == "Camp de Minawao — زيارة"]
    assert len(new) == 1 and new[0]["distributions"] == "cash" and new[0]["iasc_level"] == "very_high"
    risks = ratings.rated_risks(workspace, new[0]["id"])
    assert [(r.factor_code, r.likelihood, r.impact) for r in risks] == [(codes[0], 5, 4), (codes[3], 2, 2)]
    assert risks[0].measures[0]["owner"] == "Aïcha"
    assert page.assessments_table.rowCount() == before + 1


def test_editing_an_assessment_keeps_its_texts_and_changes_ratings(qtbot, page, workspace):
    aid = assessments.assessments(workspace)[0]["id"]
    first = ratings.rated_risks(workspace, aid)[0]
    factors.save_factor(workspace, first.factor_code, first.category, {"en": "Reworded in the library"})
    from ui.risk.form import AssessmentForm

    form = AssessmentForm(workspace, aid, today=TODAY)
    qtbot.addWidget(form)
    row = form.row_for(first.factor_code)
    assert row["text"] == first.text()  # the assessment's copy, not the library's new wording
    form.set_rating(first.factor_code, 1, 1)
    assert form.save()
    again = {r.factor_code: r for r in ratings.rated_risks(workspace, aid)}[first.factor_code]
    assert (again.initial_likelihood, again.initial_impact) == (1, 1) and again.texts == first.texts


def test_start_from_previous_and_visit_through_the_page(qtbot, page, workspace):
    page.tabs.setCurrentIndex(2)
    row = next(n for n, a in enumerate(page.assessment_rows) if a["is_current"])
    old_id = page.assessment_rows[row]["id"]
    page.assessments_table.setCurrentCell(row, 0)
    form = page.start_from_selected()
    qtbot.addWidget(form)
    assert form.assessment_id != old_id
    assert assessments.get_assessment(workspace, form.assessment_id)["previous_id"] == old_id
    assert form.save()
    new_id = form.assessment_id
    page.tabs.setCurrentIndex(2)
    page.assessments_table.setCurrentCell(next(n for n, a in enumerate(page.assessment_rows) if a["id"] == new_id), 0)
    dialog = page.visit_selected()
    qtbot.addWidget(dialog)
    risk = dialog._rows[0]["risk"]
    target = (1, 1) if (risk.likelihood, risk.impact) != (1, 1) else (2, 2)
    dialog.rerate(risk.factor_code, *target)
    dialog.findings.setPlainText("Hotline tested; notices posted.")
    _save(dialog)
    points = followup.trend(workspace, risk.id)
    assert (points[-1].likelihood, points[-1].impact) == target and points[-1].on == TODAY.isoformat()
    assert len(followup.visits(workspace, new_id)) == 1


def test_cancel_discards_a_started_assessment(qtbot, page, workspace):
    page.tabs.setCurrentIndex(2)
    before = len(assessments.assessments(workspace))
    page.assessments_table.setCurrentCell(0, 0)
    form = page.start_from_selected()
    qtbot.addWidget(form)
    assert len(assessments.assessments(workspace)) == before + 1
    form.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert len(assessments.assessments(workspace)) == before
    assert page.assessments_table.rowCount() == before


def test_rating_an_unticked_factor_ticks_it(qtbot, workspace):
    from ui.risk.form import AssessmentForm

    form = AssessmentForm(workspace, None, today=TODAY)
    qtbot.addWidget(form)
    row = form.factor_rows()[2]
    assert not row["use"].isChecked()
    row["im"].setValue(4)
    assert row["use"].isChecked()
    assert "4" in form.ratings.item(row["row"], form.R_BAND).text()


def test_mark_measure_done_and_overdue_flag(page, workspace, monkeypatch):
    page.tabs.setCurrentIndex(1)
    overdue_rows = [n for n, r in enumerate(page.measure_rows) if r.overdue]
    assert overdue_rows, "the demo has overdue measures"
    n = overdue_rows[0]
    assert page.measures_table.item(n, 6).text()  # "N days overdue"
    assert page.measures_table.item(n, 0).foreground().color().name() == "#b3261e"
    mid = page.measure_rows[n].measure["id"]
    page.measures_table.setCurrentCell(n, 0)
    # Marking done cannot be undone from the list: it asks first, and Cancel changes nothing.
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or QMessageBox.StandardButton.Cancel)
    assert not page.mark_selected_done()
    assert workspace.records.get(model.MEASURE, mid)["status"] != "done" and asked
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)
    assert page.mark_selected_done()
    assert workspace.records.get(model.MEASURE, mid)["status"] == "done"
    assert mid not in {r.measure["id"] for r in page.measure_rows}


def test_library_editor(qtbot, page, workspace):
    aid = assessments.assessments(workspace)[0]["id"]
    past = ratings.rated_risks(workspace, aid)[0]
    dialog = page.edit_library()
    qtbot.addWidget(dialog)
    dialog.set_text(past.factor_code, "ar", "نص معدل للعامل")
    dialog.set_text(past.factor_code, "en", "Edited factor text")
    _save(dialog)
    factor = {f.code: f for f in factors.library(workspace)}[past.factor_code]
    assert factor.texts["ar"] == "نص معدل للعامل" and factor.texts["en"] == "Edited factor text"
    assert factor.texts["fr"] == past.texts["fr"]
    assert ratings.rated_risks(workspace, aid)[0].texts == past.texts


def test_report_from_the_page(qtbot, page, tmp_path):
    page.tabs.setCurrentIndex(2)
    page.assessments_table.setCurrentCell(0, 0)
    path = page.report_selected(str(tmp_path / "r.pdf"), "fr")
    finish(qtbot, page.session)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert path and page.message.isVisible()


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_screenshots(qtbot, workspace, artifacts, code):
    """Page (heat map + register) and the form in each language, for a person to look at."""
    from ui.risk.form import AssessmentForm
    from ui.risk.page import Page

    demo.populate_demo(workspace, random.Random(11), TODAY, 50)
    with window_language(code):
        p = Page(Session(workspace), today=TODAY)
        qtbot.addWidget(p)
        p.resize(1000, 700)
        p.show()
        QApplication.processEvents()
        assert plain(p.tabs.tabText(0)) == gettext_in(code, "Risk register")   # without its access key
        assert p.isRightToLeft() == (code == "ar")
        if code == "ar":
            assert p.heatmap.cell_rect(1, 1).x() > p.heatmap.cell_rect(5, 1).x()
        folder = artifacts / "screenshots"
        folder.mkdir(exist_ok=True)
        assert p.grab().save(str(folder / f"risk-{code}-page.png"))
        form = AssessmentForm(workspace, assessments.assessments(workspace)[0]["id"], today=TODAY)
        qtbot.addWidget(form)
        form.show()
        QApplication.processEvents()
        assert form.context_box.title() == gettext_in(code, "Context")
        assert form.grab().save(str(folder / f"risk-{code}-form.png"))


def test_heat_map_tooltip(qtbot, page):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    pos = page.heatmap.cell_rect(5, 5).center()
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(page.heatmap.mapToGlobal(QPoint(0, 0))) + pos,
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    page.heatmap.mouseMoveEvent(event)
    assert "25" in page.heatmap.toolTip() and "5" in page.heatmap.toolTip()


def test_trend_tooltip_lists_each_visit(page, workspace):
    row = next(n for n, r in enumerate(page.register_rows) if followup.visits(workspace, r.assessment["id"]))
    risk = page.register_rows[row].risk
    tip = page.register_table.item(row, 3).toolTip()
    points = followup.trend(workspace, risk.id)
    assert len(tip.splitlines()) == len(points) >= 2
    assert tip.splitlines()[-1].endswith(points[-1].band.label())


def test_a_language_switch_writes_the_tables_and_summary_again(qtbot, page):
    """The page's words in the tables and the summary (trend, band, status, kind, "high risks") follow a
    live language switch, not only the headers: they stayed in the previous language."""
    with window_language("fr"):
        page.retranslate()   # what the main window does after i18n.set_language
        texts = {page.register_table.item(r, c).text() for r in range(page.register_table.rowCount())
                 for c in range(page.register_table.columnCount()) if page.register_table.item(r, c)}
        assert texts & {gettext_in("fr", "unchanged"), gettext_in("fr", "better"), gettext_in("fr", "worse")}
        assert not texts & {"unchanged", "better", "worse"}
        assert "high risk" not in page.summary.text() and page.summary.text()
