"""Scoring of both shipped rule sets at every band boundary, and the rule-set validation."""

from __future__ import annotations

import copy

import pytest

from desktop.partners import rulesets
from desktop.partners.model import PartnerError
from desktop.partners.scoring import score


def _ratings_with_total(rs: dict, total: int) -> dict[str, int]:
    values = sorted(int(s["value"]) for s in rs["scale"])
    keys = [s["key"] for s in rs["standards"]]
    ratings = dict.fromkeys(keys, values[0])
    left = total - values[0] * len(keys)
    for key in keys:
        for value in reversed(values):
            if value - values[0] <= left:
                ratings[key] = value
                left -= value - values[0]
                break
    assert sum(ratings.values()) == total
    return ratings


@pytest.mark.parametrize(("total", "band", "capacity", "risk", "label"), [
    (0, "low", "low", "high", "Low capacity (High risk)"),
    (5, "low", "low", "high", "Low capacity (High risk)"),
    (6, "medium", "medium", "moderate", "Medium capacity (Moderate risk)"),
    (7, "medium", "medium", "moderate", "Medium capacity (Moderate risk)"),
    (8, "full", "full", "low", "Full capacity (Low risk)"),
])
def test_harmonized_bands(total, band, capacity, risk, label):
    rs = rulesets.builtin("un_harmonized")
    assert rs["unconfirmed"] is True  # the 8/6-7/<=5 bands are marked as editable, not confirmed
    res = score(rs, _ratings_with_total(rs, total))
    assert (res.key, res.score, res.capacity, res.risk) == (band, total, capacity, risk)
    assert res.label("en") == label


@pytest.mark.parametrize(("total", "band", "label"), [
    (6, "low", "Low capacity (High risk)"),
    (8, "low", "Low capacity (High risk)"),
    (9, "medium", "Medium capacity (Moderate risk)"),
    (14, "medium", "Medium capacity (Moderate risk)"),
    (15, "full", "Full capacity (Low risk)"),
    (18, "full", "Full capacity (Low risk)"),
])
def test_unicef_2020_bands(total, band, label):
    rs = rulesets.builtin("unicef_2020")
    assert len(rs["standards"]) == 6
    res = score(rs, _ratings_with_total(rs, total))
    assert (res.key, res.score) == (band, total)
    assert res.label("en") == label
    assert res.high_risk == (band == "low")


def test_result_only_when_every_standard_is_answered():
    rs = rulesets.builtin("unicef_2020")
    ratings = _ratings_with_total(rs, 18)
    ratings[rs["standards"][-1]["key"]] = None
    assert score(rs, ratings) is None
    with pytest.raises(ValueError):
        score(rs, dict(_ratings_with_total(rs, 18), policy=7))


def test_special_states_replace_the_computed_result():
    rs = rulesets.builtin("unicef_2020")
    res = score(rs, {}, "low_capacity_assumed")
    assert res.capacity == "low" and res.risk == "high" and res.score is None
    assert res.label("en") == "Low capacity assumed (emergency)"
    # eTools treats "no contact with beneficiaries" as low risk assumed (rule set version 2)
    no_contact = score(rs, {}, "no_contact")
    assert (no_contact.capacity, no_contact.risk) == ("full", "low")
    assert score(rs, {}, "not_assessed").risk == ""


def test_unicef_2020_has_the_six_etools_standards_and_an_emergency_validity():
    import datetime as dt

    from desktop.partners.assessments import validity_window

    rs = rulesets.builtin("unicef_2020")
    assert rs["version"] == 2
    assert [s["key"] for s in rs["standards"]] == ["policy", "management_hr", "training", "reporting", "assistance",
                                                   "investigations"]
    final = dt.date(2026, 3, 31)
    emergency = next(s for s in rs["special_states"] if s["key"] == "low_capacity_assumed")
    until, warn = validity_window(rs, final, "low_capacity_assumed")
    assert until == dt.date(2026 + emergency["validity_months"] // 12, 3, 31) and warn < until
    assert validity_window(rs, final, "full") == (dt.date(2031, 3, 31), dt.date(2030, 3, 31))


@pytest.mark.parametrize("code", ["ar", "zh", "en", "fr", "ru", "es"])
def test_rule_sets_have_six_languages_and_capacity_is_capacity(code):
    for key in rulesets.BUILTIN_KEYS:
        rs = rulesets.validate(rulesets.builtin(key))
        for std in rs["standards"]:
            assert rulesets.text(std["title"], code) and rulesets.text(std["requirement"], code)
    capacity_word = {"ru": "потенциал", "ar": "قدرة", "fr": "Capacités", "es": "Capacidad", "zh": "能力",
                     "en": "capacity"}[code]
    band = rulesets.builtin("unicef_2020")["bands"][0]
    assert capacity_word.lower() in band["capacity_label"][code].lower()


def test_validation_refuses_gaps_and_overlaps():
    rs = rulesets.builtin("un_harmonized")
    gap = copy.deepcopy(rs)
    gap["bands"][1]["min"] = 7  # 6 is no longer in any band
    with pytest.raises(PartnerError, match="do not cover"):
        rulesets.validate(gap)
    overlap = copy.deepcopy(rs)
    overlap["bands"][0]["max"] = 6
    with pytest.raises(PartnerError, match="overlap"):
        rulesets.validate(overlap)
    missing = copy.deepcopy(rs)
    missing["standards"][0]["title"]["ar"] = ""
    with pytest.raises(PartnerError, match="ar"):
        rulesets.validate(missing)
