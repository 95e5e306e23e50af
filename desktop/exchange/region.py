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
from typing import TYPE_CHECKING, Any

from desktop import registry
from desktop.exchange.kinds import load_record_kinds
from desktop.partners import labels as partner_labels
from i18n import N_, _, current_language, gettext_in
from i18n.formatting import number, percent
from storage.records import OFFICE, REFERENCE_OFFICE

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class OfficeFigures:
    office: str
    name: str
    personnel: int | None = None
    trained: int | None = None
    completion_rate: float | None = None
    not_counted: dict[str, int] = field(default_factory=dict)   # roster NotCounted of the letter figure
    partners: int | None = None
    partners_assessed: int | None = None
    ratings: dict[str, int] = field(default_factory=dict)
    risk_assessments: int | None = None
    high_risks_open: int | None = None
    allegations: int | None = None
    letters_signed: int | None = None
    records: int = 0
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)   # every instrument's, for one office

    @property
    def not_counted_completions(self) -> int:
        return int(self.not_counted.get("completions", 0))


# Columns of the regional table and CSV: (key, heading). Headings translated when shown.
COLUMNS = (
    ("office", N_("Office")),
    ("name", N_("Name")),
    ("personnel", N_("Personnel")),
    ("trained", N_("Trained")),
    ("completion_rate", N_("Completion rate")),
    ("not_counted", N_("Completions not counted")),
    ("partners", N_("Partners")),
    ("partners_assessed", N_("Partners assessed")),
    ("risk_assessments", N_("Risk assessments")),
    ("high_risks_open", N_("Open high risks")),
    ("allegations", N_("Allegations")),
    ("letters_signed", N_("Letters signed")),
    ("ratings", N_("Ratings")),
)
NUMERIC_COLUMNS = ("personnel", "trained", "completion_rate", "not_counted", "partners", "partners_assessed",
                   "risk_assessments", "high_risks_open", "allegations", "letters_signed")
REGION = "*"
# The total row: a coordinator's region, or at headquarters the entity as a whole.
TOTAL_LABELS = {"headquarters": N_("Entity"), "region": N_("Region"), "office": N_("Region")}


def _forget_caches() -> None:
    """Instrument caches that hold a whole workspace's rows, dropped before and after a scoped call."""
    registry.forget_caches()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextlib.contextmanager
def office_scope(ws: Workspace, office: str) -> Iterator[None]:
    """Within the block, every record table shows only `office`'s rows and the reference data every
    workspace has (read-only use only)."""
    conn = ws.connection
    made: list[str] = []
    _forget_caches()
    try:
        for kind in load_record_kinds():
            conn.execute(f'CREATE TEMP VIEW "{kind.table}" AS SELECT rowid AS rowid, * FROM main."{kind.table}"'  # noqa: S608
                         f" WHERE office IN ({_literal(office)}, {_literal(REFERENCE_OFFICE)})")
            made.append(kind.table)
        # Caches keyed on the data version (e.g. the roster's figures) must not hand one office's figures
        # to another: within the scope the head reads as "<head>@<office>" and `scope` names the office.
        conn.execute("CREATE TEMP VIEW meta AS SELECT key, CASE WHEN key = 'audit_head' THEN value || '@' || "  # noqa: S608
                     f"{_literal(office)} ELSE value END AS value FROM main.meta"
                     f" UNION ALL SELECT 'scope', {_literal(office)}")
        made.append("meta")
        yield
    finally:
        for table in made:
            conn.execute(f'DROP VIEW IF EXISTS temp."{table}"')
        _forget_caches()


def offices(ws: Workspace) -> list[tuple[str, str]]:
    """(code, name) of every office that has records here, the workspace's own first. An office's name
    is the one its own office record gives (whoever else named it), so it does not depend on which
    bundle arrived first."""
    codes: set[str] = set()
    for kind in load_record_kinds():
        codes.update(r[0] for r in ws.connection.execute(f"SELECT DISTINCT office FROM {kind.table}"))  # noqa: S608
    codes.discard(REFERENCE_OFFICE)
    names: dict[str, tuple[int, str, str]] = {}
    own = ws.office
    for r in ws.records.iter_all(OFFICE, include_deleted=False):
        # the office's own record first, then this workspace's, then any other (latest revision)
        rank = 0 if r["office"] == r["code"] else 1 if r["office"] == own else 2
        best = names.get(r["code"])
        if best is None or rank < best[0] or (rank == best[0] and r["rev"] > best[1]):
            names[r["code"]] = (rank, r["rev"], r["name"])
    return [(c, names[c][2] if c in names else c) for c in sorted(codes, key=lambda c: (c != own, c))]


def office_figures(ws: Workspace, code: str, name: str, year: int) -> OfficeFigures:
    """One office's row, from every instrument's own figures (run inside office_scope, or over a
    whole office workspace)."""
    from desktop import instruments

    figs = instruments.figures(ws, year)
    out = OfficeFigures(code, name, figures=figs)
    t = figs["training"]
    out.personnel, out.trained, out.completion_rate = t.get("population"), t.get("trained"), t.get("training_rate")
    out.not_counted = dict(t.get("not_counted") or {})
    p = figs["partners"]
    out.partners, out.partners_assessed = p.get("partners"), p.get("assessed_valid")
    out.ratings = dict(p.get("by_rating") or {})
    r = figs["risk"]
    out.risk_assessments, out.high_risks_open = r.get("assessments"), r.get("high_risks_open")
    out.allegations = figs["allegations"].get("total")
    out.letters_signed = figs["letters"].get("letters_signed")
    out.records = sum(ws.connection.execute(f"SELECT count(*) FROM {k.table} WHERE deleted = 0"  # noqa: S608
                                            f" AND office != {_literal(REFERENCE_OFFICE)}").fetchone()[0]
                      for k in load_record_kinds())
    return out


def total_row(rows: list[OfficeFigures], label: str = TOTAL_LABELS["region"]) -> OfficeFigures:
    """The region (or entity): the sum of its offices, so that it always equals them; the rate is
    recomputed from the sums."""
    total = OfficeFigures(REGION, label)
    for key in ("personnel", "trained", "partners", "partners_assessed", "risk_assessments", "high_risks_open",
                "allegations", "letters_signed"):
        values = [getattr(r, key) for r in rows if getattr(r, key) is not None]
        setattr(total, key, sum(values) if values else None)
    total.completion_rate = (total.trained / total.personnel) if total.personnel else None
    for r in rows:
        for k, v in r.ratings.items():
            total.ratings[k] = total.ratings.get(k, 0) + v
        for k, v in r.not_counted.items():
            total.not_counted[k] = total.not_counted.get(k, 0) + int(v)
        total.records += r.records
    total.ratings = dict(sorted(total.ratings.items()))
    return total


def regional_figures(ws: Workspace, year: int | None = None) -> list[OfficeFigures]:
    """One row per office, then the total of the region (office REGION): the sum of the offices."""
    year = year or dt.date.today().year
    rows = []
    for code, name in offices(ws):
        with office_scope(ws, code):
            rows.append(office_figures(ws, code, name, year))
    _forget_caches()
    rows.append(total_row(rows, TOTAL_LABELS.get(ws.role, TOTAL_LABELS["region"])))
    return rows


def not_counted_notes(rows: list[OfficeFigures], code: str | None = None) -> list[str]:
    """One sentence per office whose training figure leaves completions out, in `code`."""
    from desktop.roster.figures import NotCounted

    code = code or current_language()
    out = []
    for fig in rows:
        left = NotCounted.from_dict(fig.not_counted)
        if left and fig.office != REGION:
            out.append(gettext_in(code, "{office}: {text}").format(office=fig.office, text=left.text(code)))
    return out


def rating_label(key: str, code: str | None = None) -> str:
    return partner_labels.result_label_for_key(key, code)


def cell(fig: OfficeFigures, key: str, code: str | None = None) -> str:
    """The text of one cell, in the current language (or `code`)."""
    value: Any = getattr(fig, key)
    if key == "office":
        return gettext_in(code or current_language(), fig.name or "Region") if value == REGION else value
    if key == "name" and fig.office == REGION:
        return ""
    if key == "not_counted":
        return number(fig.not_counted_completions, code)
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
                value = _(fig.name or "Region")
            elif key == "name" and fig.office == REGION:
                value = ""
            elif key == "not_counted":
                value = fig.not_counted_completions
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
