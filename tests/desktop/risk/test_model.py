"""Risk assessments on a real workspace: banding, library edits, measures, visits, trends."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop.risk import assessments, factors, followup, measures, model, overview, ratings, scoring
from storage.records import kind_named

D = dt.date


MARCH_1 = D(2026, 3, 1)


def _assess(ws, subject="Kakuma refugee operation", on=MARCH_1, ratings=None, kind="operation"):
    lib = factors.library(ws)
    ratings = ratings or [(lib[0].code, 4, 5), (lib[5].code, 2, 2), (lib[9].code, 3, 3)]
    return assessments.create_assessment(
        ws, {"subject_kind": kind, "subject": subject, "assessed_on": on, "location": "Turkana",
             "distributions": "cash", "iasc_level": "high", "assessed_by": "Amina"},
        [{"factor_code": c, "likelihood": lk, "impact": im} for c, lk, im in ratings])


# ---- matrix ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("score", "band"), [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"),
                                             (10, "high"), (25, "high")])
def test_band_at_every_boundary(score, band):
    assert scoring.matrix().band_for_score(score).key == band


def test_every_cell_has_exactly_one_band_and_products_follow_it():
    m = scoring.matrix()
    seen = {}
    for lk in range(1, 6):
        for im in range(1, 6):
            seen[(lk, im)] = m.band(lk, im).key
    assert seen[(2, 2)] == "low" and seen[(1, 4)] == "low"
    assert seen[(1, 5)] == "medium" and seen[(3, 3)] == "medium"
    assert seen[(2, 5)] == "high" and seen[(5, 5)] == "high"
    assert m.is_high(5, 2) and not m.is_high(3, 3)


@pytest.mark.parametrize(("lk", "im"), [(0, 3), (6, 3), (3, 0), (3, 6), ("3", 3), (2.5, 3), (True, 3)])
def test_ratings_outside_the_scale_are_refused(workspace, lk, im):
    with pytest.raises(model.RiskError):
        _assess(workspace, ratings=[(factors.library(workspace)[0].code, lk, im)])
    assert workspace.connection.execute("SELECT COUNT(*) FROM risk_assessment").fetchone()[0] == 0


def test_matrix_data_with_a_gap_or_overlap_is_rejected():
    data = json.loads((model.DATA / "matrix.json").read_text(encoding="utf-8"))
    data["bands"][1]["min"] = 6  # score 5 covered by no band
    with pytest.raises(ValueError, match="score 5"):
        scoring.matrix_from_data(data)
    data["bands"][1]["min"] = 4  # score 4 covered twice
    with pytest.raises(ValueError, match="score 4"):
        scoring.matrix_from_data(data)


# ---- library -----------------------------------------------------------------------------------------
def test_default_library_has_six_categories_and_texts_in_six_languages(workspace):
    lib = factors.library(workspace)
    assert {f.category for f in lib} == {"context", "personnel", "delivery", "partners", "community", "response"}
    assert [k for k, _t in factors.categories()] == ["context", "personnel", "delivery", "partners", "community",
                                                    "response"]
    for f in lib:
        assert set(f.texts) == {"ar", "zh", "en", "fr", "ru", "es"}, f.code
        assert all(t.strip() for t in f.texts.values())
    for _k, texts in factors.categories():
        assert set(texts) == {"ar", "zh", "en", "fr", "ru", "es"}


def test_library_edit_changes_new_assessments_but_never_past_ones(workspace):
    ws = workspace
    code = factors.library(ws)[0].code
    old_en = factors.library(ws)[0].texts["en"]
    past = _assess(ws, ratings=[(code, 4, 5)])
    factors.save_factor(ws, code, "context", {"en": "Edited by the coordinator", "fr": "Modifié"})
    assert factors.library(ws)[0].texts["en"] == "Edited by the coordinator"
    assert factors.library(ws)[0].texts["ar"]  # other languages kept
    [risk] = ratings.rated_risks(ws, past)
    assert risk.texts["en"] == old_en and (risk.likelihood, risk.impact) == (4, 5)
    new = _assess(ws, subject="Other", ratings=[(code, 1, 1)])
    assert ratings.rated_risks(ws, new)[0].texts["en"] == "Edited by the coordinator"
    # the edit is a record with history and audit
    factors.save_factor(ws, code, "context", {"en": "Edited twice"})
    rid = factors.library(ws)[0].record_id
    assert len(ws.records.history(model.FACTOR, rid)) == 1
    assert ws.connection.execute("SELECT COUNT(*) FROM audit WHERE kind = 'risk_factor'").fetchone()[0] == 2


def test_retired_factor_leaves_the_library_and_a_new_factor_joins_it(workspace):
    ws = workspace
    code = factors.library(ws)[0].code
    factors.save_factor(ws, code, "context", {}, retired=True)
    assert code not in {f.code for f in factors.library(ws)}
    factors.save_factor(ws, "local_floods", "context", {"en": "Seasonal floods cut off sites", "fr": "Crues"})
    new = {f.code: f for f in factors.library(ws)}["local_floods"]
    assert new.text("fr") == "Crues" and new.text("zh") == "Seasonal floods cut off sites"  # falls back to English
    with pytest.raises(model.RiskError):
        factors.save_factor(ws, "x", "no-such-category", {"en": "x"})


def test_record_kinds_are_registered():
    for name in ("risk_factor", "risk_assessment", "risk_rating", "risk_measure", "risk_visit", "risk_rerating"):
        assert kind_named(name).table == name


# ---- assessments and context -------------------------------------------------------------------------
def test_context_is_kept_and_bad_context_is_refused(workspace):
    aid = _assess(workspace)
    a = assessments.get_assessment(workspace, aid)
    assert (a["subject"], a["distributions"], a["iasc_level"], a["assessed_on"]) == (
        "Kakuma refugee operation", "cash", "high", "2026-03-01")
    for bad in ({"subject": " "}, {"subject": "x", "distributions": "gold"}, {"subject": "x", "assessed_on": "2026-13-01"},
                {"subject": "x", "iasc_level": "extreme"},
                {"subject": "x", "period_start": D(2026, 5, 1), "period_end": D(2026, 4, 1)}):
        ctx = {"assessed_on": D(2026, 1, 1)} | bad
        with pytest.raises(model.RiskError):
            assessments.create_assessment(workspace, ctx, [])
    assert len(assessments.assessments(workspace)) == 1


def test_every_write_is_audited(workspace):
    aid = _assess(workspace)
    risks = ratings.rated_risks(workspace, aid)
    measures.add_measure(workspace, risks[0].id, "Brief staff", "Ana", D(2026, 4, 1))
    followup.record_visit(workspace, aid, D(2026, 5, 1), "me", "ok", {risks[0].id: (2, 5)})
    kinds = dict(workspace.connection.execute("SELECT kind, COUNT(*) FROM audit GROUP BY kind").fetchall())
    assert kinds["risk_assessment"] == 1 and kinds["risk_rating"] == 3
    assert kinds["risk_measure"] == 1 and kinds["risk_visit"] == 1 and kinds["risk_rerating"] == 1
    assert workspace.integrity_problems() == []


# ---- measures ----------------------------------------------------------------------------------------
def test_overdue_flags(workspace):
    aid = _assess(workspace)
    rid = ratings.rated_risks(workspace, aid)[0].id
    due = D(2026, 4, 1)
    m1 = measures.add_measure(workspace, rid, "Post notices", "Ana", due)
    m2 = measures.add_measure(workspace, rid, "No due date", "Ana", None)
    m3 = measures.add_measure(workspace, rid, "Done late", "Ana", due, status="done", done_on=D(2026, 4, 20))
    get = lambda mid: workspace.records.get(model.MEASURE, mid)  # noqa: E731
    assert not measures.is_overdue(get(m1), due)                       # due today: not yet
    assert measures.is_overdue(get(m1), due + dt.timedelta(days=1))    # the day after: overdue
    assert not measures.is_overdue(get(m2), D(2030, 1, 1))             # no due date: never
    assert not measures.is_overdue(get(m3), D(2030, 1, 1))             # done: never
    measures.update_measure(workspace, m1, {"status": "in_progress"})
    assert measures.is_overdue(get(m1), D(2026, 5, 1))
    rows = overview.open_measures(workspace, D(2026, 4, 11))
    assert [(r.measure["id"], r.overdue, r.days_overdue) for r in rows] == [(m1, True, 10), (m2, False, 0)]
    measures.update_measure(workspace, m1, {"status": "dropped"})
    assert [r.measure["id"] for r in overview.open_measures(workspace, D(2026, 4, 11))] == [m2]
    with pytest.raises(model.RiskError):
        measures.add_measure(workspace, rid, "  ")
    with pytest.raises(model.RiskError):
        measures.update_measure(workspace, m2, {"status": "finished"})


def test_marking_done_without_a_date_records_today(workspace):
    aid = _assess(workspace)
    mid = measures.add_measure(workspace, ratings.rated_risks(workspace, aid)[0].id, "Brief", "Ana", D(2026, 4, 1))
    measures.update_measure(workspace, mid, {"status": "done"})
    assert workspace.records.get(model.MEASURE, mid)["done_on"] == dt.date.today().isoformat()


# ---- visits and trends -------------------------------------------------------------------------------
def test_trend_over_visits(workspace):
    aid = _assess(workspace)
    r0, r1, _r2 = ratings.rated_risks(workspace, aid)
    assert (r0.likelihood, r0.impact) == (4, 5)
    # visits recorded out of date order: the trend follows the dates
    followup.record_visit(workspace, aid, D(2026, 9, 1), "B", "worse again", {r0.id: (3, 5)})
    followup.record_visit(workspace, aid, D(2026, 6, 1), "A", "better", {r0.id: (2, 4), r1.id: (1, 2)})
    followup.record_visit(workspace, aid, D(2026, 11, 1), "C", "nothing re-rated")
    t = followup.trend(workspace, r0.id)
    assert [(p.on, p.score, p.band.key, p.rerated) for p in t] == [
        ("2026-03-01", 20, "high", True), ("2026-06-01", 8, "medium", True),
        ("2026-09-01", 15, "high", True), ("2026-11-01", 15, "high", False)]
    assert followup.trend_direction(t) == -1
    assert [p.score for p in followup.trend(workspace, r1.id)] == [4, 2, 2, 2]
    # the current rating follows the latest visit up to a date
    assert ratings.rated_risks(workspace, aid, D(2026, 7, 1))[0].score == 8
    assert ratings.rated_risks(workspace, aid)[0].score == 15
    assert ratings.rated_risks(workspace, aid, D(2026, 5, 1))[0].score == 20


def test_bad_visit_changes_nothing(workspace):
    aid = _assess(workspace)
    other = _assess(workspace, subject="Other")
    foreign = ratings.rated_risks(workspace, other)[0].id
    for rerates in ({foreign: (2, 2)}, {ratings.rated_risks(workspace, aid)[0].id: (0, 2)}):
        with pytest.raises(model.RiskError):
            followup.record_visit(workspace, aid, D(2026, 6, 1), "A", "", rerates)
    with pytest.raises(model.RiskError):
        followup.record_visit(workspace, aid, "not a date")
    assert workspace.connection.execute("SELECT COUNT(*) FROM risk_visit").fetchone()[0] == 0


# ---- starting from the previous assessment ---------------------------------------------------------
def test_new_assessment_starts_from_previous(workspace):
    ws = workspace
    lib = factors.library(ws)
    prev = _assess(ws)
    r0, r1, _r2 = ratings.rated_risks(ws, prev)
    open_m = measures.add_measure(ws, r0.id, "Hotline", "Ana", D(2026, 4, 1))
    measures.add_measure(ws, r0.id, "Already done", "Ana", D(2026, 4, 1), status="done", done_on=D(2026, 3, 20))
    followup.record_visit(ws, prev, D(2026, 6, 1), "A", "", {r0.id: (3, 4)})
    factors.save_factor(ws, lib[5].code, lib[5].category, {"en": "Library text changed later"})
    new = assessments.start_from_previous(ws, prev, assessed_on=D(2027, 2, 1), assessed_by="Joseph")
    a = assessments.get_assessment(ws, new)
    assert a["previous_id"] == prev and a["subject"] == "Kakuma refugee operation"
    assert a["assessed_by"] == "Joseph" and a["iasc_level"] == "high" and a["assessed_on"] == "2027-02-01"
    risks = {r.factor_code: r for r in ratings.rated_risks(ws, new)}
    assert (risks[r0.factor_code].likelihood, risks[r0.factor_code].impact) == (3, 4)  # from the visit
    assert risks[r1.factor_code].texts == r1.texts  # the texts the previous assessment used
    carried = risks[r0.factor_code].measures
    assert [m["action"] for m in carried] == ["Hotline"] and carried[0]["id"] != open_m
    # the old assessment is superseded: measures and risks are counted once
    current = assessments.current_assessments(ws, D(2027, 3, 1))
    assert [c["id"] for c in current] == [new]
    assert len(overview.open_measures(ws, D(2027, 3, 1))) == 1
    assert [c["id"] for c in assessments.current_assessments(ws, D(2026, 12, 31))] == [prev]
    # editing the new one leaves the previous one as it was
    assessments.update_assessment(ws, new, {"location": "Kalobeyei"},
                                  {risks[r0.factor_code].id: (1, 1)})
    assert assessments.get_assessment(ws, prev)["location"] == "Turkana"
    assert ratings.rated_risks(ws, prev)[0].initial_likelihood == 4


def test_register_and_heat_counts(workspace):
    ws = workspace
    a = _assess(ws)
    _assess(ws, subject="Urban cash programme", kind="programme")
    rows = overview.risk_register(ws, D(2026, 12, 31))
    assert len(rows) == 6
    assert [r.risk.score for r in rows] == sorted((r.risk.score for r in rows), reverse=True)
    counts = overview.heat_counts(r.risk for r in rows)
    assert counts[(4, 5)] == 2 and sum(counts.values()) == 6
    r0 = ratings.rated_risks(ws, a)[0]
    followup.record_visit(ws, a, D(2026, 6, 1), "", "", {r0.id: (5, 5)})
    worse = [r for r in overview.risk_register(ws, D(2026, 12, 31)) if r.risk.id == r0.id][0]
    assert worse.trend == 1 and worse.risk.score == 25
