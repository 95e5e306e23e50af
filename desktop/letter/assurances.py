"""Offices' assurances as headquarters sees them: received and signed, unsigned, or missing.

An office signs its assurance (a letter of scope 'office': its figures and attestations, through the
same gate as the entity's letter); the signed record and its PDF travel in the office's bundles (and in
its coordinator's relay). Headquarters composes the entity's letter from every office's data and lists,
for the year, which offices' assurances it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.letter.model import SIGNED
from storage.records import REFERENCE_OFFICE

if TYPE_CHECKING:
    from storage import Workspace

RECEIVED, UNSIGNED, MISSING = "signed", "unsigned", "missing"


@dataclass(frozen=True)
class Assurance:
    office: str
    state: str                 # RECEIVED | UNSIGNED | MISSING
    languages: tuple[str, ...]  # of the signed versions
    signer: str = ""
    signed_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"office": self.office, "state": self.state, "languages": list(self.languages),
                "signer": self.signer, "signed_at": self.signed_at}


def assurances(ws: Workspace, year: int) -> list[Assurance]:
    """One row per office that has records here (headquarters' own office excluded)."""
    offices: set[str] = set()
    for (office,) in ws.connection.execute(
            "SELECT DISTINCT office FROM roster_person UNION SELECT DISTINCT office FROM partner"
            " UNION SELECT DISTINCT office FROM risk_assessment UNION SELECT DISTINCT office FROM allegation_count"
            " UNION SELECT DISTINCT office FROM letter UNION SELECT DISTINCT office FROM office"):
        offices.add(office)
    offices -= {ws.office, REFERENCE_OFFICE}
    out = []
    for office in sorted(offices):
        rows = ws.connection.execute(
            "SELECT language, status, signer, signed_at FROM letter WHERE deleted = 0 AND office = ? AND year = ?"
            " AND scope = 'office' ORDER BY language, version DESC", (office, int(year))).fetchall()
        signed = [r for r in rows if r[1] == SIGNED]
        if signed:
            newest = max(signed, key=lambda r: r[3] or "")
            out.append(Assurance(office, RECEIVED, tuple(sorted({r[0] for r in signed})), newest[2], newest[3] or ""))
        elif rows:
            out.append(Assurance(office, UNSIGNED, ()))
        else:
            out.append(Assurance(office, MISSING, ()))
    return out
