"""Figures on real workspaces: definitions of trained / expiring / overdue / never, the letter figure."""

from __future__ import annotations

import datetime as dt
import random

from desktop.roster import figures, listing
from desktop.roster.demo import populate_demo
from desktop.roster.model import (
    COMPLETION,
    PERSON,
    add_course,
    add_person,
    edit_person,
    ensure_default_courses,
    person_detail,
    record_session,
    remove_person,
    seeded_course_id,
    set_course_kind,
    set_course_validity,
)
from storage.records import REFERENCE_REV

D = dt.date(2026, 6, 30)


def _person(ws, name, category="staff", start="2020-01-01", end=None, index=None):
    return add_person(ws, {"name": name, "category": category, "duty_office": "KEN-NBO", "unit": "",
                           "index_number": index or name, "email": None, "start_date": start, "end_date": end})


def _done(ws, person, course, on):
    ws.records.insert(COMPLETION, {"person_id": person["id"], "course_id": seeded_course_id(course),
                                   "completed_on": on, "source": "test", "certificate": ""})


def test_statuses_and_rates(workspace):
    ws = workspace
    ensure_default_courses(ws)
    never = _person(ws, "Never")
    trained = _person(ws, "Trained")
    _done(ws, trained, "elearning", "2025-01-10")
    overdue = _person(ws, "Overdue")
    _done(ws, overdue, "elearning", "2022-01-10")          # 3 years: expired 2025-01-10
    soon = _person(ws, "Soon")
    _done(ws, soon, "refresher", "2023-07-20")             # expires 2026-07-20: within 30 days
    later = _person(ws, "Later", category="partner")
    _done(ws, later, "refresher", "2023-09-15")            # expires 2026-09-15: within 90 days
    _person(ws, "Gone", end="2026-01-31")                  # not active on D
    _person(ws, "Future", start="2026-09-01")              # not active on D
    f = figures.completion_figures(ws, D)
    o = f.overall
    assert (o.active, o.trained, o.never, o.overdue) == (5, 3, 1, 1)
    assert o.expiring == {30: 1, 60: 1, 90: 2}
    assert o.rate == 3 / 5
    assert f.by_category["partner"].active == 1 and f.by_category["staff"].active == 4
    assert f.by_course[seeded_course_id("refresher")][0] == 2
    roster = listing.load_roster(ws, D)
    status = dict(zip(roster.snap.names, roster.statuses, strict=True))
    assert status == {"Future": "inactive", "Gone": "inactive", "Later": "expiring", "Never": "never",
                      "Overdue": "overdue", "Soon": "expiring", "Trained": "trained"}
    assert [roster.snap.names[i] for i in roster.filter(status="expiring", within=30)] == ["Soon"]
    assert len(roster.filter(status="trained")) == 3
    # as of an earlier date, later completions do not count
    early = figures.completion_figures(ws, dt.date(2024, 1, 1)).overall
    # active then: all but Future; Trained (2025), Never and Gone had nothing yet
    assert (early.active, early.trained, early.never) == (6, 3, 3)
    # validity is a setting per course: 5 years makes the 2022 e-learning valid again
    set_course_validity(ws, seeded_course_id("elearning"), 60)
    assert figures.completion_figures(ws, D).overall.overdue == 0
    del never


def test_letter_figure(workspace):
    ws = workspace
    ensure_default_courses(ws)
    a = _person(ws, "A")
    _done(ws, a, "induction", "2025-03-01")
    b = _person(ws, "B", category="volunteer")
    _done(ws, b, "refresher", "2024-12-31")                # previous year: not counted
    c = _person(ws, "C", category="partner")
    _done(ws, c, "induction", "2025-05-01")                # partner personnel: not in the population
    d = _person(ws, "D", category="consultant")
    _done(ws, d, "predeployment", "2025-05-01")            # other PSEA training: not induction/refresher
    f = _person(ws, "F", category="intern")
    _done(ws, f, "elearning", "2025-02-01")                # the mandatory e-learning counts as induction
    _person(ws, "E", end="2025-06-30")                     # left before 31 December
    out = figures.letter_figures(ws, 2025)
    assert out["as_of"] == "2025-12-31"
    assert (out["population"], out["trained"]) == (4, 2)
    assert abs(out["training_rate"] - 2 / 4) < 1e-9
    assert out["complete"] and out["not_counted"] == {"courses": 0, "completions": 0, "people": 0}
    assert "implementing-partner personnel are not counted" in out["definition"]
    empty = figures.letter_figures(ws, 1999)
    assert empty["training_rate"] is None and empty["population"] == 0


def test_edit_remove_session_and_history(workspace):
    ws = workspace
    ensure_default_courses(ws)
    p = _person(ws, "Amina")
    q = _person(ws, "Jean")
    edited = edit_person(ws, p["id"], {**{k: p[k] for k in PERSON.fields}, "unit": "Supply"},
                         expected_rev=p["rev"])
    assert edited["unit"] == "Supply"
    assert record_session(ws, [p["id"], q["id"], p["id"]], seeded_course_id("classroom"), dt.date(2026, 1, 5)) == 2
    assert record_session(ws, [p["id"]], seeded_course_id("classroom"), dt.date(2026, 1, 5)) == 0
    detail = person_detail(ws, p["id"])
    assert len(detail["completions"]) == 1 and detail["history"][0]["unit"] == ""
    remove_person(ws, q["id"])
    assert ws.records.get(PERSON, q["id"]) is None
    assert figures.completion_figures(ws, D).overall.active == 1
    kinds = {row[0] for row in ws.connection.execute("SELECT kind FROM audit")}
    assert {"roster_person", "roster_completion"} <= kinds
    assert ws.integrity_problems() == []


def test_demo_is_plausible(workspace):
    today = dt.date(2026, 11, 23)
    populate_demo(workspace, random.Random(7), today, 400)
    letter = figures.letter_figures(workspace, 2026, as_of=today)
    assert 0.7 < letter["training_rate"] < 0.92
    f = figures.completion_figures(workspace, today)
    assert len(f.by_office) == 6 and all(c.active for c in f.by_category.values())
    names = " ".join(listing.load_roster(workspace, today).snap.names)
    assert any("\u0600" <= ch <= "\u06ff" for ch in names) and any("\u4e00" <= ch <= "\u9fff" for ch in names)
    assert any("\u0400" <= ch <= "\u04ff" for ch in names)


def test_a_course_not_yet_classified_is_counted_as_not_counted(workspace):
    """A figure never silently leaves data out: completions of a course nobody classified count for
    nothing, and the figure says how many it left out and how far it could rise."""
    ws = workspace
    course = add_course(ws, "Sensibilisation PEAS (bureau)", "unclassified")
    a, b, c = _person(ws, "A"), _person(ws, "B"), _person(ws, "C", category="partner")
    for person in (a, b, c):
        ws.records.insert(COMPLETION, {"person_id": person["id"], "course_id": course["id"],
                                       "completed_on": "2026-03-01", "source": "test", "certificate": ""})
    _done(ws, b, "refresher", "2026-02-01")
    letter = figures.letter_figures(ws, 2026, as_of=D)
    assert (letter["population"], letter["trained"]) == (2, 1)
    assert not letter["complete"]
    assert letter["not_counted"] == {"courses": 1, "completions": 2, "people": 1}   # partner C is not in it
    overall = figures.completion_figures(ws, D)
    assert overall.overall.trained == 1
    assert overall.not_counted.as_dict() == {"courses": 1, "completions": 3, "people": 2}
    text = figures.NotCounted.from_dict(letter["not_counted"]).text("en")
    assert text.startswith("2 completions of 1 course not yet classified are not counted.")
    # classified as refresher: everything counts and nothing is left out
    set_course_kind(ws, course["id"], "refresher")
    letter = figures.letter_figures(ws, 2026, as_of=D)
    assert (letter["trained"], letter["complete"]) == (2, True)
    # classified as not PSEA: left out on purpose, nothing said
    set_course_kind(ws, course["id"], "not_psea")
    letter = figures.letter_figures(ws, 2026, as_of=D)
    assert (letter["trained"], letter["complete"]) == (1, True)


def test_an_offices_setting_of_a_reference_course_is_its_own(workspace):
    ws = workspace
    p = _person(ws, "P")
    _done(ws, p, "classroom", "2026-01-10")
    assert figures.letter_figures(ws, 2026, as_of=D)["trained"] == 0     # classroom: other PSEA training
    set_course_kind(ws, seeded_course_id("classroom"), "refresher")
    assert figures.letter_figures(ws, 2026, as_of=D)["trained"] == 1
    reference = ws.connection.execute("SELECT office, rev, kind FROM roster_course WHERE id = ?",
                                      (seeded_course_id("classroom"),)).fetchone()
    assert reference == ("", REFERENCE_REV, "other_psea")               # the reference itself is untouched
    setting = ws.connection.execute("SELECT office, kind FROM roster_course_setting").fetchall()
    assert setting == [("KEN-NBO", "refresher")]
