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
    assert formatting.date(dt.date(2026, 11, 23), "zh", "long") == "2026年11月23日"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        formatting.number(1, "de")
