"""Roster dialogs: a person (add/edit), a classroom session (bulk recording), and the import wizard
(mapping, day/month question, preview, validation report, progress with cancel)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
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
from i18n import _, ngettext
from i18n.formatting import number
from ui.widgets import message_label, pydate, qdate, show_error


class _OptionalDate(QWidget):
    """A date that may be empty (an open-ended contract)."""

    def __init__(self, value: str | None) -> None:
        super().__init__()
        self.check = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDate(qdate(dt.date.fromisoformat(value) if value else dt.date.today()))
        self.check.setChecked(bool(value))
        self.edit.setEnabled(bool(value))
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check, 0, 0)
        layout.addWidget(self.edit, 0, 1)

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
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
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

    def __init__(self, ws: Workspace, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.path = path
        self.imported = False
        self.result_text = ""
        self.analysis: importer.Analysis | None = None
        self.plan: importer.Plan | None = None
        self._cancelled = False
        self.setWindowTitle(_("Import personnel or training completions"))
        self.resize(860, 560)
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
        # page 0: mapping
        self.map_page = QWidget()
        self.map_intro = QLabel()
        self.map_intro.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        self.order_label = QLabel(_("Dates such as 03/04/2024 in this file are written:"))
        self.day_first = QRadioButton(_("day first (03/04/2024 = 3 April 2024)"))
        self.month_first = QRadioButton(_("month first (03/04/2024 = March 4, 2024)"))
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        grid = QGridLayout()
        for n, (code, _label) in enumerate(importer.FIELDS):
            combo = QComboBox()
            self.combos[code] = combo
            grid.addWidget(QLabel(importer.field_label(code)), n // 2, (n % 2) * 2)
            grid.addWidget(combo, n // 2, (n % 2) * 2 + 1)
        v = QVBoxLayout(self.map_page)
        v.addWidget(self.map_intro)
        v.addLayout(grid)
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
        v = QVBoxLayout(self.report_page)
        v.addWidget(self.report_intro)
        v.addWidget(self.report, 1)
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

    # ---- steps ---------------------------------------------------------------------------------------
    def _pump(self, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))
        QApplication.processEvents()

    def _is_cancelled(self) -> bool:
        QApplication.processEvents()
        return self._cancelled

    def _cancel(self) -> None:
        if self.progress.isVisible():
            self._cancelled = True
        else:
            self.reject()

    def _busy(self, on: bool) -> None:
        self._cancelled = False
        self.progress.setVisible(on)
        self.next_button.setEnabled(not on)
        self.progress.setValue(0)

    def _analyse(self) -> None:
        self._busy(True)
        try:
            self.analysis = importer.analyse(self.path, cancel=self._is_cancelled, progress=self._pump)
        except importer.ImportProblem as exc:
            self._fail(str(exc))
            return
        except importer.ImportCancelled:
            self._fail(_("The import was cancelled; nothing was imported."))
            return
        finally:
            self._busy(False)
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
        self._busy(True)
        try:
            self.plan = importer.check(self.ws, self.analysis, self.mapping(), self.date_order(),
                                       progress=self._pump, cancel=self._is_cancelled)
        except importer.ImportProblem as exc:
            self._fail(str(exc))
            return
        except importer.ImportCancelled:
            show_error(self.message, _("The check was cancelled; nothing was imported."))
            return
        finally:
            self._busy(False)
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
            self.report_intro.setText(text)
            self.report.hide()
            self.next_button.setText(_("Import"))

    def _commit(self) -> None:
        assert self.plan is not None
        self._busy(True)
        try:
            result = importer.commit(self.ws, self.plan, progress=self._pump, cancel=self._is_cancelled)
        except importer.ImportProblem as exc:
            self._fail(str(exc))
            return
        except importer.ImportCancelled:
            show_error(self.message, _("The import was cancelled; nothing was imported."))
            return
        finally:
            self._busy(False)
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
        self.report_intro.setText(self.result_text)
        self.next_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setText(_("Close"))
        self.close_button.clicked.disconnect()
        self.close_button.clicked.connect(self.accept)

    def _fail(self, text: str) -> None:
        show_error(self.message, text)
        self.next_button.setEnabled(False)
        self.next_button.hide()
        self.close_button.show()

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.key() == Qt.Key.Key_Escape and self.progress.isVisible():
            self._cancelled = True
            return
        super().keyPressEvent(event)


class CoursesDialog(QDialog):
    """The validity period of each course (months), editable."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QSpinBox

        self.ws = ws
        self.setWindowTitle(_("Courses and validity"))
        self.spins: dict[str, QSpinBox] = {}
        self._before: dict[str, int] = {}
        form = QFormLayout()
        for c in courses(ws):
            spin = QSpinBox()
            spin.setRange(1, 240)
            spin.setValue(c.validity_months)
            spin.setSuffix(" " + _("months"))
            self.spins[c.id] = spin
            self._before[c.id] = c.validity_months
            form.addRow(c.label(), spin)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(_("Name of a new course (optional)"))
        self.new_kind = QComboBox()
        from desktop.roster.model import COURSE_KINDS
        for code, label in COURSE_KINDS:
            self.new_kind.addItem(_(label), code)
        form.addRow(_("New course"), self.new_name)
        form.addRow(_("Counts as"), self.new_kind)
        self.error = message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(_("A completion counts as valid for this many months after its date."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        from desktop.roster.model import add_course, set_course_validity

        try:
            with self.ws.transaction():
                for course_id, spin in self.spins.items():
                    if spin.value() != self._before[course_id]:
                        set_course_validity(self.ws, course_id, spin.value())
                if self.new_name.text().strip():
                    add_course(self.ws, self.new_name.text(), self.new_kind.currentData())
        except ValueError as exc:
            show_error(self.error, str(exc))
            return
        self.accept()
