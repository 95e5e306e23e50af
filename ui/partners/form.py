"""The assessment form a focal point fills in during a visit: one block per standard (requirement,
rating, evidence ticked from the list, other evidence, notes, attached files), the result shown as
a capacity/risk pair as soon as every standard is rated, the five steps and the head of office's
sign-off for a high-risk result.

Ratings and ticks update the result at once (in memory); "Save" writes every changed standard in one
transaction, so a visit's work is never half-saved.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.partners import assessments as A
from desktop.partners import attachments as T
from desktop.partners import model, rulesets, usecases
from desktop.partners.model import PartnerError
from desktop.partners.scoring import result_from_band, score
from i18n import _, ngettext
from i18n.formatting import date as format_date
from i18n.formatting import datetime as format_datetime
from i18n.formatting import number
from ui import colours
from ui.access_keys import escaped, keyed_group
from ui.widgets import (
    WrapCheck,
    confirm,
    date_edit,
    heading,
    message_label,
    pydate,
    qdate,
    save_file,
    show_error,
    show_note,
    tab_order,
)

RISK_MEANINGS = {"high": "danger", "moderate": "warning", "low": "good"}   # ui/colours.py


def risk_colour(risk: str | None) -> str:
    """A result's colour: its meaning's on this palette, the palette's text when it has none."""
    meaning = RISK_MEANINGS.get(risk or "")
    return (colours.meaning(meaning) if meaning else colours.text()).name()


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class StandardBlock(QGroupBox):
    """One standard: requirement, rating, evidence, notes, attachments."""

    changed = Signal()
    save_requested = Signal(dict)     # an attachment record: save a copy of its bytes
    remove_requested = Signal(dict)   # an attachment record: remove it from the assessment

    def __init__(self, std: dict, rs: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keyed_group(self)   # one access key for the standard (its number), none for each option and tick
        self.std, self.rs = std, rs
        self.key = std["key"]
        self.dirty = False
        self.requirement = _plain(QLabel())
        self.rating_label = QLabel()
        self.ratings = QButtonGroup(self)
        self.ratings.setExclusive(True)
        rating_row = QHBoxLayout()
        rating_row.addWidget(self.rating_label)
        self.rating_buttons: dict[int, QRadioButton] = {}
        for item in rs["scale"]:
            button = QRadioButton()
            button.setObjectName(f"rating-{self.key}-{item['value']}")
            self.ratings.addButton(button, int(item["value"]))
            self.rating_buttons[int(item["value"])] = button
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        self.ratings.idClicked.connect(self._touched)

        self.evidence_label = QLabel()
        self.evidence: dict[str, QCheckBox] = {}
        # Each tick's words wrap (a QCheckBox's cannot: one long Russian or French item of evidence made the
        # whole form scroll sideways); `evidence` holds the boxes themselves.
        self.evidence_rows: dict[str, WrapCheck] = {}
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for n, key in enumerate(std.get("evidence", [])):
            row = WrapCheck()
            box = row.box
            box.setObjectName(f"evidence-{self.key}-{key}")
            box.toggled.connect(self._touched)
            self.evidence[key] = box
            self.evidence_rows[key] = row
            grid.addWidget(row, n // 2, n % 2)
        self.other = QLineEdit()
        self.other.setObjectName(f"other-{self.key}")
        self.other.textEdited.connect(self._touched)
        if "other" in self.evidence:
            self.evidence["other"].toggled.connect(self._other_toggled)
        self.notes_label = QLabel()
        self.notes = QPlainTextEdit()
        self.notes.setObjectName(f"notes-{self.key}")
        self.notes_label.setBuddy(self.notes)
        self.notes.setFixedHeight(54)
        self.notes.textChanged.connect(self._notes_changed)
        self.files = _plain(QLabel())
        self.attach_button = QPushButton()
        # Attached files: save a copy out (also for files merged in from an office) or remove one.
        self.files_button = QPushButton()
        self.files_menu = QMenu(self.files_button)
        self.files_button.setMenu(self.files_menu)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addWidget(self.files_button)
        files_row.addWidget(self.attach_button)
        self._read_only = False

        layout = QVBoxLayout(self)
        layout.addWidget(self.requirement)
        layout.addLayout(rating_row)
        layout.addWidget(self.evidence_label)
        layout.addLayout(grid)
        layout.addWidget(self.other)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addLayout(files_row)
        self._loading = False

    def _touched(self, *_args) -> None:
        if not self._loading:
            self.dirty = True
            self.changed.emit()

    def _notes_changed(self) -> None:
        self._touched()

    def _other_toggled(self, on: bool) -> None:
        self.other.setEnabled(on)

    def load(self, answer: dict, files: list[dict]) -> None:
        self._loading = True
        try:
            self.ratings.setExclusive(False)
            for button in self.rating_buttons.values():
                button.setChecked(False)
            self.ratings.setExclusive(True)
            if answer["rating"] is not None and answer["rating"] in self.rating_buttons:
                self.rating_buttons[answer["rating"]].setChecked(True)
            ticked = set(json.loads(answer["evidence"] or "[]"))
            for key, box in self.evidence.items():
                box.setChecked(key in ticked)
            self.other.setText(answer["other_evidence"])
            self.other.setEnabled("other" in ticked)
            self.notes.setPlainText(answer["notes"])
            self.set_files(files)
        finally:
            self._loading = False
        self.dirty = False

    def draft(self) -> dict:
        """What the user set here and has not saved (desktop/drafts.py)."""
        return {"rating": self.rating(), "evidence": self.ticked(), "other": self.other.text(),
                "notes": self.notes.toPlainText()}

    def apply_draft(self, draft: dict) -> None:
        """Put a kept draft back into the fields; the block is then unsaved (dirty) as it was."""
        answer = {"rating": draft.get("rating"), "evidence": json.dumps(list(draft.get("evidence") or [])),
                  "other_evidence": str(draft.get("other") or ""), "notes": str(draft.get("notes") or "")}
        self.load(answer, getattr(self, "_files", []))
        self.dirty = True

    def set_files(self, files: list[dict]) -> None:
        self._files = files
        self._retranslate_files()

    def _retranslate_files(self) -> None:
        files = getattr(self, "_files", [])
        if files:
            names = ", ".join(_("{name} ({size} KB)").format(name=f["filename"], size=number(max(1, round(f["size"] / 1024))))
                              for f in files)
            self.files.setText(_("Attached: {files}").format(files=names))
        else:
            self.files.setText(_("No file attached."))
        self.files_menu.clear()
        for f in files:
            self.files_menu.addAction(_("Save a copy of {name}…").format(name=escaped(f["filename"])),
                                      lambda f=f: self.save_requested.emit(f))
        if files and not self._read_only:
            self.files_menu.addSeparator()
            for f in files:
                self.files_menu.addAction(_("Remove {name}").format(name=escaped(f["filename"])),
                                          lambda f=f: self.remove_requested.emit(f))
        self.files_button.setEnabled(bool(files))

    def tab_stops(self) -> list[QWidget]:
        """The block's fields in the order they are seen."""
        return [*self.rating_buttons.values(), *self.evidence.values(), self.other, self.notes, self.files_button,
                self.attach_button]

    def rating(self) -> int | None:
        value = self.ratings.checkedId()
        return None if value == -1 else value

    def ticked(self) -> list[str]:
        return [key for key, box in self.evidence.items() if box.isChecked()]

    def set_read_only(self, read_only: bool) -> None:
        for w in (*self.rating_buttons.values(), *self.evidence.values(), *self.evidence_rows.values(),
                  self.attach_button):
            w.setEnabled(not read_only)
        self.other.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        self._read_only = read_only
        self._retranslate_files()

    def retranslate(self, index: int) -> None:
        self.setTitle(_("Standard {number}: {title}").format(number=number(index),
                                                             title=escaped(rulesets.text(self.std["title"]))))
        self.requirement.setText(rulesets.text(self.std["requirement"]))
        self.rating_label.setText(_("Rating:"))
        for value, button in self.rating_buttons.items():
            button.setText(rulesets.scale_label(self.rs, value))
        self.evidence_label.setText(_("Evidence seen:"))
        for key, row in self.evidence_rows.items():
            row.setText(rulesets.evidence_label(self.rs, key))
        self.other.setPlaceholderText(_("Describe the other evidence"))
        self.notes_label.setText(_("Notes"))
        self.attach_button.setText(_("Attach a file…"))
        self.files_button.setText(_("Attached files"))
        self._retranslate_files()


class StepRow(QWidget):
    def __init__(self, number_: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number_
        self.title = _plain(QLabel())
        self.when = date_edit()
        self.title.setBuddy(self.when)
        self.when.setDate(qdate(dt.date.today()))
        self.by = QLineEdit()
        self.by.setObjectName(f"step{number_}-by")
        self.record = QPushButton()
        self.record.setObjectName(f"step{number_}-record")
        self.done = _plain(QLabel())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.title, 3)
        row.addWidget(self.when)
        row.addWidget(self.by, 2)
        row.addWidget(self.record)
        row.addWidget(self.done, 3)


class AssessmentForm(QWidget):
    """Fill in one assessment. Emits `saved` after a successful write and `closed` when done."""

    saved = Signal()
    closed = Signal()

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.assessment_id: str | None = None
        self.record: dict | None = None
        self.rs: dict | None = None
        self.blocks: list[StandardBlock] = []

        self.title = heading(size_delta=4)
        self.subtitle = _plain(QLabel())
        self.unconfirmed = message_label()
        self.back_button = QPushButton()
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.report_button = QPushButton()
        self.report_button.setObjectName("report")
        self.report_button.clicked.connect(self.write_report)
        # Unsaved changes kept at a lock, a close or a crash, put back when the assessment is opened again.
        self._restored_at: dt.datetime | None = None
        self.restored = message_label()
        self.restored.setObjectName("draft-restored")
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("discard-draft")
        self.discard_button.clicked.connect(self.discard_draft)
        self.discard_button.hide()
        restored_row = QHBoxLayout()
        restored_row.addWidget(self.restored, 1)
        restored_row.addWidget(self.discard_button)
        # A crash keeps what was typed up to half a minute before it (the lock and closing keep it all).
        self._autosave = QTimer(self)
        self._autosave.setInterval(30_000)
        self._autosave.timeout.connect(self._keep_draft_quietly)
        self._autosave.start()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.report_button)
        top.addWidget(self.save_button)
        top.addWidget(self.back_button)

        self.special_label = QLabel()
        self.special = QComboBox()
        self.special.setObjectName("special-state")
        self.special_label.setBuddy(self.special)
        self.special.currentIndexChanged.connect(self._special_changed)
        special_row = QHBoxLayout()
        special_row.addWidget(self.special_label)
        special_row.addWidget(self.special, 1)
        # An assessment made by another agency: its result as that agency gave it.
        self.external_label = QLabel()
        self.external = QComboBox()
        self.external.setObjectName("external-result")
        self.external_label.setBuddy(self.external)
        self.external_button = QPushButton()
        self.external_button.setObjectName("external-record")
        self.external_button.clicked.connect(self.record_external)
        self.external_row = QWidget()
        ext = QHBoxLayout(self.external_row)
        ext.setContentsMargins(0, 0, 0, 0)
        ext.addWidget(self.external_label)
        ext.addWidget(self.external, 1)
        ext.addWidget(self.external_button)

        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setWordWrap(True)
        self.result.setStyleSheet("QLabel#result { font-size: 13pt; font-weight: bold; padding: 6px; }")
        self.error = message_label()
        self.error.setObjectName("error")

        self.standards_box = QWidget()
        self.standards_layout = QVBoxLayout(self.standards_box)
        self.standards_layout.setContentsMargins(0, 0, 0, 0)

        self.steps_box = keyed_group(QGroupBox())   # five rows alike: one access key for the steps
        steps_layout = QVBoxLayout(self.steps_box)
        self.steps = [StepRow(n) for n in range(1, 6)]
        for row in self.steps:
            row.record.clicked.connect(lambda _c=False, n=row.number: self.record_step(n))
            steps_layout.addWidget(row)

        self.signoff_box = QGroupBox()
        self.signoff_box.setObjectName("signoff")
        self.signoff_note = QPlainTextEdit()
        self.signoff_note.setObjectName("signoff-note")
        self.signoff_note.setFixedHeight(60)
        self.signoff_by = QLineEdit()
        self.signoff_by.setObjectName("signoff-by")
        self.signoff_button = QPushButton()
        self.signoff_button.setObjectName("signoff-record")
        self.signoff_button.clicked.connect(self.record_signoff)
        self.signoff_explain = _plain(QLabel())
        self.signoff_done = _plain(QLabel())
        s_layout = QVBoxLayout(self.signoff_box)
        s_layout.addWidget(self.signoff_explain)
        s_layout.addWidget(self.signoff_note)
        s_row = QHBoxLayout()
        s_row.addWidget(self.signoff_by, 1)
        s_row.addWidget(self.signoff_button)
        s_layout.addLayout(s_row)
        s_layout.addWidget(self.signoff_done)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(special_row)
        inner_layout.addWidget(self.external_row)
        inner_layout.addWidget(self.standards_box)
        inner_layout.addWidget(self.signoff_box)
        inner_layout.addWidget(self.steps_box)
        inner_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # not a tab stop: its fields are, and it follows them
        self.scroll.setWidget(inner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.unconfirmed)
        layout.addLayout(restored_row)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addWidget(self.scroll, 1)
        self.retranslate()

    # ---- loading ---------------------------------------------------------------------------------
    @property
    def ws(self):  # noqa: ANN201
        return self.session.ws

    def open(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        self.record = A.get(self.ws, assessment_id)
        self.rs = A.ruleset_of(self.record)
        self.partner = model.get_partner(self.ws, self.record["partner_id"]) or {"name": ""}
        for block in self.blocks:
            block.setParent(None)
            block.deleteLater()
        self.blocks = []
        for std in self.rs["standards"]:
            block = StandardBlock(std, self.rs)
            block.changed.connect(self._update_result)
            block.attach_button.clicked.connect(lambda _c=False, b=block: self._choose_file(b))
            block.save_requested.connect(self._save_attachment_clicked)
            block.remove_requested.connect(lambda f, b=block: self.remove_attachment(b, f))
            self.standards_layout.addWidget(block)
            self.blocks.append(block)
        # The blocks came last into the focus chain: Tab follows the form (the blocks, then the sign-off
        # and the steps below them).
        tab_order([self.special, self.external, self.external_button,
                   *(w for block in self.blocks for w in block.tab_stops()),
                   self.signoff_note, self.signoff_by, self.signoff_button,
                   *(w for row in self.steps for w in (row.when, row.by, row.record))])
        self.special.blockSignals(True)
        self.special.clear()
        self.special.addItem("", "")
        for item in self.rs.get("special_states", []):
            self.special.addItem("", item["key"])
        self.special.setCurrentIndex(max(0, self.special.findData(self.record["special_state"])))
        self.special.blockSignals(False)
        self.external.clear()
        for band in self.rs["bands"]:
            self.external.addItem("", band["key"])
        for item in self.rs.get("special_states", []):
            self.external.addItem("", item["key"])
        self.external.setCurrentIndex(max(0, self.external.findData(self.record["band"])))
        self.external_row.setVisible(bool(self.record["source_agency"]))
        self._load_answers()
        self._restore_draft()
        self.retranslate()
        self.scroll.verticalScrollBar().setValue(0)

    # ---- drafts: nothing typed is lost to the idle lock, a closed window or a crash ------------------
    DRAFT_FORM = "partner-assessment"

    def draft(self) -> dict | None:
        """The unsaved changes of the open assessment (None: nothing unsaved)."""
        if self.assessment_id is None or not self.is_dirty():
            return None
        return {"standards": {b.key: b.draft() for b in self.blocks if b.dirty},
                "special": (self.special.currentData() or "") if self._special_dirty else None}

    def keep_draft(self) -> bool:
        """Keep the unsaved changes in the workspace (at the lock, when closing, every half minute)."""
        state = self.draft()
        if state is None or self.assessment_id is None:
            return False
        drafts.keep(self.ws, self.DRAFT_FORM, self.assessment_id, state)
        return True

    def _restore_draft(self) -> None:
        kept = drafts.find(self.ws, self.DRAFT_FORM, self.assessment_id) if self.assessment_id else None
        self._restored_at = None
        if kept is None or self.record is None or self.record["step5_on"]:
            return
        by_key = {b.key: b for b in self.blocks}
        for key, state in (kept.data.get("standards") or {}).items():
            if key in by_key and isinstance(state, dict):
                by_key[key].apply_draft(state)
        special = kept.data.get("special")
        if special is not None:
            self.special.setCurrentIndex(max(0, self.special.findData(special)))
            self._special_dirty = True
        self._restored_at = kept.saved_at
        self._update_result()

    def _keep_draft_quietly(self) -> None:
        try:
            if self.isVisible() and self.session.is_unlocked:
                self.keep_draft()
        except Exception as exc:  # noqa: BLE001 - a failed autosave must not interrupt typing; the lock retries
            print(f"draft not kept: {type(exc).__name__}", file=sys.stderr)

    def discard_draft(self) -> None:
        """Forget the restored changes and show what is saved."""
        if self.assessment_id is not None:
            drafts.discard(self.ws, self.DRAFT_FORM, self.assessment_id)
            self._restored_at = None
            self._load_answers()
            self.retranslate()

    def _load_answers(self) -> None:
        answers = A.answers(self.ws, self.assessment_id)
        files = T.list_for(self.ws, self.assessment_id)
        for block in self.blocks:
            block.load(answers[block.key], [f for f in files if f["standard_key"] == block.key])
        self.record = A.get(self.ws, self.assessment_id)
        read_only = bool(self.record["step5_on"])
        for block in self.blocks:
            block.set_read_only(read_only)
        self.special.setEnabled(not read_only)
        self.external.setEnabled(not read_only)
        self.external_button.setEnabled(not read_only)
        self.save_button.setEnabled(not read_only)
        self._special_dirty = False
        self._load_steps()
        self._update_result()

    def _load_steps(self) -> None:
        rec = self.record
        for row in self.steps:
            on, by = rec[f"step{row.number}_on"], rec[f"step{row.number}_by"]
            done = bool(on)
            row.when.setEnabled(not done)
            row.by.setEnabled(not done)
            row.record.setEnabled(not done)
            row.by.setVisible(not done)
            row.when.setVisible(not done)
            row.record.setVisible(not done)
            row._done = (on, by)
        self.signoff_note.setPlainText(rec["signoff_note"])
        self.signoff_by.setText(rec["signoff_by"])
        final = bool(rec["step5_on"])
        self.signoff_note.setReadOnly(final)
        self.signoff_by.setReadOnly(final)
        self.signoff_button.setVisible(not final)

    # ---- result ------------------------------------------------------------------------------------
    def current_result(self):  # noqa: ANN201 - scoring.Result | None
        if self.rs is None:
            return None
        if self.record and self.record["source_agency"] and self.record["band"] and not self._any_rating():
            return A.result(self.record)
        ratings = {b.key: b.rating() for b in self.blocks}
        return score(self.rs, ratings, self.special.currentData() or "")

    def _any_rating(self) -> bool:
        return any(b.rating() is not None for b in self.blocks)

    def _special_changed(self) -> None:
        self._special_dirty = True
        self._update_result()

    def _update_result(self) -> None:
        if self.rs is None:
            return
        res = self.current_result()
        if res is None:
            answered = sum(1 for b in self.blocks if b.rating() is not None)
            total = len(self.blocks)
            self.result.setText(ngettext("Result: not yet, {answered} of {total} standard rated.",
                                         "Result: not yet, {answered} of {total} standards rated.", total)
                                .format(answered=number(answered), total=number(total)))
            colour = risk_colour(None)
        else:
            if res.score is not None:
                self.result.setText(_("Result: {rating}, total {score} of {maximum}").format(
                    rating=res.label(), score=number(res.score), maximum=number(self._maximum())))
            else:
                self.result.setText(_("Result: {rating}").format(rating=res.label()))
            colour = risk_colour(res.risk)
        self.result.setStyleSheet(f"QLabel#result {{ font-size: 13pt; font-weight: bold; padding: 6px; color: {colour}; }}")
        high = bool(res and res.high_risk)
        self.signoff_box.setVisible(high or bool(self.record and self.record["signoff_note"]))

    def _maximum(self) -> int:
        return max(int(s["value"]) for s in self.rs["scale"]) * len(self.rs["standards"])

    # ---- writing -----------------------------------------------------------------------------------
    def save(self) -> bool:
        """Write every changed standard and the special state together; on a refusal nothing is written."""
        if self.assessment_id is None:
            return True
        answers = [usecases.Answer(block.key, block.rating(), block.ticked(), block.other.text(),
                                   block.notes.toPlainText()) for block in self.blocks if block.dirty]
        try:
            usecases.save_answers(self.ws, self.assessment_id, answers,
                                  (self.special.currentData() or "") if self._special_dirty else None)
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        drafts.discard(self.ws, self.DRAFT_FORM, self.assessment_id)
        self._restored_at = None
        show_note(self.restored, "")
        self.discard_button.hide()
        self._load_answers()
        self.saved.emit()
        return True

    def is_dirty(self) -> bool:
        return any(b.dirty for b in self.blocks) or getattr(self, "_special_dirty", False)

    def back(self) -> None:
        if self.is_dirty() and not self.save():
            return
        self.closed.emit()

    def record_step(self, n: int) -> bool:
        if self.is_dirty() and not self.save():
            return False
        row = self.steps[n - 1]
        problem = A.step_problem(self.ws, self.assessment_id, n, pydate(row.when.date()), row.by.text())
        if problem is not None:
            show_error(self.error, problem)
            return False
        if n == len(self.steps) and not confirm(self, _("Record the final determination"), _(
                "Record the final determination? The assessment becomes read-only: its ratings, evidence and "
                "sign-off can no longer be changed (a new assessment can be started later)."),
                _("Record the determination")):
            return False
        try:
            A.record_step(self.ws, self.assessment_id, n, pydate(row.when.date()), row.by.text())
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        self._load_answers()
        self.retranslate()
        return True

    def record_signoff(self) -> bool:
        complete = self.signoff_note.toPlainText().strip() and self.signoff_by.text().strip()
        if complete and not confirm(self, _("Record the head of office's sign-off"), _(
                "Record the sign-off? It cannot be changed afterwards."), _("Record the sign-off")):
            return False
        try:
            A.sign_off(self.ws, self.assessment_id, self.signoff_note.toPlainText(), self.signoff_by.text(),
                       dt.date.today())
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        self.record = A.get(self.ws, self.assessment_id)
        self.retranslate()
        return True

    def record_external(self) -> bool:
        try:
            A.record_external_result(self.ws, self.assessment_id, self.external.currentData())
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        self._load_answers()
        return True

    def attach_path(self, block: StandardBlock, path: Path | str) -> bool:
        try:
            T.attach_file(self.ws, self.assessment_id, path, standard_key=block.key)
        except (PartnerError, OSError) as exc:
            show_error(self.error, str(exc) if isinstance(exc, PartnerError)
                       else _("The file could not be read: {name}").format(name=Path(path).name))
            return False
        show_error(self.error, "")
        block.set_files(T.list_for(self.ws, self.assessment_id, block.key))
        return True

    def _save_attachment_clicked(self, attachment: dict) -> None:
        # The name as a safe base name (storage/text.py): never a path a sender chose.
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), T.safe_name(attachment))
        if path:
            self.save_attachment(attachment, path)

    def save_attachment(self, attachment: dict, path: Path | str) -> bool:
        """Write the attached file's bytes (checked against their digest) to `path`, a file the user chose."""
        try:
            data = T.read(self.ws, attachment["id"])
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        return save_file(path, data, self.error)

    def remove_attachment(self, block: StandardBlock, attachment: dict) -> bool:
        answer = QMessageBox.question(self, _("Remove the file"), _(
            "Remove {name} from this assessment? Earlier versions keep it in the history.").format(
            name=attachment["filename"]))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        T.remove(self.ws, attachment["id"])
        block.set_files(T.list_for(self.ws, self.assessment_id, block.key))
        return True

    def _choose_file(self, block: StandardBlock) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Attach a file"))
        if path:
            self.attach_path(block, path)

    def write_report(self) -> None:
        from ui.partners.report import save_report

        if self.is_dirty() and not self.save():
            return
        save_report(self, self.ws, self.assessment_id)

    # ---- language ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.back_button.setText(_("Back to the list"))
        self.save_button.setText(_("Save"))
        self.report_button.setText(_("Report PDF…"))
        self.special_label.setText(_("Special state:"))
        self.steps_box.setTitle(_("Steps of the assessment"))
        self.signoff_box.setTitle(_("Sign-off by the head of office"))
        self.signoff_explain.setText(_("A high-risk result needs a note for the record approved by the head of "
                                       "office before the final determination."))
        self.signoff_note.setPlaceholderText(_("Note for the record"))
        self.signoff_by.setPlaceholderText(_("Head of office"))
        self.signoff_button.setText(_("Record the sign-off"))
        for n, row in enumerate(self.steps):
            row.title.setText(_("{number}. {step}").format(number=number(n + 1), step=_(A.STEPS[n])))
            row.by.setPlaceholderText(_("Done by"))
            row.record.setText(_("Record"))
            on, by = getattr(row, "_done", (None, ""))
            row.done.setText(_("Done on {date} by {name}").format(date=format_date(dt.date.fromisoformat(on)), name=by)
                             if on else "")
        if self.rs is None:
            return
        self.title.setText(_("Capacity assessment: {partner}").format(partner=self.partner["name"]))
        source = self.record["source_agency"]
        sub = rulesets.text(self.rs["title"])
        if source:
            sub = _("{ruleset}. Result recorded from another agency: {agency}").format(ruleset=sub, agency=source)
        self.subtitle.setText(sub)
        notes = []
        if self.record["step5_on"]:
            notes.append(_("The final determination is recorded: this assessment is read-only. Start a new "
                           "assessment to re-assess the partner."))
        if self.rs.get("unconfirmed"):
            notes.append(_("The bands of this rule set are not confirmed by an official source; "
                           "a coordinator can edit them."))
        show_note(self.unconfirmed, "\n".join(notes))
        if self._restored_at is not None:
            show_note(self.restored, _(
                "Changes you had not saved ({time}) were kept when the workspace was locked or closed, and are "
                "shown again here. Save to keep them.").format(
                time=format_datetime(self._restored_at.astimezone(), style="short")))
            self.discard_button.setText(_("Discard these changes"))
        else:
            show_note(self.restored, "")
        self.discard_button.setVisible(self._restored_at is not None)
        for n in range(self.special.count()):
            key = self.special.itemData(n)
            if not key:
                self.special.setItemText(n, _("None: rate every standard"))
            else:
                item = next(s for s in self.rs["special_states"] if s["key"] == key)
                self.special.setItemText(n, rulesets.text(item["label"]))
        self.external_label.setText(_("Result given by {agency}:").format(agency=escaped(source or "")))
        self.external_button.setText(_("Record this result"))
        for n in range(self.external.count()):
            res = result_from_band(self.rs, self.external.itemData(n))
            self.external.setItemText(n, res.label() if res else "")
        for n, block in enumerate(self.blocks, start=1):
            block.retranslate(n)
        rec = self.record
        self.signoff_done.setText(_("Signed off on {date} by {name}").format(
            date=format_date(dt.date.fromisoformat(rec["signoff_on"])), name=rec["signoff_by"])
            if rec["signoff_on"] else "")
        self._update_result()
