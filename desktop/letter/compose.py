"""Composing a letter: the figures drawn from the data (each with its source and as-of date), the
statements of templates.py with those figures and the names of the letter's language filled in, and
what the signer attested.

The figures are every instrument's (`desktop.instruments.figures`): at headquarters over every office's
records (the entity's letter), in an office over its own (its assurance). A signed letter is composed
again from what was frozen with it (figures, attestations, names), never from today's data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.letter import allegations, attestations, model, settings, templates
from desktop.letter.templates import ATTESTATION, FIGURE
from i18n import LANGUAGE_CODES, N_, formatting, gettext_in, ngettext_in, sentences

if TYPE_CHECKING:
    from storage import Workspace

SOURCES = {
    "training": N_("training roster"),
    "partners": N_("implementing-partner capacity assessments"),
    "risk": N_("SEA risk assessments"),
    "allegations": N_("allegations register"),
}

FIGURE_LABELS = {
    "training_rate": N_("Staff and related personnel trained (induction or refresher)"),
    "allegations_un": N_("Allegations involving staff and related personnel"),
    "allegations_partner": N_("Allegations involving implementing-partner personnel"),
    "partners_assessed": N_("Implementing partners with a valid capacity assessment"),
    "partners_total": N_("Implementing partners"),
    "partners_high_risk": N_("Implementing partners rated high risk"),
    "partners_strengthened": N_("Partners that received capacity strengthening"),
    "subjects_assessed": N_("Operations and programmes assessed in the year"),
    "subjects_total": N_("Operations and programmes in the risk register"),
    "risk_assessments": N_("SEA risk assessments in the year"),
    "follow_up_visits": N_("Follow-up visits"),
    "high_risks_open": N_("High risks open"),
    "measures_open": N_("Mitigation measures open"),
    "measures_overdue": N_("Mitigation measures overdue"),
    "agreements": N_("Cooperation agreements in force"),
    "agreements_with_clauses": N_("Agreements with SEA clauses"),
}
# figure key -> (group of gather(), key in that group)
_SOURCE_OF = {
    "training_rate": ("training", "training_rate"), "partners_assessed": ("partners", "assessed_valid"),
    "partners_total": ("partners", "partners"), "partners_high_risk": ("partners", "high_risk"),
    "partners_strengthened": ("partners", "capacity_strengthening_provided"),
    "subjects_assessed": ("risk", "subjects_assessed"), "subjects_total": ("risk", "subjects_total"),
    "risk_assessments": ("risk", "assessments"), "follow_up_visits": ("risk", "follow_up_visits"),
    "high_risks_open": ("risk", "high_risks_open"), "measures_open": ("risk", "measures_open"),
    "measures_overdue": ("risk", "measures_overdue"), "agreements": ("partners", "agreements"),
    "agreements_with_clauses": ("partners", "agreements_with_clauses"),
}


def scope_of(ws: Workspace) -> str:
    """Headquarters writes the entity's letter; every other workspace its office's assurance."""
    return "entity" if ws.role == "headquarters" else "office"


def gather(ws: Workspace, year: int) -> dict[str, Any]:
    """Every instrument's figures for the year (JSON-able; frozen with a signed letter)."""
    from desktop import instruments

    out: dict[str, Any] = {"year": year, "composed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    out.update(instruments.figures(ws, year))
    alleg = out["allegations"]
    alleg["as_of"] = out["training"]["as_of"]
    if scope_of(ws) == "entity":
        from desktop.letter import assurances

        out["assurances"] = [dict(a.as_dict(), names={code: settings.office_name(ws, a.office, code)
                                                      for code in LANGUAGE_CODES})
                             for a in assurances.assurances(ws, year)]
    return out


@dataclass(frozen=True)
class Figure:
    key: str
    label: str        # translated in the letter's language
    display: str      # formatted for the letter's language
    source: str       # translated: which instrument, as of when
    available: bool


@dataclass(frozen=True)
class Item:
    key: str
    kind: str                 # templates.ATTESTATION | FIGURE | TEXT
    text: str                 # filled, in the letter's language
    confirmed: bool | None    # attestations: confirmed by the signer; None for the others


@dataclass
class Block:
    key: str
    heading: str
    items: list[Item]
    listed: bool = False


@dataclass
class Composition:
    letter: dict[str, Any]
    language: str
    scope: str
    entity: str
    office: str
    office_name: str
    year: int
    figures_raw: dict[str, Any]
    figures: list[Figure]
    values: dict[str, str]
    title: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    sources: str = ""
    date: str = ""
    place: str = ""
    addressee: str = ""
    period: str = ""
    attestations: dict[str, dict[str, str]] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)   # labels of names shown in another language
    missing: list[str] = field(default_factory=list)     # setting keys with no value at all

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) per section: the text of its statements (for tests and plain views)."""
        return [(b.key, b.heading, sentences([i.text for i in b.items], self.language)) for b in self.blocks]

    def item(self, key: str) -> Item | None:
        return next((i for b in self.blocks for i in b.items if i.key == key), None)


def _as_of(code: str, raw: dict[str, Any] | None) -> str:
    if raw and raw.get("as_of"):
        try:
            return letter_date(dt.date.fromisoformat(str(raw["as_of"])[:10]), code)
        except ValueError:
            return str(raw["as_of"])
    return ""


def _usable(raw: Any) -> dict[str, Any] | None:
    return raw if isinstance(raw, dict) and "error" not in raw else None


def figures_for(raw: dict[str, Any], code: str) -> tuple[list[Figure], dict[str, str]]:
    """Formatted figures and the placeholder values of the letter's statements."""
    na = gettext_in(code, templates.NOT_AVAILABLE)
    figs: list[Figure] = []
    values: dict[str, str] = {}

    def source(group: str) -> str:
        label = gettext_in(code, SOURCES[group])
        as_of = _as_of(code, raw.get(group))
        return gettext_in(code, N_("{source}, as of {date}")).format(source=label, date=as_of) if as_of else label

    def add(key: str, group: str, value: Any, *, percent: bool = False) -> None:
        ok = value is not None
        display = (formatting.percent_in_text(float(value), code) if percent
                   else formatting.number(int(value), code)) \
            if ok else na
        values[key] = display
        figs.append(Figure(key, gettext_in(code, FIGURE_LABELS[key]), display, source(group), ok))

    for key, (group, name) in _SOURCE_OF.items():
        data = _usable(raw.get(group))
        add(key, group, data.get(name) if data else None, percent=key == "training_rate")
    training = _usable(raw.get("training"))
    for key in ("trained", "population"):
        value = training.get(key) if training else None
        values[key] = formatting.number(int(value), code) if value is not None else na
    alleg = raw.get("allegations") or {}
    by_cat = alleg.get("by_category") or {}
    add("allegations_un", "allegations", sum(int(by_cat.get(c, 0)) for c in allegations.UN_CATEGORIES))
    add("allegations_partner", "allegations", int(by_cat.get("partner_personnel", 0)))
    figs.sort(key=lambda f: list(FIGURE_LABELS).index(f.key))
    return figs, values


def _list(parts: list[str], code: str) -> str:
    sep = {"ar": "؛ ", "zh": "；"}.get(code, "; ")
    return sep.join(parts)


def _counted(labels: dict[str, str], counts: dict[str, int], code: str, order: tuple[str, ...]) -> str:
    colon = gettext_in(code, N_("{label}: {value}"))
    return _list([colon.format(label=gettext_in(code, labels[k]), value=formatting.number(int(counts[k]), code))
                  for k in order if counts.get(k)], code)


def allegation_text(raw: dict[str, Any], code: str, values: dict[str, str]) -> str:
    """The year's allegations in words, as the real letter gives them: how many involving staff and
    related personnel, who was involved, to whom referred, where they stand; then, apart, those
    involving implementing partners' personnel. Counts only, never names."""
    alleg = raw.get("allegations") or {}
    table = alleg.get("table") or {}
    bodies = alleg.get("bodies") or {}
    year = values.get("year", "")
    un = {c: sum(int(v) for v in (table.get(c) or {}).values()) for c in allegations.UN_CATEGORIES}
    total = sum(un.values())
    out = []
    if not total:
        out.append(gettext_in(code, N_("No allegation of sexual exploitation and abuse involving its staff or "
                                       "related personnel was brought to the attention of {who} in {year}.")).format(
            who=values.get("who", ""), year=year))
    else:
        out.append(ngettext_in(code, "In {year}, {n} allegation of sexual exploitation and abuse involving its staff "
                                     "or related personnel was reported.",
                               "In {year}, {n} allegations of sexual exploitation and abuse involving its staff or "
                               "related personnel were reported.", total).format(
            year=year, n=formatting.number(total, code)))
        out.append(gettext_in(code, N_("Personnel involved: {list}.")).format(
            list=_counted(allegations.INVOLVED_IN_TEXT, un, code, allegations.UN_CATEGORIES)))
        referred: dict[str, int] = {}
        for c in allegations.UN_CATEGORIES:
            for body, n in (bodies.get(c) or {}).items():
                referred[body] = referred.get(body, 0) + int(n)
        if referred:
            out.append(gettext_in(code, N_("Referred to: {list}.")).format(
                list=_counted(allegations.BODY_IN_TEXT, referred, code, tuple(allegations.BODY_IN_TEXT))))
        status = {s: sum(int((table.get(c) or {}).get(s, 0)) for c in allegations.UN_CATEGORIES)
                  for s in allegations.STATUSES}
        out.append(gettext_in(code, N_("Where they stand at the end of the year: {list}.")).format(
            list=_counted(allegations.STATUS_IN_TEXT, status, code, allegations.STATUSES)))
    partner = table.get("partner_personnel") or {}
    n_partner = sum(int(v) for v in partner.values())
    if n_partner:
        out.append(ngettext_in(
            code, "Reported apart, as in the reports of the Secretary-General: {n} allegation involving personnel of "
                  "implementing partners ({list}).",
            "Reported apart, as in the reports of the Secretary-General: {n} allegations involving personnel of "
            "implementing partners ({list}).", n_partner).format(
            n=formatting.number(n_partner, code),
            list=_counted(allegations.STATUS_IN_TEXT, partner, code, allegations.STATUSES)))
    return sentences(out, code)


def _names(ws: Workspace, letter: dict[str, Any], code: str, scope: str,
           frozen: dict[str, Any] | None) -> tuple[dict[str, str], list[str], list[str]]:
    """The names and settings the letter prints, in its language: (values, fallbacks used, missing)."""
    if frozen:
        return dict(frozen), [], []
    conf = settings.load(ws)
    values: dict[str, str] = {}
    fallbacks: list[str] = []
    missing: list[str] = []
    # Required in every language; the others only when set in some language (then in every one).
    required = ["entity", "title"] + (["governing_body", "session"] if scope == "entity" else [])
    for key in ("entity", "entity_full", "office", "place", "title", "governing_body", "session", "reporting_app"):
        value = conf.get(key, code)
        other = conf.fallback(key, code)
        if key == "office" and not other:
            other = settings.office_name(ws, ws.office, code)
        if key == "entity" and not other:
            other = ws.entity
        if not value and other:
            fallbacks.append(key)
            value = f"[{other}]"
        elif not value and key in required:
            missing.append(key)
        values[key] = value
    for key in ("signatory", "decision", "paragraph", "symbol"):
        value = conf.single.get(key, "")
        if not value and (key == "signatory" or scope == "entity"):
            missing.append(key)
        values[key] = value
    values["name"] = values.pop("signatory") or letter.get("signatory_name") or ""
    if values["name"] and "signatory" in missing:
        missing.remove("signatory")
    if not values["title"] and letter.get("signatory_title"):
        values["title"] = letter["signatory_title"]
    full = values.get("entity_full") or values["entity"]
    values["who_full"] = (gettext_in(code, N_("{full} ({short})")).format(full=full, short=values["entity"])
                          if full and full != values["entity"] else values["entity"])
    in_text = conf.get("office_in_text", code) or values["office"]
    values["who"] = values["entity"] if scope == "entity" else in_text
    if scope == "office":
        values["who_full"] = in_text
    return values, fallbacks, missing


NAME_KEYS = ("entity", "entity_full", "office", "place", "title", "governing_body", "session", "reporting_app",
             "name", "decision", "paragraph", "symbol", "who", "who_full")


def compose(ws: Workspace, letter: dict[str, Any], *, figures: dict[str, Any] | None = None,
            today: dt.date | None = None) -> Composition:
    """Everything the PDF shows, in the letter's language. Signed letters use what was frozen."""
    code = model.check_language(letter["language"])
    year = int(letter["year"])
    scope = letter.get("scope") or scope_of(ws)
    signed = letter.get("status") == model.SIGNED and letter.get("figures") not in (None, "", "{}")
    frozen = json.loads(letter["figures"]) if signed else None
    if figures is None:
        figures = frozen if frozen is not None else gather(ws, year)
    figs, values = figures_for(figures, code)
    names, fallbacks, missing = _names(ws, letter, code, scope, (frozen or {}).get("names"))
    values.update(names)
    values["year"] = str(year)
    values.update(templates.NOTE_MARKS)
    office_code = letter.get("office") or ws.office
    confirmed = (frozen or {}).get("attestations") if frozen else attestations.confirmed(ws, year, scope)
    signed_day = (letter.get("signed_at") or "")[:10]
    day = dt.date.fromisoformat(signed_day) if signed_day else (today or dt.date.today())
    comp = Composition(
        letter=letter, language=code, scope=scope, entity=values["entity"], office=office_code,
        office_name=values["office"], year=year, figures_raw=figures, figures=figs, values=values,
        title=gettext_in(code, templates.TITLE if scope == "entity" else templates.TITLE_OFFICE),
        date=letter_date(day, code), place=values.get("place", ""), attestations=dict(confirmed or {}),
        fallbacks=fallbacks, missing=missing,
        addressee=(gettext_in(code, templates.ADDRESSEE) if scope == "entity"
                   else gettext_in(code, templates.ADDRESSEE_OFFICE).format(entity=values["entity"])))
    comp.period = _period(letter, code)
    edited = model.sections_of(letter)
    for section in templates.SECTIONS:
        items = []
        for st in section.statements:
            if scope not in st.scopes or (st.optional and not values.get(st.optional)):
                continue
            if st.key == "allegations":
                text = allegation_text(figures, code, values)
            else:
                text = templates.fill(edited.get(st.key) or gettext_in(code, st.text), values, code)
            confirmed_item = (st.key in comp.attestations) if st.kind == ATTESTATION else None
            items.append(templates_item(st, text, confirmed_item))
        comp.blocks.append(Block(section.key, gettext_in(code, section.heading), items, section.listed))
    comp.footnotes = [gettext_in(code, note) for note in templates.FOOTNOTES]
    sources: list[str] = []
    for fig in comp.figures:
        if fig.source not in sources:
            sources.append(fig.source)
    joined = _list(sources, code).rstrip(".")  # "2026 г." must not end in ".."
    comp.sources = gettext_in(code, templates.FOOTNOTE_SOURCES).format(sources=joined)
    return comp


def templates_item(st: templates.Statement, text: str, confirmed: bool | None) -> Item:
    return Item(st.key, st.kind, text, confirmed)


def frozen_names(comp: Composition) -> dict[str, str]:
    """The names a signed version keeps (so a later settings change never alters it)."""
    return {k: comp.values.get(k, "") for k in NAME_KEYS}


def figure_statements_intact(letter: dict[str, Any]) -> list[str]:
    """Keys of figure statements whose edited text lost a placeholder of its figures."""
    edited = model.sections_of(letter)
    broken = []
    for key, text in edited.items():
        try:
            st = templates.statement(key)
        except StopIteration:
            continue
        if st.kind == FIGURE and not set(st.needs) <= templates.placeholders_in(text):
            broken.append(key)
    return broken


def letter_date(day: dt.date, code: str) -> str:
    """Dates as UN correspondence writes them: English day-month-year ("23 November 2026")."""
    if code == "en":
        from babel.dates import format_date

        return format_date(day, format="d MMMM y", locale="en")
    return formatting.date(day, code, "long")


def _period(letter: dict[str, Any], code: str) -> str:
    start, end = letter.get("period_start"), letter.get("period_end")
    if not (start and end):
        return str(letter.get("year"))
    s, e = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return gettext_in(code, N_("{start} to {end}")).format(start=letter_date(s, code), end=letter_date(e, code))
