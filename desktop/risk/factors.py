"""The factor library: the shipped defaults (data/factors.json) overlaid by the coordinator's edits.

A coordinator's edit or new factor is a `risk_factor` record with the same code, so it travels in
bundles and is audited; the shipped file is never written. Assessments copy a factor's texts when it
is rated (see assessments.py), so an edit here changes new assessments only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from desktop.risk.model import DATA, FACTOR, RiskError, pick_text
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


# The shipped file is read once per process; the coordinator's records are read on every call.
@lru_cache(maxsize=1)
def _default_library() -> dict[str, Any]:
    return json.loads((DATA / "factors.json").read_text(encoding="utf-8"))


def categories() -> list[tuple[str, Mapping[str, str]]]:
    """(key, texts) of the factor categories, in the library's order."""
    return [(c["key"], c["texts"]) for c in _default_library()["categories"]]


def category_label(key: str, code: str | None = None) -> str:
    for k, texts in categories():
        if k == key:
            return pick_text(texts, code)
    return key


@dataclass(frozen=True)
class Factor:
    code: str
    category: str
    position: int
    texts: Mapping[str, str]
    retired: bool = False
    record_id: str | None = None  # the coordinator's record, when the default was edited or added

    def text(self, code: str | None = None) -> str:
        return pick_text(self.texts, code)


def library(ws: Workspace, *, include_retired: bool = False) -> list[Factor]:
    """The factor library: shipped defaults, overlaid by the coordinator's records (same code)."""
    factors: dict[str, Factor] = {}
    for n, f in enumerate(_default_library()["factors"]):
        factors[f["code"]] = Factor(f["code"], f["category"], (n + 1) * 10, dict(f["texts"]))
    rows = ws.connection.execute(
        "SELECT id, code, category, position, texts, retired FROM risk_factor WHERE deleted = 0 ORDER BY rev").fetchall()
    for rid, code, category, position, texts, retired in rows:
        factors[code] = Factor(code, category, int(position), json.loads(texts), bool(retired), rid)
    cat_order = {k: n for n, (k, _texts) in enumerate(categories())}
    out = sorted(factors.values(), key=lambda f: (cat_order.get(f.category, 99), f.position, f.code))
    return out if include_retired else [f for f in out if not f.retired]


def save_factor(ws: Workspace, code: str, category: str, texts: Mapping[str, str], *,
                position: int | None = None, retired: bool = False) -> Factor:
    """A coordinator's edit of the library (or a new factor). Past assessments keep their copy."""
    code = (code or "").strip()
    if not code:
        raise RiskError(_("A factor needs a code."))
    if category not in {k for k, _t in categories()}:
        raise RiskError(_("Unknown factor category: {category}.").format(category=category))
    clean = {k: (v or "").strip() for k, v in texts.items() if (v or "").strip()}
    existing = {f.code: f for f in library(ws, include_retired=True)}
    old = existing.get(code)
    if position is None:
        position = old.position if old else max((f.position for f in existing.values()), default=0) + 10
    merged = dict(old.texts) if old else {}
    merged.update(clean)
    if not merged:
        raise RiskError(_("A factor needs a text in at least one language."))
    data = {"code": code, "category": category, "position": position,
            "texts": json.dumps(merged, ensure_ascii=False, sort_keys=True), "retired": int(retired)}
    if old and old.record_id:
        ws.records.update(FACTOR, old.record_id, data)
        rid = old.record_id
    else:
        rid = ws.records.insert(FACTOR, data)["id"]
    return Factor(code, category, position, merged, retired, rid)
