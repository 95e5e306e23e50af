"""The figures of every instrument for one year, gathered in one place.

Each instrument defines its figures once (`desktop/<instrument>/figures.py`); this module names them
with plain imports so that the regional view, the headquarters' view and the tests of the invariant
("an office's figures are the same wherever they are computed", design.md) all ask for the same set.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from desktop.letter import allegations
from desktop.letter import figures as letter_figures
from desktop.partners import figures as partner_figures
from desktop.risk import figures as risk_figures
from desktop.roster import figures as roster_figures

if TYPE_CHECKING:
    from storage import Workspace

# Names of the figure groups, in the order they are shown.
GROUPS = ("training", "roster", "partners", "risk", "allegations", "letters")


def figures(ws: Workspace, year: int) -> dict[str, dict[str, Any]]:
    """Every instrument's figures for `year` over the records the workspace shows (inside
    `desktop.exchange.region.office_scope`: one office's). JSON-able."""
    training = roster_figures.letter_figures(ws, year)
    as_of = dt.date.fromisoformat(training["as_of"])
    return {
        "training": training,
        "roster": roster_figures.completion_figures(ws, as_of).as_dict(),
        "partners": partner_figures.letter_figures(ws, year),
        "risk": risk_figures.letter_figures(ws, year),
        "allegations": allegations.summary(ws, year).as_dict(),
        "letters": letter_figures.letter_figures(ws, year),
    }
