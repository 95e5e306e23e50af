"""Records and rules of SEA risk assessments: the core every other module of the package builds on.

An assessment rates factors of the library (likelihood 1–5 × impact 1–5); the product falls into a
band of the matrix (both data files in `data/`). Each rated factor copies the factor's texts in the
six languages at the time it was rated: a coordinator editing the library later changes new
assessments only, never what a past assessment said.

Follow-up visits re-rate factors; a factor's current rating is its latest re-rating (by visit date),
else the rating of the assessment. The "current" assessment of a subject (an operation, programme or
site) is its latest one: the register, open measures and high risks are counted there, so that a
measure carried into a new assessment is not counted twice.

All writes go through `ws.records`. Reads are plain SQL.

This module holds what the others share and nothing that depends on them (so the package has no
import cycles): the record kinds, the vocabularies with their translatable labels, the one error,
and the two input rules used everywhere (how a six-language text is picked, how a date is checked).
The operations live next to it:

- `scoring`: the likelihood × impact matrix and its bands (data/matrix.json);
- `factors`: the factor library (data/factors.json, overlaid by the coordinator's edits);
- `measures`: mitigation measures of a rated factor;
- `ratings`: the rated factors of an assessment, at their current rating;
- `assessments`: creating, changing, listing assessments, and starting from the previous one;
- `followup`: follow-up visits, their re-ratings and the trend of a factor;
- `overview`: the office's view across subjects (risk register, open measures, heat-map counts).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

from i18n import N_, _, current_language
from storage.records import RecordKind, register

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


def pick_text(texts: Mapping[str, str] | str, code: str | None = None) -> str:
    """The text in a language, falling back to English, then to any language it exists in. `texts` may
    also be the JSON text a record stores; a plain string counts as English."""
    if isinstance(texts, str):
        texts = json.loads(texts) if texts.startswith("{") else {"en": texts}
    code = code or current_language()
    return texts.get(code) or texts.get("en") or next((t for t in texts.values() if t), "")


def iso_date(value: dt.date | str | None, what: str, *, required: bool = False) -> str | None:
    """`value` as an ISO date string (None when empty); `what` names the field in the message."""
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
