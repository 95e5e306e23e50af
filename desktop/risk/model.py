"""Records and rules of SEA risk assessments.

An assessment rates factors of the library (likelihood 1–5 × impact 1–5); the product falls into a
band of the matrix (both data files in `data/`). Each rated factor copies the factor's texts in the
six languages at the time it was rated: a coordinator editing the library later changes new
assessments only, never what a past assessment said.

Follow-up visits re-rate factors; a factor's current rating is its latest re-rating (by visit date),
else the rating of the assessment. The "current" assessment of a subject (an operation, programme or
site) is its latest one: the register, open measures and high risks are counted there, so that a
measure carried into a new assessment is not counted twice.

All writes go through `ws.records`. Reads are plain SQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from i18n import N_, _, current_language
from storage.records import RecordKind, register

if TYPE_CHECKING:
    from storage import Workspace

DATA = Path(__file__).resolve().parent / "data"

FACTOR = register(RecordKind("risk_factor", "risk_factor", ("code", "category", "position", "texts", "retired")))
ASSESSMENT = register(RecordKind("risk_assessment", "risk_assessment", (
    "subject_kind", "subject", "location", "period_start", "period_end", "programme_kind", "beneficiaries",
    "partners_present", "distributions", "iasc_level", "assessed_by", "assessed_on", "previous_id", "notes")))
RATING = register(RecordKind("risk_rating", "risk_rating", (
    "assessment_id", "factor_code", "category", "position", "texts", "likelihood", "impact", "notes")))
MEASURE = register(RecordKind("risk_measure", "risk_measure", (
    "assessment_id", "rating_id", "action", "owner", "due_on", "status", "evidence", "done_on")))
VISIT = register(RecordKind("risk_visit", "risk_visit", ("assessment_id", "visited_on", "visited_by", "findings")))
RERATING = register(RecordKind("risk_rerating", "risk_rerating", ("visit_id", "rating_id", "likelihood", "impact",
                                                                  "note")))

SUBJECT_KINDS = {"operation": N_("Operation"), "programme": N_("Programme"), "site": N_("Site")}
DISTRIBUTIONS = {"none": N_("No distributions"), "cash": N_("Cash"), "goods": N_("Goods"),
                 "cash_goods": N_("Cash and goods")}
IASC_LEVELS = {"": N_("Not known"), "very_low": N_("Very low"), "low": N_("Low"), "medium": N_("Medium"),
               "high": N_("High"), "very_high": N_("Very high")}
MEASURE_STATUSES = {"planned": N_("Planned"), "in_progress": N_("In progress"), "done": N_("Done"),
                    "dropped": N_("Dropped")}
OPEN_STATUSES = ("planned", "in_progress")


class RiskError(ValueError):
    """Bad input: the message is translated and says what to fix; nothing was written."""


# ---- data files: matrix and default library -------------------------------------------------------
@dataclass(frozen=True)
class Band:
    key: str
    low: int
    high: int
    colour: str
    ink: str
    texts: Mapping[str, str]

    def label(self, code: str | None = None) -> str:
        return pick_text(self.texts, code)


@dataclass(frozen=True)
class Matrix:
    l_min: int
    l_max: int
    i_min: int
    i_max: int
    bands: tuple[Band, ...]
    high_bands: frozenset[str]

    def band_for_score(self, score: int) -> Band:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        raise RiskError(_("No band of the risk matrix covers the score {score}.").format(score=score))

    def band(self, likelihood: int, impact: int) -> Band:
        self.check(likelihood, impact)
        return self.band_for_score(likelihood * impact)

    def check(self, likelihood: Any, impact: Any) -> None:
        if not _int_in(likelihood, self.l_min, self.l_max):
            raise RiskError(_("Likelihood must be a whole number from {low} to {high}.").format(
                low=self.l_min, high=self.l_max))
        if not _int_in(impact, self.i_min, self.i_max):
            raise RiskError(_("Impact must be a whole number from {low} to {high}.").format(
                low=self.i_min, high=self.i_max))

    def is_high(self, likelihood: int, impact: int) -> bool:
        return self.band(likelihood, impact).key in self.high_bands


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def matrix_from_data(data: Mapping[str, Any]) -> Matrix:
    """Build and check a matrix: bands must cover every possible score exactly once."""
    bands = tuple(Band(b["key"], int(b["min"]), int(b["max"]), b["colour"], b.get("ink", "#000000"), b["texts"])
                  for b in data["bands"])
    m = Matrix(int(data["likelihood"]["min"]), int(data["likelihood"]["max"]), int(data["impact"]["min"]),
               int(data["impact"]["max"]), bands, frozenset(data.get("high_bands", [bands[-1].key])))
    scores = {lk * im for lk in range(m.l_min, m.l_max + 1) for im in range(m.i_min, m.i_max + 1)}
    for score in scores:
        covering = [b for b in bands if b.low <= score <= b.high]
        if len(covering) != 1:
            raise ValueError(f"risk matrix: score {score} is covered by {len(covering)} bands")
    return m


@lru_cache(maxsize=1)
def matrix() -> Matrix:
    return matrix_from_data(json.loads((DATA / "matrix.json").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default_library() -> dict[str, Any]:
    return json.loads((DATA / "factors.json").read_text(encoding="utf-8"))


def categories() -> list[tuple[str, Mapping[str, str]]]:
    """(key, texts) of the factor categories, in the library's order."""
    return [(c["key"], c["texts"]) for c in _default_library()["categories"]]


def category_label(key: str, code: str | None = None) -> str:
    for k, texts in categories():
        if k == key:
            return pick_text(texts, code)
    return key


def pick_text(texts: Mapping[str, str] | str, code: str | None = None) -> str:
    """The text in a language, falling back to English, then to any language it exists in."""
    if isinstance(texts, str):
        texts = json.loads(texts) if texts.startswith("{") else {"en": texts}
    code = code or current_language()
    return texts.get(code) or texts.get("en") or next((t for t in texts.values() if t), "")


@dataclass(frozen=True)
class Factor:
    code: str
    category: str
    position: int
    texts: Mapping[str, str]
    retired: bool = False
    record_id: str | None = None  # the coordinator's record, when the default was edited or added

    def text(self, code: str | None = None) -> str:
        return pick_text(self.texts, code)


def library(ws: Workspace, *, include_retired: bool = False) -> list[Factor]:
    """The factor library: shipped defaults, overlaid by the coordinator's records (same code)."""
    factors: dict[str, Factor] = {}
    for n, f in enumerate(_default_library()["factors"]):
        factors[f["code"]] = Factor(f["code"], f["category"], (n + 1) * 10, dict(f["texts"]))
    rows = ws.connection.execute(
        "SELECT id, code, category, position, texts, retired FROM risk_factor WHERE deleted = 0 ORDER BY rev").fetchall()
    for rid, code, category, position, texts, retired in rows:
        factors[code] = Factor(code, category, int(position), json.loads(texts), bool(retired), rid)
    cat_order = {k: n for n, (k, _texts) in enumerate(categories())}
    out = sorted(factors.values(), key=lambda f: (cat_order.get(f.category, 99), f.position, f.code))
    return out if include_retired else [f for f in out if not f.retired]


def save_factor(ws: Workspace, code: str, category: str, texts: Mapping[str, str], *,
                position: int | None = None, retired: bool = False) -> Factor:
    """A coordinator's edit of the library (or a new factor). Past assessments keep their copy."""
    code = (code or "").strip()
    if not code:
        raise RiskError(_("A factor needs a code."))
    if category not in {k for k, _t in categories()}:
        raise RiskError(_("Unknown factor category: {category}.").format(category=category))
    clean = {k: (v or "").strip() for k, v in texts.items() if (v or "").strip()}
    existing = {f.code: f for f in library(ws, include_retired=True)}
    old = existing.get(code)
    if position is None:
        position = old.position if old else max((f.position for f in existing.values()), default=0) + 10
    merged = dict(old.texts) if old else {}
    merged.update(clean)
    if not merged:
        raise RiskError(_("A factor needs a text in at least one language."))
    data = {"code": code, "category": category, "position": position,
            "texts": json.dumps(merged, ensure_ascii=False, sort_keys=True), "retired": int(retired)}
    if old and old.record_id:
        ws.records.update(FACTOR, old.record_id, data)
        rid = old.record_id
    else:
        rid = ws.records.insert(FACTOR, data)["id"]
    return Factor(code, category, position, merged, retired, rid)


# ---- assessments ------------------------------------------------------------------------------------
CONTEXT_FIELDS = ("subject_kind", "subject", "location", "period_start", "period_end", "programme_kind",
                  "beneficiaries", "partners_present", "distributions", "iasc_level", "assessed_by",
                  "assessed_on", "notes")


def _iso(value: dt.date | str | None, what: str, *, required: bool = False) -> str | None:
    if value in (None, ""):
        if required:
            raise RiskError(_("{what} is required.").format(what=what))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise RiskError(_("{what} is not a valid date (YYYY-MM-DD).").format(what=what)) from None


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
    out["assessed_on"] = _iso(out["assessed_on"], _("The date of the assessment"), required=True)
    out["period_start"] = _iso(out["period_start"], _("The start of the period"))
    out["period_end"] = _iso(out["period_end"], _("The end of the period"))
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


# ---- ratings, visits and trends -----------------------------------------------------------------
@dataclass
class RatedRisk:
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
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return matrix().band(self.likelihood, self.impact)

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


def record_visit(ws: Workspace, assessment_id: str, visited_on: dt.date | str, visited_by: str = "",
                 findings: str = "", rerates: Mapping[str, tuple[int, int]] | None = None,
                 notes: Mapping[str, str] | None = None) -> str:
    """A follow-up visit with its findings and re-ratings {rating_id: (likelihood, impact)}."""
    get_assessment(ws, assessment_id)
    day = _iso(visited_on, _("The date of the visit"), required=True)
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
class TrendPoint:
    on: str            # ISO date
    likelihood: int
    impact: int
    source: str        # "assessment" | "visit"
    rerated: bool      # False: the visit did not re-rate this factor (value carried forward)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return matrix().band(self.likelihood, self.impact)


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


# ---- mitigation measures --------------------------------------------------------------------------
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
        out["due_on"] = _iso(data["due_on"], _("The due date"))
    if "done_on" in data:
        out["done_on"] = _iso(data["done_on"], _("The date done"))
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


# ---- starting from the previous assessment ------------------------------------------------------
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


# ---- the office's view --------------------------------------------------------------------------
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
