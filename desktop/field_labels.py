"""Record fields and their coded values in the words the forms use, for what shows records field by
field outside their own forms: the conflict review after a merge ("Partner type: National NGO", not
`partner_type=national_ngo`). Labels are msgids (N_), translated where shown; a field without a label
here is a technical one (an id, a digest) and is shown as such."""

from __future__ import annotations

from typing import Any

from desktop.letter import allegations
from desktop.partners import model as partners
from desktop.risk import model as risk
from desktop.roster import model as roster
from i18n import N_, _

# Field names shared by several kinds mean the same thing in each.
FIELDS: dict[str, str] = {
    "name": N_("Name"), "code": N_("Code"), "country": N_("Country"), "office": N_("Office"),
    "category": N_("Category"), "duty_office": N_("Duty station"), "unit": N_("Unit"),
    "index_number": N_("Index number"), "email": N_("E-mail"), "start_date": N_("Start date"),
    "end_date": N_("End date"), "family_name": N_("Family name"), "given_names": N_("Given names"),
    "kind": N_("Kind"), "validity_months": N_("Valid for (months)"), "completed_on": N_("Completed on"),
    "source": N_("Source"), "certificate": N_("Certificate"),
    "subject_kind": N_("Kind"), "subject": N_("Operation, programme or site"), "location": N_("Location"),
    "period_start": N_("Period from"), "period_end": N_("Period to"), "programme_kind": N_("Kind of programme"),
    "beneficiaries": N_("People served"), "partners_present": N_("Partners present"),
    "distributions": N_("Distributions"), "iasc_level": N_("IASC SEA Risk Overview level"),
    "assessed_by": N_("Assessed by"), "assessed_on": N_("Assessed on"), "notes": N_("Notes"),
    "likelihood": N_("Likelihood"), "impact": N_("Impact"), "action": N_("Action"), "owner": N_("Owner"),
    "due_on": N_("Due"), "status": N_("Status"), "evidence": N_("Evidence"), "done_on": N_("Done on"),
    "visited_on": N_("Visited on"), "visited_by": N_("Visited by"), "findings": N_("Findings"),
    "note": N_("Note"), "acronym": N_("Acronym"), "partner_type": N_("Partner type"),
    "registration_id": N_("Registration number"), "contact": N_("Contact"),
    "beneficiary_contact": N_("Contact with the people served"), "reference": N_("Reference"),
    "title": N_("Title"), "start_on": N_("Start"), "end_on": N_("End"), "sea_clause": N_("SEA clauses"),
    "special_state": N_("Special state"), "source_agency": N_("Assessed by another agency"),
    "score": N_("Score"), "band": N_("Result"), "signoff_note": N_("Note for the record"),
    "signoff_by": N_("Head of office"), "signoff_on": N_("Signed off on"), "rating": N_("Rating"),
    "other_evidence": N_("Other evidence"), "filename": N_("File"), "description": N_("Description"),
    "priority": N_("Priority"), "verified_by": N_("Verified by"), "noted_on": N_("Noted on"),
    "resolved_on": N_("Resolved on"), "year": N_("Year"), "language": N_("Language"), "entity": N_("Entity"),
    "version": N_("Version"), "signatory_name": N_("Signatory's name"), "signatory_title": N_("Signatory's title"),
    "place": N_("Place"), "signed_at": N_("Signed on"), "signer": N_("Signed by"), "scope": N_("Scope"),
    "referred_to": N_("Referred to"), "count": N_("Number"), "item": N_("Statement"),
    "confirmed_by": N_("Confirmed by"), "confirmed_at": N_("Confirmed on"), "deleted": N_("Removed"),
}

# Coded values, by field (and by kind where one field name codes different things).
_VALUES: dict[tuple[str | None, str], dict[str, str]] = {
    (None, "partner_type"): partners.PARTNER_TYPES,
    (None, "priority"): partners.PRIORITIES,
    ("partner_action", "status"): partners.ACTION_STATUSES,
    (None, "subject_kind"): risk.SUBJECT_KINDS,
    (None, "distributions"): risk.DISTRIBUTIONS,
    (None, "iasc_level"): risk.IASC_LEVELS,
    ("risk_measure", "status"): risk.MEASURE_STATUSES,
    ("roster_person", "category"): dict(roster.CATEGORIES),
    ("roster_course", "kind"): dict(roster.COURSE_KINDS),
    ("roster_course_setting", "kind"): dict(roster.COURSE_KINDS),
    ("allegation_count", "category"): allegations.CATEGORY_LABELS,
    ("allegation_count", "status"): allegations.STATUS_LABELS,
    ("allegation_count", "referred_to"): allegations.BODY_LABELS,
}


def field_label(field: str) -> str:
    """The field's name as the forms say it, in the current language (a technical field as it is)."""
    label = FIELDS.get(field)
    return _(label) if label else field


def value_text(kind: str, field: str, value: Any) -> str:
    """A field's value as the forms show it: coded values by their label, yes/no for flags."""
    if value is None:
        return ""
    if field in ("deleted", "sea_clause", "retired"):
        return _("yes") if value else _("no")
    labels = _VALUES.get((kind, field)) or _VALUES.get((None, field))
    if labels and str(value) in labels:
        return _(labels[str(value)])
    return str(value)
