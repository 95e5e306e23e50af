"""The assessment form (context, ratings, measures) and the follow-up visit form.

Made to be filled in during a visit: one screen, large spin boxes for likelihood and impact, the band
shown at once in its colour, measures next to the risks they mitigate. Nothing is written until Save;
a refused input shows a translated message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.risk import assessments, factors, followup, measures, model, ratings, scoring, usecases
from i18n import _
from i18n.formatting import datetime as format_datetime
from i18n.formatting import number
from ui import colours
from ui.widgets import (
    date_edit,
    fit_to_screen,
    message_label,
    pydate,
    qdate,
    scroll_holder,
    show_error,
    show_note,
    tab_order,
)


def _combo(options: dict[str, str], current: str | None) -> QComboBox:
    combo = QComboBox()
    for key, label in options.items():
        combo.addItem(_(label), key)
    index = combo.findData(current or "")
    combo.setCurrentIndex(max(index, 0))
    return combo


def _spin(value: int, low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setMinimumHeight(32)
    spin.setMinimumWidth(56)
    font = QFont(spin.font())
    font.setPointSize(font.pointSize() + 2)
    spin.setFont(font)
    return spin


def band_item(likelihood: int, impact: int) -> QTableWidgetItem:
    band = scoring.matrix().band(likelihood, impact)
    item = QTableWidgetItem(f"{number(likelihood * impact)} · {band.label()}")
    item.setBackground(QColor(band.colour))
    item.setForeground(QColor(band.ink))
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def _ro(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class AssessmentForm(QDialog):
    """New or existing assessment. `assessment_id` None: a new one (optionally `previous_id` to start
    from, which the caller has already created through assessments.start_from_previous, then opens here)."""

    R_USE, R_FACTOR, R_LIKELIHOOD, R_IMPACT, R_BAND = range(5)
    M_RISK, M_ACTION, M_OWNER, M_DUE, M_STATUS, M_EVIDENCE = range(6)

    def __init__(self, ws, assessment_id: str | None = None, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.assessment_id = assessment_id
        self.today = today or dt.date.today()
        self.setObjectName("risk-assessment-form")
        fit_to_screen(self, 1180, 820)
        record = assessments.get_assessment(ws, assessment_id) if assessment_id else {}
        m = scoring.matrix()

        # ---- context
        self.context_box = QGroupBox()
        form = QGridLayout(self.context_box)
        self.kind = _combo(model.SUBJECT_KINDS, record.get("subject_kind", "operation"))
        self.subject = QLineEdit(record.get("subject", ""))
        self.location = QLineEdit(record.get("location", ""))
        self.programme_kind = QLineEdit(record.get("programme_kind", ""))
        self.beneficiaries = QLineEdit(record.get("beneficiaries", ""))
        self.partners_present = QLineEdit(record.get("partners_present", ""))
        self.distributions = _combo(model.DISTRIBUTIONS, record.get("distributions", "none"))
        self.iasc_level = _combo(model.IASC_LEVELS, record.get("iasc_level", ""))
        # Empty for a new assessment: the assessor's name, not the computer's login name.
        self.assessed_by = QLineEdit(record.get("assessed_by", ""))
        self.assessed_on = date_edit(record.get("assessed_on") or self.today)
        self.period_start = date_edit(record.get("period_start") or dt.date(self.today.year, 1, 1))
        self.period_end = date_edit(record.get("period_end") or dt.date(self.today.year, 12, 31))
        self.notes = QLineEdit(record.get("notes", ""))
        self.labels: dict[str, QLabel] = {}
        cells = (("kind", self.kind), ("subject", self.subject), ("location", self.location),
                 ("programme_kind", self.programme_kind), ("beneficiaries", self.beneficiaries),
                 ("partners_present", self.partners_present), ("distributions", self.distributions),
                 ("iasc_level", self.iasc_level), ("assessed_by", self.assessed_by),
                 ("assessed_on", self.assessed_on), ("period_start", self.period_start),
                 ("period_end", self.period_end))
        for n, (key, widget) in enumerate(cells):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            row, col = divmod(n, 4)
            form.addWidget(label, row * 2, col)
            form.addWidget(widget, row * 2 + 1, col)
        self.labels["notes"] = QLabel()
        self.labels["notes"].setBuddy(self.notes)   # announced as "Notes" (it once took the box's title)
        form.addWidget(self.labels["notes"], 6, 0)
        form.addWidget(self.notes, 7, 0, 1, 4)
        form.setVerticalSpacing(2)

        # ---- ratings
        self.ratings_box = QGroupBox()
        self.ratings = QTableWidget(0, 5)
        self.ratings.verticalHeader().hide()
        self.ratings.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ratings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ratings.setWordWrap(True)
        header = self.ratings.horizontalHeader()
        header.setSectionResizeMode(self.R_FACTOR, QHeaderView.ResizeMode.Stretch)
        for col in (self.R_USE, self.R_LIKELIHOOD, self.R_IMPACT, self.R_BAND):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        QVBoxLayout(self.ratings_box).addWidget(self.ratings)
        self._rows: list[dict[str, Any]] = []  # per table row: factor code, rating id, widgets
        existing = {r.factor_code: r for r in ratings.rated_risks(ws, assessment_id)} if assessment_id else {}
        self._existing = existing
        shown = [(f.code, f.category, f.texts) for f in factors.library(ws)]
        shown_codes = {c for c, _cat, _t in shown}
        shown += [(r.factor_code, r.category, r.texts) for r in existing.values() if r.factor_code not in shown_codes]
        cat_order = {k: n for n, (k, _t) in enumerate(factors.categories())}
        shown.sort(key=lambda s: cat_order.get(s[1], 99))
        last_cat = None
        for code, category, texts in shown:
            if category != last_cat:
                row = self.ratings.rowCount()
                self.ratings.insertRow(row)
                item = _ro(factors.category_label(category))
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setBackground(colours.alternate())
                self.ratings.setItem(row, 0, item)
                self.ratings.setSpan(row, 0, 1, 5)
                self._rows.append({"category": category})
                last_cat = category
            rated = existing.get(code)
            row = self.ratings.rowCount()
            self.ratings.insertRow(row)
            use = QCheckBox()
            use.setChecked(rated is not None)
            # a rated factor keeps the texts its assessment copied, whatever the library says now
            text = model.pick_text(rated.texts if rated else texts)
            lk = _spin(rated.initial_likelihood if rated else 1, m.l_min, m.l_max)
            im = _spin(rated.initial_impact if rated else 1, m.i_min, m.i_max)
            holder = QWidget()
            QHBoxLayout(holder).addWidget(use, alignment=Qt.AlignmentFlag.AlignCenter)
            holder.layout().setContentsMargins(6, 0, 6, 0)
            self.ratings.setCellWidget(row, self.R_USE, holder)
            self.ratings.setItem(row, self.R_FACTOR, _ro(text))
            self.ratings.setCellWidget(row, self.R_LIKELIHOOD, lk)
            self.ratings.setCellWidget(row, self.R_IMPACT, im)
            info = {"code": code, "rating_id": rated.id if rated else None, "use": use, "lk": lk, "im": im,
                    "text": text, "row": row}
            self._rows.append(info)
            for w in (lk, im):
                w.valueChanged.connect(lambda _v, i=info: self._spin_changed(i))
            use.toggled.connect(lambda _v, i=info: self._rating_changed(i))
            self._rating_changed(info, initial=True)
        self.ratings.verticalHeader().setDefaultSectionSize(38)

        # ---- measures
        self.measures_box = QGroupBox()
        self.measures = QTableWidget(0, 6)
        self.measures.verticalHeader().hide()
        mh = self.measures.horizontalHeader()
        mh.setSectionResizeMode(self.M_ACTION, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(self.M_RISK, QHeaderView.ResizeMode.Interactive)
        self.measures.setColumnWidth(self.M_RISK, 220)
        self.add_measure_button = QPushButton()
        self.add_measure_button.clicked.connect(self.add_measure_for_selected)
        mbox = QVBoxLayout(self.measures_box)
        mbox.addWidget(self.measures)
        mbox.addWidget(self.add_measure_button, alignment=Qt.AlignmentFlag.AlignLeading)
        self._measure_rows: list[dict[str, Any]] = []
        for r in existing.values():
            for mm in r.measures:
                self._add_measure_row(r.factor_code, mm)

        self.error = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.ratings_box)
        split.addWidget(self.measures_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.context_box)
        body_layout.addWidget(split, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll_holder(body), 1)   # Save and Cancel stay in sight on a short screen
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        # Drafts (desktop/drafts.py): what the form holds unsaved is kept when the workspace locks or
        # closes, and put back the next time the same assessment (or a new one) is opened.
        self._loaded_state = self.draft_state()
        self._keeping = False
        self._restore_draft()

    # ---- drafts -----------------------------------------------------------------------------------
    DRAFT_FORM = "risk-assessment"

    def _draft_key(self) -> str:
        return self.assessment_id or "new"

    def draft_state(self) -> dict[str, Any]:
        context = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.context().items()}
        ratings = {i["code"]: [i["use"].isChecked(), i["lk"].value(), i["im"].value()] for i in self.factor_rows()}
        rows = [{"code": m["code"], "id": m["id"], "action": m["action"].text(), "owner": m["owner"].text(),
                 "due": pydate(m["due"].date()).isoformat(), "status": m["status"].currentData(),
                 "evidence": m["evidence"].text()} for m in self._measure_rows]
        return {"context": context, "ratings": ratings, "measures": rows}

    def has_changes(self) -> bool:
        return self.draft_state() != self._loaded_state

    def keep_draft(self) -> bool:
        """Keep the unsaved changes (the lock closes this dialog right after: nothing is discarded then)."""
        if not self.has_changes():
            return False
        drafts.keep(self.ws, self.DRAFT_FORM, self._draft_key(), self.draft_state())
        self._keeping = True
        return True

    def _restore_draft(self) -> None:
        kept = drafts.find(self.ws, self.DRAFT_FORM, self._draft_key())
        if kept is None:
            return
        data = kept.data
        context = data.get("context") or {}
        for key, edit in (("subject", self.subject), ("location", self.location),
                          ("programme_kind", self.programme_kind), ("beneficiaries", self.beneficiaries),
                          ("partners_present", self.partners_present), ("assessed_by", self.assessed_by),
                          ("notes", self.notes)):
            if isinstance(context.get(key), str):
                edit.setText(context[key])
        for key, combo in (("subject_kind", self.kind), ("distributions", self.distributions),
                           ("iasc_level", self.iasc_level)):
            index = combo.findData(context.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        for key, edit in (("assessed_on", self.assessed_on), ("period_start", self.period_start),
                          ("period_end", self.period_end)):
            if isinstance(context.get(key), str):
                edit.setDate(qdate(context[key]))
        for code, (use, likelihood, impact) in (data.get("ratings") or {}).items():
            if any(i["code"] == code for i in self.factor_rows()):
                info = self.row_for(code)
                info["use"].setChecked(bool(use))
                info["lk"].setValue(int(likelihood))
                info["im"].setValue(int(impact))
        by_id = {m["id"]: m for m in self._measure_rows if m["id"]}
        for row in data.get("measures") or []:
            entry = by_id.get(row.get("id")) if row.get("id") else None
            if entry is None:
                if not any(i["code"] == row.get("code") for i in self.factor_rows()):
                    continue
                entry = self._add_measure_row(row["code"], None)
            entry["action"].setText(str(row.get("action") or ""))
            entry["owner"].setText(str(row.get("owner") or ""))
            entry["evidence"].setText(str(row.get("evidence") or ""))
            if row.get("due"):
                entry["due"].setDate(qdate(row["due"]))
            index = entry["status"].findData(row.get("status"))
            if index >= 0:
                entry["status"].setCurrentIndex(index)
        show_note(self.error, _(
            "Changes you had not saved ({time}) were kept when the workspace was locked or closed, and are "
            "shown again here. Save to keep them.").format(
            time=format_datetime(kept.saved_at.astimezone(), style="short")))

    def reject(self) -> None:
        """Cancel: the user drops the changes, and with them any kept draft (not when the lock closes it)."""
        if not self._keeping:
            drafts.discard(self.ws, self.DRAFT_FORM, self._draft_key())
        super().reject()

    # ---- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Risk assessment") if self.assessment_id else _("New risk assessment"))
        names = {"kind": _("Kind"), "subject": _("Operation, programme or site"), "location": _("Location"),
                 "programme_kind": _("Kind of programme"), "beneficiaries": _("Beneficiaries"),
                 "partners_present": _("Partners present"), "distributions": _("Distributions"),
                 "iasc_level": _("IASC SEA Risk Overview level of the country"), "assessed_by": _("Assessed by"),
                 "assessed_on": _("Assessed on"), "period_start": _("Period from"), "period_end": _("Period to"),
                 "notes": _("Notes")}
        for key, label in self.labels.items():
            label.setText(names[key])
        self.context_box.setTitle(_("Context"))
        self.ratings_box.setTitle(_("Risk factors: tick the factors that apply and rate them"))
        self.measures_box.setTitle(_("Mitigation plan"))
        self.ratings.setHorizontalHeaderLabels([_("Applies"), _("Risk factor"), _("Likelihood"), _("Impact"),
                                                _("Score and band")])
        self.measures.setHorizontalHeaderLabels([_("Risk"), _("Action"), _("Owner"), _("Due"), _("Status"),
                                                 _("Evidence")])
        self.add_measure_button.setText(_("Add a measure for the selected risk"))
        for info in self._rows:
            if "code" in info:
                self._rating_changed(info, initial=True)

    # ---- ratings --------------------------------------------------------------------------------
    def _spin_changed(self, info: dict[str, Any]) -> None:
        if not info["use"].isChecked():
            info["use"].setChecked(True)  # rating a factor means it applies (-> _rating_changed)
        else:
            self._rating_changed(info)

    def _rating_changed(self, info: dict[str, Any], initial: bool = False) -> None:
        if info["use"].isChecked():
            self.ratings.setItem(info["row"], self.R_BAND, band_item(info["lk"].value(), info["im"].value()))
        else:
            self.ratings.setItem(info["row"], self.R_BAND, _ro("—"))

    def factor_rows(self) -> list[dict[str, Any]]:
        return [i for i in self._rows if "code" in i]

    def row_for(self, code: str) -> dict[str, Any]:
        return next(i for i in self.factor_rows() if i["code"] == code)

    def set_rating(self, code: str, likelihood: int, impact: int) -> None:
        """Tick and rate a factor (what a user does with the mouse; also used by tests)."""
        info = self.row_for(code)
        info["use"].setChecked(True)
        info["lk"].setValue(likelihood)
        info["im"].setValue(impact)

    # ---- measures -------------------------------------------------------------------------------
    def add_measure_for_selected(self) -> dict[str, Any] | None:
        row = self.ratings.currentRow()
        info = next((i for i in self.factor_rows() if i["row"] == row), None)
        if info is None:
            show_error(self.error, _("Select a risk factor first, then add a measure for it."))
            return None
        if not info["use"].isChecked():
            info["use"].setChecked(True)
        show_error(self.error, "")
        return self._add_measure_row(info["code"], None)

    def add_measure(self, code: str) -> dict[str, Any]:
        info = self.row_for(code)
        info["use"].setChecked(True)
        return self._add_measure_row(code, None)

    def _add_measure_row(self, code: str, measure: dict[str, Any] | None) -> dict[str, Any]:
        row = self.measures.rowCount()
        self.measures.insertRow(row)
        info = self.row_for(code) if any(i.get("code") == code for i in self._rows) else None
        self.measures.setItem(row, self.M_RISK, _ro(info["text"] if info else code))
        action = QLineEdit((measure or {}).get("action", ""))
        owner = QLineEdit((measure or {}).get("owner", ""))
        due = date_edit((measure or {}).get("due_on") or (self.today + dt.timedelta(days=30)))
        status = _combo(model.MEASURE_STATUSES, (measure or {}).get("status", "planned"))
        evidence = QLineEdit((measure or {}).get("evidence", ""))
        for col, w in ((self.M_ACTION, action), (self.M_OWNER, owner), (self.M_DUE, due), (self.M_STATUS, status),
                       (self.M_EVIDENCE, evidence)):
            self.measures.setCellWidget(row, col, w)
        # Tab goes through the row where it is seen: after the rows above it, before "Add a measure".
        before = self._measure_rows[-1]["evidence"] if self._measure_rows else self.measures
        tab_order([before, action, owner, due, status, evidence, self.add_measure_button])
        entry = {"code": code, "id": (measure or {}).get("id"), "action": action, "owner": owner, "due": due,
                 "status": status, "evidence": evidence, "rev": (measure or {}).get("rev")}
        if measure and measures.is_overdue(measure, self.today):
            item = self.measures.item(row, self.M_RISK)
            item.setForeground(colours.meaning("danger"))
            item.setToolTip(_("Overdue"))
        self._measure_rows.append(entry)
        return entry

    # ---- saving ---------------------------------------------------------------------------------
    def context(self) -> dict[str, Any]:
        return {"subject_kind": self.kind.currentData(), "subject": self.subject.text(),
                "location": self.location.text(), "programme_kind": self.programme_kind.text(),
                "beneficiaries": self.beneficiaries.text(), "partners_present": self.partners_present.text(),
                "distributions": self.distributions.currentData(), "iasc_level": self.iasc_level.currentData(),
                "assessed_by": self.assessed_by.text(), "assessed_on": pydate(self.assessed_on.date()),
                "period_start": pydate(self.period_start.date()), "period_end": pydate(self.period_end.date()),
                "notes": self.notes.text()}

    def save(self) -> bool:
        try:
            self._save()
        except model.RiskError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        drafts.discard(self.ws, self.DRAFT_FORM, "new")
        drafts.discard(self.ws, self.DRAFT_FORM, self._draft_key())
        self.accept()
        return True

    def _save(self) -> None:
        ratings = [usecases.Rating(i["code"], i["use"].isChecked(), i["lk"].value(), i["im"].value(),
                                   self._notes_of(i["code"]), i["rating_id"]) for i in self.factor_rows()]
        measures = [usecases.Measure(m["code"], m["action"].text(), m["owner"].text(), pydate(m["due"].date()),
                                     m["status"].currentData(), m["evidence"].text(), m["id"]) for m in self._measure_rows]
        self.assessment_id = usecases.save_assessment(self.ws, self.assessment_id,
                                                      usecases.AssessmentForm(self.context(), ratings, measures))
        for row, measure in zip(self._measure_rows, measures, strict=True):
            row["id"] = measure.id

    def _notes_of(self, code: str) -> str:
        r = self._existing.get(code)
        return r.notes if r else ""


class VisitDialog(QDialog):
    """A follow-up visit: date, who, findings, and a new rating for each factor that changed."""

    def __init__(self, ws, assessment_id: str, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.assessment_id = assessment_id
        self.visit_id: str | None = None
        self.setObjectName("risk-visit-form")
        fit_to_screen(self, 900, 640)
        today = today or dt.date.today()
        m = scoring.matrix()
        a = assessments.get_assessment(ws, assessment_id)
        self.subject = QLabel(a["subject"])
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.subject.font())
        font.setBold(True)
        font.setPointSize(font.pointSize() + 3)
        self.subject.setFont(font)
        self.visited_on = date_edit(today)
        self.visited_by = QLineEdit()   # who visited: typed, never the login name
        self.findings = QPlainTextEdit()
        self.findings.setMaximumHeight(110)
        self.form = QFormLayout()
        self.form_labels = [QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.form_labels, (self.visited_on, self.visited_by, self.findings), strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.table = QTableWidget(0, 5)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self._rows = []
        for r in ratings.rated_risks(ws, assessment_id, today):
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, _ro(r.text()))
            self.table.setItem(row, 1, band_item(r.likelihood, r.impact))
            lk, im = _spin(r.likelihood, m.l_min, m.l_max), _spin(r.impact, m.i_min, m.i_max)
            self.table.setCellWidget(row, 2, lk)
            self.table.setCellWidget(row, 3, im)
            self.table.setItem(row, 4, band_item(r.likelihood, r.impact))
            info = {"risk": r, "lk": lk, "im": im, "row": row}
            for w in (lk, im):
                w.valueChanged.connect(lambda _v, i=info: self.table.setItem(
                    i["row"], 4, band_item(i["lk"].value(), i["im"].value())))
            self._rows.append(info)
        self.table.verticalHeader().setDefaultSectionSize(38)
        self.error = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(self.form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Follow-up visit"))
        for label, text in zip(self.form_labels, (_("Visited on"), _("Visited by"), _("Findings")), strict=True):
            label.setText(text)
        self.table.setHorizontalHeaderLabels([_("Risk factor"), _("Before the visit"), _("Likelihood"), _("Impact"),
                                              _("After the visit")])

    def rerate(self, factor_code: str, likelihood: int, impact: int) -> None:
        info = next(i for i in self._rows if i["risk"].factor_code == factor_code)
        info["lk"].setValue(likelihood)
        info["im"].setValue(impact)

    def save(self) -> bool:
        rerates = {i["risk"].id: (i["lk"].value(), i["im"].value()) for i in self._rows
                   if (i["lk"].value(), i["im"].value()) != (i["risk"].likelihood, i["risk"].impact)}
        try:
            self.visit_id = followup.record_visit(self.ws, self.assessment_id, pydate(self.visited_on.date()),
                                                  self.visited_by.text(), self.findings.toPlainText(), rerates)
        except model.RiskError as exc:
            show_error(self.error, str(exc))
            return False
        self.accept()
        return True
