"""A small read-only table model for the partners list and the plan view.

Why a model instead of QTreeWidget items: PySide6 6.12 on Python 3.11 drops a reference to None in
void calls (setData, setForeground, addTopLevelItem, ...), which kills the interpreter after some
thousands of calls. With a model, a refresh is two calls (begin/end reset) whatever the number of rows,
and colours come from data() instead of one setForeground per cell. It also scales to thousands of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Row:
    id: str
    texts: list[str]
    colours: dict[int, str] = field(default_factory=dict)  # column -> colour ("*" key: whole row)
    sort: list[Any] | None = None                           # sort values per column (default: the text)


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Callable[[], Sequence[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self.headers: list[str] = list(headers())  # translated once per language change, not per call
        self.rows: list[Row] = []
        self._colours: dict[str, QColor] = {}

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def retranslate(self) -> None:
        self.headers = list(self._headers())
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.headers) - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if section < len(self.headers) else None
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return row.texts[col] if col < len(row.texts) else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            name = row.colours.get(col) or row.colours.get("*")  # type: ignore[call-overload]
            if name:
                if name not in self._colours:
                    self._colours[name] = QColor(name)
                return self._colours[name]
            return None
        if role == SORT_ROLE:
            if row.sort is not None and col < len(row.sort):
                return row.sort[col]
            return row.texts[col].casefold() if col < len(row.texts) else ""
        return None


class RowsView(QTreeView):
    """A sortable list view over a RowsModel; `current_id()` is the id of the selected row."""

    def __init__(self, headers: Callable[[], Sequence[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = RowsModel(headers, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.rows_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Fit columns to the first rows only: measuring thousands of rows on every layout is slow.
        self.header().setResizeContentsPrecision(200)

    def set_rows(self, rows: list[Row], keep: str | None = None) -> None:
        keep = keep if keep is not None else self.current_id()
        self.rows_model.set_rows(rows)
        if keep:
            self.select_id(keep)

    def row_count(self) -> int:
        return self.proxy.rowCount()

    def current_id(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.rows_model.rows[self.proxy.mapToSource(index).row()].id

    def select_id(self, row_id: str) -> bool:
        for n, row in enumerate(self.rows_model.rows):
            if row.id == row_id:
                self.setCurrentIndex(self.proxy.mapFromSource(self.rows_model.index(n, 0)))
                return True
        return False

    def select_row(self, n: int) -> None:
        self.setCurrentIndex(self.proxy.index(n, 0))

    def text(self, n: int, column: int) -> str:
        return str(self.proxy.data(self.proxy.index(n, column)) or "")
