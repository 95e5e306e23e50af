"""The shell's small dialogs: change passphrase, settings, about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.session import MIN_PASSPHRASE
from i18n import _
from ui import passphrase_hint
from ui.widgets import clear_secret, heading, message_label, passphrase_edit, show_error


class ChangePassphraseDialog(QDialog):
    """Asks for the current passphrase again: an unattended unlocked window is not enough."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setMinimumWidth(460)
        self.current = passphrase_edit()
        self.new = passphrase_edit()
        self.repeat = passphrase_edit()
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.new.textChanged.connect(lambda text: self.hint.setText(passphrase_hint.hint(text)))
        self.error = message_label()
        self.form = QFormLayout()
        self.form.addRow(_("Current passphrase:"), self.current)
        self.form.addRow(_("New passphrase:"), self.new)
        self.form.addRow(_("Repeat new passphrase:"), self.repeat)
        self.form.addRow("", self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change passphrase"))
        self.buttons.accepted.connect(self.try_change)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        note = QLabel(_("The backups of this workspace are re-encrypted with the new passphrase too."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Change passphrase"))
        self.hint.setText(passphrase_hint.hint(""))

    def try_change(self) -> bool:
        from desktop.session import WorkspaceError

        current, new, repeat = self.current.text(), self.new.text(), self.repeat.text()
        try:
            if len(new) < MIN_PASSPHRASE:
                show_error(self.error, _("The passphrase is too short: use at least {minimum} characters.").format(
                    minimum=MIN_PASSPHRASE))
                return False
            if new != repeat:
                show_error(self.error, _("The two passphrases differ. Type the same passphrase twice."))
                return False
            try:
                self.session.change_passphrase(current, new)
            except WorkspaceError as exc:
                show_error(self.error, str(exc))
                clear_secret(self.current)
                return False
        finally:
            del current, new, repeat
        for edit in (self.current, self.new, self.repeat):
            clear_secret(edit)
        self.accept()
        return True

    def done(self, result: int) -> None:
        for edit in (self.current, self.new, self.repeat):
            clear_secret(edit)
        super().done(result)


class SettingsDialog(QDialog):
    def __init__(self, idle_minutes: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.settings import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES

        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(380)
        self.idle = QSpinBox()
        self.idle.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle.setValue(max(MIN_IDLE_MINUTES, round(idle_minutes)))
        self.idle.setSuffix(" " + _("min"))
        form = QFormLayout()
        form.addRow(_("Lock after idle time:"), self.idle)
        explain = QLabel(_("Without keyboard or mouse input for this long, the workspace is locked and its key is "
                           "dropped from memory."))
        explain.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(buttons)

    def minutes(self) -> int:
        return self.idle.value()


class AboutDialog(QDialog):
    def __init__(self, versions: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About PSEA Desk"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading(_("PSEA Desk")))
        text = QLabel(_("An offline tool for PSEA focal points: training rosters, SEA risk assessments, "
                        "implementing-partner capacity assessments and the annual management letter."))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        for name, version in versions:
            value = QLabel(version)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # Version numbers read left to right in every language.
            value.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            form.addRow(f"{name}:", value)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def qt_versions() -> list[tuple[str, str]]:
    import PySide6
    from PySide6.QtCore import qVersion

    return [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
