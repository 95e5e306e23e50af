"""CSV and XLSX exports of the (filtered) roster, with headers in the chosen language.

Spreadsheet programs run a cell that begins with = + - @ (or a tab / carriage return before one) as a
formula; an exported name like "=HYPERLINK(...)" must stay text, so such cells get a leading
apostrophe (the OWASP "CSV injection" advice). The export is written only where the user asked,
owner-only and without temporary files (desktop/private_files.py, desktop/xlsx.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

from desktop import xlsx
from desktop.private_files import private_file
from desktop.roster.figures import STATUS_LABELS
from desktop.roster.listing import Roster
from desktop.roster.model import CATEGORIES
from i18n import N_, current_language, gettext_in

HEADERS = (N_("Full name"), N_("Index number"), N_("E-mail"), N_("Personnel category"), N_("Office"), N_("Unit"),
           N_("Status"), N_("Last completion"))
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    if value and value[0] in _DANGEROUS:
        return "'" + value
    return value


def _rows(roster: Roster, rows: list[int], language: str) -> list[list[str]]:
    snap = roster.snap
    labels = {code: gettext_in(language, label) for code, label in CATEGORIES}
    out = []
    for r in rows:
        status = roster.statuses[r]
        if status == "expiring":
            status_text = gettext_in(language, "Expiring within {days} days").format(days=roster.expiring_within[r])
        else:
            status_text = gettext_in(language, STATUS_LABELS[status])
        last = dt.date.fromordinal(snap.last_day[r]).isoformat() if snap.last_day[r] else ""
        out.append([neutralise(v) for v in (
            snap.names[r], snap.index_numbers[r], snap.emails[r], labels[snap.category_code(r)], snap.office(r),
            snap.units[r], status_text, last)])
    return out


def write_csv(path: str | Path, roster: Roster, rows: list[int], language: str | None = None) -> None:
    """UTF-8 with BOM (so that Excel opens Arabic and Chinese correctly), comma-separated."""
    language = language or current_language()
    with private_file(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([gettext_in(language, h) for h in HEADERS])
        writer.writerows(_rows(roster, rows, language))


def write_xlsx(path: str | Path, roster: Roster, rows: list[int], language: str | None = None) -> None:
    language = language or current_language()
    header = [gettext_in(language, h) for h in HEADERS]
    xlsx.write_xlsx(path, gettext_in(language, "Training roster"), itertools.chain([header], _rows(roster, rows, language)),
                    right_to_left=language == "ar")
