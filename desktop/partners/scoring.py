"""From ratings to a result: the total, the band it falls in, and the capacity/risk pair.

A result exists only when every standard of the rule set is answered. Special states (low capacity
assumed in an emergency, no contact with beneficiaries, not assessed) replace the computed result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.partners.rulesets import text
from i18n import _, current_language

# Languages whose style writes the risk inside the parentheses in lower case: « Capacités faibles (risque élevé) ».
LOWERCASE_IN_PARENTHESES = ("fr", "es", "ru")


@dataclass(frozen=True)
class Result:
    key: str            # band key, or the special state's key
    score: int | None   # None for special states
    capacity: str       # 'full' | 'medium' | 'low' | '' (no rating)
    risk: str           # 'low' | 'moderate' | 'high' | ''
    labels: dict[str, Any]  # capacity_label, risk_label or label (six languages each)

    @property
    def high_risk(self) -> bool:
        return self.risk == "high"

    def label(self, code: str | None = None) -> str:
        """'Low capacity (High risk)' in the language asked for: capacity and risk always as a pair."""
        if "label" in self.labels:
            return text(self.labels["label"], code)
        return _pair(text(self.labels["capacity_label"], code), text(self.labels["risk_label"], code), code)


def _pair(capacity: str, risk: str, code: str | None) -> str:
    from i18n import gettext_in

    template = gettext_in(code, "{capacity} ({risk})") if code else _("{capacity} ({risk})")
    if (code or current_language()) in LOWERCASE_IN_PARENTHESES:
        risk = risk[:1].lower() + risk[1:]
    return template.format(capacity=capacity, risk=risk)


def valid_values(rs: Mapping[str, Any]) -> set[int]:
    return {int(s["value"]) for s in rs["scale"]}


def band_for(rs: Mapping[str, Any], score: int) -> dict[str, Any]:
    for band in rs["bands"]:
        if int(band["min"]) <= score <= int(band["max"]):
            return band
    raise ValueError(f"no band of {rs['key']} holds {score}")


def result_from_band(rs: Mapping[str, Any], band_key: str, score: int | None = None) -> Result | None:
    for band in rs["bands"]:
        if band["key"] == band_key:
            return Result(band["key"], score, band["capacity"], band["risk"],
                          {"capacity_label": band["capacity_label"], "risk_label": band["risk_label"]})
    return special_result(rs, band_key)


def special_result(rs: Mapping[str, Any], state: str) -> Result | None:
    for item in rs.get("special_states", []):
        if item["key"] == state:
            band = next((b for b in rs["bands"] if b["key"] == item.get("band")), None)
            capacity, risk = (band["capacity"], band["risk"]) if band else ("", "")
            return Result(state, None, capacity, risk, {"label": item["label"]})
    return None


def score(rs: Mapping[str, Any], ratings: Mapping[str, int | None], special_state: str = "") -> Result | None:
    """The result, or None while a standard is unanswered. Ratings outside the scale raise."""
    if special_state:
        return special_result(rs, special_state)
    allowed = valid_values(rs)
    total = 0
    for std in rs["standards"]:
        value = ratings.get(std["key"])
        if value is None:
            return None
        if int(value) not in allowed:
            raise ValueError(f"{value} is not on the scale of {rs['key']}")
        total += int(value)
    band = band_for(rs, total)
    return Result(band["key"], total, band["capacity"], band["risk"],
                  {"capacity_label": band["capacity_label"], "risk_label": band["risk_label"]})
