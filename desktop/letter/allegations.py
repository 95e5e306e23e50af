"""The allegations register, minimal by design (domain.md "Allegations").

Case files belong in confidential systems (iReport, OIOS). PSEA Desk keeps only what the letter
needs: per year, counts by personnel category, status and the body the allegations were referred
to. The fields are codes and numbers only, so no name of a victim, witness or subject can be typed.
One row per (year, category, status, referred_to); entering the same combination again replaces
its count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from i18n import N_
from storage.records import RecordKind, register

if TYPE_CHECKING:
    from storage import Workspace

ALLEGATION_COUNT = register(RecordKind(
    "allegation_count", "allegation_count", ("year", "category", "status", "referred_to", "count")))

CATEGORIES = ("staff", "former_staff", "related_personnel", "partner_personnel")
CATEGORY_LABELS = {
    "staff": N_("Staff"),
    "former_staff": N_("Former staff"),
    "related_personnel": N_("Related personnel"),
    "partner_personnel": N_("Implementing-partner personnel"),
}
# The letter reports allegations against its staff and related personnel apart from those against
# implementing partners' personnel, as the Secretary-General's reports do (A/78/774).
UN_CATEGORIES = ("staff", "former_staff", "related_personnel")
# How the letter names who was involved, and where a case stands, in running text.
INVOLVED_IN_TEXT = {
    "staff": N_("staff members"),
    "former_staff": N_("former staff members"),
    "related_personnel": N_("related personnel"),
    "partner_personnel": N_("personnel of implementing partners"),
}
STATUS_IN_TEXT = {
    "referred": N_("referred, awaiting action"),
    "under_assessment": N_("under assessment"),
    "under_investigation": N_("under investigation"),
    "substantiated": N_("substantiated"),
    "unsubstantiated": N_("not substantiated"),
    "closed": N_("closed"),
}
BODY_IN_TEXT = {
    "oios": N_("the Office of Internal Oversight Services"),
    "entity_oversight": N_("the entity's investigation office"),
    "partner": N_("the implementing partner"),
    "national_authorities": N_("national authorities"),
    "other": N_("another body"),
}
STATUSES = ("referred", "under_assessment", "under_investigation", "substantiated", "unsubstantiated", "closed")
STATUS_LABELS = {
    "referred": N_("Referred"),
    "under_assessment": N_("Under assessment"),
    "under_investigation": N_("Under investigation"),
    "substantiated": N_("Substantiated"),
    "unsubstantiated": N_("Unsubstantiated"),
    "closed": N_("Closed"),
}
BODIES = ("oios", "entity_oversight", "partner", "national_authorities", "other", "")
BODY_LABELS = {
    "oios": N_("OIOS"),
    "entity_oversight": N_("Entity's investigation office"),
    "partner": N_("Implementing partner"),
    "national_authorities": N_("National authorities"),
    "other": N_("Other body"),
    "": N_("Not referred"),
}
MAX_COUNT = 100_000


class InvalidAllegation(ValueError):
    """Bad input; `message` is an untranslated msgid, `params` its placeholders."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def _check(year: Any, category: str, status: str, referred_to: str, count: Any) -> tuple[int, int]:
    try:
        year_i = int(year)
    except (TypeError, ValueError):
        raise InvalidAllegation(N_("The year must be a number such as {example}."), example=dt.date.today().year) from None
    if not 2000 <= year_i <= 2100:
        raise InvalidAllegation(N_("The year must be between 2000 and 2100."))
    if category not in CATEGORIES:
        raise InvalidAllegation(N_("Unknown personnel category."))
    if status not in STATUSES:
        raise InvalidAllegation(N_("Unknown status."))
    if referred_to not in BODIES:
        raise InvalidAllegation(N_("Unknown body."))
    try:
        count_i = int(count)
    except (TypeError, ValueError):
        raise InvalidAllegation(N_("The number of allegations must be a whole number.")) from None
    if not 0 <= count_i <= MAX_COUNT:
        raise InvalidAllegation(N_("The number of allegations must be between 0 and {maximum}."), maximum=MAX_COUNT)
    return year_i, count_i


def set_count(ws: Workspace, year: int, category: str, status: str, referred_to: str, count: int) -> dict[str, Any]:
    """Record how many allegations of one kind the year had; 0 removes the row."""
    year_i, count_i = _check(year, category, status, referred_to, count)
    with ws.transaction():
        row = ws.connection.execute(
            "SELECT id, count FROM allegation_count WHERE deleted = 0 AND office = ? AND year = ? AND category = ?"
            " AND status = ? AND referred_to = ?", (ws.office, year_i, category, status, referred_to)).fetchone()
        if row is None:
            if count_i == 0:
                return {}
            return ws.records.insert(ALLEGATION_COUNT, {"year": year_i, "category": category, "status": status,
                                                        "referred_to": referred_to, "count": count_i})
        if count_i == 0:
            return ws.records.delete(ALLEGATION_COUNT, row[0])
        return ws.records.update(ALLEGATION_COUNT, row[0], {"count": count_i})


def delete_entry(ws: Workspace, record_id: str) -> None:
    ws.records.delete(ALLEGATION_COUNT, record_id)


def entries(ws: Workspace, year: int) -> list[dict[str, Any]]:
    cols = ALLEGATION_COUNT.columns
    rows = ws.connection.execute(
        f"SELECT {', '.join(cols)} FROM allegation_count WHERE deleted = 0 AND year = ?",  # noqa: S608
        (int(year),)).fetchall()
    out = [dict(zip(cols, r, strict=True)) for r in rows]
    order = {c: n for n, c in enumerate(CATEGORIES)}
    sorder = {s: n for n, s in enumerate(STATUSES)}
    out.sort(key=lambda r: (order.get(r["category"], 99), sorder.get(r["status"], 99), r["referred_to"], r["office"]))
    return out


@dataclass(frozen=True)
class AllegationSummary:
    year: int
    total: int
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_body: dict[str, int]
    table: dict[str, dict[str, int]]  # category → status → count
    bodies: dict[str, dict[str, int]] = None  # type: ignore[assignment]  # category → body → count

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "total": self.total, "by_category": self.by_category,
                "by_status": self.by_status, "by_body": self.by_body, "table": self.table,
                "bodies": self.bodies or {}}


def summary(ws: Workspace, year: int) -> AllegationSummary:
    """Counts for the letter; every office of the workspace (a coordinator's merged view) included."""
    by_category: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    by_status: dict[str, int] = dict.fromkeys(STATUSES, 0)
    by_body: dict[str, int] = defaultdict(int)
    table: dict[str, dict[str, int]] = {c: dict.fromkeys(STATUSES, 0) for c in CATEGORIES}
    bodies: dict[str, dict[str, int]] = {c: {} for c in CATEGORIES}
    total = 0
    for category, status, body, count in ws.connection.execute(
            "SELECT category, status, referred_to, SUM(count) FROM allegation_count WHERE deleted = 0 AND year = ?"
            " GROUP BY category, status, referred_to", (int(year),)):
        count = int(count or 0)
        total += count
        by_category[category] = by_category.get(category, 0) + count
        by_status[status] = by_status.get(status, 0) + count
        if body:
            by_body[body] += count
            bodies.setdefault(category, {})[body] = bodies.get(category, {}).get(body, 0) + count
        table.setdefault(category, dict.fromkeys(STATUSES, 0))[status] = table[category].get(status, 0) + count
    return AllegationSummary(int(year), total, by_category, by_status, dict(by_body), table, bodies)
