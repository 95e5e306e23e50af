"""What the window's risk forms save, each as one function and one transaction (design.md, "Long work
and change": use cases live in desktop/, the window and the command line call them the same way)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.risk import assessments, factors, measures, model, ratings
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class Rating:
    factor_code: str
    use: bool
    likelihood: int
    impact: int
    notes: str = ""
    rating_id: str | None = None      # the stored rating, if the factor was rated before


@dataclass
class Measure:
    factor_code: str
    action: str
    owner: str
    due_on: str | None
    status: str
    evidence: str
    id: str | None = None             # the stored measure, if any (set when added)


@dataclass
class AssessmentForm:
    """Everything the assessment form holds: its context, the factors with their ratings, the measures."""

    context: dict[str, Any]
    ratings: list[Rating]
    measures: list[Measure] = field(default_factory=list)


def save_assessment(ws: Workspace, assessment_id: str | None, form: AssessmentForm) -> str:
    """Create or update an assessment with its ratings and measures, all or nothing; returns its id.
    Raises model.RiskError with a message for the user (nothing written)."""
    used = [r for r in form.ratings if r.use]
    if not used:
        raise model.RiskError(_("Rate at least one risk factor."))
    codes = {r.factor_code for r in used}
    for m in form.measures:
        if m.factor_code not in codes:
            raise model.RiskError(_("A measure belongs to a factor that is no longer ticked."))
        if not m.action.strip() and not m.id:
            raise model.RiskError(_("Describe the mitigation measure."))
    with ws.transaction():
        if assessment_id is None:
            assessment_id = assessments.create_assessment(ws, form.context, [
                {"factor_code": r.factor_code, "likelihood": r.likelihood, "impact": r.impact} for r in used])
            ids = {r.factor_code: r.id for r in ratings.rated_risks(ws, assessment_id)}
        else:
            assessments.update_assessment(ws, assessment_id, form.context)
            ids = {}
            for r in form.ratings:
                if r.use:
                    ids[r.factor_code] = assessments.rate_factor(ws, assessment_id, r.factor_code, r.likelihood, r.impact,
                                                                 r.notes)
                elif r.rating_id:
                    assessments.remove_rating(ws, r.rating_id)
        for m in form.measures:
            data = {"action": m.action, "owner": m.owner, "due_on": m.due_on, "status": m.status,
                    "evidence": m.evidence}
            if m.id:
                measures.update_measure(ws, m.id, data)
            else:
                m.id = measures.add_measure(ws, ids[m.factor_code], **data)
    return assessment_id


def save_library(ws: Workspace, texts: dict[str, dict[str, str]], retired: dict[str, bool]) -> None:
    """The factor library's edited texts (per factor, per language) and retirements, together."""
    by_code = {f.code: f for f in factors.library(ws, include_retired=True)}
    for per_language in texts.values():
        if any(not t for t in per_language.values()):
            raise model.RiskError(_("A factor's text cannot be empty."))
    with ws.transaction():
        for code in sorted(set(texts) | set(retired)):
            factors.save_factor(ws, code, by_code[code].category, texts.get(code, {}),
                                retired=retired.get(code, by_code[code].retired))
