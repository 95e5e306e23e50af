"""Partners and their agreements imported from a spreadsheet (desktop/partners/importing.py), on real
workspaces: headers and values in the six languages, CSV and XLSX, a row-level report that changes
nothing, existing partners recognised by name, and the same file twice writing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.partners import importing, model
from desktop.spreadsheet.problems import ImportCancelled

# Headers and values as an office would write them, one language per file.
SHEETS = {
    "en": (["Partner name", "Acronym", "Partner type", "Country", "Agreement reference", "Start date", "End date",
            "SEA clauses"], ("National NGO", "International NGO"), ("yes", "no")),
    "fr": (["Nom du partenaire", "Sigle", "Type de partenaire", "Pays", "Référence de l'accord", "Date de début",
            "Date de fin", "Clauses EAS"], ("ONG nationale", "ONG internationale"), ("oui", "non")),
    "es": (["Nombre del socio", "Sigla", "Tipo de socio", "País", "Referencia del acuerdo", "Fecha de inicio",
            "Fecha de fin", "Cláusulas EAS"], ("ONG nacional", "ONG internacional"), ("sí", "no")),
    "ru": (["Название партнера", "Аббревиатура", "Тип партнера", "Страна", "Номер соглашения", "Дата начала",
            "Дата окончания", "Положения о СЭСН"], ("Национальная НПО", "Международная НПО"), ("да", "нет")),
    "zh": (["合作伙伴名称", "缩写", "伙伴类型", "国家", "协议编号", "开始日期", "结束日期", "性剥削和性虐待条款"],
           ("国家非政府组织", "国际非政府组织"), ("是", "否")),
    "ar": (["اسم الشريك", "الاختصار", "نوع الشريك", "البلد", "رقم الاتفاق", "تاريخ البدء", "تاريخ الانتهاء",
            "بنود الاستغلال والانتهاك الجنسيين"], ("منظمة غير حكومية وطنية", "منظمة غير حكومية دولية"), ("نعم", "لا")),
}
EXPECTED_MAPPING = {"name": 0, "acronym": 1, "partner_type": 2, "country": 3, "agreement_reference": 4,
                    "start_on": 5, "end_on": 6, "sea_clause": 7}


def _csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _state(ws) -> tuple:
    """Everything an import could touch: the partner and agreement rows and the audit chain's length."""
    partners = ws.connection.execute("SELECT id, rev FROM partner ORDER BY id").fetchall()
    agreements = ws.connection.execute("SELECT id, rev FROM partner_agreement ORDER BY id").fetchall()
    audit = ws.connection.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    return partners, agreements, audit


def _by_name(ws) -> dict[str, dict]:
    return {p["name"]: p for p in model.list_partners(ws)}


@pytest.mark.parametrize("code", sorted(SHEETS))
def test_headers_and_values_in_each_language(workspace, tmp_path, code):
    headers, (national, international), (yes, no) = SHEETS[code]
    path = _csv(tmp_path / f"partners-{code}.csv", [
        headers,
        ["Association Espoir", "AE", national, "Kenya", "PCA-2026-001", "2026-01-15", "2026-12-31", yes],
        ["Association Espoir", "", "", "", "PCA-2026-002", "2026-03-01", "2027-02-28", no],
        ["Global Relief", "GR", international, "Kenya", "", "", "", ""],
    ])
    analysis = importing.analyse(path)
    assert analysis.mapping == EXPECTED_MAPPING, code
    result = importing.import_file(workspace, path)
    assert result.status == "done", (code, result.summary(), result.problems)
    assert result.counts == {"added": 2, "updated": 0, "unchanged": 0, "agreements_added": 2,
                             "agreements_updated": 0, "agreements_unchanged": 0}
    partners = _by_name(workspace)
    espoir, relief = partners["Association Espoir"], partners["Global Relief"]
    assert (espoir["partner_type"], espoir["acronym"], espoir["country"]) == ("national_ngo", "AE", "Kenya")
    assert relief["partner_type"] == "international_ngo"
    got = {a["reference"]: (a["start_on"], a["end_on"], a["sea_clause"])
           for a in model.agreements(workspace, espoir["id"])}
    assert got == {"PCA-2026-001": ("2026-01-15", "2026-12-31", 1), "PCA-2026-002": ("2026-03-01", "2027-02-28", 0)}
    assert model.agreements(workspace, relief["id"]) == []


def test_a_workbook_with_date_cells_and_numbers(workspace, tmp_path):
    """XLSX: dates as date cells, a yes/no as TRUE/FALSE or 1/0, a registration number stored as a number."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Implementing partner", "Type", "Registration number", "Contact with beneficiaries",
                  "PCA number", "Start", "End", "SEA clause"])
    sheet.append(["Mama Care", "CBO", 123456, False, "KEN/PCA/2026/7", dt.datetime(2026, 2, 1), dt.date(2026, 11, 30), True])
    sheet.append(["Water for All", "Private sector", "", 1, "KEN/PCA/2026/8", dt.datetime(2026, 5, 1), "", 0])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    result = importing.import_file(workspace, path)
    assert result.status == "done", result.problems
    partners = _by_name(workspace)
    care = partners["Mama Care"]
    assert (care["partner_type"], care["registration_id"], care["beneficiary_contact"]) == ("community_based", "123456", 0)
    assert partners["Water for All"]["beneficiary_contact"] == 1
    [agreement] = model.agreements(workspace, care["id"])
    assert (agreement["start_on"], agreement["end_on"], agreement["sea_clause"]) == ("2026-02-01", "2026-11-30", 1)
    [water] = model.agreements(workspace, partners["Water for All"]["id"])
    assert (water["end_on"], water["sea_clause"]) == (None, 0)


def test_a_malformed_file_gives_a_row_level_report_and_changes_nothing(workspace, tmp_path):
    model.add_partner(workspace, "Already Here", partner_type="government")
    before = _state(workspace)
    path = _csv(tmp_path / "bad.csv", [
        ["Partner name", "Partner type", "Agreement reference", "Start date", "End date", "SEA clauses"],
        ["Good One", "National NGO", "A-1", "2026-01-01", "2026-12-31", "yes"],      # 2: fine
        ["", "National NGO", "A-2", "", "", ""],                                       # 3: no name
        ["Bad Type", "Cooperative of sorts", "", "", "", ""],                          # 4: unknown type
        ["Bad Date", "Other", "A-3", "31/02/2026", "", ""],                            # 5: no such day
        ["Good One", "National NGO", "A-1", "2026-01-01", "2026-12-31", "yes"],      # 6: duplicate of 2
        ["Backwards", "Other", "A-4", "2026-06-01", "2026-01-01", ""],               # 7: ends before it starts
        ["Maybe", "Other", "A-5", "", "", "perhaps"],                                  # 8: not yes/no
        ["No Reference", "Other", "", "2026-01-01", "", ""],                           # 9: agreement without reference
        ["Good One", "International NGO", "A-9", "", "", ""],                          # 10: another type than row 2
    ])
    result = importing.import_file(workspace, path)
    assert result.status == "invalid"
    rows = {p.row: p.reason for p in result.problems}
    assert sorted(rows) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "name is empty" in rows[3]
    assert "Cooperative of sorts" in rows[4]
    assert "Agreement start" in rows[5]
    assert "row 2" in rows[6] and "row 2" in rows[10]
    assert "end before it starts" in rows[7]
    assert "perhaps" in rows[8]
    assert "needs a reference" in rows[9]
    assert result.summary() == "8 rows cannot be imported; nothing was imported."
    assert _state(workspace) == before


def test_a_file_that_is_not_a_register_is_refused_as_a_whole(workspace, tmp_path):
    before = _state(workspace)
    no_name = _csv(tmp_path / "no-name.csv", [["Partner type", "Country"], ["Other", "Kenya"]])
    result = importing.import_file(workspace, no_name)
    assert result.status == "refused" and "Partner name" in result.summary()
    not_headers = _csv(tmp_path / "numbers.csv", [["1", "2"], ["3", "4"]])
    assert importing.import_file(workspace, not_headers).status == "refused"
    assert _state(workspace) == before


def test_existing_partners_are_recognised_by_name_and_updated_from_the_file(workspace, tmp_path):
    espoir = model.add_partner(workspace, "Association ESPOIR", acronym="AE", partner_type="other", country="Kenya")
    model.add_agreement(workspace, espoir["id"], "PCA-1", "Water", "2026-01-01", "2026-12-31", sea_clause=None)
    path = _csv(tmp_path / "update.csv", [
        ["Partner name", "Partner type", "Acronym", "Agreement reference", "Agreement title", "End date", "SEA clauses"],
        ["association espoir", "National NGO", "", "pca 1", "", "2027-06-30", "yes"],
        ["Association Espoir", "", "", "PCA-2", "Shelter", "", ""],
    ])
    checked = importing.import_file(workspace, path, dry_run=True)
    assert checked.status == "checked"
    said = "\n".join(checked.details())
    assert "1 updated" in said and "recognised by their name" in said and "Association ESPOIR" in said
    assert "1 new agreement does not say whether it contains the SEA clauses" in said
    result = importing.import_file(workspace, path)
    assert result.status == "done" and result.counts["updated"] == 1 and result.counts["added"] == 0
    assert result.counts["agreements_updated"] == 1 and result.counts["agreements_added"] == 1
    after = model.get_partner(workspace, espoir["id"])
    assert (after["name"], after["partner_type"], after["acronym"]) == ("Association ESPOIR", "national_ngo", "AE")
    got = {a["reference"]: (a["title"], a["start_on"], a["end_on"], a["sea_clause"])
           for a in model.agreements(workspace, espoir["id"])}
    assert got == {"PCA-1": ("Water", "2026-01-01", "2027-06-30", 1), "PCA-2": ("Shelter", None, None, None)}
    assert len(model.list_partners(workspace)) == 1


def test_two_partners_of_the_same_name_here_are_a_row_problem(workspace, tmp_path):
    model.add_partner(workspace, "Twin")
    model.add_partner(workspace, "twin")
    before = _state(workspace)
    path = _csv(tmp_path / "twin.csv", [["Partner name", "Country"], ["Twin", "Kenya"]])
    result = importing.import_file(workspace, path)
    assert result.status == "invalid" and result.problems[0].row == 2 and "rename" in result.problems[0].reason
    assert _state(workspace) == before


def test_day_month_order_is_asked_when_the_file_leaves_it_open(workspace, tmp_path):
    path = _csv(tmp_path / "dates.csv", [["Partner name", "Agreement reference", "Start date"], ["P", "R", "03/04/2026"]])
    assert importing.import_file(workspace, path).status == "ambiguous"
    result = importing.import_file(workspace, path, date_order="dmy")
    assert result.status == "done"
    [agreement] = model.agreements(workspace, _by_name(workspace)["P"]["id"])
    assert agreement["start_on"] == "2026-04-03"


def test_a_cancel_rolls_everything_back(workspace, tmp_path):
    path = _csv(tmp_path / "p.csv", [["Partner name", "Agreement reference"], ["One", "R1"], ["Two", "R2"]])
    plan = importing.check(workspace, importing.analyse(path))
    before = _state(workspace)
    with pytest.raises(ImportCancelled):
        importing.commit(workspace, plan, cancel=lambda: True)
    assert _state(workspace) == before


def test_an_import_announces_what_it_wrote(workspace, tmp_path):
    seen: list[frozenset[str]] = []
    workspace.on_change(seen.append)
    path = _csv(tmp_path / "p.csv", [["Partner name", "Agreement reference"], ["One", "R1"]])
    assert importing.import_file(workspace, path).status == "done"
    assert seen and {"partner", "partner_agreement"} <= set().union(*seen)
    seen.clear()
    assert importing.import_file(workspace, path).counts["unchanged"] == 1
    assert not seen      # the same file again writes nothing, so nothing is announced


NAMES = st.sampled_from(["Espoir", "espoir", "Global Relief", "Mama Care", "Water for All", "Al-Nour", "希望"])
TYPES = st.sampled_from(["", "National NGO", "ONG internationale", "政府", "Private sector", "autre", "bogus"])
REFS = st.sampled_from(["", "PCA-1", "pca 1", "PCA-2", "SSFA-9"])
DATES = st.sampled_from(["", "2026-01-01", "2026-06-30", "2027-12-31", "31/02/2026"])
ANSWERS = st.sampled_from(["", "yes", "non", "да", "unknown", "maybe"])
ROWS = st.lists(st.tuples(NAMES, TYPES, REFS, DATES, DATES, ANSWERS), min_size=1, max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_importing_the_same_file_twice_writes_nothing_the_second_time(workspace, tmp_path, rows):
    """Whatever the file and whatever the workspace already holds: a refused file changes nothing, and a
    file imported once changes nothing when imported again."""
    path = _csv(tmp_path / "any.csv", [["Partner name", "Type", "Agreement reference", "Start date", "End date",
                                        "SEA clauses"], *[list(r) for r in rows]])
    before = _state(workspace)
    first = importing.import_file(workspace, path)
    if first.status != "done":
        assert first.status == "invalid" and first.problems
        assert _state(workspace) == before
        return
    after = _state(workspace)
    second = importing.import_file(workspace, path)
    assert second.status == "done"
    assert second.counts["added"] == second.counts["updated"] == 0
    assert second.counts["agreements_added"] == second.counts["agreements_updated"] == 0
    assert _state(workspace) == after


def test_the_command_line(workspace, workspace_path, tmp_path, monkeypatch, capsys):
    from desktop.cli import main
    from tests.conftest import PASSPHRASE

    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    path = _csv(tmp_path / "p.csv", [["Partenaire", "Type", "Accord", "Début", "Clauses EAS"],
                                     ["Espoir", "ONG nationale", "PCA-1", "03/04/2026", "oui"]])
    assert main(["partners", "import", str(workspace_path), str(path)]) == 1
    assert "--day-first" in capsys.readouterr().err
    assert main(["partners", "import", str(workspace_path), str(path), "--day-first", "--dry-run"]) == 0
    assert "can be imported" in capsys.readouterr().out
    assert main(["partners", "import", str(workspace_path), str(path), "--day-first", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done" and out["added"] == 1 and out["agreements_added"] == 1
    assert main(["partners", "import", str(workspace_path), str(path), "--day-first", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["added"] == 0 and again["unchanged"] == 1 and again["agreements_unchanged"] == 1
    assert main(["partners", "list", str(workspace_path), "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["Espoir"]
    bad = _csv(tmp_path / "bad.csv", [["Partner name", "Type"], ["X", "Bogus"]])
    assert main(["partners", "import", str(workspace_path), str(bad)]) == 1
    assert "row 2: Unknown partner type: Bogus." in capsys.readouterr().err
