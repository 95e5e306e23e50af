"""Roster dialogs: a person (add/edit), a classroom session (bulk recording), and the import wizard
(the shared one of ui/import_wizard.py, with the roster's question about new courses)."""

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
from ui.import_wizard import ImportWizard as SpreadsheetWizard
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


class ImportWizard(SpreadsheetWizard):
    """The shared import wizard (ui/import_wizard.py) with the roster's steps, and one question of its
    own: what each course of the file that this workspace does not know counts as."""

    def __init__(self, session, path: str, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Session
        super().__init__(session, importer.STEPS, path, parent)   # its first step ends later, on the event loop
        # Courses of the file this workspace does not know: the user says what each counts as before
        # anything is imported (a course left "not yet classified" is counted nowhere, and the report says so).
        self.courses_intro = QLabel()
        self.courses_intro.setWordWrap(True)
        self.course_table = QTableWidget(0, 3)
        self.course_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.course_table.verticalHeader().setVisible(False)
        self.course_table.horizontalHeader().setStretchLastSection(True)
        self.course_kinds: dict[str, QComboBox] = {}
        self.report_layout.addWidget(self.courses_intro)
        self.report_layout.addWidget(self.course_table, 1)
        self.courses_intro.hide()
        self.course_table.hide()

    def show_plan(self, plan: importer.Plan) -> None:
        from desktop.roster.model import COURSE_KINDS

        new = list(plan.new_courses.items())
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
            combo.currentIndexChanged.connect(self.plan_changed)
            self.course_table.setCellWidget(row, 2, combo)
            self.course_kinds[folded] = combo
        self.course_table.resizeColumnsToContents()

    def plan_ready(self) -> bool:
        missing = sum(1 for combo in self.course_kinds.values() if combo.currentData() is None)
        if missing:
            show_error(self.message, ngettext("Say what {n} course counts as.", "Say what {n} courses count as.",
                                              missing).format(n=number(missing)))
        else:
            self.message.setText("")
            self.message.hide()
        return not missing

    def before_commit(self, plan: importer.Plan) -> None:
        for folded, combo in self.course_kinds.items():
            plan.new_courses[folded].kind = combo.currentData()

    def after_commit(self) -> None:
        self.course_table.hide()
        self.courses_intro.hide()


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
