"""Letter figures, `psea-desk risk stats`, and the demo data."""

from __future__ import annotations

import datetime as dt
import json
import random

from desktop import cli
from desktop.risk import assessments, demo, factors, figures, followup, measures, ratings
from tests.conftest import PASSPHRASE

D = dt.date


def _assess(ws, subject, kind, on, ratings):
    lib = {f.code: f for f in factors.library(ws)}
    codes = list(lib)
    return assessments.create_assessment(ws, {"subject_kind": kind, "subject": subject, "assessed_on": on}, [
        {"factor_code": codes[n], "likelihood": lk, "impact": im} for n, (lk, im) in enumerate(ratings)])


def _data(ws):
    a = _assess(ws, "Kakuma", "operation", D(2025, 3, 1), [(5, 5), (1, 1)])
    _assess(ws, "kakuma ", "operation", D(2025, 9, 1), [(5, 5)])           # same subject, again
    b = _assess(ws, "Cash programme", "programme", D(2025, 5, 1), [(2, 5), (3, 3)])
    _assess(ws, "Garissa", "operation", D(2024, 5, 1), [(4, 4)])           # last year
    _assess(ws, "Site A", "site", D(2026, 1, 5), [(4, 4)])                 # next year
    rb = ratings.rated_risks(ws, b)
    measures.add_measure(ws, rb[0].id, "Overdue one", "X", D(2025, 6, 1))
    measures.add_measure(ws, rb[0].id, "Open one", "X", D(2026, 6, 1))
    measures.add_measure(ws, rb[1].id, "Done one", "X", D(2025, 6, 1), status="done", done_on=D(2025, 5, 30))
    followup.record_visit(ws, b, D(2025, 8, 1), "FP", "", {rb[0].id: (1, 5)})  # high -> medium
    ra = ratings.rated_risks(ws, a)
    measures.add_measure(ws, ra[0].id, "In the superseded assessment", "X", D(2025, 4, 1))
    return a, b


def test_letter_figures(workspace):
    _data(workspace)
    f = figures.letter_figures(workspace, 2025, today=D(2026, 2, 1))
    assert f["as_of"] == "2025-12-31"
    assert f["assessments"] == 3
    assert f["operations_assessed"] == 1 and f["programmes_assessed"] == 1 and f["sites_assessed"] == 0
    assert f["follow_up_visits"] == 1
    # current assessments at year end: Kakuma (Sept, 1 high), Cash programme (re-rated to medium), Garissa (16: high)
    assert f["high_risks_open"] == 2
    assert f["measures_open"] == 2 and f["measures_overdue"] == 1
    running = figures.letter_figures(workspace, 2026, today=D(2026, 2, 1))
    assert running["as_of"] == "2026-02-01" and running["sites_assessed"] == 1 and running["high_risks_open"] == 3


def test_cli_stats_json_and_text(workspace, workspace_path, monkeypatch, capsys):
    _data(workspace)
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["risk", "stats", str(workspace_path), "--year", "2025", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["operations_assessed"] == 1 and out["programmes_assessed"] == 1 and out["year"] == 2025
    assert cli.main(["--language", "fr", "risk", "stats", str(workspace_path), "--year", "2025"]) == 0
    text = capsys.readouterr().out
    assert "Sites évalués: 0" in text or "Sites évalués : 0" in text
    assert cli.main(["risk", "factors", str(workspace_path), "--json"]) == 0
    factors = json.loads(capsys.readouterr().out)
    assert len(factors) >= 20 and set(factors[0]["texts"]) == {"ar", "zh", "en", "fr", "ru", "es"}


def test_cli_wrong_passphrase(workspace, workspace_path, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", "not the passphrase at all")
    assert cli.main(["risk", "stats", str(workspace_path)]) == 3


def test_demo(workspace):
    today = D(2026, 11, 23)
    demo.populate_demo(workspace, random.Random(7), today, 100)
    found = assessments.assessments(workspace)
    assert len(found) == 9 and sum(a["is_current"] for a in found) == 5
    assert any(a["previous_id"] for a in found)
    assert workspace.connection.execute("SELECT COUNT(*) FROM risk_visit").fetchone()[0] >= 5
    f = figures.letter_figures(workspace, 2026, today=today)
    assert f["operations_assessed"] == 2 and f["programmes_assessed"] == 1 and f["sites_assessed"] == 1
    assert f["measures_open"] > f["measures_overdue"] >= 1
    assert workspace.integrity_problems() == []


def test_cli_factor_edit(workspace, workspace_path, monkeypatch, capsys):
    code = factors.library(workspace)[0].code
    past = _assess(workspace, "Kakuma", "operation", D(2025, 3, 1), [(3, 3)])
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["risk", "factor", str(workspace_path), code, "--text", "fr=Texte révisé", "--text",
                     "ar=نص منقح"]) == 0
    assert cli.main(["risk", "factor", str(workspace_path), "new_one", "--text", "en=A new factor"]) == 2
    assert cli.main(["risk", "factor", str(workspace_path), "new_one", "--category", "partners",
                     "--text", "en=A new factor", "--retire"]) == 0
    assert cli.main(["risk", "factor", str(workspace_path), code, "--text", "xx=bad"]) == 2
    from storage import Workspace

    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        lib = {f.code: f for f in factors.library(ws, include_retired=True)}
        assert lib[code].texts["fr"] == "Texte révisé" and lib[code].texts["ar"] == "نص منقح"
        assert lib["new_one"].retired and lib["new_one"].category == "partners"
        assert ratings.rated_risks(ws, past)[0].texts["fr"] != "Texte révisé"
