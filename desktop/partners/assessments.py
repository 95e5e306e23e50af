"""Assessments: the five steps, the answers per standard, the result, sign-off, validity.

An assessment keeps a JSON copy of the rule set it was started with (`ruleset` column), so that a
coordinator's later edit of the rule set never changes an old result. The computed result (`score`,
`band`) is stored with the assessment each time an answer changes, so the figures are a plain query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.partners import rulesets
from desktop.partners.model import ANSWER, ASSESSMENT, ATTACHMENT, PARTNER, PartnerError, iso, to_date
from desktop.partners.scoring import Result, result_from_band, score
from i18n import N_, _

STEPS: tuple[str, ...] = (
    N_("Self-assessment received from the partner"),
    N_("Review and preliminary determination"),
    N_("Documented decision with a capacity-strengthening plan"),
    N_("Monitoring and support"),
    N_("Final determination"),
)

if TYPE_CHECKING:
    from storage import Workspace
VALIDITY_STATES: dict[str, str] = {
    "valid": N_("Valid"),
    "expiring": N_("Expiring"),
    "expired": N_("Expired"),
    "in_progress": N_("In progress"),
    "none": N_("Not assessed"),
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_window(rs: dict[str, Any], final: dt.date, result_key: str) -> tuple[dt.date, dt.date]:
    """(valid until, expiring from) of a result determined on `final`. The rule set's validity (years,
    expiring from year n) unless the result is a special state with a validity of its own (an emergency's
    "low capacity assumed" is valid months, not years: rule set UNICEF 2020 version 2)."""
    from desktop.roster.snapshot import add_months

    special = next((s for s in rs.get("special_states", []) if s.get("key") == result_key), None)
    if special and special.get("validity_months"):
        months = int(special["validity_months"])
        return add_months(final, months), add_months(final, max(months - 3, 0))
    return add_years(final, int(rs.get("validity_years", 5))), add_years(final, int(rs.get("expiring_from_year", 4)))


# ---- starting -------------------------------------------------------------------------------------
def start(ws: Workspace, partner_id: str, ruleset_key: str = rulesets.DEFAULT_KEY, *,
          copy_from: str | None = None, source_agency: str = "") -> dict[str, Any]:
    """A new assessment with the current version of the rule set. With `copy_from`, the evidence,
    other-evidence descriptions, notes and attachments of that earlier assessment are carried over
    for the standards the two rule sets share (ratings are not: they are decided anew)."""
    if ws.records.get(PARTNER, partner_id) is None:
        raise PartnerError(_("No such partner."))
    rs = rulesets.current(ws, ruleset_key)
    with ws.transaction():
        text = json.dumps(rs, ensure_ascii=False, sort_keys=True)
        record = ws.records.insert(ASSESSMENT, {
            "partner_id": partner_id, "ruleset_key": rs["key"], "ruleset_version": int(rs["version"]),
            "ruleset": text, "ruleset_sha": hashlib.sha256(text.encode()).hexdigest(), "special_state": "",
            "source_agency": source_agency.strip(), "step1_by": "", "step2_by": "", "step3_by": "",
            "step4_by": "", "step5_by": "", "score": None, "band": "", "signoff_note": "", "signoff_by": "",
            "notes": ""})
        ws.records.insert_many(ANSWER, [
            {"assessment_id": record["id"], "standard_key": std["key"], "rating": None, "evidence": "[]",
             "other_evidence": "", "notes": ""} for std in rs["standards"]])
        if copy_from:
            _copy_evidence(ws, copy_from, record["id"])
    return record


def _copy_evidence(ws: Workspace, source_id: str, target_id: str) -> None:
    old = {a["standard_key"]: a for a in answers(ws, source_id).values()}
    new = answers(ws, target_id)
    changes = []
    for key, ans in new.items():
        prev = old.get(key)
        if prev and (prev["evidence"] != "[]" or prev["other_evidence"] or prev["notes"]):
            changes.append((ans["id"], {"evidence": prev["evidence"], "other_evidence": prev["other_evidence"],
                                        "notes": prev["notes"]}))
    ws.records.update_many(ANSWER, changes)
    cols = ", ".join(ATTACHMENT.fields)
    rows = ws.connection.execute(
        f"SELECT {cols} FROM partner_attachment WHERE deleted = 0 AND assessment_id = ?", (source_id,)).fetchall()  # noqa: S608
    copies = []
    for row in rows:
        att = dict(zip(ATTACHMENT.fields, row, strict=True))
        if att["standard_key"] in new or not att["standard_key"]:
            copies.append(dict(att, assessment_id=target_id))
    ws.records.insert_many(ATTACHMENT, copies)


# ---- reading ---------------------------------------------------------------------------------------
def get(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    record = ws.records.get(ASSESSMENT, assessment_id)
    if record is None:
        raise PartnerError(_("No such assessment."))
    return record


def ruleset_of(record: dict[str, Any]) -> dict[str, Any]:
    return json.loads(record["ruleset"])


def parse_ruleset(text: str, cache: dict[str, dict[str, Any]], sha: str = "") -> dict[str, Any]:
    """Parse a rule-set copy once per distinct content (lists show thousands of assessments made
    with a handful of rule sets). The parsed dict is shared: callers must not modify it."""
    key = sha or text
    if key not in cache:
        cache[key] = json.loads(text)
    return cache[key]


def answers(ws: Workspace, assessment_id: str) -> dict[str, dict[str, Any]]:
    """Answers by standard key, in the rule set's order."""
    cols = ", ".join(ANSWER.columns)
    rows = ws.connection.execute(
        f"SELECT {cols} FROM partner_answer WHERE deleted = 0 AND assessment_id = ?", (assessment_id,))  # noqa: S608
    return {r[ANSWER.columns.index("standard_key")]: dict(zip(ANSWER.columns, r, strict=True)) for r in rows}


def for_partner(ws: Workspace, partner_id: str) -> list[dict[str, Any]]:
    """Assessments of a partner, newest first (by final determination, then by revision)."""
    cols = ", ".join(ASSESSMENT.columns)
    rows = ws.connection.execute(
        f"SELECT {cols} FROM partner_assessment WHERE deleted = 0 AND partner_id = ?"  # noqa: S608
        " ORDER BY step5_on IS NULL DESC, step5_on DESC, rev DESC", (partner_id,))
    return [dict(zip(ASSESSMENT.columns, r, strict=True)) for r in rows]


def result(record: dict[str, Any]) -> Result | None:
    if not record["band"]:
        return None
    return result_from_band(ruleset_of(record), record["band"], record["score"])


# ---- answering ---------------------------------------------------------------------------------------
def answer(ws: Workspace, assessment_id: str, standard_key: str, *, rating: int | None = None,
           evidence: list[str] | None = None, other_evidence: str | None = None,
           notes: str | None = None) -> Result | None:
    """Record what was found for one standard; returns the result (None while incomplete)."""
    record = get(ws, assessment_id)
    rs = ruleset_of(record)
    std = rulesets.standard(rs, standard_key)
    if std is None:
        raise PartnerError(_("This rule set has no standard {key}.").format(key=standard_key))
    if record["step5_on"]:
        raise PartnerError(_("The final determination is recorded; this assessment can no longer be changed."))
    changes: dict[str, Any] = {}
    if rating is not None:
        if rating not in {int(s["value"]) for s in rs["scale"]}:
            raise PartnerError(_("{value} is not a rating of this rule set.").format(value=rating))
        changes["rating"] = int(rating)
    if evidence is not None:
        allowed = {e["key"] for e in rs.get("evidence", [])}
        unknown = [e for e in evidence if e not in allowed]
        if unknown:
            raise PartnerError(_("Unknown evidence: {value}.").format(value=", ".join(unknown)))
        changes["evidence"] = json.dumps(sorted(set(evidence)))
    if other_evidence is not None:
        changes["other_evidence"] = other_evidence.strip()
    if notes is not None:
        changes["notes"] = notes.strip()
    current = answers(ws, assessment_id)[standard_key]
    ticked = json.loads(changes.get("evidence", current["evidence"]))
    other_text = changes.get("other_evidence", current["other_evidence"])
    if "other" in ticked and not other_text:
        raise PartnerError(_("Evidence \"other\" is ticked: describe it."))
    with ws.transaction():
        ws.records.update(ANSWER, current["id"], changes)
        return recompute(ws, assessment_id)


def clear_rating(ws: Workspace, assessment_id: str, standard_key: str) -> None:
    current = answers(ws, assessment_id)[standard_key]
    with ws.transaction():
        ws.records.update(ANSWER, current["id"], {"rating": None})
        recompute(ws, assessment_id)


def recompute(ws: Workspace, assessment_id: str) -> Result | None:
    record = get(ws, assessment_id)
    rs = ruleset_of(record)
    ratings = {k: a["rating"] for k, a in answers(ws, assessment_id).items()}
    res = score(rs, ratings, record["special_state"])
    if record["source_agency"] and not res and record["band"]:
        return result(record)  # a result recorded from another agency stands on its own
    changes = {"score": res.score if res else None, "band": res.key if res else ""}
    ws.records.update(ASSESSMENT, assessment_id, changes)
    return res


def set_special_state(ws: Workspace, assessment_id: str, state: str) -> Result | None:
    record = get(ws, assessment_id)
    rs = ruleset_of(record)
    if state and state not in {s["key"] for s in rs.get("special_states", [])}:
        raise PartnerError(_("Unknown special state: {value}.").format(value=state))
    with ws.transaction():
        ws.records.update(ASSESSMENT, assessment_id, {"special_state": state})
        return recompute(ws, assessment_id)


def record_external_result(ws: Workspace, assessment_id: str, band_key: str, score_value: int | None = None) -> Result:
    """A result another agency determined (shared through the UN Partner Portal), recorded as such."""
    record = get(ws, assessment_id)
    if not record["source_agency"]:
        raise PartnerError(_("Only an assessment made by another agency can take its result as given."))
    res = result_from_band(ruleset_of(record), band_key, score_value)
    if res is None:
        raise PartnerError(_("Unknown rating: {value}.").format(value=band_key))
    ws.records.update(ASSESSMENT, assessment_id, {"band": band_key, "score": score_value})
    return res


# ---- steps and sign-off -----------------------------------------------------------------------------
def step_problem(ws: Workspace, assessment_id: str, step: int, on: dt.date | str, by: str) -> str | None:
    """Why step 1..5 cannot be recorded as given, in words (None: it can). The window asks this before
    it asks the user to confirm the final determination, so it never confirms something refused."""
    if step not in range(1, 6):
        return _("There are five steps.")
    if not (by or "").strip():
        return _("Say who did this step.")
    record = get(ws, assessment_id)
    day = iso(on)
    earlier = [record[f"step{n}_on"] for n in range(1, step) if record[f"step{n}_on"]]
    if earlier and day < max(earlier):
        return _("A step cannot be dated before an earlier step.")
    if step == 5:
        res = result(record)
        if res is None:
            return _("The final determination needs a result: answer every standard first.")
        if res.high_risk and not (record["signoff_note"] and record["signoff_by"]):
            return _("A high-risk result needs a sign-off note by the head of office before the "
                     "final determination.")
    return None


def record_step(ws: Workspace, assessment_id: str, step: int, on: dt.date | str, by: str) -> dict[str, Any]:
    """Record that step 1..5 was done on a date by someone. The final determination needs a result,
    and a high-risk result needs the head of office's sign-off note first (`step_problem`)."""
    problem = step_problem(ws, assessment_id, step, on, by)
    if problem is not None:
        raise PartnerError(problem)
    by = by.strip()
    record = get(ws, assessment_id)
    day = iso(on)
    with ws.transaction():
        updated = ws.records.update(ASSESSMENT, assessment_id, {f"step{step}_on": day, f"step{step}_by": by})
        if step == 5:
            # A re-assessment completed after a trigger answers it: the partner is no longer marked for review.
            from desktop.partners.model import TRIGGER, open_triggers

            ws.records.update_many(TRIGGER, [(t["id"], {"resolved_on": day}) for t in open_triggers(ws, record["partner_id"])
                                             if t["noted_on"] <= day])
    return updated


def sign_off(ws: Workspace, assessment_id: str, note: str, by: str, on: dt.date | str) -> dict[str, Any]:
    note, by = (note or "").strip(), (by or "").strip()
    if not note or not by:
        raise PartnerError(_("The sign-off needs a note and the name of the head of office."))
    return ws.records.update(ASSESSMENT, assessment_id, {"signoff_note": note, "signoff_by": by, "signoff_on": iso(on)})


def update_notes(ws: Workspace, assessment_id: str, notes: str) -> dict[str, Any]:
    return ws.records.update(ASSESSMENT, assessment_id, {"notes": notes.strip()})


def current_step(record: dict[str, Any]) -> int:
    """The number of the last step done (0 when none)."""
    done = [n for n in range(1, 6) if record[f"step{n}_on"]]
    return max(done) if done else 0


# ---- validity ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Validity:
    state: str                 # key of VALIDITY_STATES
    valid_until: dt.date | None
    expiring_from: dt.date | None


def validity(record: dict[str, Any] | None, today: dt.date) -> Validity:
    if record is None:
        return Validity("none", None, None)
    final = to_date(record["step5_on"])
    if final is None or not record["band"] or final > today:
        return Validity("in_progress", None, None)
    rs = ruleset_of(record)
    until, warn = validity_window(rs, final, record["band"])
    if today >= until:
        return Validity("expired", until, warn)
    if today >= warn:
        return Validity("expiring", until, warn)
    return Validity("valid", until, warn)


def latest_final(ws: Workspace, partner_id: str, as_of: dt.date) -> dict[str, Any] | None:
    """The newest assessment with a final determination on or before `as_of`."""
    for record in for_partner(ws, partner_id):
        if record["step5_on"] and record["band"] and record["step5_on"] <= as_of.isoformat():
            return record
    return None
