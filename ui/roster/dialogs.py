"""Roster dialogs: a person (add/edit), a classroom session (bulk recording), and the import wizard
(mapping, day/month question, preview, validation report, progress with cancel)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.roster import importer
from desktop.roster.model import (
    CATEGORIES,
    InvalidPerson,
    StaleRecord,
    add_person,
    courses,
    edit_person,
    record_session,
)
from desktop.session import Workspace
from desktop.tasks import TaskState
from i18n import _, ngettext
from i18n.formatting import number
from ui import operations
from ui.widgets import date_edit, fit_to_screen, message_label, pydate, qdate, show_error


class _OptionalDate(QWidget):
    """A date that may be empty (an open-ended contract)."""

    def __init__(self, value: str | None) -> None:
        super().__init__()
        self.check = QCheckBox()
        self.edit = date_edit()
        self.edit.setDate(qdate(dt.date.fromisoformat(value) if value else dt.date.today()))
        self.check.setChecked(bool(value))
        self.edit.setEnabled(bool(value))
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check, 0, 0)
        layout.addWidget(self.edit, 0, 1)

    def set_name(self, name: str) -> None:
        """Both parts named after the row (a screen reader hears "Start date", not an unnamed box)."""
        self.check.setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> str | None:
        return pydate(self.edit.date()).isoformat() if self.check.isChecked() else None


class PersonDialog(QDialog):
    def __init__(self, ws: Workspace, person_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.roster.model import PERSON

        self.ws = ws
        self.person_id = person_id
        current = ws.records.get(PERSON, person_id) if person_id else None
        self.rev = current["rev"] if current else None
        current = current or {}
        self.setWindowTitle(_("Edit person") if person_id else _("Add person"))
        self.name = QLineEdit(current.get("name") or "")
        self.category = QComboBox()
        for code, label in CATEGORIES:
            self.category.addItem(_(label), code)
        self.category.setCurrentIndex(max(self.category.findData(current.get("category") or "staff"), 0))
        self.office = QLineEdit(current.get("duty_office") or ws.office)
        self.unit = QLineEdit(current.get("unit") or "")
        self.index_number = QLineEdit(current.get("index_number") or "")
        self.email = QLineEdit(current.get("email") or "")
        self.start = _OptionalDate(current.get("start_date"))
        self.end = _OptionalDate(current.get("end_date"))
        self.error = message_label()
        form = QFormLayout()
        form.addRow(_("Full name"), self.name)
        form.addRow(_("Personnel category"), self.category)
        form.addRow(_("Office"), self.office)
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Index number"), self.index_number)
        form.addRow(_("E-mail"), self.email)
        form.addRow(_("Start date"), self.start)
        form.addRow(_("End date"), self.end)
        self.start.set_name(_("Start date"))
        self.end.set_name(_("End date"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def data(self) -> dict:
        return {"name": self.name.text(), "category": self.category.currentData(), "duty_office": self.office.text(),
                "unit": self.unit.text(), "index_number": self.index_number.text(), "email": self.email.text(),
                "start_date": self.start.value(), "end_date": self.end.value()}

    def save(self) -> None:
        try:
            if self.person_id:
                edit_person(self.ws, self.person_id, self.data(), expected_rev=self.rev)
            else:
                add_person(self.ws, self.data())
        except InvalidPerson as exc:
            show_error(self.error, str(exc))
            return
        except StaleRecord:
            show_error(self.error, _("This person was changed elsewhere in the meantime; close and open it again."))
            return
        self.accept()


class SessionDialog(QDialog):
    """Record one course on one date for the people selected in the table."""

    def __init__(self, ws: Workspace, person_ids: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.person_ids = person_ids
        self.result_text = ""
        self.setWindowTitle(_("Record a classroom session"))
        self.course = QComboBox()
        for c in courses(ws):
            self.course.addItem(c.label(), c.id)
        self.course.setCurrentIndex(max(self.course.findText(_("Classroom session")), 0))
        self.date = date_edit()
        self.date.setDate(qdate(dt.date.today()))
        self.certificate = QLineEdit()
        self.error = message_label()
        who = QLabel(ngettext("{n} person selected in the table attended.",
                              "{n} people selected in the table attended.", len(person_ids)).format(
            n=number(len(person_ids))))
        form = QFormLayout()
        form.addRow(_("Course"), self.course)
        form.addRow(_("Date"), self.date)
        form.addRow(_("Attendance sheet or certificate reference"), self.certificate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            added = record_session(self.ws, self.person_ids, self.course.currentData(), pydate(self.date.date()),
                                   certificate=self.certificate.text().strip())
        except ValueError as exc:
            show_error(self.error, str(exc))
            return
        self.result_text = ngettext("{n} completion recorded.", "{n} completions recorded.", added).format(
            n=number(added))
        self.accept()


class ImportWizard(QDialog):
    """Pages: 0 mapping (+ day/month question), 1 check result (preview or report), 2 done."""

    def __init__(self, session, path: str, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Session
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.path = path
        self.imported = False
        self.result_text = ""
        self.analysis: importer.Analysis | None = None
        self.plan: importer.Plan | None = None
        self.setWindowTitle(_("Import personnel or training completions"))
        fit_to_screen(self, 860, 560)
        self.pages = QStackedWidget()
        self.message = message_label()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.next_button = QPushButton(_("Check the file"))
        self.next_button.clicked.connect(self._next)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        self.close_button.hide()
        # Enter goes forward (check, import), never to Cancel: otherwise Enter in a column list would
        # close the wizard and lose the mapping.
        self.cancel_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        self.next_button.setDefault(True)
        # page 0: mapping
        self.map_page = QWidget()
        self.map_intro = QLabel()
        self.map_intro.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        self.order_label = QLabel(_("Dates such as 03/04/2024 in this file are written:"))
        self.day_first = QRadioButton(_("day first (03/04/2024 = 3 April 2024)"))
        self.month_first = QRadioButton(_("month first (03/04/2024 = March 4, 2024)"))
        self.preview = QTableWidget()
        self.preview.setAccessibleName(_("Preview of the first rows of the file"))
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.unused = QLabel()
        self.unused.setWordWrap(True)
        self.unused.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        for n, (code, _label) in enumerate(importer.FIELDS):
            combo = QComboBox()
            self.combos[code] = combo
            combo.currentIndexChanged.connect(self._show_unused)
            grid.addWidget(QLabel(importer.field_label(code)), n // 2, (n % 2) * 2)
            grid.addWidget(combo, n // 2, (n % 2) * 2 + 1)
        v = QVBoxLayout(self.map_page)
        v.addWidget(self.map_intro)
        v.addLayout(grid)
        v.addWidget(self.unused)
        v.addWidget(self.order_label)
        v.addWidget(self.day_first)
        v.addWidget(self.month_first)
        v.addWidget(self.preview, 1)
        # page 1: report
        self.report_page = QWidget()
        self.report_intro = QLabel()
        self.report_intro.setWordWrap(True)
        self.report_intro.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.report = QTableWidget(0, 2)
        self.report.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.report.horizontalHeader().setStretchLastSection(True)
        # Courses of the file this workspace does not know: the user says what each counts as before
        # anything is imported (a course left "not yet classified" is counted nowhere, and the report says so).
        self.courses_intro = QLabel()
        self.courses_intro.setWordWrap(True)
        self.course_table = QTableWidget(0, 3)
        self.course_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.course_table.verticalHeader().setVisible(False)
        self.course_table.horizontalHeader().setStretchLastSection(True)
        self.course_kinds: dict[str, QComboBox] = {}
        v = QVBoxLayout(self.report_page)
        v.addWidget(self.report_intro)
        v.addWidget(self.report, 1)
        v.addWidget(self.courses_intro)
        v.addWidget(self.course_table, 1)
        self.courses_intro.hide()
        self.course_table.hide()
        self.pages.addWidget(self.map_page)
        self.pages.addWidget(self.report_page)
        buttons = QGridLayout()
        buttons.addWidget(self.progress, 0, 0)
        buttons.addWidget(self.cancel_button, 0, 1)
        buttons.addWidget(self.close_button, 0, 2)
        buttons.addWidget(self.next_button, 0, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._analyse()

    # ---- steps: each an operation (ui/operations.py), with this dialog's progress bar and Cancel -------
    def _progressed(self, fraction: float | None, _text: str) -> None:
        if fraction is not None:
            self.progress.setValue(int(fraction * 1000))

    def _cancel(self) -> None:
        running = operations.runner(self.session)
        if self.progress.isVisible() and running.busy:
            running.cancel()
        else:
            self.reject()

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.next_button.setEnabled(not on)
        self.progress.setValue(0)

    def _step(self, title: str, work, done, cancelled: str, *, fail_on_cancel: bool = False) -> bool:  # noqa: ANN001
        """Run `work(progress, cancel)` of the importer as an operation; `done(result)` on this thread."""
        running = operations.runner(self.session)
        self._busy(True)
        running.progressed.connect(self._progressed)

        def ended() -> None:
            running.progressed.disconnect(self._progressed)
            self._busy(False)

        def finished(result: object) -> None:
            ended()
            done(result)

        def failed(exc: BaseException) -> None:
            ended()
            if isinstance(exc, importer.ImportCancelled):
                (self._fail if fail_on_cancel else lambda text: show_error(self.message, text))(cancelled)
            elif isinstance(exc, importer.ImportProblem):
                self._fail(str(exc))
            else:
                self._fail(_("The file could not be read: {reason}").format(reason=exc))

        def on_cancelled() -> None:
            failed(importer.ImportCancelled())

        def run(task: TaskState) -> object:
            return work(lambda fraction: task.report(fraction), lambda: task.cancelled)

        started = running.run(run, title=title, on_done=finished, on_error=failed, on_cancelled=on_cancelled)
        if not started:
            ended()
            show_error(self.message, _("Another task is running; try again when it has finished."))
        return started

    def _analyse(self) -> None:
        self._step(_("Reading the file"),
                   lambda progress, cancel: importer.analyse(self.path, cancel=cancel, progress=progress),
                   self._analysed, _("The import was cancelled; nothing was imported."), fail_on_cancel=True)

    def _analysed(self, analysis: importer.Analysis) -> None:
        self.analysis = analysis
        a = self.analysis
        self.map_intro.setText(_("{rows} rows found. Check which column holds what; columns left empty are not "
                                 "imported.").format(rows=number(a.rows)))
        for code, combo in self.combos.items():
            combo.addItem(_("(not in the file)"), None)
            for col, header in enumerate(a.headers):
                combo.addItem(header or _("column {n}").format(n=col + 1), col)
            combo.setCurrentIndex(max(combo.findData(a.mapping.get(code)), 0) if code in a.mapping else 0)
        ask = a.ambiguous_dates
        for w in (self.order_label, self.day_first, self.month_first):
            w.setVisible(ask)
        if a.date_order == "mdy":
            self.month_first.setChecked(True)
        elif a.date_order == "dmy":
            self.day_first.setChecked(True)
        self.preview.setColumnCount(len(a.headers))
        self.preview.setHorizontalHeaderLabels(a.headers)
        self.preview.setRowCount(len(a.preview))
        for r, row in enumerate(a.preview):
            for c, value in enumerate(row[:len(a.headers)]):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        if a.warnings:
            show_error(self.message, " ".join(a.warnings))
        self._show_unused()

    def _show_unused(self) -> None:
        if self.analysis is None:
            return
        unused = importer.unused_columns(self.analysis.headers, self.mapping())
        self.unused.setText(ngettext("This column is not imported: {columns}.",
                                     "These columns are not imported: {columns}.", len(unused)).format(
            columns=", ".join(unused)) if unused else _("Every column of the file is imported."))

    def mapping(self) -> dict[str, int]:
        return {code: combo.currentData() for code, combo in self.combos.items() if combo.currentData() is not None}

    def date_order(self) -> str | None:
        if self.day_first.isChecked():
            return "dmy"
        if self.month_first.isChecked():
            return "mdy"
        return None

    def _next(self) -> None:
        if self.pages.currentIndex() == 0:
            self._check()
        elif self.plan is not None and not self.plan.problems:
            self._commit()
        else:
            self.pages.setCurrentIndex(0)
            self.next_button.setText(_("Check the file"))

    def _check(self) -> None:
        assert self.analysis is not None
        missing = importer.missing_required(self.mapping())
        if missing:
            show_error(self.message, _("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
            return
        if self.analysis.ambiguous_dates and self.date_order() is None:
            show_error(self.message, _("Say whether the dates in this file have the day or the month first."))
            return
        ws, analysis, mapping, order = self.ws, self.analysis, self.mapping(), self.date_order()
        self._step(_("Checking the file"),
                   lambda progress, cancel: importer.check(ws, analysis, mapping, order, progress=progress, cancel=cancel),
                   self._checked, _("The check was cancelled; nothing was imported."))

    def _checked(self, plan: importer.Plan) -> None:
        self.plan = plan
        self.pages.setCurrentIndex(1)
        problems = self.plan.problems
        self.report.setHorizontalHeaderLabels([_("Row"), _("Reason")])
        self.report.setRowCount(min(len(problems), 5000))
        for n, p in enumerate(problems[:5000]):
            self.report.setItem(n, 0, QTableWidgetItem(str(p.row)))
            self.report.setItem(n, 1, QTableWidgetItem(p.reason))
        if problems:
            self.report_intro.setText(ngettext(
                "{n} row cannot be imported. Nothing will be imported until the file is corrected.",
                "{n} rows cannot be imported. Nothing will be imported until the file is corrected.",
                len(problems)).format(n=number(len(problems))))
            self.next_button.setText(_("Back to the columns"))
            self.message.setText("")
        else:
            text = _("All {rows} rows can be imported: {people} people, {completions} completions.").format(
                rows=number(self.plan.rows), people=number(len(self.plan.people)),
                completions=number(len(self.plan.completions)))
            if self.plan.cleaned:
                text += " " + ngettext(
                    "Invisible control characters were removed from {n} name.",
                    "Invisible control characters were removed from {n} names.", self.plan.cleaned).format(
                    n=number(self.plan.cleaned))
            lines = [text] + importer.describe(self.plan.unused_columns, [], done=False)
            self.report_intro.setText("\n".join(lines))
            self.report.hide()
            self._show_new_courses()
            self.next_button.setText(_("Import"))

    def _show_new_courses(self) -> None:
        from desktop.roster.model import COURSE_KINDS

        assert self.plan is not None
        new = list(self.plan.new_courses.items())
        self.course_kinds.clear()
        self.courses_intro.setVisible(bool(new))
        self.course_table.setVisible(bool(new))
        if not new:
            return
        self.courses_intro.setText(ngettext(
            "This course is new to the workspace. Say what it counts as before importing: induction and refresher "
            "courses count for the management letter; a course left not yet classified counts nowhere until it is.",
            "These courses are new to the workspace. Say what each counts as before importing: induction and "
            "refresher courses count for the management letter; a course left not yet classified counts nowhere "
            "until it is.", len(new)))
        self.course_table.setHorizontalHeaderLabels([_("Course in the file"), _("Completions"), _("Counts as")])
        self.course_table.setRowCount(len(new))
        for row, (folded, course) in enumerate(new):
            title = QTableWidgetItem(course.title)
            title.setToolTip(_("Recognised as a known course.") if course.recognised else _("Not a known course."))
            self.course_table.setItem(row, 0, title)
            count = QTableWidgetItem(number(course.completions))
            count.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            self.course_table.setItem(row, 1, count)
            combo = QComboBox()
            combo.addItem(_("Choose…"), None)
            for code, label in COURSE_KINDS:
                combo.addItem(_(label), code)
            combo.setCurrentIndex(max(combo.findData(course.kind), 0) if course.kind else 0)
            combo.setAccessibleName(_("What {course} counts as").format(course=course.title))
            combo.currentIndexChanged.connect(self._kinds_chosen)
            self.course_table.setCellWidget(row, 2, combo)
            self.course_kinds[folded] = combo
        self.course_table.resizeColumnsToContents()
        self._kinds_chosen()

    def _kinds_chosen(self) -> None:
        missing = sum(1 for combo in self.course_kinds.values() if combo.currentData() is None)
        self.next_button.setEnabled(not missing)
        if missing:
            show_error(self.message, ngettext("Say what {n} course counts as.", "Say what {n} courses count as.",
                                              missing).format(n=number(missing)))
        else:
            self.message.setText("")
            self.message.hide()

    def _commit(self) -> None:
        assert self.plan is not None
        for folded, combo in self.course_kinds.items():
            self.plan.new_courses[folded].kind = combo.currentData()
        ws, plan = self.ws, self.plan
        self._step(_("Importing"), lambda progress, cancel: importer.commit(ws, plan, progress=progress, cancel=cancel),
                   self._committed, _("The import was cancelled; nothing was imported."))

    def _committed(self, result: importer.ImportResult) -> None:
        if result.status != "done":
            self.report.show()
            self.report.setRowCount(len(result.problems))
            for n, p in enumerate(result.problems):
                self.report.setItem(n, 0, QTableWidgetItem("—"))
                self.report.setItem(n, 1, QTableWidgetItem(p.reason))
            self.report_intro.setText(result.summary())
            return
        self.imported = True
        self.result_text = result.summary()
        self.report_intro.setText("\n".join([self.result_text, *result.details()]))
        self.course_table.hide()
        self.courses_intro.hide()
        self.next_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setText(_("Close"))
        self.close_button.clicked.disconnect()
        self.close_button.clicked.connect(self.accept)

    def _fail(self, text: str) -> None:
        show_error(self.message, text)
        self.next_button.setEnabled(False)
        self.next_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.key() == Qt.Key.Key_Escape and self.progress.isVisible():
            operations.runner(self.session).cancel()
            return
        super().keyPressEvent(event)


class CoursesDialog(QDialog):
    """Every course with what it counts as and how long a completion stays valid, editable for this
    office; a new course of the office's own. Courses not yet classified are listed first: their
    completions count in no figure until they are classified."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHeaderView, QSpinBox

        from desktop.roster.model import COURSE_KINDS, UNCLASSIFIED, course_completions

        self.ws = ws
        self.setWindowTitle(_("Courses"))
        fit_to_screen(self, 760, 520)
        done = course_completions(ws)
        listed = sorted(courses(ws), key=lambda c: (c.kind != UNCLASSIFIED, not c.reference, c.label().casefold()))
        self.table = QTableWidget(len(listed), 4)
        self.table.setHorizontalHeaderLabels([_("Course"), _("Counts as"), _("Valid for"), _("Completions")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.kinds: dict[str, QComboBox] = {}
        self.spins: dict[str, QSpinBox] = {}
        self._before: dict[str, tuple[str, int]] = {}
        for row, c in enumerate(listed):
            mine = c.reference or c.office == ws.office
            name = c.label() if mine else _("{course} ({office})").format(course=c.label(), office=c.office)
            item = QTableWidgetItem(name)
            item.setToolTip(name)
            self.table.setItem(row, 0, item)
            kind = QComboBox()
            for code, label in COURSE_KINDS:
                kind.addItem(_(label), code)
            kind.setCurrentIndex(max(kind.findData(c.kind), 0))
            kind.setEnabled(mine)
            kind.setAccessibleName(_("What {course} counts as").format(course=c.label()))
            spin = QSpinBox()
            spin.setRange(1, 240)
            spin.setValue(c.validity_months)
            spin.setSuffix(" " + _("months"))
            spin.setEnabled(mine)
            spin.setAccessibleName(_("How long a completion of {course} stays valid").format(course=c.label()))
            self.table.setCellWidget(row, 1, kind)
            self.table.setCellWidget(row, 2, spin)
            count = QTableWidgetItem(number(done.get(c.id, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 3, count)
            if mine:
                self.kinds[c.id], self.spins[c.id] = kind, spin
                self._before[c.id] = (c.kind, c.validity_months)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(_("Name of a new course (optional)"))
        self.new_kind = QComboBox()
        for code, label in COURSE_KINDS:
            self.new_kind.addItem(_(label), code)
        form = QFormLayout()
        form.addRow(_("New course"), self.new_name)
        form.addRow(_("Counts as"), self.new_kind)
        self.error = message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Induction and refresher courses count for the management letter; any PSEA course makes a "
                         "person trained. Courses not yet classified count nowhere until you classify them. A "
                         "completion stays valid for the number of months shown."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        from desktop.roster.model import save_courses

        changes = {cid: (kind.currentData(), self.spins[cid].value()) for cid, kind in self.kinds.items()}
        changes = {cid: chosen for cid, chosen in changes.items() if chosen != self._before[cid]}
        new = (self.new_name.text(), self.new_kind.currentData()) if self.new_name.text().strip() else None
        try:
            save_courses(self.ws, changes, new)
        except ValueError as exc:
            show_error(self.error, str(exc))
            return
        self.accept()
