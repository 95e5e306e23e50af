"""The import wizard every spreadsheet import goes through (the roster, the partner register, the
year's allegation counts): which column holds what (and the day/month order when the file leaves it
open), a check of every row, then a preview of what will be written or the list of rows that cannot be
imported, with their row numbers and reasons, and the import itself, all or nothing.

The importer is a `desktop.spreadsheet.steps.Steps`; each step runs as an operation
(ui/operations.py) with this dialog's progress bar and Cancel. The writes announce their record kinds
through the workspace's change events like any other; pages refresh themselves.
An importer with more to ask before the import (the roster's new courses) subclasses the wizard:
`show_plan(plan)` adds to the preview, `plan_ready()` says whether Import may be pressed, and
`before_commit(plan)` puts the answers into the plan.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.spreadsheet.analysis import Analysis
from desktop.spreadsheet.columns import unused_columns, unused_sentence
from desktop.spreadsheet.problems import ImportCancelled, ImportProblem
from desktop.spreadsheet.steps import Steps
from desktop.tasks import TaskState
from i18n import _, ngettext
from i18n.formatting import number
from ui import operations
from ui.widgets import fit_to_screen, message_label, scroll_holder, show_error

SHOWN_PROBLEMS = 5000


class ImportWizard(QDialog):
    """Pages: 0 mapping (+ day/month question), 1 check result (preview or report), then done."""

    def __init__(self, session, steps: Steps, path: str, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Session
        super().__init__(parent)
        self.session = session
        self.steps = steps
        self.ws = session.ws
        self.path = path
        self.imported = False
        self.result_text = ""
        self.analysis: Analysis | None = None
        self.plan: Any = None
        self.setWindowTitle(_(steps.title))
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
        for n, (code, _label) in enumerate(steps.fields):
            combo = QComboBox()
            self.combos[code] = combo
            combo.currentIndexChanged.connect(self._show_unused)
            label = QLabel(steps.field_label(code))
            label.setBuddy(combo)   # its access key opens the column's list (ui/access_keys.py)
            grid.addWidget(label, n // 2, (n % 2) * 2)
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
        self.report_intro.setTextFormat(Qt.TextFormat.PlainText)
        self.report = QTableWidget(0, 2)
        self.report.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.report.horizontalHeader().setStretchLastSection(True)
        self.report.verticalHeader().setVisible(False)   # the rows that matter are the file's, in "Row"
        self.report_layout = QVBoxLayout(self.report_page)
        self.report_layout.addWidget(self.report_intro)
        self.report_layout.addWidget(self.report, 1)
        # Each page scrolls inside the wizard when the screen is short (a scale factor of 2 leaves 540 points: the
        # thirteen columns of the roster and the day/month question pushed Cancel and Check below the screen).
        for page in (self.map_page, self.report_page):
            self.pages.addWidget(scroll_holder(page))
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

    # ---- what a subclass adds --------------------------------------------------------------------------
    def show_plan(self, plan: Any) -> None:
        """Called when every row can be imported, after the preview is shown."""

    def plan_ready(self) -> bool:
        """Whether the user has answered what the import needs (Import is enabled only then)."""
        return True

    def before_commit(self, plan: Any) -> None:
        """Put what the user chose into the plan, right before the import."""

    def after_commit(self) -> None:
        """Called when the import is done."""

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
            if isinstance(exc, ImportCancelled):
                (self._fail if fail_on_cancel else lambda text: show_error(self.message, text))(cancelled)
            elif isinstance(exc, ImportProblem):
                self._fail(str(exc))
            else:
                self._fail(_("The file could not be read: {reason}").format(reason=exc))

        def on_cancelled() -> None:
            failed(ImportCancelled())

        def run(task: TaskState) -> object:
            return work(lambda fraction: task.report(fraction), lambda: task.cancelled)

        started = running.run(run, title=title, on_done=finished, on_error=failed, on_cancelled=on_cancelled)
        if not started:
            ended()
            show_error(self.message, _("Another task is running; try again when it has finished."))
        return started

    def _analyse(self) -> None:
        steps, path = self.steps, self.path
        self._step(_("Reading the file"),
                   lambda progress, cancel: steps.analyse(path, cancel=cancel, progress=progress),
                   self._analysed, _("The import was cancelled; nothing was imported."), fail_on_cancel=True)

    def _analysed(self, analysis: Analysis) -> None:
        self.analysis = a = analysis
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
        said = unused_sentence(unused_columns(self.analysis.headers, self.mapping()))
        self.unused.setText(said or _("Every column of the file is imported."))

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
        missing = self.steps.missing_required(self.mapping())
        if missing:
            show_error(self.message, _("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
            return
        if self.analysis.ambiguous_dates and self.date_order() is None:
            show_error(self.message, _("Say whether the dates in this file have the day or the month first."))
            return
        steps, ws, analysis, mapping, order = self.steps, self.ws, self.analysis, self.mapping(), self.date_order()
        self._step(_("Checking the file"),
                   lambda progress, cancel: steps.check(ws, analysis, mapping, order, progress=progress, cancel=cancel),
                   self._checked, _("The check was cancelled; nothing was imported."))

    def _checked(self, plan: Any) -> None:
        self.plan = plan
        self.pages.setCurrentIndex(1)
        self.message.setText("")      # what the first page said (the day/month question) is answered
        self.message.hide()
        problems = plan.problems
        self.report.setColumnCount(2)
        self.report.setHorizontalHeaderLabels([_("Row"), _("Reason")])
        self.report.setRowCount(min(len(problems), SHOWN_PROBLEMS))
        for n, p in enumerate(problems[:SHOWN_PROBLEMS]):
            self.report.setItem(n, 0, QTableWidgetItem(str(p.row)))
            self.report.setItem(n, 1, QTableWidgetItem(p.reason))
        if problems:
            self.report.show()
            self.report_intro.setText(ngettext(
                "{n} row cannot be imported. Nothing will be imported until the file is corrected.",
                "{n} rows cannot be imported. Nothing will be imported until the file is corrected.",
                len(problems)).format(n=number(len(problems))))
            self.next_button.setText(_("Back to the columns"))
            self.message.setText("")
        else:
            self.report_intro.setText("\n".join(self.steps.preview(plan)))
            self._show_table(plan)
            self.next_button.setText(_("Import"))
            self.show_plan(plan)
            self.plan_changed()

    def _show_table(self, plan: Any) -> None:
        """What the import will do, row by row, when the importer says it (the report's table)."""
        if self.steps.table is None:
            self.report.hide()
            return
        headers, rows = self.steps.table(plan)
        self.report.setColumnCount(len(headers))
        self.report.setHorizontalHeaderLabels(headers)
        self.report.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.report.setItem(r, c, QTableWidgetItem(value))
        self.report.resizeColumnsToContents()
        self.report.show()

    def plan_changed(self) -> None:
        """A subclass's answer changed: Import is enabled when the plan is ready."""
        self.next_button.setEnabled(self.plan_ready())

    def _commit(self) -> None:
        assert self.plan is not None
        self.before_commit(self.plan)
        steps, ws, plan = self.steps, self.ws, self.plan
        self._step(_("Importing"), lambda progress, cancel: steps.commit(ws, plan, progress=progress, cancel=cancel),
                   self._committed, _("The import was cancelled; nothing was imported."))

    def _committed(self, result) -> None:  # noqa: ANN001 - steps.Result
        if result.status != "done":
            self.report.show()
            self.report.setColumnCount(2)
            self.report.setHorizontalHeaderLabels([_("Row"), _("Reason")])
            self.report.setRowCount(len(result.problems))
            for n, p in enumerate(result.problems):
                self.report.setItem(n, 0, QTableWidgetItem(str(p.row) if p.row else "—"))
                self.report.setItem(n, 1, QTableWidgetItem(p.reason))
            self.report_intro.setText(result.summary())
            return
        self.imported = True
        self.report.hide()
        self.result_text = result.summary()
        self.report_intro.setText("\n".join([self.result_text, *result.details()]))
        self.after_commit()
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


def choose_file(parent: QWidget, steps: Steps) -> str:
    """The spreadsheet to import, chosen by the user ("" when cancelled)."""
    path, _filter = QFileDialog.getOpenFileName(parent, _(steps.file_title or steps.title), "",
                                                _("Spreadsheets (*.csv *.txt *.xlsx)"))
    return path


def run_wizard(page: QWidget, session, steps: Steps, path: str) -> ImportWizard:  # noqa: ANN001 - Session
    """The wizard for `path`, as a child of the main window (not of the page: the pages are disabled
    while its steps run); returns it once closed (`imported`, `result_text`)."""
    wizard = ImportWizard(session, steps, path, page.window())
    wizard.exec()
    return wizard
