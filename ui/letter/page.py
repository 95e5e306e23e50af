"""The management-letter page: the allegations of a year, the letter editor (signatory, sections,
certifications, figures with their source), preview, signing and verification of any PDF.

Every action is also a method that takes paths (preview_to, sign_to, verify_file), so tests and the
buttons share one path; the buttons only add the file dialogs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop import drafts
from desktop.letter import (
    allegations,
    assurances,
    attestations,
    compose,
    gate,
    model,
    settings,
    templates,
)
from desktop.letter.model import LetterError
from desktop.private_files import write_private
from desktop.signing import trust
from desktop.signing.errors import SigningError

if TYPE_CHECKING:
    from desktop.signing import identity as identities
    from desktop.signing.verify import VerificationResult
from desktop.tasks import TaskState
from i18n import N_, _, ngettext
from i18n.formatting import date as format_date
from i18n.formatting import datetime as format_datetime
from i18n.formatting import number
from ui import operations
from ui.flow import FlowLayout
from ui.pages import InstrumentPage
from ui.widgets import (
    confirm,
    fit_to_screen,
    heading,
    message_label,
    passphrase_edit,
    save_file,
    show_error,
    show_note,
)


def _message(exc: Exception) -> str:
    if isinstance(exc, (LetterError, SigningError, allegations.InvalidAllegation, settings.SettingsError,
                        attestations.AttestationError)):
        return _(exc.message).format(**exc.params)
    return _("The operation failed: {error}").format(error=type(exc).__name__)


class SignDialog(QDialog):
    """Choose the signing identity: the workspace's own, or a PKCS#12 file and its password."""

    def __init__(self, has_identity: bool, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign the letter"))
        self.use_workspace = QRadioButton(_("Identity kept in this workspace") if has_identity
                                          else _("Create an identity in this workspace"))
        self.use_p12 = QRadioButton(_("PKCS#12 file issued by the entity"))
        self.use_workspace.setChecked(True)
        self.name = QLineEdit(name)
        self.title = QLineEdit(title)
        self.p12_path = QLineEdit()
        self.p12_path.setAccessibleName(_("File"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        self.password = passphrase_edit()
        form = QFormLayout()
        if not has_identity:
            form.addRow(_("Signatory's name"), self.name)
            form.addRow(_("Signatory's title"), self.title)
        row = QHBoxLayout()
        row.addWidget(self.p12_path)
        row.addWidget(browse)
        p12_form = QFormLayout()
        p12_form.addRow(_("File"), row)
        p12_form.labelForField(row).setBuddy(self.p12_path)
        p12_form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel(_("Once signed, this version is frozen: a later change makes a new version."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use_workspace)
        layout.addLayout(form)
        layout.addWidget(self.use_p12)
        layout.addLayout(p12_form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("PKCS#12 file"), "", _("PKCS#12 files (*.p12 *.pfx)"))
        if path:
            self.p12_path.setText(path)
            self.use_p12.setChecked(True)


class SettingsDialog(QDialog):
    """The names the letter prints, one value per language (entity, office, place, signer's title…),
    and the single values (signer's name, the governing body's decision). A language left empty is
    shown as missing: the letter in that language cannot be signed until it is filled."""

    def __init__(self, ws, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Workspace
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(_("Names and settings of the letter"))
        fit_to_screen(self, 980, 560)
        conf = settings.load(ws)
        keys = list(settings.PER_LANGUAGE)
        self.table = QTableWidget(len(keys), len(i18n.LANGUAGE_CODES))
        self.table.setHorizontalHeaderLabels([lang.native_name for lang in i18n.LANGUAGES])
        self.table.setVerticalHeaderLabels([_(settings.PER_LANGUAGE[k]) for k in keys])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, key in enumerate(keys):
            for c, code in enumerate(i18n.LANGUAGE_CODES):
                self.table.setItem(r, c, QTableWidgetItem(conf.get(key, code)))
        self.singles: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in settings.SINGLE.items():
            edit = QLineEdit(conf.single.get(key, ""))
            self.singles[key] = edit
            form.addRow(_(label), edit)
        self.error = message_label()
        note = QLabel(_("Each language's letter prints the names of its own language. The entity's names are the "
                        "United Nations' official names where PSEA Desk knows them; the governing body's decision is "
                        "cited in the legal basis of the entity's letter."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        values = {}
        for r, key in enumerate(settings.PER_LANGUAGE):
            values[key] = {code: (self.table.item(r, c).text() if self.table.item(r, c) else "")
                           for c, code in enumerate(i18n.LANGUAGE_CODES)}
        try:
            settings.save(self.ws, settings.LetterSettings(values, {k: e.text() for k, e in self.singles.items()}))
        except settings.SettingsError as exc:
            show_error(self.error, _(exc.message).format(**exc.params))
            return
        self.accept()


class Page(InstrumentPage):
    key = "letter"

    @staticmethod
    def nav_title() -> str:
        return _("Management letter")

    def __init__(self, session, parent: QWidget | None = None) -> None:  # noqa: ANN001 - Session
        super().__init__(session, parent)
        self.letter: dict | None = None
        self.comp: compose.Composition | None = None
        self.last_verification: VerificationResult | None = None
        self._last_pdf = b""
        self._section_texts: dict[str, str] = {}
        self._current_key: str | None = None

        self.title = heading()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(self.refresh)
        self.language = QComboBox()
        self.language.setObjectName("letter-language")
        for lang in i18n.LANGUAGES:
            self.language.addItem(lang.native_name, lang.code)
        self.language.setCurrentIndex(i18n.LANGUAGE_CODES.index("en"))
        self.language.currentIndexChanged.connect(self.refresh)
        self.year_label, self.language_label = QLabel(), QLabel()
        self.year_label.setBuddy(self.year)
        self.language_label.setBuddy(self.language)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        self.message = message_label()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_allegations(), "")
        self.tabs.addTab(self._build_letter(), "")
        self.tabs.addTab(self._build_verify(), "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        # Data is loaded when the page is first shown (InstrumentPage): opening the window stays quick.

    # ---- building ------------------------------------------------------------------------------
    def _build_allegations(self) -> QWidget:
        w = QWidget()
        self.alleg_note = QLabel()
        self.alleg_note.setWordWrap(True)
        self.category = QComboBox()
        self.category.setObjectName("category")
        for key in allegations.CATEGORIES:
            self.category.addItem("", key)
        self.status = QComboBox()
        self.status.setObjectName("status")
        for key in allegations.STATUSES:
            self.status.addItem("", key)
        self.body = QComboBox()
        self.body.setObjectName("body")
        for key in allegations.BODIES:
            self.body.addItem("", key)
        self.count = QSpinBox()
        self.count.setObjectName("count")
        self.count.setRange(0, allegations.MAX_COUNT)
        self.save_count = QPushButton()
        self.save_count.setObjectName("save-count")
        self.save_count.clicked.connect(self.save_allegation)
        self.form_labels = [QLabel() for _ in range(4)]
        # Each field beside its label, the pairs wrapping onto a second line when the row is too long (Russian,
        # a scale factor of 2): in one row the lists were squeezed down to a letter ("Статус [Г]").
        form = FlowLayout()
        for label, widget in zip(self.form_labels, (self.category, self.status, self.body, self.count), strict=True):
            label.setBuddy(widget)
            pair = QWidget()
            pair_layout = QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.addWidget(label)
            pair_layout.addWidget(widget)
            form.addWidget(pair)
        form.addWidget(self.save_count)
        self.alleg_table = QTableWidget(0, 4)
        self.alleg_table.setObjectName("allegations")
        self.alleg_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.alleg_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.alleg_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.remove_count = QPushButton()
        self.remove_count.clicked.connect(self.remove_selected_allegation)
        self.import_counts = QPushButton()
        self.import_counts.setObjectName("import-counts")
        self.import_counts.clicked.connect(self.import_allegations)
        self.alleg_summary = QLabel()
        self.alleg_summary.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(w)
        lay.addWidget(self.alleg_note)
        lay.addLayout(form)
        lay.addWidget(self.alleg_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.alleg_summary, 1)
        row.addWidget(self.remove_count)
        row.addWidget(self.import_counts)
        lay.addLayout(row)
        return w

    def _build_letter(self) -> QWidget:
        w = QWidget()
        self.state_label = QLabel()
        self.state_label.setObjectName("letter-state")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.period_start = QLineEdit()
        self.period_end = QLineEdit()
        for edit in (self.period_start, self.period_end):
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(self.edit_settings)
        self.signatory_box = QGroupBox()
        self.form = QFormLayout(self.signatory_box)
        self.form_rows = [QLabel() for _ in range(2)]
        for label, edit in zip(self.form_rows, (self.period_start, self.period_end), strict=True):
            label.setBuddy(edit)
            self.form.addRow(label, edit)
        self.form.addRow(self.settings_button)
        # What the signer attests, item by item (who and when in the tooltip); a tick confirms it now.
        self.checks_box = QGroupBox()
        self.attest_list = QListWidget()
        self.attest_list.setObjectName("attestations")
        self.attest_list.setWordWrap(True)
        self.attest_list.itemChanged.connect(self._attestation_changed)
        self.attest_list.setMinimumHeight(260)
        self.attest_list.setSpacing(2)
        self.attest_all = QPushButton()
        self.attest_all.clicked.connect(self.confirm_all)
        # Its words in a label that wraps, not in the box's title: a title never wraps, and the French, Spanish
        # and Russian ones made the letter's left column wider than its pane (cut off at 1024×768).
        self.checks_title = QLabel()
        self.checks_title.setWordWrap(True)
        self.checks_title.setBuddy(self.attest_list)
        checks_layout = QVBoxLayout(self.checks_box)
        checks_layout.addWidget(self.checks_title)
        checks_layout.addWidget(self.attest_list)
        checks_layout.addWidget(self.attest_all, 0, Qt.AlignmentFlag.AlignLeading)
        # Before signing: everything the gate finds, with where to fix it.
        self.gate_box = QGroupBox()
        self.gate_list = QListWidget()
        self.gate_list.setObjectName("gate")
        self.gate_list.setWordWrap(True)
        gl = QVBoxLayout(self.gate_box)
        gl.addWidget(self.gate_list)
        # Headquarters: the offices' assurances of the year.
        self.assurance_box = QGroupBox()
        self.assurance_table = QTableWidget(0, 3)
        self.assurance_table.setObjectName("assurances")
        self.assurance_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.assurance_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        al = QVBoxLayout(self.assurance_box)
        al.addWidget(self.assurance_table)
        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.currentItemChanged.connect(self._section_selected)
        self.section_text = QPlainTextEdit()
        self.section_text.setObjectName("section-text")
        self.section_text.textChanged.connect(self._show_filled)
        self.reset_section = QPushButton()
        self.reset_section.clicked.connect(self._reset_section)
        self.placeholders = QLabel("{" + "}, {".join(templates.PLACEHOLDERS) + "}")
        self.placeholders.setWordWrap(True)
        self.placeholders.setTextFormat(Qt.TextFormat.PlainText)
        self.figures = QTableWidget(0, 3)
        self.figures.setObjectName("figures")
        self.figures.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.save_letter = QPushButton()
        self.save_letter.setObjectName("save-letter")
        self.save_letter.clicked.connect(self.save)
        self.preview_button = QPushButton()
        self.preview_button.clicked.connect(self.show_preview)
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("sign")
        self.sign_button.clicked.connect(self._ask_sign)
        self.export_signed = QPushButton()
        self.export_signed.clicked.connect(self._ask_export_signed)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.state_label)
        ll.addWidget(self.gate_box)
        ll.addWidget(self.signatory_box)
        ll.addWidget(self.checks_box)
        ll.addWidget(self.assurance_box)
        self.figures_label = QLabel()
        self.figures_label.setBuddy(self.figures)
        ll.addWidget(self.figures_label)
        ll.addWidget(self.figures, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.sections_label = QLabel()
        self.sections_label.setBuddy(self.sections)
        rl.addWidget(self.sections_label)
        rl.addWidget(self.sections, 2)
        rl.addWidget(self.section_text, 3)
        self.filled = QLabel()
        self.filled.setWordWrap(True)
        self.filled.setTextFormat(Qt.TextFormat.PlainText)
        self.filled_label = QLabel()
        rl.addWidget(self.filled_label)
        rl.addWidget(self.filled, 2)
        rl.addWidget(self.placeholders)
        rl.addWidget(self.reset_section)
        self.figures.setMinimumHeight(220)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # not a tab stop: its fields are, and it follows them
        scroll.setWidget(left)
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 700])
        # Every signed version of this year and language, each retrievable (shown or saved), and what the
        # draft changed since the last signature.
        self.signed_versions = QComboBox()
        self.signed_versions.setObjectName("signed-versions")
        self.show_signed = QPushButton()
        self.show_signed.clicked.connect(self.show_selected_signed)
        self.changed_since = message_label()
        buttons = FlowLayout()
        for b in (self.save_letter, self.preview_button, self.sign_button, self.signed_versions, self.show_signed,
                  self.export_signed):
            buttons.addWidget(b)
        lay = QVBoxLayout(w)
        lay.addWidget(split, 1)
        lay.addWidget(self.changed_since)
        lay.addLayout(buttons)
        return w

    def _build_verify(self) -> QWidget:
        w = QWidget()
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("verify")
        self.verify_button.clicked.connect(self._ask_verify)
        self.verify_result = QPlainTextEdit()
        self.verify_result.setObjectName("verify-result")
        self.verify_result.setReadOnly(True)
        self.trust_button = QPushButton()
        self.trust_button.setEnabled(False)
        self.trust_button.clicked.connect(self.trust_last_signer)
        self.trusted_label = QLabel()
        self.trusted = QTableWidget(0, 3)
        self.trusted.setObjectName("trusted")
        self.trusted_label.setBuddy(self.trusted)
        self.trusted.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.trusted.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.trusted.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.untrust_button = QPushButton()
        self.untrust_button.clicked.connect(self.remove_selected_trust)
        lay = QVBoxLayout(w)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.trust_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.verify_result, 1)
        lay.addWidget(self.trusted_label)
        lay.addWidget(self.trusted, 1)
        row2 = QHBoxLayout()
        row2.addStretch(1)
        row2.addWidget(self.untrust_button)
        lay.addLayout(row2)
        return w

    # ---- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Management letter"))
        self.year_label.setText(_("Year"))
        self.language_label.setText(_("Language of the letter"))
        self.tabs.setTabText(0, _("Allegations"))
        self.tabs.setTabText(1, _("Letter"))
        self.tabs.setTabText(2, _("Verify a PDF"))
        for edit in (self.period_start, self.period_end):
            # TRANSLATORS: the date format expected in the field (year-month-day), in your letters.
            edit.setPlaceholderText(_("YYYY-MM-DD"))
        self.alleg_note.setText(_("Counts only: no names of victims, witnesses or subjects. Case files stay in "
                                  "the confidential systems (iReport, OIOS)."))
        for n, key in enumerate(allegations.CATEGORIES):
            self.category.setItemText(n, _(allegations.CATEGORY_LABELS[key]))
        for n, key in enumerate(allegations.STATUSES):
            self.status.setItemText(n, _(allegations.STATUS_LABELS[key]))
        for n, key in enumerate(allegations.BODIES):
            self.body.setItemText(n, _(allegations.BODY_LABELS[key]))
        for label, text in zip(self.form_labels, (N_("Category"), N_("Status"), N_("Referred to"), N_("Number")),
                               strict=True):
            label.setText(_(text))
        self.save_count.setText(_("Save count"))
        self.remove_count.setText(_("Remove selected"))
        self.import_counts.setText(_("Import from a spreadsheet…"))
        self.alleg_table.setHorizontalHeaderLabels([_("Category"), _("Status"), _("Referred to"), _("Number")])
        self.signatory_box.setTitle(_("Period and names"))
        for label, text in zip(self.form_rows, (N_("Period from"), N_("Period to")), strict=True):
            label.setText(_(text))
        self.settings_button.setText(_("Names and settings…"))
        self.checks_title.setText(_("What the signer attests (tick to confirm)"))
        self.attest_all.setText(_("Confirm all"))
        self.gate_box.setTitle(_("Before signing"))
        self.assurance_box.setTitle(_("Offices' assurances"))
        self.assurance_table.setHorizontalHeaderLabels([_("Office"), _("Assurance"), _("Signed by")])
        self.filled_label.setText(_("As the letter will print it:"))
        self.sections_label.setText(_("Statements: select one to edit its text"))
        self.reset_section.setText(_("Use the template text"))
        self.figures_label.setText(_("Figures drawn from the data"))
        self.figures.setHorizontalHeaderLabels([_("Figure"), _("Value"), _("Source")])
        self.save_letter.setText(_("Save"))
        self.preview_button.setText(_("Preview PDF…"))
        self.sign_button.setText(_("Sign…"))
        self.export_signed.setText(_("Save signed PDF…"))
        self.show_signed.setText(_("Show the signed version"))
        self.signed_versions.setToolTip(_("The signed versions of this letter"))
        self.verify_button.setText(_("Verify a PDF…"))
        self.trust_button.setText(_("Trust this signer"))
        self.trusted_label.setText(_("Trusted certificates of this workspace"))
        self.trusted.setHorizontalHeaderLabels([_("Certificate"), _("Added"), _("SHA-256")])
        self.untrust_button.setText(_("Remove selected"))
        self.placeholders.setToolTip(_("Placeholders filled with the figures when the letter is composed"))
        self._stale = True          # loaded now if the page is shown, else when it is (InstrumentPage)
        self._refresh_if_due()

    # ---- data ----------------------------------------------------------------------------------
    @property
    def letter_language(self) -> str:
        return self.language.currentData()

    def refresh(self) -> None:
        """The letter is composed from every instrument's figures (a first composition on a large office
        reads its whole roster): as an operation; the page is filled when it has ended."""
        if not self.session.is_unlocked or not hasattr(self, "trusted"):
            return
        running = operations.runner(self.session)
        if running.busy:
            self._stale = True
            running.when_idle(self._refresh_if_due)
            return
        self.keep_draft()   # edits of the letter shown so far are kept, not dropped by a year or language switch
        ws, year, language = self.session.ws, self.year.value(), self.letter_language

        def work(task: TaskState) -> tuple:
            letter = model.current_or_new(ws, year, language)
            return letter, compose.compose(ws, letter)

        def done(found: tuple) -> None:
            if not self.session.is_unlocked or (year, language) != (self.year.value(), self.letter_language):
                return   # the year or language changed meanwhile: that refresh follows
            self._load_allegations(year)
            self.letter = found[0]
            self._load_letter(found[1])
            self._load_assurances()
            self._load_trusted()

        running.run(work, title=_("Composing the letter"), on_done=done, on_error=self._fail, cancellable=False)

    def _load_allegations(self, year: int) -> None:
        rows = allegations.entries(self.session.ws, year)
        self.alleg_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [_(allegations.CATEGORY_LABELS.get(row["category"], row["category"])),
                      _(allegations.STATUS_LABELS.get(row["status"], row["status"])),
                      _(allegations.BODY_LABELS.get(row["referred_to"], row["referred_to"])), number(row["count"])]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                self.alleg_table.setItem(r, c, item)
        total = allegations.summary(self.session.ws, year).total
        self.alleg_summary.setText(_("Allegations received in {year}: {total}").format(year=year, total=number(total)))

    def _load_letter(self, comp: compose.Composition | None = None) -> None:
        letter = self.letter
        assert letter is not None
        ws = self.session.ws
        self.comp = comp if comp is not None else compose.compose(ws, letter)
        signed = letter["status"] == model.SIGNED
        if signed:
            self.state_label.setText(_("Version {version}, signed by {name} on {date}. Frozen: saving a change makes "
                                       "a new version.").format(version=letter["version"], name=letter["signer"],
                                                                date=(letter["signed_at"] or "")[:10]))
        else:
            self.state_label.setText(_("Version {version}, draft (not signed).").format(version=letter["version"]))
        self.period_start.setText(letter["period_start"] or "")
        self.period_end.setText(letter["period_end"] or "")
        self._fill_attestations()
        self._fill_gate(signed)
        edited = model.sections_of(letter)
        self._section_texts = {}
        self.sections.blockSignals(True)
        self.sections.clear()
        for section in templates.SECTIONS:
            for st in section.statements:
                if not st.text or self.comp.scope not in st.scopes:
                    continue
                self._section_texts[st.key] = edited.get(st.key) or templates.default_text(st.key, self.letter_language)
                kind = {templates.ATTESTATION: _("attested"), templates.FIGURE: _("from the data"),
                        templates.TEXT: _("text")}[st.kind]
                label = templates.fill(self._section_texts[st.key], self.comp.values, self.letter_language)
                item = QListWidgetItem(f"{templates.heading(section.key, self.letter_language)} · {kind}: "
                                       f"{label[:70]}…")
                item.setData(Qt.ItemDataRole.UserRole, st.key)
                self.sections.addItem(item)
        self.sections.blockSignals(False)
        self._current_key = None
        self._restore_draft(signed)
        self.sections.setCurrentRow(0)
        self.figures.setRowCount(len(self.comp.figures))
        for r, fig in enumerate(self.comp.figures):
            for c, value in enumerate((fig.label, fig.display, fig.source)):
                self.figures.setItem(r, c, QTableWidgetItem(value))
        self._fill_signed_versions()
        self.section_text.setLayoutDirection(Qt.LayoutDirection.RightToLeft if i18n.is_rtl(self.letter_language)
                                             else Qt.LayoutDirection.LeftToRight)
        self.filled.setLayoutDirection(self.section_text.layoutDirection())

    def _fill_attestations(self) -> None:
        assert self.comp is not None
        self.attest_list.blockSignals(True)
        self.attest_list.clear()
        signed = self.letter is not None and self.letter["status"] == model.SIGNED
        for block in self.comp.blocks:
            for item in block.items:
                if item.kind != templates.ATTESTATION:
                    continue
                row = QListWidgetItem(item.text)
                row.setData(Qt.ItemDataRole.UserRole, item.key)
                flags = Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.ItemIsUserCheckable if not signed else Qt.ItemFlag.NoItemFlags)
                row.setFlags(flags)
                row.setCheckState(Qt.CheckState.Checked if item.confirmed else Qt.CheckState.Unchecked)
                who = self.comp.attestations.get(item.key)
                if who:
                    row.setToolTip(_("Confirmed by {name} on {date}").format(name=who["by"], date=who["at"][:10]))
                self.attest_list.addItem(row)
        self.attest_list.blockSignals(False)
        self.attest_all.setEnabled(not signed)

    def _fill_gate(self, signed: bool) -> None:
        assert self.comp is not None and self.letter is not None
        found = [] if signed else gate.problems(self.session.ws, self.letter, self.comp)
        self.gate_list.clear()
        for problem in found:
            self.gate_list.addItem(_("{problem} (where: {where})").format(problem=problem.message, where=problem.where))
        if not found:
            self.gate_list.addItem(_("The letter is signed.") if signed else _("Nothing stops the letter from being signed."))
        self.sign_button.setEnabled(not signed and not found)
        self.problems = found

    def _load_assurances(self) -> None:
        entity = compose.scope_of(self.session.ws) == "entity"
        self.assurance_box.setVisible(entity)
        if not entity:
            return
        rows = assurances.assurances(self.session.ws, self.year.value())
        words = {assurances.RECEIVED: _("signed"), assurances.UNSIGNED: _("not signed"),
                 assurances.MISSING: _("missing")}
        self.assurance_table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            state = words[a.state] + (f" ({', '.join(a.languages)})" if a.languages else "")
            for c, value in enumerate((a.office, state, a.signer)):
                self.assurance_table.setItem(r, c, QTableWidgetItem(value))

    def _attestation_changed(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        ws = self.session.ws
        scope = self.comp.scope if self.comp else compose.scope_of(ws)
        try:
            if item.checkState() == Qt.CheckState.Checked:
                attestations.confirm(ws, self.year.value(), scope, [key], self._attester(),
                                     templates.attestation_keys(scope, self.comp.values if self.comp else None))
            else:
                attestations.withdraw(ws, self.year.value(), scope, key)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing changed
            self._fail(exc)
        self._load_letter()

    def _attester(self) -> str:
        return (self.comp.values.get("name") if self.comp else "") or self.session.ws.actor

    def confirm_all(self) -> None:
        ws = self.session.ws
        scope = self.comp.scope if self.comp else compose.scope_of(ws)
        keys = templates.attestation_keys(scope, self.comp.values if self.comp else None)
        try:
            attestations.confirm(ws, self.year.value(), scope, list(keys), self._attester(), keys)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
        self._load_letter()

    def edit_settings(self) -> None:
        if SettingsDialog(self.session.ws, self).exec():
            self._load_letter()

    def _show_filled(self) -> None:
        values = self.comp.values if self.comp else {}
        self.filled.setText(templates.fill(self.section_text.toPlainText(), values, self.letter_language))

    def _section_selected(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if self._current_key is not None:
            self._section_texts[self._current_key] = self.section_text.toPlainText()
        self._current_key = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.section_text.setPlainText(self._section_texts.get(self._current_key, "") if self._current_key else "")

    def _reset_section(self) -> None:
        if self._current_key:
            self.section_text.setPlainText(templates.default_text(self._current_key, self.letter_language))

    def _load_trusted(self) -> None:
        rows = trust.trusted(self.session.ws)
        self.trusted.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row["name"], row["added_at"][:10], row["sha256"])):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row["sha256"])
                self.trusted.setItem(r, c, item)

    def _ok(self, text: str) -> None:
        show_note(self.message, text)

    def _fail(self, exc: Exception) -> None:
        show_error(self.message, _message(exc))

    # ---- actions -------------------------------------------------------------------------------
    def save_allegation(self) -> bool:
        try:
            allegations.set_count(self.session.ws, self.year.value(), self.category.currentData(),
                                  self.status.currentData(), self.body.currentData(), self.count.value())
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing changed
            self._fail(exc)
            return False
        self._ok(_("Saved."))
        self.refresh()
        return True

    def import_allegations(self) -> None:
        """The year's counts from a CSV or XLSX file, through the shared import wizard (the year shown
        above); the page refreshes from the change events of the import's commit."""
        from desktop.letter import allegation_import
        from ui.import_wizard import choose_file, run_wizard

        steps = allegation_import.steps(self.year.value())
        path = choose_file(self, steps)
        if path:
            wizard = run_wizard(self, self.session, steps, path)
            if wizard.imported:
                self._ok(wizard.result_text)

    def remove_selected_allegation(self) -> None:
        row = self.alleg_table.currentRow()
        if row < 0:
            return
        if not confirm(self, _("Remove the allegation count"), _(
                "Remove this allegation count from the letter's figures? It is kept in the history and the "
                "audit log, but no longer counted."), _("Remove")):
            return
        allegations.delete_entry(self.session.ws, self.alleg_table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        self.refresh()

    # ---- drafts: edits survive a switch of year or language, the idle lock and closing -----------------
    DRAFT_FORM = "letter"

    def _draft_key(self) -> str | None:
        letter = self.letter
        if letter is None:
            return None
        return letter["id"] or f"new:{letter.get('year')}:{letter.get('language')}:{letter.get('scope', '')}"

    def unsaved_changes(self) -> dict | None:
        """The edits of the letter shown that are not saved (None: nothing unsaved)."""
        if self.letter is None or not self._section_texts:
            return None
        changes = self.pending_changes()
        saved = {k: self.letter.get(k) for k in changes}
        saved["sections"] = model.sections_of(self.letter)
        return None if changes == saved else changes

    def has_unsaved(self) -> bool:
        return self.unsaved_changes() is not None

    def save_unsaved(self) -> bool:
        return self.save()

    def keep_draft(self) -> bool:
        key, changes = self._draft_key(), self.unsaved_changes()
        if key is None or changes is None or not self.session.is_unlocked:
            return False
        drafts.keep(self.session.ws, self.DRAFT_FORM, key, changes)
        return True

    def _restore_draft(self, signed: bool) -> None:
        key = self._draft_key()
        kept = drafts.find(self.session.ws, self.DRAFT_FORM, key) if key is not None else None
        if kept is None:
            return
        for k, text in (kept.data.get("sections") or {}).items():
            if k in self._section_texts and isinstance(text, str):
                self._section_texts[k] = text
        self.period_start.setText(kept.data.get("period_start") or "")
        self.period_end.setText(kept.data.get("period_end") or "")
        note = _("Changes you had not saved ({time}) are shown again. Save to keep them.").format(
            time=format_datetime(kept.saved_at.astimezone(), style="short"))
        if signed:
            note += " " + _("Saving makes a new version; the signed version stays as it is.")
        self._ok(note)

    def pending_changes(self) -> dict:
        if self._current_key is not None:
            self._section_texts[self._current_key] = self.section_text.toPlainText()
        defaults = {k: templates.default_text(k, self.letter_language) for k in self._section_texts}
        sections = {k: v for k, v in self._section_texts.items() if v.strip() and v != defaults[k]}
        return {"period_start": self.period_start.text() or None, "period_end": self.period_end.text() or None,
                "sections": sections}

    def save(self) -> bool:
        assert self.letter is not None
        changes = self.pending_changes()
        current = {k: self.letter.get(k) for k in changes}
        current["sections"] = model.sections_of(self.letter)
        if changes == current and self.letter["id"] is not None:
            return True
        key = self._draft_key()
        try:
            self.letter = model.save_draft(self.session.ws, self.letter, changes)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return False
        if key is not None:
            drafts.discard(self.session.ws, self.DRAFT_FORM, key)
        self._ok(_("Saved as version {version}.").format(version=self.letter["version"]))
        self._load_letter()
        return True

    def _operation(self, title: str, work, done) -> bool:  # noqa: ANN001
        """Long work as an operation (ui/operations.py): the window keeps painting; errors are shown."""
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used

        def failed(exc: BaseException) -> None:
            self._fail(exc)   # type: ignore[arg-type]
            if isinstance(exc, service.NotReady):
                self._load_letter()
        return operations.runner(self.session).run(work, title=title, on_done=done, on_error=failed,
                                                   cancellable=False)

    def show_preview(self) -> bool:
        """The letter's pages inside the window (an operation: compose, render the PDF, rasterise)."""
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used
        from desktop.pdf.pages import render_pages

        if not self.save():
            return False
        from ui.letter.preview import render_dpi

        ws, letter, name, dpi = self.session.ws, self.letter, self._default_name(), render_dpi(self)

        def work(task: TaskState) -> tuple:
            data = service.preview(ws, letter)
            return data, render_pages(data, dpi)

        def done(result: tuple) -> None:
            from ui.letter.preview import PreviewWindow

            self.preview_window = PreviewWindow(result[0], result[1], name, self)
            self.preview_window.show()

        return self._operation(_("Writing the preview"), work, done)

    def preview_to(self, path: Path) -> bool:
        """Write the preview PDF (an operation; True when it started)."""
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used
        if not self.save():
            return False
        ws, letter = self.session.ws, self.letter
        return self._operation(_("Writing the preview"), lambda task: write_private(path, service.preview(ws, letter)),
                               lambda _r: self._ok(_("Preview written to {file}.").format(file=path)))

    def sign_to(self, path: Path, ident: identities.Identity) -> bool:
        """Sign and freeze the letter, then write the signed PDF (an operation; True when it started)."""
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used
        if not self.save():
            return False
        ws, letter = self.session.ws, self.letter

        def work(task: TaskState) -> dict:
            data, signed = service.sign(ws, letter, ident)
            write_private(path, data)
            return signed

        def done(signed: dict) -> None:
            self.letter = signed
            self._ok(_("Signed; the signed letter was written to {file}.").format(file=path))
            self._load_letter()

        return self._operation(_("Signing the letter"), work, done)

    def verify_file(self, path: Path) -> bool:
        """Check a PDF's signatures (an operation; the result in `last_verification`)."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            show_error(self.message, _("Cannot read {file}.").format(file=path))
            return False
        self.message.hide()
        return self.verify_file_data(data)

    def trust_last_signer(self) -> None:
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used
        if not self.last_verification or not self.last_verification.ok:
            return
        service.trust_signers(self.session.ws, self._last_pdf)
        self.verify_file_data(self._last_pdf)
        self._load_trusted()

    def verify_file_data(self, data: bytes) -> bool:
        from desktop.letter import service  # pyHanko and reportlab: loaded when first used
        ws = self.session.ws

        def done(result: VerificationResult) -> None:
            self.last_verification = result
            self._last_pdf = data
            self.verify_result.setPlainText("\n".join(service.describe(result)))
            self.trust_button.setEnabled(result.ok and not result.trusted)
            self._load_trusted()

        return self._operation(_("Checking the signatures"), lambda task: service.verify(ws, data), done)

    def remove_selected_trust(self) -> None:
        row = self.trusted.currentRow()
        if row >= 0 and confirm(self, _("Remove the trusted certificate"), _(
                "Stop trusting this certificate? Letters it signed will then be reported as signed by an "
                "unknown signer until it is added again.\n\n{name}").format(name=self.trusted.item(row, 0).text()),
                _("Remove")):
            trust.remove(self.session.ws, self.trusted.item(row, 0).data(Qt.ItemDataRole.UserRole))
            self._load_trusted()

    # ---- dialogs -------------------------------------------------------------------------------
    def _default_name(self, signed: bool = False) -> str:
        suffix = "" if signed else "-" + _("preview")
        return f"PSEA-letter-{self.year.value()}-{self.letter_language}{suffix}.pdf"

    def _ask_sign(self) -> None:
        from desktop.signing import identity as identities  # pyHanko: loaded when signing

        ws = self.session.ws
        existing = identities.workspace_identity(ws)
        values = self.comp.values if self.comp else {}
        dialog = SignDialog(existing is not None, values.get("name", ""), values.get("title", ""), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            if dialog.use_p12.isChecked():
                ident = identities.load_pkcs12(dialog.p12_path.text(), dialog.password.text())
            else:
                ident = existing or identities.create_workspace_identity(ws, dialog.name.text(), dialog.title.text())
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        finally:
            dialog.password.clear()
        path, _f = QFileDialog.getSaveFileName(self, _("Save the signed letter"), self._default_name(True),
                                               "PDF (*.pdf)")
        if path:
            self.sign_to(Path(path), ident)

    def _fill_signed_versions(self) -> None:
        """The signed versions of this year and language, newest first; and, for a draft that follows one,
        how many of its texts changed since that signature."""
        assert self.letter is not None
        signed = [v for v in model.versions(self.session.ws, self.year.value(), self.letter_language)
                  if v["status"] == model.SIGNED]
        self.signed_versions.clear()
        for v in signed:
            self.signed_versions.addItem(_("Version {version}, signed by {name} on {date}").format(
                version=number(v["version"]), name=v["signer"] or "—",
                date=format_date(dt.date.fromisoformat(v["signed_at"][:10])) if v["signed_at"] else "—"), v["id"])
        for widget in (self.signed_versions, self.show_signed, self.export_signed):
            widget.setEnabled(bool(signed))
        show_note(self.changed_since, "")
        if signed and self.letter["status"] != model.SIGNED:
            last = signed[0]
            sections, before = model.sections_of(self.letter), model.sections_of(last)
            changed = sum(1 for k in set(sections) | set(before) if sections.get(k) != before.get(k))
            changed += sum(1 for k in ("period_start", "period_end") if self.letter.get(k) != last.get(k))
            show_note(self.changed_since, ngettext(
                "Since version {version} was signed, {n} text changed in this draft.",
                "Since version {version} was signed, {n} texts changed in this draft.", changed).format(
                version=number(last["version"]), n=number(changed)) if changed else _(
                "This draft says the same as the signed version {version}.").format(version=number(last["version"])))

    def _selected_signed(self) -> str | None:
        return self.signed_versions.currentData() if self.signed_versions.count() else None

    def show_selected_signed(self) -> bool:
        """The selected signed version's pages in the window (as it was signed: the stored PDF)."""
        letter_id = self._selected_signed()
        if letter_id is None:
            return False
        from desktop.pdf.pages import render_pages
        from ui.letter.preview import render_dpi

        data = model.signed_pdf(self.session.ws, letter_id) or b""
        name, dpi = self._default_name(True), render_dpi(self)

        def done(pages: list) -> None:
            from ui.letter.preview import PreviewWindow

            self.preview_window = PreviewWindow(data, pages, name, self)
            self.preview_window.setWindowTitle(self.signed_versions.currentText())
            self.preview_window.show()

        return self._operation(_("Writing the preview"), lambda task: render_pages(data, dpi), done)

    def _ask_export_signed(self) -> None:
        letter_id = self._selected_signed()
        if letter_id is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, _("Save the signed letter"), self._default_name(True),
                                               "PDF (*.pdf)")
        if path:
            save_file(path, model.signed_pdf(self.session.ws, letter_id) or b"", self.message)

    def _ask_verify(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Verify a PDF"), "", "PDF (*.pdf)")
        if path:
            self.verify_file(Path(path))
