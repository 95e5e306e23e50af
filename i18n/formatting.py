"""Numbers, percentages and dates through Babel, in the language asked for.

All six languages use Western digits (0-9), as UN documents do; Babel's CLDR data for `ar` already
defaults to the Latin numbering system, and a test keeps it so.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal
from babel.numbers import format_percent as _format_percent

from i18n import current_language, language


def _locale(code: str | None) -> str:
    return language(code or current_language()).babel_locale


def number(value: int | float, code: str | None = None) -> str:
    return format_decimal(value, locale=_locale(code))


def percent(ratio: float, code: str | None = None, decimals: int = 0) -> str:
    if decimals == 0:
        return _format_percent(ratio, locale=_locale(code))
    # Keep the locale's own pattern (spacing, sign position) and only widen the fraction.
    base = Locale.parse(_locale(code)).percent_formats[None].pattern
    pattern = base.replace("0", "0." + "0" * decimals, 1) if "." not in base else base
    return _format_percent(ratio, format=pattern, locale=_locale(code))


def date(value: dt.date, code: str | None = None, style: str = "medium") -> str:
    return _format_date(value, format=style, locale=_locale(code))


def datetime(value: dt.datetime, code: str | None = None, style: str = "medium") -> str:
    return _format_datetime(value, format=style, locale=_locale(code))
