"""The start window: open a workspace (recent files or browse) or create a new one.

Creating asks for the file, the office code, the entity, the workspace's default language and the
passphrase twice, with a live strength hint and the minimum length from storage.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.roles import ROLE_LABELS, problem_with_new_workspace, role_label
from desktop.session import MIN_PASSPHRASE, SUFFIX
from i18n import _
from ui import colours, passphrase_hint
from ui.widgets import (
    LanguageCombo,
    clear_secret,
    fit_to_screen,
    heading,
    message_label,
    passphrase_edit,
    show_error,
)


def workspace_filter() -> str:
    return _("PSEA Desk workspaces (*{suffix})").format(suffix=SUFFIX)


class StartWindow(QWidget):
    open_requested = Signal(object)  # Path: show the unlock prompt for it
    created = Signal(object)  # desktop.session.Session of the new workspace
    language_requested = Signal(str)
    demo_requested = Signal(str)  # a role: open (creating it first if needed) that role's demo workspace

    def __init__(self, recent: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start")
        fit_to_screen(self, 720, 560)
        self.title = heading(size_delta=8)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.language_label = QLabel()
        self.language = LanguageCombo()
        self.language_label.setBuddy(self.language)
        self.language.currentIndexChanged.connect(lambda _i: self.language_requested.emit(self.language.code()))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language_label)
        top.addWidget(self.language)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_open_tab(recent), "")
        self.tabs.addTab(self._build_create_tab(), "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    # ---- open ---------------------------------------------------------------------------------------
    def _build_open_tab(self, recent: list[Path]) -> QWidget:
        page = QWidget()
        self.recent_label = QLabel()
        self.recent_list = QListWidget()
        self.recent_label.setBuddy(self.recent_list)
        self.recent_list.itemActivated.connect(self._open_item)
        self.recent_list.itemDoubleClicked.connect(self._open_item)
        self.set_recent(recent)
        self.no_recent = QLabel()
        self.no_recent.setWordWrap(True)
        self.no_recent.setStyleSheet(colours.label_style())
        self.open_selected_button = QPushButton()
        self.open_selected_button.clicked.connect(self._open_selected)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.browse_button)
        buttons.addWidget(self.open_selected_button)
        self.open_error = message_label()
        # Demos of the three roles, so that a newcomer can try the whole chain (office → region → HQ).
        self.demo_label = QLabel()
        self.demo_label.setWordWrap(True)
        self.demo_buttons: dict[str, QPushButton] = {}
        demos = QHBoxLayout()
        demos.addWidget(self.demo_label, 1)
        for role in ("office", "region", "headquarters"):
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, r=role: self.demo_requested.emit(r))
            self.demo_buttons[role] = button
            demos.addWidget(button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.no_recent)
        layout.addWidget(self.open_error)
        layout.addLayout(buttons)
        layout.addLayout(demos)
        return page

    def set_recent(self, recent: list[Path]) -> None:
        self.recent_list.clear()
        for path in recent:
            item = QListWidgetItem(f"{path.name}\n{path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        if recent:
            self.recent_list.setCurrentRow(0)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))

    def _open_selected(self) -> None:
        item = self.recent_list.currentItem()
        if item is None:
            show_error(self.open_error, _("Choose a workspace in the list, or browse for a file."))
            return
        self._open_item(item)

    def browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Open a workspace"), str(Path.home()), workspace_filter())
        if name:
            self.open_requested.emit(Path(name))

    # ---- create -------------------------------------------------------------------------------------
    def _build_create_tab(self) -> QWidget:
        page = QWidget()
        self.file_edit = QLineEdit()
        self.file_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        self.office_edit = QLineEdit()
        self.office_edit.setMaxLength(32)
        self.entity_edit = QLineEdit()
        self.entity_edit.setMaxLength(120)
        self.default_language = LanguageCombo()
        self.role = QComboBox()
        for role in ROLE_LABELS:
            self.role.addItem("", role)
        self.office_name_edit = QLineEdit()
        self.office_name_edit.setMaxLength(120)
        self.new_passphrase = passphrase_edit()
        self.repeat_passphrase = passphrase_edit()
        self.strength = QLabel()
        self.strength.setTextFormat(Qt.TextFormat.PlainText)
        self.new_passphrase.textChanged.connect(self._update_strength)
        self.repeat_passphrase.textChanged.connect(self._update_strength)
        self.create_error = message_label()
        self.create_button = QPushButton()
        self.create_button.clicked.connect(self.create_workspace)

        self.create_form = QFormLayout()
        self.create_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.create_form.setVerticalSpacing(10)
        self.row_labels: dict[str, QLabel] = {}
        for key, field in (("file", file_row), ("role", self.role), ("office", self.office_edit),
                           ("office_name", self.office_name_edit), ("entity", self.entity_edit),
                           ("language", self.default_language), ("passphrase", self.new_passphrase),
                           ("repeat", self.repeat_passphrase)):
            label = QLabel()
            label.setBuddy(field if isinstance(field, QWidget) else self.file_edit)
            self.row_labels[key] = label
            self.create_form.addRow(label, field)
        self.create_form.addRow(QLabel(), self.strength)
        # Said before the workspace exists, not after a passphrase is forgotten: nothing can open it then.
        self.no_recovery = QLabel()
        self.no_recovery.setWordWrap(True)
        self.no_recovery.setTextFormat(Qt.TextFormat.PlainText)
        self.no_recovery.setFrameShape(QFrame.Shape.StyledPanel)
        self.no_recovery.setMargin(8)
        self.create_form.addRow(QLabel(), self.no_recovery)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(self.create_form)
        layout.addWidget(self.create_error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def choose_file(self) -> None:
        start = self.file_edit.text() or str(Path.home() / f"office{SUFFIX}")
        name, _filter = QFileDialog.getSaveFileName(self, _("New workspace file"), start, workspace_filter())
        if name:
            if not name.endswith(SUFFIX):
                name += SUFFIX
            self.file_edit.setText(name)

    def _update_strength(self) -> None:
        text = self.new_passphrase.text()
        if not text:
            self.strength.setText(_("At least {minimum} characters; several words are easy to remember.").format(
                minimum=MIN_PASSPHRASE))
            self.strength.setStyleSheet(colours.label_style())
            return
        level = passphrase_hint.strength(text)
        message = passphrase_hint.hint(text)
        repeat = self.repeat_passphrase.text()
        if repeat and repeat != text:
            message = f"{message} {_('The two passphrases differ.')}"
        self.strength.setText(message)
        self.strength.setStyleSheet(colours.label_style(passphrase_hint.LEVEL_MEANINGS[level]))

    def create_workspace(self) -> bool:
        from desktop.session import WorkspaceError, create_session

        path_text = self.file_edit.text().strip()
        office = self.office_edit.text().strip()
        entity = self.entity_edit.text().strip()
        first, second = self.new_passphrase.text(), self.repeat_passphrase.text()
        role, office_name = self.role.currentData(), self.office_name_edit.text().strip()
        problem = ""
        if not path_text:
            problem = _("Choose where to save the new workspace file.")
        elif problem_with_new_workspace(office, entity, role, office_name):
            problem = problem_with_new_workspace(office, entity, role, office_name) or ""
        elif len(first) < MIN_PASSPHRASE:
            problem = _("The passphrase is too short: use at least {minimum} characters.").format(minimum=MIN_PASSPHRASE)
        elif first != second:
            problem = _("The two passphrases differ. Type the same passphrase twice.")
        if problem:
            show_error(self.create_error, problem)
            return False
        path = Path(path_text).expanduser()
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name + SUFFIX)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session = create_session(path, first, office=office, entity=entity, language=self.default_language.code(),
                                     role=role, office_name=office_name)
        except WorkspaceError as exc:
            show_error(self.create_error, str(exc))
            return False
        except OSError as exc:
            show_error(self.create_error, _("The file could not be written: {reason}").format(reason=exc.strerror or exc))
            return False
        finally:
            del first, second
            QApplication.restoreOverrideCursor()
        clear_secret(self.new_passphrase)
        clear_secret(self.repeat_passphrase)
        show_error(self.create_error, "")
        self.created.emit(session)
        return True

    # ---- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("PSEA Desk"))
        self.title.setText(_("PSEA Desk"))
        self.subtitle.setText(_("Training rosters, SEA risk assessments, implementing-partner capacity assessments "
                                "and the annual management letter, in one encrypted workspace."))
        self.language_label.setText(_("Language:"))
        self.language.select(i18n.current_language())
        self.tabs.setTabText(0, _("Open a workspace"))
        self.tabs.setTabText(1, _("Create a workspace"))
        self.recent_label.setText(_("Recent workspaces:"))
        self.no_recent.setText(_("No recent workspaces. Browse for a workspace file, or create a new one."))
        self.no_recent.setVisible(self.recent_list.count() == 0)
        self.open_selected_button.setText(_("Open workspace"))
        self.browse_button.setText(_("Browse…"))
        self.choose_button.setText(_("Choose…"))
        self.row_labels["file"].setText(_("Workspace file:"))
        self.file_edit.setPlaceholderText(_("Where to save the new workspace"))
        self.row_labels["role"].setText(_("This workspace is for:"))
        for n in range(self.role.count()):
            self.role.setItemText(n, role_label(self.role.itemData(n)))
        self.role.setToolTip(_("A country office keeps its own records and sends bundles to its regional coordinator; "
                               "a regional coordinator merges its offices' bundles and relays them to headquarters; "
                               "headquarters composes the entity's management letter."))
        self.row_labels["office_name"].setText(_("Office name:"))
        self.office_name_edit.setPlaceholderText(_("for example Nairobi (optional)"))
        self.demo_label.setText(_("Try PSEA Desk with invented data:"))
        self.demo_buttons["office"].setText(_("Country office demo"))
        self.demo_buttons["region"].setText(_("Regional coordinator demo"))
        self.demo_buttons["headquarters"].setText(_("Headquarters demo"))
        self.row_labels["office"].setText(_("Office code:"))
        self.office_edit.setPlaceholderText(_("for example KEN-NBO"))
        self.row_labels["entity"].setText(_("Entity:"))
        self.entity_edit.setPlaceholderText(_("for example UN-Habitat"))
        self.row_labels["language"].setText(_("Default language:"))
        self.default_language.setToolTip(_("The language new documents of this workspace are written in"))
        self.row_labels["passphrase"].setText(_("Passphrase:"))
        self.row_labels["repeat"].setText(_("Repeat passphrase:"))
        self.new_passphrase.setPlaceholderText(_("At least {minimum} characters").format(minimum=MIN_PASSPHRASE))
        self.repeat_passphrase.setPlaceholderText(_("The same passphrase again"))
        self.create_button.setText(_("Create workspace"))
        self.no_recovery.setText(_(
            "A forgotten passphrase cannot be recovered: without it nobody can open this workspace or its "
            "backups, not even the makers of PSEA Desk. Write it down now and keep the paper away from the "
            "computer, for example in a sealed envelope in the office safe, labelled with the workspace's name "
            "and office, and tell your head of office where it is."))
        self._update_strength()
