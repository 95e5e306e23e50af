"""Rule sets of capacity assessments are data, not code.

A rule set (JSON) holds: key, version, titles in the six languages, the rating scale, the bands
(score ranges with a capacity level and a risk level, each labelled in six languages), validity and
expiry-warning years, the accepted evidence, the special states and the standards (key, title and
requirement in six languages, accepted evidence keys). Two ship in `data/`; a coordinator can add one
or edit one, which writes a new version as a `partner_ruleset` record. An assessment keeps a copy
of the rule set it started with (see assessments.py), so editing never changes an old result.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.partners.model import RULESET, PartnerError
from i18n import LANGUAGE_CODES, SOURCE_LANGUAGE, _, current_language

if TYPE_CHECKING:
    from storage import Workspace

DATA = Path(__file__).resolve().parent / "data"
BUILTIN_KEYS = ("un_harmonized", "unicef_2020")
DEFAULT_KEY = "un_harmonized"
CAPACITY_LEVELS = ("full", "medium", "low")
RISK_LEVELS = ("low", "moderate", "high")


@cache
def _builtin_text(key: str) -> str:
    return (DATA / f"{key}.json").read_text(encoding="utf-8")


def builtin(key: str) -> dict[str, Any]:
    return json.loads(_builtin_text(key))


def text(labels: dict[str, str] | str, code: str | None = None) -> str:
    """A label in the language asked for (the window's by default), English if it is missing."""
    if isinstance(labels, str):
        return labels
    code = code or current_language()
    return labels.get(code) or labels.get(SOURCE_LANGUAGE) or ""


def validate(rs: dict[str, Any]) -> dict[str, Any]:
    """Check a rule set before it is saved; raises PartnerError with a translated message."""
    def fail(msg: str) -> None:
        raise PartnerError(_("This rule set cannot be used: {problem}").format(problem=msg))

    for field in ("key", "version", "title", "scale", "bands", "standards", "validity_years", "expiring_from_year"):
        if field not in rs:
            fail(_("the field {field} is missing.").format(field=field))
    if not isinstance(rs["key"], str) or not rs["key"].strip():
        fail(_("the key is empty."))
    values = [s.get("value") for s in rs["scale"]]
    if len(values) < 2 or not all(isinstance(v, int) for v in values) or len(set(values)) != len(values):
        fail(_("the rating scale needs at least two different whole numbers."))
    standards = rs["standards"]
    if not standards:
        fail(_("there are no standards."))
    keys = [s.get("key") for s in standards]
    if len(set(keys)) != len(keys) or not all(keys):
        fail(_("every standard needs its own key."))
    evidence_keys = {e["key"] for e in rs.get("evidence", [])}
    for std in standards:
        for part in ("title", "requirement"):
            labels = std.get(part) or {}
            missing = [c for c in LANGUAGE_CODES if not (labels.get(c) or "").strip()]
            if missing:
                fail(_("the standard {key} has no {part} in {languages}.").format(
                    key=std["key"], part=part, languages=", ".join(missing)))
        unknown = [e for e in std.get("evidence", []) if e not in evidence_keys]
        if unknown:
            fail(_("the standard {key} lists unknown evidence {evidence}.").format(
                key=std["key"], evidence=", ".join(unknown)))
    lo, hi = min(values) * len(standards), max(values) * len(standards)
    covered: list[int] = []
    for band in rs["bands"]:
        if band.get("capacity") not in CAPACITY_LEVELS or band.get("risk") not in RISK_LEVELS:
            fail(_("every band needs a capacity level and a risk level."))
        if int(band["min"]) > int(band["max"]):
            fail(_("a band's lowest total is above its highest."))
        if int(band["max"]) < lo or int(band["min"]) > hi:  # a band no total can reach
            fail(_("a band lies outside the possible totals from {low} to {high}.").format(low=lo, high=hi))
        covered.extend(range(int(band["min"]), int(band["max"]) + 1))
    if sorted(covered) != sorted(set(covered)):
        fail(_("two bands overlap."))
    if any(score not in covered for score in range(lo, hi + 1)):
        fail(_("the bands do not cover every possible total from {low} to {high}.").format(low=lo, high=hi))
    validity, warn = int(rs["validity_years"]), int(rs["expiring_from_year"])
    if validity < 1 or not 0 < warn <= validity:
        fail(_("the validity must be at least one year and the expiry warning within it."))
    return rs


def available(ws: Workspace) -> dict[str, dict[str, Any]]:
    """The rule sets one can start an assessment with: the shipped ones, each replaced by the
    workspace's newest version of the same key when a coordinator edited it, plus added ones."""
    out = {key: builtin(key) for key in BUILTIN_KEYS}
    rows = ws.connection.execute("SELECT key, version, data FROM partner_ruleset WHERE deleted = 0")
    for key, version, data in rows:
        if key not in out or int(version) >= int(out[key]["version"]):
            out[key] = json.loads(data)
    return out


def current(ws: Workspace, key: str) -> dict[str, Any]:
    sets = available(ws)
    if key not in sets:
        raise PartnerError(_("Unknown rule set: {key}.").format(key=key))
    return sets[key]


def save(ws: Workspace, rs: dict[str, Any]) -> dict[str, Any]:
    """Add a rule set or a new version of one (the version number goes up by one)."""
    rs = json.loads(json.dumps(rs))  # a private copy
    key = rs.get("key", "")
    existing = available(ws).get(key)
    rs["version"] = int(existing["version"]) + 1 if existing else 1
    validate(rs)
    data = json.dumps(rs, ensure_ascii=False, sort_keys=True)
    row = ws.connection.execute("SELECT id FROM partner_ruleset WHERE key = ? AND deleted = 0", (key,)).fetchone()
    if row:
        ws.records.update(RULESET, row[0], {"version": rs["version"], "data": data})
    else:
        ws.records.insert(RULESET, {"key": key, "version": rs["version"], "data": data})
    return rs


def standard(rs: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((s for s in rs["standards"] if s["key"] == key), None)


def scale_label(rs: dict[str, Any], value: int | None, code: str | None = None) -> str:
    for item in rs["scale"]:
        if item["value"] == value:
            return text(item["label"], code)
    return ""


def evidence_label(rs: dict[str, Any], key: str, code: str | None = None) -> str:
    for item in rs.get("evidence", []):
        if item["key"] == key:
            return text(item["label"], code)
    return key
