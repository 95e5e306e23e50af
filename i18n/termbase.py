"""The termbase (i18n/termbase.tsv): one row per concept, its approved renderings in five languages,
the renderings it forbids and the source of the decision (docs/i18n.md). Used by the termbase test
(tests/i18n/test_termbase.py: every msgid that mentions a term renders it the approved way) and by the
translators' review sheet (i18n/review.py: the terms marked in every language).

Rendering patterns (approved and forbidden alike), case-insensitive and matched anywhere in the text
(no word boundary: Arabic clitics and Chinese have none):
- `*` stands for any run of letters, so a stem takes its endings or prefixes;
- a space matches any run of spaces (also no-break spaces), `'` matches ' and ’, ё and е are one letter,
  and Arabic short vowels and tatweel are ignored in the text;
- an abbreviation in capitals (EAS, PEAS, СЭН, ПСЭН) is matched as a whole word and in capitals only.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

TERMBASE = Path(__file__).resolve().parent / "termbase.tsv"
LANGS = ("ar", "zh", "fr", "ru", "es")
COLUMNS = ["id", "en", *LANGS, "forbidden", "source"]
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)[sdr]|%[sdr]")
FILE_NAME = re.compile(r"^[\w.-]+\.(pdf|csv|xlsx|json)$")
ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
ABBREVIATION = re.compile(r"^[A-ZА-Я]{2,}$")


def pattern(rendering: str) -> re.Pattern[str]:
    """A rendering as written in the termbase -> a regular expression (see the module docstring)."""
    rendering = rendering.strip().replace("ё", "е").replace("Ё", "Е")
    if ABBREVIATION.match(rendering):  # EAS, ПСЭН: the whole word, in capitals ("áreas" is not EAS)
        return re.compile(r"(?<!\w)" + re.escape(rendering) + r"(?!\w)")
    out = []
    for ch in rendering:
        if ch == "*":
            out.append(r"\w*")
        elif ch == " ":
            out.append(r"\s+")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.IGNORECASE)


def normal(text: str) -> str:
    return ARABIC_MARKS.sub("", text).replace("ё", "е").replace("Ё", "Е").replace("\xa0", " ").replace("\u202f", " ")


@dataclass(frozen=True)
class Term:
    id: str
    en: tuple[re.Pattern[str], ...]
    approved: dict[str, tuple[str, ...]]
    forbidden: dict[str, tuple[str, ...]]
    source: str

    def approved_patterns(self, code: str) -> list[re.Pattern[str]]:
        return [pattern(r) for r in self.approved[code]]

    def forbidden_patterns(self, code: str) -> list[tuple[str, re.Pattern[str]]]:
        return [(r, pattern(r)) for r in self.forbidden.get(code, ())]


def en_pattern(variant: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in variant.strip().lower().split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?:s|es)?(?!\w)")


@functools.cache
def termbase() -> tuple[Term, ...]:
    with TERMBASE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows[0] != COLUMNS:
        raise ValueError(f"{TERMBASE.name}: header {rows[0]}, expected {COLUMNS}")
    terms = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise ValueError(f"{TERMBASE.name} line {n}: {len(row)} columns, expected {len(COLUMNS)}")
        cell = dict(zip(COLUMNS, row, strict=True))
        forbidden: dict[str, list[str]] = {}
        for item in filter(None, cell["forbidden"].split("|")):
            code, _, word = item.partition(":")
            if code not in LANGS or not word:
                raise ValueError(f"{TERMBASE.name} line {n} ({cell['id']}): forbidden item {item!r} is not lang:word")
            forbidden.setdefault(code, []).append(word)
        terms.append(Term(
            id=cell["id"],
            en=tuple(en_pattern(v) for v in cell["en"].split("|") if v.strip()),
            approved={code: tuple(v for v in cell[code].split("|") if v.strip()) for code in LANGS},
            forbidden={code: tuple(words) for code, words in forbidden.items()},
            source=cell["source"],
        ))
    return tuple(terms)


def terms_in(english: str) -> tuple[list[Term], list[Term]]:
    """The terms a msgid is checked for (longest match wins) and all the terms it mentions at all."""
    if FILE_NAME.match(english):
        return [], []  # a default file name is not prose
    text = PLACEHOLDER.sub(" ", english).lower()
    spans = []
    for term in termbase():
        for pat in term.en:
            spans += [(m.start(), m.end(), term) for m in pat.finditer(text)]
    kept = {t.id: t for s, e, t in spans
            if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) and t2.id != t.id for s2, e2, t2 in spans)}
    mentioned = {t.id: t for _s, _e, t in spans}
    return list(kept.values()), list(mentioned.values())
