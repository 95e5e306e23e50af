"""Regional figures: per office and for the region, from the instruments' own figures modules.

The instruments define their figures once (`desktop/<instrument>/figures.py`, `letter_figures(ws, year)`)
for a whole workspace. A coordinator's workspace holds many offices' records, each row tagged with the
office that created it. To get an office's figures without a second definition, the figures run inside
`office_scope`: for the time of the call, a TEMP view named like each record table shows only that
office's rows (SQLite resolves an unqualified name in `temp` before `main`). Nothing is written to the
workspace file. Instrument caches keyed on the data version see a different version per office (a
TEMP view of `meta` appends the office to the audit head), and the roster snapshot is dropped around it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.exchange.kinds import load_record_kinds
from desktop.plugins import optional_module
from i18n import N_, _, current_language, gettext_in
from i18n.formatting import number, percent
from storage import Workspace
from storage.records import OFFICE

# Instrument caches that hold a whole workspace's rows, dropped before and after a scoped call.
_CACHES = ("desktop.roster.snapshot",)


@dataclass
class OfficeFigures:
    office: str
    name: str
    personnel: int | None = None
    trained: int | None = None
    completion_rate: float | None = None
    partners: int | None = None
    partners_assessed: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    risk_assessments: int | None = None
    high_risks_open: int | None = None
    letters_signed: int | None = None
    records: int = 0


# Columns of the regional table and CSV: (key, heading). Headings translated when shown.
COLUMNS = (
    ("office", N_("Office")),
    ("name", N_("Name")),
    ("personnel", N_("Personnel")),
    ("trained", N_("Trained")),
    ("completion_rate", N_("Completion rate")),
    ("partners", N_("Partners")),
    ("partners_assessed", N_("Partners assessed")),
    ("risk_assessments", N_("Risk assessments")),
    ("high_risks_open", N_("Open high risks")),
    ("letters_signed", N_("Letters signed")),
    ("ratings", N_("Ratings")),
)
REGION = "*"


def _forget_caches() -> None:
    for name in _CACHES:
        module = optional_module(name)
        if module is not None and hasattr(module, "forget"):
            module.forget()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextlib.contextmanager
def office_scope(ws: Workspace, office: str) -> Iterator[None]:
    """Within the block, every record table shows only `office`'s rows (read-only use only)."""
    conn = ws.connection
    made: list[str] = []
    _forget_caches()
    try:
        for kind in load_record_kinds():
            conn.execute(f'CREATE TEMP VIEW "{kind.table}" AS SELECT rowid AS rowid, * FROM main."{kind.table}"'  # noqa: S608
                         f" WHERE office = {_literal(office)}")
            made.append(kind.table)
        # Caches keyed on the data version (the audit head, e.g. the roster's figures) must not hand
        # one office's figures to another: within the scope the head reads as "<head>@<office>".
        conn.execute("CREATE TEMP VIEW meta AS SELECT key, CASE WHEN key = 'audit_head' THEN value || '@' || "  # noqa: S608
                     f"{_literal(office)} ELSE value END AS value FROM main.meta")
        made.append("meta")
        yield
    finally:
        for table in made:
            conn.execute(f'DROP VIEW IF EXISTS temp."{table}"')
        _forget_caches()


def offices(ws: Workspace) -> list[tuple[str, str]]:
    """(code, name) of every office that has records here, the workspace's own first."""
    codes: set[str] = set()
    for kind in load_record_kinds():
        codes.update(r[0] for r in ws.connection.execute(f"SELECT DISTINCT office FROM {kind.table}"))  # noqa: S608
    names = {r["code"]: r["name"] for r in ws.records.iter_all(OFFICE, include_deleted=False)}
    own = ws.office
    return [(c, names.get(c, c)) for c in sorted(codes, key=lambda c: (c != own, c))]


def _figures(ws: Workspace, code: str, name: str, year: int) -> OfficeFigures:
    out = OfficeFigures(code, name)
    roster = optional_module("desktop.roster.figures")
    if roster is not None:
        f = roster.letter_figures(ws, year)
        out.personnel, out.trained, out.completion_rate = f.get("population"), f.get("trained"), f.get("training_rate")
    partners = optional_module("desktop.partners.figures")
    if partners is not None:
        f = partners.letter_figures(ws, year)
        out.partners, out.partners_assessed = f.get("partners"), f.get("assessed_valid")
        out.ratings = dict(f.get("by_rating") or {})
    risk = optional_module("desktop.risk.figures")
    if risk is not None:
        f = risk.letter_figures(ws, year)
        out.risk_assessments, out.high_risks_open = f.get("assessments"), f.get("high_risks_open")
    letter = optional_module("desktop.letter.figures")
    if letter is not None and hasattr(letter, "letter_figures"):
        f = letter.letter_figures(ws, year)
        if isinstance(f, dict) and "letters_signed" in f:
            out.letters_signed = f["letters_signed"]
    out.records = sum(ws.connection.execute(f"SELECT count(*) FROM {k.table} WHERE deleted = 0").fetchone()[0]  # noqa: S608
                      for k in load_record_kinds())
    return out


def regional_figures(ws: Workspace, year: int | None = None) -> list[OfficeFigures]:
    """One row per office, then the region (office REGION) computed over every office's records."""
    year = year or dt.date.today().year
    rows = []
    for code, name in offices(ws):
        with office_scope(ws, code):
            rows.append(_figures(ws, code, name, year))
    _forget_caches()
    rows.append(_figures(ws, REGION, "", year))
    return rows


def rating_label(key: str, code: str | None = None) -> str:
    labels = optional_module("desktop.partners.labels")
    return labels.result_label_for_key(key, code) if labels is not None else key


def cell(fig: OfficeFigures, key: str, code: str | None = None) -> str:
    """The text of one cell, in the current language (or `code`)."""
    value: Any = getattr(fig, key)
    if key == "office":
        return gettext_in(code or current_language(), "Region") if value == REGION else value
    if value is None:
        return "—"
    if key == "completion_rate":
        return percent(value, code)
    if key == "ratings":
        return "; ".join(f"{rating_label(k, code)}: {number(v, code)}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, int):
        return number(value, code)
    return str(value)


def to_csv(rows: list[OfficeFigures]) -> str:
    """CSV in the current language's headings; numbers plain (machine-readable), rate as a fraction."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([_(heading) for _key, heading in COLUMNS])
    for fig in rows:
        out = []
        for key, _heading in COLUMNS:
            value = getattr(fig, key)
            if key == "office" and value == REGION:
                value = _("Region")
            elif key == "ratings":
                value = "; ".join(f"{k}={v}" for k, v in sorted(value.items()))
            elif key == "completion_rate" and value is not None:
                value = f"{value:.4f}"
            out.append(_csv_safe("" if value is None else str(value)))
        writer.writerow(out)
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    """Office names are user text: keep a spreadsheet from reading them as formulas."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
