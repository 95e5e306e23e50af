"""The exchange page: export a bundle, import and merge many, review conflicts, see the import history,
the known senders with their key fingerprints, and the regional figures (table, CSV, PDF).

Everything here calls `desktop.exchange`; no SQL and no file format in this module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop import field_labels
from desktop.audit_labels import kind_label
from desktop.exchange import conflicts as review
from desktop.exchange import region, relay
from desktop.exchange.bundle import SUFFIX, check_passphrase
from desktop.exchange.errors import BundleError, SenderKeyChanged, WrongBundlePassphrase
from desktop.exchange.export import ExportResult, export_bundle, export_marks
from desktop.exchange.keys import (
    RecipientKey,
    identity,
    read_recipient_key_file,
    remember_recipient_key,
    remembered_recipient_key,
    write_recipient_key,
)
from desktop.exchange.merge import BundleResult, import_history, merge_bundles
from desktop.exchange.senders import known_senders
from desktop.letter import model as letter_model
from desktop.letter.figures import signed_letters
from desktop.private_files import write_private_text
from desktop.tasks import TaskState
from i18n import _, ngettext
from i18n.formatting import datetime as format_datetime
from i18n.formatting import number
from ui import colours, operations
from ui.access_keys import escaped
from ui.pages import InstrumentPage
from ui.widgets import (
    WrapCheck,
    heading,
    message_label,
    passphrase_edit,
    save_file,
    share_tab_width,
    show_error,
    show_note,
)


def _item(text: str, data: object = None, *, numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
    return item


def _when(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return format_datetime(dt.datetime.fromisoformat(iso).astimezone(), style="short")
    except ValueError:
        return iso


def _rev_when(rev: str | None) -> str:
    when = review.revision_time(rev) if rev else None
    return format_datetime(when.astimezone(), style="short") if when else "—"


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(font.pointSize() + 3)
    font.setBold(True)
    return font


def _status_text(r: BundleResult) -> str:
    if r.error is not None:
        return _("Refused")
    if r.status == "already-imported":
        return _("Already imported")
    return _("Merged")


def _steps_label() -> QLabel:
    """A few numbered sentences that explain a tab; plain text (no markup), wrapped."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class Page(InstrumentPage):
    key = "exchange"

    def __init__(self, session, parent: QWidget | None = None) -> None:  # noqa: ANN001 - desktop.session.Session
        super().__init__(session, parent)
        self._region_rows: list[region.OfficeFigures] | None = None
        self._relay_defaulted = False
        self._conflicts: list[review.Conflict] = []
        self.title = heading()
        # Six tabs: in Russian, or at a scale factor of 2, their titles are wider than the page; the longest
        # are shortened so that every tab stays in sight.
        self.tabs = share_tab_width(QTabWidget())

        # ---- export ----
        self.export_tab = QWidget()
        # What sending a bundle means, in the words of someone sending a file to their regional office.
        self.export_steps = _steps_label()
        self.own_key_label = QLabel()
        self.own_key = QLabel()
        self.own_key.setFont(_mono())
        self.own_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_key.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.own_key_hint = QLabel()
        self.own_key_hint.setWordWrap(True)
        self.own_key_hint.setWordWrap(True)
        self.incremental = WrapCheck()   # long options wrap (French, Russian) instead of widening the page
        self.with_files = WrapCheck()
        self.with_files.setChecked(True)
        # A coordinator passes its offices' bundles on to headquarters, each with the office's own signature.
        self.relay_box = WrapCheck()
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient_key_path = QLineEdit()
        self.recipient_key_path.setReadOnly(True)
        self.recipient_key_button = QPushButton()
        self.recipient_key_button.clicked.connect(self._choose_recipient_key)
        self.export_pass = passphrase_edit()
        self.export_pass2 = passphrase_edit()
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._export_clicked)
        self.write_key_button = QPushButton()
        self.write_key_button.clicked.connect(self._write_key_clicked)
        self.export_message = message_label()
        # A grid, not a QFormLayout: a form gives the wrapping options the height of their size hint (two or
        # three lines) instead of the height their words need at the width they get, leaving gaps between them.
        self.export_form = QGridLayout()
        self.export_form.setColumnStretch(1, 1)
        self.export_labels = [QLabel() for _ in range(4)]
        key_row = QHBoxLayout()
        key_row.addWidget(self.recipient_key_path, 1)
        key_row.addWidget(self.recipient_key_button)
        for label, field in zip(self.export_labels, (self.recipient, self.recipient_key_path, self.export_pass,
                                                      self.export_pass2), strict=True):
            label.setBuddy(field)
        for row, (label, field) in enumerate(((self.export_labels[0], self.recipient), (None, self.incremental),
                                              (None, self.with_files), (None, self.relay_box),
                                              (self.export_labels[1], key_row), (self.export_labels[2], self.export_pass),
                                              (self.export_labels[3], self.export_pass2))):
            if label is not None:
                self.export_form.addWidget(label, row, 0)
            if isinstance(field, QHBoxLayout):
                self.export_form.addLayout(field, row, 1)
            else:
                self.export_form.addWidget(field, row, 1)
        self.key_box = QGroupBox()
        kb = QVBoxLayout(self.key_box)
        kb.addWidget(self.own_key_label)
        kb.addWidget(self.own_key)
        kb.addWidget(self.own_key_hint)
        kb.addWidget(self.write_key_button, 0, Qt.AlignmentFlag.AlignLeading)
        ex = QVBoxLayout(self.export_tab)
        ex.addWidget(self.export_steps)
        ex.addWidget(self.key_box)
        ex.addLayout(self.export_form)
        ex.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeading)
        ex.addWidget(self.export_message)
        ex.addStretch(1)

        # ---- import ----
        self.import_tab = QWidget()
        self.import_steps = _steps_label()
        self.import_pass = passphrase_edit()
        self.import_pass_label = QLabel()
        self.import_pass_label.setBuddy(self.import_pass)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self._import_clicked)
        self.progress = QProgressBar()
        self.progress.hide()
        self.results = _table(9)
        self.import_message = message_label()
        row = QHBoxLayout()
        row.addWidget(self.import_pass_label)
        row.addWidget(self.import_pass, 1)
        row.addWidget(self.import_button)
        im = QVBoxLayout(self.import_tab)
        im.addWidget(self.import_steps)
        im.addLayout(row)
        im.addWidget(self.progress)
        im.addWidget(self.import_message)
        im.addWidget(self.results, 1)

        # ---- conflicts ----
        self.conflicts_tab = QWidget()
        self.conflict_list = _table(5)
        self.conflict_list.itemSelectionChanged.connect(self._show_conflict)
        self.compare = _table(3)
        self.compare.setWordWrap(True)
        self.compare_caption = QLabel()
        self.compare_caption.setWordWrap(True)
        self.compare_caption.setWordWrap(True)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        self.keep_button = QPushButton()
        self.keep_button.clicked.connect(self.keep_selected)
        self.conflict_message = message_label()
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.compare_caption)
        dl.addWidget(self.compare, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.keep_button)
        buttons.addStretch(1)
        dl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.conflict_list)
        split.addWidget(detail)
        cl = QVBoxLayout(self.conflicts_tab)
        cl.addWidget(self.conflict_message)
        cl.addWidget(split, 1)

        # ---- history, senders ----
        self.history_table = _table(8)
        self.senders_table = _table(5)
        self.senders_hint = QLabel()
        self.senders_hint.setWordWrap(True)
        self.senders_hint.setWordWrap(True)
        self.senders_tab = QWidget()
        sl = QVBoxLayout(self.senders_tab)
        sl.addWidget(self.senders_hint)
        sl.addWidget(self.senders_table, 1)

        # ---- regional view ----
        self.region_tab = QWidget()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _v: self.load_region())
        self.year_label = QLabel()
        self.year_label.setWordWrap(True)
        self.year_label.setBuddy(self.year)
        self.region_table = _table(len(region.COLUMNS))
        self.csv_button = QPushButton()
        self.csv_button.clicked.connect(self._csv_clicked)
        self.pdf_language = QComboBox()
        for lang in i18n.LANGUAGES:
            self.pdf_language.addItem(lang.native_name, lang.code)
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(self._pdf_clicked)
        self.region_message = message_label()
        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_language)
        top.addWidget(self.pdf_button)
        # Signed letters of every office (their PDFs come with the bundles): save one, or verify it here.
        self.letters_label = QLabel()
        self.letters_label.setWordWrap(True)
        self.letters_table = _table(6)
        self.letters_label.setBuddy(self.letters_table)
        self.letters_table.itemSelectionChanged.connect(self._letter_selected)
        self.save_letter_button = QPushButton()
        self.save_letter_button.clicked.connect(self._save_letter_clicked)
        self.verify_letter_button = QPushButton()
        self.verify_letter_button.clicked.connect(self.verify_selected_letter)
        letter_buttons = QHBoxLayout()
        letter_buttons.addWidget(self.letters_label, 1)   # the room goes to the words (a stretch broke them in two)
        letter_buttons.addWidget(self.verify_letter_button)
        letter_buttons.addWidget(self.save_letter_button)
        self.letters_message = message_label()
        rl = QVBoxLayout(self.region_tab)
        rl.addLayout(top)
        rl.addWidget(self.region_message)
        rl.addWidget(self.region_table, 3)
        self.region_notes = message_label()
        rl.addWidget(self.region_notes)
        rl.addLayout(letter_buttons)
        rl.addWidget(self.letters_message)
        rl.addWidget(self.letters_table, 2)

        for tab in (self.export_tab, self.import_tab, self.conflicts_tab, self.history_table, self.senders_tab,
                    self.region_tab):
            self.tabs.addTab(tab, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self._ready = False
        self.last_results: list[BundleResult] = []
        self.last_verification = None
        self.retranslate()
        self._ready = True
        # Data is loaded when the page is first shown (InstrumentPage): opening the window stays quick.

    @staticmethod
    def nav_title() -> str:
        return _("Exchange")

    # ---- texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Export bundles and regional merge"))
        for n, text in enumerate([_("Export"), _("Import and merge"), _("Conflicts"), _("Import history"),
                                  _("Known senders"), _("Regional view")]):
            self.tabs.setTabText(n, text)
        self.export_steps.setText("\n".join((
            _("To send this workspace's records to your regional office:"),
            _("1. Press “{button}”. PSEA Desk writes one file, encrypted and signed by this workspace. Send it "
              "any way you can: e-mail, a USB stick, a shared folder. Nobody can read it on the way, and any "
              "change to it would show.").format(button=_("Export bundle…")),
            _("2. Phone your coordinator and read out the fingerprint below. They see the same characters when "
              "they import the file: if they match, the file is yours and nothing in it was changed."),
            _("3. With your coordinator's recipient key (a small file they give you once), only their "
              "workspace can open the file and no passphrase is needed. Without it, choose a passphrase and "
              "tell it by phone, never in the message that carries the file."))))
        self.import_steps.setText("\n".join((
            _("To merge the files your offices sent:"),
            _("1. Type the passphrase most offices use, if any, then press “{button}” and choose all the files "
              "at once. A file that passphrase does not open asks for its own.").format(
                button=_("Choose bundles and merge…")),
            _("2. The first time an office sends a file, compare its fingerprint in the results with the one the "
              "office reads out on the phone. PSEA Desk remembers it and warns you if it ever changes."),
            _("3. Where an office and this workspace changed the same record, both versions are kept: the "
              "later one counts, and the Conflicts tab lets you bring the other back."))))
        self.key_box.setTitle(_("This workspace's signing key"))
        self.own_key_label.setText(_("Fingerprint:"))
        self.own_key_hint.setText(_("The coordinator sees this fingerprint when importing your bundle. "
                                    "Read it out by phone so they can check that the bundle comes from you."))
        self.write_key_button.setText(_("Save recipient key for offices…"))
        self.export_labels[0].setText(_("Recipient:"))
        self.incremental.setText(_("Only what changed since the last export to this recipient"))
        self.with_files.setText(_("Include attached files and signed letter PDFs"))
        self.relay_box.setText(_("Relay to headquarters: also carry every office's bundle merged here, with the "
                             "office's own signature"))
        self.export_labels[1].setText(_("Coordinator's recipient key:"))
        self.recipient_key_button.setText(_("Choose…"))
        self.recipient_key_path.setPlaceholderText(_("none: the bundle is protected by a passphrase"))
        self.export_labels[2].setText(_("Bundle passphrase (optional with a recipient key):"))
        self.export_labels[3].setText(_("Repeat the passphrase:"))
        self.export_button.setText(_("Export bundle…"))
        self.import_pass_label.setText(_("Bundle passphrase:"))
        self.import_button.setText(_("Choose bundles and merge…"))
        self.results.setHorizontalHeaderLabels([
            _("Bundle"), _("Office"), _("Result"), _("Inserted"), _("Updated"), _("Unchanged"), _("Conflicts"),
            _("Key fingerprint"), _("Message")])
        self.conflict_list.setHorizontalHeaderLabels([_("Found"), _("Office"), _("Kind"), _("Record name"),
                                                      _("Differs in")])
        self.compare.setHorizontalHeaderLabels([_("Field"), _("Current version"), _("Other version")])
        self.restore_button.setText(_("Restore the other version"))
        self.keep_button.setText(_("Keep the current version"))
        self.history_table.setHorizontalHeaderLabels([
            _("When"), _("Bundle"), _("Office"), _("Key fingerprint"), _("Inserted"), _("Updated"), _("Unchanged"),
            _("Conflicts")])
        self.senders_hint.setText(_("An office's key is trusted the first time one of its bundles is imported. "
                                    "If a later bundle is signed with another key, you are warned and asked to "
                                    "check the new fingerprint with the office by phone."))
        self.senders_table.setHorizontalHeaderLabels([_("Office"), _("Entity"), _("Key fingerprint"),
                                                      _("First seen"), _("Last seen")])
        self.year_label.setText(_("Year:"))
        self.csv_button.setText(_("Export CSV…"))
        self.pdf_button.setText(_("Regional report PDF…"))
        self.region_table.setHorizontalHeaderLabels([_(h) for _k, h in region.COLUMNS])
        self.letters_label.setText(_("Signed management letters"))
        self.letters_table.setHorizontalHeaderLabels([_("Office"), _("Language"), _("Version"), _("Signed by"),
                                                      _("Signed on"), _("Signed PDF")])
        self.verify_letter_button.setText(_("Verify signature"))
        self.save_letter_button.setText(_("Save signed PDF…"))
        self.pdf_language.setCurrentIndex(max(0, self.pdf_language.findData(i18n.current_language())))
        if self._ready:
            self.refresh()   # dates, numbers and counts in the new language

    # ---- data ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        ws = self.session.ws
        self.own_key.setText(identity(ws).fingerprint)
        known = remembered_recipient_key(ws)
        self.recipient_key_path.setText(_("{office} (fingerprint {fingerprint})").format(
            office=i18n.left_to_right(known.office), fingerprint=i18n.left_to_right(known.fingerprint)) if known else "")
        current = self.recipient.currentText()
        self.recipient.clear()
        self.recipient.addItems([m["recipient"] for m in export_marks(ws)])
        self.recipient.setEditText(current)
        self.relay_box.setVisible(ws.role != "office" or bool(relay.received(ws)))
        if ws.role == "region" and not self._relay_defaulted:
            self.relay_box.setChecked(True)
            self._relay_defaulted = True
        self._load_conflicts()
        self._load_history()
        self._load_senders()
        self._region_rows = None
        if self.tabs.currentWidget() is self.region_tab:
            self.load_region()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.region_tab and self._region_rows is None:
            self.load_region()

    def _load_history(self) -> None:
        rows = import_history(self.session.ws)
        self.history_table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            office = _("{office} (relayed by {via})").format(office=r["office"], via=r["via"]) if r["via"] else r["office"]
            cells = [_item(_when(r["at"])), _item(r["file_name"]), _item(office), _item(r["fingerprint"]),
                     _item(number(r["inserted"]), numeric=True), _item(number(r["updated"]), numeric=True),
                     _item(number(r["unchanged"]), numeric=True), _item(number(r["conflicts"]), numeric=True)]
            for c, item in enumerate(cells):
                self.history_table.setItem(n, c, item)
        self.history_table.resizeColumnsToContents()

    def _load_senders(self) -> None:
        senders = known_senders(self.session.ws)
        self.senders_table.setRowCount(len(senders))
        for n, s in enumerate(senders):
            fp = _item(s.fingerprint)
            fp.setFont(_mono())
            if s.previous:
                fp.setToolTip(_("Previous keys: {keys}").format(keys=", ".join(p["fingerprint"] for p in s.previous)))
            for c, item in enumerate([_item(s.office), _item(s.entity), fp, _item(_when(s.first_seen)),
                                      _item(_when(s.last_seen))]):
                self.senders_table.setItem(n, c, item)
        self.senders_table.resizeColumnsToContents()

    def _load_conflicts(self) -> None:
        self._conflicts = review.list_conflicts(self.session.ws)
        self.conflict_list.setRowCount(len(self._conflicts))
        for n, c in enumerate(self._conflicts):
            summary = next((str(c.winner.get(f)) for f in ("name", "code", "subject", "title")
                            if c.winner.get(f)), c.record_id[:8])
            cells = [_item(_when(c.at), c.seq), _item(c.winner.get("office", "")), _item(kind_label(c.kind)),
                     _item(summary), _item(", ".join(field_labels.field_label(f) for f in c.differing_fields))]
            for col, item in enumerate(cells):
                self.conflict_list.setItem(n, col, item)
        self.conflict_list.resizeColumnsToContents()
        count = len(self._conflicts)
        self.tabs.setTabText(2, _("Conflicts") + (f" ({number(count)})" if count else ""))
        if count:
            show_note(self.conflict_message, ngettext(
                "{n} conflict to review: the later version is current everywhere; the other one is kept and can be restored.",
                "{n} conflicts to review: the later version is current everywhere; the other one is kept and can be restored.",
                count).format(n=number(count)))
        else:
            show_note(self.conflict_message, _("No conflicts to review."))
        self.compare.setRowCount(0)
        self.compare_caption.clear()
        self.restore_button.setEnabled(False)
        self.keep_button.setEnabled(False)

    def select_conflict(self, row: int) -> None:
        self.conflict_list.setCurrentCell(row, 0)

    def selected_conflict(self) -> review.Conflict | None:
        rows = self.conflict_list.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.conflict_list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _show_conflict(self) -> None:
        c = self.selected_conflict()
        self.restore_button.setEnabled(c is not None and c.loser is not None)
        self.keep_button.setEnabled(c is not None)
        if c is None:
            return
        self.compare_caption.setText(_("Current version written {current}; other version written {other}.").format(
            current=_rev_when(c.winner.get("rev")), other=_rev_when((c.loser or {}).get("rev"))))
        # In the forms' words: field labels and coded values as the forms show them, and which version is
        # this workspace's own (its revision carries this workspace's id).
        ws = self.session.ws
        ours = _("This workspace's version")
        current = ours if review.written_here(ws, c.winner.get("rev")) else _("The office's version")
        other = ours if review.written_here(ws, (c.loser or {}).get("rev")) else _("The office's version")
        self.compare.setHorizontalHeaderLabels([_("Field"), _("{version} (current)").format(version=current), other])
        fields = [f for f in c.winner if not f.startswith("_") and f not in ("id", "rev", "base_rev")]
        self.compare.setRowCount(len(fields))
        bold = QFont(self.compare.font())
        bold.setBold(True)
        for n, f in enumerate(fields):
            a = field_labels.value_text(c.kind, f, c.winner.get(f))
            b = field_labels.value_text(c.kind, f, (c.loser or {}).get(f))
            cells = [_item(field_labels.field_label(f)), _item(a), _item(b)]
            for col, item in enumerate(cells):
                if f in c.differing_fields:
                    item.setFont(bold)
                self.compare.setItem(n, col, item)
        self.compare.resizeColumnsToContents()

    def restore_selected(self) -> bool:
        c = self.selected_conflict()
        if c is None or c.loser is None:
            return False
        review.restore_other(self.session.ws, c.seq)
        self.refresh()
        show_note(self.conflict_message, _("The other version is current again, as a new revision; "
                                           "the version it replaced is kept in history."))
        return True

    def keep_selected(self) -> bool:
        c = self.selected_conflict()
        if c is None:
            return False
        review.keep_winner(self.session.ws, c.seq)
        self._load_conflicts()
        return True

    # ---- export --------------------------------------------------------------------------------------
    def _choose_recipient_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Coordinator's recipient key"), "",
                                                    _("Recipient keys (*.key);;All files (*)"))
        if path:
            self.use_recipient_key_file(path)

    def use_recipient_key_file(self, path: str) -> bool:
        """Remember a coordinator's recipient key: this office's bundles are then encrypted to it."""
        try:
            office, key = read_recipient_key_file(Path(path))
        except BundleError as exc:
            show_error(self.export_message, str(exc))
            return False
        remember_recipient_key(self.session.ws, office, key)
        self.refresh()
        show_note(self.export_message, _("Bundles from this workspace are now encrypted to the recipient key of {office}: "
                                         "only that workspace can open them, and no passphrase needs to be shared.").format(
            office=i18n.left_to_right(office)))
        return True

    def _export_clicked(self) -> None:
        name = f"{self.session.ws.office or 'office'}-{dt.date.today().isoformat()}{SUFFIX}"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export bundle"), name,
                                                    _("PSEA Desk bundles (*{suffix})").format(suffix=SUFFIX))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> bool:
        passphrase, again = self.export_pass.text(), self.export_pass2.text()
        if passphrase != again:
            show_error(self.export_message, _("The two passphrases differ; nothing was exported."))
            return False
        recipient = self.recipient.currentText().strip() if self.incremental.isChecked() else None
        if self.incremental.isChecked() and not recipient:
            show_error(self.export_message, _("Name the recipient, so the next export can contain only what changed."))
            return False
        known = remembered_recipient_key(self.session.ws)
        key = known.key if known else None
        passphrase_or_none = passphrase if (passphrase or key is None) else None
        if key is None or passphrase:
            try:
                check_passphrase(passphrase)
            except BundleError as exc:
                show_error(self.export_message, str(exc))
                return False
        ws, files = self.session.ws, self.with_files.isChecked()
        relaying = not self.relay_box.isHidden() and self.relay_box.isChecked()

        def work(task: TaskState) -> object:
            task.report(None)
            if relaying:
                return relay.export_relay(ws, path, passphrase_or_none, recipient=recipient, recipient_key=key,
                                          include_files=files)
            return export_bundle(ws, path, passphrase_or_none, recipient=recipient, recipient_key=key,
                                 include_files=files)

        def done(result: object) -> None:
            self.export_pass.clear()
            self.export_pass2.clear()
            if relaying:
                self._relay_written(result, passphrase_or_none)   # type: ignore[arg-type]
            else:
                self._bundle_written(result, passphrase_or_none, known)   # type: ignore[arg-type]

        return operations.runner(self.session).run(
            work, title=_("Exporting the bundle"), on_done=done, cancellable=False,
            on_error=lambda exc: show_error(self.export_message, str(exc) if isinstance(exc, BundleError) else _(
                "The bundle could not be written: {reason}").format(reason=getattr(exc, "strerror", None) or exc)))

    def _bundle_written(self, result: ExportResult, passphrase_or_none: str | None, known: RecipientKey | None) -> None:
        text = ngettext("Bundle written with {n} record: {path}.", "Bundle written with {n} records: {path}.",
                        result.records).format(n=number(result.records), path=result.path)
        if result.files:
            text += "\n" + ngettext("It carries {n} file (attachments and signed letters).",
                                    "It carries {n} files (attachments and signed letters).",
                                    result.files).format(n=number(result.files))
        text += "\n" + self._how_to_open(passphrase_or_none, known, _(
            "Give the passphrase to the coordinator by another way than the bundle (phone, not the same e-mail)."))
        show_note(self.export_message, text)
        self.refresh()

    @staticmethod
    def _how_to_open(passphrase: str | None, known: RecipientKey | None, give_passphrase: str) -> str:
        if known is None:
            return give_passphrase
        text = _("Only the workspace of {office} can open it (its recipient key).").format(
            office=i18n.left_to_right(known.office))
        return text + ("\n" + give_passphrase if passphrase else "")

    def _relay_written(self, relayed: relay.RelayResult, passphrase: str | None = None) -> None:
        others = len(relayed.parts) - 1
        text = ngettext("Relay bundle written: {path}. It carries this workspace's records and {n} office bundle, "
                        "from {offices}.",
                        "Relay bundle written: {path}. It carries this workspace's records and {n} office bundles, "
                        "from {offices}.", others).format(path=relayed.path, n=number(others),
                                                         offices=", ".join(relayed.offices))
        text += "\n" + self._how_to_open(passphrase, remembered_recipient_key(self.session.ws), _(
            "Give the passphrase to headquarters by another way than the bundle (phone, not the same e-mail)."))
        show_note(self.export_message, text)
        self.refresh()

    def _write_key_clicked(self) -> None:
        name = f"{self.session.ws.office or 'regional'}.key"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save recipient key for offices"), name,
                                                    _("Recipient keys (*.key)"))
        if path:
            fp = write_recipient_key(self.session.ws, Path(path))
            show_note(self.export_message, _("Recipient key saved: {path}. Its fingerprint: {fingerprint}").format(
                path=i18n.left_to_right(path), fingerprint=i18n.left_to_right(fp)))

    # ---- import --------------------------------------------------------------------------------------
    def _import_clicked(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Choose bundles to merge"), "",
                                                      _("PSEA Desk bundles (*{suffix})").format(suffix=SUFFIX))
        if paths:
            self.merge_paths(paths, confirm=self._confirm_key_change, ask_passphrase=self._ask_bundle_passphrase)

    def _confirm_key_change(self, error: SenderKeyChanged) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, _("The office's key changed"), str(error),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(_("Accept the new key only if the office confirmed this fingerprint by phone."))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _ask_bundle_passphrase(self, result: BundleResult) -> str | None:
        text, ok = QInputDialog.getText(
            self, _("Passphrase of a bundle"),
            _("{file} does not open with the passphrase given. Each office may use its own passphrase: type "
              "the one the office gave you for this bundle (by phone, not with the bundle).").format(
                file=escaped(result.file_name)),   # the label names the field: "&" would be an access key
            QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def merge_paths(self, paths: list[str], passphrase: str | None = None, confirm=None,  # noqa: ANN001
                    ask_passphrase=None) -> bool:  # noqa: ANN001
        """Merge as an operation (ui/operations.py): progress, Cancel (nothing of the run stays), the
        results in the table and in `last_results`. `confirm(error) -> bool` is asked, afterwards,
        about each changed sender key; the accepted ones are merged in a second operation.
        `ask_passphrase(result) -> str | None` is asked, afterwards, for each bundle that did not open
        with the passphrase given (offices each choose their own): those merge in a further operation,
        each with its own passphrase."""
        passphrase = (self.import_pass.text() if passphrase is None else passphrase) or None
        ws = self.session.ws
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat(ngettext("{done} of {total} bundle", "{done} of {total} bundles", len(paths)).format(
            done=number(0), total=number(len(paths))))
        self.progress.show()

        def work(task: TaskState) -> list[BundleResult]:
            return merge_bundles(ws, paths, passphrase, task=task, atomic=True)

        asked: set[str] = set()   # each bundle's passphrase is asked once per merge

        def done(results: list[BundleResult]) -> None:
            locked = [r for r in results if isinstance(r.error, WrongBundlePassphrase) and str(r.path) not in asked]
            asked.update(str(r.path) for r in locked)
            own = {str(r.path): pw for r in locked if ask_passphrase is not None and (pw := ask_passphrase(r))}
            if own:
                def with_own(task: TaskState) -> list[BundleResult]:
                    out: list[BundleResult] = []
                    for path, pw in own.items():
                        out += merge_bundles(ws, [path], pw, task=task, atomic=True)
                    return out

                def replaced(second: list[BundleResult]) -> None:
                    by_path = {str(r.path): r for r in second}
                    done([by_path.get(str(r.path), r) if str(r.path) in own else r for r in results])

                self._run_merge(with_own, replaced, len(own))
                return
            changed = [r for r in results if isinstance(r.error, SenderKeyChanged)]
            accepted = {r.error.office for r in changed if confirm is not None and confirm(r.error)}
            if not accepted:
                self._merged(results)
                return

            def again(task: TaskState) -> list[BundleResult]:
                return merge_bundles(ws, [r.path for r in changed if r.error.office in accepted], passphrase,
                                     accept_new_keys=accepted, task=task, atomic=True)

            def combined(second: list[BundleResult]) -> None:
                by_source = {(r.path, r.office): r for r in second}
                self._merged([by_source.get((r.path, r.office), r) for r in results])

            self._run_merge(again, combined, len(accepted))

        return self._run_merge(work, done, len(paths))

    def _run_merge(self, work, done, count: int) -> bool:  # noqa: ANN001
        running = operations.runner(self.session)

        def progressed(fraction: float | None, _text: str) -> None:
            if fraction is not None:
                self.progress.setValue(int(fraction * 1000))
                self.progress.setFormat(ngettext("{done} of {total} bundle", "{done} of {total} bundles", count).format(
                    done=number(min(count, int(fraction * count + 1e-9))), total=number(count)))

        running.progressed.connect(progressed)

        def ended() -> None:
            running.progressed.disconnect(progressed)
            self.progress.hide()

        def cancelled() -> None:
            show_note(self.import_message, _("The merge was cancelled; the workspace is as it was before."))

        def failed(exc: BaseException) -> None:
            show_error(self.import_message, str(exc))

        started = running.run(work, title=_("Merging bundles"), on_done=done, on_error=failed, on_cancelled=cancelled)
        if started:
            running.when_idle(ended)
        else:
            running.progressed.disconnect(progressed)
        return started

    def _merged(self, results: list[BundleResult]) -> None:
        self.last_results = results
        self._show_results(results)
        self.refresh()

    def _show_results(self, results: list[BundleResult]) -> None:
        self.results.setRowCount(len(results))
        for n, r in enumerate(results):
            office = _("{office} (relayed by {via})").format(office=r.office, via=r.via) if r.via else r.office
            cells = [_item(r.file_name), _item(office), _item(_status_text(r)),
                     _item(number(r.inserted), numeric=True), _item(number(r.updated), numeric=True),
                     _item(number(r.unchanged), numeric=True), _item(number(r.conflicts), numeric=True),
                     _item(r.fingerprint), _item(str(r.error) if r.error else "")]
            if r.error is not None:
                cells[8].setToolTip(str(r.error))
                cells[2].setForeground(colours.meaning("danger"))
            for c, item in enumerate(cells):
                self.results.setItem(n, c, item)
        self.results.resizeColumnsToContents()
        merged = sum(1 for r in results if r.status == "merged")
        already = sum(1 for r in results if r.status == "already-imported")
        refused = sum(1 for r in results if r.error is not None)
        text = ngettext("{n} bundle merged.", "{n} bundles merged.", merged).format(n=number(merged))
        if already:
            text += " " + ngettext("{n} bundle was already imported; nothing changed.",
                                   "{n} bundles were already imported; nothing changed.", already).format(n=number(already))
        if refused:
            text += " " + ngettext("{n} bundle refused; nothing of it was imported.",
                                   "{n} bundles refused; nothing of them was imported.", refused).format(n=number(refused))
            show_error(self.import_message, text)
        else:
            show_note(self.import_message, text)
        self.import_pass.clear()

    # ---- regional view -------------------------------------------------------------------------------
    def load_region(self, then=None) -> bool:  # noqa: ANN001
        """Compute the regional table (an operation: every office's figures), then fill it; `then()` after."""
        running = operations.runner(self.session)
        if running.busy:
            running.when_idle(lambda: self.load_region(then))
            return False
        ws, year = self.session.ws, self.year.value()

        def done(rows: list) -> None:
            self._region_rows = rows
            self.region_message.hide()
            self._fill_region()
            self._fill_letters()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:   # an instrument's figures failing must not break the page
            self._region_rows = []
            show_error(self.region_message, _("The regional figures could not be computed: {reason}").format(reason=exc))

        return running.run(lambda task: region.regional_figures(ws, year),
                                                   title=_("Computing the regional figures"), on_done=done,
                                                   on_error=failed, cancellable=False)

    def _fill_letters(self) -> None:
        self._letters = signed_letters(self.session.ws, self.year.value())
        self.letters_table.setRowCount(len(self._letters))
        names = {lang.code: lang.native_name for lang in i18n.LANGUAGES}
        for n, letter in enumerate(self._letters):
            cells = [_item(letter["office"]), _item(names.get(letter["language"], letter["language"])),
                     _item(number(letter["version"]), numeric=True), _item(letter["signer"]),
                     _item(_when(letter["signed_at"])),
                     _item(_("here") if letter["has_pdf"] else _("not in this workspace"))]
            for c, item in enumerate(cells):
                self.letters_table.setItem(n, c, item)
        self.letters_table.resizeColumnsToContents()
        self.letters_message.hide()
        self._letter_selected()

    def selected_letter(self) -> dict | None:
        rows = self.letters_table.selectionModel().selectedRows()
        letters = getattr(self, "_letters", [])
        return letters[rows[0].row()] if rows and rows[0].row() < len(letters) else None

    def _letter_selected(self) -> None:
        letter = self.selected_letter()
        usable = letter is not None and letter["has_pdf"]
        self.save_letter_button.setEnabled(usable)
        self.verify_letter_button.setEnabled(usable)

    def _letter_pdf(self) -> bytes | None:
        letter = self.selected_letter()
        return letter_model.signed_pdf(self.session.ws, letter["id"]) if letter else None

    def _save_letter_clicked(self) -> None:
        letter = self.selected_letter()
        if letter is None:
            return
        name = f"management-letter-{letter['office']}-{self.year.value()}-{letter['language']}-v{letter['version']}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save signed PDF…"), name, _("PDF files (*.pdf)"))
        if path:
            self.save_selected_letter(path)

    def save_selected_letter(self, path: str) -> bool:
        data = self._letter_pdf()
        return bool(data) and save_file(path, data, self.letters_message)

    def verify_selected_letter(self) -> bool:
        """Check the signature of the selected letter's PDF as it is stored here (an operation; the
        result in `last_verification`)."""
        from desktop.letter import service as letter_service  # pyHanko: loaded when first needed

        data = self._letter_pdf()
        if not data:
            return False
        ws = self.session.ws

        def done(result) -> None:  # noqa: ANN001 - VerificationResult
            self.last_verification = result
            text = "\n".join(letter_service.describe(result))
            (show_note if result.ok else show_error)(self.letters_message, text)

        return self.run_operation(_("Checking the signatures"), lambda task: letter_service.verify(ws, data), done,
                                  errors=self.letters_message)

    def _fill_region(self) -> None:
        rows = self._region_rows or []
        self.region_table.setRowCount(len(rows))
        bold = QFont(self.region_table.font())
        bold.setBold(True)
        for n, fig in enumerate(rows):
            for c, (key, _h) in enumerate(region.COLUMNS):
                item = _item(region.cell(fig, key), numeric=key in region.NUMERIC_COLUMNS)
                if fig.office == region.REGION:
                    item.setFont(bold)
                if key == "ratings":
                    item.setToolTip(item.text())
                self.region_table.setItem(n, c, item)
        self.region_table.resizeColumnsToContents()
        show_error(self.region_notes, "\n".join(region.not_counted_notes(rows)))
        last = len(region.COLUMNS) - 1
        self.region_table.setColumnWidth(last, min(self.region_table.columnWidth(last), 360))

    def _csv_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export CSV"), "regional.csv", _("CSV files (*.csv)"))
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        if self._region_rows is None:
            self.load_region(lambda: self.export_csv(path))
            return
        write_private_text(path, region.to_csv(self._region_rows or []), encoding="utf-8-sig")
        show_note(self.region_message, _("Saved: {path}").format(path=path))

    def _pdf_clicked(self) -> None:
        code = self.pdf_language.currentData()
        path, _filter = QFileDialog.getSaveFileName(self, _("Regional report PDF"), f"regional-report-{code}.pdf",
                                                    _("PDF files (*.pdf)"))
        if path:
            self.report_pdf(path, code)

    def report_pdf(self, path: str, code: str) -> None:
        """The regional report PDF (an operation)."""
        if self._region_rows is None:
            self.load_region(lambda: self.report_pdf(path, code))
            return
        from desktop.exchange.region_report import regional_report  # reportlab: loaded when first used

        ws, year, rows = self.session.ws, self.year.value(), self._region_rows
        self.run_operation(_("Writing the regional report"),
                           lambda task: regional_report(ws, path, code, year=year, rows=rows), errors=self.region_message,
                           on_done=lambda _r: show_note(self.region_message, _("Saved: {path}").format(path=path)))
