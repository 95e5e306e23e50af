"""Numbers, percentages and dates through Babel, in the language asked for.

All six languages use Western digits (0-9), as UN documents do; Babel's CLDR data for `ar` already
defaults to the Latin numbering system, and a test keeps it so.
"""

from __future__ import annotations

import datetime as dt
import re

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


def percent_in_text(ratio: float, code: str | None = None, decimals: int = 0) -> str:
    """A percentage inside a sentence. UN Arabic writes it in words, "85 في المائة" (as the Arabic
    editions of UN reports do), and keeps the sign for tables; the other five languages write it as in
    tables ("85 %" in French, "85%" in English)."""
    if _locale(code).split("_")[0] == "ar":
        value = round(ratio * 100, decimals)
        return f"{format_decimal(value if decimals else int(value), locale=_locale(code))} في المائة"
    return percent(ratio, code, decimals)


# UN Arabic names the months twice, the Levantine name and the one used in Egypt and the Maghreb
# ("كانون الأول/ديسمبر"), with the UN spellings يونيه and يوليه, as in the Arabic editions of General
# Assembly resolutions; CLDR's `ar` has the second names only.
UN_ARABIC_MONTHS = ("كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
                    "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر",
                    "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر")


def _date_locale(code: str | None) -> str:
    """The locale whose date patterns a language uses. English dates are written the UN way, day before
    month ("29 November 2026", as in UN documents), not the United States way ("November 29, 2026")."""
    locale = _locale(code)
    return "en_GB" if locale.split("_")[0] == "en" else locale


def _four_digit_years(pattern: str) -> str:
    """A CLDR pattern with the year in full: "yy" (26) becomes "y" (2026); "11/29/26" is ambiguous."""
    return _TWO_DIGIT_YEAR.sub("y", pattern)


_TWO_DIGIT_YEAR = re.compile(r"(?<!y)yy(?!y)")


def date_pattern(code: str | None = None, style: str = "medium") -> str:
    return _four_digit_years(Locale.parse(_date_locale(code)).date_formats[style].pattern)


def date(value: dt.date, code: str | None = None, style: str = "medium") -> str:
    """A date in the language's own order, with a four-digit year in every style; in French the first
    of the month is "1er" ("1er janvier 2026"), as UN French writes it."""
    pattern = date_pattern(code, style)
    text = _format_date(value, format=pattern, locale=_date_locale(code))
    base = _locale(code).split("_")[0]
    if value.day == 1 and base == "fr" and style != "short":
        text = _FRENCH_FIRST.sub("1er", text, count=1)
    if base == "ar" and "MMM" in pattern:
        text = _un_arabic_month(text, value)
    if base == "zh":
        text = chinese_spacing(text)
    return text


_HAN_THEN_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])")


def chinese_spacing(text: str) -> str:
    """UN Chinese sets Western digits and Latin words apart from Chinese characters with a space:
    "2022 年 7 月 1 日", "第 23-25 段" (the Chinese editions of A/78/774 and A/RES/75/321 write 96
    dates spaced for 2 tight). CLDR writes "2022年7月1日"."""
    return _HAN_THEN_LATIN.sub(" ", text)


def _un_arabic_month(text: str, value: dt.date) -> str:
    cldr = _format_date(value, format="MMMM", locale=_date_locale("ar"))
    return text.replace(cldr, UN_ARABIC_MONTHS[value.month - 1], 1)


_FRENCH_FIRST = re.compile(r"(?<!\d)1(?=\s\D)")


def datetime(value: dt.datetime, code: str | None = None, style: str = "medium") -> str:
    """A date and time as `date` writes the date, with the language's time pattern."""
    locale = Locale.parse(_date_locale(code))
    combined = str(locale.datetime_formats[style]).replace("{1}", date_pattern(code, style)).replace(
        "{0}", locale.time_formats[style].pattern)
    text = _format_datetime(value, format=combined, locale=locale)
    if _locale(code).split("_")[0] == "ar" and "MMM" in combined:
        text = _un_arabic_month(text, value.date())
    if _locale(code).split("_")[0] == "zh":
        text = chinese_spacing(text)
    return text
