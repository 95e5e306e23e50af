"""Template text of the management letter (domain.md §4), in English here and in the six
languages through the `letter` catalog area. Each section's text can be replaced per letter; the
`{placeholders}` in it are filled with the figures when the letter is composed (unknown ones are left
as typed, so a brace in user text is harmless).

The structure follows the UN-Habitat letter for 2023: legal basis and certification with the year's
allegations; certification against the Secretary-General's priorities (a checklist); engagement;
implementing partners; action plan and risk assessments; zero tolerance and reporting; victims'
rights; closing certification; footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from i18n import N_, gettext_in


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str


SECTIONS: tuple[Section, ...] = (
    Section("legal_basis", N_("Reporting of allegations"), N_(
        "In accordance with section 4.6 of the Secretary-General's bulletin on special measures for protection "
        "from sexual exploitation and sexual abuse (ST/SGB/2003/13) and the decisions of the governing bodies "
        "of {entity}, I, {name}, {title}, certify that all credible allegations of sexual exploitation and "
        "abuse received by {entity} in {year} were fully and accurately reported to the Secretary-General "
        "and acted upon.")),
    Section("sg_priorities", N_("Certification against the Secretary-General's priorities"), N_(
        "I further certify that in {year} {entity} acted on the priorities of the Secretary-General's "
        "strategy to prevent and respond to sexual exploitation and abuse:")),
    Section("engagement", N_("Engagement with Member States, civil society and partners"), N_(
        "{entity} worked with Member States, civil society organizations, the United Nations system and "
        "other partners to prevent sexual exploitation and abuse and to strengthen joint responses, "
        "including through the inter-agency PSEA networks of the countries where it operates.")),
    Section("implementing_partners", N_("Implementing partners"), N_(
        "{entity} applies the United Nations Protocol on Allegations of Sexual Exploitation and Abuse "
        "Involving Implementing Partners. Implementing partners with a valid PSEA capacity assessment at "
        "the end of the period: {partners_assessed} of {partners_total}; rated high risk: "
        "{partners_high_risk}. Partners that received capacity strengthening in {year}: "
        "{partners_strengthened}. All cooperation agreements include clauses on sexual exploitation and "
        "abuse, and {entity} does not partner with entities that fail to take measures against it.")),
    Section("risk", N_("Action plan and risk assessments"), N_(
        "The annual PSEA action plan of {entity} for {year} was completed. SEA risk assessments carried "
        "out in {year}: {risk_assessments}; operations assessed: {operations_assessed}; programmes "
        "assessed: {programmes_assessed}; follow-up visits: {follow_up_visits}. The results were acted "
        "upon and are kept under review.")),
    Section("zero_tolerance", N_("Zero tolerance and reporting"), N_(
        "{entity} applies zero tolerance of sexual exploitation and abuse. Personnel and communities can "
        "report through safe and confidential channels, including iReport and the entity's own reporting "
        "mechanisms. Substantiated cases lead to disciplinary measures and, where appropriate, referral to "
        "national authorities.")),
    Section("victims_rights", N_("Rights of victims"), N_(
        "The Statement on the Rights of Victims of Sexual Exploitation and Abuse was shared with all "
        "personnel of {entity} and with its implementing partners.")),
    Section("closing", N_("Certification"), N_(
        "I certify the leadership, transparency and accountability of {entity} in preventing and "
        "responding to sexual exploitation and abuse, and that the information in this letter is complete "
        "and accurate to the best of my knowledge.")),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)

# The Secretary-General's priorities (section 2), certified one by one.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("victims_first", N_(
        "Putting the rights and dignity of victims first: assistance and support were offered to every "
        "reported victim, with their consent.")),
    ("ending_impunity", N_(
        "Ending impunity: allegations were reported promptly and assessed in a timely, victim-centred "
        "manner, investigated where warranted, and substantiated cases were handled consistently.")),
    ("focal_point_training", N_(
        "A PSEA focal point is appointed and personnel know their obligations; {training_rate} of staff "
        "and related personnel completed induction or refresher training on PSEA in {year}.")),
    ("outreach", N_(
        "Communication and outreach to communities on PSEA and on how to report sexual exploitation and "
        "abuse.")),
)
CHECKLIST_KEYS = tuple(k for k, _ in CHECKLIST)

TITLE = N_("Annual management letter on the prevention of sexual exploitation and abuse, {year}")
ADDRESSEE = N_("To: the Secretary-General of the United Nations")
SUBJECT = N_("Subject: management letter for {year} ({period})")
REFERENCE = N_("Reference: PSEA/{office}/{year}, version {version}")
DATE_LINE = N_("{place}, {date}")
ALLEGATIONS_NONE = N_("No allegation of sexual exploitation and abuse was received in {year}.")
ALLEGATIONS_SOME = N_(
    "Allegations received in {year}: {allegations_total}. Their status at the end of the period, by "
    "category of personnel, is shown in the table below.")
REFERRED_TO = N_("Referred to: {bodies}.")
FOOTNOTE_ASSESSED = N_("All allegations received were assessed; not all of them were fully investigated.")
FOOTNOTE_PERSONNEL = N_(
    "Personnel: staff, individual consultants and contractors, interns, United Nations Volunteers and "
    "related personnel.")
FOOTNOTE_SOURCES = N_("Sources of the figures: {sources}.")
NOT_AVAILABLE = N_("not available")
SIGNED_BY = N_("Digitally signed by")
SIGNED_ON = N_("Signed on {date}")
NOT_SIGNED = N_("Not signed: preview")
SIGNATURE = N_("Signature")
PREVIEW_FOOTER = N_("Preview, not signed")
TOTAL = N_("Total")
STATUS = N_("Status")

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace known {placeholders}; leave anything else exactly as typed."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def default_text(key: str, language: str) -> str:
    for section in SECTIONS:
        if section.key == key:
            return gettext_in(language, section.text)
    for ckey, text in CHECKLIST:
        if ckey == key:
            return gettext_in(language, text)
    raise KeyError(key)


def heading(key: str, language: str) -> str:
    return gettext_in(language, next(s.heading for s in SECTIONS if s.key == key))


PLACEHOLDERS = ("entity", "office", "name", "title", "year", "training_rate", "trained", "population",
                "allegations_total", "partners_total", "partners_assessed", "partners_high_risk",
                "partners_strengthened", "risk_assessments", "operations_assessed", "programmes_assessed",
                "follow_up_visits")
