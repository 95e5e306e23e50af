"""The built-in first page: what this workspace is, its backups and its latest audit entries."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.audit_labels import action_label, kind_label
from desktop.first_steps import first_steps
from desktop.tasks import TaskState
from i18n import N_, _, ngettext
from i18n.formatting import datetime as format_datetime
from i18n.formatting import number
from ui.pages import InstrumentPage
from ui.widgets import heading, tab_order

BACKUP_REASONS = {
    "manual": N_("backup by hand"),
    "before-passphrase-change": N_("before a passphrase change"),
}


def _when(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return format_datetime(moment.astimezone(), style="short")


def _backup_reason(reason: str) -> str:
    if reason in BACKUP_REASONS:
        return _(BACKUP_REASONS[reason])
    if reason.startswith("before-migration-"):
        return _("before an update of the file format")
    if reason.startswith("before-merge") or reason.startswith("before-import"):
        return _("before a merge")
    return reason


class WorkspacePage(InstrumentPage):
    key = "workspace"
    go_to = Signal(str)   # a first step's page (the main window shows it)

    @staticmethod
    def nav_title() -> str:
        return _("Workspace")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.title = heading()
        self.facts = QGroupBox()
        # Two label/value pairs per row (the file path gets a row of its own): the audit list below
        # keeps most of the height.
        self.grid = QGridLayout(self.facts)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        places = {"office": (0, 0), "entity": (0, 2), "language": (1, 0), "schema": (1, 2),
                  "created": (2, 0), "path": (3, 0)}
        for key, (row, column) in places.items():
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            label = QLabel()
            label.setBuddy(value)
            self.values[key], self.labels[key] = value, label
            self.grid.addWidget(label, row, column)
            self.grid.addWidget(value, row, column + 1, 1, 3 if key == "path" else 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)

        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_integrity)
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self.back_up_now)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)

        self.backups_box = QGroupBox()
        self.backups = QTreeWidget()
        self.backups.setRootIsDecorated(False)
        self.backups.setColumnCount(2)
        self.backups.setMaximumHeight(96)
        QVBoxLayout(self.backups_box).addWidget(self.backups)

        self.audit_box = QGroupBox()
        self.audit = QTreeWidget()
        self.audit.setRootIsDecorated(False)
        self.audit.setColumnCount(4)
        self.audit.setAlternatingRowColors(True)
        QVBoxLayout(self.audit_box).addWidget(self.audit)
        for tree in (self.backups, self.audit):
            tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            tree.header().setStretchLastSection(True)

        # First steps (desktop/first_steps.py): what to do first in this workspace, ticked as it is done.
        self.steps_box = QGroupBox()
        self.steps_box.setObjectName("first-steps")
        self.steps_grid = QGridLayout(self.steps_box)
        self.steps_grid.setColumnStretch(1, 1)
        self.step_rows: dict[str, tuple[QLabel, QLabel, QPushButton]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.steps_box)
        layout.addWidget(self.facts)
        layout.addLayout(buttons)
        layout.addWidget(self.backups_box)
        layout.addWidget(self.audit_box, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Workspace"))
        self.facts.setTitle(_("This workspace"))
        labels = {
            "office": _("Office:"), "entity": _("Entity:"), "language": _("Default language:"),
            "schema": _("Schema version:"), "path": _("File:"), "created": _("Created:"),
        }
        for key, text in labels.items():
            self.labels[key].setText(text)
        self.check_button.setText(_("Check integrity"))
        self.check_button.setToolTip(_("Check the encryption, the structure and the audit log of the file"))
        self.backup_button.setText(_("Back up now"))
        self.backup_button.setToolTip(_("Write an encrypted copy of the workspace beside it"))
        self.backups_box.setTitle(_("Latest backups"))
        self.backups.setHeaderLabels([_("Taken on"), _("Occasion")])
        self.audit_box.setTitle(_("Latest changes (audit log)"))
        self.audit.setHeaderLabels([_("Changed on"), _("Changed by"), _("Change"), _("Changed record")])
        self.refresh()

    def _fill_steps(self) -> None:
        steps = first_steps(self.session.ws)
        self.steps_box.setTitle(_("First steps ({done} of {total} done)").format(
            done=number(sum(s.done for s in steps)), total=number(len(steps))))
        for n, step in enumerate(steps):
            row = self.step_rows.get(step.key)
            if row is None:
                mark, text, button = QLabel(), QLabel(), QPushButton()
                text.setWordWrap(True)
                text.setBuddy(button)
                button.clicked.connect(lambda _c=False, page=step.page: self.go_to.emit(page))
                self.steps_grid.addWidget(mark, n, 0)
                self.steps_grid.addWidget(text, n, 1)
                self.steps_grid.addWidget(button, n, 2)
                row = self.step_rows[step.key] = (mark, text, button)
            mark, text, button = row
            mark.setText("✔" if step.done else "○")
            mark.setAccessibleName(_("Done") if step.done else _("To do"))
            text.setText(_(step.text))
            button.setText(_("Open the page"))
            button.setAccessibleName(_("Open: {step}").format(step=_(step.text)))
        # The rows came into the focus chain after the rest of the page: Tab follows the page, top down.
        tab_order([*(button for _mark, _text, button in self.step_rows.values()), self.check_button,
                   self.backup_button, self.backups, self.audit])
        # Done with every step: the list folds away to its title (still there, ticked).
        for mark, text, button in self.step_rows.values():
            for widget in (mark, text, button):
                widget.setVisible(not all(s.done for s in steps))

    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        self._fill_steps()
        info = self.session.overview()
        try:
            language_name = i18n.language(info.language).native_name
        except ValueError:
            language_name = info.language
        self.values["office"].setText(info.office)
        self.values["entity"].setText(info.entity)
        self.values["language"].setText(language_name)
        self.values["schema"].setText(number(info.schema_version))
        self.values["path"].setText(str(info.path))
        self.values["created"].setText(_when(info.created_at) if info.created_at else "")

        self.backups.clear()
        for backup in info.backups[:5]:
            item = QTreeWidgetItem([format_datetime(backup.taken_at.astimezone(), style="short"),
                                    _backup_reason(backup.reason)])
            item.setToolTip(0, str(backup.path))
            self.backups.addTopLevelItem(item)
        if not info.backups:
            self.backups.addTopLevelItem(QTreeWidgetItem([_("No backups yet."), ""]))

        self.audit.clear()
        for entry in info.audit:
            item = QTreeWidgetItem([_when(entry.at), entry.actor, action_label(entry.action),
                                    f"{kind_label(entry.kind)} {entry.record_id[:8]}"])
            self.audit.addTopLevelItem(item)
        self.audit_box.setTitle(ngettext("Latest changes (audit log, {count} entry in all)",
                                         "Latest changes (audit log, {count} entries in all)",
                                         info.audit_count).format(count=number(info.audit_count)))

    # ---- actions --------------------------------------------------------------------------------------
    def check_integrity(self) -> bool:
        """Check the whole file (an operation: page HMACs of every page); the findings in a message and
        in `last_problems`."""
        session = self.session
        return self.run_operation(_("Checking the workspace"), lambda task: session.integrity_problems(),
                                  self._checked)

    def _checked(self, problems: list[str]) -> None:
        from desktop.workspace_cli import describe_problems

        self.last_problems = problems
        box = QMessageBox(self)
        box.setWindowTitle(_("Check integrity"))
        if problems:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(describe_problems(problems))
            box.setInformativeText(_("Restore the most recent backup, and keep the damaged file for IT support."))
        else:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(_("The workspace is intact: encryption, structure and audit log all check out."))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    def back_up_now(self) -> bool:
        """An encrypted copy of the workspace (an operation: it copies the whole file)."""
        from desktop.session import WorkspaceError

        session = self.session

        def work(task: TaskState) -> object:
            try:
                return session.backup_now()
            except (OSError, WorkspaceError) as exc:   # said in the message below
                return exc

        return self.run_operation(_("Backing up"), work, self._backed_up)

    def _backed_up(self, outcome: object) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(_("Back up now"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        if isinstance(outcome, Exception):
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(_("The backup could not be written: {reason}").format(reason=str(outcome)))
        else:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(_("Backup written: {path}").format(path=str(outcome)))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box
        self.refresh()
