"""The rules one data row must pass to be imported, and what an accepted row adds to the plan.

A row is one person, optionally with one completion. It is refused, with a translated reason, when
its name, key (index number or e-mail), category, office, unit, dates or course are not usable, or
when it contradicts an earlier row of the file; nothing is cut or guessed silently.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

from desktop.roster.course_titles import fold
from desktop.roster.importing.mapping import NAME_PARTS, field_label
from desktop.roster.importing.plan import Plan
from desktop.roster.model import MAX_COURSE_NAME, MAX_NAME, clean_text, normalise_email, normalise_key
from desktop.roster.names import full_name
from desktop.spreadsheet.dates import BadDate, parse_date
from i18n import _

MAX_TEXT = 200   # office, unit, certificate reference: longer values are refused, never cut

# The row reader of `check`: cell(row, field code) -> the cell's value ("" when the field is not mapped).
Cell = Callable[[list[Any], str], Any]


def plan_has_parts(cell: Cell) -> bool:
    """Whether the mapping has name-part columns (`check` marks its row reader with it)."""
    return getattr(cell, "has_parts", False)


def _part(value: Any) -> str:
    return clean_text(str(value or ""))[0]


def _had_controls(value: Any) -> bool:
    return isinstance(value, str) and any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\r\n\u200c\u200d"
                                          for ch in value)


def check_row(row: list[Any], cell: Cell, plan: Plan, categories: dict[str, str], course_map: Callable[[str], str],
              order: str | None, today: dt.date, seen_keys: dict[str, tuple[int, str]],
              seen_completion: dict[tuple[str, str, str], int], index_owner: dict[str, str],
              email_owner: dict[str, str], line: int) -> str | None:
    """None when the row is accepted (and added to `plan`), else the translated reason it is refused.
    The seen_* and *_owner dicts are the earlier rows of the file, by person key and by key value."""
    raw_name = str(cell(row, "name") or "")
    name, changed = clean_text(raw_name)
    parts: dict[str, str | None] = {}
    if plan_has_parts(cell):
        family = " ".join(p for p in (_part(cell(row, "family_name")), _part(cell(row, "second_family_name"))) if p)
        given = " ".join(p for p in (_part(cell(row, "given_names")), _part(cell(row, "middle_names"))) if p)
        parts = {"family_name": family or None, "given_names": given or None}
        changed = changed or any(_had_controls(cell(row, c)) for c in NAME_PARTS)
        if not name:
            name = full_name(family, given)
    if not name:
        return _("The name is empty.")
    if len(name) > MAX_NAME:
        return _("The name is longer than {limit} characters.").format(limit=MAX_NAME)
    index_number = normalise_key(clean_text(str(cell(row, "index_number") or ""))[0])
    if isinstance(cell(row, "index_number"), float) and float(cell(row, "index_number")).is_integer():
        index_number = str(int(cell(row, "index_number")))
    email = normalise_email(clean_text(str(cell(row, "email") or ""))[0])
    if index_number is None and email is None:
        return _("Neither an index number nor an e-mail address: the person could not be recognised later.")
    if email is not None and ("@" not in email or " " in email or len(email) > 254):
        return _("The e-mail address is not valid.")
    person: dict[str, Any] = {"name": name, **parts}
    if index_number is not None:
        person["index_number"] = index_number
    if email is not None:
        person["email"] = email
    category_text = str(cell(row, "category") or "")
    if category_text.strip():
        category = categories.get(fold(category_text))
        if category is None:
            return _("Unknown personnel category: {value}").format(value=clean_text(category_text)[0][:60])
        person["category"] = category
    for code in ("duty_office", "unit"):
        value = clean_text(str(cell(row, code) or ""))[0]
        if len(value) > MAX_TEXT:
            return _("{column}: longer than {limit} characters").format(column=field_label(code), limit=MAX_TEXT)
        if value:
            person[code] = value
    for code in ("start_date", "end_date"):
        try:
            d = parse_date(cell(row, code), order)
        except BadDate as exc:
            return _("{column}: {problem}").format(column=field_label(code), problem=str(exc))
        if d is not None:
            if not 1950 <= d.year <= today.year + 10:
                return _("{column}: the year is not plausible").format(column=field_label(code))
            person[code] = d.isoformat()
    if person.get("start_date") and person.get("end_date") and person["end_date"] < person["start_date"]:
        return _("The end date is before the start date.")
    completion = None
    course_text = str(cell(row, "course") or "")
    date_value = cell(row, "completed_on")
    if course_text.strip() or (date_value not in ("", None)):
        title = clean_text(course_text)[0]
        if not title:
            return _("The course is missing.")
        if len(title) > MAX_COURSE_NAME:
            return _("{column}: longer than {limit} characters").format(column=field_label("course"),
                                                                         limit=MAX_COURSE_NAME)
        course_id = course_map(title)
        try:
            d = parse_date(date_value, order)
        except BadDate as exc:
            return _("{column}: {problem}").format(column=field_label("completed_on"), problem=str(exc))
        if d is None:
            return _("The completion date is missing.")
        if d > today or d.year < 1990:
            return _("The completion date is in the future or implausible.")
        certificate = clean_text(str(cell(row, "certificate") or ""))[0]
        if len(certificate) > MAX_TEXT:
            return _("{column}: longer than {limit} characters").format(column=field_label("certificate"),
                                                                         limit=MAX_TEXT)
        completion = (course_id, d.isoformat(), certificate)
    # one key per person in the file: the index number, else the e-mail
    key = f"i:{index_number}" if index_number is not None else f"e:{email}"
    if index_number is not None and email is not None:
        other = email_owner.get(email)
        if other is not None and other != key:
            return _("The e-mail address is also used by another person in this file (row {row}).").format(
                row=seen_keys[other][0])
    folded_name = fold(name)
    first = seen_keys.get(key)
    if first is not None:
        if first[1] != folded_name:
            return _("Same index number or e-mail as row {row}, but a different name.").format(row=first[0])
        if completion is None:
            return _("Duplicate of row {row}.").format(row=first[0])
        ck = (key, completion[0], completion[1])
        if ck in seen_completion:
            return _("Duplicate of row {row}.").format(row=seen_completion[ck])
    # accepted
    if changed or raw_name.strip() != name and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in raw_name):
        plan.cleaned += 1
    if first is None:
        seen_keys[key] = (line, folded_name)
        plan.people[key] = person
    else:
        plan.people[key].update({k: v for k, v in person.items() if k not in plan.people[key]})
    if email is not None:
        email_owner.setdefault(email, key)
    if index_number is not None:
        index_owner.setdefault(index_number, key)
    if completion is not None:
        seen_completion[(key, completion[0], completion[1])] = line
        plan.completions.append((key, *completion))
    return None
