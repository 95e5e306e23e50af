"""The roster page: figures and a chart of completion by category, the personnel table (lazy, with
an instant text filter and filters by category, office and status), the person's detail with
history, and the actions (import, add/edit/remove, classroom session, export, report)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.roster import exports, figures, listing
from desktop.roster.model import (
    CATEGORIES,
    category_label,
    person_detail,
    remove_person,
)
from desktop.roster.snapshot import KINDS as snapshot_kinds
from desktop.roster.snapshot import is_current as snapshot_is_current
from desktop.tasks import TaskState
from i18n import _
from i18n.formatting import date as format_date
from i18n.formatting import number, percent_in_text
from ui import operations
from ui.flow import FlowLayout
from ui.pages import InstrumentPage
from ui.roster.chart import CompletionChart
from ui.roster.model import COLUMN_INDEX, RosterTableModel
from ui.widgets import date_edit, heading, message_label, show_error, show_note

STATUS_FILTERS = (  # (status, within days)
    (None, 90), ("trained", 90), ("expiring", 30), ("expiring", 60), ("expiring", 90), ("overdue", 90),
    ("never", 90), ("inactive", 90))


def _status_filter_label(status: str | None, within: int) -> str:
    if status is None:
        return _("All statuses")
    if status == "expiring":
        return _("Expiring within {days} days").format(days=within)
    return _(figures.STATUS_LABELS[status])


class Page(InstrumentPage):
    key = "roster"
    kinds = frozenset(snapshot_kinds)

    def __init__(self, session, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(session, parent)
        self._today = today or dt.date.today()
        self.roster: listing.Roster | None = None
        self.figures: figures.Figures | None = None
        self.title = heading()
        self.as_of_label = QLabel()
        self.as_of = date_edit()
        self.as_of_label.setBuddy(self.as_of)
        self.as_of.setDate(QDate(self._today.year, self._today.month, self._today.day))
        self.as_of.dateChanged.connect(lambda _d: self.refresh())
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.open_import)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_person)
        self.session_button = QPushButton()
        self.session_button.clicked.connect(self.record_session)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_list)
        self.report_button = QPushButton()
        self.report_button.clicked.connect(self.save_report)
        self.courses_button = QPushButton()
        self.courses_button.clicked.connect(self.edit_courses)
        self.message = message_label()

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.model.set_filter(text=text) or self._update_count())
        self.category = QComboBox()
        self.office = QComboBox()
        self.status = QComboBox()
        for combo in (self.category, self.office, self.status):
            # Sized by the space the row gives them, not by their longest entry (shown whole when open).
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)
        for combo in (self.category, self.office, self.status):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.count_label = QLabel()

        self.model = RosterTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        # What a focal point looks for first stays in view at the default size: the name, whether the
        # person is trained, and when last; identity and place follow (the model's order is unchanged).
        for visual, column in enumerate(("name", "status", "last", "category", "office")):
            header.moveSection(header.visualIndex(COLUMN_INDEX[column]), visual)
        for column, width in (("name", 200), ("status", 150), ("last", 110), ("email", 200)):
            self.table.setColumnWidth(COLUMN_INDEX[column], width)
        self.table.doubleClicked.connect(lambda _i: self.edit_person())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.letter = QLabel()
        self.letter.setWordWrap(True)
        self.letter.setTextFormat(Qt.TextFormat.PlainText)
        # What the figures leave out (completions of courses not yet classified): said beside them,
        # never only in a tooltip (design.md: a figure never silently drops data).
        self.not_counted = message_label()
        self.chart = CompletionChart()
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_person)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_person)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)   # the room goes to the title (a stretch broke "Registro de capacitación" in two)
        top.addWidget(self.as_of_label)
        top.addWidget(self.as_of)
        actions = FlowLayout()   # wraps in long languages instead of widening the page
        for b in (self.import_button, self.add_button, self.session_button, self.export_button, self.report_button,
                  self.courses_button):
            actions.addWidget(b)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.category, 2)
        filters.addWidget(self.office, 1)
        filters.addWidget(self.status, 2)
        filters.addWidget(self.count_label)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(filters)
        lv.addWidget(self.table)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.summary)
        rv.addWidget(self.letter)
        rv.addWidget(self.not_counted)
        rv.addWidget(self.chart)
        rv.addWidget(self.detail_title)
        rv.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        rv.addLayout(buttons)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self._refresh_waiting = False
        self.retranslate()
        # Loaded when first shown (InstrumentPage), as an operation.

    @staticmethod
    def nav_title() -> str:
        return _("Training roster")

    # ---- language --------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Training roster"))
        self.as_of_label.setText(_("Figures on"))
        self.import_button.setText(_("Import…"))
        self.add_button.setText(_("Add person…"))
        self.session_button.setText(_("Record a classroom session…"))
        self.export_button.setText(_("Export list…"))
        self.report_button.setText(_("Roster report (PDF)…"))
        self.courses_button.setText(_("Courses…"))
        self.search.setPlaceholderText(_("Search name, index number, e-mail, unit, office"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove"))
        self._fill_combos()
        self.model.retranslate()
        self._fit_date_column()
        self._update_figures()
        self._show_detail()
        self._update_count()

    def _fit_date_column(self) -> None:
        """"Last completion" as wide as the widest date of this language (UN Chinese "2026 年 12 月 28 日"
        is wider than "28 Dec 2026"), never narrower than the user made it."""
        metrics = self.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(format_date(dt.date(2026, month, 28), style="medium"))
                     for month in range(1, 13))
        column = COLUMN_INDEX["last"]
        self.table.setColumnWidth(column, max(self.table.columnWidth(column), widest + 16))

    def _fill_combos(self) -> None:
        for combo in (self.category, self.office, self.status):
            combo.blockSignals(True)
        cat, off, st = self.category.currentData(), self.office.currentData(), self.status.currentIndex()
        self.category.clear()
        self.category.addItem(_("All categories"), None)
        for code, label in CATEGORIES:
            self.category.addItem(_(label), code)
        self.office.clear()
        self.office.addItem(_("All offices"), None)
        for name in (self.roster.snap.office_names if self.roster else []):
            self.office.addItem(name or "—", name)
        self.status.clear()
        for status, within in STATUS_FILTERS:
            self.status.addItem(_status_filter_label(status, within), (status, within))
        self.category.setCurrentIndex(max(self.category.findData(cat), 0))
        self.office.setCurrentIndex(max(self.office.findData(off), 0))
        self.status.setCurrentIndex(max(st, 0))
        for combo in (self.category, self.office, self.status):
            combo.blockSignals(False)

    # ---- data --------------------------------------------------------------------------------------
    def remembered(self) -> dict:
        return {"roster/columns": self.table.horizontalHeader()}

    def as_of_date(self) -> dt.date:
        d = self.as_of.date()
        return dt.date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        """Load the roster and its figures as an operation (a first load of a large office takes a
        second or two); the table and figures are filled when it has ended."""
        if not self.session.is_unlocked:
            return
        running = operations.runner(self.session)
        if running.busy:   # after the current operation (an import, a merge) the roster is loaded anew
            if not self._refresh_waiting:
                self._refresh_waiting = True
                running.when_idle(self._refresh_when_idle)
            return
        ws, as_of, filters = self.session.ws, self.as_of_date(), self.model.filters
        first_load = self.roster is None

        def work(task: TaskState) -> tuple:
            if first_load and not snapshot_is_current(ws):
                # A first load of a large office takes a second or more: its people (a third of the
                # time) are shown at once, in name order, their statuses filling in after.
                people = listing.load_people_first(ws, as_of)
                task.publish((people, filters, RosterTableModel.rows_for(people, filters)))
            roster = listing.load_roster(ws, as_of, progress=lambda _n: task.report(None))
            return (roster, figures.completion_figures(ws, as_of),
                    figures.letter_figures(ws, as_of.year, as_of=as_of), filters, RosterTableModel.rows_for(roster, filters))

        running.run(work, title=_("Loading the roster"), on_done=self._loaded, on_partial=self._people_shown,
                    cancellable=False)

    def _people_shown(self, partial: tuple) -> None:
        """The people of a first load, before their statuses and the figures."""
        if not self.session.is_unlocked or self.roster is not None:
            return
        people, filters, rows = partial
        self.model.set_roster(people, rows if self.model.filters == filters else None)
        self._update_count()

    def _refresh_when_idle(self) -> None:
        self._refresh_waiting = False
        self.refresh()

    def _loaded(self, loaded: tuple) -> None:
        if not self.session.is_unlocked:
            return
        self.roster, self.figures, self.letter_figures, filters, rows = loaded
        self._fill_combos()
        # The rows were filtered on the worker; a filter changed meanwhile is applied here.
        self.model.set_roster(self.roster, rows if self.model.filters == filters else None)
        self._update_figures()
        self._update_count()
        self._show_detail()

    def _filters_changed(self) -> None:
        status, within = self.status.currentData() or (None, 90)
        self.model.set_filter(category=self.category.currentData(), office=self.office.currentData(),
                              status=status, within=within)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.roster or self.model.roster   # the people of a first load, before the rest
        total = len(shown) if shown else 0
        self.count_label.setText(_("{shown} of {total}").format(shown=number(self.model.rowCount()),
                                                                total=number(total)))

    def _update_figures(self) -> None:
        f = self.figures
        if f is None:
            self.summary.setText("")
            self.letter.setText("")
            show_error(self.not_counted, "")
            self.chart.set_bars(_("Completion by personnel category"), [])
            return
        o = f.overall
        rate = "—" if o.rate is None else percent_in_text(o.rate)  # in a sentence
        self.summary.setText(_(
            "Completion rate on {date}: {rate} ({trained} of {active} active personnel). Never trained: {never}; "
            "overdue: {overdue}; expiring within 30/60/90 days: {e30}/{e60}/{e90}.").format(
            date=format_date(f.as_of), rate=rate, trained=number(o.trained), active=number(o.active),
            never=number(o.never), overdue=number(o.overdue), e30=number(o.expiring[30]),
            e60=number(o.expiring[60]), e90=number(o.expiring[90])))
        lf = self.letter_figures
        lrate = "—" if lf["training_rate"] is None else percent_in_text(lf["training_rate"])
        self.letter.setText(_("Management letter {year}: {rate} of staff and related personnel completed induction "
                              "or refresher training ({trained} of {population}).").format(
            year=lf["year"], rate=lrate, trained=number(lf["trained"]), population=number(lf["population"])))
        self.letter.setToolTip(_(figures.LETTER_DEFINITION))
        code = i18n.current_language()
        left_letter = figures.NotCounted.from_dict(lf.get("not_counted"))
        notes = []
        if left_letter:
            notes.append(_("Management letter: {text}").format(text=left_letter.text(code)))
        if f.not_counted:
            notes.append(_("Completion rate: {text}").format(text=f.not_counted.text(code)))
        if notes:
            notes.append(_("Classify the courses in Courses… to count them."))
        show_error(self.not_counted, "\n".join(notes))
        bars = [(category_label(code), f.by_category[code].rate,
                 f"{number(f.by_category[code].trained)}/{number(f.by_category[code].active)}")
                for code, _label in CATEGORIES]
        self.chart.set_bars(_("Completion by personnel category"), bars)

    # ---- selection and detail ------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def selected_ids(self) -> list[str]:
        return self.model.person_ids(self.selected_rows())

    def _show_detail(self) -> None:
        ids = self.selected_ids() if self.session.is_unlocked else []
        self.edit_button.setEnabled(len(ids) == 1)
        self.remove_button.setEnabled(len(ids) == 1)
        if len(ids) != 1:
            self.detail_title.setText(_("Select a person to see their training and history."))
            self.detail.setPlainText("")
            return
        detail = person_detail(self.session.ws, ids[0])
        if detail is None:
            self.detail.setPlainText("")
            return
        p = detail["person"]
        self.detail_title.setText(p["name"])
        lines = [
            _field(_("Personnel category"), category_label(p["category"])),
            _field(_("Office"), p["duty_office"] or "—") + "   " + _field(_("Unit"), p["unit"] or "—"),
            _field(_("Index number"), p["index_number"] or "—") + "   " + _field(_("E-mail"), p["email"] or "—"),
            _field(_("Start date"), _iso(p["start_date"])) + "   " + _field(_("End date"), _iso(p["end_date"])),
            "",
            _("Training completed:"),
        ]
        if not detail["completions"]:
            lines.append("  " + _("none"))
        for c in detail["completions"]:
            lines.append(f"  {_iso(c['completed_on'])}  {c['course']}  {c['certificate']}".rstrip())
        lines += ["", _("Earlier versions of this record:")]
        if not detail["history"]:
            lines.append("  " + _("none"))
        for h in detail["history"][:20]:
            lines.append(f"  {h['_at'][:19].replace('T', ' ')}  {h['name']} · {category_label(h['category'])} · "
                         f"{h['duty_office'] or '—'} · {h['unit'] or '—'}")
        self.detail.setPlainText("\n".join(lines))

    # ---- actions ---------------------------------------------------------------------------------------
    def _changed(self, note: str = "") -> None:
        if note:
            show_note(self.message, note)

    def add_person(self) -> None:
        from ui.roster.dialogs import PersonDialog
        dialog = PersonDialog(self.session.ws, None, self)
        if dialog.exec():
            self._changed(_("The person was added."))

    def edit_person(self) -> None:
        from ui.roster.dialogs import PersonDialog
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        dialog = PersonDialog(self.session.ws, ids[0], self)
        if dialog.exec():
            self._changed(_("The changes were saved."))

    def remove_person(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        answer = QMessageBox.question(self, _("Remove person"), _(
            "Remove this person and their training records from the roster? The removal is kept in the "
            "history and the audit log."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        remove_person(self.session.ws, ids[0])
        self._changed(_("The person was removed."))

    def record_session(self) -> None:
        from ui.roster.dialogs import SessionDialog
        ids = self.selected_ids()
        if not ids:
            show_error(self.message, _("Select the people who attended in the table first (Ctrl+click, Shift+click)."))
            return
        dialog = SessionDialog(self.session.ws, ids, self)
        if dialog.exec():
            self._changed(dialog.result_text)

    def edit_courses(self) -> None:
        from ui.roster.dialogs import CoursesDialog
        if CoursesDialog(self.session.ws, self).exec():
            self._changed(_("The changes were saved."))

    def open_import(self) -> None:
        from ui.roster.dialogs import ImportWizard
        path, _filter = QFileDialog.getOpenFileName(self, _("Import personnel or training completions"), "",
                                                    _("Spreadsheets (*.csv *.txt *.xlsx)"))
        if not path:
            return
        # A child of the main window, not of this page: the pages are disabled while its steps run.
        wizard = ImportWizard(self.session, path, self.window())
        wizard.exec()
        if wizard.imported:
            self._changed(wizard.result_text)

    def export_list(self) -> None:
        if self.roster is None:
            return
        path, chosen = QFileDialog.getSaveFileName(self, _("Export the list"), "roster.xlsx",
                                                   _("Excel workbook (*.xlsx);;CSV UTF-8 (*.csv)"))
        if not path:
            return
        self.export_list_to(path)

    def export_list_to(self, path: str) -> bool:
        """The people shown, as CSV or XLSX (an operation)."""
        rows, roster, language = self.model.visible_people(), self.roster, i18n.current_language()

        def work(task: TaskState) -> None:
            if path.lower().endswith(".csv"):
                exports.write_csv(path, roster, rows, language)
            else:
                exports.write_xlsx(path if path.lower().endswith(".xlsx") else path + ".xlsx", roster, rows, language)

        return self.run_operation(_("Exporting the list"), work, errors=self.message, on_done=lambda _r: show_note(
            self.message, _("{n} people exported.").format(n=number(len(rows)))))

    def save_report(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Roster report (PDF)"), "roster-report.pdf", "PDF (*.pdf)")
        if not path:
            return
        self.report_to(path)

    def report_to(self, path: str) -> bool:
        """The roster report PDF of the people shown (an operation)."""
        from desktop.roster import report

        ws, as_of, language, rows = self.session.ws, self.as_of_date(), i18n.current_language(), self.model.visible_people()
        return self.run_operation(
            _("Writing the roster report"), lambda task: report.write_report(ws, path, as_of, language, rows=rows),
            errors=self.message, on_done=lambda _r: show_note(self.message, _("The report was saved.")))


def _field(label: str, value: str) -> str:
    # TRANSLATORS: a label and its value in the person's detail (French puts a space before the colon)
    return _("{label}: {value}").format(label=label, value=value)


def _iso(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else "—"
