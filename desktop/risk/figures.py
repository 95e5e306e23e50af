"""The figures the management letter takes from SEA risk assessments (see docs/risk.md).

`letter_figures(ws, year)`:
- operations_assessed / programmes_assessed / sites_assessed: distinct subjects of that kind with an
  assessment dated in the year;
- assessments: assessments dated in the year;
- follow_up_visits: follow-up visits dated in the year;
- subjects_total: operations and programmes in the risk register (distinct subjects of those kinds with
  an assessment dated on or before the end of the year); subjects_assessed: those of them assessed in
  the year (the letter says "covered 3 of the 5 operations and programmes", never "each");
- high_risks_open: factors in a high band (after re-ratings) in the current assessment of each subject
  as of the end of the year (or today, for the running year);
- measures_open / measures_overdue: open mitigation measures of those assessments, and those past due.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from desktop.risk import assessments, measures, model, ratings

if TYPE_CHECKING:
    from storage import Workspace


def letter_figures(ws: Workspace, year: int, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    as_of = min(dt.date(year, 12, 31), today)
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    in_year = [a for a in assessments.assessments(ws) if start <= a["assessed_on"] <= end]
    subjects: dict[str, set] = {k: set() for k in model.SUBJECT_KINDS}
    for a in in_year:
        subjects[a["subject_kind"]].add(assessments.subject_key(a))
    register = {assessments.subject_key(a) for a in assessments.current_assessments(ws, as_of)
                if a["subject_kind"] in ("operation", "programme")}
    visits = ws.connection.execute(
        "SELECT COUNT(*) FROM risk_visit WHERE deleted = 0 AND visited_on BETWEEN ? AND ?", (start, end)).fetchone()[0]
    high = open_ = overdue = 0
    for a in assessments.current_assessments(ws, as_of):
        for r in ratings.rated_risks(ws, a["id"], as_of):
            if r.is_high:
                high += 1
            for m in r.measures:
                if measures.is_open(m):
                    open_ += 1
                    overdue += measures.is_overdue(m, as_of)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "assessments": len(in_year),
        "operations_assessed": len(subjects["operation"]),
        "programmes_assessed": len(subjects["programme"]),
        "sites_assessed": len(subjects["site"]),
        "subjects_total": len(register),
        "subjects_assessed": len(subjects["operation"]) + len(subjects["programme"]),
        "follow_up_visits": int(visits),
        "high_risks_open": high,
        "measures_open": open_,
        "measures_overdue": int(overdue),
    }
