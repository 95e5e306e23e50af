"""The words that name the importer's columns and categories, read from `data/headers.json`.

They are data, like the other instruments' tables (`desktop/<instrument>/data/*.json`): a synonym is
added there when an ERP export uses another heading, without touching the code. Read once, at the
first import (not when the roster is opened).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "headers.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def header_synonyms() -> dict[str, tuple[str, ...]]:
    """Field code -> the headings that name it, in the six languages (compared after folding)."""
    return {code: tuple(words) for code, words in _data()["headers"].items()}


@cache
def category_synonyms() -> dict[str, tuple[str, ...]]:
    """Personnel category code -> the words an export writes for it, in the order they are tried."""
    return {code: tuple(words) for code, words in _data()["categories"].items()}


@cache
def paired_name_headers() -> tuple[frozenset[str], frozenset[str]]:
    """(family, given): folded headings that mean the full name alone, but that part of the name when
    the file also has a column of the other part (see mapping.guess_mapping)."""
    pairs = _data()["paired_name_headers"]
    return frozenset(pairs["family"]), frozenset(pairs["given"])
