"""Text as importers compare and keep it: `fold` (to compare headers and values), `clean_text` (what a
cell becomes before it is kept), and the word lists of an instrument's data file.

Word lists are data (`desktop/<instrument>/data/*.json`): a synonym is added there when an export uses
another heading or value, without touching the code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare titles and headers."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


# Bidi embedding/override/isolate controls and marks: they can make a name display as something else
# (the "Trojan Source" trick) and have no place in a register. Other Cc/Cf characters likewise, except
# the zero-width (non-)joiners that Arabic, Persian and Indic names legitimately use.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def clean_text(value: str) -> tuple[str, bool]:
    """Strip control and bidi-format characters; collapse whitespace. Returns (text, changed)."""
    out = []
    changed = False
    for ch in value:
        cat = unicodedata.category(ch)
        if ch in "\t\r\n":
            out.append(" ")
            continue
        if (cat == "Cc" or cat == "Cf") and ch not in _KEEP_FORMAT:
            changed = True
            continue
        out.append(ch)
    text = " ".join("".join(out).split())
    text = unicodedata.normalize("NFC", text)
    return text, changed


def cell_text(value: Any) -> str:
    """A cell as text, cleaned: a whole number a spreadsheet stored as 12.0 is written 12."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text("" if value is None else str(value))[0]


@cache
def load_words(path: Path) -> dict[str, Any]:
    """The JSON word file of an importer (read once, at the first import)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def word_lists(section: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """code -> its words, from one section of a word file."""
    return {code: tuple(words) for code, words in section.items()}
