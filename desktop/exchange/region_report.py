"""The regional report PDF, in any of the six languages, through the shared PDF engine (desktop/pdf)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4, landscape

import i18n
from desktop.exchange.merge import import_history
from desktop.exchange.region import (
    COLUMNS,
    NUMERIC_COLUMNS,
    OfficeFigures,
    cell,
    not_counted_notes,
    regional_figures,
)
from desktop.exchange.senders import known_senders
from desktop.pdf import Document
from desktop.roster.figures import letter_as_of
from i18n import gettext_in, ngettext_in
from i18n.formatting import date as format_date
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

_NUMERIC = tuple(n for n, (key, _h) in enumerate(COLUMNS) if key in NUMERIC_COLUMNS)


def regional_report(ws: Workspace, path: Path | str | None, code: str, *, year: int | None = None,
                    rows: list[OfficeFigures] | None = None, today: dt.date | None = None) -> bytes:
    """Write the report (to `path` if given) and return the PDF bytes."""
    today = today or dt.date.today()
    year = year or today.year
    rows = rows if rows is not None else regional_figures(ws, year)
    title = gettext_in(code, "Regional PSEA report {year}: {entity}").format(year=year, entity=ws.entity)
    doc = Document(code, title, author=ws.entity, subject=gettext_in(code, "Regional PSEA report"),
                   page_size=landscape(A4), margins_mm=14,
                   footer=gettext_in(code, "PSEA Desk regional report, {date}").format(
                       date=i18n.isolated(format_date(today, code, "long"), code)))
    doc.heading(title, 1)
    offices = len(rows) - 1
    doc.paragraph(ngettext_in(code, "Figures of {offices} office in this workspace, for {year}, as of {date}. "
                                    "The last row is the sum of the offices.",
                              "Figures of {offices} offices in this workspace, for {year}, as of {date}. "
                              "The last row is the sum of the offices.", offices).format(
        offices=number(offices, code), year=year, date=format_date(letter_as_of(year, today), code, "long")))
    table = [[gettext_in(code, heading) for _key, heading in COLUMNS]]
    for fig in rows:
        table.append([cell(fig, key, code) for key, _h in COLUMNS])
    widths = [52, 78, 50, 46, 50, 56, 48, 56, 56, 50, 52, 46, 122]
    doc.table(table, col_widths=widths, numeric_columns=_NUMERIC)
    for note in not_counted_notes(rows, code):
        doc.paragraph(note, "small")
    doc.paragraph(gettext_in(code, "Completion rate: personnel trained during the year as a share of personnel "
                                   "counted for the management letter. Completions not counted: completions of "
                                   "courses not yet classified, which no figure counts until the course is classified. "
                                   "Partners assessed: partners with a valid capacity assessment. A dash means the "
                                   "figure is not available in this workspace."),
                  "small")

    history = import_history(ws, limit=200)
    latest: dict[str, dict] = {}
    for row in history:
        latest.setdefault(row["office"], row)
    doc.heading(gettext_in(code, "Bundles merged"), 2)
    if not latest:
        doc.paragraph(gettext_in(code, "No bundles have been merged into this workspace yet."))
    else:
        fingerprints = {s.office: s.fingerprint for s in known_senders(ws)}
        rows_out = [[gettext_in(code, "Office"), gettext_in(code, "Last bundle"), gettext_in(code, "Exported"),
                     gettext_in(code, "Merged"), gettext_in(code, "Signing key fingerprint")]]
        for office, row in sorted(latest.items()):
            rows_out.append([office, row["file_name"], _day(row["exported_at"], code), _day(row["at"], code),
                             fingerprints.get(office, row["fingerprint"])])
        doc.table(rows_out, col_widths=[80, 250, 90, 90, 250])
    return doc.build(path)


def _day(iso: str, code: str) -> str:
    try:
        return format_date(dt.datetime.fromisoformat(iso).date(), code)
    except ValueError:
        return iso
