"""UN Chinese typography: Western digits and Latin words are set apart from Chinese characters by a
space ("2022 年 7 月 1 日", "第 23-25 段", "PSEA Desk 发现"), as the Chinese editions in
../shared/seeds write them (A/78/774: 332 spaced, 52 tight). In the catalogs this holds for literal
text and for placeholders that stand for numbers, codes or Latin text; placeholders that may hold
Chinese (a name, an entity, a date ending in 日 on its right) are left as the translator wrote them."""

from __future__ import annotations

import datetime as dt
import re

from babel.messages.pofile import read_po

from i18n import formatting
from i18n.catalogs import area_files

HAN = "[\u4e00-\u9fff]"
NUMERIC = ("version", "year", "n", "answered", "total", "score", "low", "high", "training_rate", "population",
           "trained", "subjects_total", "subjects_assessed", "new", "partners_total", "agreements",
           "agreements_with_clauses", "number", "size", "limit", "decision", "paragraph", "symbol", "completions",
           "key", "setting", "field", "path", "value", "what", "count")
TIGHT = re.compile(
    rf"{HAN}[A-Za-z0-9]|[A-Za-z0-9]{HAN}"
    rf"|{HAN}\{{(?:{'|'.join(NUMERIC)}|date|until|start|end)\}}|\{{(?:{'|'.join(NUMERIC)})\}}{HAN}")


def test_chinese_catalogs_space_digits_and_latin_words() -> None:
    tight = []
    for po in area_files("zh"):
        with po.open("rb") as fh:
            for message in read_po(fh, locale="zh_Hans"):
                if not message.id:
                    continue
                strings = [message.string] if isinstance(message.string, str) else list(message.string)
                tight += [f"{po.stem}: {s!r}" for s in strings if s and TIGHT.search(s)]
    assert not tight, "\n".join(tight[:20])


def test_chinese_dates_are_spaced() -> None:
    assert formatting.date(dt.date(2022, 7, 1), "zh", "long") == "2022 年 7 月 1 日"
    assert formatting.chinese_spacing("PSEA Desk发现2项") == "PSEA Desk 发现 2 项"
    assert formatting.chinese_spacing("第 4.6 节") == "第 4.6 节"


def test_filled_values_follow_chinese_spacing() -> None:
    """A name filled into a Chinese sentence at run time: a Latin name set apart, a Chinese one not."""
    import i18n

    template = "{rating}，由{agency}评估"
    assert i18n.fill(template, {"rating": "能力充分", "agency": "UNICEF"}, "zh") == "能力充分，由 UNICEF 评估"
    assert i18n.fill(template, {"rating": "能力充分", "agency": "儿基会"}, "zh") == "能力充分，由儿基会评估"
    assert i18n.fill("{a}, by {b}", {"a": "Full capacity", "b": "UNICEF"}, "en") == "Full capacity, by UNICEF"
