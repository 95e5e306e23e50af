"""Completion figures of the training roster, computed over the in-memory roster (snapshot.py).

Definitions (docs/roster.md; domain.md §1 marks the completion-rate formula as unconfirmed, so this
is where it is decided, once):

- *Active on D*: not removed, start date empty or ≤ D, end date empty or ≥ D.
- A completion is *valid on D* when it was completed on or before D and D is before its expiry,
  the completion date plus the course's validity (months, per course, editable).
- *Trained*: active with at least one valid completion of a PSEA course (kind induction, refresher or
  other PSEA training). Courses classified as not PSEA are left out on purpose; completions of courses
  not yet classified are left out *and counted*: every figure carries how many it leaves out
  (`NotCounted`), and every place that shows the figure says so.
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
from typing import TYPE_CHECKING, Any

from desktop.roster.model import CATEGORY_CODES, LETTER_CATEGORIES, LETTER_COURSE_KINDS, PSEA_KINDS
from desktop.roster.snapshot import EXPIRY_WINDOWS, Snapshot, person_state, snapshot
from i18n import N_, ngettext_in
from i18n.formatting import number

if TYPE_CHECKING:
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


@dataclass(frozen=True)
class NotCounted:
    """What a figure leaves out because it cannot classify it: completions of courses not yet
    classified. `people`: of those the figure counts (active, or the letter's population), how many
    are not counted as trained but hold such a completion, i.e. how far the figure could rise."""

    courses: int = 0
    completions: int = 0
    people: int = 0

    def __bool__(self) -> bool:
        return self.completions > 0

    def as_dict(self) -> dict[str, int]:
        return {"courses": self.courses, "completions": self.completions, "people": self.people}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> NotCounted:
        data = data or {}
        return cls(int(data.get("courses", 0)), int(data.get("completions", 0)), int(data.get("people", 0)))

    def __add__(self, other: NotCounted) -> NotCounted:
        # Courses are distinct per office (settings and an office's own courses), so a sum over
        # offices may count a shared reference course once per office: it says "courses" as offices see them.
        return NotCounted(self.courses + other.courses, self.completions + other.completions,
                          self.people + other.people)

    def text(self, code: str) -> str:
        """'312 completions of 1 course not yet classified are not counted (…)', in `code`; '' if none."""
        if not self:
            return ""
        completions = ngettext_in(code, "{n} completion", "{n} completions", self.completions).format(
            n=number(self.completions, code))
        courses = ngettext_in(code, "{n} course not yet classified", "{n} courses not yet classified",
                              self.courses).format(n=number(self.courses, code))
        text = ngettext_in(code, "{completions} of {courses} is not counted.",
                           "{completions} of {courses} are not counted.", self.completions).format(
            completions=completions, courses=courses)
        if self.people:
            text += " " + ngettext_in(
                code, "{n} person would count as trained if they were classified as PSEA training.",
                "{n} people would count as trained if they were classified as PSEA training.",
                self.people).format(n=number(self.people, code))
        return text


@dataclass
class Figures:
    as_of: dt.date
    overall: Counts
    by_category: dict[str, Counts]
    by_office: dict[str, Counts]
    by_course: dict[str, tuple[int, float | None]]  # course id -> (active people holding it, rate)
    not_counted: NotCounted = field(default_factory=NotCounted)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "overall": self.overall.as_dict(),
                "by_category": {k: v.as_dict() for k, v in self.by_category.items()},
                "by_office": {k: v.as_dict() for k, v in self.by_office.items()},
                "by_course": {k: {"trained": n, "rate": r} for k, (n, r) in self.by_course.items()},
                "not_counted": self.not_counted.as_dict()}


def completion_figures(ws: Workspace, as_of: dt.date) -> Figures:
    # details=False: the figures need no names, nor the order by name (snapshot.py).
    return _figures(snapshot(ws, details=False), as_of, as_of.year)[0]


# The last few results of `_figures` for the current workspace version: the window, the report and the
# letter ask for the completion figures and the letter figure of the same date, which one pass gives.
_memo: dict[tuple[str, dt.date, int], tuple[Figures, tuple[int, int, NotCounted]]] = {}


def _figures(snap: Snapshot, as_of: dt.date, letter_year: int) -> tuple[Figures, tuple[int, int, NotCounted]]:
    key = (snap.version, as_of, letter_year)
    hit = _memo.get(key)
    if hit is None:
        if len(_memo) > 8 or any(k[0] != snap.version for k in _memo):
            _memo.clear()
        hit = _memo[key] = figures_from(snap, as_of, letter_year)
    return hit


def figures_from(snap: Snapshot, as_of: dt.date,
                 letter_year: int | None = None) -> tuple[Figures, tuple[int, int, NotCounted]]:
    """One pass over the in-memory roster (see snapshot.py for why not SQL): the completion figures
    on `as_of`, and the letter figure's (population, trained, not counted) for `letter_year` on `as_of`."""
    d = as_of.toordinal()
    year_first = dt.date(letter_year or as_of.year, 1, 1).toordinal()
    n_off = len(snap.office_names)
    n_course = len(snap.courses)
    # per (category, office) cell: active, trained, never, overdue, expiring 30, 60, 90
    masks: dict[int, int] = {}  # set of courses held validly -> number of people
    letter_cat = [code in LETTER_CATEGORIES for code in CATEGORY_CODES]
    letter_mask = 0
    for n, c in enumerate(snap.courses):
        if c.kind in LETTER_COURSE_KINDS:
            letter_mask |= 1 << n
    population = letter_trained = 0
    w30, w60, w90 = (d + w for w in EXPIRY_WINDOWS)
    cday_a, cexp_a = snap.comp_day, snap.comp_exp
    cbit = snap.course_bits()
    cfirst = snap.comp_first
    n_cat = len(CATEGORY_CODES)
    flat = [0] * (7 * n_cat * n_off)  # cell c occupies flat[7c .. 7c+6]
    # zip over the arrays: iterating is much cheaper in Python than indexing each array per person
    for start, end, cat, off, first, lo, hi in zip(snap.starts, snap.ends, snap.categories, snap.offices,
                                                   snap.first_day, cfirst, cfirst[1:], strict=False):
        if start > d or d > end:
            continue
        base = 7 * (cat * n_off + off)
        flat[base] += 1
        in_letter = letter_cat[cat]
        if in_letter:
            population += 1
        if not first or first > d:
            flat[base + 2] += 1
            continue
        if hi - lo == 1:  # one completion (the most common case): no inner loop
            exp = cexp_a[lo]
            if exp > d:
                seen = cbit[lo]
            else:
                exp = seen = 0
            if in_letter and first >= year_first and cbit[lo] & letter_mask:
                letter_trained += 1
        else:
            exp = seen = 0
            counted = not in_letter
            for k in range(lo, hi):
                cday = cday_a[k]
                if cday > d:
                    break
                cexp = cexp_a[k]
                if cexp > d:
                    seen |= cbit[k]
                    if cexp > exp:
                        exp = cexp
                if not counted and cday >= year_first and cbit[k] & letter_mask:
                    counted = True
                    letter_trained += 1
        if not exp:
            flat[base + 3] += 1
            continue
        masks[seen] = masks.get(seen, 0) + 1
        flat[base + 1] += 1
        if exp <= w90:
            flat[base + 6] += 1
            if exp <= w60:
                flat[base + 5] += 1
                if exp <= w30:
                    flat[base + 4] += 1
    course_held = [0] * n_course
    for mask, count in masks.items():
        for ci in range(n_course):
            if (mask >> ci) & 1:
                course_held[ci] += count
    overall = Counts()
    by_category = {code: Counts() for code in CATEGORY_CODES}
    by_office = {name: Counts() for name in snap.office_names}
    for ci, code in enumerate(CATEGORY_CODES):
        for oi, office in enumerate(snap.office_names):
            base = 7 * (ci * n_off + oi)
            a, t, nv, ov, e30, e60, e90 = flat[base:base + 7]
            if not a:
                continue
            c = Counts(a, t, nv, ov, {30: e30, 60: e60, 90: e90})
            overall.add(c)
            by_category[code].add(c)
            by_office[office].add(c)
    by_office = {k: v for k, v in sorted(by_office.items()) if v.active}
    held_by_id: dict[str, int] = {}
    for n, c in enumerate(snap.courses):  # variants of one course (offices' settings) add up
        if c.kind in PSEA_KINDS:
            held_by_id[c.id] = held_by_id.get(c.id, 0) + course_held[n]
    by_course = {cid: (held, (held / overall.active) if overall.active else None) for cid, held in held_by_id.items()}
    overall_left, letter_left = _not_counted(snap, d, year_first)
    figs = Figures(as_of, overall, by_category, by_office, by_course, overall_left)
    return figs, (population, letter_trained, letter_left)


def _not_counted(snap: Snapshot, d: int, year_first: int) -> tuple[NotCounted, NotCounted]:
    """Completions of courses not yet classified, as the completion figures on day `d` and the letter
    figure of the year starting `year_first` would have counted them. Usually few: a loop of its own."""
    if not len(snap.unc_row):
        return NotCounted(), NotCounted()
    letter_cat = [code in LETTER_CATEGORIES for code in CATEGORY_CODES]
    letter_kinds = [c.kind in LETTER_COURSE_KINDS for c in snap.courses]
    overall = [set(), 0, set()]   # courses, completions, people who would rise
    letter = [set(), 0, set()]
    state_of: dict[int, tuple[str, bool]] = {}
    for row, cday, cexp, ci in zip(snap.unc_row, snap.unc_day, snap.unc_exp, snap.unc_course, strict=True):
        if not (snap.starts[row] <= d <= snap.ends[row]) or cday > d:
            continue
        state = state_of.get(row)
        if state is None:
            state = state_of[row] = (person_state(snap, row, d)[0], _letter_trained(snap, row, d, year_first,
                                                                                      letter_kinds))
        if cexp > d:   # valid on d: the completion figures would have counted it
            overall[0].add(snap.courses[ci].id)
            overall[1] += 1
            if state[0] != "trained":
                overall[2].add(row)
        if letter_cat[snap.categories[row]] and cday >= year_first:
            letter[0].add(snap.courses[ci].id)
            letter[1] += 1
            if not state[1]:
                letter[2].add(row)
    return (NotCounted(len(overall[0]), overall[1], len(overall[2])),
            NotCounted(len(letter[0]), letter[1], len(letter[2])))


def _letter_trained(snap: Snapshot, row: int, d: int, year_first: int, letter_kinds: list[bool]) -> bool:
    for k in range(snap.comp_first[row], snap.comp_first[row + 1]):
        cday = snap.comp_day[k]
        if cday > d:
            break
        if cday >= year_first and letter_kinds[snap.comp_course[k]]:
            return True
    return False


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
    _figs, (population, trained, left_out) = _figures(snapshot(ws, details=False), as_of, year)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "population": population,
        "trained": trained,
        "training_rate": (trained / population) if population else None,
        "definition": LETTER_DEFINITION,
        "not_counted": left_out.as_dict(),
        "complete": not left_out,
    }


STATUSES = ("trained", "expiring", "overdue", "never", "inactive")
STATUS_LABELS = {
    "trained": N_("Trained"),
    "expiring": N_("Expiring"),
    "overdue": N_("Overdue"),
    "never": N_("Never trained"),
    "inactive": N_("Not active"),
}
