"""What the letter instrument contributes to the regional view: letters signed for a year.

Defined here once, like the other instruments' `letter_figures`; the regional view runs it per office.
"""

from __future__ import annotations

from typing import Any

from desktop.letter.model import SIGNED
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
