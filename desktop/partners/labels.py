"""Translated labels of results for lists and figures that mix assessments of several rule sets.

The shipped rule sets share their result keys (full, medium, low and the special states), so a key
alone is labelled from the default rule set's own six-language labels.
"""

from __future__ import annotations

from desktop.partners import rulesets
from desktop.partners.scoring import result_from_band


def result_label_for_key(key: str, code: str | None = None) -> str:
    res = result_from_band(rulesets.builtin(rulesets.DEFAULT_KEY), key)
    return res.label(code) if res else key


def status_rating_label(status, code: str | None = None) -> str:  # noqa: ANN001 - figures.PartnerStatus
    if status.result is not None:
        return status.result.label(code)
    return ""
