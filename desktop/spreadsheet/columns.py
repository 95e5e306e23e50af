"""Which column of a file holds which field, and which word of a cell means which code.

A header names a field when its folded form is one of the field's words (an instrument's data file)
or the field's label in one of the six languages: exact words first, then a header that contains a
word of four letters or more. Values (a category, a type, yes or no) are recognised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from desktop.spreadsheet.words import fold
from i18n import LANGUAGE_CODES, _, gettext_in, ngettext

# (field code, its label as an N_() msgid): what a column can hold, in the order the wizard lists them.
Fields = tuple[tuple[str, str], ...]


def guess_columns(headers: list[str], fields: Fields, synonyms: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """field code -> column number, for the fields the headers name (each column used once)."""
    folded = [fold(h) for h in headers]
    words_of = {code: {fold(w) for w in synonyms.get(code, ())}
                | {fold(gettext_in(lang, label)) for lang in LANGUAGE_CODES} for code, label in fields}
    mapping: dict[str, int] = {}
    # exact synonyms first, then "header contains a synonym" for headers still free
    for exact in (True, False):
        for code, _label in fields:
            if code in mapping:
                continue
            words = words_of[code]
            for col, h in enumerate(folded):
                if col in mapping.values() or not h:
                    continue
                if (h in words) if exact else any(len(w) > 3 and w in h for w in words):
                    mapping[code] = col
                    break
    return mapping


def value_words(synonyms: Mapping[str, Iterable[str]], labels: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folded word -> code: the synonyms first (in their order), then the codes, then the labels in the
    six languages; the first code to claim a word keeps it."""
    out: dict[str, str] = {}
    for code, words in synonyms.items():
        for w in words:
            out.setdefault(fold(w), code)
        out.setdefault(fold(code), code)
    for code, label in labels:
        for lang in LANGUAGE_CODES:
            out.setdefault(fold(gettext_in(lang, label)), code)
    return out


def unused_columns(headers: list[str], mapping: dict[str, int]) -> list[str]:
    """Headers of the columns the mapping leaves out (shown in the preview and the report, so that no
    column is dropped without the user seeing it); an empty header is named by its position."""
    used = set(mapping.values())
    return [h or _("column {n}").format(n=col + 1) for col, h in enumerate(headers) if col not in used]


def unused_sentence(unused: list[str]) -> str | None:
    """The sentence the preview and the report say about the columns left out (None: every column is used)."""
    if not unused:
        return None
    return ngettext("This column is not imported: {columns}.", "These columns are not imported: {columns}.",
                    len(unused)).format(columns=", ".join(unused))
