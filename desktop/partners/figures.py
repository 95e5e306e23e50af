"""Partner figures: for the management letter (`letter_figures`), the command line and the window.

Plain SQL over the current rows; one pass per table, so it stays fast with thousands of partners.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.partners.assessments import parse_ruleset, validity_window
from desktop.partners.model import CLOSED_STATUSES
from desktop.partners.scoring import Result, result_from_band

if TYPE_CHECKING:
    from storage import Workspace


@dataclass(frozen=True)
class PartnerStatus:
    """One row of the partners list: the latest result and its validity, open plans, review flag."""
    partner: dict[str, Any]
    assessment_id: str | None     # the latest assessment (final or not)
    final_id: str | None          # the latest assessment with a final determination
    band: str                     # result key of the latest final assessment ('' if none)
    ruleset_key: str
    validity: str                 # valid | expiring | expired | in_progress | none
    valid_until: dt.date | None
    in_progress: bool             # an assessment without final determination exists
    actions_open: int
    actions_overdue: int
    needs_review: bool            # an open re-assessment trigger
    source_agency: str
    risk: str                     # 'low' | 'moderate' | 'high' | '' of the latest final result
    result: Result | None


def statuses(ws: Workspace, as_of: dt.date) -> list[PartnerStatus]:
    as_of_s = as_of.isoformat()
    conn = ws.connection
    partners = {}
    cols = ("id", "name", "acronym", "partner_type", "country", "registration_id", "contact", "beneficiary_contact", "rev")
    for row in conn.execute(f"SELECT {', '.join(cols)} FROM partner WHERE deleted = 0 ORDER BY name"):  # noqa: S608
        partners[row[0]] = dict(zip(cols, row, strict=True))
    latest: dict[str, tuple] = {}
    final: dict[str, tuple] = {}
    open_work: set[str] = set()
    for aid, pid, step5, band, ruleset_key, rs_sha, source, rev in conn.execute(
            "SELECT id, partner_id, step5_on, band, ruleset_key, ruleset_sha, source_agency, rev"
            " FROM partner_assessment WHERE deleted = 0"):
        if pid not in partners:
            continue
        if pid not in latest or rev > latest[pid][-1]:
            latest[pid] = (aid, rev)
        if step5 and band and step5 <= as_of_s:
            if pid not in final or (step5, rev) > (final[pid][1], final[pid][-1]):
                final[pid] = (aid, step5, band, ruleset_key, rs_sha, source, rev)
        else:
            open_work.add(pid)
    acts: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    placeholders = ", ".join("?" * len(CLOSED_STATUSES))
    for pid, due in conn.execute(
            f"SELECT partner_id, due_on FROM partner_action WHERE deleted = 0 AND status NOT IN ({placeholders})",  # noqa: S608
            CLOSED_STATUSES):
        acts[pid] += 1
        if due and due < as_of_s:
            overdue[pid] += 1
    review = {pid for (pid,) in conn.execute(
        "SELECT DISTINCT partner_id FROM partner_trigger WHERE deleted = 0 AND resolved_on IS NULL")}
    out = []
    cache: dict[str, dict[str, Any]] = {}
    for pid, partner in partners.items():
        f = final.get(pid)
        band, rkey, until, state, source, res = "", "", None, "none", "", None
        if f:
            aid, step5, band, rkey, rs_sha, source, _ = f
            rs = _ruleset(conn, aid, rs_sha, cache)
            res = result_from_band(rs, band)
            start = dt.date.fromisoformat(step5)
            until, warn = validity_window(rs, start, band)
            state = "expired" if as_of >= until else "expiring" if as_of >= warn else "valid"
        elif pid in open_work:
            state = "in_progress"
        out.append(PartnerStatus(partner, latest.get(pid, (None,))[0], f[0] if f else None, band, rkey, state,
                                 until, pid in open_work, acts[pid], overdue[pid], pid in review, source,
                                 res.risk if res else "", res))
    return out


def _ruleset(conn, assessment_id: str, sha: str, cache: dict[str, dict[str, Any]]) -> dict[str, Any]:  # noqa: ANN001
    """The rule-set copy of an assessment, read and parsed once per distinct content."""
    if sha and sha in cache:
        return cache[sha]
    (text,) = conn.execute("SELECT ruleset FROM partner_assessment WHERE id = ?", (assessment_id,)).fetchone()
    return parse_ruleset(text, cache, sha)


def letter_figures(ws: Workspace, year: int) -> dict[str, Any]:
    """What the management letter says about implementing partners, as of 31 December of `year`
    (or today, if the year is not over): partners, those with a valid assessment and their ratings,
    capacity-strengthening plans open and overdue, and support provided during the year."""
    as_of = min(dt.date(year, 12, 31), dt.date.today()) if year >= dt.date.today().year else dt.date(year, 12, 31)
    rows = statuses(ws, as_of)
    valid = [r for r in rows if r.validity in ("valid", "expiring")]
    by_rating = Counter(r.band for r in valid)
    start, end = f"{year}-01-01", f"{year}-12-31"
    done = ws.connection.execute(
        "SELECT COUNT(*), COUNT(DISTINCT a.partner_id) FROM partner_action a JOIN partner p ON p.id = a.partner_id"
        " AND p.deleted = 0 WHERE a.deleted = 0 AND a.status = 'done' AND a.completed_on BETWEEN ? AND ?",
        (start, end)).fetchone()
    assessed_in_year = ws.connection.execute(
        "SELECT COUNT(DISTINCT s.partner_id) FROM partner_assessment s JOIN partner p ON p.id = s.partner_id"
        " AND p.deleted = 0 WHERE s.deleted = 0 AND s.band != '' AND s.step5_on BETWEEN ? AND ?",
        (start, end)).fetchone()[0]
    # Cooperation agreements in force during the year and whether they carry the SEA clauses of the UN's
    # standard conditions (1), do not (0) or nobody recorded it (NULL: the letter's figure says so).
    with_clauses = without = unknown = 0
    for (clause,) in ws.connection.execute(
            "SELECT g.sea_clause FROM partner_agreement g JOIN partner p ON p.id = g.partner_id AND p.deleted = 0"
            " WHERE g.deleted = 0 AND (g.start_on IS NULL OR g.start_on <= ?) AND (g.end_on IS NULL OR g.end_on >= ?)",
            (end, start)):
        if clause is None:
            unknown += 1
        elif clause:
            with_clauses += 1
        else:
            without += 1
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "agreements": with_clauses + without + unknown,
        "agreements_with_clauses": with_clauses,
        "agreements_clause_unknown": unknown,
        "partners": len(rows),
        "partners_with_beneficiary_contact": sum(1 for r in rows if r.partner["beneficiary_contact"]),
        "assessed_valid": len(valid),
        "assessed_in_year": int(assessed_in_year),
        "expiring": sum(1 for r in rows if r.validity == "expiring"),
        "expired": sum(1 for r in rows if r.validity == "expired"),
        "not_assessed": sum(1 for r in rows if r.validity in ("none", "in_progress")),
        "by_rating": dict(sorted(by_rating.items())),
        "high_risk": sum(1 for r in valid if r.risk == "high"),
        "plans_open": sum(1 for r in rows if r.actions_open),
        "plans_overdue": sum(1 for r in rows if r.actions_overdue),
        "actions_open": sum(r.actions_open for r in rows),
        "actions_overdue": sum(r.actions_overdue for r in rows),
        "capacity_strengthening_provided": int(done[1] or 0),
        "actions_completed": int(done[0] or 0),
        "needs_review": sum(1 for r in rows if r.needs_review),
    }
