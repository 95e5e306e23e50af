"""The risk matrix: likelihood × impact, and the bands the product falls into.

The matrix is data (data/matrix.json: scales, bands with their colours and six-language labels, and
which bands count as high), checked when it is loaded so that every possible score has exactly one
band. Everything that rates, re-rates or colours a risk asks `matrix()`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from desktop.risk.model import DATA, RiskError, pick_text
from i18n import _


@dataclass(frozen=True)
class Band:
    key: str
    low: int
    high: int
    colour: str
    ink: str
    texts: Mapping[str, str]

    def label(self, code: str | None = None) -> str:
        return pick_text(self.texts, code)


@dataclass(frozen=True)
class Matrix:
    l_min: int
    l_max: int
    i_min: int
    i_max: int
    bands: tuple[Band, ...]
    high_bands: frozenset[str]

    def band_for_score(self, score: int) -> Band:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        raise RiskError(_("No band of the risk matrix covers the score {score}.").format(score=score))

    def band(self, likelihood: int, impact: int) -> Band:
        self.check(likelihood, impact)
        return self.band_for_score(likelihood * impact)

    def check(self, likelihood: Any, impact: Any) -> None:
        if not _int_in(likelihood, self.l_min, self.l_max):
            raise RiskError(_("Likelihood must be a whole number from {low} to {high}.").format(
                low=self.l_min, high=self.l_max))
        if not _int_in(impact, self.i_min, self.i_max):
            raise RiskError(_("Impact must be a whole number from {low} to {high}.").format(
                low=self.i_min, high=self.i_max))

    def is_high(self, likelihood: int, impact: int) -> bool:
        return self.band(likelihood, impact).key in self.high_bands


def _int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def matrix_from_data(data: Mapping[str, Any]) -> Matrix:
    """Build and check a matrix: bands must cover every possible score exactly once."""
    bands = tuple(Band(b["key"], int(b["min"]), int(b["max"]), b["colour"], b.get("ink", "#000000"), b["texts"])
                  for b in data["bands"])
    m = Matrix(int(data["likelihood"]["min"]), int(data["likelihood"]["max"]), int(data["impact"]["min"]),
               int(data["impact"]["max"]), bands, frozenset(data.get("high_bands", [bands[-1].key])))
    scores = {lk * im for lk in range(m.l_min, m.l_max + 1) for im in range(m.i_min, m.i_max + 1)}
    for score in scores:
        covering = [b for b in bands if b.low <= score <= b.high]
        if len(covering) != 1:
            raise ValueError(f"risk matrix: score {score} is covered by {len(covering)} bands")
    return m


# The file ships with the app and is never written by it: read and checked once per process.
@lru_cache(maxsize=1)
def matrix() -> Matrix:
    return matrix_from_data(json.loads((DATA / "matrix.json").read_text(encoding="utf-8")))


class Scored:
    """A likelihood and an impact, scored on the matrix (mixed into the dataclasses that carry them)."""

    likelihood: int
    impact: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return matrix().band(self.likelihood, self.impact)
