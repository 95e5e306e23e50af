import datetime as dt
import re

import pytest

from i18n import LANGUAGE_CODES, formatting

EASTERN = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_western_digits_in_every_language(code: str) -> None:
    texts = [formatting.number(1234567.5, code), formatting.percent(0.823, code),
             formatting.percent(0.8234, code, 1), formatting.date(dt.date(2026, 11, 23), code, "long")]
    for text in texts:
        assert not EASTERN.search(text), f"{code}: {text!r}"
        assert re.search("[0-9]", text)


def test_numbers_and_dates_follow_the_locale() -> None:
    assert formatting.number(1234.5, "fr") == "1\u202f234,5"
    assert formatting.number(1234.5, "es") in ("1234,5", "1.234,5")
    assert formatting.number(1234.5, "en") == "1,234.5"
    assert formatting.percent(0.8234, "fr", 1) == "82,3\u00a0%"
    assert "novembre" in formatting.date(dt.date(2026, 11, 23), "fr", "long")
    assert "ноября" in formatting.date(dt.date(2026, 11, 23), "ru", "long")
    assert formatting.date(dt.date(2026, 11, 23), "zh", "long") == "2026 年 11 月 23 日"   # UN Chinese spacing


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        formatting.number(1, "de")


@pytest.mark.parametrize("code", LANGUAGE_CODES)
@pytest.mark.parametrize("style", ["short", "medium", "long", "full"])
def test_dates_have_four_digit_years_in_every_style(code: str, style: str) -> None:
    """UN style: "11/29/26" is ambiguous; every language and style writes the year in full."""
    for day in (dt.date(2026, 1, 1), dt.date(2026, 11, 29), dt.date(2031, 3, 4)):
        text = formatting.date(day, code, style)
        assert str(day.year) in text, (code, style, text)
        assert str(day.year)[2:] not in text.replace(str(day.year), ""), (code, style, text)


def test_un_date_styles() -> None:
    assert formatting.date(dt.date(2026, 11, 29), "en", "long") == "29 November 2026"   # day before month
    assert formatting.date(dt.date(2026, 11, 29), "en", "short") == "29/11/2026"
    assert formatting.date(dt.date(2026, 1, 1), "fr", "long") == "1er janvier 2026"      # French "1er"
    assert formatting.date(dt.date(2026, 1, 11), "fr", "long") == "11 janvier 2026"
    assert formatting.date(dt.date(2026, 1, 1), "fr", "short") == "01/01/2026"
    assert formatting.date(dt.date(2026, 11, 29), "es", "short") == "29/11/2026"


def test_un_arabic_months_and_percentages_in_words() -> None:
    """UN Arabic: both names of each month ("كانون الأول/ديسمبر"), in every date with a month name and
    never CLDR's single name alone; percentages in words inside sentences, with the sign in tables."""
    for month, name in enumerate(formatting.UN_ARABIC_MONTHS, start=1):
        day = dt.date(2026, month, 15)
        text = formatting.date(day, "ar", "long")
        assert name in text and text.count("/") == 1, text
        assert "2026" in text and "15" in text
    stamp = formatting.datetime(dt.datetime(2026, 12, 3, 14, 5), "ar", "long")
    assert "كانون الأول/ديسمبر" in stamp
    assert formatting.percent_in_text(0.853, "ar") == "85 في المائة"
    assert formatting.percent_in_text(0.8534, "ar", 1) == "85.3 في المائة"
    assert formatting.percent(0.853, "ar").rstrip("\u200e\u061c").endswith("%")   # tables keep the sign
    for code in ("en", "fr", "es", "ru", "zh"):
        assert formatting.percent_in_text(0.853, code) == formatting.percent(0.853, code)
