"""Record kinds of the partners instrument, the partner register, triggers and action points.

Everything is written through `ws.records` (revision, history, audit); reads are plain SQL.
Dates are ISO strings (YYYY-MM-DD) in the records, `datetime.date` in the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.carried import CarriedFile, register_carried_file
from i18n import N_, _
from storage.records import RecordKind, register

if TYPE_CHECKING:
    from storage import Workspace

PARTNER = register(RecordKind("partner", "partner", (
    "name", "acronym", "partner_type", "country", "registration_id", "contact", "beneficiary_contact", "notes")))
AGREEMENT = register(RecordKind("partner_agreement", "partner_agreement", (
    "partner_id", "reference", "title", "start_on", "end_on", "sea_clause")))
RULESET = register(RecordKind("partner_ruleset", "partner_ruleset", ("key", "version", "data"),
                              long_fields=frozenset({"data"})))
ASSESSMENT = register(RecordKind("partner_assessment", "partner_assessment", (
    "partner_id", "ruleset_key", "ruleset_version", "special_state", "source_agency",
    "step1_on", "step1_by", "step2_on", "step2_by", "step3_on", "step3_by", "step4_on", "step4_by",
    "step5_on", "step5_by", "score", "band", "signoff_note", "signoff_by", "signoff_on", "notes",
    "ruleset_sha", "ruleset"), long_fields=frozenset({"ruleset"})))
ANSWER = register(RecordKind("partner_answer", "partner_answer", (
    "assessment_id", "standard_key", "rating", "evidence", "other_evidence", "notes")))
ATTACHMENT = register(RecordKind("partner_attachment", "partner_attachment", (
    "assessment_id", "standard_key", "filename", "media_type", "size", "sha256"),
    file_name_fields=frozenset({"filename"})))


def _attachment_bytes(ws: Workspace, row: dict[str, Any]) -> bytes | None:
    found = ws.connection.execute("SELECT data FROM partner_blob WHERE sha256 = ?", (row["sha256"],)).fetchone()
    return bytes(found[0]) if found else None


def _keep_attachment_bytes(ws: Workspace, row: dict[str, Any], data: bytes) -> bool:
    # Keyed by content: whichever version of the record is current, these bytes are what it names.
    cursor = ws.connection.execute("INSERT OR IGNORE INTO partner_blob (sha256, data) VALUES (?, ?)",
                                   (row["sha256"], data))
    return cursor.rowcount == 1


# The bytes of attachments travel in export bundles with their records.
register_carried_file(CarriedFile("partner_attachment", "sha256", lambda row: True,
                                  _attachment_bytes, _keep_attachment_bytes))

ACTION = register(RecordKind("partner_action", "partner_action", (
    "partner_id", "assessment_id", "standard_key", "description", "owner", "due_on", "priority", "status",
    "completed_on", "verified_by")))
TRIGGER = register(RecordKind("partner_trigger", "partner_trigger", (
    "partner_id", "kind", "noted_on", "note", "resolved_on")))

PARTNER_TYPES: dict[str, str] = {
    "national_ngo": N_("National NGO"),
    "international_ngo": N_("International NGO"),
    "community_based": N_("Community-based organization"),
    "government": N_("Government"),
    "private_sector": N_("Private sector"),
    "other": N_("Other"),
}
PRIORITIES: dict[str, str] = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
ACTION_STATUSES: dict[str, str] = {
    "open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done"), "cancelled": N_("Cancelled")}
CLOSED_STATUSES = ("done", "cancelled")
TRIGGERS: dict[str, str] = {
    "allegation": N_("SEA allegation involving the partner"),
    "high_risk_context": N_("High-risk context"),
    "policy_not_applied": N_("Global policy not applied in the country"),
}


class PartnerError(ValueError):
    """Bad input, with a translated message that can be shown as it is."""


def iso(value: dt.date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise PartnerError(_("{value} is not a date (expected YYYY-MM-DD).").format(value=value)) from None


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# ---- partners -------------------------------------------------------------------------------------
def _clean_partner(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise PartnerError(_("A partner needs a name."))
    if "partner_type" in out and out["partner_type"] not in PARTNER_TYPES:
        raise PartnerError(_("Unknown partner type: {value}.").format(value=out["partner_type"]))
    if "beneficiary_contact" in out:
        out["beneficiary_contact"] = 1 if out["beneficiary_contact"] else 0
    for key in ("acronym", "country", "registration_id", "contact", "notes"):
        if key in out:
            out[key] = (out[key] or "").strip()
    return out


def add_partner(ws: Workspace, name: str, **fields: Any) -> dict[str, Any]:
    data = {"acronym": "", "partner_type": "other", "country": "", "registration_id": "", "contact": "",
            "beneficiary_contact": 1, "notes": "", **fields, "name": name}
    return ws.records.insert(PARTNER, _clean_partner(data))


def update_partner(ws: Workspace, partner_id: str, changes: dict[str, Any], *,
                   expected_rev: str | None = None) -> dict[str, Any]:
    return ws.records.update(PARTNER, partner_id, _clean_partner(changes), expected_rev=expected_rev)


def get_partner(ws: Workspace, partner_id: str) -> dict[str, Any] | None:
    return ws.records.get(PARTNER, partner_id)


def list_partners(ws: Workspace) -> list[dict[str, Any]]:
    cols = ", ".join(PARTNER.columns)
    rows = ws.connection.execute(f"SELECT {cols} FROM partner WHERE deleted = 0 ORDER BY name")  # noqa: S608
    return [dict(zip(PARTNER.columns, r, strict=True)) for r in rows]


def add_agreement(ws: Workspace, partner_id: str, reference: str, title: str = "",
                  start_on: dt.date | str | None = None, end_on: dt.date | str | None = None, *,
                  sea_clause: bool | None = None) -> dict[str, Any]:
    """`sea_clause`: the agreement contains the clauses on sexual exploitation and abuse of the UN's
    standard conditions (True), does not (False), or nobody recorded it yet (None: the letter says so)."""
    start, end = iso(start_on), iso(end_on)
    if start and end and end < start:
        raise PartnerError(_("An agreement cannot end before it starts."))
    return ws.records.insert(AGREEMENT, {"partner_id": partner_id, "reference": reference.strip(),
                                         "title": title.strip(), "start_on": start, "end_on": end,
                                         "sea_clause": None if sea_clause is None else int(bool(sea_clause))})


def set_sea_clause(ws: Workspace, agreement_id: str, sea_clause: bool | None) -> dict[str, Any]:
    return ws.records.update(AGREEMENT, agreement_id, {"sea_clause": None if sea_clause is None
                                                       else int(bool(sea_clause))})


def agreements(ws: Workspace, partner_id: str) -> list[dict[str, Any]]:
    cols = ", ".join(AGREEMENT.columns)
    rows = ws.connection.execute(
        f"SELECT {cols} FROM partner_agreement WHERE deleted = 0 AND partner_id = ? ORDER BY start_on",  # noqa: S608
        (partner_id,))
    return [dict(zip(AGREEMENT.columns, r, strict=True)) for r in rows]


# ---- re-assessment triggers -------------------------------------------------------------------------
def add_trigger(ws: Workspace, partner_id: str, kind: str, noted_on: dt.date | str, note: str = "") -> dict[str, Any]:
    if kind not in TRIGGERS:
        raise PartnerError(_("Unknown re-assessment trigger: {value}.").format(value=kind))
    if ws.records.get(PARTNER, partner_id) is None:
        raise PartnerError(_("No such partner."))
    return ws.records.insert(TRIGGER, {"partner_id": partner_id, "kind": kind, "noted_on": iso(noted_on),
                                       "note": note.strip(), "resolved_on": None})


def resolve_trigger(ws: Workspace, trigger_id: str, resolved_on: dt.date | str) -> dict[str, Any]:
    return ws.records.update(TRIGGER, trigger_id, {"resolved_on": iso(resolved_on)})


def open_triggers(ws: Workspace, partner_id: str) -> list[dict[str, Any]]:
    cols = ", ".join(TRIGGER.columns)
    rows = ws.connection.execute(
        f"SELECT {cols} FROM partner_trigger WHERE deleted = 0 AND partner_id = ? AND resolved_on IS NULL"  # noqa: S608
        " ORDER BY noted_on", (partner_id,))
    return [dict(zip(TRIGGER.columns, r, strict=True)) for r in rows]


# ---- capacity-strengthening action points -------------------------------------------------------------
def _clean_action(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    if "description" in out:
        out["description"] = (out["description"] or "").strip()
        if not out["description"]:
            raise PartnerError(_("An action point needs a description."))
    if "priority" in out and out["priority"] not in PRIORITIES:
        raise PartnerError(_("Unknown priority: {value}.").format(value=out["priority"]))
    if "status" in out and out["status"] not in ACTION_STATUSES:
        raise PartnerError(_("Unknown status: {value}.").format(value=out["status"]))
    for key in ("due_on", "completed_on"):
        if key in out:
            out[key] = iso(out[key])
    for key in ("owner", "verified_by", "standard_key", "assessment_id"):
        if key in out:
            out[key] = (out[key] or "").strip()
    return out


def add_action(ws: Workspace, partner_id: str, description: str, *, owner: str = "",
               due_on: dt.date | str | None = None, priority: str = "medium", assessment_id: str = "",
               standard_key: str = "", status: str = "open") -> dict[str, Any]:
    if ws.records.get(PARTNER, partner_id) is None:
        raise PartnerError(_("No such partner."))
    data = _clean_action({"partner_id": partner_id, "description": description, "owner": owner, "due_on": due_on,
                          "priority": priority, "status": status, "assessment_id": assessment_id,
                          "standard_key": standard_key, "completed_on": None, "verified_by": ""})
    return ws.records.insert(ACTION, data)


def update_action(ws: Workspace, action_id: str, changes: dict[str, Any], *, today: dt.date | None = None,
                  expected_rev: str | None = None) -> dict[str, Any]:
    data = _clean_action(changes)
    current = ws.records.get(ACTION, action_id)
    if current is None:
        raise PartnerError(_("No such action point."))
    if data.get("status") == "done" and not (data.get("completed_on") or current["completed_on"]):
        data["completed_on"] = (today or dt.date.today()).isoformat()
    if data.get("verified_by") and (data.get("status") or current["status"]) != "done":
        raise PartnerError(_("Only a completed action point can be verified."))
    return ws.records.update(ACTION, action_id, data, expected_rev=expected_rev)


@dataclass(frozen=True)
class ActionView:
    record: dict[str, Any]
    overdue: bool


def actions(ws: Workspace, partner_id: str | None = None, *, today: dt.date | None = None) -> list[ActionView]:
    today_s = (today or dt.date.today()).isoformat()
    cols = ", ".join(ACTION.columns)
    sql = f"SELECT {cols} FROM partner_action WHERE deleted = 0"  # noqa: S608
    params: tuple[Any, ...] = ()
    if partner_id is not None:
        sql += " AND partner_id = ?"
        params = (partner_id,)
    sql += " ORDER BY due_on IS NULL, due_on"
    out = []
    for row in ws.connection.execute(sql, params):
        rec = dict(zip(ACTION.columns, row, strict=True))
        overdue = rec["status"] not in CLOSED_STATUSES and bool(rec["due_on"]) and rec["due_on"] < today_s
        out.append(ActionView(rec, overdue))
    return out
