"""Follow-up visits: recording one with its re-ratings, listing them, and the trend of a factor.

A re-rating never changes the assessment's own rating: the current rating is worked out when read
(ratings.py), so the trend can show the rating at the assessment and after each visit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.risk.assessments import get_assessment
from desktop.risk.model import RERATING, VISIT, RiskError, iso_date
from desktop.risk.ratings import rated_risks
from desktop.risk.scoring import Scored, matrix
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


def record_visit(ws: Workspace, assessment_id: str, visited_on: dt.date | str, visited_by: str = "",
                 findings: str = "", rerates: Mapping[str, tuple[int, int]] | None = None,
                 notes: Mapping[str, str] | None = None) -> str:
    """A follow-up visit with its findings and re-ratings {rating_id: (likelihood, impact)}."""
    get_assessment(ws, assessment_id)
    day = iso_date(visited_on, _("The date of the visit"), required=True)
    m = matrix()
    valid = {r.id for r in rated_risks(ws, assessment_id)}
    for rid, (lk, im) in (rerates or {}).items():
        if rid not in valid:
            raise RiskError(_("The re-rated factor is not part of this assessment."))
        m.check(lk, im)
    with ws.transaction():
        vid = ws.records.insert(VISIT, {"assessment_id": assessment_id, "visited_on": day,
                                        "visited_by": (visited_by or "").strip(), "findings": (findings or "").strip()})["id"]
        ws.records.insert_many(RERATING, [
            {"visit_id": vid, "rating_id": rid, "likelihood": lk, "impact": im, "note": (notes or {}).get(rid, "")}
            for rid, (lk, im) in (rerates or {}).items()])
    return vid


def visits(ws: Workspace, assessment_id: str) -> list[dict[str, Any]]:
    cols = ", ".join(VISIT.columns)
    return [dict(zip(VISIT.columns, r, strict=True)) for r in ws.connection.execute(
        f"SELECT {cols} FROM risk_visit WHERE assessment_id = ? AND deleted = 0 ORDER BY visited_on, rev",  # noqa: S608
        (assessment_id,))]


@dataclass(frozen=True)
class TrendPoint(Scored):
    on: str            # ISO date
    likelihood: int
    impact: int
    source: str        # "assessment" | "visit"
    rerated: bool      # False: the visit did not re-rate this factor (value carried forward)


def trend(ws: Workspace, rating_id: str) -> list[TrendPoint]:
    """The factor's rating at the assessment and after each follow-up visit (carried forward when a
    visit did not re-rate it)."""
    row = ws.connection.execute(
        "SELECT r.assessment_id, r.likelihood, r.impact, a.assessed_on FROM risk_rating r"
        " JOIN risk_assessment a ON a.id = r.assessment_id WHERE r.id = ? AND r.deleted = 0", (rating_id,)).fetchone()
    if row is None:
        raise RiskError(_("This rated factor no longer exists."))
    assessment_id, lk, im, assessed_on = row
    points = [TrendPoint(assessed_on, int(lk), int(im), "assessment", True)]
    rerates = {vid: (int(a), int(b)) for vid, a, b in ws.connection.execute(
        "SELECT visit_id, likelihood, impact FROM risk_rerating WHERE rating_id = ? AND deleted = 0", (rating_id,))}
    for v in visits(ws, assessment_id):
        if v["id"] in rerates:
            lk, im = rerates[v["id"]]
            points.append(TrendPoint(v["visited_on"], lk, im, "visit", True))
        else:
            points.append(TrendPoint(v["visited_on"], points[-1].likelihood, points[-1].impact, "visit", False))
    return points


def trend_direction(points: list[TrendPoint]) -> int:
    """-1 better (lower score) since the assessment, 0 same, +1 worse."""
    if len(points) < 2:
        return 0
    first, last = points[0].score, points[-1].score
    return (last > first) - (last < first)
