"""Assessments: their context, creating and changing them with their ratings, listing them, and
starting a new one from the previous assessment of the same subject.

The "current" assessment of a subject is its latest one (`current_assessments`): what the office's
view and the letter's figures count.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from desktop.risk.factors import library
from desktop.risk.measures import is_open
from desktop.risk.model import (
    ASSESSMENT,
    DISTRIBUTIONS,
    IASC_LEVELS,
    MEASURE,
    RATING,
    SUBJECT_KINDS,
    VISIT,
    RiskError,
    iso_date,
)
from desktop.risk.ratings import rated_risks
from desktop.risk.scoring import matrix
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace

# What a caller may give about the subject, and what starting from the previous assessment copies.
CONTEXT_FIELDS = ("subject_kind", "subject", "location", "period_start", "period_end", "programme_kind",
                  "beneficiaries", "partners_present", "distributions", "iasc_level", "assessed_by",
                  "assessed_on", "notes")


def _clean_context(context: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(context) - set(CONTEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown context fields {sorted(unknown)}")
    out = {k: context.get(k) for k in CONTEXT_FIELDS}
    for key in ("subject", "location", "programme_kind", "beneficiaries", "partners_present", "assessed_by", "notes"):
        out[key] = str(out.get(key) or "").strip()
    if not out["subject"]:
        raise RiskError(_("Name the operation, programme or site assessed."))
    out["subject_kind"] = out["subject_kind"] or "operation"
    if out["subject_kind"] not in SUBJECT_KINDS:
        raise RiskError(_("Unknown kind of subject: {kind}.").format(kind=out["subject_kind"]))
    out["distributions"] = out["distributions"] or "none"
    if out["distributions"] not in DISTRIBUTIONS:
        raise RiskError(_("Unknown kind of distribution: {kind}.").format(kind=out["distributions"]))
    out["iasc_level"] = out["iasc_level"] or ""
    if out["iasc_level"] not in IASC_LEVELS:
        raise RiskError(_("Unknown IASC SEA Risk Overview level: {level}.").format(level=out["iasc_level"]))
    out["assessed_on"] = iso_date(out["assessed_on"], _("The date of the assessment"), required=True)
    out["period_start"] = iso_date(out["period_start"], _("The start of the period"))
    out["period_end"] = iso_date(out["period_end"], _("The end of the period"))
    if out["period_start"] and out["period_end"] and out["period_end"] < out["period_start"]:
        raise RiskError(_("The period ends before it starts."))
    return out


def create_assessment(ws: Workspace, context: Mapping[str, Any],
                      ratings: Iterable[Mapping[str, Any]] = (), *, previous_id: str | None = None) -> str:
    """A new assessment with its rated factors. `ratings`: {factor_code, likelihood, impact, notes?}
    for library factors, or with `texts` and `category` given for a factor copied from elsewhere."""
    ctx = _clean_context(context)
    lib = {f.code: f for f in library(ws, include_retired=True)}
    m = matrix()
    rows, seen = [], set()
    for r in ratings:
        code = r["factor_code"]
        if code in seen:
            raise RiskError(_("The factor {code} is rated twice.").format(code=code))
        seen.add(code)
        m.check(r.get("likelihood"), r.get("impact"))
        factor = lib.get(code)
        texts = r.get("texts") or (factor.texts if factor else None)
        if texts is None:
            raise RiskError(_("Unknown risk factor: {code}.").format(code=code))
        rows.append({"factor_code": code, "category": r.get("category") or factor.category,
                     "position": r.get("position") if r.get("position") is not None else (factor.position if factor else 0),
                     "texts": texts if isinstance(texts, str) else json.dumps(texts, ensure_ascii=False, sort_keys=True),
                     "likelihood": r["likelihood"], "impact": r["impact"], "notes": str(r.get("notes") or "")})
    with ws.transaction():
        aid = ws.records.insert(ASSESSMENT, dict(ctx, previous_id=previous_id))["id"]
        ws.records.insert_many(RATING, [dict(row, assessment_id=aid) for row in rows])
    return aid


def update_assessment(ws: Workspace, assessment_id: str, context: Mapping[str, Any],
                      ratings: Mapping[str, tuple[int, int]] | None = None) -> None:
    """Change the context and (optionally) ratings {rating_id: (likelihood, impact)} of an assessment."""
    current = get_assessment(ws, assessment_id)
    ctx = _clean_context({k: context.get(k, current[k]) for k in CONTEXT_FIELDS})
    m = matrix()
    for lk, im in (ratings or {}).values():
        m.check(lk, im)
    with ws.transaction():
        ws.records.update(ASSESSMENT, assessment_id, ctx)
        if ratings:
            ws.records.update_many(RATING, [(rid, {"likelihood": lk, "impact": im}) for rid, (lk, im) in ratings.items()])


def rate_factor(ws: Workspace, assessment_id: str, factor_code: str, likelihood: int, impact: int,
                notes: str = "") -> str:
    """Add a library factor to an assessment, or change its rating when it is already there."""
    matrix().check(likelihood, impact)
    row = ws.connection.execute(
        "SELECT id FROM risk_rating WHERE assessment_id = ? AND factor_code = ? AND deleted = 0",
        (assessment_id, factor_code)).fetchone()
    if row:
        ws.records.update(RATING, row[0], {"likelihood": likelihood, "impact": impact, "notes": notes})
        return row[0]
    factor = {f.code: f for f in library(ws, include_retired=True)}.get(factor_code)
    if factor is None:
        raise RiskError(_("Unknown risk factor: {code}.").format(code=factor_code))
    return ws.records.insert(RATING, {
        "assessment_id": assessment_id, "factor_code": factor_code, "category": factor.category,
        "position": factor.position, "texts": json.dumps(dict(factor.texts), ensure_ascii=False, sort_keys=True),
        "likelihood": likelihood, "impact": impact, "notes": notes})["id"]


def remove_rating(ws: Workspace, rating_id: str) -> None:
    with ws.transaction():
        ws.records.delete(RATING, rating_id)
        for (mid,) in ws.connection.execute(
                "SELECT id FROM risk_measure WHERE rating_id = ? AND deleted = 0", (rating_id,)).fetchall():
            ws.records.delete(MEASURE, mid)


def delete_assessment(ws: Workspace, assessment_id: str) -> None:
    with ws.transaction():
        conn = ws.connection
        for table, kind, col in (("risk_rating", RATING, "assessment_id"), ("risk_measure", MEASURE, "assessment_id"),
                                 ("risk_visit", VISIT, "assessment_id")):
            for (rid,) in conn.execute(f"SELECT id FROM {table} WHERE {col} = ? AND deleted = 0",  # noqa: S608
                                       (assessment_id,)).fetchall():
                ws.records.delete(kind, rid)
        ws.records.delete(ASSESSMENT, assessment_id)


def get_assessment(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    record = ws.records.get(ASSESSMENT, assessment_id)
    if record is None:
        raise RiskError(_("This assessment no longer exists."))
    return record


def assessments(ws: Workspace) -> list[dict[str, Any]]:
    """All live assessments, newest first, each with `is_current` (the latest of its subject)."""
    cols = ", ".join(ASSESSMENT.columns)
    rows = [dict(zip(ASSESSMENT.columns, r, strict=True)) for r in ws.connection.execute(
        f"SELECT {cols} FROM risk_assessment WHERE deleted = 0 ORDER BY assessed_on DESC, rev DESC")]  # noqa: S608
    seen: set[tuple[str, str, str]] = set()
    for r in rows:
        key = subject_key(r)
        r["is_current"] = key not in seen
        seen.add(key)
    return rows


def subject_key(assessment: Mapping[str, Any]) -> tuple[str, str, str]:
    return (assessment["office"], assessment["subject_kind"], " ".join(str(assessment["subject"]).split()).casefold())


def current_assessments(ws: Workspace, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The latest assessment of each subject assessed on or before `as_of`."""
    limit = as_of.isoformat() if as_of else None
    rows = [r for r in assessments(ws) if limit is None or r["assessed_on"] <= limit]
    seen: set[tuple[str, str, str]] = set()
    out = []
    for r in rows:
        key = subject_key(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def start_from_previous(ws: Workspace, previous_id: str, *, assessed_on: dt.date | str,
                        assessed_by: str = "", context: Mapping[str, Any] | None = None) -> str:
    """A new assessment of the same subject: context copied, each factor starting from its current
    rating (latest re-rating) with the texts the previous assessment used, open measures carried over."""
    prev = get_assessment(ws, previous_id)
    ctx = {k: prev[k] for k in CONTEXT_FIELDS}
    ctx.update(assessed_on=assessed_on, assessed_by=assessed_by or prev["assessed_by"],
               period_start=None, period_end=None)
    ctx.update(context or {})
    risks = rated_risks(ws, previous_id)
    with ws.transaction():
        aid = create_assessment(ws, ctx, [
            {"factor_code": r.factor_code, "category": r.category, "position": r.position, "texts": r.texts,
             "likelihood": r.likelihood, "impact": r.impact, "notes": r.notes} for r in risks],
            previous_id=previous_id)
        new_ids = {r["factor_code"]: r["id"] for r in _rating_rows(ws, aid)}
        carried = []
        for r in risks:
            for m in r.measures:
                if is_open(m):
                    carried.append({k: m[k] for k in MEASURE.fields} | {"assessment_id": aid,
                                                                       "rating_id": new_ids[r.factor_code]})
        ws.records.insert_many(MEASURE, carried)
    return aid


def _rating_rows(ws: Workspace, assessment_id: str) -> list[dict[str, Any]]:
    return [{"id": i, "factor_code": c} for i, c in ws.connection.execute(
        "SELECT id, factor_code FROM risk_rating WHERE assessment_id = ? AND deleted = 0", (assessment_id,))]
