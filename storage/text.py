"""Text as the store keeps it, whatever door it came through (a form, an import, a bundle).

One rule, applied by `Records` to every local write and by the bundle reader to every row it accepts:

- control characters (Unicode Cc, except tab and line breaks) and format characters (Cf: bidi
  embeddings, overrides, isolates, marks, zero-width spaces), except the zero-width (non-)joiners that
  Arabic, Persian and Indic text needs, are removed. They can make a name display as another one
  (the "Trojan Source" trick), and NUL cuts strings in other tools;
- a value longer than its field allows is refused (`ValueTooLong`), never cut: an ordinary field holds
  at most MAX_TEXT characters; fields that hold a JSON document (a letter's sections, a rule set)
  are declared `long_fields` on their RecordKind and hold at most MAX_LONG_TEXT;
- fields declared `file_name_fields` (an attachment's name) keep a safe base name only: no folders,
  no path of any system, never a name that means "this folder" or "the folder above".
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT = 20_000
MAX_LONG_TEXT = 1_000_000
# Cc and Cf of Unicode 14 without tab, line feed, carriage return, ZWNJ and ZWJ (tests/storage/test_text.py
# checks this list against the Unicode database of the running Python).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u180e\u200b\u200e-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd"
    "\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


class ValueTooLong(ValueError):
    """A value longer than its field holds: refused with the field and the limit, never cut."""

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(f"{field}: longer than {limit} characters")
        self.field, self.limit = field, limit


def clean(value: str) -> str:
    """`value` without unsafe control and format characters (see the module docstring)."""
    return _UNSAFE.sub("", value) if _UNSAFE.search(value) else value


def has_unsafe(value: str) -> bool:
    return _UNSAFE.search(value) is not None


def safe_file_name(value: str) -> str:
    """The last part of a path written on any system, cleaned; "file" when nothing usable is left."""
    name = clean(value).replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".").strip()
    if ":" in name:          # a drive letter or an alternate data stream on Windows
        name = name.rsplit(":", 1)[-1].strip()
    return name[:255] or "file"


def checked_fields(fields: tuple[str, ...], data: dict[str, Any], *, long_fields: frozenset[str] = frozenset(),
                   file_name_fields: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`data` with every text field cleaned (a new dict only when something changed); raises
    ValueTooLong for a value over its field's limit."""
    out = data
    for field in fields:
        value = data.get(field)
        if type(value) is not str:
            continue
        limit = MAX_LONG_TEXT if field in long_fields else MAX_TEXT
        if len(value) > limit:
            raise ValueTooLong(field, limit)
        cleaned = safe_file_name(value) if field in file_name_fields else clean(value)
        if cleaned is not value and cleaned != value:
            if out is data:
                out = dict(data)
            out[field] = cleaned
    return out
