"""The management-letter page through real widgets (offscreen): allegations entry, the letter
editor, preview, signing and verification. Screenshots: artifacts/screenshots/letter-<ll>-<tab>.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import i18n
from desktop.demo import create_demo_workspace
from desktop.letter import allegations, model
from desktop.session import Session
from desktop.signing import identity as identities
from i18n import qt as i18n_qt
from tests.conftest import end_operations
from tests.ui.conftest import finish
from ui.letter.page import Page

pytestmark = pytest.mark.usefixtures("qapp", "back_to_english")


@pytest.fixture
def session(tmp_path: Path):
    i18n_qt.load_fonts()
    i18n_qt.apply_fallback_fonts()
    ws = create_demo_workspace(tmp_path / "demo.pdesk", "correct horse battery staple", people=200,
                               today=dt.date(2026, 11, 20))
    s = Session(ws)
    yield s
    end_operations()
    s.lock()


@pytest.fixture
def page(session, qtbot):
    page = Page(session)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.year.setValue(2026)
    page.show()
    finish(qtbot, session)
    return page




def test_allegation_entry(qtbot, page, session) -> None:
    before = allegations.summary(session.ws, 2026).total
    page.category.setCurrentIndex(allegations.CATEGORIES.index("related_personnel"))
    page.status.setCurrentIndex(allegations.STATUSES.index("under_investigation"))
    page.body.setCurrentIndex(allegations.BODIES.index("national_authorities"))
    page.count.setValue(4)
    page.save_count.click()
    finish(qtbot, session)
    assert allegations.summary(session.ws, 2026).total == before + 4
    assert str(before + 4) in page.alleg_summary.text()
    assert page.alleg_table.rowCount() >= 1


def _select_statement(page, key: str) -> None:
    for row in range(page.sections.count()):
        if page.sections.item(row).data(0x0100) == key:   # Qt.UserRole
            page.sections.setCurrentRow(row)
            return
    raise AssertionError(key)


def _attestation_row(page, key: str):
    return next(page.attest_list.item(r) for r in range(page.attest_list.count())
                if page.attest_list.item(r).data(0x0100) == key)


def test_edit_preview_sign_verify(qtbot, page, session, tmp_path: Path, artifacts: Path) -> None:
    from PySide6.QtCore import Qt

    _select_statement(page, "engagement")
    page.section_text.setPlainText("Edited text with <b>tags</b> for {who}.")
    assert "Kenya Country Office" in page.filled.text() and "{who}" not in page.filled.text()  # as it will print
    assert page.save()
    letter = model.current(session.ws, 2026, "en")
    assert model.sections_of(letter) == {"engagement": "Edited text with <b>tags</b> for {who}."}
    # The demo leaves one attestation unconfirmed: the gate lists it and signing is not offered.
    assert not page.sign_button.isEnabled()
    assert any("Not yet confirmed" in page.gate_list.item(r).text() for r in range(page.gate_list.count()))
    _attestation_row(page, "outreach").setCheckState(Qt.CheckState.Checked)
    assert page.sign_button.isEnabled() and page.problems == []
    assert "Confirmed by Amina Odhiambo" in _attestation_row(page, "outreach").toolTip()
    # A bad date is refused with a message and changes nothing.
    page.period_start.setText("31/12/2026")
    assert not page.save()
    assert page.message.isVisible() and "YYYY-MM-DD" in page.message.text()
    assert model.current(session.ws, 2026, "en")["rev"] == letter["rev"]
    page.period_start.setText("2026-01-01")

    preview = tmp_path / "preview.pdf"
    assert page.preview_to(preview)
    finish(qtbot, session)
    assert preview.read_bytes().startswith(b"%PDF")
    ident = identities.create_workspace_identity(session.ws, "Amina Odhiambo", "Head of Office")
    signed = tmp_path / "signed.pdf"
    assert page.sign_to(signed, ident)
    finish(qtbot, session)
    assert not page.sign_button.isEnabled() and "signed" in page.state_label.text()
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.tabs.setCurrentIndex(1)
    page.grab().save(str(shots / "letter-en-editor.png"))

    assert page.verify_file(signed)
    finish(qtbot, session)
    result = page.last_verification
    assert result.ok and result.trusted
    assert "Intact" in page.verify_result.toPlainText()
    data = bytearray(signed.read_bytes())
    data[data.index(b"PSEA Desk")] ^= 0x01
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    assert page.verify_file(broken)
    finish(qtbot, session)
    assert not page.last_verification.ok
    assert "Altered" in page.verify_result.toPlainText()
    page.tabs.setCurrentIndex(2)
    page.grab().save(str(shots / "letter-en-verify.png"))

    # The signed version stays listed and retrievable after the draft moves on, and the page says what
    # the draft changed since.
    page.tabs.setCurrentIndex(1)
    assert page.signed_versions.count() == 1 and "Amina Odhiambo" in page.signed_versions.currentText()
    _select_statement(page, "engagement")
    page.section_text.setPlainText("A second wording for {who}.")
    assert page.save()
    assert page.letter["status"] != model.SIGNED and page.signed_versions.count() == 1
    assert "1 text changed" in page.changed_since.text()
    kept = tmp_path / "version-1.pdf"
    from unittest import mock
    with mock.patch("ui.letter.page.QFileDialog.getSaveFileName", return_value=(str(kept), "")):
        page._ask_export_signed()
    assert kept.read_bytes() == signed.read_bytes()                       # the very bytes that were signed
    assert page.show_selected_signed()
    finish(qtbot, session)
    assert len(page.preview_window.page_labels) >= 2
    page.preview_window.close()


@pytest.mark.parametrize("code", ["ar", "zh", "ru"])
def test_screens_in_other_languages(qtbot, page, session, code: str, artifacts: Path) -> None:
    i18n.set_language(code)
    i18n_qt.apply_language(code)
    page.language.setCurrentIndex(i18n.LANGUAGE_CODES.index(code))
    page.retranslate()
    finish(qtbot, session)
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(("allegations", "editor")):
        page.tabs.setCurrentIndex(n)
        page.grab().save(str(shots / f"letter-{code}-{name}.png"))
    assert page.letter["language"] == code
    assert page.figures.rowCount() >= 5


def test_browsing_years_and_languages_writes_nothing(qtbot, page, session) -> None:
    count = lambda: session.ws.connection.execute("SELECT COUNT(*) FROM letter").fetchone()[0]  # noqa: E731
    before = count()
    page.year.setValue(2015)
    finish(qtbot, session)
    page.language.setCurrentIndex(i18n.LANGUAGE_CODES.index("fr"))
    finish(qtbot, session)
    assert page.figures.rowCount() >= 5 and count() == before
    page.period_end.setText("2015-06-30")
    assert page.save() and count() == before + 1
    assert model.current(session.ws, 2015, "fr")["period_end"] == "2015-06-30"


def test_switching_year_keeps_the_letters_unsaved_edits(qtbot, page, session) -> None:
    """Edits of the letter shown are not dropped by a switch of year (or language): kept as a draft, shown
    again when the letter is opened again, and dropped once saved."""
    from desktop import drafts

    page.period_end.setText("2026-06-30")
    page.sections.setCurrentRow(1)
    page.section_text.setPlainText("Texte révisé par le bureau — 2026")
    key = page.sections.currentItem().data(Qt.ItemDataRole.UserRole)
    assert page.unsaved_changes() is not None
    page.year.setValue(2025)
    finish(qtbot, session)
    assert page.period_end.text() != "2026-06-30"
    page.year.setValue(2026)
    finish(qtbot, session)
    assert page.period_end.text() == "2026-06-30" and page._section_texts[key] == "Texte révisé par le bureau — 2026"
    assert page.message.isVisibleTo(page)
    assert page.save()
    assert drafts.find(session.ws, page.DRAFT_FORM, page.letter["id"]) is None
    assert model.current(session.ws, 2026, page.letter_language)["period_end"] == "2026-06-30"


@pytest.mark.parametrize("code", ["en", "ar"])
def test_the_preview_shows_the_pages_in_the_window(qtbot, page, session, tmp_path: Path, code: str) -> None:
    """Preview: the letter's pages rendered inside the window (no file written, no viewer needed), each
    page a picture with a name; a copy of the PDF is written only when asked."""
    page.language.setCurrentIndex(i18n.LANGUAGE_CODES.index(code))
    finish(qtbot, session)
    before = set(tmp_path.iterdir())
    assert page.show_preview()
    finish(qtbot, session)
    window = page.preview_window   # a child of the page: goes with it
    assert window.isVisible() and not window.isModal() and len(window.page_labels) >= 2
    pixmap = window.page_labels[0].pixmap()
    assert pixmap.width() > 600 and pixmap.height() > pixmap.width()          # an A4 page, upright
    image = pixmap.toImage()
    dark = sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 200                                                        # text was drawn
    assert set(tmp_path.iterdir()) == before
    target = tmp_path / "preview.pdf"
    assert window.save_to(target) and target.read_bytes().startswith(b"%PDF")
    window.close()


def test_names_and_settings_dialog(qtbot, page, session) -> None:
    from desktop.letter import settings
    from ui.letter.page import SettingsDialog

    dialog = SettingsDialog(session.ws, page)
    row = list(settings.PER_LANGUAGE).index("title")
    column = i18n.LANGUAGE_CODES.index("ar")
    assert dialog.table.item(row, column).text() == "رئيسة المكتب"
    dialog.table.item(row, column).setText("")
    dialog.save()
    assert settings.load(session.ws).get("title", "ar") == ""
    page.language.setCurrentIndex(i18n.LANGUAGE_CODES.index("ar"))
    finish(qtbot, session)
    texts = [page.gate_list.item(r).text() for r in range(page.gate_list.count())]
    assert any("Signer's title" in t and "Arabic" in t for t in texts)
