"""What to do first in a workspace, by its role, and what is already done (the Workspace page shows it
as a checklist: a new workspace opens on it). Read from the workspace itself, so it follows the data:
a roster imported, a partner registered, a bundle merged tick their step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from i18n import N_

if TYPE_CHECKING:
    from storage import Workspace


@dataclass(frozen=True)
class Step:
    key: str
    text: str          # msgid (N_): translated where shown
    page: str          # the page that does it
    done: bool


def _has(ws: Workspace, sql: str, *params: object) -> bool:
    return ws.connection.execute(sql, params).fetchone() is not None


def first_steps(ws: Workspace, today: dt.date | None = None) -> list[Step]:
    """The steps for this workspace's role (design.md, "The reporting chain"), in the order to take them."""
    year = (today or dt.date.today()).year
    roster = _has(ws, "SELECT 1 FROM roster_person WHERE deleted = 0 LIMIT 1")
    partners = _has(ws, "SELECT 1 FROM partner WHERE deleted = 0 LIMIT 1")
    risks = _has(ws, "SELECT 1 FROM risk_assessment WHERE deleted = 0 LIMIT 1")
    counts = _has(ws, "SELECT 1 FROM allegation_count WHERE deleted = 0 AND year IN (?, ?) LIMIT 1", year, year - 1)
    sent = _has(ws, "SELECT 1 FROM exchange_export_mark LIMIT 1")
    merged = _has(ws, "SELECT 1 FROM exchange_import LIMIT 1")
    signed = _has(ws, "SELECT 1 FROM letter WHERE deleted = 0 AND status = 'signed' LIMIT 1")
    if ws.role == "region":
        return [
            Step("merge", N_("Merge the bundles your country offices sent"), "exchange", merged),
            Step("relay", N_("Pass the offices' bundles on to headquarters"), "exchange", sent),
        ]
    if ws.role == "headquarters":
        return [
            Step("merge", N_("Merge the bundles of the regions and offices"), "exchange", merged),
            Step("letter", N_("Compose the entity's management letter and have it signed"), "letter", signed),
        ]
    return [
        Step("roster", N_("Import the training roster (personnel and completions)"), "roster", roster),
        Step("partners", N_("Register the implementing partners and their agreements"), "partners", partners),
        Step("risk", N_("Assess the SEA risks of the office's operations"), "risk", risks),
        Step("allegations", N_("Enter the year's allegation counts (numbers only, no names)"), "letter", counts),
        Step("send", N_("Send the office's bundle to the regional coordinator"), "exchange", sent),
    ]
