"""The letter's sentences as each language writes them: in Chinese no space after a full-width full
stop, a space between Chinese characters and a Latin name or a number filled into a statement, none
around a Chinese name; in French, Spanish and English the office's name with its article inside a
sentence ("que le Bureau de pays du Kenya a"), with a capital when it opens one."""

from __future__ import annotations

import re

from desktop.letter import compose, model, templates
from storage import Workspace

pytest_plugins = ["tests.desktop.letter.conftest"]


def test_chinese_sentences_and_filled_values(demo: Workspace) -> None:
    comp = compose.compose(demo, model.ensure(demo, 2026, "zh"))
    text = "".join(i.text for b in comp.blocks for i in b.items)
    assert "。 " not in text and "： " not in text
    assert not re.search(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]", text), \
        re.findall(r".{4}(?:[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]).{4}", text)[:5]


def test_fill_spaces_latin_values_only_in_chinese() -> None:
    values = {"title": "办事处主任", "name": "Amina Odhiambo", "entity": "人居署", "year": "2026"}
    assert templates.fill("本人——{title}{name}——兹向{entity}负责人", values, "zh") == \
        "本人——办事处主任 Amina Odhiambo——兹向人居署负责人"
    assert templates.fill("{year}年", values, "zh") == "2026 年"
    assert templates.fill("{title}{name}", {"title": "Head ", "name": "Amina"}, "en") == "Head Amina"
    assert templates.fill("{unknown}{name}", values, "zh") == "{unknown}Amina Odhiambo"


def test_the_office_is_named_with_its_article(demo: Workspace) -> None:
    for code, inside, opening in (("fr", "que le Bureau de pays du Kenya a", "Le Bureau de pays du Kenya"),
                                  ("es", "que la Oficina en el país de Kenya", "La Oficina en el país de Kenya"),
                                  ("en", "that the Kenya Country Office has", "The Kenya Country Office")):
        comp = compose.compose(demo, model.ensure(demo, 2026, code))
        text = " ".join(i.text for b in comp.blocks for i in b.items)
        assert inside in text, code
        assert opening in text, code
        assert not re.search(r"(?:que|that) (?:Bureau|Oficina|Kenya Country)", text), code
    # Without the setting, the office's plain name is used (nothing invented).
    assert templates.fill("{who} a", {"who": "Bureau de pays"}, "fr") == "Bureau de pays a"
