"""Training-roster records: personnel, courses and completions (see docs/roster.md).

Three RecordKinds, all written through `ws.records`. The vocabularies (personnel categories, course
kinds) are stored as stable English codes; labels are translated when shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from desktop.spreadsheet.words import clean_text as clean_text  # re-exported: the roster's parts use it
from i18n import N_, _
from storage.records import REFERENCE_OFFICE, RecordKind, register
from storage.records import (
    StaleRecord as StaleRecord,  # re-exported: the window catches it, ui may not import storage
)

if TYPE_CHECKING:
    from storage import Workspace

PERSON = register(RecordKind("roster_person", "roster_person", (
    "name", "category", "duty_office", "unit", "index_number", "email", "start_date", "end_date",
    "family_name", "given_names")))
COURSE = register(RecordKind("roster_course", "roster_course", ("code", "name", "kind", "validity_months")))
COMPLETION = register(RecordKind("roster_completion", "roster_completion", (
    "person_id", "course_id", "completed_on", "source", "certificate")))

# ---- personnel categories ------------------------------------------------------------------------
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("staff", N_("Staff")),
    ("consultant", N_("Consultant")),
    ("contractor", N_("Individual contractor")),
    ("intern", N_("Intern")),
    ("volunteer", N_("UN Volunteer")),
    ("related", N_("Related personnel")),
    ("partner", N_("Implementing-partner personnel")),
)
CATEGORY_CODES = tuple(code for code, _label in CATEGORIES)
# The management letter's population: "UN staff and related personnel" (domain.md §1). Implementing-
# partner personnel are encouraged to train but are not counted in the letter's figure.
LETTER_CATEGORIES = ("staff", "consultant", "contractor", "intern", "volunteer", "related")


def category_label(code: str) -> str:
    for c, label in CATEGORIES:
        if c == code:
            return _(label)
    return code


# ---- courses --------------------------------------------------------------------------------------
COURSE_SETTING = register(RecordKind("roster_course_setting", "roster_course_setting", (
    "course_id", "kind", "validity_months")))

# What a course counts as. Only induction and refresher courses count for the management letter; any
# PSEA kind makes a person "trained" in the roster figures; "not PSEA" courses (BSAFE, ethics…) are
# recognised and left out on purpose; "not yet classified" courses are left out *and said so* wherever
# a figure is shown, with how many completions it leaves out (design.md: never drop data silently).
COURSE_KINDS: tuple[tuple[str, str], ...] = (
    ("induction", N_("Induction")),
    ("refresher", N_("Refresher")),
    ("other_psea", N_("Other PSEA training")),
    ("not_psea", N_("Not PSEA training")),
    ("unclassified", N_("Not yet classified")),
)
COURSE_KIND_CODES = tuple(code for code, _label in COURSE_KINDS)
LETTER_COURSE_KINDS = ("induction", "refresher")
PSEA_KINDS = ("induction", "refresher", "other_psea")
UNCLASSIFIED = "unclassified"
# Kinds written by versions before course kinds existed (the kind was the seeded course's code).
_LEGACY_KINDS = {"elearning": "induction", "predeployment": "other_psea", "managers": "other_psea",
                 "classroom": "other_psea"}
DEFAULT_VALIDITY_MONTHS = 36

# The courses every workspace starts with: reference data (storage.records.REFERENCE_OFFICE), written
# by migration 0008 with these ids, names and kinds. The UN's mandatory PSEA e-learning is what staff
# take on joining (and again as a refresher): both count for the letter, so it is an induction course.
REFERENCE_COURSES: tuple[tuple[str, str, str], ...] = (
    ("elearning", N_("PSEA e-learning"), "induction"),
    ("induction", N_("Induction"), "induction"),
    ("refresher", N_("Refresher"), "refresher"),
    ("predeployment", N_("Pre-deployment"), "other_psea"),
    ("managers", N_("Managers' module"), "induction"),
    ("classroom", N_("Classroom session"), "other_psea"),
)
# uuid is imported by the two functions below, not at the top: the registry imports this model at every
# command's start-up, which makes no ids (issue 14).
_SEED_NAMESPACE = "8a0f6c52-5d0e-4f5f-9a7c-6f1b8e0d2a11"
# Settings (an office's kind or validity for a reference course): one per office and course, with an
# id both the office and its coordinator derive the same way (migration 0008 uses the same namespace).
_SETTING_NAMESPACE = "3f1b6a70-2c55-4d8e-9d43-0b7e5c1a9f21"


@cache  # the demo and the importer ask for it once per completion
def seeded_course_id(code: str) -> str:
    """The id of a reference course (the same in every workspace)."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(_SEED_NAMESPACE), code))


def setting_id(office: str, course_id: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.UUID(_SETTING_NAMESPACE), f"{office}/{course_id}"))


def normalise_kind(kind: str | None) -> str:
    """A stored kind as one of COURSE_KIND_CODES (older workspaces stored course codes)."""
    kind = _LEGACY_KINDS.get(kind or "", kind or "")
    return kind if kind in COURSE_KIND_CODES else UNCLASSIFIED


def kind_label(kind: str) -> str:
    return _(dict(COURSE_KINDS).get(normalise_kind(kind), kind))


def parse_kind(text: str) -> str | None:
    """A kind from the command line or a spreadsheet: its code (other-psea and other_psea alike) or
    its label in any of the six languages; None when it is none of them."""
    from i18n import LANGUAGE_CODES, gettext_in

    folded = " ".join(text.replace("-", " ").replace("_", " ").casefold().split())
    for code, label in COURSE_KINDS:
        if folded == code.replace("_", " ") or any(folded == gettext_in(lang, label).casefold()
                                                   for lang in LANGUAGE_CODES):
            return code
    return None


@dataclass(frozen=True)
class Course:
    id: str
    code: str            # a reference course's code, "custom" (added in the window) or "imported"
    name: str
    kind: str            # effective for the office it is seen from (its setting, if any)
    validity_months: int
    rev: str
    office: str = ""     # '' for reference courses
    setting_office: str | None = None   # whose setting gave kind and validity (None: the course's own)

    @property
    def reference(self) -> bool:
        return self.office == REFERENCE_OFFICE

    def label(self) -> str:
        if self.reference:
            for code, label, _kind in REFERENCE_COURSES:
                if self.code == code:
                    return _(label)
        return self.name or self.code


def _course_rows(ws: Workspace) -> list[Course]:
    rows = ws.connection.execute(
        "SELECT id, code, name, kind, validity_months, rev, office FROM roster_course WHERE deleted = 0"
        " ORDER BY office != '', rowid")
    return [Course(r[0], r[1], r[2], normalise_kind(r[3]), int(r[4]), r[5], r[6]) for r in rows]


def course_settings(ws: Workspace) -> dict[tuple[str, str], tuple[str, str, int, str]]:
    """(office, course id) -> (setting id, kind, validity months, rev) of every office's settings here."""
    return {(office, cid): (sid, normalise_kind(kind), int(months), rev) for sid, office, cid, kind, months, rev
            in ws.connection.execute("SELECT id, office, course_id, kind, validity_months, rev"
                                     " FROM roster_course_setting WHERE deleted = 0")}


def courses(ws: Workspace, office: str | None = None) -> list[Course]:
    """The courses as `office` (default: this workspace's) sees them: the reference courses with that
    office's settings applied, then the courses offices added (at a coordinator, every office's)."""
    office = ws.office if office is None else office
    settings = course_settings(ws)
    out = []
    for c in _course_rows(ws):
        own = settings.get((office, c.id))
        if own is not None:
            c = replace(c, kind=own[1], validity_months=own[2], setting_office=office)
        out.append(c)
    return out


def course_variants(ws: Workspace) -> tuple[list[Course], dict[tuple[str, str | None], int]]:
    """Every course as each office that set it sees it, for figures over many offices: a completion of
    office O counts with O's setting of its course if O made one, else with the course's own kind and
    validity. Returns the variants and (course id, office or None) -> index into them."""
    variants: list[Course] = []
    index: dict[tuple[str, str | None], int] = {}
    base = {}
    for c in _course_rows(ws):
        base[c.id] = c
        index[(c.id, None)] = len(variants)
        variants.append(c)
    for (office, cid), (_sid, kind, months, _rev) in sorted(course_settings(ws).items()):
        if cid in base:
            index[(cid, office)] = len(variants)
            variants.append(replace(base[cid], kind=kind, validity_months=months, setting_office=office))
    return variants, index


def ensure_default_courses(ws: Workspace) -> None:
    """Kept for callers of earlier versions: the reference courses are written by migration 0008."""


def _check_course(kind: str, validity_months: int) -> None:
    if kind not in COURSE_KIND_CODES:
        raise InvalidPerson(_("Unknown kind of course."))
    if not 1 <= validity_months <= 240:
        raise InvalidPerson(_("The validity must be between 1 and 240 months."))


def add_course(ws: Workspace, name: str, kind: str, validity_months: int = DEFAULT_VALIDITY_MONTHS, *,
               code: str = "custom") -> dict[str, Any]:
    """A course of the office's own (e.g. a national-language session, or a title an import brought).
    Its kind decides where it counts: induction or refresher kinds count for the management letter."""
    name, _changed = clean_text(name)
    if not name:
        raise InvalidPerson(_("The name of the course is empty."))
    if len(name) > MAX_COURSE_NAME:
        raise InvalidPerson(_("The name of the course is longer than {limit} characters.").format(
            limit=MAX_COURSE_NAME))
    _check_course(kind, validity_months)
    if find_course(ws, name) is not None:
        raise InvalidPerson(_("A course with this name exists already."))
    return ws.records.insert(COURSE, {"code": code, "name": name, "kind": kind,
                                      "validity_months": int(validity_months)})


MAX_COURSE_NAME = 200


def find_course(ws: Workspace, title: str) -> Course | None:
    """The course this office knows by this title (its name, or a reference course's label in any of
    the six languages), or by its id; compared without case, accents or punctuation."""
    from desktop.roster.course_titles import fold
    from i18n import LANGUAGE_CODES, gettext_in

    wanted = fold(title)
    for c in courses(ws):
        if c.id == title:
            return c
        if not c.reference and c.office != ws.office:
            continue
        names = {fold(c.name), fold(c.label())}
        if c.reference:
            names |= {fold(c.code)} | {fold(gettext_in(lang, c.name)) for lang in LANGUAGE_CODES}
        if wanted in names:
            return c
    return None


def set_course_kind(ws: Workspace, course_id: str, kind: str | None = None,
                    validity_months: int | None = None) -> Course:
    """Classify a course (and/or change its validity) for this office. A reference course gets (or
    changes) this office's setting; a course of the office's own is edited; another office's course
    is that office's to classify."""
    current = next((c for c in courses(ws) if c.id == course_id), None)
    if current is None:
        raise InvalidPerson(_("There is no such course."))
    kind = current.kind if kind is None else kind
    months = current.validity_months if validity_months is None else int(validity_months)
    _check_course(kind, months)
    if current.reference:
        sid = setting_id(ws.office, course_id)
        existing = ws.records.get(COURSE_SETTING, sid, include_deleted=True)
        data = {"course_id": course_id, "kind": kind, "validity_months": months}
        if existing is None:
            ws.records.insert(COURSE_SETTING, data, record_id=sid)
        else:
            ws.records.update(COURSE_SETTING, sid, data)
    elif current.office == ws.office:
        ws.records.update(COURSE, course_id, {"kind": kind, "validity_months": months})
    else:
        raise InvalidPerson(_("This course belongs to the office {office}: it classifies its own courses.").format(
            office=current.office))
    return next(c for c in courses(ws) if c.id == course_id)


def save_courses(ws: Workspace, changes: dict[str, tuple[str, int]], new: tuple[str, str] | None = None) -> None:
    """The Courses dialog's use case: classify courses and set their validity {id: (kind, months)},
    and add a new course (name, kind), all or nothing."""
    with ws.transaction():
        for course_id, (kind, months) in changes.items():
            set_course_kind(ws, course_id, kind, months)
        if new is not None:
            add_course(ws, new[0], new[1])


def set_course_validity(ws: Workspace, course_id: str, months: int) -> None:
    if not 1 <= months <= 240:
        raise ValueError(_("The validity must be between 1 and 240 months."))
    set_course_kind(ws, course_id, validity_months=months)


def course_completions(ws: Workspace) -> dict[str, int]:
    """Current completions per course id (every office's, at a coordinator)."""
    return dict(ws.connection.execute(
        "SELECT course_id, count(*) FROM roster_completion WHERE deleted = 0 GROUP BY course_id").fetchall())


# ---- cleaning user text: desktop/spreadsheet/words.py (every importer cleans cells the same way) ----


def normalise_email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def normalise_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# ---- editing -----------------------------------------------------------------------------------
class InvalidPerson(ValueError):
    """A person's details that cannot be saved; the message is translated and says why."""


def validate_person(data: dict[str, Any]) -> dict[str, Any]:
    name, _changed = clean_text(str(data.get("name") or ""))
    if not name:
        raise InvalidPerson(_("The name is empty."))
    if len(name) > MAX_NAME:
        raise InvalidPerson(_("The name is longer than {limit} characters.").format(limit=MAX_NAME))
    category = data.get("category")
    if category not in CATEGORY_CODES:
        raise InvalidPerson(_("Unknown personnel category."))
    index_number = normalise_key(data.get("index_number"))
    email = normalise_email(data.get("email"))
    if email is not None and ("@" not in email or " " in email):
        raise InvalidPerson(_("The e-mail address is not valid."))
    start, end = data.get("start_date") or None, data.get("end_date") or None
    for value in (start, end):
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise InvalidPerson(_("A date is not valid.")) from None
    if start and end and end < start:
        raise InvalidPerson(_("The end date is before the start date."))
    out = {"name": name, "category": category,
           "duty_office": clean_text(str(data.get("duty_office") or ""))[0],
           "unit": clean_text(str(data.get("unit") or ""))[0],
           "index_number": index_number, "email": email, "start_date": start, "end_date": end}
    for part in ("family_name", "given_names"):  # kept only when given (an import's name columns)
        if part in data:
            out[part] = clean_text(str(data.get(part) or ""))[0] or None
    return out


MAX_NAME = 300


def _key_taken(ws: Workspace, person: dict[str, Any], own_id: str | None) -> bool:
    for column in ("index_number", "email"):
        value = person.get(column)
        if value is None:
            continue
        row = ws.connection.execute(
            f"SELECT id FROM roster_person WHERE deleted = 0 AND {column} = ? AND id IS NOT ?",  # noqa: S608
            (value, own_id)).fetchone()
        if row is not None:
            return True
    return False


def add_person(ws: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    person = validate_person(data)
    if _key_taken(ws, person, None):
        raise InvalidPerson(_("Another person already has this index number or e-mail address."))
    return ws.records.insert(PERSON, person)


def edit_person(ws: Workspace, person_id: str, data: dict[str, Any], *, expected_rev: str | None = None) -> dict[str, Any]:
    person = validate_person(data)
    current = ws.records.get(PERSON, person_id)
    if current is not None and current["name"] != person["name"] and "family_name" not in person:
        # The full name was retyped: the parts an import brought no longer describe it.
        person.update(family_name=None, given_names=None)
    if _key_taken(ws, person, person_id):
        raise InvalidPerson(_("Another person already has this index number or e-mail address."))
    return ws.records.update(PERSON, person_id, person, expected_rev=expected_rev)


def remove_person(ws: Workspace, person_id: str, *, expected_rev: str | None = None) -> None:
    """Tombstone the person and their completions together."""
    with ws.transaction():
        for (cid,) in ws.connection.execute(
                "SELECT id FROM roster_completion WHERE deleted = 0 AND person_id = ?", (person_id,)).fetchall():
            ws.records.delete(COMPLETION, cid)
        ws.records.delete(PERSON, person_id, expected_rev=expected_rev)


def record_session(ws: Workspace, person_ids: list[str], course_id: str, on: dt.date, *,
                   source: str = "classroom", certificate: str = "") -> int:
    """Record that these people completed a course on a date (a classroom session). People who already
    have that completion are skipped; returns how many completions were added."""
    if on > dt.date.today() + dt.timedelta(days=1):
        raise ValueError(_("The date of the session is in the future."))
    iso = on.isoformat()
    with ws.transaction():
        have = {pid for (pid,) in ws.connection.execute(
            "SELECT person_id FROM roster_completion WHERE deleted = 0 AND course_id = ? AND completed_on = ?",
            (course_id, iso))}
        rows = [{"person_id": pid, "course_id": course_id, "completed_on": iso, "source": source,
                 "certificate": certificate} for pid in dict.fromkeys(person_ids) if pid not in have]
        ws.records.insert_many(COMPLETION, rows)
    return len(rows)


def person_detail(ws: Workspace, person_id: str) -> dict[str, Any] | None:
    """A person, their completions (newest first) and the history of their record."""
    person = ws.records.get(PERSON, person_id)
    if person is None:
        return None
    names = {c.id: c.label() for c in courses(ws)}
    rows = ws.connection.execute(
        "SELECT id, course_id, completed_on, source, certificate, rev FROM roster_completion"
        " WHERE deleted = 0 AND person_id = ? ORDER BY completed_on DESC", (person_id,)).fetchall()
    completions = [{"id": r[0], "course_id": r[1], "course": names.get(r[1], r[1]), "completed_on": r[2],
                    "source": r[3], "certificate": r[4], "rev": r[5]} for r in rows]
    return {"person": person, "completions": completions, "history": ws.records.history(PERSON, person_id)}
