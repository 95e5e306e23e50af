"""The in-memory roster (desktop/roster/snapshot.py): the figures read a roster loaded without the
people's details (`details=False`: no names, no order by name), the list asks for the details later.
Both must be the same roster: the same figures on any date, the same rows, names and order."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from desktop.roster import figures, listing, snapshot
from desktop.roster.demo import populate_demo
from desktop.roster.model import (
    COMPLETION,
    add_course,
    add_person,
    remove_person,
    seeded_course_id,
    set_course_kind,
    set_course_validity,
)

TODAY = dt.date(2026, 11, 23)
FIGURE_COLUMNS = ("ids", "categories", "offices", "office_names", "starts", "ends", "comp_first", "comp_day",
                  "comp_exp", "comp_course", "first_day", "last_day", "best_expiry", "unc_row", "unc_day", "unc_exp",
                  "unc_course", "not_psea_completions")
DETAIL_COLUMNS = ("names", "units", "index_numbers", "emails", "haystack", "order")


@pytest.fixture
def roster(workspace):
    """A demo roster with what makes the load take its other paths: an office's own setting of a
    reference course (its completions, and another office's), a course not yet classified, a course
    classified as not PSEA, a removed person."""
    ws = workspace
    populate_demo(ws, random.Random(11), TODAY, 300)
    set_course_kind(ws, seeded_course_id("classroom"), "refresher")
    set_course_validity(ws, seeded_course_id("elearning"), 24)
    unclassified = add_course(ws, "Sensibilisation PEAS (bureau)", "unclassified")
    not_psea = add_course(ws, "Fire safety", "not_psea")
    people = [pid for (pid,) in ws.connection.execute("SELECT id FROM roster_person ORDER BY id LIMIT 12")]
    for n, person in enumerate(people):
        course = (unclassified["id"], not_psea["id"], seeded_course_id("classroom"))[n % 3]
        office = "SDN-KRT" if n % 2 else None  # another office's completion: the course as it stands there
        ws.records.insert(COMPLETION, {"person_id": person, "course_id": course,
                                       "completed_on": f"2026-0{1 + n % 9}-15", "source": "test", "certificate": ""},
                          office=office)
    remove_person(ws, people[-1])
    add_person(ws, {"name": "Zoë Ångström", "category": "staff", "duty_office": "KEN-NBO", "unit": "Supply",
                    "index_number": "Z-1", "email": "zoe@example.org", "start_date": "2026-11-01", "end_date": None})
    snapshot.forget()
    return ws


@pytest.mark.parametrize("as_of", [dt.date(2024, 12, 31), dt.date(2026, 2, 28), TODAY, dt.date(2029, 6, 1)])
def test_figures_of_a_roster_without_details_are_the_full_rosters(roster, as_of):
    version = snapshot.data_version(roster)
    full = snapshot._load(roster, version, None)  # noqa: SLF001 - the two loads side by side
    lean = snapshot._load(roster, version, None, details=False)  # noqa: SLF001
    assert full.details and not lean.details
    assert len(lean) == 300 and len(lean.unc_row) and lean.not_psea_completions  # the paths were taken
    assert len(lean.courses) > len({c.id for c in lean.courses})                  # an office's own setting
    for column in FIGURE_COLUMNS:
        assert getattr(lean, column) == getattr(full, column), column
    assert all(not getattr(lean, column) for column in DETAIL_COLUMNS)
    for year in (as_of.year, as_of.year - 1):
        lean_figs, lean_letter = figures.figures_from(lean, as_of, year)
        full_figs, full_letter = figures.figures_from(full, as_of, year)
        assert lean_figs.as_dict() == full_figs.as_dict()
        assert lean_letter == full_letter


def test_the_details_added_later_are_those_of_a_full_load(roster):
    lean = snapshot.snapshot(roster, details=False)
    assert not lean.details and not lean.names
    assert snapshot.snapshot(roster, details=False) is lean          # cached
    detailed = snapshot.snapshot(roster)                               # the list asks: details added
    full = snapshot._load(roster, snapshot.data_version(roster), None)  # noqa: SLF001
    assert detailed.details and detailed is not lean and not lean.names  # the lean one is left as it was
    for column in FIGURE_COLUMNS + DETAIL_COLUMNS:
        assert getattr(detailed, column) == getattr(full, column), column
    assert snapshot.snapshot(roster, details=False) is detailed       # a detailed roster serves the figures too
    assert "Zoë Ångström" in detailed.names


def test_a_write_reloads_and_the_window_sees_the_same(roster):
    before = figures.completion_figures(roster, TODAY)
    add_person(roster, {"name": "New Person", "category": "consultant", "duty_office": "KEN-NBO", "unit": "",
                        "index_number": "N-1", "email": None, "start_date": "2026-01-01", "end_date": None})
    after = figures.completion_figures(roster, TODAY)
    assert after.overall.active == before.overall.active + 1
    rows = listing.load_roster(roster, TODAY)
    assert "New Person" in [rows.snap.names[i] for i in rows.filter("new person")]
    assert figures.completion_figures(roster, TODAY).as_dict() == after.as_dict()


def test_people_first_are_the_rosters_people_in_its_order(roster, workspace):
    """The first part of a first load: the same people, names and order as the whole roster, no
    completion, every status still loading."""
    snapshot.forget()
    people = listing.load_people_first(workspace, TODAY)
    whole = listing.load_roster(workspace, TODAY)
    assert not people.snap.complete and whole.snap.complete
    assert list(people.snap.ids) == list(whole.snap.ids)
    assert list(people.snap.order) == list(whole.snap.order)
    assert people.snap.names == whole.snap.names and people.snap.emails == whole.snap.emails
    assert set(people.statuses) == {listing.LOADING} and len(people.statuses) == len(whole.statuses)
    assert not any(people.snap.last_day) and any(whole.snap.last_day)
    assert snapshot.is_current(workspace)   # the whole roster is what stays in memory
