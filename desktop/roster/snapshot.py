"""The roster held in memory in a compact form: the basis of the figures, the window's table and the
exports.

Why not SQL per figure: every page SQLCipher reads is decrypted and HMAC-checked, and scanning
100,000 people and their completions takes hundreds of milliseconds on a field laptop, several
seconds for the grouped status query. So the roster is read once per workspace version (the audit
log's length changes with every write, local or merged) into parallel lists — dates as day numbers,
categories and offices as small integers — and each figure is one Python pass over those lists.
Nothing of it is written anywhere: it lives only in this process's memory, like the open workspace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import heapq
import weakref
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from desktop.roster.model import CATEGORY_CODES, PSEA_KINDS, UNCLASSIFIED, Course, course_variants

if TYPE_CHECKING:
    from storage import Workspace

NO_END = 10**7  # a day number after any real date
EXPIRY_WINDOWS = (30, 60, 90)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    for d in range(day.day, 27, -1):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


@dataclass
class Snapshot:
    version: str
    # Course variants: every course, plus one per office that set its own kind or validity for a
    # reference course (model.course_variants); completions below point into this list.
    courses: list[Course]
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    categories: array = field(default_factory=lambda: array("b"))  # index into CATEGORY_CODES
    offices: array = field(default_factory=lambda: array("l"))     # index into office_names
    office_names: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    index_numbers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    starts: array = field(default_factory=lambda: array("l"))      # day numbers; 0 = no start date
    ends: array = field(default_factory=lambda: array("l"))        # NO_END = still active
    # Completions of person p are rows comp_first[p] .. comp_first[p + 1] - 1 of the comp_* arrays,
    # sorted by day: completed day, expiry day (day + the course's validity), course index.
    comp_first: array = field(default_factory=lambda: array("l"))
    comp_day: array = field(default_factory=lambda: array("l"))
    comp_exp: array = field(default_factory=lambda: array("l"))
    comp_course: array = field(default_factory=lambda: array("l"))
    # Per person: first and last completed day, latest expiry (0 when never trained): the fast path.
    first_day: array = field(default_factory=lambda: array("l"))
    last_day: array = field(default_factory=lambda: array("l"))
    best_expiry: array = field(default_factory=lambda: array("l"))
    haystack: list[str] = field(default_factory=list)
    # Completions left out of every figure: of courses not yet classified (counted and shown as "not
    # counted" beside each figure), and how many of courses classified as not PSEA (left out on purpose).
    # unc_row: the person's row; unc_course: the course variant; days as above.
    unc_row: array = field(default_factory=lambda: array("l"))
    unc_day: array = field(default_factory=lambda: array("l"))
    unc_exp: array = field(default_factory=lambda: array("l"))
    unc_course: array = field(default_factory=lambda: array("l"))
    not_psea_completions: int = 0
    # Row numbers in display order (by name, case-insensitive); rows themselves are in file order.
    order: array = field(default_factory=lambda: array("l"))
    # False: the figures' columns only (`snapshot(ws, details=False)`): names, units, index numbers,
    # e-mails, haystack and order are empty. The figures need none of them; the list, the filter and the
    # exports ask for them, and `snapshot` then adds them to the same rows.
    details: bool = True
    # False: the people only, without their completions (`people_first`): shown while the rest loads.
    complete: bool = True

    def __len__(self) -> int:
        return len(self.ids)

    def category_code(self, row: int) -> str:
        return CATEGORY_CODES[self.categories[row]]

    def office(self, row: int) -> str:
        return self.office_names[self.offices[row]]

    def course_bits(self) -> array | list[int]:
        """Per completion, 1 << course index (built once, kept): a set of courses as an int mask. A
        coordinator may hold more courses than 63 bits: then plain Python ints (any size)."""
        bits = self.__dict__.get("_course_bits")
        if bits is None:
            values = (1 << c for c in self.comp_course)
            bits = array("q", values) if len(self.courses) < 63 else list(values)
            self.__dict__["_course_bits"] = bits
        return bits

    def course_index(self, course_id: str) -> int:
        for n, c in enumerate(self.courses):
            if c.id == course_id:
                return n
        raise KeyError(course_id)


_cache: dict[str, Snapshot] = {}


# What the roster reads: a write to anything else (an allegation count, a risk assessment) keeps it.
KINDS = ("roster_person", "roster_completion", "roster_course", "roster_course_setting", "office", "meta")


def data_version(ws: Workspace) -> str:
    """Changes when a kind the roster reads was written (storage's change events), and differs between
    offices inside the regional view's office scope (its `scope` meta key)."""
    return f"{ws.workspace_id}:{ws.get_meta('scope', '')}:{ws.version_of(KINDS)}"


def snapshot(ws: Workspace, progress: Callable[[int], None] | None = None, *, details: bool = True) -> Snapshot:
    """The current roster of this workspace, reloaded only when the data changed.

    `details=False` (the figures): a roster without the people's names, units, index numbers and
    e-mails, and not ordered by name: what `roster stats` and the regional view need, about a sixth
    less work. Whatever is cached and current serves it; a later call that wants the details adds them
    to that roster (one more read of the people, no second read of the completions)."""
    version = data_version(ws)
    key = str(ws.path)
    cached = _cache.get(key)
    if cached is not None and cached.version == version:
        if cached.details or not details:
            return cached
        snap = _with_details(ws, cached, progress)
    else:
        snap = _load(ws, version, progress, details=details)
    _cache.clear()  # one workspace open at a time: do not keep another one's roster in memory
    _cache[key] = snap
    # When the workspace object goes (locked, closed), its roster goes from memory with it.
    weakref.finalize(ws, _cache.pop, key, None)
    return snap


def is_current(ws: Workspace) -> bool:
    """Whether the roster in memory is this workspace's as it is now (a load would cost nothing)."""
    cached = _cache.get(str(ws.path))
    return cached is not None and cached.version == data_version(ws) and cached.details


def people_first(ws: Workspace, progress: Callable[[int], None] | None = None) -> Snapshot:
    """The people in name order, without their completions (`complete` False): about a third of a
    first load (0.4 of 1.2 s at 100,000 people), for the list to show its rows at once while the
    completions are read. Not cached: the full roster follows."""
    return _load(ws, data_version(ws), progress, completions=False)


def forget(ws: Workspace | None = None) -> None:
    """Drop the cached roster (the window calls this when it locks)."""
    _cache.clear()


def _name_order(names: list[str], ids: list[str], chunk: int = 8192) -> Iterator[int]:
    """Row numbers ordered by name (case-folded), then id. Each row's key is one string, the folded
    name, NUL, the id (NUL sorts before every character, so this is the order of the pair), compared in
    C without building tuples (half the time of (name, id, row) tuples). Sorted in chunks and merged:
    one `sorted` of 100,000 keys is a single call that holds the interpreter lock for ~0.1 s, which the
    window's thread (painting, a progress bar) would feel as a freeze; chunks hold it a few ms each."""
    keys = [f"{name.casefold()}\x00{rid}" for name, rid in zip(names, ids, strict=True)]
    key = keys.__getitem__
    runs = [sorted(range(start, min(start + chunk, len(keys))), key=key) for start in range(0, len(keys), chunk)]
    return heapq.merge(*runs, key=key)


class _Days(dict):
    """ISO date -> ordinal day; no date (None, "") is day 0."""

    def __missing__(self, iso: str | None) -> int:
        value = self[iso] = dt.date.fromisoformat(iso).toordinal() if iso else 0
        return value


# The people's columns: with their details (the list, the filter, the exports), or without (figures).
_PEOPLE = ("SELECT id, name, category, duty_office, unit, coalesce(index_number, ''), coalesce(email, ''),"
           " start_date, end_date FROM roster_person NOT INDEXED WHERE deleted = 0")
_PEOPLE_FOR_FIGURES = ("SELECT id, '', category, duty_office, '', '', '', start_date, end_date"
                       " FROM roster_person NOT INDEXED WHERE deleted = 0")
_DETAILS = ("SELECT id, name, duty_office, unit, coalesce(index_number, ''), coalesce(email, '')"
            " FROM roster_person NOT INDEXED WHERE deleted = 0")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a roster loads. A load makes hundreds of thousands of small
    tuples and lists that die young, and reaching the allocation thresholds sets off full collections
    that walk every object of the process, the window's included, holding the interpreter lock: the
    window's thread froze for up to ~90 ms during a first load of 100,000 people. Nothing a load makes
    holds a cycle; collections resume where they were afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(ws: Workspace, version: str, progress: Callable[[int], None] | None, *, details: bool = True,
          completions: bool = True) -> Snapshot:
    with _collector_paused():
        return _read(ws, version, progress, details=details, completions=completions)


def _read(ws: Workspace, version: str, progress: Callable[[int], None] | None, *, details: bool,
          completions: bool) -> Snapshot:
    course_list, variant_of = course_variants(ws)
    validity = [c.validity_months for c in course_list]
    counted = [c.kind in PSEA_KINDS for c in course_list]
    unclassified = [c.kind == UNCLASSIFIED for c in course_list]
    snap = Snapshot(version, course_list, details=details, complete=completions)
    cat_pos = {code: n for n, code in enumerate(CATEGORY_CODES)}
    office_pos: dict[str, int] = {}
    day = _Days()   # ISO date -> ordinal day, each distinct date parsed once (a plain lookup per row)
    # ISO date -> expiry day, one table per validity (months): a plain lookup per row, no key tuple built.
    expiry_of: dict[int, dict[str, int]] = {}
    expiry_for = [expiry_of.setdefault(months, {}) for months in validity]
    # Course id -> its variant, for the courses no office set its own kind or validity of (nearly all):
    # one lookup by the id instead of two by (id, office).
    plain = {cid: ci for (cid, office), ci in variant_of.items() if office is None}
    set_by_office = {cid for (cid, office) in variant_of if office is not None}

    by_person: dict[str, list[tuple[int, int, int]]] = {}
    left_out: dict[str, list[tuple[int, int, int]]] = {}
    # NOT INDEXED: every row is read, and the planner would otherwise walk a partial index and look up
    # each row's office in the table (2 s instead of 0.2 s for 260,000 completions).
    rows = ws.connection.execute(
        "SELECT person_id, course_id, completed_on, office FROM roster_completion NOT INDEXED"
        " WHERE deleted = 0") if completions else ()
    for person_id, course_id, completed_on, office in rows:
        # The completion's office decides which setting of its course applies (the office's own).
        ci = variant_of.get((course_id, office)) if course_id in set_by_office else None
        if ci is None:
            ci = plain.get(course_id)
        if ci is None:
            continue  # course removed: its completions no longer count
        if not counted[ci]:
            if unclassified[ci]:
                left_out.setdefault(person_id, []).append((day[completed_on], 0, ci))
            else:
                snap.not_psea_completions += 1
            continue
        expiry = expiry_for[ci]
        exp = expiry.get(completed_on)
        if exp is None:
            exp = expiry[completed_on] = add_months(dt.date.fromisoformat(completed_on), validity[ci]).toordinal()
        comps = by_person.get(person_id)
        if comps is None:
            by_person[person_id] = [(day[completed_on], exp, ci)]
        else:
            comps.append((day[completed_on], exp, ci))

    # Streamed row by row into the arrays (never a list of all rows), then ordered by name.
    cur = ws.connection.execute(_PEOPLE if details else _PEOPLE_FOR_FIGURES)
    # Methods bound once: this loop runs once per person (100,000 in a large office).
    add_id, add_name, add_category, add_office = snap.ids.append, snap.names.append, snap.categories.append, \
        snap.offices.append
    add_unit, add_index, add_email = snap.units.append, snap.index_numbers.append, snap.emails.append
    add_start, add_end, add_first_comp = snap.starts.append, snap.ends.append, snap.comp_first.append
    add_day, add_exp, add_course = snap.comp_day.append, snap.comp_exp.append, snap.comp_course.append
    add_first, add_last, add_best = snap.first_day.append, snap.last_day.append, snap.best_expiry.append
    add_hay, pop_comps, pop_left = snap.haystack.append, by_person.pop, left_out.pop
    office_names, comp_day = snap.office_names, snap.comp_day
    for n, (pid, name, category, office, unit, index_number, email, start, end) in enumerate(cur, 1):
        add_id(pid)
        add_category(cat_pos.get(category, 0))
        op = office_pos.get(office)
        if op is None:
            op = office_pos[office] = len(office_names)
            office_names.append(office)
        add_office(op)
        if details:
            add_name(name)
            add_unit(unit)
            add_index(index_number)
            add_email(email)
            add_hay(f"{name}\x00{index_number}\x00{email}\x00{unit}\x00{office}".casefold())
        add_start(day[start])
        add_end(day[end] if end else NO_END)
        add_first_comp(len(comp_day))
        comps = pop_comps(pid, None)
        if comps:
            comps.sort()
            best = 0
            for cday, cexp, ci in comps:
                add_day(cday)
                add_exp(cexp)
                add_course(ci)
                if cexp > best:
                    best = cexp
            add_first(comps[0][0])
            add_last(comps[-1][0])
            add_best(best)
        else:
            add_first(0)
            add_last(0)
            add_best(0)
        left = pop_left(pid, None)
        if left:
            row = n - 1
            for cday, _exp, ci in left:
                snap.unc_row.append(row)
                snap.unc_day.append(cday)
                snap.unc_exp.append(add_months(dt.date.fromordinal(cday), validity[ci]).toordinal())
                snap.unc_course.append(ci)
        if progress is not None and n % 20000 == 0:
            progress(n)
    del by_person
    if details:
        snap.order = array("l", _name_order(snap.names, snap.ids))
    snap.comp_first.append(len(snap.comp_day))
    return snap


def _with_details(ws: Workspace, snap: Snapshot, progress: Callable[[int], None] | None) -> Snapshot:
    """`snap` (a roster loaded for the figures) with the people's details and the order by name: a new
    Snapshot sharing the figures' columns (whoever holds `snap` may still be reading it)."""
    names: list[str] = []
    units: list[str] = []
    index_numbers: list[str] = []
    emails: list[str] = []
    haystack: list[str] = []
    ids = snap.ids
    for n, (pid, name, office, unit, index_number, email) in enumerate(ws.connection.execute(_DETAILS)):
        if n >= len(ids) or ids[n] != pid:
            # Not the same rows (cannot happen at the same data version): read everything again.
            return _load(ws, snap.version, progress)
        names.append(name)
        units.append(unit)
        index_numbers.append(index_number)
        emails.append(email)
        haystack.append(f"{name}\x00{index_number}\x00{email}\x00{unit}\x00{office}".casefold())
        if progress is not None and (n + 1) % 20000 == 0:
            progress(n + 1)
    if len(names) != len(ids):
        return _load(ws, snap.version, progress)
    return replace(snap, names=names, units=units, index_numbers=index_numbers, emails=emails, haystack=haystack,
                   order=array("l", _name_order(names, ids)), details=True)


# ---- status of each person on a date ---------------------------------------------------------------
def person_state(snap: Snapshot, row: int, d: int) -> tuple[str, int]:
    """("inactive" | "never" | "overdue" | "trained", expiry day of the best completion on or before
    d, 0 if none). See figures.py for the definitions."""
    if not (snap.starts[row] <= d <= snap.ends[row]):
        return "inactive", 0
    first = snap.first_day[row]
    if not first or first > d:
        return "never", 0
    if snap.last_day[row] <= d:
        exp = snap.best_expiry[row]
    else:
        exp = 0
        for k in range(snap.comp_first[row], snap.comp_first[row + 1]):
            if snap.comp_day[k] > d:
                break
            exp = max(exp, snap.comp_exp[k])
    if exp <= d:
        return "overdue", exp
    return "trained", exp


def statuses(snap: Snapshot, as_of: dt.date) -> tuple[list[str], list[int]]:
    """Per person: status ("trained", "expiring", "overdue", "never", "inactive") and, for
    "expiring", the smallest window of EXPIRY_WINDOWS it expires in (else 0)."""
    d = as_of.toordinal()
    out_status: list[str] = []
    out_within: list[int] = []
    for row in range(len(snap.ids)):
        st, exp = person_state(snap, row, d)
        within = 0
        if st == "trained" and exp - d <= EXPIRY_WINDOWS[-1]:
            st = "expiring"
            within = next(w for w in EXPIRY_WINDOWS if exp - d <= w)
        out_status.append(st)
        out_within.append(within)
    return out_status, out_within
