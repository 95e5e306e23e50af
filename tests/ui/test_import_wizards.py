"""The shared import wizard (ui/import_wizard.py) driven offscreen on small files: partners and their
agreements from the partners page, the year's allegation counts from the letter page. Screenshots of
the preview go to artifacts/screenshots/import-<what>-<ll>.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.letter import allegation_import, allegations
from desktop.partners import importing, model
from tests.ui.conftest import finish, window_language
from ui.import_wizard import ImportWizard

pytestmark = pytest.mark.usefixtures("qapp", "back_to_english")


@pytest.fixture
def session(fonted_session):  # noqa: ANN001, ANN201
    return fonted_session


@pytest.fixture
def partners_page(session, qtbot):
    from ui.partners.page import Page

    page = Page(session)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    finish(qtbot, session)
    return page




def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _wizard(qtbot, session, steps, path: Path, parent) -> ImportWizard:
    wizard = ImportWizard(session, steps, str(path), parent)
    qtbot.addWidget(wizard)
    wizard.show()
    finish(qtbot, session)
    return wizard


def _plain(button) -> str:
    """A button's text without its access-key marker."""
    return button.text().replace("&", "")


def _shot(widget, artifacts: Path, name: str) -> None:
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / f"{name}.png"))


def test_partners_through_the_wizard(qtbot, session, partners_page, tmp_path, artifacts):
    path = _csv(tmp_path / "partenaires.csv", [
        ["Nom du partenaire", "Type de partenaire", "Référence de l'accord", "Date de début", "Clauses EAS", "Remarque"],
        ["Association Espoir", "ONG nationale", "PCA-01", "03/04/2026", "oui", "x"],
        ["Global Relief", "ONG internationale", "PCA-02", "04/03/2026", "non", ""],
    ])
    wizard = _wizard(qtbot, session, importing.STEPS, path, partners_page)
    assert wizard.windowTitle() == "Import partners and agreements"
    assert wizard.combos["name"].currentData() == 0 and wizard.combos["sea_clause"].currentData() == 4
    assert wizard.combos["country"].currentData() is None
    assert "Remarque" in wizard.unused.text()
    assert wizard.day_first.isVisible()               # 03/04/2026: the user says which order
    wizard._next()
    assert wizard.pages.currentIndex() == 0 and wizard.message.isVisible()
    wizard.day_first.setChecked(True)
    wizard._next()
    finish(qtbot, session)
    assert wizard.pages.currentIndex() == 1 and _plain(wizard.next_button) == "Import"
    assert "2 partners added" in wizard.report_intro.text() and "Remarque" in wizard.report_intro.text()
    _shot(wizard, artifacts, "import-partners-en")
    assert model.list_partners(session.ws) == []      # nothing written before Import
    wizard._next()
    finish(qtbot, session)
    assert wizard.imported and "2 partners added" in wizard.result_text
    # the page refreshes itself from the import's change events
    qtbot.waitUntil(lambda: sorted(r.partner["name"] for r in partners_page.rows)
                    == ["Association Espoir", "Global Relief"], timeout=10_000)
    espoir = next(p for p in model.list_partners(session.ws) if p["name"] == "Association Espoir")
    assert [(a["start_on"], a["sea_clause"]) for a in model.agreements(session.ws, espoir["id"])] == [("2026-04-03", 1)]


def test_a_malformed_file_is_reported_row_by_row(qtbot, session, partners_page, tmp_path):
    path = _csv(tmp_path / "bad.csv", [["Partner name", "Partner type"], ["Good", "Other"], ["", "Other"],
                                       ["Odd", "Bogus"]])
    wizard = _wizard(qtbot, session, importing.STEPS, path, partners_page)
    wizard._next()
    finish(qtbot, session)
    assert wizard.report.rowCount() == 2
    assert [wizard.report.item(r, 0).text() for r in range(2)] == ["3", "4"]
    assert "Bogus" in wizard.report.item(1, 1).text()
    assert _plain(wizard.next_button) == "Back to the columns" and not wizard.imported
    assert model.list_partners(session.ws) == []
    wizard._next()
    assert wizard.pages.currentIndex() == 0


@pytest.mark.parametrize("code", ["ar", "zh"])
def test_the_wizard_in_other_languages(qtbot, session, partners_page, tmp_path, artifacts, code):
    headers = {"ar": ["اسم الشريك", "نوع الشريك", "رقم الاتفاق", "بنود الاستغلال والانتهاك الجنسيين"],
               "zh": ["合作伙伴名称", "伙伴类型", "协议编号", "性剥削和性虐待条款"]}[code]
    values = {"ar": ["جمعية النور", "منظمة غير حكومية وطنية", "PCA-7", "نعم"],
              "zh": ["希望基金会", "国家非政府组织", "PCA-7", "是"]}[code]
    path = _csv(tmp_path / f"{code}.csv", [headers, values])
    with window_language(code):
        wizard = _wizard(qtbot, session, importing.STEPS, path, partners_page)
        assert wizard.combos["name"].currentData() == 0 and wizard.combos["sea_clause"].currentData() == 3
        _shot(wizard, artifacts, f"import-partners-{code}")
        wizard._next()
        finish(qtbot, session)
        assert wizard.pages.currentIndex() == 1 and not wizard.plan.problems
        wizard._next()
        finish(qtbot, session)
        assert wizard.imported
    assert [p["name"] for p in model.list_partners(session.ws)] == [values[0]]


def _driven(qtbot):
    """ui.import_wizard.run_wizard as a user would go through it: check the file, then Import."""
    def run(page, session, steps, path):
        wizard = _wizard(qtbot, session, steps, Path(path), page)
        wizard._next()
        finish(qtbot, session)
        wizard._next()
        finish(qtbot, session)
        return wizard
    return run


def test_the_pages_import_buttons(qtbot, session, partners_page, tmp_path, monkeypatch):
    from ui import import_wizard
    from ui.letter.page import Page as LetterPage

    partners = _csv(tmp_path / "p.csv", [["Partner name", "Agreement reference"], ["Espoir", "PCA-1"]])
    monkeypatch.setattr(import_wizard, "choose_file", lambda parent, steps: str(partners))
    monkeypatch.setattr(import_wizard, "run_wizard", _driven(qtbot))
    assert _plain(partners_page.import_button) == "Import from a spreadsheet…"
    partners_page.import_button.click()
    assert "1 partners added" in partners_page.note.text()
    qtbot.waitUntil(lambda: [r.partner["name"] for r in partners_page.rows] == ["Espoir"], timeout=10_000)

    letter = LetterPage(session)
    qtbot.addWidget(letter)
    letter.resize(1280, 820)
    letter.year.setValue(2026)
    letter.show()
    finish(qtbot, session)
    counts = _csv(tmp_path / "c.csv", [["Category", "Status", "Referred to", "Number"],
                                       ["Staff", "Under investigation", "OIOS", "3"]])
    monkeypatch.setattr(import_wizard, "choose_file", lambda parent, steps: str(counts))
    letter.import_counts.click()
    assert "for 2026" in letter.message.text()
    assert allegations.summary(session.ws, 2026).total == 3
    qtbot.waitUntil(lambda: letter.alleg_table.rowCount() == 1, timeout=30_000)
    finish(qtbot, session)
    assert "3" in letter.alleg_summary.text()
    assert allegation_import.steps(2026).title == "Import allegation counts"
