"""Letter figures, `psea-desk partners stats`, and the demo data."""

from __future__ import annotations

import datetime as dt
import json
import random

from desktop import cli
from desktop.partners import assessments as A
from desktop.partners import demo, figures, model
from tests.conftest import PASSPHRASE


def _final(ws, partner, value, final_on, *, signoff=False):
    a = A.start(ws, partner["id"], "un_harmonized")
    for std in A.ruleset_of(a)["standards"]:
        A.answer(ws, a["id"], std["key"], rating=value)
    if signoff:
        A.sign_off(ws, a["id"], "Approved with a plan", "Head of office", final_on)
    A.record_step(ws, a["id"], 5, final_on, "FP")
    return a


def test_letter_figures(workspace):
    ws = workspace
    good = model.add_partner(ws, "Good")
    weak = model.add_partner(ws, "Weak")
    old = model.add_partner(ws, "Old")
    model.add_partner(ws, "Never")
    gone = model.add_partner(ws, "Gone")
    _final(ws, good, 1, "2025-03-01")
    _final(ws, weak, 0, "2025-06-01", signoff=True)
    _final(ws, old, 1, "2019-01-10")
    _final(ws, gone, 1, "2025-03-01")
    ws.records.delete(model.PARTNER, gone["id"])
    model.add_action(ws, weak["id"], "Adopt a policy", due_on="2025-09-01")
    model.add_action(ws, weak["id"], "Train staff", due_on="2026-09-01")
    done = model.add_action(ws, good["id"], "Refresher", due_on="2025-05-01")
    model.update_action(ws, done["id"], {"status": "done"}, today=dt.date(2025, 4, 20))
    model.add_trigger(ws, old["id"], "high_risk_context", "2025-02-01")

    f = figures.letter_figures(ws, 2025)
    assert f["as_of"] == "2025-12-31"
    assert f["partners"] == 4
    assert f["assessed_valid"] == 2
    assert f["by_rating"] == {"full": 1, "low": 1}
    assert f["high_risk"] == 1
    assert f["expired"] == 1 and f["not_assessed"] == 1
    assert f["plans_open"] == 1 and f["plans_overdue"] == 1
    assert f["actions_open"] == 2 and f["actions_overdue"] == 1
    assert f["capacity_strengthening_provided"] == 1
    assert f["needs_review"] == 1
    assert f["assessed_in_year"] == 2
    json.dumps(f)  # serializable for the letter and the CLI
    # As of the end of 2024, nothing of 2025 counts, and the 2019 assessment had expired (5 years).
    f24 = figures.letter_figures(ws, 2024)
    assert f24["assessed_valid"] == 0 and f24["expired"] == 1 and f24["by_rating"] == {}
    f23 = figures.letter_figures(ws, 2023)
    assert f23["assessed_valid"] == 1 and f23["expiring"] == 1 and f23["by_rating"] == {"full": 1}


def test_cli_stats_json_and_text(workspace, workspace_path, monkeypatch, capsys):
    p = model.add_partner(workspace, "منظمة الأمل")
    _final(workspace, p, 1, "2025-03-01")
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["partners", "stats", str(workspace_path), "--year", "2025", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["partners"] == 1 and out["assessed_valid"] == 1 and out["by_rating"] == {"full": 1}
    assert cli.main(["--language", "fr", "partners", "stats", str(workspace_path), "--year", "2025"]) == 0
    text = capsys.readouterr().out
    assert "Capacités complètes" in text or "capacités complètes" in text.lower()


def test_demo_partners(workspace):
    demo.populate_demo(workspace, random.Random(7), dt.date(2026, 11, 1), 100)
    rows = figures.statuses(workspace, dt.date(2026, 11, 1))
    assert len(rows) == 12
    names = "".join(r.partner["name"] for r in rows)
    assert any("\u0600" <= ch <= "\u06ff" for ch in names) and any("\u4e00" <= ch <= "\u9fff" for ch in names)
    assert any("\u0400" <= ch <= "\u04ff" for ch in names)
    states = {r.validity for r in rows}
    assert {"valid", "expiring", "expired", "in_progress", "none"} <= states
    assert {r.band for r in rows} >= {"full", "medium", "low", "low_capacity_assumed", "no_contact"}
    assert any(r.actions_overdue for r in rows) and any(r.needs_review for r in rows)
    assert any(r.source_agency for r in rows)


def test_cli_ruleset_export_edit_import(workspace, workspace_path, monkeypatch, capsys, tmp_path):
    p = model.add_partner(workspace, "Kenya Red Cross Society")
    old = _final(workspace, p, 1, "2025-03-01")
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "h.json"
    assert cli.main(["partners", "ruleset-export", str(workspace_path), "un_harmonized", "--out", str(out)]) == 0
    rs = json.loads(out.read_text(encoding="utf-8"))
    rs["validity_years"] = 3
    rs["expiring_from_year"] = 2
    out.write_text(json.dumps(rs, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["partners", "ruleset-import", str(workspace_path), str(out)]) == 0
    assert "version 2" in capsys.readouterr().out
    bad = dict(rs, bands=rs["bands"][:2])  # no band for a total of 8
    out.write_text(json.dumps(bad), encoding="utf-8")
    assert cli.main(["partners", "ruleset-import", str(workspace_path), str(out)]) == 1
    assert "do not cover" in capsys.readouterr().err
    out.write_text("{not json", encoding="utf-8")
    assert cli.main(["partners", "ruleset-import", str(workspace_path), str(out)]) == 1
    assert cli.main(["partners", "rulesets", str(workspace_path), "--json"]) == 0
    listed = {r["key"]: r["version"] for r in json.loads(capsys.readouterr().out)}
    assert listed == {"un_harmonized": 2, "unicef_2020": 2}
    from storage import Workspace

    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        kept = A.get(ws, old["id"])
        assert kept["ruleset_version"] == 1
        assert A.validity(kept, dt.date(2029, 3, 1)).state == "expiring"  # still 5 years, warning from year 4
        new = A.start(ws, p["id"], "un_harmonized")
        assert A.ruleset_of(A.get(ws, new["id"]))["validity_years"] == 3


def test_cli_report(workspace, workspace_path, monkeypatch, capsys, tmp_path):
    p = model.add_partner(workspace, "Association des femmes du Kivu")
    a = _final(workspace, p, 1, "2025-03-01")
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    pdf = tmp_path / "r.pdf"
    assert cli.main(["partners", "report", str(workspace_path), "--assessment", a["id"], "--pdf-language", "es",
                     "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli.main(["partners", "report", str(workspace_path), "--assessment", "nope", "--out", str(pdf)]) == 1
