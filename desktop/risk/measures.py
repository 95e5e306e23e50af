"""Mitigation measures of a rated factor: adding, changing, listing, and when one is open or overdue.

A measure belongs to one rating (and, for plain queries, to its assessment). "Open" and "overdue"
are decided here only, so that the register, the figures of the letter and the report agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from desktop.risk.model import MEASURE, MEASURE_STATUSES, OPEN_STATUSES, RiskError, iso_date
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


def _clean_measure(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "action" in data:
        out["action"] = str(data["action"] or "").strip()
        if not out["action"]:
            raise RiskError(_("Describe the mitigation measure."))
    if "owner" in data:
        out["owner"] = str(data["owner"] or "").strip()
    if "evidence" in data:
        out["evidence"] = str(data["evidence"] or "").strip()
    if "due_on" in data:
        out["due_on"] = iso_date(data["due_on"], _("The due date"))
    if "done_on" in data:
        out["done_on"] = iso_date(data["done_on"], _("The date done"))
    if "status" in data:
        out["status"] = data["status"] or "planned"
        if out["status"] not in MEASURE_STATUSES:
            raise RiskError(_("Unknown status of a measure: {status}.").format(status=out["status"]))
    return out


def add_measure(ws: Workspace, rating_id: str, action: str, owner: str = "", due_on: dt.date | str | None = None,
                status: str = "planned", evidence: str = "", done_on: dt.date | str | None = None) -> str:
    row = ws.connection.execute("SELECT assessment_id FROM risk_rating WHERE id = ? AND deleted = 0",
                                (rating_id,)).fetchone()
    if row is None:
        raise RiskError(_("This rated factor no longer exists."))
    data = _clean_measure({"action": action, "owner": owner, "due_on": due_on, "status": status,
                           "evidence": evidence, "done_on": done_on})
    if data["status"] == "done" and not data["done_on"]:
        data["done_on"] = dt.date.today().isoformat()
    return ws.records.insert(MEASURE, dict(data, assessment_id=row[0], rating_id=rating_id))["id"]


def update_measure(ws: Workspace, measure_id: str, changes: Mapping[str, Any], *,
                   expected_rev: str | None = None) -> dict[str, Any]:
    data = _clean_measure(changes)
    if data.get("status") == "done" and not data.get("done_on"):
        current = ws.records.get(MEASURE, measure_id)
        if current is not None and not current["done_on"]:
            data["done_on"] = dt.date.today().isoformat()
    return ws.records.update(MEASURE, measure_id, data, expected_rev=expected_rev)


def measures(ws: Workspace, assessment_id: str) -> list[dict[str, Any]]:
    cols = ", ".join(MEASURE.columns)
    return [dict(zip(MEASURE.columns, r, strict=True)) for r in ws.connection.execute(
        f"SELECT {cols} FROM risk_measure WHERE assessment_id = ? AND deleted = 0"  # noqa: S608
        " ORDER BY due_on IS NULL, due_on, rev", (assessment_id,))]


def is_open(measure: Mapping[str, Any]) -> bool:
    return measure["status"] in OPEN_STATUSES


def is_overdue(measure: Mapping[str, Any], as_of: dt.date) -> bool:
    """Open, with a due date before `as_of` (due on the day itself is not overdue yet)."""
    return is_open(measure) and bool(measure.get("due_on")) and measure["due_on"] < as_of.isoformat()
