"""The management letter's text, statement by statement, as the real letter has it.

Source: the annex of ../shared/seeds/002 (UN-Habitat's year-end management letter for 2023) and our
section-by-section rendering of it, ../shared/letter-reference.md. English msgids here, the six
languages through the `letter` catalog area (Chinese follows the wording of the real letter and of
A/78/774: 规程, 上岗培训/复习培训, 结束有罪不罚现象).

Every statement is typed:
- *attestation*: the signer confirms it, item by item, before signing (attestations.py);
- *figure*: composed from the data, so it can never claim more than the data shows ("risk assessments
  covered 3 of 5 operations and programmes"); its figures are shown with their source and as-of date;
  a text edited by the user must keep the placeholders of its figures, or the letter cannot be signed;
- *text*: an introduction or a link between statements, claiming nothing.

A letter's `scope` is 'entity' (the entity's letter to the Secretary-General, composed at headquarters
from every office's data) or 'office' (an office's assurance to the head of entity, with the same
statements about the office): `{who}` names the entity or the office.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from i18n import N_, gettext_in
from i18n import fill as i18n_fill

ATTESTATION, FIGURE, TEXT = "attestation", "figure", "text"


@dataclass(frozen=True)
class Statement:
    key: str
    kind: str                          # ATTESTATION | FIGURE | TEXT
    text: str                          # English msgid with {placeholders}
    needs: tuple[str, ...] = ()        # placeholders an edited text must keep (its figures)
    scopes: tuple[str, ...] = ("entity", "office")
    optional: str = ""                 # shown only when this value is set (e.g. the entity's own mechanism)
# Footnote markers are placeholders {note1}…{note3} placed after the word they qualify, as in the real
# letter ("all allegations received¹", "staff and related personnel²", "civil society partners³"):
# never after a number or a full stop, where a superscript digit reads like a power or a decimal.


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    statements: tuple[Statement, ...]
    listed: bool = False               # the statements are the numbered items (i), (ii)…


SECTIONS: tuple[Section, ...] = (
    Section("legal_basis", N_("Reporting of allegations"), (
        Statement("reported_all", ATTESTATION, N_(
            "In accordance with section 4.6 of the Secretary-General's bulletin on special measures for protection "
            "from sexual exploitation and sexual abuse (ST/SGB/2003/13), and with decision {decision} of the "
            "{governing_body}, paragraph {paragraph}, adopted at its {session} ({symbol}), I, {name}, {title}, "
            "certify that {who_full} has reported to the Secretary-General all allegations of sexual exploitation "
            "and abuse brought to its attention, in accordance with the established rules and procedures for "
            "dealing with cases of misconduct, and has taken all appropriate measures to address them."),
            scopes=("entity",)),
        Statement("reported_all_office", ATTESTATION, N_(
            "In accordance with section 4.6 of the Secretary-General's bulletin on special measures for protection "
            "from sexual exploitation and sexual abuse (ST/SGB/2003/13), I, {name}, {title}, certify to the head of "
            "{entity} that {who} has reported all allegations of sexual exploitation and abuse brought to its "
            "attention in {year}, in accordance with the established rules and procedures for dealing with cases of "
            "misconduct, and has taken all appropriate measures to address them."), scopes=("office",)),
        Statement("allegations", FIGURE, "", needs=()),   # composed from the register (compose.allegation_text)
    )),
    Section("sg_priorities", N_("Certification against the Secretary-General's priorities"), (
        Statement("priorities_intro", TEXT, N_(
            "Further, in line with the priorities of the Secretary-General, I certify that {who} has:")),
        Statement("victims_first", ATTESTATION, N_(
            "placed the rights and dignity of victims at the centre of its work and, through active follow-up, "
            "addressed the needs of every reported victim by providing assistance and support, with their "
            "consent, in a manner consistent with the United Nations Comprehensive Strategy on Assistance and "
            "Support to Victims of Sexual Exploitation and Abuse by United Nations Staff and Related Personnel;")),
        Statement("ending_impunity", ATTESTATION, N_(
            "acted decisively to end impunity, ensuring accountability through the prompt reporting, the timely "
            "and victim-centred assessment and the investigation of all allegations received{note1}, and handling "
            "substantiated cases consistently under the Staff Regulations and Rules of the United Nations and the "
            "administrative issuances;")),
        Statement("focal_point", ATTESTATION, N_(
            "appointed a focal point for the prevention of sexual exploitation and abuse at its headquarters and "
            "actively raised the awareness of its staff and related personnel of the prohibition of sexual "
            "exploitation and abuse and of how to report allegations.")),
        # TRANSLATORS: this sentence and the next ("and were reminded…") are item (iii) of the letter, after
        # the sentence on the focal point; the next one continues this one.
        Statement("training", FIGURE, N_(
            "In {year}, {training_rate} of its staff and related personnel{note2} ({trained} of {population}) "
            "completed induction or refresher training on the prevention of sexual exploitation and abuse"),
            needs=("training_rate",)),
        # TRANSLATORS: continues the previous sentence ("…completed induction or refresher training on the
        # prevention of sexual exploitation and abuse"); its subject is the staff and related personnel.
        Statement("reminded", ATTESTATION, N_(
            "and were reminded of their personal obligation to report any such incident;")),
        Statement("outreach", ATTESTATION, N_(
            "engaged in active and continuous communication and outreach on the prevention of sexual exploitation "
            "and abuse, to raise the awareness of the communities it serves of the measures to prevent it and of "
            "effective ways to report allegations.")),
    ), listed=True),
    Section("engagement", N_("Engagement with Member States, civil society and partners"), (
        Statement("engagement", ATTESTATION, N_(
            "{who} engaged actively with Member States, civil society and other partners on the prevention of "
            "sexual exploitation and abuse, and used all appropriate means to ensure that people are effectively "
            "protected from it.")),
    )),
    Section("partnerships", N_("Funded partnerships"), (
        Statement("partnership_risks", ATTESTATION, N_(
            "When establishing funded partnerships, {who} strengthened its management of the risks of sexual "
            "exploitation and abuse.")),
        Statement("partner_capacity", FIGURE, N_(
            "The capacity of its civil society partners{note3} to prevent and respond to sexual exploitation and "
            "abuse is assessed. Implementing partners with a valid PSEA capacity assessment at the end of {year}: "
            "{partners_assessed} of {partners_total}; rated high risk: {partners_high_risk}."),
            needs=("partners_assessed", "partners_total")),
        Statement("capacity_strengthening", FIGURE, N_(
            "Partners that received capacity-strengthening support in {year}, according to the results of their "
            "assessments: {partners_strengthened}."), needs=("partners_strengthened",)),
    )),
    Section("action_plan", N_("Action plan and risk assessments"), (
        Statement("action_plan", ATTESTATION, N_(
            "{who} completed its annual action plan on measures to prevent and respond to sexual exploitation and "
            "abuse.")),
        Statement("risk_coverage", FIGURE, N_(
            "Risk assessments of sexual exploitation and abuse in {year} covered {subjects_assessed} of the "
            "{subjects_total} operations and programmes in its risk register (assessments: {risk_assessments}; "
            "follow-up visits: {follow_up_visits})."),
            needs=("subjects_assessed", "subjects_total")),
        Statement("risk_follow_up", FIGURE, N_(
            "Their results are acted upon and kept under review. At the end of {year}: high risks open: "
            "{high_risks_open}; mitigation measures open: {measures_open}, of which overdue: {measures_overdue}."),
            needs=("high_risks_open", "measures_open", "measures_overdue")),
    )),
    Section("zero_tolerance", N_("Zero tolerance"), (
        Statement("zero_tolerance", ATTESTATION, N_(
            "{who} is committed to zero tolerance of sexual exploitation and abuse and takes every allegation "
            "seriously and acts on it. It raises the awareness of its staff through internal communications and "
            "records the related cases, if any, in iReport, the tracking system for sexual exploitation and abuse: "
            "a secure central database designed by the United Nations Secretariat that holds information on "
            "allegations of sexual exploitation and abuse.")),
        Statement("own_mechanism", ATTESTATION, N_(
            "It also follows the reports received through its own reporting mechanism, {reporting_app}."),
            optional="reporting_app"),
        Statement("sanctions", ATTESTATION, N_(
            "In accordance with ST/SGB/2003/13 it imposes sanctions for non-compliance, with the support of its "
            "legal unit and in consultation with the Office of Legal Affairs, and refers cases to national "
            "authorities for criminal prosecution where the evidence supports the allegations.")),
    )),
    Section("implementing_partners", N_("Implementing partners"), (
        Statement("no_partnership", ATTESTATION, N_(
            "{who} does not enter into or maintain partnerships with implementing partners that fail to address "
            "sexual exploitation and abuse appropriately.")),
        Statement("sea_clauses", FIGURE, N_(
            "Under the standard conditions of contract of the United Nations, its cooperation agreements with "
            "implementing partners must contain clauses on sexual exploitation and abuse, obliging the partner to "
            "take all appropriate measures to prevent it by its employees or any other persons it engages. "
            "Agreements in force in {year} that contain these clauses: {agreements_with_clauses} of {agreements}."),
            needs=("agreements_with_clauses", "agreements")),
        Statement("partner_training", ATTESTATION, N_(
            "{who} also works to ensure that its implementing partners are trained on the prevention of sexual "
            "exploitation and abuse.")),
    )),
    Section("victims_rights", N_("Rights of victims"), (
        Statement("victims_statement", ATTESTATION, N_(
            "{who} shared the United Nations Victims' Rights Statement, entitled \u201cYour rights\u201d, with its staff "
            "and related personnel through internal communications, reminding them of the rights of victims and "
            "survivors of sexual exploitation and abuse committed by United Nations staff or related personnel. "
            "Victims and survivors have the right: (a) to seek assistance and support from {who}; (b) to seek "
            "justice and accountability by filing a complaint, which {who} has the responsibility to refer for "
            "investigation, with help to obtain legal support and accountability, including in national "
            "proceedings; (c) to decide how to take part in United Nations processes; (d) to be informed early of "
            "the processes and procedures for reporting; (e) to privacy; (f) to confidentiality in deciding what "
            "information is shared and with whom outside {who}; (g) to safety: no harassment, intimidation or "
            "retaliation against those who report is tolerated.")),
    )),
    Section("closing", N_("Certification"), (
        Statement("closing", ATTESTATION, N_(
            "I recognize that leadership, transparency and accountability are essential to eliminating sexual "
            "exploitation and abuse in the United Nations system, and I certify that I have discharged my "
            "responsibilities in this regard diligently, in good faith and to the best of my ability.")),
    )),
)


def statements(scope: str) -> list[Statement]:
    return [st for sec in SECTIONS for st in sec.statements if scope in st.scopes]


def statement(key: str) -> Statement:
    return next(st for sec in SECTIONS for st in sec.statements if st.key == key)


def attestation_keys(scope: str, values: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The items the signer must confirm for a letter of this scope (an optional statement only when
    its value is set)."""
    return tuple(st.key for st in statements(scope) if st.kind == ATTESTATION
                 and (not st.optional or (values or {}).get(st.optional)))


STATEMENT_KEYS = tuple(st.key for sec in SECTIONS for st in sec.statements)
SECTION_KEYS = tuple(sec.key for sec in SECTIONS)
EDITABLE_KEYS = tuple(st.key for sec in SECTIONS for st in sec.statements if st.text)

# The real letter's footnotes 1–3.
FOOTNOTES = (
    N_("All allegations brought to our attention were appropriately assessed, but not all of them were fully "
       "investigated."),
    N_("For the purposes of this letter, \u201cUnited Nations staff and related personnel\u201d includes United "
       "Nations staff, individual consultants and contractors, interns, United Nations Volunteers and related "
       "personnel."),
    N_("The 2018 Protocol requires implementing partners to be screened for their capacity to prevent and respond "
       "to sexual exploitation and abuse. At present this is done for civil society partners only, with the "
       "2020 harmonized PSEA capacity assessment tool; the assessment is to be extended to more partners."),
)

TITLE = N_("Year-end management letter on the prevention of sexual exploitation and abuse and the reporting of "
           "allegations")
TITLE_OFFICE = N_("Office assurance on the prevention of sexual exploitation and abuse and the reporting of "
                  "allegations")
PERIOD_LINE = N_("Period: {period}")
ADDRESSEE = N_("To: the Secretary-General of the United Nations")
ADDRESSEE_OFFICE = N_("To: the head of {entity}")
REFERENCE = N_("Reference: PSEA/{office}/{year}, version {version}")
DATE_LINE = N_("{place}, {date}")
FOOTNOTE_SOURCES = N_("Sources of the figures: {sources}.")
NOT_AVAILABLE = N_("not available")
SIGNED_BY = N_("Digitally signed by")
SIGNED_ON = N_("Signed on {date}")
NOT_SIGNED = N_("Not signed: preview")
SIGNATURE = N_("Signature")
PREVIEW_FOOTER = N_("Preview, not signed")
NOT_CONFIRMED = N_("not yet confirmed by the signer")
FALLBACK_NOTE = N_("Names in brackets have no version in this language yet.")
ANNEX = N_("Annex: assurances of the offices")
ANNEX_INTRO = N_("The statements of this letter rest on the data of every office of {entity} and on the assurances "
                 "their heads signed for {year}:")
ASSURANCE_STATES = {"signed": N_("signed"), "unsigned": N_("not signed"), "missing": N_("not received")}
ASSURANCE_COLUMNS = (N_("Office"), N_("Code"), N_("Assurance"), N_("Signed by"), N_("Signed on"))
TOTAL = N_("Total")
STATUS = N_("Status")

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)\}")
fill = i18n_fill   # {placeholders} filled with each language's rules (i18n.fill)


def placeholders_in(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def default_text(key: str, language: str) -> str:
    st = statement(key)
    return gettext_in(language, st.text) if st.text else ""


def heading(key: str, language: str) -> str:
    return gettext_in(language, next(s.heading for s in SECTIONS if s.key == key))


def section_of(key: str) -> str:
    return next(sec.key for sec in SECTIONS for st in sec.statements if st.key == key)


NOTE_MARKS = {"note1": "\u00b9", "note2": "\u00b2", "note3": "\u00b3"}

PLACEHOLDERS = ("who", "who_full", "entity", "office", "name", "title", "year", "decision", "governing_body",
                "paragraph", "session", "symbol", "reporting_app", "training_rate", "trained", "population",
                "partners_total", "partners_assessed", "partners_high_risk", "partners_strengthened",
                "subjects_assessed", "subjects_total", "risk_assessments", "follow_up_visits", "high_risks_open",
                "measures_open", "measures_overdue", "agreements_with_clauses", "agreements")
