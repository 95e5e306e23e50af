"""The capacity-strengthening plan: action points of one partner (or of all), overdue ones marked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.partners import model
from i18n import _
from i18n.formatting import date as format_date
from ui import colours
from ui.partners.dialogs import ActionDialog
from ui.partners.table import Row, RowsView
from ui.widgets import confirm, message_label, show_error


class PlanView(QWidget):
    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.partner: dict | None = None
        self.names: dict[str, str] = {}
        self._records: dict[str, dict] = {}
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.tree = RowsView(self._headers)
        self.tree.setObjectName("plan")
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        # The action point gets room for its first words (stretched, it gave way to the other columns down to
        # "Set…"); the whole text is in its tooltip, and the column can be widened.
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(1, self.tree.fontMetrics().averageCharWidth() * 36)
        self.tree.doubleClicked.connect(lambda *_a: self.edit_action())
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_action)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_action)
        self.done_button = QPushButton()
        self.done_button.clicked.connect(self.mark_done)
        self.error = message_label()
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.tree)
        self.retranslate()

    @staticmethod
    def _headers() -> list[str]:
        return [_("Partner"), _("Action point"), _("Owner"), _("Due date"), _("Priority"), _("Status"), _("Verified by")]

    def show_partner(self, partner: dict | None, names: dict[str, str]) -> None:
        self.partner, self.names = partner, names
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        self._shown = True
        today = dt.date.today()
        views = model.actions(self.session.ws, self.partner["id"] if self.partner else None, today=today)
        self._records = {}
        rows = []
        for view in views:
            rec = view.record
            status = _(model.ACTION_STATUSES.get(rec["status"], rec["status"]))
            if view.overdue:
                status = _("{status}, overdue").format(status=status)
            texts = [self.names.get(rec["partner_id"], ""), rec["description"], rec["owner"],
                     format_date(dt.date.fromisoformat(rec["due_on"])) if rec["due_on"] else "",
                     _(model.PRIORITIES.get(rec["priority"], rec["priority"])), status, rec["verified_by"]]
            sort = [texts[0].casefold(), texts[1].casefold(), texts[2].casefold(), rec["due_on"] or "9999",
                    {"high": 0, "medium": 1, "low": 2}.get(rec["priority"], 3), rec["status"], texts[6]]
            self._records[rec["id"]] = rec
            rows.append(Row(rec["id"], texts, {"*": colours.meaning("danger").name()} if view.overdue else {}, sort))
        self.tree.set_rows(rows)
        self.tree.setColumnHidden(0, self.partner is not None)
        self.add_button.setEnabled(self.partner is not None)
        self._retitle()

    def _selected(self) -> dict | None:
        row_id = self.tree.current_id()
        return self._records.get(row_id) if row_id else None

    def add_action(self) -> None:
        if self.partner is None:
            return
        if ActionDialog(self.session, self.partner, parent=self).exec():
            self.refresh()

    def edit_action(self) -> None:
        rec = self._selected()
        if rec is None:
            return
        partner = model.get_partner(self.session.ws, rec["partner_id"]) or {"name": ""}
        if ActionDialog(self.session, partner, rec, parent=self).exec():
            self.refresh()

    def mark_done(self) -> None:
        rec = self._selected()
        if rec is None:
            return
        if not confirm(self, _("Mark the action done"), _(
                "Mark this capacity-strengthening action done? It leaves the open actions of the plan."),
                _("Mark done")):
            return
        try:
            model.update_action(self.session.ws, rec["id"], {"status": "done"}, expected_rev=rec["rev"])
        except model.PartnerError as exc:
            show_error(self.error, str(exc))
            return
        show_error(self.error, "")
        self.refresh()

    def _retitle(self) -> None:
        if self.partner:
            self.title.setText(_("Capacity-strengthening plan: {partner}").format(partner=self.partner["name"]))
        else:
            self.title.setText(_("Capacity-strengthening plans of all partners"))

    def retranslate(self) -> None:
        self.tree.rows_model.retranslate()
        if getattr(self, "_shown", False):
            self.refresh()  # statuses, priorities and dates are formatted in the language
        self.add_button.setText(_("Add an action point…"))
        self.edit_button.setText(_("Edit…"))
        self.done_button.setText(_("Mark as done"))
        self._retitle()
