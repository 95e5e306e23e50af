"""The assessment report PDF (standards table, evidence, rating, steps, sign-off, plan) in any of the
six languages, through the shared engine in desktop/pdf (escaping, fonts, Arabic right to left)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import i18n
from desktop.partners import assessments as A
from desktop.partners import attachments as T
from desktop.partners import model, rulesets
from desktop.pdf import Document
from i18n import gettext_in, ngettext_in
from i18n.formatting import date as format_date
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace


def _d(value: str | None, code: str) -> str:
    return format_date(dt.date.fromisoformat(value), code, "long") if value else ""


def render(ws: Workspace, assessment_id: str, code: str, *, today: dt.date | None = None) -> bytes:
    def t(message: str) -> str:
        return gettext_in(code, message)

    today = today or dt.date.today()
    record = A.get(ws, assessment_id)
    rs = A.ruleset_of(record)
    partner = model.get_partner(ws, record["partner_id"]) or {}
    answers = A.answers(ws, assessment_id)
    files = T.list_for(ws, assessment_id)
    res = A.result(record)
    title = gettext_in(code, "PSEA capacity assessment of an implementing partner")
    doc = Document(code, title=title, author=ws.entity, subject=partner.get("name", ""),
                   footer=i18n.joined([ws.entity, ws.office, format_date(today, code)], code))
    doc.heading(title, 1)
    doc.paragraph(partner.get("name", ""), bold=True)

    facts = [
        (gettext_in(code, "Acronym"), partner.get("acronym", "")),
        (gettext_in(code, "Type"), t(model.PARTNER_TYPES.get(partner.get("partner_type", "other"), ""))),
        (gettext_in(code, "Country"), partner.get("country", "")),
        (gettext_in(code, "Registration or Partner Portal id"), partner.get("registration_id", "")),
        (gettext_in(code, "Contact with beneficiaries"), gettext_in(code, "Yes") if partner.get("beneficiary_contact") else gettext_in(code, "No")),
        (gettext_in(code, "Rule set"), gettext_in(code, "{title}, version {version}").format(title=rulesets.text(rs["title"], code),
                                                              version=number(record["ruleset_version"], code))),
    ]
    if record["source_agency"]:
        facts.append((gettext_in(code, "Result recorded from another agency"), record["source_agency"]))
    doc.table([(a, b) for a, b in facts], col_widths=[150, 300], header=False)

    doc.heading(gettext_in(code, "Result"), 2)
    if res is None:
        rated = sum(1 for a in answers.values() if a["rating"] is not None)
        total = len(rs["standards"])
        doc.paragraph(ngettext_in(code, "No result yet: {answered} of {total} standard rated.",
                                  "No result yet: {answered} of {total} standards rated.", total).format(
            answered=number(rated, code), total=number(total, code)))
    else:
        maximum = max(int(s["value"]) for s in rs["scale"]) * len(rs["standards"])
        line = res.label(code)
        if res.score is not None:
            line = gettext_in(code, "{rating}, total {score} of {maximum}").format(rating=line, score=number(res.score, code),
                                                                    maximum=number(maximum, code))
        doc.paragraph(line, bold=True)
        state = A.validity(record, today)
        if state.valid_until:
            doc.paragraph(gettext_in(code, "Final determination on {date}; valid until {until} ({state}).").format(
                date=_d(record["step5_on"], code), until=format_date(state.valid_until, code, "long"),
                state=t(A.VALIDITY_STATES[state.state])))
        else:
            doc.paragraph(gettext_in(code, "Preliminary: the final determination is not recorded yet."))
    if rs.get("unconfirmed"):
        doc.paragraph(rulesets.text(rs.get("note", ""), code), "small")

    doc.heading(gettext_in(code, "Standards"), 2)
    rows: list[list] = [[gettext_in(code, "No."), gettext_in(code, "Standard"), gettext_in(code, "Rating"), gettext_in(code, "Evidence seen"), gettext_in(code, "Notes")]]
    for n, std in enumerate(rs["standards"], start=1):
        ans = answers.get(std["key"], {})
        ticked = [rulesets.evidence_label(rs, k, code) for k in json.loads(ans.get("evidence") or "[]") if k != "other"]
        if ans.get("other_evidence"):
            ticked.append(gettext_in(code, "Other: {text}").format(text=ans["other_evidence"]))
        attached = [f["filename"] for f in files if f["standard_key"] == std["key"]]
        if attached:
            ticked.append(gettext_in(code, "Attached: {files}").format(files=", ".join(attached)))
        rating = rulesets.scale_label(rs, ans.get("rating"), code) if ans.get("rating") is not None else gettext_in(code, "Not rated")
        standard = doc.text_flowable([(rulesets.text(std["title"], code) + "\n", True),
                                      (rulesets.text(std["requirement"], code), False)], "cell")
        rows.append([number(n, code), standard, rating, "\n".join(ticked), ans.get("notes", "")])
    doc.table(rows, col_widths=[40, 160, 60, 118, 88], numeric_columns=[0])

    doc.heading(gettext_in(code, "Steps"), 2)
    step_rows = [[gettext_in(code, "Step"), gettext_in(code, "Date"), gettext_in(code, "Done by")]]
    for n, step in enumerate(A.STEPS, start=1):
        step_rows.append([f"{number(n, code)}. {t(step)}", _d(record[f"step{n}_on"], code), record[f"step{n}_by"]])
    doc.table(step_rows, col_widths=[250, 90, 126])

    if record["signoff_note"]:
        doc.heading(gettext_in(code, "Sign-off by the head of office"), 2)
        doc.paragraph(record["signoff_note"])
        doc.paragraph(gettext_in(code, "Signed off on {date} by {name}").format(date=_d(record["signoff_on"], code),
                                                                 name=record["signoff_by"]), "small")

    doc.heading(gettext_in(code, "Capacity-strengthening plan"), 2)
    plan = [v for v in model.actions(ws, record["partner_id"], today=today)
            if v.record["assessment_id"] in (assessment_id, "")]
    if not plan:
        doc.paragraph(gettext_in(code, "No action points."))
    else:
        plan_rows = [[gettext_in(code, "Action point"), gettext_in(code, "Owner"), gettext_in(code, "Due date"), gettext_in(code, "Priority"), gettext_in(code, "Status"), gettext_in(code, "Verified by")]]
        for v in plan:
            a = v.record
            status = t(model.ACTION_STATUSES.get(a["status"], a["status"]))
            if v.overdue:
                status = gettext_in(code, "{status}, overdue").format(status=status)
            plan_rows.append([a["description"], a["owner"], _d(a["due_on"], code),
                              t(model.PRIORITIES.get(a["priority"], a["priority"])), status, a["verified_by"]])
        doc.table(plan_rows, col_widths=[150, 70, 62, 50, 64, 70])
    return doc.build()
