"""The year's allegation counts imported from a spreadsheet (desktop/letter/allegation_import.py):
headers and values in the six languages, a row-level report that changes nothing, each row setting its
count as the form does, the same file twice writing nothing; and `psea-desk letter allegations --import`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from desktop.letter import allegation_import, allegations
from tests.conftest import PASSPHRASE

SHEETS = {
    "en": (["Category", "Status", "Referred to", "Number"],
           [["staff", "under investigation", "OIOS", "3"], ["partner personnel", "referred", "implementing partner", "2"]]),
    "fr": (["Catégorie", "Statut", "Renvoyé à", "Nombre"],
           [["fonctionnaires", "en cours d'enquête", "BSCI", "3"],
            ["personnel des partenaires", "renvoyé", "partenaire opérationnel", "2"]]),
    "es": (["Categoría", "Estado", "Remitido a", "Número"],
           [["funcionarios", "en investigación", "OSSI", "3"],
            ["personal de asociados", "remitido", "asociado en la ejecución", "2"]]),
    "ru": (["Категория", "Статус", "Передано в", "Количество"],
           [["сотрудники", "расследуется", "УСВН", "3"], ["персонал партнеров", "передано", "партнер-исполнитель", "2"]]),
    "zh": (["类别", "状态", "移交给", "数量"],
           [["工作人员", "调查中", "监督厅", "3"], ["执行伙伴人员", "已移交", "执行伙伴", "2"]]),
    "ar": (["الفئة", "الحالة", "أحيلت إلى", "العدد"],
           [["موظفون", "قيد التحقيق", "مكتب خدمات الرقابة الداخلية", "3"],
            ["موظفو الشركاء المنفذين", "أحيلت", "الشريك المنفذ", "2"]]),
}


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _counts(ws, year: int) -> dict[tuple[str, str, str], int]:
    return {(r["category"], r["status"], r["referred_to"]): r["count"] for r in allegations.entries(ws, year)}


def _state(ws) -> tuple:
    rows = ws.connection.execute("SELECT id, rev, deleted FROM allegation_count ORDER BY id").fetchall()
    return rows, ws.connection.execute("SELECT COUNT(*) FROM audit").fetchone()[0]


@pytest.mark.parametrize("code", sorted(SHEETS))
def test_headers_and_values_in_each_language(workspace, tmp_path, code):
    headers, rows = SHEETS[code]
    path = _csv(tmp_path / f"counts-{code}.csv", [headers, *rows])
    assert allegation_import.analyse(path).mapping == {"category": 0, "status": 1, "referred_to": 2, "count": 3}
    result = allegation_import.import_file(workspace, path, 2026)
    assert result.status == "done", (code, result.summary(), result.problems)
    assert _counts(workspace, 2026) == {("staff", "under_investigation", "oios"): 3,
                                        ("partner_personnel", "referred", "partner"): 2}
    assert "Allegations received in 2026: 5" in result.details()


def test_a_malformed_file_gives_a_row_level_report_and_changes_nothing(workspace, tmp_path):
    allegations.set_count(workspace, 2026, "staff", "closed", "", 4)
    before = _state(workspace)
    path = _csv(tmp_path / "bad.csv", [
        ["Year", "Category", "Status", "Referred to", "Number"],
        ["2026", "staff", "referred", "OIOS", "1"],              # 2: fine
        ["2026", "victims", "referred", "", "1"],                # 3: not a category
        ["2026", "staff", "", "", "1"],                          # 4: no status
        ["2026", "former staff", "closed", "", "two"],           # 5: not a number
        ["2026", "former staff", "closed", "", "-1"],            # 6: negative
        ["2025", "related personnel", "closed", "", "1"],        # 7: another year
        ["2026", "staff", "referred", "OIOS", "1"],              # 8: duplicate of 2
        ["2026", "staff", "referred", "OIOS", "7"],              # 9: same as 2 but another number
        ["2026", "staff", "referred", "police station 4", "1"],  # 10: not a body
    ])
    result = allegation_import.import_file(workspace, path, 2026)
    assert result.status == "invalid"
    rows = {p.row: p.reason for p in result.problems}
    assert sorted(rows) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "victims" in rows[3] and "Status" in rows[4] and "whole number" in rows[5]
    assert "between 0 and" in rows[6] and "2025" in rows[7] and "row 2" in rows[8] and "row 2" in rows[9]
    assert "police station 4" in rows[10]
    assert _state(workspace) == before


def test_rows_set_their_counts_others_are_kept_and_the_same_file_twice_writes_nothing(workspace, tmp_path):
    allegations.set_count(workspace, 2026, "staff", "closed", "", 4)              # not in the file: kept
    allegations.set_count(workspace, 2026, "staff", "substantiated", "oios", 1)   # replaced
    allegations.set_count(workspace, 2026, "former_staff", "referred", "oios", 2)  # removed (0)
    path = _csv(tmp_path / "year.csv", [
        ["Category", "Status", "Referred to", "Number"],
        ["Staff", "Substantiated", "OIOS", "3"],
        ["Former staff", "Referred", "OIOS", "0"],
        ["Related personnel", "Under assessment", "", "2"],
    ])
    checked = allegation_import.import_file(workspace, path, 2026, dry_run=True)
    assert checked.status == "checked"
    assert checked.details()[0] == ("All 3 rows can be imported for 2026: 1 counts added, 1 changed, 0 unchanged, "
                                    "1 removed.")
    result = allegation_import.import_file(workspace, path, 2026)
    assert result.status == "done" and result.counts == {"year": 2026, "added": 1, "updated": 1, "unchanged": 0,
                                                         "removed": 1}
    assert _counts(workspace, 2026) == {("staff", "closed", ""): 4, ("staff", "substantiated", "oios"): 3,
                                        ("related_personnel", "under_assessment", ""): 2}
    before = _state(workspace)
    again = allegation_import.import_file(workspace, path, 2026)
    assert again.counts["unchanged"] == 3 and _state(workspace) == before


def test_a_workbook_with_a_year_column(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Year", "Category of alleged perpetrator", "Case status", "Number of allegations"])
    book.active.append([2025, "Staff", "Closed", 2.0])
    path = tmp_path / "counts.xlsx"
    book.save(path)
    assert allegation_import.import_file(workspace, path, 2025).status == "done"
    assert _counts(workspace, 2025) == {("staff", "closed", ""): 2}
    assert allegation_import.import_file(workspace, path, 2026).status == "invalid"


KEYS = st.tuples(st.sampled_from(["staff", "Former staff", "related personnel", "partner personnel"]),
                 st.sampled_from(["referred", "closed", "Substantiated"]), st.sampled_from(["", "OIOS", "partner"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(KEYS, st.integers(0, 5)), min_size=1, max_size=8))
def test_importing_the_same_file_twice_writes_nothing_the_second_time(workspace, tmp_path, rows):
    path = _csv(tmp_path / "any.csv", [["Category", "Status", "Referred to", "Number"],
                                       *[[c, s, b, str(n)] for (c, s, b), n in rows]])
    before = _state(workspace)
    first = allegation_import.import_file(workspace, path, 2026)
    if first.status != "done":
        assert first.status == "invalid" and _state(workspace) == before   # a key repeated in the file
        return
    after = _state(workspace)
    assert allegation_import.import_file(workspace, path, 2026).counts["unchanged"] == len(rows)
    assert _state(workspace) == after


def test_the_command_line(workspace, workspace_path, tmp_path, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    path = _csv(tmp_path / "c.csv", [["Category", "Status", "Number"], ["staff", "closed", "2"]])
    command = ["letter", "allegations", str(workspace_path), "--year", "2026", "--import", str(path)]
    assert main([*command, "--dry-run"]) == 0
    assert "can be imported" in capsys.readouterr().out
    assert main([*command, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done" and out["added"] == 1
    assert main(["letter", "allegations", str(workspace_path), "--year", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2
    bad = _csv(tmp_path / "bad.csv", [["Category", "Status", "Number"], ["staff", "closed", "lots"]])
    assert main(["letter", "allegations", str(workspace_path), "--year", "2026", "--import", str(bad)]) == 1
    assert "row 2:" in capsys.readouterr().err
    with pytest.raises(SystemExit):   # --set and --import together: a usage error
        main([*command, "--set", "staff", "closed", "1"])
