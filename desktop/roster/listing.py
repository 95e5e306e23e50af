"""The roster as the window and the exports see it: the in-memory snapshot plus each person's status
on an as-of date, and the filters (text, category, office, status)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.roster.snapshot import Snapshot, people_first, snapshot, statuses

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class Roster:
    snap: Snapshot
    as_of: dt.date
    statuses: list[str]        # figures.STATUSES ("expiring" people are trained, expiring within 90 days)
    expiring_within: list[int]  # 30/60/90 for "expiring", else 0

    def __len__(self) -> int:
        return len(self.snap.ids)

    def filter(self, text: str = "", *, category: str | None = None, office: str | None = None,
               status: str | None = None, within: int = 90) -> list[int]:
        """Row numbers matching all the given filters (text: case-insensitive substring of name,
        index number, e-mail, unit or office)."""
        snap = self.snap
        needle = " ".join(text.split()).casefold()
        rows: array | list[int] = snap.order
        if needle:
            hay = snap.haystack
            rows = [i for i in rows if needle in hay[i]]
        if category:
            from desktop.roster.model import CATEGORY_CODES
            ci = CATEGORY_CODES.index(category)
            cats = snap.categories
            rows = [i for i in rows if cats[i] == ci]
        if office:
            if office not in snap.office_names:
                return []
            oi = snap.office_names.index(office)
            offs = snap.offices
            rows = [i for i in rows if offs[i] == oi]
        if status:
            st = self.statuses
            if status == "expiring":
                exp = self.expiring_within
                rows = [i for i in rows if st[i] == "expiring" and exp[i] <= within]
            elif status == "trained":  # people whose training expires soon are still trained
                rows = [i for i in rows if st[i] in ("trained", "expiring")]
            else:
                rows = [i for i in rows if st[i] == status]
        return list(rows)


LOADING = "loading"   # a status not known yet (`people_first`)


def load_people_first(ws: Workspace, as_of: dt.date | None = None) -> Roster:
    """The roster's people in name order, every status LOADING: what the list shows at once on a
    first load, before the completions are read (see `snapshot.people_first`)."""
    snap = people_first(ws)
    return Roster(snap, as_of or dt.date.today(), [LOADING] * len(snap), [0] * len(snap))


def load_roster(ws: Workspace, as_of: dt.date | None = None,
                progress: Callable[[int], None] | None = None) -> Roster:
    as_of = as_of or dt.date.today()
    snap = snapshot(ws, progress)
    st, within = statuses(snap, as_of)
    return Roster(snap, as_of, st, within)
