"""The roster table: a lazy model over the in-memory roster (desktop.roster.listing). Cells are
computed when the view asks for them, so 100,000 people cost a list of row numbers, not widgets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.roster.figures import STATUS_LABELS
from desktop.roster.listing import LOADING, Roster
from desktop.roster.model import CATEGORIES
from i18n import N_, _
from i18n.formatting import date as format_date
from ui import colours

COLUMNS = (
    ("name", N_("Full name")),
    ("index_number", N_("Index number")),
    ("email", N_("E-mail")),
    ("category", N_("Personnel category")),
    ("office", N_("Office")),
    ("unit", N_("Unit")),
    ("status", N_("Status")),
    ("last", N_("Last completion")),
)
COLUMN_INDEX = {key: n for n, (key, _label) in enumerate(COLUMNS)}
STATUS_MEANINGS = {"trained": "good", "expiring": "warning", "overdue": "danger", "never": "danger"}


def status_colour(status: str) -> QColor:
    """A status's colour on this palette (ui/colours.py); inactive people in the muted text colour."""
    meaning = STATUS_MEANINGS.get(status)
    return colours.meaning(meaning) if meaning else colours.muted()
_Index = QModelIndex | QPersistentModelIndex


def status_text(status: str, within: int) -> str:
    if status == LOADING:
        return "…"   # the completions are still being read (a first load shows the people at once)
    if status == "expiring":
        return _("Expiring within {days} days").format(days=within)
    return _(STATUS_LABELS[status])


class RosterTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.roster: Roster | None = None
        self.rows: list[int] = []
        self._filter = {"text": "", "category": None, "office": None, "status": None, "within": 90}
        self._labels: dict[str, str] = {}
        self._dates: dict[str, str] = {}

    # ---- data --------------------------------------------------------------------------------------
    def set_roster(self, roster: Roster | None, rows: list[int] | None = None) -> None:
        """Show `roster`; `rows` (what `rows_for(roster, model.filters)` gives) when computed off the
        window's thread already."""
        self.beginResetModel()
        self.roster = roster
        self._retranslate_cache()
        self.rows = rows if rows is not None else self._compute(self._filter)
        self.endResetModel()

    @property
    def filters(self) -> dict:
        return dict(self._filter)

    @staticmethod
    def rows_for(roster: Roster, f: dict) -> list[int]:
        return roster.filter(str(f["text"]), category=f["category"], office=f["office"], status=f["status"],
                             within=int(f["within"]))

    def retranslate(self) -> None:
        self.beginResetModel()
        self._retranslate_cache()
        self.endResetModel()

    def _retranslate_cache(self) -> None:
        self._labels = {code: _(label) for code, label in CATEGORIES}
        self._dates = {}

    def set_filter(self, **changes: object) -> None:
        """Apply filters (text, category, office, status, within). Typing one more letter only
        narrows the rows already shown."""
        new = dict(self._filter)
        new.update(changes)
        old_text, new_text = self._filter["text"], new["text"]
        narrowing = (self.roster is not None and old_text and str(new_text).startswith(str(old_text))
                     and all(new[k] == self._filter[k] for k in new if k != "text"))
        if narrowing:
            needle = " ".join(str(new_text).split()).casefold()
            hay = self.roster.snap.haystack
            rows = [i for i in self.rows if needle in hay[i]]
        else:
            rows = self._compute(new)
        self._filter = new
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def _compute(self, f: dict) -> list[int]:
        return [] if self.roster is None else self.rows_for(self.roster, f)

    def person_id(self, row: int) -> str | None:
        if self.roster is None or not 0 <= row < len(self.rows):
            return None
        return self.roster.snap.ids[self.rows[row]]

    def person_ids(self, rows: list[int]) -> list[str]:
        return [pid for pid in (self.person_id(r) for r in rows) if pid]

    def visible_people(self) -> list[int]:
        """Roster row numbers of what is shown (for exports)."""
        return list(self.rows)

    # ---- Qt ---------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802, ANN201
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][1])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or self.roster is None:
            return None
        r = self.rows[index.row()]
        snap = self.roster.snap
        col = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "name":
                return snap.names[r]
            if col == "index_number":
                return snap.index_numbers[r]
            if col == "email":
                return snap.emails[r]
            if col == "category":
                return self._labels.get(snap.category_code(r), snap.category_code(r))
            if col == "office":
                return snap.office(r)
            if col == "unit":
                return snap.units[r]
            if col == "status":
                return status_text(self.roster.statuses[r], self.roster.expiring_within[r])
            if col == "last":
                day = snap.last_day[r]
                if not snap.complete:
                    return "…"
                if not day:
                    return "—"
                iso = str(day)
                text = self._dates.get(iso)
                if text is None:
                    text = self._dates[iso] = format_date(dt.date.fromordinal(day), style="medium")
                return text
        if role == Qt.ItemDataRole.ForegroundRole and col == "status":
            return status_colour(self.roster.statuses[r])
        return None
