"""The office's view across subjects: the risk register, open measures and heat-map counts.

Only the current assessment of each subject is counted, so a measure carried into a new assessment
is not counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.risk.assessments import current_assessments
from desktop.risk.measures import is_open, is_overdue
from desktop.risk.ratings import RatedRisk, rated_risks

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class RegisterRow:
    assessment: dict[str, Any]
    risk: RatedRisk
    open_measures: int
    overdue_measures: int
    trend: int = 0


def risk_register(ws: Workspace, as_of: dt.date) -> list[RegisterRow]:
    """Every rated factor of the current assessments, highest score first."""
    rows = []
    for a in current_assessments(ws, as_of):
        for r in rated_risks(ws, a["id"], as_of):
            open_ = [m for m in r.measures if is_open(m)]
            rows.append(RegisterRow(a, r, len(open_), sum(1 for m in open_ if is_overdue(m, as_of)), _direction(r)))
    rows.sort(key=lambda row: (-row.risk.score, -row.risk.impact, row.assessment["subject"].casefold()))
    return rows


def _direction(r: RatedRisk) -> int:
    now, first = r.likelihood * r.impact, r.initial_likelihood * r.initial_impact
    return (now > first) - (now < first)


def heat_counts(risks: Iterable[RatedRisk]) -> dict[tuple[int, int], int]:
    """{(likelihood, impact): number of risks}."""
    counts: dict[tuple[int, int], int] = {}
    for r in risks:
        counts[(r.likelihood, r.impact)] = counts.get((r.likelihood, r.impact), 0) + 1
    return counts


@dataclass
class MeasureRow:
    measure: dict[str, Any]
    assessment: dict[str, Any]
    risk: RatedRisk
    overdue: bool
    days_overdue: int


def open_measures(ws: Workspace, as_of: dt.date) -> list[MeasureRow]:
    """Open measures of the current assessments, overdue first, then by due date."""
    out = []
    for a in current_assessments(ws, as_of):
        for r in rated_risks(ws, a["id"], as_of):
            for m in r.measures:
                if is_open(m):
                    over = is_overdue(m, as_of)
                    days = (as_of - dt.date.fromisoformat(m["due_on"])).days if over else 0
                    out.append(MeasureRow(m, a, r, over, days))
    out.sort(key=lambda row: (not row.overdue, row.measure["due_on"] or "9999", row.assessment["subject"].casefold()))
    return out
