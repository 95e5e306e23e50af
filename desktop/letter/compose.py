"""Composing a letter: the figures drawn from the data (each with its source), the template or
edited texts with the figures filled in, formatted for the letter's language.

Figures come from the instruments' `letter_figures(ws, year)` (desktop/<instrument>/figures.py),
loaded with optional_module: an instrument that has not landed gives "not available" rather than
an error. A signed letter is composed again from the figures frozen with it, never from today's data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from desktop.letter import allegations, model, templates
from desktop.plugins import optional_module
from i18n import N_, formatting, gettext_in
from storage import Workspace

log = logging.getLogger(__name__)

SOURCES = {
    "training": ("desktop.roster.figures", N_("training roster")),
    "partners": ("desktop.partners.figures", N_("implementing-partner capacity assessments")),
    "risk": ("desktop.risk.figures", N_("SEA risk assessments")),
}
ALLEGATIONS_SOURCE = N_("allegations register")


def gather(ws: Workspace, year: int) -> dict[str, Any]:
    """The raw figures of every instrument for the year (JSON-able; frozen with a signed letter)."""
    out: dict[str, Any] = {"year": year, "composed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    for key, (module_name, _label) in SOURCES.items():
        module = optional_module(module_name)
        if module is None or not hasattr(module, "letter_figures"):
            out[key] = None
            continue
        try:
            out[key] = dict(module.letter_figures(ws, year))
        except Exception as exc:  # noqa: BLE001 - one instrument's failure must not block the letter
            log.warning("letter figures of %s failed: %s", module_name, type(exc).__name__)
            out[key] = {"error": type(exc).__name__}
    out["allegations"] = allegations.summary(ws, year).as_dict()
    return out


@dataclass(frozen=True)
class Figure:
    key: str
    label: str        # translated in the letter's language
    display: str      # formatted for the letter's language
    source: str       # translated: which instrument, as of when
    available: bool


@dataclass
class Composition:
    letter: dict[str, Any]
    language: str
    entity: str
    office: str
    office_name: str
    year: int
    figures_raw: dict[str, Any]
    figures: list[Figure]
    values: dict[str, str]
    title: str
    sections: list[tuple[str, str, str]] = field(default_factory=list)    # key, heading, text
    checklist: list[tuple[str, str, bool]] = field(default_factory=list)  # key, text, checked
    allegations_text: str = ""
    referred_text: str = ""
    footnotes: list[str] = field(default_factory=list)
    date: str = ""


FIGURE_LABELS = {
    "training_rate": N_("Staff and related personnel trained (induction or refresher)"),
    "allegations_total": N_("Allegations received"),
    "partners_assessed": N_("Implementing partners with a valid capacity assessment"),
    "partners_total": N_("Implementing partners"),
    "partners_high_risk": N_("Implementing partners rated high risk"),
    "partners_strengthened": N_("Partners that received capacity strengthening"),
    "risk_assessments": N_("SEA risk assessments in the year"),
    "operations_assessed": N_("Operations assessed"),
    "programmes_assessed": N_("Programmes assessed"),
    "follow_up_visits": N_("Follow-up visits"),
}


def _as_of(code: str, raw: dict[str, Any] | None) -> str:
    if raw and raw.get("as_of"):
        try:
            return formatting.date(dt.date.fromisoformat(str(raw["as_of"])[:10]), code)
        except ValueError:
            return str(raw["as_of"])
    return ""


def figures_for(raw: dict[str, Any], code: str) -> tuple[list[Figure], dict[str, str]]:
    """Formatted figures and the placeholder values of the letter's templates."""
    na = gettext_in(code, templates.NOT_AVAILABLE)
    figs: list[Figure] = []
    values: dict[str, str] = {}

    def source(key: str) -> str:
        label = gettext_in(code, SOURCES[key][1] if key in SOURCES else ALLEGATIONS_SOURCE)
        as_of = _as_of(code, raw.get(key))
        return gettext_in(code, N_("{source}, as of {date}")).format(source=label, date=as_of) if as_of else label

    def add(key: str, group: str, value: Any, *, percent: bool = False) -> None:
        ok = value is not None
        if percent:
            display = formatting.percent(float(value), code) if ok else na
        else:
            display = formatting.number(int(value), code) if ok else na
        values[key] = display
        figs.append(Figure(key, gettext_in(code, FIGURE_LABELS[key]), display, source(group), ok))

    training = _usable(raw.get("training"))
    add("training_rate", "training", training.get("training_rate") if training else None, percent=True)
    values["trained"] = formatting.number(int(training["trained"]), code) if training and training.get("trained") is not None else na
    values["population"] = (formatting.number(int(training["population"]), code)
                            if training and training.get("population") is not None else na)
    alleg = raw.get("allegations") or {}
    add("allegations_total", "allegations", alleg.get("total"))
    partners = _usable(raw.get("partners"))
    add("partners_assessed", "partners", partners.get("assessed_valid") if partners else None)
    add("partners_total", "partners", partners.get("partners") if partners else None)
    add("partners_high_risk", "partners", partners.get("high_risk") if partners else None)
    add("partners_strengthened", "partners", partners.get("capacity_strengthening_provided") if partners else None)
    risk = _usable(raw.get("risk"))
    add("risk_assessments", "risk", risk.get("assessments") if risk else None)
    add("operations_assessed", "risk", risk.get("operations_assessed") if risk else None)
    add("programmes_assessed", "risk", risk.get("programmes_assessed") if risk else None)
    add("follow_up_visits", "risk", risk.get("follow_up_visits") if risk else None)
    return figs, values


def _usable(raw: Any) -> dict[str, Any] | None:
    return raw if isinstance(raw, dict) and "error" not in raw else None


def compose(ws: Workspace, letter: dict[str, Any], *, figures: dict[str, Any] | None = None,
            today: dt.date | None = None) -> Composition:
    """Everything the PDF shows, in the letter's language. Signed letters use their frozen figures."""
    code = model.check_language(letter["language"])
    year = int(letter["year"])
    if figures is None:
        if letter.get("status") == model.SIGNED and letter.get("figures") not in (None, "", "{}"):
            figures = json.loads(letter["figures"])
        else:
            figures = gather(ws, year)
    figs, values = figures_for(figures, code)
    office_code = letter.get("office") or ws.office
    office_name = _office_name(ws, office_code)
    entity = letter.get("entity") or ws.entity
    values.update(entity=entity, office=office_name or office_code, year=str(year),
                  name=letter.get("signatory_name") or "", title=letter.get("signatory_title") or "")
    signed_day = (letter.get("signed_at") or "")[:10]
    day = dt.date.fromisoformat(signed_day) if signed_day else (today or dt.date.today())
    comp = Composition(letter=letter, language=code, entity=entity, office=office_code, office_name=office_name,
                       year=year, figures_raw=figures, figures=figs, values=values,
                       title=gettext_in(code, templates.TITLE).format(year=year),
                       date=letter_date(day, code))
    edited = model.sections_of(letter)
    for section in templates.SECTIONS:
        text = edited.get(section.key) or gettext_in(code, section.text)
        comp.sections.append((section.key, gettext_in(code, section.heading), templates.fill(text, values)))
    checks = model.checklist_of(letter)
    for key, text in templates.CHECKLIST:
        body = edited.get(key) or gettext_in(code, text)
        comp.checklist.append((key, templates.fill(body, values), bool(checks.get(key))))
    alleg = figures.get("allegations") or {}
    total = int(alleg.get("total") or 0)
    comp.allegations_text = templates.fill(
        gettext_in(code, templates.ALLEGATIONS_SOME if total else templates.ALLEGATIONS_NONE), values)
    bodies = alleg.get("by_body") or {}
    if bodies:
        colon = {"zh": "：", "fr": "\u00a0: "}.get(code, ": ")
        parts = [f"{gettext_in(code, allegations.BODY_LABELS.get(b, b))}{colon}{formatting.number(n, code)}"
                 for b, n in sorted(bodies.items(), key=lambda kv: allegations.BODIES.index(kv[0])
                                    if kv[0] in allegations.BODIES else 99)]
        sep = "، " if code == "ar" else ("；" if code == "zh" else "; ")
        comp.referred_text = gettext_in(code, templates.REFERRED_TO).format(bodies=sep.join(parts))
    training = _usable(figures.get("training"))
    definition = training.get("definition") if training else None
    comp.footnotes = [
        gettext_in(code, templates.FOOTNOTE_ASSESSED),
        gettext_in(code, definition) if definition else gettext_in(code, templates.FOOTNOTE_PERSONNEL),
    ]
    sources = []
    seen = set()
    for fig in comp.figures:
        if fig.source not in seen:
            seen.add(fig.source)
            sources.append(fig.source)
    sep = "، " if code == "ar" else ("；" if code == "zh" else "; ")
    joined = sep.join(sources).rstrip(".")  # "2026 г." must not end in ".."
    comp.footnotes.append(gettext_in(code, templates.FOOTNOTE_SOURCES).format(sources=joined))
    return comp


def letter_date(day: dt.date, code: str) -> str:
    """Dates as UN correspondence writes them: English day-month-year ("23 November 2026")."""
    if code == "en":
        from babel.dates import format_date

        return format_date(day, format="d MMMM y", locale="en")
    return formatting.date(day, code, "long")


def _office_name(ws: Workspace, code: str) -> str:
    row = ws.connection.execute("SELECT name FROM office WHERE deleted = 0 AND code = ? ORDER BY rev DESC LIMIT 1",
                                (code,)).fetchone()
    return row[0] if row else ""
