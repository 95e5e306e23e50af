"""Small dialogs of the partners page: a partner, a new assessment, an action point, a trigger."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.partners import assessments as A
from desktop.partners import model, rulesets, usecases
from desktop.partners.model import PartnerError
from i18n import N_, _
from ui.widgets import date_edit, message_label, pydate, qdate, show_error, tab_order


class _Dialog(QDialog):
    """A form with OK/Cancel; `apply()` writes and returns False (with a message shown) when refused."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.form = QFormLayout()
        self.error = message_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_record: dict | None = None
        self._tab_order_set = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """OK and Cancel came into the focus chain before the fields the subclass adds: Tab starts in the
        form and ends on the buttons, in the order they are seen (right to left in Arabic)."""
        if not self._tab_order_set:
            self._tab_order_set = True
            fields = [item.widget() for row in range(self.form.rowCount())
                      if (item := self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)) is not None
                      and item.widget() is not None]
            buttons = sorted(self.buttons.buttons(), key=lambda b: -b.x() if self.isRightToLeft() else b.x())
            tab_order([*fields, *buttons])
            if fields:
                fields[0].setFocus()
        super().showEvent(event)

    def _ok(self) -> None:
        try:
            self.result_record = self.apply()
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return
        self.accept()

    def apply(self) -> dict:
        raise NotImplementedError


class PartnerDialog(_Dialog):
    def __init__(self, session, partner: dict | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.partner = partner
        self.setWindowTitle(_("Implementing partner") if partner else _("New implementing partner"))
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.acronym = QLineEdit()
        self.ptype = QComboBox()
        for key, label in model.PARTNER_TYPES.items():
            self.ptype.addItem(_(label), key)
        self.country = QLineEdit()
        self.registration = QLineEdit()
        self.contact = QLineEdit()
        self.beneficiaries = QCheckBox(_("Has contact with beneficiaries"))
        self.beneficiaries.setChecked(True)
        self.form.addRow(_("Name"), self.name)
        self.form.addRow(_("Acronym"), self.acronym)
        self.form.addRow(_("Type"), self.ptype)
        self.form.addRow(_("Country"), self.country)
        self.form.addRow(_("Registration or Partner Portal id"), self.registration)
        self.form.addRow(_("Contact"), self.contact)
        self.form.addRow("", self.beneficiaries)
        if partner:
            self.name.setText(partner["name"])
            self.acronym.setText(partner["acronym"])
            self.ptype.setCurrentIndex(max(0, self.ptype.findData(partner["partner_type"])))
            self.country.setText(partner["country"])
            self.registration.setText(partner["registration_id"])
            self.contact.setText(partner["contact"])
            self.beneficiaries.setChecked(bool(partner["beneficiary_contact"]))

    def apply(self) -> dict:
        data = {"name": self.name.text(), "acronym": self.acronym.text(), "partner_type": self.ptype.currentData(),
                "country": self.country.text(), "registration_id": self.registration.text(),
                "contact": self.contact.text(), "beneficiary_contact": self.beneficiaries.isChecked()}
        ws = self.session.ws
        if self.partner:
            return model.update_partner(ws, self.partner["id"], data, expected_rev=self.partner["rev"])
        name = data.pop("name")
        return model.add_partner(ws, name, **data)


class NewAssessmentDialog(_Dialog):
    def __init__(self, session, partner: dict, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.partner = partner
        self.setWindowTitle(_("New capacity assessment: {partner}").format(partner=partner["name"]))
        self.ruleset = QComboBox()
        self.ruleset.setObjectName("ruleset")
        for key, rs in rulesets.available(session.ws).items():
            self.ruleset.addItem(rulesets.text(rs["title"]), key)
        self.previous = A.for_partner(session.ws, partner["id"])
        self.copy = QCheckBox(_("Start from the evidence of the previous assessment"))
        self.copy.setEnabled(bool(self.previous))
        self.copy.setChecked(bool(self.previous))
        self.agency = QLineEdit()
        self.agency.setObjectName("agency")
        self.agency.setPlaceholderText(_("Leave empty for an assessment by this office"))
        self.form.addRow(_("Rule set"), self.ruleset)
        self.form.addRow("", self.copy)
        self.form.addRow(_("Result from another agency"), self.agency)

    def apply(self) -> dict:
        copy_from = self.previous[0]["id"] if self.previous and self.copy.isChecked() else None
        return A.start(self.session.ws, self.partner["id"], self.ruleset.currentData(), copy_from=copy_from,
                       source_agency=self.agency.text())


class ActionDialog(_Dialog):
    def __init__(self, session, partner: dict, action: dict | None = None, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.partner, self.action = partner, action
        self.setWindowTitle(_("Action point: {partner}").format(partner=partner["name"]))
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setFixedHeight(70)
        self.owner = QLineEdit()
        self.due = date_edit()
        self.due.setDate(qdate(dt.date.today() + dt.timedelta(days=90)))
        self.priority = QComboBox()
        for key, label in model.PRIORITIES.items():
            self.priority.addItem(_(label), key)
        self.priority.setCurrentIndex(1)
        self.status = QComboBox()
        for key, label in model.ACTION_STATUSES.items():
            self.status.addItem(_(label), key)
        self.verified = QLineEdit()
        self.form.addRow(_("Description"), self.description)
        self.form.addRow(_("Owner"), self.owner)
        self.form.addRow(_("Due date"), self.due)
        self.form.addRow(_("Priority"), self.priority)
        self.form.addRow(_("Status"), self.status)
        self.form.addRow(_("Verified by"), self.verified)
        if action:
            self.description.setPlainText(action["description"])
            self.owner.setText(action["owner"])
            if action["due_on"]:
                self.due.setDate(qdate(dt.date.fromisoformat(action["due_on"])))
            self.priority.setCurrentIndex(max(0, self.priority.findData(action["priority"])))
            self.status.setCurrentIndex(max(0, self.status.findData(action["status"])))
            self.verified.setText(action["verified_by"])

    def apply(self) -> dict:
        ws = self.session.ws
        due = pydate(self.due.date())
        if self.action:
            return model.update_action(ws, self.action["id"], {
                "description": self.description.toPlainText(), "owner": self.owner.text(), "due_on": due,
                "priority": self.priority.currentData(), "status": self.status.currentData(),
                "verified_by": self.verified.text()}, expected_rev=self.action["rev"])
        return usecases.add_action(ws, self.partner["id"], self.description.toPlainText(), owner=self.owner.text(),
                                   due_on=due, priority=self.priority.currentData(),
                                   status=self.status.currentData(), verified_by=self.verified.text())


class TriggerDialog(_Dialog):
    def __init__(self, session, partner: dict, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.partner = partner
        self.setWindowTitle(_("Mark for re-assessment: {partner}").format(partner=partner["name"]))
        self.kind = QComboBox()
        for key, label in model.TRIGGERS.items():
            self.kind.addItem(_(label), key)
        self.when = date_edit()
        self.when.setDate(qdate(dt.date.today()))
        self.note = QLineEdit()
        self.form.addRow(_("Reason"), self.kind)
        self.form.addRow(_("Date"), self.when)
        self.form.addRow(_("Note"), self.note)

    def apply(self) -> dict:
        return model.add_trigger(self.session.ws, self.partner["id"], self.kind.currentData(),
                                 pydate(self.when.date()), self.note.text())


CLAUSE_CHOICES = ((None, N_("Not recorded")), (True, N_("Contains the SEA clauses")),
                  (False, N_("Without the SEA clauses")))


class AgreementsDialog(QDialog):
    """The partner's agreements (reference, title, dates, whether it contains the SEA clauses of the UN's
    standard conditions); adding one writes it at once; the clause column can be set per agreement (the
    management letter counts agreements with the clauses, and cannot be signed while one is unrecorded)."""

    def __init__(self, session, partner: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget

        self.session, self.partner = session, partner
        self.setWindowTitle(_("Agreements: {partner}").format(partner=partner["name"]))
        self.resize(640, 360)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([_("Reference"), _("Title"), _("Start"), _("End"), _("SEA clauses")])
        self.tree.itemDoubleClicked.connect(self._cycle_clause)
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setPlaceholderText(_("Reference"))
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("Title"))
        self.start = date_edit()
        self.start.setDate(qdate(dt.date.today()))
        self.end = date_edit()
        self.end.setDate(qdate(dt.date.today() + dt.timedelta(days=365)))
        self.start.setToolTip(_("Start"))     # named as the list's columns: no label beside them
        self.end.setToolTip(_("End"))
        self.clause = QComboBox()
        self.clause.setObjectName("sea-clause")
        for value, label in CLAUSE_CHOICES:
            self.clause.addItem(_(label), value)
        self.clause.setToolTip(_("Whether the agreement contains the clauses on sexual exploitation and abuse of the "
                                 "United Nations' standard conditions of contract"))
        self.add_button = QPushButton(_("Add the agreement"))
        self.add_button.clicked.connect(self.add)
        self.error = message_label()
        # Two lines, not one: the clause choices are long in Russian or French (a 1024-pixel screen).
        row = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.reference, 1)
        first.addWidget(self.title, 2)
        for w in (self.start, self.end):
            first.addWidget(w)
        second.addWidget(self.clause, 1)
        second.addWidget(self.add_button)
        row.addLayout(first)
        row.addLayout(second)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        from PySide6.QtWidgets import QTreeWidgetItem

        from i18n.formatting import date as format_date

        self.tree.clear()
        labels = dict(CLAUSE_CHOICES)
        for a in model.agreements(self.session.ws, self.partner["id"]):
            clause = None if a["sea_clause"] is None else bool(a["sea_clause"])
            item = QTreeWidgetItem([
                a["reference"], a["title"],
                format_date(dt.date.fromisoformat(a["start_on"])) if a["start_on"] else "",
                format_date(dt.date.fromisoformat(a["end_on"])) if a["end_on"] else "", _(labels[clause])])
            item.setData(0, Qt.ItemDataRole.UserRole, (a["id"], clause))
            item.setToolTip(4, _("Double-click to change"))
            self.tree.addTopLevelItem(item)

    def _cycle_clause(self, item, _column: int = 0) -> None:  # noqa: ANN001 - QTreeWidgetItem
        """Not recorded → yes → no → yes…: a double-click records what the agreement says."""
        agreement_id, clause = item.data(0, Qt.ItemDataRole.UserRole)
        self.set_clause(agreement_id, not clause if clause is not None else True)

    def set_clause(self, agreement_id: str, value: bool | None) -> None:
        model.set_sea_clause(self.session.ws, agreement_id, value)
        self.refresh()

    def add(self) -> bool:
        if not self.reference.text().strip():
            show_error(self.error, _("An agreement needs a reference."))
            return False
        try:
            model.add_agreement(self.session.ws, self.partner["id"], self.reference.text(), self.title.text(),
                                pydate(self.start.date()), pydate(self.end.date()), sea_clause=self.clause.currentData())
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return False
        show_error(self.error, "")
        self.reference.clear()
        self.title.clear()
        self.refresh()
        return True


class RuleSetDialog(QDialog):
    """A coordinator's editor for what is most often adapted: the bands, the validity and the expiry
    warning. Saving writes a new version; assessments already started keep theirs. Standards and their
    texts in six languages are edited as JSON (`psea-desk partners ruleset-export/-import`)."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox

        self.session = session
        self.setWindowTitle(_("Rule sets"))
        self.sets = rulesets.available(session.ws)
        self.choice = QComboBox()
        self.choice.setObjectName("ruleset")
        for key, rs in self.sets.items():
            self.choice.addItem(rulesets.text(rs["title"]), key)
        self.choice.currentIndexChanged.connect(self._load)
        self.version = QLabel()
        self.note = message_label()
        self.grid = QGridLayout()
        self.band_edits: list[tuple[QSpinBox, QSpinBox]] = []
        self.band_labels: list[QLabel] = []
        for _n in range(3):
            low, high = QSpinBox(), QSpinBox()
            for box in (low, high):
                box.setRange(0, 999)
            self.band_edits.append((low, high))
            self.band_labels.append(QLabel())
        self.grid.addWidget(QLabel(_("Band")), 0, 0)
        self.grid.addWidget(QLabel(_("Lowest total")), 0, 1)
        self.grid.addWidget(QLabel(_("Highest total")), 0, 2)
        for n, ((low, high), label) in enumerate(zip(self.band_edits, self.band_labels, strict=True), start=1):
            label.setBuddy(low)
            self.grid.addWidget(label, n, 0)
            self.grid.addWidget(low, n, 1)
            self.grid.addWidget(high, n, 2)
        self.validity = QSpinBox()
        self.validity.setRange(1, 20)
        self.warning = QSpinBox()
        self.warning.setRange(1, 20)
        form = QFormLayout()
        form.addRow(_("Rule set"), self.choice)
        form.addRow("", self.version)
        form.addRow(_("Validity (years)"), self.validity)
        form.addRow(_("Expiring from year"), self.warning)
        self.error = message_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(self.grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.saved: dict | None = None
        self._load()

    def _load(self) -> None:
        from desktop.partners.scoring import result_from_band
        from i18n.formatting import number
        from ui.widgets import show_note

        rs = self.sets[self.choice.currentData()]
        self.version.setText(_("Version {version}").format(version=number(rs["version"])))
        show_note(self.note, rulesets.text(rs.get("note") or "") if rs.get("unconfirmed") else "")
        for n, ((low, high), label) in enumerate(zip(self.band_edits, self.band_labels, strict=True)):
            visible = n < len(rs["bands"])
            for w in (low, high, label):
                w.setVisible(visible)
            if visible:
                band = rs["bands"][n]
                res = result_from_band(rs, band["key"])
                label.setText(res.label() if res else band["key"])
                low.setValue(int(band["min"]))
                high.setValue(int(band["max"]))
        self.validity.setValue(int(rs["validity_years"]))
        self.warning.setValue(int(rs["expiring_from_year"]))

    def edited(self) -> dict:
        import copy

        rs = copy.deepcopy(self.sets[self.choice.currentData()])
        for n, band in enumerate(rs["bands"][: len(self.band_edits)]):
            low, high = self.band_edits[n]
            band["min"], band["max"] = low.value(), high.value()
        rs["validity_years"] = self.validity.value()
        rs["expiring_from_year"] = self.warning.value()
        return rs

    def _save(self) -> None:
        try:
            self.saved = rulesets.save(self.session.ws, self.edited())
        except PartnerError as exc:
            show_error(self.error, str(exc))
            return
        self.accept()
