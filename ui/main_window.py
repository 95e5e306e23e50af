"""The main window of an unlocked workspace: navigation on the side, one page at a time.

Pages are the built-in "Workspace" overview plus every instrument page from ui.pages. Menus: File,
Language, Settings, Help. The shell (ui.shell.Shell) owns locking, language and settings; this
window asks it.
"""

from __future__ import annotations

import sys
import traceback

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

import i18n
from i18n import _
from ui import operations
from ui.pages import InstrumentPage, available_pages
from ui.widgets import apply_date_formats, fit_to_screen, fit_within_screen
from ui.workspace_page import WorkspacePage


class BrokenPage(InstrumentPage):
    """Stands in for an instrument page that failed to load, so the rest of the window works."""

    key = "broken"

    def __init__(self, session, title: str, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._title = title
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setMargin(24)
        self.retranslate()

    def nav_title(self) -> str:  # type: ignore[override]
        return self._title

    def retranslate(self) -> None:
        self.label.setText(_("This page could not be loaded. The rest of PSEA Desk works as usual."))


def _holder(page: QWidget) -> QScrollArea:
    """A page inside a frameless scroll area: a page wider or taller than a small screen (1024×768, or
    a scale factor of 2) scrolls, instead of pushing the window past the screen's edge."""
    holder = QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # not a tab stop of its own: the page's fields are
    holder.setWidget(page)
    return holder


class MainWindow(QMainWindow):
    def __init__(self, session, shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.shell = shell
        self.setObjectName("main")
        fit_to_screen(self, 1100, 720)
        # How the user left the window last time (desktop/settings.py `layout`): restored as pages are built.
        settings = getattr(shell, "settings", None)
        self._layout: dict[str, str] = settings.layout if isinstance(getattr(settings, "layout", None), dict) else {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setMinimumWidth(180)
        self.nav.setMaximumWidth(340)
        self.nav.setSpacing(2)
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() + 1)
        self.nav.setFont(nav_font)
        self.nav.setStyleSheet("QListWidget#navigation { padding: 6px; }"
                               "QListWidget#navigation::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._show_page)

        # The instruments' pages are built when first shown (opening the window stays short: design.md
        # budget); `pages` holds each built page, None until then.
        self.pages: list[InstrumentPage | None] = []
        self._classes: list[type[InstrumentPage] | None] = []
        first = WorkspacePage(session)
        first.go_to.connect(self.show_page)
        self._add_page(first)
        errors: list[tuple[str, BaseException]] = []
        for page_class in available_pages(errors):
            self._add_page(None, page_class)
        for name, exc in errors:
            print(f"page module {name} failed to load:", file=sys.stderr)
            traceback.print_exception(exc, file=sys.stderr)
        self.nav.setCurrentRow(0)

        self._build_menus()
        self._restore_layout({"main/splitter": self.splitter})
        saved = self._layout.get("main")
        if saved:
            self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))
            fit_within_screen(self)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        # Long work (ui/operations.py): what runs, how far, and Cancel, while the rest of the window waits.
        self.operation_label = QLabel()
        self.operation_label.setObjectName("operation_label")
        self.operation_bar = QProgressBar()
        self.operation_bar.setObjectName("operation_progress")
        self.operation_bar.setMaximumWidth(220)
        self.operation_bar.setRange(0, 1000)
        self.operation_cancel = QPushButton()
        self.operation_cancel.setObjectName("operation_cancel")
        self.operation_cancel.clicked.connect(lambda: self.runner.cancel())
        for widget in (self.operation_label, self.operation_bar, self.operation_cancel):
            self.statusBar().addWidget(widget)
            widget.hide()
        self.statusBar().addPermanentWidget(self.status)
        self.runner = operations.runner(session)
        self.runner.busy_changed.connect(self._busy_changed)
        self.runner.progressed.connect(self._progressed)
        self.retranslate()

    # ---- operations -----------------------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        """While an operation runs nothing else may touch the workspace: the pages and the menu entries
        that would are disabled; the window still paints, moves and shows the progress."""
        self.splitter.setEnabled(not busy)
        for action in (self.passphrase_action, self.backup_action, self.check_action):
            action.setEnabled(not busy)
        running = self.runner.current
        self.operation_label.setText(running.title if running else "")
        self.operation_bar.setValue(0)
        self.operation_bar.setRange(0, 0)   # "working" until the first progress report
        self.operation_cancel.setVisible(bool(busy and running and running.cancellable))
        self.operation_cancel.setEnabled(True)
        for widget in (self.operation_label, self.operation_bar):
            widget.setVisible(busy)

    def _progressed(self, fraction: float | None, text: str) -> None:
        if fraction is None:
            self.operation_bar.setRange(0, 0)
        else:
            self.operation_bar.setRange(0, 1000)
            self.operation_bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        running = self.runner.current
        if running is not None:
            self.operation_label.setText(f"{running.title}: {text}" if text else running.title)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Closing during an operation waits for it (a write is never cut off); the window closes when
        it has ended. Unsaved changes are asked about first."""
        if self.runner.busy:
            event.ignore()
            self.operation_label.setText(_("Closing when this work has finished…"))
            self.runner.when_idle(self.close)
            return
        if not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def may_close(self) -> bool:
        """Before closing the window, the workspace or quitting: if a page holds unsaved changes, ask
        whether to save them, to close anyway (they are kept as a draft and shown again), or to stay."""
        unsaved = [(row, page) for row, page in enumerate(self.pages)
                   if page is not None and self.session.is_unlocked and page.has_unsaved()]
        if not unsaved:
            return True
        names = ", ".join(self._title(row) for row, _page in unsaved)
        box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"), _(
            "Some changes are not saved yet: {pages}.\n\nSave them now? If you close without saving, they are "
            "kept in the workspace and shown again when you open them.").format(pages=names),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Discard).setText(_("Close without saving"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            for row, page in unsaved:
                if not page.save_unsaved():
                    self.nav.setCurrentRow(row)   # the page says why; the window stays open
                    return False
        return True

    def _add_page(self, page: InstrumentPage | None, page_class: type[InstrumentPage] | None = None) -> None:
        self.pages.append(page)
        self._classes.append(page_class)
        self.stack.addWidget(_holder(page if page is not None else QWidget()))
        item = QListWidgetItem(self._title(len(self.pages) - 1))
        item.setSizeHint(QSize(0, 36))
        self.nav.addItem(item)

    def _title(self, row: int) -> str:
        page, page_class = self.pages[row], self._classes[row]
        try:
            return page.nav_title() if page is not None else page_class.nav_title()
        except Exception:  # noqa: BLE001 - a page's bug must not block the navigation
            return getattr(page_class, "key", "?")

    def page_at(self, row: int) -> InstrumentPage:
        """The page of a navigation row, built the first time (a page that fails to build becomes a
        BrokenPage: one broken instrument must not close the window)."""
        page = self.pages[row]
        if page is None:
            page_class = self._classes[row]
            assert page_class is not None
            try:
                page = page_class(self.session)
            except Exception as exc:  # noqa: BLE001
                traceback.print_exception(exc, file=sys.stderr)
                page = BrokenPage(self.session, self._title(row))
            holder = self.stack.widget(row)
            assert isinstance(holder, QScrollArea)
            holder.setWidget(page)    # the placeholder goes with it
            self.pages[row] = page
            self._restore_layout(page.remembered())
        return page

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.page_at(row)
            self.stack.setCurrentIndex(row)

    def show_page(self, key: str) -> InstrumentPage | None:
        for row, (page, page_class) in enumerate(zip(self.pages, self._classes, strict=True)):
            if (page.key if page is not None else page_class.key) == key:
                self.nav.setCurrentRow(row)
                return self.page_at(row)
        return None

    # ---- menus ----------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.lock_action = self._action(self.file_menu, self.shell.lock, QKeySequence("Ctrl+L"))
        self.passphrase_action = self._action(self.file_menu, self.change_passphrase)
        self.file_menu.addSeparator()
        self.backup_action = self._action(self.file_menu, lambda: self.workspace_page.back_up_now())
        self.check_action = self._action(self.file_menu, lambda: self.workspace_page.check_integrity())
        self.file_menu.addSeparator()
        self.close_action = self._action(self.file_menu, self.shell.close_workspace, QKeySequence("Ctrl+W"))
        self.quit_action = self._action(self.file_menu, self.shell.quit, QKeySequence("Ctrl+Q"))

        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for lang in i18n.LANGUAGES:
            action = QAction(lang.native_name, self)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, code=lang.code: self.shell.switch_language(code))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang.code] = action

        # Keyboard: a page each (Ctrl+1…), save and find on the current page, the list of shortcuts (F1).
        self.save_action = self._action(self.file_menu, self.save_current_page, QKeySequence("Ctrl+S"))
        self.file_menu.insertAction(self.passphrase_action, self.save_action)
        self.pages_menu = bar.addMenu("")
        self.page_actions: list[QAction] = []
        for row in range(len(self.pages)):
            shortcut = QKeySequence(f"Ctrl+{row + 1}") if row < 9 else None
            self.page_actions.append(self._action(self.pages_menu, lambda row=row: self.nav.setCurrentRow(row),
                                                  shortcut))
        self.pages_menu.addSeparator()
        self.find_action = self._action(self.pages_menu, self.find_on_page, QKeySequence("Ctrl+F"))

        self.settings_menu = bar.addMenu("")
        self.settings_action = self._action(self.settings_menu, self.shell.edit_settings)
        self.help_menu = bar.addMenu("")
        self.guide_action = self._action(self.help_menu, self.show_guide, QKeySequence("F1"))
        self.shortcuts_action = self._action(self.help_menu, self.show_shortcuts)
        self.about_action = self._action(self.help_menu, self.shell.about)
        self.guide_window = None

    # ---- remembered layout -----------------------------------------------------------------------------
    def _restore_layout(self, parts: dict) -> None:
        for name, part in parts.items():
            saved = self._layout.get(name)
            if saved:
                part.restoreState(QByteArray.fromBase64(saved.encode("ascii")))

    def remember_layout(self) -> None:
        """Keep the window's size and place, its splitter and the built pages' column widths (the shell
        writes them to the settings file when the workspace is locked or closed)."""
        parts: dict = {"main/splitter": self.splitter}
        for page in self.pages:
            if page is not None:
                parts.update(page.remembered())
        self._layout["main"] = bytes(self.saveGeometry().toBase64()).decode("ascii")
        for name, part in parts.items():
            self._layout[name] = bytes(part.saveState().toBase64()).decode("ascii")

    # ---- keyboard --------------------------------------------------------------------------------------
    def current_page(self) -> InstrumentPage | None:
        row = self.nav.currentRow()
        return self.pages[row] if 0 <= row < len(self.pages) else None

    def save_current_page(self) -> bool:
        """Ctrl+S: save what the current page holds unsaved (nothing to do is not an error)."""
        page = self.current_page()
        if page is None or self.runner.busy or not page.has_unsaved():
            return False
        return page.save_unsaved()

    def find_on_page(self) -> bool:
        """Ctrl+F: to the current page's search field, its text selected."""
        page = self.current_page()
        field = page.search_field() if page is not None else None
        if field is None or not field.isVisible():
            return False
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()
        return True

    def shortcut_rows(self) -> tuple[list[tuple[str, str]], str]:
        """The keyboard shortcuts as (keys, what) rows in the current language, and a note on moving
        around with the keyboard (the guide's "shortcuts" section shows them)."""
        rows = [(f"Ctrl+{row + 1}", self._title(row)) for row in range(min(9, len(self.pages)))]
        for line in (_("Ctrl+S\tSave the changes on this page"), _("Ctrl+F\tFind on this page"),
                     _("Ctrl+L\tLock the workspace"), _("Ctrl+W\tClose the workspace"), _("Ctrl+Q\tQuit")):
            keys, _tab, what = line.partition("\t")
            rows.append((keys, what))
        rows.append(("F1", _("User guide")))
        note = _("Tab and Shift+Tab move between fields; Ctrl+Tab leaves a table; Enter presses the highlighted "
                 "button; Escape closes a dialog without saving.")
        return rows, note

    def shortcuts_text(self) -> str:
        rows, note = self.shortcut_rows()
        return "\n".join([*(f"{keys}\t{what}" for keys, what in rows), "", note])

    def show_guide(self, section: str | None = None) -> QWidget:
        """F1: the user guide in the current language, at the section of the page showing (or `section`).
        One guide window, not modal; asked again, it comes forward at the new section."""
        from desktop import guide
        from ui.help import GuideWindow

        if section is None:
            row = self.nav.currentRow()
            key = None
            if 0 <= row < len(self.pages):
                page, page_class = self.pages[row], self._classes[row]
                key = page.key if page is not None else getattr(page_class, "key", None)
            section = guide.section_for_page(key)
        if self.guide_window is None:
            self.guide_window = GuideWindow(self.shortcut_rows, self)
        self.guide_window.show()
        self.guide_window.show_section(section)
        if QApplication.platformName() not in ("offscreen", "minimal"):
            self.guide_window.raise_()
            self.guide_window.activateWindow()
        return self.guide_window

    def show_shortcuts(self) -> QWidget:
        """Help > Keyboard shortcuts: the guide's section on them."""
        from desktop import guide

        return self.show_guide(guide.SHORTCUTS)

    def _action(self, menu, slot, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
        menu.addAction(action)
        return action

    @property
    def workspace_page(self) -> WorkspacePage:
        page = self.pages[0]
        assert page is not None
        assert isinstance(page, WorkspacePage)
        return page

    def change_passphrase(self) -> bool:
        from ui.dialogs import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.passphrase_dialog = dialog
        dialog.accepted.connect(self._passphrase_changed)
        dialog.open()
        return True

    def _passphrase_changed(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("Change passphrase"),
                          _("The passphrase was changed. The backups now open with the new passphrase too."),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.workspace_page.refresh()

    # ---- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        info_office = self.session.ws.office if self.session.is_unlocked else ""
        # No words to translate: office, file name and the product name.
        self.setWindowTitle(f"{info_office} — {self.session.path.name} — PSEA Desk")
        self.file_menu.setTitle(_("&File"))
        self.lock_action.setText(_("&Lock"))
        self.passphrase_action.setText(_("Change &passphrase…"))
        self.backup_action.setText(_("&Back up now"))
        self.check_action.setText(_("&Check integrity"))
        self.close_action.setText(_("&Close workspace"))
        self.quit_action.setText(_("&Quit"))
        self.language_menu.setTitle(_("&Language"))
        self.language_actions[i18n.current_language()].setChecked(True)
        self.settings_menu.setTitle(_("&Settings"))
        self.settings_action.setText(_("&Settings…"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About PSEA Desk"))
        self.save_action.setText(_("&Save changes"))
        self.pages_menu.setTitle(_("&Pages"))
        for row, action in enumerate(self.page_actions):
            action.setText(self._title(row))
        self.find_action.setText(_("&Find on this page"))
        self.shortcuts_action.setText(_("&Keyboard shortcuts"))
        self.guide_action.setText(_("&User guide"))
        if self.guide_window is not None:
            self.guide_window.retranslate()
        self.nav.setToolTip("")
        self.nav.setAccessibleName(_("Pages"))
        for row, page in enumerate(self.pages):
            try:
                if page is not None:
                    # The outcome of the last action ("The assessment was saved.") was said in the previous
                    # language: it goes, rather than staying on a translated screen.
                    outcome = getattr(page, "message", None)
                    if isinstance(outcome, QLabel) and outcome.isVisible():
                        outcome.clear()
                        outcome.hide()
                    page.retranslate()
                self.nav.item(row).setText(self._title(row))
            except Exception as exc:  # noqa: BLE001 - a page's bug must not block switching the language
                traceback.print_exception(exc, file=sys.stderr)
        self.status.setText(str(self.session.path))
        self.operation_cancel.setText(_("Cancel"))
        apply_date_formats(self)   # dates typed or shown in date fields follow the new language too
        self._fit_nav()

    def _fit_nav(self) -> None:
        """Wide enough for the longest page name in the current language (within limits), unless the
        user set the width (remembered)."""
        if "main/splitter" in self._layout:
            return
        widest = max((self.nav.fontMetrics().horizontalAdvance(self.nav.item(row).text())
                      for row in range(self.nav.count())), default=0)
        width = max(self.nav.minimumWidth(), min(self.nav.maximumWidth(), widest + 56))
        total = max(self.splitter.width(), self.width())
        self.splitter.setSizes([width, max(total - width, 400)])
