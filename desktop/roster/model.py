"""Training-roster records: personnel, courses and completions (see docs/roster.md).

Three RecordKinds, all written through `ws.records`. The vocabularies (personnel categories, course
kinds) are stored as stable English codes; labels are translated when shown.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from i18n import N_, _
from storage import Workspace
from storage.records import RecordKind, register
from storage.records import (
    StaleRecord as StaleRecord,  # re-exported: the window catches it, ui may not import storage
)

PERSON = register(RecordKind("roster_person", "roster_person", (
    "name", "category", "duty_office", "unit", "index_number", "email", "start_date", "end_date")))
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
COURSE_KINDS: tuple[tuple[str, str], ...] = (
    ("elearning", N_("PSEA e-learning")),
    ("induction", N_("Induction")),
    ("refresher", N_("Refresher")),
    ("predeployment", N_("Pre-deployment")),
    ("managers", N_("Managers' module")),
    ("classroom", N_("Classroom session")),
)
COURSE_KIND_CODES = tuple(code for code, _label in COURSE_KINDS)
LETTER_COURSE_KINDS = ("induction", "refresher")
DEFAULT_VALIDITY_MONTHS = 36
# Seeded courses get the same id in every workspace so that merged rosters do not list a course twice.
_SEED_NAMESPACE = uuid.UUID("8a0f6c52-5d0e-4f5f-9a7c-6f1b8e0d2a11")


def seeded_course_id(code: str) -> str:
    return str(uuid.uuid5(_SEED_NAMESPACE, code))


@dataclass(frozen=True)
class Course:
    id: str
    code: str
    name: str
    kind: str
    validity_months: int
    rev: str

    def label(self) -> str:
        for code, label in COURSE_KINDS:
            if self.code == code and (not self.name or self.name == label):
                return _(label)
        return self.name or self.code


def ensure_default_courses(ws: Workspace) -> None:
    """Seed the six standard courses once (validity 3 years each, editable)."""
    have = {row[0] for row in ws.connection.execute("SELECT id FROM roster_course")}
    missing = [(code, label) for code, label in COURSE_KINDS if seeded_course_id(code) not in have]
    if not missing:
        return
    ws.records.insert_many(COURSE, [
        {"code": code, "name": label, "kind": code, "validity_months": DEFAULT_VALIDITY_MONTHS}
        for code, label in missing], ids=[seeded_course_id(code) for code, _l in missing])


def courses(ws: Workspace) -> list[Course]:
    rows = ws.connection.execute(
        "SELECT id, code, name, kind, validity_months, rev FROM roster_course WHERE deleted = 0 ORDER BY rowid")
    return [Course(*row) for row in rows]


def add_course(ws: Workspace, name: str, kind: str, validity_months: int = DEFAULT_VALIDITY_MONTHS) -> dict[str, Any]:
    """A course of the entity's own (e.g. a national-language session). Its kind decides where it
    counts: induction or refresher kinds count for the management letter."""
    name, _changed = clean_text(name)
    if not name:
        raise InvalidPerson(_("The name of the course is empty."))
    if kind not in COURSE_KIND_CODES:
        raise InvalidPerson(_("Unknown kind of course."))
    if not 1 <= validity_months <= 240:
        raise InvalidPerson(_("The validity must be between 1 and 240 months."))
    if any(c.name.casefold() == name.casefold() or c.label().casefold() == name.casefold() for c in courses(ws)):
        raise InvalidPerson(_("A course with this name exists already."))
    return ws.records.insert(COURSE, {"code": "custom", "name": name[:200], "kind": kind,
                                      "validity_months": int(validity_months)})


def set_course_validity(ws: Workspace, course_id: str, months: int) -> None:
    if not 1 <= months <= 240:
        raise ValueError(_("The validity must be between 1 and 240 months."))
    ws.records.update(COURSE, course_id, {"validity_months": int(months)})


# ---- cleaning user text ----------------------------------------------------------------------------
# Bidi embedding/override/isolate controls and marks: they can make a name display as something else
# (the "Trojan Source" trick) and have no place in a roster. Other Cc/Cf characters likewise, except
# the zero-width (non-)joiners that Arabic, Persian and Indic names legitimately use.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def clean_text(value: str) -> tuple[str, bool]:
    """Strip control and bidi-format characters; collapse whitespace. Returns (text, changed)."""
    out = []
    changed = False
    for ch in value:
        cat = unicodedata.category(ch)
        if ch in "\t\r\n":
            out.append(" ")
            continue
        if (cat == "Cc" or cat == "Cf") and ch not in _KEEP_FORMAT:
            changed = True
            continue
        out.append(ch)
    text = " ".join("".join(out).split())
    text = unicodedata.normalize("NFC", text)
    return text, changed


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
    return {"name": name, "category": category,
            "duty_office": clean_text(str(data.get("duty_office") or ""))[0],
            "unit": clean_text(str(data.get("unit") or ""))[0],
            "index_number": index_number, "email": email, "start_date": start, "end_date": end}


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
