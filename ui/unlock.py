"""The unlock prompt for one workspace file.

The passphrase stays in the line edit only until the unlock attempt: it is cleared whatever the
outcome, and every failure (wrong passphrase, file in use, damaged, not a workspace, newer version)
is shown as the storage error's translated sentence, with nothing changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import i18n
from i18n import _
from ui import colours
from ui.operations import Runner
from ui.widgets import (
    LanguageCombo,
    clear_secret,
    heading,
    message_label,
    passphrase_edit,
    show_error,
    show_note,
)


class UnlockWindow(QDialog):
    unlocked = Signal(object)  # desktop.session.Session
    back = Signal()
    language_requested = Signal(str)   # a newcomer's first screen may be this one: the language is chosen here too

    def __init__(self, path: Path, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._note_source = note
        self.setObjectName("unlock")
        self.setMinimumWidth(520)
        self.title = heading()
        self.file_label = QLabel(str(self.path))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setStyleSheet(colours.label_style())
        self.note = message_label()
        self.passphrase = passphrase_edit()
        self.error = message_label()
        # Opening runs on a worker thread (ui/operations.py): a moving bar while the key is derived.
        self.runner = Runner()
        self.last_ok = False
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.buttons = QDialogButtonBox()
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.back_button = QPushButton()
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.back_button.clicked.connect(self._go_back)

        self.form = QFormLayout()
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase)
        self.form.addRow(self.passphrase_label, self.passphrase)
        self.language = LanguageCombo()
        self.language.setObjectName("language")
        self.language.currentIndexChanged.connect(lambda _i: self.language_requested.emit(self.language.code()))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.passphrase.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Unlock workspace — PSEA Desk"))
        self.title.setText(_("Unlock workspace"))
        self.passphrase_label.setText(_("Passphrase:"))
        self.passphrase.setPlaceholderText(_("The passphrase of this workspace"))
        self.unlock_button.setText(_("Unlock"))
        self.language.select(i18n.current_language())
        self.language.setToolTip(_("Language of PSEA Desk"))
        self.language.setAccessibleName(_("Language of PSEA Desk"))
        self.back_button.setText(_("Back"))
        self.back_button.setToolTip(_("Choose or create another workspace"))
        if self._note_source:
            show_note(self.note, self._note_text())

    def _note_text(self) -> str:
        return self._note_source() if callable(self._note_source) else self._note_source

    def set_note(self, note: object) -> None:
        """A str, or a callable giving the note in the current language (retranslated on switch)."""
        self._note_source = note
        show_note(self.note, self._note_text() if note else "")

    def try_unlock(self) -> bool:
        """Open the workspace on the worker thread (key derivation and opening take a moment; the
        prompt keeps painting); `unlocked` is emitted when it is open. False if nothing was started."""
        from desktop.session import WorkspaceError, open_session

        passphrase = self.passphrase.text()
        clear_secret(self.passphrase)
        if not passphrase:
            show_error(self.error, _("Enter the passphrase."))
            return False
        path = self.path

        def failed(exc: BaseException) -> None:
            self._waiting(False)
            if isinstance(exc, WorkspaceError):
                show_error(self.error, str(exc))
                self.passphrase.setFocus()
            elif isinstance(exc, OSError):
                show_error(self.error, _("The file could not be read: {reason}").format(reason=exc.strerror or exc))
            else:
                show_error(self.error, str(exc))

        def opened(session) -> None:  # noqa: ANN001 - desktop.session.Session
            self._waiting(False)
            show_error(self.error, "")
            self.last_ok = True
            self.unlocked.emit(session)

        self.last_ok = False
        self._waiting(True)
        def work(task, secret=passphrase):  # noqa: ANN001, ANN202
            session = open_session(path, secret)
            _preload_pages()
            return session

        started = self.runner.run(work, title=_("Unlocking"), on_done=opened, on_error=failed, cancellable=False)
        del passphrase
        if not started:
            self._waiting(False)
        return started

    def _waiting(self, on: bool) -> None:
        self.unlock_button.setEnabled(not on)
        self.passphrase.setEnabled(not on)
        self.busy.setVisible(on)

    def _go_back(self) -> None:
        clear_secret(self.passphrase)
        self.back.emit()

    def reject(self) -> None:  # Escape key
        self._go_back()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Closing the prompt (title bar, or the application quitting) just closes it: unlike
        QDialog's default it does not count as "Back", so it never opens the start window."""
        clear_secret(self.passphrase)
        event.accept()


def _preload_pages() -> None:
    """Import the instruments' page modules on the worker thread while the workspace opens: the main
    window then only builds its widgets on the window's thread (a shorter stall after unlock)."""
    try:
        from ui.pages import available_pages

        available_pages([])
    except Exception:  # noqa: BLE001 - the main window reports a page that does not load
        pass
