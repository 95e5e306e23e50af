"""The partners page and the assessment form, through the real widgets in an offscreen QApplication.

Screenshots of the list and the form in the six languages go to artifacts/screenshots/partners-<ll>-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import i18n
from desktop.partners import assessments as A
from desktop.partners import attachments as T
from desktop.partners import demo, model
from i18n import qt as i18n_qt
from ui.access_keys import plain
from ui.partners.page import Page

pytestmark = pytest.mark.usefixtures("qapp", "back_to_english")


@pytest.fixture
def session(fonted_session):  # noqa: ANN001, ANN201
    return fonted_session


@pytest.fixture
def page(session, qtbot):
    page = Page(session)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _set_language(code: str) -> None:
    i18n.set_language(code)
    i18n_qt.apply_language(code)




def test_fill_in_the_assessment_form(session, page, qtbot, tmp_path, monkeypatch):
    ws = session.ws
    partner = model.add_partner(ws, "جمعية النور الخيرية", partner_type="community_based")
    page.refresh()
    page.select_partner(partner["id"])
    assert page.new_assessment.isEnabled()
    a = A.start(ws, partner["id"], "unicef_2020")
    page.open_form(a["id"])
    form = page.form
    assert page.stack.currentWidget() is form
    assert len(form.blocks) == 6
    assert "0 of 6" in form.result.text()

    # Rate five standards "Absent", tick evidence, write notes with non-ASCII through setText.
    for block in form.blocks[:5]:
        qtbot.mouseClick(block.rating_buttons[1], Qt.MouseButton.LeftButton)
    assert "5 of 6" in form.result.text()
    policy = form.blocks[0]
    policy.evidence["psea_policy"].click()
    policy.evidence["other"].setChecked(True)
    assert policy.other.isEnabled()
    policy.notes.setPlainText("Политика не переведена на местный язык")
    # "Other" ticked without a description: refused, nothing written.
    assert not form.save()
    assert "describe" in form.error.text()
    assert A.answers(ws, a["id"])["policy"]["rating"] is None
    policy.other.setText("Procès-verbal du conseil, 2025")
    qtbot.mouseClick(form.blocks[5].rating_buttons[2], Qt.MouseButton.LeftButton)
    assert form.result.text() == "Result: Low capacity (High risk), total 7 of 18"
    assert form.signoff_box.isVisibleTo(form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = A.answers(ws, a["id"])
    assert saved["policy"]["rating"] == 1 and json.loads(saved["policy"]["evidence"]) == ["other", "psea_policy"]
    assert saved["policy"]["other_evidence"] == "Procès-verbal du conseil, 2025"
    assert saved["policy"]["notes"] == "Политика не переведена на местный язык"
    assert A.get(ws, a["id"])["band"] == "low"

    # Attach a file to a standard, then refuse an oversize one with the message.
    doc = tmp_path / "referral-form.txt"
    doc.write_text("referral form", encoding="utf-8")
    assert form.attach_path(form.blocks[5], doc)
    assert "referral-form.txt" in form.blocks[5].files.text()
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"0" * (T.MAX_BYTES + 10))
    assert not form.attach_path(form.blocks[5], big)
    assert "limited to 10 MB" in form.error.text()
    assert len(T.list_for(ws, a["id"])) == 1
    # The attached file comes back out: the menu lists it; a copy is written byte for byte.
    [attached] = T.list_for(ws, a["id"])
    menu = [plain(action.text()) for action in form.blocks[5].files_menu.actions() if action.text()]
    assert menu == ["Save a copy of referral-form.txt…", "Remove referral-form.txt"]
    assert form.save_attachment(attached, tmp_path / "copy.txt")
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8") == "referral form"
    assert not form.blocks[0].files_button.isEnabled()          # nothing attached to that standard
    # Removing asks first; "No" keeps it, "Yes" removes it (the bytes stay for the history).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not form.remove_attachment(form.blocks[5], attached) and len(T.list_for(ws, a["id"])) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert form.remove_attachment(form.blocks[5], attached) and T.list_for(ws, a["id"]) == []
    assert "No file attached" in form.blocks[5].files.text()
    assert form.attach_path(form.blocks[5], doc)                 # attach it again for what follows

    # Steps: the final determination of a high-risk result waits for the head of office's sign-off.
    form.steps[0].by.setText("Amina Odhiambo")
    assert form.record_step(1)
    form.steps[4].by.setText("Amina Odhiambo")
    assert not form.record_step(5)
    assert "head of office" in form.error.text()
    form.signoff_note.setPlainText("Partnership continues with a plan; monthly monitoring.")
    form.signoff_by.setText("Grace Wanjiru")
    # The sign-off and the final determination cannot be undone: each asks, and Cancel records nothing.
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer[0])
    assert not form.record_signoff() and not A.get(ws, a["id"])["signoff_by"]
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(form.signoff_button, Qt.MouseButton.LeftButton)
    answer[0] = QMessageBox.StandardButton.Cancel
    assert not form.record_step(5) and not A.get(ws, a["id"])["step5_on"]
    answer[0] = QMessageBox.StandardButton.Yes
    assert form.record_step(5)
    assert not form.save_button.isEnabled() and not form.blocks[0].rating_buttons[3].isEnabled()
    qtbot.mouseClick(form.back_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 0
    [row] = page.visible_rows()
    assert row.band == "low" and row.validity == "valid"


def test_filters_and_plan(session, page):
    today = dt.date.today()
    demo.populate_demo(session.ws, random.Random(3), today, 10)
    page.refresh()
    assert page.tree.row_count() == 12
    page.rating_filter.setCurrentIndex(page.rating_filter.findData("low"))
    assert {r.band for r in page.visible_rows()} == {"low"}
    assert page.tree.row_count() == len(page.visible_rows()) >= 1
    page.rating_filter.setCurrentIndex(page.rating_filter.findData("none"))
    assert all(r.validity not in ("valid", "expiring") for r in page.visible_rows())
    page.rating_filter.setCurrentIndex(0)
    page.validity_filter.setCurrentIndex(page.validity_filter.findData("overdue"))
    rows = page.visible_rows()
    assert rows and all(r.actions_overdue for r in rows)
    page.validity_filter.setCurrentIndex(0)
    page.search.setText("中国")
    assert [r.partner["name"] for r in page.visible_rows()] == ["中国扶贫基金会"]
    page.tree.select_row(0)
    assert page.tree.text(0, 0) == "中国扶贫基金会"
    assert page.plan.tree.row_count() == len(model.actions(session.ws, page.visible_rows()[0].partner["id"])) > 0


def _screens(session, page, qtbot, code, artifacts):
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    _set_language(code)
    page.retranslate()  # what the shell does on a language switch: no refresh
    statuses = {page.plan.tree.text(n, 5).split(",")[0].split("，")[0].split("،")[0]
                for n in range(page.plan.tree.row_count())}
    assert statuses and statuses <= {i18n.gettext_in(code, s) for s in model.ACTION_STATUSES.values()}, statuses
    QApplication.processEvents()
    page.grab().save(str(folder / f"partners-{code}-list.png"))
    target = next(r for r in page.rows if r.partner["acronym"] == "NOUR")
    page.open_form(target.final_id)
    QApplication.processEvents()
    page.grab().save(str(folder / f"partners-{code}-form.png"))
    page.form.scroll.verticalScrollBar().setValue(page.form.scroll.verticalScrollBar().maximum())
    QApplication.processEvents()
    page.grab().save(str(folder / f"partners-{code}-form-steps.png"))
    draft = next(r for r in page.rows if r.partner["acronym"] == "FEC")
    page.open_form(draft.assessment_id)
    QApplication.processEvents()
    page.grab().save(str(folder / f"partners-{code}-form-draft.png"))
    page.show_list()
    return folder


def test_screenshots_in_six_languages(session, page, qtbot, artifacts):
    demo.populate_demo(session.ws, random.Random(2026), dt.date.today(), 10)
    page.refresh()
    for code in i18n.LANGUAGE_CODES:
        folder = _screens(session, page, qtbot, code, artifacts)
        assert (folder / f"partners-{code}-list.png").stat().st_size > 10_000
        assert page.layoutDirection() == (Qt.LayoutDirection.RightToLeft if code == "ar" else Qt.LayoutDirection.LeftToRight)
    _set_language("en")


def test_report_from_the_form_and_dialogs(session, page, tmp_path, qtbot):
    from ui.partners.dialogs import NewAssessmentDialog, PartnerDialog
    from ui.partners.report import save_report

    dialog = PartnerDialog(session, parent=page)
    dialog.name.setText("   ")
    dialog._ok()
    assert "needs a name" in dialog.error.text() and model.list_partners(session.ws) == []
    dialog.name.setText("Благодійний фонд «Надія»")
    dialog._ok()
    [partner] = model.list_partners(session.ws)
    new = NewAssessmentDialog(session, partner, parent=page)
    new.ruleset.setCurrentIndex(new.ruleset.findData("unicef_2020"))
    new._ok()
    page.open_form(new.result_record["id"])
    out = save_report(page.form, session.ws, new.result_record["id"], tmp_path / "r.pdf")
    assert out.read_bytes().startswith(b"%PDF")


def test_agreements_dialog(session, page):
    from ui.partners.dialogs import AgreementsDialog

    partner = model.add_partner(session.ws, "中国扶贫基金会")
    dialog = AgreementsDialog(session, partner, page)
    assert not dialog.add() and "reference" in dialog.error.text()
    dialog.reference.setText("PCA/2026/07")
    dialog.start.setDate(dialog.end.date().addDays(1))
    assert not dialog.add() and "cannot end before" in dialog.error.text()
    dialog.start.setDate(dialog.end.date().addDays(-100))
    assert dialog.add()
    assert [a["reference"] for a in model.agreements(session.ws, partner["id"])] == ["PCA/2026/07"]
    assert dialog.tree.topLevelItemCount() == 1


def test_refresh_cost_does_not_grow_with_rows(session, page):
    """PySide6 6.12 on Python 3.11 loses a reference to None in each void call; the list must not make
    such calls per row (a few hundred partners would otherwise bring the interpreter down)."""
    import sys

    demo.populate_demo(session.ws, random.Random(5), dt.date.today(), 10)
    for n in range(150):
        model.add_partner(session.ws, f"Partner {n:03d}")
    import gc

    page.refresh()
    page.rating_filter.setCurrentIndex(page.rating_filter.findData("none"))
    page.search.setText("Partner")
    gc.collect()
    gc.disable()  # garbage of earlier tests freed in the window would blur the count
    try:
        before = sys.getrefcount(None)
        page.refresh()
        page.search.setText("Partner 1")
        page.search.setText("Partner")
        lost = before - sys.getrefcount(None)
    finally:
        gc.enable()
    assert page.tree.row_count() == 150
    assert lost < 60, lost


def test_result_from_another_agency_through_the_form(session, page, monkeypatch):
    from ui.partners.dialogs import NewAssessmentDialog

    partner = model.add_partner(session.ws, "Action contre la Faim", partner_type="international_ngo")
    dialog = NewAssessmentDialog(session, partner, parent=page)
    dialog.agency.setText("UNICEF")
    dialog._ok()
    page.open_form(dialog.result_record["id"])
    form = page.form
    assert form.external_row.isVisibleTo(form)
    assert "UNICEF" in form.subtitle.text() and "UNICEF" in form.external_label.text()
    form.external.setCurrentIndex(form.external.findData("full"))
    assert form.record_external()
    assert form.result.text() == "Result: Full capacity (Low risk)"
    form.steps[4].by.setText("UNICEF Kenya")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)   # the confirmation
    assert form.record_step(5)
    page.show_list()
    [row] = page.visible_rows()
    assert row.band == "full" and row.source_agency == "UNICEF"
    assert page.tree.text(0, 3) == "Full capacity (Low risk), by UNICEF"


def test_coordinator_edits_bands_and_old_results_stay(session, page):
    from desktop.partners import rulesets
    from ui.partners.dialogs import RuleSetDialog

    ws = session.ws
    partner = model.add_partner(ws, "AFK")
    a = A.start(ws, partner["id"], "un_harmonized")
    for std in A.ruleset_of(a)["standards"]:
        A.answer(ws, a["id"], std["key"], rating=1)
    A.answer(ws, a["id"], "training", rating=0)  # 7: medium
    dialog = RuleSetDialog(session, page)
    dialog.choice.setCurrentIndex(dialog.choice.findData("un_harmonized"))
    assert dialog.note.isVisibleTo(dialog)  # the harmonized bands are marked unconfirmed
    (low_min, low_max), (med_min, med_max), _full = dialog.band_edits
    low_max.setValue(7)
    dialog._save()
    assert "overlap" in dialog.error.text() and rulesets.current(ws, "un_harmonized")["version"] == 1
    med_min.setValue(8)
    med_max.setValue(7)
    dialog._save()
    assert "lowest total is above its highest" in dialog.error.text()
    med_max.setValue(8)
    _full[0].setValue(9)
    _full[1].setValue(9)
    dialog._save()
    assert "outside the possible totals from 0 to 8" in dialog.error.text()
    assert rulesets.current(ws, "un_harmonized")["version"] == 1
    # ≤ 6 low, 7 medium, 8 full
    low_max.setValue(6)
    med_min.setValue(7)
    med_max.setValue(7)
    _full[0].setValue(8)
    _full[1].setValue(8)
    dialog.validity.setValue(3)
    dialog.warning.setValue(2)
    dialog._save()
    assert dialog.saved and dialog.saved["version"] == 2
    assert A.result(A.get(ws, a["id"])).key == "medium"  # kept with its own copy
    b = A.start(ws, partner["id"], "un_harmonized")
    for std in A.ruleset_of(b)["standards"]:
        A.answer(ws, b["id"], std["key"], rating=1)
    A.answer(ws, b["id"], "training", rating=0)
    A.answer(ws, b["id"], "policy", rating=0)  # 6: low under version 2
    assert A.result(A.get(ws, b["id"])).key == "low"
