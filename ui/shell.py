"""The shell: which window is showing (start, unlock prompt, main window), the language, the idle lock.

One Shell per application. It keeps no passphrase: the unlock prompt and the start window hand over
an open desktop.session.Session, and locking closes it (the key goes with the connection).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

import i18n
from desktop.settings import Settings
from i18n import _, ngettext
from ui.idle import IdleWatcher

_dying: list[QWidget] = []


def _dispose(widget: QWidget | None) -> None:
    """Hide a window and let Qt delete it once control is back in the event loop.

    The window may be the one whose signal brought us here, so it must not be deleted now; and
    Python must keep its wrapper until Qt has deleted it, or PySide would delete it a second time."""
    import shiboken6

    _dying[:] = [w for w in _dying if shiboken6.isValid(w)]
    if widget is None or not shiboken6.isValid(widget):
        return
    widget.blockSignals(True)
    widget.hide()
    widget.deleteLater()
    _dying.append(widget)


class Shell(QObject):
    window_changed = Signal(object)  # the window now showing

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings.load()
        self.session = None
        self.start_window = None
        self.unlock_window = None
        self.main_window = None
        self.idle = IdleWatcher(self.settings.idle_minutes, self)
        self.idle.idle.connect(self.auto_lock)
        self.locked_automatically = False
        i18n.add_listener(self._language_changed)
        # Every control a screen reader reaches gets a name (ui/accessibility.py) and every button and field
        # label an access key (ui/access_keys.py): installed once the first window is painted (start-up
        # budget), then the window shown meanwhile is named too.
        QTimer.singleShot(0, self._install_accessibility)

    def _install_accessibility(self) -> None:
        from ui import access_keys, accessibility

        accessibility.install()
        access_keys.install()
        window = self.current_window
        if window is not None:
            try:
                accessibility.rename_all(window)
            except RuntimeError:   # the window was already deleted by Qt
                pass

    # ---- which window ---------------------------------------------------------------------------------
    @property
    def current_window(self) -> QWidget | None:
        return self.main_window or self.unlock_window or self.start_window

    def _replace(self, window: QWidget) -> QWidget:
        for old in (self.start_window, self.unlock_window, self.main_window):
            if old is not None and old is not window:
                _dispose(old)
        self.start_window = window if window.objectName() == "start" else None
        self.unlock_window = window if window.objectName() == "unlock" else None
        self.main_window = window if window.objectName() == "main" else None
        window.show()
        if QApplication.platformName() not in ("offscreen", "minimal"):
            window.raise_()
            window.activateWindow()
        self.window_changed.emit(window)
        return window

    def show_start(self, error: str = "") -> QWidget:
        from ui.start_window import StartWindow

        window = StartWindow(self.settings.existing_recent())
        window.open_requested.connect(self.show_unlock)
        window.created.connect(self._created)
        window.language_requested.connect(self.switch_language)
        window.demo_requested.connect(self.open_demo)
        if error:
            from ui.widgets import show_error

            show_error(window.open_error, error)
        return self._replace(window)

    def show_unlock(self, path: Path, note: str | Callable[[], str] = "") -> QWidget:
        from ui.unlock import UnlockWindow

        window = UnlockWindow(Path(path), note)
        window.language_requested.connect(self.switch_language)
        window.unlocked.connect(self._unlocked)
        window.back.connect(self.show_start)
        return self._replace(window)

    def open_demo(self, role: str) -> QWidget:
        """The demo workspace of a role, created on first use (a coordinator's and headquarters' demos
        are built from demo offices' real bundles: a few seconds), then its unlock prompt."""
        from desktop.launcher import demo_note, demo_passphrase, demo_path, ensure_demo

        path, passphrase = demo_path(role), demo_passphrase()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ensure_demo(path, passphrase, role)
        finally:
            QApplication.restoreOverrideCursor()
        return self.show_unlock(path, demo_note(passphrase))

    def _created(self, session) -> None:
        self.open_main(session)

    def _unlocked(self, session) -> None:
        self.open_main(session)

    def open_main(self, session) -> QWidget:
        from ui.main_window import MainWindow

        self.session = session
        self.locked_automatically = False
        self.settings.add_recent(session.path)
        self._save_settings()
        try:
            window = MainWindow(session, self)
        except Exception:
            # Never leave an unlocked workspace without a window: lock it again and say so.
            import traceback

            traceback.print_exc()
            self._close_session()
            prompt = self.show_unlock(session.path)
            from ui.widgets import show_error

            show_error(prompt.error, _("The main window could not be opened. The workspace was locked again; "
                                       "nothing was changed."))
            return prompt
        self._replace(window)
        self.idle.set_minutes(self.settings.idle_minutes)
        self.idle.start()
        self._tell_journal_loss(window, session)
        return window

    def _tell_journal_loss(self, window: QWidget, session) -> None:
        """Changes found missing at this open (storage/journal.py): said once, until acknowledged."""
        notice = session.journal_loss_notice()
        if notice is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, _("Changes are missing"), notice, parent=window)
        seen = box.addButton(_("I have checked"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Remind me next time"), QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("journal_loss_box")
        box.finished.connect(lambda _result: box.clickedButton() is seen and session.acknowledge_journal_loss())
        box.open()

    # ---- locking --------------------------------------------------------------------------------------
    def _keep_drafts(self) -> None:
        """Before the workspace is locked or closed: every page's unsaved changes kept as drafts (offered
        back when the form opens again), so the idle lock, closing or quitting never loses what was typed."""
        window = self.main_window
        if window is None or self.session is None or not self.session.is_unlocked:
            return
        for page in window.pages:
            if page is None:
                continue
            try:
                page.keep_draft()
            except Exception as exc:  # noqa: BLE001 - one page's failure must not block the lock
                traceback.print_exception(exc, file=sys.stderr)

    def _close_session(self) -> Path | None:
        self._keep_drafts()
        if self.main_window is not None:
            try:
                self.main_window.remember_layout()
                self._save_settings()
            except RuntimeError:   # the window was already deleted by Qt
                pass
        self.idle.stop()
        # Modal dialogs of the main window (passphrase change, settings, messages) go first.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not self.unlock_window:
                widget.blockSignals(True)
                widget.reject()
        path = None
        if self.session is not None:
            path = self.session.path
            self.session.lock()
            self.session = None
        return path

    def _after_operation(self, then) -> bool:  # noqa: ANN001
        """Run `then` once no operation of the session runs; True if it had to wait (an operation is
        never cut off: locking, closing and quitting wait for it)."""
        from ui import operations

        if self.session is None or not operations.runner(self.session).busy:
            return False
        operations.runner(self.session).when_idle(then)
        return True

    def lock(self) -> None:
        if self._after_operation(self.lock):
            return
        path = self._close_session()
        if path is not None:
            self.show_unlock(path)

    def auto_lock(self) -> None:
        if self.session is None:
            return
        if self.session.busy:
            self.idle.start()
            return
        if self._after_operation(self.idle.start):
            return   # an operation runs: the idle countdown starts again when it has ended
        self.locked_automatically = True
        path = self._close_session()
        if path is not None:
            window = self.show_unlock(path)
            from i18n.formatting import number

            minutes = self.settings.idle_minutes
            window.set_note(lambda: ngettext(
                "The workspace was locked after {minutes} minute without activity.",
                "The workspace was locked after {minutes} minutes without activity.",
                max(1, round(minutes))).format(minutes=number(round(minutes, 2))))

    def close_workspace(self) -> None:
        if self._after_operation(self.close_workspace):
            return
        if self.main_window is not None and not self.main_window.may_close():
            return
        self._close_session()
        self.show_start()

    def quit(self) -> None:
        if self._after_operation(self.quit):
            return
        if self.main_window is not None and not self.main_window.may_close():
            return
        self._close_session()
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, app.quit)

    def shutdown(self) -> None:
        """Called when the application ends: close the workspace (checkpoint, unlock the file)."""
        self._close_session()
        i18n.remove_listener(self._language_changed)
        for window in (self.start_window, self.unlock_window, self.main_window):
            _dispose(window)
        self.start_window = self.unlock_window = self.main_window = None

    # ---- language -------------------------------------------------------------------------------------
    def switch_language(self, code: str) -> None:
        if code == i18n.current_language():
            return
        i18n.set_language(code)  # -> _language_changed

    def _language_changed(self, code: str) -> None:
        from i18n.qt import apply_language

        apply_language(code)
        self.settings.language = code
        self._save_settings()
        for window in (self.start_window, self.unlock_window, self.main_window):
            if window is not None:
                try:
                    window.retranslate()
                    from ui import access_keys, accessibility

                    accessibility.rename_all(window)   # the names too, in the new language
                    access_keys.apply(window)          # and the access keys, from the new texts
                except RuntimeError:  # the window was already deleted by Qt
                    pass

    # ---- settings and about ---------------------------------------------------------------------------
    def edit_settings(self) -> None:
        from ui.dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings.idle_minutes, self.main_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_idle_minutes(dialog.minutes()))
        self.settings_dialog = dialog
        dialog.open()

    def set_idle_minutes(self, minutes: float) -> None:
        from desktop.settings import clamp_idle

        self.settings.idle_minutes = clamp_idle(minutes)
        self._save_settings()
        self.idle.set_minutes(self.settings.idle_minutes)

    def about(self) -> None:
        from desktop.session import library_versions
        from ui.dialogs import AboutDialog, qt_versions

        workspace = self.session.workspace if self.session is not None else None
        dialog = AboutDialog(library_versions(workspace) + qt_versions(), self.current_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog = dialog
        dialog.open()

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError:
            pass  # settings are a convenience: a read-only home must not stop the work
