"""Completion figures of the training roster, computed over the in-memory roster (snapshot.py).

Definitions (docs/roster.md; domain.md §1 marks the completion-rate formula as unconfirmed, so this
is where it is decided, once):

- *Active on D*: not removed, start date empty or ≤ D, end date empty or ≥ D.
- A completion is *valid on D* when it was completed on or before D and D is before its expiry,
  the completion date plus the course's validity (months, per course, editable).
- *Trained*: active with at least one valid completion of any roster course.
- *Expiring within N days*: trained on D but no longer trained on D + N days (nothing renewed).
- *Overdue*: active, completed something on or before D, but nothing valid on D.
- *Never trained*: active, no completion on or before D.
- *Completion rate*: trained ÷ active, by personnel category, by office (the person's duty office),
  overall; per course: active with a valid completion of that course ÷ active.
- The management-letter figure: see `letter_figures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from desktop.roster.model import CATEGORY_CODES, LETTER_CATEGORIES, LETTER_COURSE_KINDS
from desktop.roster.snapshot import EXPIRY_WINDOWS, Snapshot, snapshot
from i18n import N_
from storage import Workspace

LETTER_DEFINITION = N_(
    "Share of staff and related personnel (staff, consultants, individual contractors, interns, UN "
    "Volunteers and other related personnel; implementing-partner personnel are not counted) active on "
    "31 December of the year, or on the as-of date during the year, who completed an induction or "
    "refresher PSEA training course in that calendar year.")


@dataclass
class Counts:
    active: int = 0
    trained: int = 0
    never: int = 0
    overdue: int = 0
    expiring: dict[int, int] = field(default_factory=lambda: dict.fromkeys(EXPIRY_WINDOWS, 0))

    @property
    def rate(self) -> float | None:
        return self.trained / self.active if self.active else None

    def add(self, other: Counts) -> None:
        self.active += other.active
        self.trained += other.trained
        self.never += other.never
        self.overdue += other.overdue
        for n in EXPIRY_WINDOWS:
            self.expiring[n] += other.expiring[n]

    def as_dict(self) -> dict[str, Any]:
        return {"active": self.active, "trained": self.trained, "rate": self.rate, "never_trained": self.never,
                "overdue": self.overdue, "expiring": {str(n): self.expiring[n] for n in EXPIRY_WINDOWS}}


@dataclass
class Figures:
    as_of: dt.date
    overall: Counts
    by_category: dict[str, Counts]
    by_office: dict[str, Counts]
    by_course: dict[str, tuple[int, float | None]]  # course id -> (active people holding it, rate)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "overall": self.overall.as_dict(),
                "by_category": {k: v.as_dict() for k, v in self.by_category.items()},
                "by_office": {k: v.as_dict() for k, v in self.by_office.items()},
                "by_course": {k: {"trained": n, "rate": r} for k, (n, r) in self.by_course.items()}}


def completion_figures(ws: Workspace, as_of: dt.date) -> Figures:
    return figures_from(snapshot(ws), as_of)


def figures_from(snap: Snapshot, as_of: dt.date) -> Figures:
    """One pass over the in-memory roster (see snapshot.py for why not SQL)."""
    d = as_of.toordinal()
    n_cat = len(CATEGORY_CODES)
    n_off = len(snap.office_names)
    n_course = len(snap.courses)
    # per (category, office) cell: active, trained, never, overdue, expiring 30, 60, 90
    cells = [[0] * 7 for _ in range(n_cat * n_off)]
    course_held = [0] * n_course
    w30, w60, w90 = (d + w for w in EXPIRY_WINDOWS)
    starts, ends, first_day, last_day, best = snap.starts, snap.ends, snap.first_day, snap.last_day, snap.best_expiry
    cfirst, cday_a, cexp_a, ccourse = snap.comp_first, snap.comp_day, snap.comp_exp, snap.comp_course
    cats, offs = snap.categories, snap.offices
    for row in range(len(starts)):
        if not (starts[row] <= d <= ends[row]):
            continue
        cell = cells[cats[row] * n_off + offs[row]]
        cell[0] += 1
        first = first_day[row]
        if not first or first > d:
            cell[2] += 1
            continue
        seen = 0
        if last_day[row] <= d:
            exp = best[row]
            for k in range(cfirst[row], cfirst[row + 1]):
                if cexp_a[k] > d:
                    ci = ccourse[k]
                    if not (seen >> ci) & 1:
                        seen |= 1 << ci
                        course_held[ci] += 1
        else:
            exp = 0
            for k in range(cfirst[row], cfirst[row + 1]):
                if cday_a[k] > d:
                    break
                cexp = cexp_a[k]
                if cexp > exp:
                    exp = cexp
                if cexp > d:
                    ci = ccourse[k]
                    if not (seen >> ci) & 1:
                        seen |= 1 << ci
                        course_held[ci] += 1
        if exp <= d:
            cell[3] += 1
            continue
        cell[1] += 1
        if exp <= w90:
            cell[6] += 1
            if exp <= w60:
                cell[5] += 1
                if exp <= w30:
                    cell[4] += 1
    overall = Counts()
    by_category = {code: Counts() for code in CATEGORY_CODES}
    by_office = {name: Counts() for name in snap.office_names}
    for ci, code in enumerate(CATEGORY_CODES):
        for oi, office in enumerate(snap.office_names):
            a, t, nv, ov, e30, e60, e90 = cells[ci * n_off + oi]
            if not a:
                continue
            c = Counts(a, t, nv, ov, {30: e30, 60: e60, 90: e90})
            overall.add(c)
            by_category[code].add(c)
            by_office[office].add(c)
    by_office = {k: v for k, v in sorted(by_office.items()) if v.active}
    by_course = {c.id: (course_held[n], (course_held[n] / overall.active) if overall.active else None)
                 for n, c in enumerate(snap.courses)}
    return Figures(as_of, overall, by_category, by_office, by_course)


def letter_as_of(year: int, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    end = dt.date(year, 12, 31)
    return min(end, today) if today.year == year else end


def letter_figures(ws: Workspace, year: int, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The management letter's training figure, defined here only (LETTER_DEFINITION, in English;
    the letter translates it at display with `_()` / `gettext_in`).

    population: people of LETTER_CATEGORIES active on `as_of` (31 December of `year`, or today while
    the year is running); trained: those of them with a completion of an induction- or refresher-kind
    course dated in [1 January of `year`, as_of]. training_rate = trained / population (None if 0)."""
    as_of = as_of or letter_as_of(year)
    snap = snapshot(ws)
    d = as_of.toordinal()
    first = dt.date(year, 1, 1).toordinal()
    counted = {CATEGORY_CODES.index(c) for c in LETTER_CATEGORIES}
    kinds = {n for n, c in enumerate(snap.courses) if c.kind in LETTER_COURSE_KINDS}
    population = trained = 0
    starts, ends, cats = snap.starts, snap.ends, snap.categories
    cfirst, cday_a, ccourse = snap.comp_first, snap.comp_day, snap.comp_course
    for row in range(len(starts)):
        if cats[row] not in counted or not (starts[row] <= d <= ends[row]):
            continue
        population += 1
        for k in range(cfirst[row], cfirst[row + 1]):
            cday = cday_a[k]
            if cday > d:
                break
            if cday >= first and ccourse[k] in kinds:
                trained += 1
                break
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "population": population,
        "trained": trained,
        "training_rate": (trained / population) if population else None,
        "definition": LETTER_DEFINITION,
    }


STATUSES = ("trained", "expiring", "overdue", "never", "inactive")
STATUS_LABELS = {
    "trained": N_("Trained"),
    "expiring": N_("Expiring"),
    "overdue": N_("Overdue"),
    "never": N_("Never trained"),
    "inactive": N_("Not active"),
}
