"""The rated factors of an assessment, each at its current rating (after follow-up re-ratings).

Separate from assessments.py and followup.py because both need it: starting from a previous
assessment copies the current ratings, and a visit may only re-rate factors of its assessment.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.risk.factors import categories
from desktop.risk.measures import measures
from desktop.risk.model import pick_text
from desktop.risk.scoring import Scored, matrix

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class RatedRisk(Scored):
    """A factor as rated in an assessment, with its latest re-rating applied."""

    id: str
    rev: str
    assessment_id: str
    factor_code: str
    category: str
    position: int
    texts: dict[str, str]
    likelihood: int            # current (after re-ratings up to the as-of date)
    impact: int
    initial_likelihood: int
    initial_impact: int
    notes: str
    rated_on: str | None = None  # date of the visit that gave the current value; None: the assessment
    measures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_high(self) -> bool:
        return self.band.key in matrix().high_bands

    def text(self, code: str | None = None) -> str:
        return pick_text(self.texts, code)


def rated_risks(ws: Workspace, assessment_id: str, as_of: dt.date | None = None) -> list[RatedRisk]:
    """The rated factors of an assessment in library order, with re-ratings of visits up to `as_of`
    and their measures."""
    conn = ws.connection
    out: dict[str, RatedRisk] = {}
    for rid, rev, code, category, position, texts, lk, im, notes in conn.execute(
            "SELECT id, rev, factor_code, category, position, texts, likelihood, impact, notes FROM risk_rating"
            " WHERE assessment_id = ? AND deleted = 0", (assessment_id,)):
        out[rid] = RatedRisk(rid, rev, assessment_id, code, category, int(position), json.loads(texts),
                             int(lk), int(im), int(lk), int(im), notes)
    limit = as_of.isoformat() if as_of else "9999-12-31"
    for rating_id, lk, im, visited_on in conn.execute(
            "SELECT rr.rating_id, rr.likelihood, rr.impact, v.visited_on FROM risk_rerating rr"
            " JOIN risk_visit v ON v.id = rr.visit_id"
            " WHERE v.assessment_id = ? AND v.deleted = 0 AND rr.deleted = 0 AND v.visited_on <= ?"
            " ORDER BY v.visited_on, v.rev", (assessment_id, limit)):
        risk = out.get(rating_id)
        if risk is not None:
            risk.likelihood, risk.impact, risk.rated_on = int(lk), int(im), visited_on
    for m in measures(ws, assessment_id):
        if m["rating_id"] in out:
            out[m["rating_id"]].measures.append(m)
    cat_order = {k: n for n, (k, _t) in enumerate(categories())}
    return sorted(out.values(), key=lambda r: (cat_order.get(r.category, 99), r.position, r.factor_code))
