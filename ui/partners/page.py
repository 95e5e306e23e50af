"""The partners page: implementing partners with their rating, validity, open and overdue action
points and review flags, filtered by rating; from here a focal point opens the assessment form and
the capacity-strengthening plan."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.partners import assessments as A
from desktop.partners import figures, model
from desktop.partners.labels import result_label_for_key
from i18n import N_, _, ngettext
from i18n.formatting import date as format_date
from i18n.formatting import number
from ui import colours as colours_
from ui.flow import FlowLayout
from ui.pages import InstrumentPage
from ui.partners.dialogs import (
    AgreementsDialog,
    NewAssessmentDialog,
    PartnerDialog,
    RuleSetDialog,
    TriggerDialog,
)
from ui.partners.form import AssessmentForm, risk_colour
from ui.partners.plan import PlanView
from ui.partners.table import Row, RowsView
from ui.widgets import heading, message_label, show_note

# Filter by rating: (key, label); "" = all, "none" = no valid rating.
RATING_FILTERS: tuple[tuple[str, str], ...] = (
    ("", N_("All ratings")),
    ("full", ""), ("medium", ""), ("low", ""),
    ("low_capacity_assumed", ""), ("no_contact", ""),
    ("none", N_("No valid assessment")),
)
VALIDITY_FILTERS: tuple[tuple[str, str], ...] = (
    ("", N_("Any validity")),
    ("expiring", N_("Expiring")),
    ("expired", N_("Expired")),
    ("review", N_("Marked for re-assessment")),
    ("overdue", N_("With overdue action points")),
)
COLUMNS = (N_("Partner name"), N_("Type"), N_("Country"), N_("Rating"), N_("Validity"),
           N_("Open action points"), N_("Overdue actions"), N_("Re-assessment"))


class Page(InstrumentPage):
    key = "partners"
    kinds = frozenset({"partner", "partner_agreement", "partner_ruleset", "partner_assessment", "partner_answer",
                       "partner_attachment", "partner_action", "partner_trigger", "office", "meta"})

    @staticmethod
    def nav_title() -> str:
        return _("Implementing partners")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.rows: list[figures.PartnerStatus] = []
        self.title = heading()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.rating_filter = QComboBox()
        self.rating_filter.setObjectName("rating-filter")
        for key, _label in RATING_FILTERS:
            self.rating_filter.addItem("", key)
        self.validity_filter = QComboBox()
        self.validity_filter.setObjectName("validity-filter")
        for key, _label in VALIDITY_FILTERS:
            self.validity_filter.addItem("", key)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        for w in (self.rating_filter, self.validity_filter):
            w.currentIndexChanged.connect(self._fill)
        self.search.textChanged.connect(self._fill)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.rating_filter, 1)
        filters.addWidget(self.validity_filter, 1)

        self.new_partner = QPushButton()
        self.new_partner.clicked.connect(self.add_partner)
        self.edit_partner = QPushButton()
        self.edit_partner.clicked.connect(self.change_partner)
        self.new_assessment = QPushButton()
        self.new_assessment.setObjectName("new-assessment")
        self.new_assessment.clicked.connect(self.start_assessment)
        self.open_assessment = QPushButton()
        self.open_assessment.setObjectName("open-assessment")
        self.open_assessment.clicked.connect(self.open_latest)
        self.trigger = QPushButton()
        self.trigger.clicked.connect(self.add_trigger)
        self.agreements = QPushButton()
        self.agreements.clicked.connect(self.show_agreements)
        self.rulesets_button = QPushButton()
        self.rulesets_button.clicked.connect(self.edit_rulesets)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import")
        self.import_button.clicked.connect(self.import_spreadsheet)
        buttons = FlowLayout()   # wraps in long languages instead of widening the page
        for b in (self.new_partner, self.edit_partner, self.agreements, self.new_assessment, self.open_assessment,
                  self.trigger, self.rulesets_button, self.import_button):
            buttons.addWidget(b)

        self.tree = RowsView(lambda: [_(c) for c in COLUMNS])
        self.tree.setObjectName("partners")
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # The name as wide as the names (the other columns fit their contents too; the last takes what is left):
        # stretched, it was what gave way, down to "Actio…" in Russian or at a scale factor of 2. No column wider
        # than some 34 letters, so that a long name or rating leaves the next in sight (the whole text is its tooltip).
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setMaximumSectionSize(self.tree.fontMetrics().averageCharWidth() * 34)
        self.tree.selectionModel().currentChanged.connect(self._selection_changed)
        self.tree.doubleClicked.connect(lambda *_a: self.open_latest())
        self.note = message_label()
        self.plan = PlanView(session)

        list_page = QWidget()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.note)
        top_layout.addWidget(self.tree)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.plan)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(20, 16, 20, 16)
        list_layout.addWidget(self.title)
        list_layout.addWidget(self.summary)
        list_layout.addWidget(splitter, 1)

        self.form = AssessmentForm(session)
        self.form.closed.connect(self.show_list)
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate()
        # Data is loaded when the page is first shown (InstrumentPage): opening the window stays quick.

    # ---- data --------------------------------------------------------------------------------------
    def _refresh_if_due(self) -> None:
        if self.stack.currentIndex() == 0:   # never under an open form: the list catches up when shown
            super()._refresh_if_due()

    def keep_draft(self) -> bool:
        return self.form.keep_draft()

    def has_unsaved(self) -> bool:
        return self.form.assessment_id is not None and self.form.is_dirty()

    def save_unsaved(self) -> bool:
        return self.form.save()

    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        self.rows = figures.statuses(self.session.ws, dt.date.today())
        self._fill()
        self._summarize()
        self.plan.show_partner(self._current_partner(), self._names())

    def _names(self) -> dict[str, str]:
        return {r.partner["id"]: r.partner["name"] for r in self.rows}

    def visible_rows(self) -> list[figures.PartnerStatus]:
        rating = self.rating_filter.currentData() or ""
        validity = self.validity_filter.currentData() or ""
        needle = self.search.text().strip().casefold()
        out = []
        for r in self.rows:
            valid = r.validity in ("valid", "expiring")
            if rating == "none" and valid:
                continue
            if rating and rating != "none" and not (valid and r.band == rating):
                continue
            if validity in ("expiring", "expired") and r.validity != validity:
                continue
            if validity == "review" and not r.needs_review:
                continue
            if validity == "overdue" and not r.actions_overdue:
                continue
            if needle and needle not in f"{r.partner['name']} {r.partner['acronym']}".casefold():
                continue
            out.append(r)
        return out

    def _fill(self) -> None:
        rows = []
        for r in self.visible_rows():
            rating = r.result.label() if r.result else ""
            if r.source_agency and rating:
                rating = i18n.fill(_("{rating}, by {agency}"), {"rating": rating, "agency": r.source_agency},
                                   i18n.current_language())   # "由 UNICEF 评估": Chinese spacing
            validity = _(A.VALIDITY_STATES[r.validity])
            if r.valid_until and r.validity in ("valid", "expiring", "expired"):
                validity = _("{state} (until {date})").format(state=validity, date=format_date(r.valid_until))
            if r.in_progress and r.validity != "in_progress":
                validity = _("{validity}; re-assessment in progress").format(validity=validity)
            colours: dict = {}
            if r.result:
                colours[3] = risk_colour(r.result.risk)
            if r.validity in ("expiring", "expired"):
                colours[4] = colours_.meaning("warning" if r.validity == "expiring" else "danger").name()
            if r.actions_overdue:
                colours[6] = colours_.meaning("danger").name()
            if r.needs_review:
                colours[7] = colours_.meaning("danger").name()
            texts = [r.partner["name"], _(model.PARTNER_TYPES.get(r.partner["partner_type"], "")), r.partner["country"],
                     rating, validity, number(r.actions_open), number(r.actions_overdue),
                     _("Marked for review") if r.needs_review else ""]
            risk_order = {"high": 0, "moderate": 1, "low": 2}.get(r.risk, 3)
            until = r.valid_until.isoformat() if r.valid_until else "9999"
            sort = [r.partner["name"].casefold(), texts[1].casefold(), r.partner["country"], risk_order, until,
                    r.actions_open, r.actions_overdue, int(r.needs_review)]
            rows.append(Row(r.partner["id"], texts, colours, sort))
        self.tree.set_rows(rows)
        self._enable()

    def _summarize(self) -> None:
        total = len(self.rows)
        valid = sum(1 for r in self.rows if r.validity in ("valid", "expiring"))
        overdue = sum(1 for r in self.rows if r.actions_overdue)
        review = sum(1 for r in self.rows if r.needs_review)
        # Counted with plurals ("1 partner", not "1 partners"): the total decides the noun's form.
        self.summary.setText(ngettext(
            "{total} partner; {valid} with a valid capacity assessment; {overdue} with overdue action points; "
            "{review} marked for re-assessment.",
            "{total} partners; {valid} with a valid capacity assessment; {overdue} with overdue action points; "
            "{review} marked for re-assessment.", total).format(
            total=number(total), valid=number(valid), overdue=number(overdue), review=number(review)))

    def _current_partner(self) -> dict | None:
        pid = self.tree.current_id() if hasattr(self, "tree") else None
        if pid is None:
            return None
        return next((r.partner for r in self.rows if r.partner["id"] == pid), None)

    def select_partner(self, partner_id: str) -> None:
        self.tree.select_id(partner_id)

    def _selection_changed(self, *_args) -> None:
        self._enable()
        self.plan.show_partner(self._current_partner(), self._names())

    def _enable(self) -> None:
        has = self.tree.current_id() is not None
        for b in (self.edit_partner, self.agreements, self.new_assessment, self.trigger):
            b.setEnabled(has)
        partner = self._current_partner()
        self.open_assessment.setEnabled(bool(partner and A.for_partner(self.session.ws, partner["id"])))

    # ---- actions ----------------------------------------------------------------------------------------
    def add_partner(self) -> None:
        dialog = PartnerDialog(self.session, parent=self)
        if dialog.exec():
            self.refresh()
            self.select_partner(dialog.result_record["id"])

    def change_partner(self) -> None:
        partner = self._current_partner()
        if partner and PartnerDialog(self.session, model.get_partner(self.session.ws, partner["id"]), self).exec():
            self.refresh()

    def edit_rulesets(self) -> None:
        RuleSetDialog(self.session, self).exec()

    def import_spreadsheet(self) -> None:
        """Partners and their agreements from a CSV or XLSX file, through the shared import wizard; the
        page refreshes from the change events of the import's commit."""
        from desktop.partners import importing
        from ui.import_wizard import choose_file, run_wizard

        path = choose_file(self, importing.STEPS)
        if path:
            wizard = run_wizard(self, self.session, importing.STEPS, path)
            if wizard.imported:
                show_note(self.note, wizard.result_text)

    def show_agreements(self) -> None:
        partner = self._current_partner()
        if partner:
            AgreementsDialog(self.session, partner, self).exec()

    def add_trigger(self) -> None:
        partner = self._current_partner()
        if partner and TriggerDialog(self.session, partner, self).exec():
            self.refresh()

    def start_assessment(self) -> None:
        partner = self._current_partner()
        if partner is None:
            return
        dialog = NewAssessmentDialog(self.session, partner, self)
        if dialog.exec():
            self.open_form(dialog.result_record["id"])

    def open_latest(self) -> None:
        partner = self._current_partner()
        if partner is None:
            return
        found = A.for_partner(self.session.ws, partner["id"])
        if not found:
            show_note(self.note, _("This partner has no assessment yet: start one."))
            return
        self.open_form(found[0]["id"])

    def open_form(self, assessment_id: str) -> None:
        show_note(self.note, "")
        self.form.open(assessment_id)
        self.stack.setCurrentWidget(self.form)

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self._stale = False
        self.refresh()

    # ---- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Implementing partners: PSEA capacity assessments"))
        self.search.setPlaceholderText(_("Search by name or acronym"))
        for n, (key, label) in enumerate(RATING_FILTERS):
            self.rating_filter.setItemText(n, _(label) if label else result_label_for_key(key))
        for n, (_key, label) in enumerate(VALIDITY_FILTERS):
            self.validity_filter.setItemText(n, _(label))
        self.new_partner.setText(_("New partner…"))
        self.edit_partner.setText(_("Edit partner…"))
        self.new_assessment.setText(_("New capacity assessment…"))
        self.open_assessment.setText(_("Open assessment"))
        self.trigger.setText(_("Mark for re-assessment…"))
        self.agreements.setText(_("Agreements…"))
        self.rulesets_button.setText(_("Rule sets…"))
        self.import_button.setText(_("Import from a spreadsheet…"))
        self.tree.rows_model.retranslate()
        self.plan.retranslate()
        self.form.retranslate()
        if self.session.is_unlocked:
            self._fill()
            self._summarize()
