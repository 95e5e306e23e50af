"""Translated labels of results for lists and figures (the rule sets carry their own six-language labels)."""

from __future__ import annotations

from desktop.partners import rulesets
from desktop.partners.scoring import result_from_band
from i18n import N_, _

# Result keys shared by the shipped rule sets, for figures that mix assessments of several rule sets.
RESULT_KEYS: dict[str, str] = {
    "full": N_("Full capacity (Low risk)"),
    "medium": N_("Medium capacity (Moderate risk)"),
    "low": N_("Low capacity (High risk)"),
    "low_capacity_assumed": N_("Low capacity assumed (emergency)"),
    "no_contact": N_("No contact with beneficiaries"),
    "not_assessed": N_("Not assessed"),
}


def result_label_for_key(key: str, code: str | None = None) -> str:
    if key in RESULT_KEYS:
        if code:
            from i18n import gettext_in

            return gettext_in(code, RESULT_KEYS[key])
        return _(RESULT_KEYS[key])
    res = result_from_band(rulesets.builtin(rulesets.DEFAULT_KEY), key)
    return res.label(code) if res else key


def status_rating_label(status, code: str | None = None) -> str:  # noqa: ANN001 - figures.PartnerStatus
    if status.result is not None:
        return status.result.label(code)
    return ""
