"""What the letter instrument contributes to the regional view: letters signed for a year.

Defined here once, like the other instruments' `letter_figures`; the regional view runs it per office.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.letter.model import SIGNED

if TYPE_CHECKING:
    from storage import Workspace


def letter_figures(ws: Workspace, year: int) -> dict[str, Any]:
    """`letters_signed`: signed letter versions for `year` (one per language signed, the latest of
    each); `languages_signed`: their languages, sorted; `last_signed_at`: the newest signing time."""
    rows = ws.connection.execute(
        "SELECT language, max(signed_at) FROM letter WHERE deleted = 0 AND status = ? AND year = ?"
        " GROUP BY language ORDER BY language", (SIGNED, year)).fetchall()
    return {
        "letters_signed": len(rows),
        "languages_signed": [language for language, _ in rows],
        "last_signed_at": max((at for _, at in rows if at), default=None),
    }


def signed_letters(ws: Workspace, year: int) -> list[dict[str, Any]]:
    """Every office's signed letter versions of `year` (a coordinator's workspace holds those merged in):
    office, language, version, signer, signed_at, id, and whether the signed PDF itself is here."""
    rows = ws.connection.execute(
        "SELECT l.id, l.office, l.language, l.version, l.signer, l.signed_at, b.letter_id IS NOT NULL"
        " FROM letter l LEFT JOIN letter_blob b ON b.letter_id = l.id AND b.sha256 = l.pdf_sha256"
        " WHERE l.deleted = 0 AND l.status = ? AND l.year = ? ORDER BY l.office, l.language, l.version DESC",
        (SIGNED, year)).fetchall()
    return [{"id": rid, "office": office, "language": language, "version": version, "signer": signer,
             "signed_at": signed_at, "has_pdf": bool(has_pdf)}
            for rid, office, language, version, signer, signed_at, has_pdf in rows]
