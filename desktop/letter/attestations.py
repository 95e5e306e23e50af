"""What the signer attests, item by item: the statements of the letter no data can back.

One record per office, year, scope ('office' assurance or 'entity' letter) and item, saying who
confirmed it and when; withdrawing a confirmation writes a tombstone. They travel in the office's
bundles with its assurance, and the signed version of a letter freezes them with its figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from i18n import N_
from storage.audit import utc_now
from storage.records import RecordKind, register

if TYPE_CHECKING:
    from storage import Workspace

ATTESTATION = register(RecordKind("letter_attestation", "letter_attestation", (
    "year", "scope", "item", "confirmed_by", "confirmed_at")))
SCOPES = ("office", "entity")


class AttestationError(ValueError):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def confirmed(ws: Workspace, year: int, scope: str) -> dict[str, dict[str, str]]:
    """item -> {"by", "at"} of this office's confirmations for the year and scope."""
    rows = ws.connection.execute(
        "SELECT item, confirmed_by, confirmed_at FROM letter_attestation WHERE deleted = 0 AND office = ?"
        " AND year = ? AND scope = ?", (ws.office, int(year), scope)).fetchall()
    return {item: {"by": by, "at": at} for item, by, at in rows}


def confirm(ws: Workspace, year: int, scope: str, items: list[str], by: str, known: tuple[str, ...]) -> list[str]:
    """Confirm items (known: the attestation keys of the letter); returns those newly confirmed."""
    by = " ".join(str(by or "").split())
    if not by:
        raise AttestationError(N_("Say who confirms: the signer's name."))
    if len(by) > 200:
        raise AttestationError(N_("This text is too long (at most {maximum} characters)."), maximum=200)
    unknown = [i for i in items if i not in known]
    if unknown:
        raise AttestationError(N_("Unknown item: {items}."), items=", ".join(unknown))
    if scope not in SCOPES:
        raise AttestationError(N_("Unknown item: {items}."), items=scope)
    with ws.transaction():
        have = confirmed(ws, year, scope)
        new = [i for i in dict.fromkeys(items) if i not in have]
        at = utc_now()
        ws.records.insert_many(ATTESTATION, [{"year": int(year), "scope": scope, "item": i, "confirmed_by": by,
                                              "confirmed_at": at} for i in new])
    return new


def withdraw(ws: Workspace, year: int, scope: str, item: str) -> bool:
    with ws.transaction():
        row = ws.connection.execute(
            "SELECT id FROM letter_attestation WHERE deleted = 0 AND office = ? AND year = ? AND scope = ? AND item = ?",
            (ws.office, int(year), scope, item)).fetchone()
        if row is None:
            return False
        ws.records.delete(ATTESTATION, row[0])
    return True
