"""Dates as exports write them: ISO, `dd-Mon-yyyy`, spreadsheet date cells and `a/b/yyyy`.

`a/b/yyyy` is the hard case: 03/04/2024 is March or April depending on the system that wrote it.
`order_evidence` lets the analysis look at every date cell of a file and decide the order once (or
ask), and `parse_date` then reads each cell in that order and says why a cell is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from i18n import _

# English abbreviations only: `_NAMED` matches three Latin letters ("12-Mar-2024", "12 March 2024").
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?: .*)?$")
_NAMED = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*\.?[- ,]+(\d{4})$")


class BadDate(ValueError):
    """A cell that is not a usable date; str() is the translated reason, shown after the column's name."""


def parse_date(value: Any, order: str | None) -> dt.date | None:
    """A date from a cell. `order` is "dmy" or "mdy" for numeric dates like 03/04/2024; None when the
    cell has no such date or its order is unambiguous. Raises BadDate for something not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        m = _ISO.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _NAMED.match(text)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        m = _DMY.match(text)
        if m:
            a, b, year = int(m[1]), int(m[2]), m[3]
            if len(year) != 4:
                raise BadDate(_("use a four-digit year"))
            if a > 12 or (order == "dmy" and b <= 12):
                return dt.date(int(year), b, a)
            if b > 12 or order == "mdy":
                return dt.date(int(year), a, b)
            if a == b:
                return dt.date(int(year), a, b)
            raise BadDate(_("day and month order unknown"))
    except ValueError as exc:
        if isinstance(exc, BadDate):
            raise
        raise BadDate(_("no such day in the calendar")) from None
    raise BadDate(_("not a date"))


def order_evidence(value: Any) -> tuple[bool, bool, bool]:
    """(day first proven, month first proven, ambiguous) for one cell."""
    if not isinstance(value, str):
        return False, False, False
    m = _DMY.match(value.strip())
    if not m:
        return False, False, False
    a, b = int(m[1]), int(m[2])
    return a > 12, b > 12, a <= 12 and b <= 12 and a != b
