"""The risk page: the heat map of the office's current risks, the risk register across assessments,
open and overdue measures, and the assessments with their forms (new, start from previous, visit)."""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.risk import assessments, factors, followup, measures, model, overview, ratings, scoring
from i18n import _, ngettext
from i18n.formatting import date as format_date
from i18n.formatting import number
from ui import colours
from ui.flow import FlowLayout
from ui.pages import InstrumentPage
from ui.risk.form import AssessmentForm, VisitDialog, band_item
from ui.risk.heatmap import HeatMap
from ui.risk.library import LibraryDialog
from ui.widgets import confirm, heading, message_label, show_error, show_note


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else "—"


def _trend_text(direction: int) -> str:
    return {-1: _("better"), 0: _("unchanged"), 1: _("worse")}[direction]


class Page(InstrumentPage):
    key = "risk"
    kinds = frozenset({"risk_factor", "risk_assessment", "risk_rating", "risk_measure", "risk_visit", "risk_rerating",
                       "office", "meta"})

    def __init__(self, session, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(session, parent)
        self._today = today
        self.cell_filter: tuple[int, int] | None = None
        self.title = heading()
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("risk-summary")
        self.summary.setStyleSheet("QLabel#risk-summary { font-size: 12pt; padding: 24px 12px; line-height: 160%; }")
        self.heatmap = HeatMap(scoring.matrix())
        self.heatmap.cellClicked.connect(self._cell_clicked)
        self.heat_title = QLabel()
        bold = QFont(self.heat_title.font())
        bold.setBold(True)
        self.heat_title.setFont(bold)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        self.register_table = QTableWidget(0, 6)
        self.measures_table = QTableWidget(0, 7)
        self.assessments_table = QTableWidget(0, 7)
        for t in (self.register_table, self.measures_table, self.assessments_table):
            t.verticalHeader().hide()
            t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            t.setSortingEnabled(False)
            t.setWordWrap(False)
        self.measures_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.assessments_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.assessments_table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.register_table, "")
        self.tabs.addTab(self.measures_table, "")
        self.tabs.addTab(self.assessments_table, "")

        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_assessment)
        self.from_previous_button = QPushButton()
        self.from_previous_button.clicked.connect(self.start_from_selected)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_selected)
        self.visit_button = QPushButton()
        self.visit_button.clicked.connect(self.visit_selected)
        self.done_button = QPushButton()
        self.done_button.clicked.connect(self.mark_selected_done)
        self.report_button = QPushButton()
        self.report_button.clicked.connect(self.report_selected)
        self.library_button = QPushButton()
        self.library_button.clicked.connect(self.edit_library)
        # wraps, so that long labels (Russian, French) never force a wide window
        buttons = FlowLayout()
        for b in (self.new_button, self.from_previous_button, self.edit_button, self.visit_button,
                  self.done_button, self.report_button, self.library_button):
            buttons.addWidget(b)
        self.message = message_label(self)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.heat_title)
        lv.addWidget(self.heatmap, 1)
        lv.addWidget(self.legend)
        left.setMaximumWidth(460)
        top = QWidget()
        th = QHBoxLayout(top)
        th.setContentsMargins(0, 0, 0, 0)
        th.addWidget(left, 1)
        th.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignTop)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.retranslate()

    @staticmethod
    def nav_title() -> str:
        return _("Risk assessments")

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # ---- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("SEA risk assessments and mitigation plans"))
        self.heat_title.setText(_("Current risks of the office (likelihood × impact)"))
        self.tabs.setTabText(0, _("Risk register"))
        self.tabs.setTabText(1, _("Open and overdue measures"))
        self.tabs.setTabText(2, _("Assessments"))
        self.register_table.setHorizontalHeaderLabels([
            _("Operation, programme or site"), _("Risk factor"), _("Likelihood × impact"), _("Trend"),
            _("Open measures"), _("Overdue measures")])
        self.measures_table.setHorizontalHeaderLabels([
            _("Due"), _("Status"), _("Action"), _("Owner"), _("Operation, programme or site"), _("Risk factor"),
            _("Days overdue")])
        self.assessments_table.setHorizontalHeaderLabels([
            _("Assessed on"), _("Operation, programme or site"), _("Kind"), _("Location"), _("Assessed by"),
            _("High risks"), _("Visits")])
        self.new_button.setText(_("New assessment…"))
        self.from_previous_button.setText(_("Start from the selected assessment…"))
        self.edit_button.setText(_("Open the assessment…"))
        self.visit_button.setText(_("Record a follow-up visit…"))
        self.done_button.setText(_("Mark the measure done"))
        self.report_button.setText(_("Report PDF…"))
        self.library_button.setText(_("Factor library…"))
        self.heatmap.retranslate()
        bands = scoring.matrix().bands
        self.legend.setText(" &nbsp; ".join(
            f'<span style="background:{b.colour}; color:{b.ink}">&nbsp;{_html(b.label())}&nbsp;</span> '
            f"{number(b.low)}–{number(b.high)}" for b in bands))
        # Data is loaded when the page is first shown (InstrumentPage): opening the window stays quick. After a
        # language switch the tables' words (trend, band, status, kind) and the summary are written again: now
        # if the page shows, else when it is shown (they stayed in the previous language).
        if hasattr(self, "register_rows"):
            self._stale = True
            self._refresh_if_due()

    # ---- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        ws = self.session.ws
        today = self.today
        self.register_rows = overview.risk_register(ws, today)
        self.measure_rows = overview.open_measures(ws, today)
        self.assessment_rows = assessments.assessments(ws)
        self.heatmap.set_counts(overview.heat_counts(row.risk for row in self.register_rows))
        self.heatmap.set_selected(self.cell_filter)
        self._fill_register()
        self._fill_measures()
        self._fill_assessments()
        current = [a for a in self.assessment_rows if a["is_current"]]
        high = sum(1 for r in self.register_rows if r.risk.is_high)
        overdue = sum(1 for r in self.measure_rows if r.overdue)
        self.summary.setText("\n".join((
            ngettext("{n} operation, programme or site assessed", "{n} operations, programmes or sites assessed",
                     len(current)).format(n=number(len(current))),
            ngettext("{n} high risk", "{n} high risks", high).format(n=number(high)),
            ngettext("{n} open measure", "{n} open measures", len(self.measure_rows)).format(
                n=number(len(self.measure_rows))),
            ngettext("{n} overdue", "{n} overdue", overdue).format(n=number(overdue)))))

    def _fill_register(self) -> None:
        rows = self.register_rows
        if self.cell_filter:
            rows = [r for r in rows if (r.risk.likelihood, r.risk.impact) == self.cell_filter]
        t = self.register_table
        t.setRowCount(0)
        t.setRowCount(len(rows))
        for n, row in enumerate(rows):
            r = row.risk
            t.setItem(n, 0, _item(row.assessment["subject"], row.assessment["id"]))
            factor = _item(r.text(), r.id)
            factor.setToolTip(_("{category}: {factor}").format(category=factors.category_label(r.category),
                                                                factor=r.text()))
            t.setItem(n, 1, factor)
            rating = band_item(r.likelihood, r.impact)
            rating.setText(_("{likelihood} × {impact} = {score} · {band}").format(
                likelihood=number(r.likelihood), impact=number(r.impact), score=number(r.score),
                band=r.band.label()))
            t.setItem(n, 2, rating)
            trend = _item(_trend_text(row.trend))
            trend.setToolTip(self._trend_tooltip(r.id))
            if row.trend > 0:
                trend.setForeground(colours.meaning("danger"))
            t.setItem(n, 3, trend)
            t.setItem(n, 4, _item(number(row.open_measures)))
            over = _item(number(row.overdue_measures) if row.overdue_measures else "")
            if row.overdue_measures:
                over.setForeground(colours.meaning("danger"))
            t.setItem(n, 5, over)
        _fit(t, stretch=1, caps={0: 200})

    def _trend_tooltip(self, rating_id: str) -> str:
        """The factor's score at the assessment and after each follow-up visit."""
        points = followup.trend(self.session.ws, rating_id)
        return "\n".join(_("{date}: {likelihood} × {impact} = {score} · {band}").format(
            date=_date(p.on), likelihood=number(p.likelihood), impact=number(p.impact), score=number(p.score),
            band=p.band.label()) for p in points)

    def _fill_measures(self) -> None:
        t = self.measures_table
        t.setRowCount(0)
        t.setRowCount(len(self.measure_rows))
        for n, row in enumerate(self.measure_rows):
            m = row.measure
            due = _item(_date(m["due_on"]), m["id"])
            t.setItem(n, 0, due)
            status = model.MEASURE_STATUSES[m["status"]]
            t.setItem(n, 1, _item(_(status)))
            t.setItem(n, 2, _item(m["action"]))
            t.setItem(n, 3, _item(m["owner"]))
            t.setItem(n, 4, _item(row.assessment["subject"]))
            t.setItem(n, 5, _item(row.risk.text()))
            flag = _item(ngettext("{n} day overdue", "{n} days overdue", row.days_overdue).format(
                n=number(row.days_overdue)) if row.overdue else "")
            t.setItem(n, 6, flag)
            if row.overdue:
                for col in (0, 6):
                    t.item(n, col).setForeground(colours.meaning("danger"))
        _fit(t, stretch=2, caps={3: 140, 4: 180, 5: 200})

    def _fill_assessments(self) -> None:
        t = self.assessments_table
        t.setRowCount(0)
        t.setRowCount(len(self.assessment_rows))
        ws = self.session.ws
        for n, a in enumerate(self.assessment_rows):
            risks = ratings.rated_risks(ws, a["id"], self.today)
            t.setItem(n, 0, _item(_date(a["assessed_on"]), a["id"]))
            subject = _item(a["subject"] if a["is_current"] else _("{subject} (superseded)").format(subject=a["subject"]))
            if not a["is_current"]:
                subject.setForeground(colours.muted())
            t.setItem(n, 1, subject)
            kind = model.SUBJECT_KINDS[a["subject_kind"]]
            t.setItem(n, 2, _item(_(kind)))
            t.setItem(n, 3, _item(a["location"]))
            t.setItem(n, 4, _item(a["assessed_by"]))
            t.setItem(n, 5, _item(number(sum(1 for r in risks if r.is_high))))
            t.setItem(n, 6, _item(number(len(followup.visits(ws, a["id"])))))
        _fit(t, stretch=1, caps={3: 200, 4: 200})

    def _cell_clicked(self, likelihood: int, impact: int) -> None:
        self.cell_filter = (likelihood, impact) if likelihood else None
        self._fill_register()
        self.tabs.setCurrentIndex(0)

    # ---- actions --------------------------------------------------------------------------------
    def selected_assessment_id(self) -> str | None:
        """The assessment selected in the Assessments tab, or the one of the selected register row."""
        if self.tabs.currentIndex() == 2:
            row = self.assessments_table.currentRow()
            item = self.assessments_table.item(row, 0) if row >= 0 else None
        elif self.tabs.currentIndex() == 0:
            row = self.register_table.currentRow()
            item = self.register_table.item(row, 0) if row >= 0 else None
        else:
            row = self.measures_table.currentRow()
            if row < 0:
                return None
            return self.measure_rows[row].assessment["id"] if row < len(self.measure_rows) else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _need_selection(self) -> str | None:
        aid = self.selected_assessment_id()
        if aid is None:
            show_error(self.message, _("Select an assessment first (in the Assessments tab or the register)."))
        return aid

    def _changed(self, note: str) -> None:
        show_note(self.message, note)
        self.refresh()

    def new_assessment(self) -> AssessmentForm:
        form = AssessmentForm(self.session.ws, None, self, today=self.today)
        form.accepted.connect(lambda: self._changed(_("The assessment was saved.")))
        return self._open(form)

    def edit_selected(self) -> AssessmentForm | None:
        aid = self._need_selection()
        if aid is None:
            return None
        form = AssessmentForm(self.session.ws, aid, self, today=self.today)
        form.accepted.connect(lambda: self._changed(_("The assessment was saved.")))
        return self._open(form)

    def start_from_selected(self) -> AssessmentForm | None:
        """A new assessment of the same subject, starting from the selected one's current ratings."""
        aid = self._need_selection()
        if aid is None:
            return None
        ws = self.session.ws
        # Who assesses is what the user says, never the computer's login name ("root", "jdoe"): the
        # previous assessor stays until the form is edited.
        previous = assessments.get_assessment(ws, aid) or {}
        new_id = assessments.start_from_previous(ws, aid, assessed_on=self.today,
                                                 assessed_by=previous.get("assessed_by") or "")
        self._changed(_("A new assessment was started from the previous one; review and save it."))
        form = AssessmentForm(ws, new_id, self, today=self.today)
        form.accepted.connect(lambda: self._changed(_("The assessment was saved.")))
        form.rejected.connect(lambda: self._discard_started(new_id))
        return self._open(form)

    # ---- the open assessment form: its unsaved changes are kept at a lock or a close ---------------------
    def _open(self, form: AssessmentForm) -> AssessmentForm:
        self._form = form
        form.open()
        return form

    def _open_form(self) -> AssessmentForm | None:
        form = getattr(self, "_form", None)
        return form if form is not None and shiboken6.isValid(form) and form.isVisible() else None

    def keep_draft(self) -> bool:
        form = self._open_form()
        return form.keep_draft() if form is not None else False

    def has_unsaved(self) -> bool:
        form = self._open_form()
        return form is not None and form.has_changes()

    def save_unsaved(self) -> bool:
        form = self._open_form()
        return form.save() if form is not None else True

    def _discard_started(self, assessment_id: str) -> None:
        """Cancel on a just-started assessment takes it back (tombstones, audited like any change)."""
        assessments.delete_assessment(self.session.ws, assessment_id)
        self._changed(_("The new assessment was discarded."))

    def visit_selected(self) -> VisitDialog | None:
        aid = self._need_selection()
        if aid is None:
            return None
        dialog = VisitDialog(self.session.ws, aid, self, today=self.today)
        dialog.accepted.connect(lambda: self._changed(_("The follow-up visit was recorded.")))
        dialog.open()
        return dialog

    def mark_selected_done(self) -> bool:
        row = self.measures_table.currentRow()
        if self.tabs.currentIndex() != 1 or row < 0 or row >= len(self.measure_rows):
            show_error(self.message, _("Select a measure in the list of open measures first."))
            return False
        m = self.measure_rows[row].measure
        if not confirm(self, _("Mark the measure done"), _(
                "Mark this measure done? It leaves the list of open measures and the letter counts it as "
                "carried out. This cannot be undone from this list.\n\n{measure}").format(
                measure=m.get("action") or ""), _("Mark done")):
            return False
        measures.update_measure(self.session.ws, m["id"], {"status": "done", "done_on": self.today},
                                expected_rev=m["rev"])
        self._changed(_("The measure was marked done."))
        return True

    def edit_library(self) -> LibraryDialog:
        dialog = LibraryDialog(self.session.ws, self)
        dialog.accepted.connect(lambda: self._changed(_("The factor library was saved.")))
        dialog.open()
        return dialog

    def report_selected(self, path: str | None = None, code: str | None = None) -> str | None:
        aid = self._need_selection()
        if aid is None:
            return None
        from desktop.risk import report  # reportlab: loaded when a report is first written
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the risk assessment report"),
                                                        "risk-assessment.pdf", _("PDF files (*.pdf)"))
            if not path:
                return None
        ws, language = self.session.ws, code or i18n.current_language()
        self.run_operation(_("Writing the report"), lambda task: report.write_report(ws, aid, path, language),
                           errors=self.message,
                           on_done=lambda _r: show_note(self.message, _("Report written: {path}").format(path=path)))
        return path


def _fit(table: QTableWidget, stretch: int, caps: dict[int, int]) -> None:
    """Columns as wide as their contents, long ones capped, one column taking the rest."""
    header = table.horizontalHeader()
    table.resizeColumnsToContents()
    for col in range(table.columnCount()):
        if col == stretch:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        if col in caps and table.columnWidth(col) > caps[col]:
            table.setColumnWidth(col, caps[col])


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
