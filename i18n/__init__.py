"""Languages of PSEA Desk: one gettext catalog set for the window, the command line and the PDFs.

The current language is process-wide state because the window, the command line and the audit
messages all follow the user's choice; documents that must be written in another language (a letter
in French while the window is in Arabic) ask for `translator(code)` explicitly instead.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

DOMAIN = "psea_desk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    rtl: bool
    babel_locale: str


# Order of the UN's six official languages as they appear in UN documents (alphabetical in English).
LANGUAGES: tuple[Language, ...] = (
    Language("ar", "العربية", True, "ar"),
    Language("zh", "中文", False, "zh_Hans_CN"),
    Language("en", "English", False, "en"),
    Language("fr", "Français", False, "fr"),
    Language("ru", "Русский", False, "ru"),
    Language("es", "Español", False, "es"),
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
SOURCE_LANGUAGE = "en"

_by_code = {lang.code: lang for lang in LANGUAGES}
_cache: dict[str, _gettext.NullTranslations] = {}
_current = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def language(code: str) -> Language:
    """The Language for a code; raises ValueError for anything but the six."""
    try:
        return _by_code[code]
    except KeyError:
        raise ValueError(f"unsupported language {code!r}; expected one of {', '.join(LANGUAGE_CODES)}") from None


def is_rtl(code: str | None = None) -> bool:
    return language(code or _current).rtl


def left_to_right(text: str, code: str | None = None) -> str:
    """`text` (a digest, a fingerprint, a path) kept in one left-to-right run inside a right-to-left
    sentence: without it, a hex digest starting with digits is split and reordered by the bidi
    algorithm. Unicode isolates (LRI ... PDI), added only for right-to-left languages."""
    return f"\u2066{text}\u2069" if is_rtl(code) else text


def isolated(text: str, code: str | None = None) -> str:
    """`text` (a name, a code, a date) as one unit in a right-to-left line, whatever its own direction:
    a first-strong isolate (FSI ... PDI), added only for right-to-left languages. Composite strings (a
    footer "entity · office · date") are built from isolated parts, so the bidi algorithm never splits
    a date around its neighbours ("2026/11/UN-Habitat · KEN-NBO · 29")."""
    return f"\u2068{text}\u2069" if is_rtl(code) and text else text


def joined(parts: list[str], code: str | None = None, separator: str = " · ") -> str:
    """Non-empty `parts` joined, each isolated (see `isolated`); in a right-to-left language the
    separator is held between right-to-left marks, so it stays with the line's direction even where
    isolates become embeddings (the PDFs' bidi algorithm: desktop/pdf/text.py)."""
    if is_rtl(code):
        separator = f"\u200f{separator}\u200f"
    return separator.join(isolated(p, code) for p in parts if p)


def fill(text: str, values: Mapping[str, str], code: str | None = None) -> str:
    """Replace known {placeholders}; leave anything else exactly as typed. In Chinese a value that
    begins or ends with a Western digit or Latin letter is set apart from an adjoining Chinese character
    by a space (UN Chinese: "主任 Amina Odhiambo"), a Chinese value is not ("肯尼亚国家办事处已").
    A value that opens a sentence starts with a capital ("le Bureau de pays" -> "Le Bureau de pays")."""
    pieces: list[tuple[str, bool]] = []      # (text, is a value)
    at = 0
    for match in _FILL_PLACEHOLDER.finditer(text):
        found = values.get(match.group(1))
        if found is None:
            continue
        pieces += [(text[at:match.start()], False), (found, True)]
        at = match.end()
    pieces.append((text[at:], False))
    out = ""
    for n, (piece, is_value) in enumerate(pieces):
        if code == "zh" and out and piece and (is_value or pieces[n - 1][1]) and _needs_space(out[-1], piece[0]):
            out += " "
        if is_value and piece and (not out.strip() or out.rstrip()[-1] in ".!?"):
            piece = piece[0].upper() + piece[1:]   # a name with its article opens a sentence: "Le Bureau…"
        out += piece
    return out


def _needs_space(left: str, right: str) -> bool:
    return bool((_HAN.match(left) and _LATIN_OR_DIGIT.match(right)) or
                (_LATIN_OR_DIGIT.match(left) and _HAN.match(right)))


_FILL_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)\}")
_HAN = re.compile("[\u4e00-\u9fff]")
_LATIN_OR_DIGIT = re.compile("[A-Za-z0-9]")


def sentences(parts: list[str], code: str | None = None) -> str:
    """Sentences one after another: separated by a space, except in Chinese, whose full stop "。" is
    full width and takes no space after it (a space there also starts a line with a gap)."""
    return ("" if (code or current_language()) == "zh" else " ").join(p for p in parts if p)


def translator(code: str) -> _gettext.NullTranslations:
    """The catalog of one language, loaded once. Falls back to compiling the .po in memory when
    the .mo has not been built (a fresh clone before `./dev.sh` has run)."""
    language(code)
    if code not in _cache:
        _cache[code] = _load(code)
    return _cache[code]


def _load(code: str) -> _gettext.NullTranslations:
    from i18n import catalogs  # late import: Babel is only needed when no compiled catalog exists

    mo = catalogs.compiled_path(code)
    if mo.exists() and not catalogs.is_stale(code):
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    return catalogs.translations_in_memory(code)


def set_language(code: str) -> None:
    """Switch the process language and tell every listener (the window retranslates itself)."""
    global _current
    language(code)
    translator(code)
    _current = code
    for listener in list(_listeners):
        listener(code)


def current_language() -> str:
    return _current


def add_listener(callback: Callable[[str], None]) -> None:
    _listeners.append(callback)


def remove_listener(callback: Callable[[str], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def _(message: str) -> str:
    """Translate into the current language."""
    return translator(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level constants)."""
    return message


def gettext_in(code: str, message: str) -> str:
    return translator(code).gettext(message)


def ngettext_in(code: str, singular: str, plural: str, n: int) -> str:
    return translator(code).ngettext(singular, plural, n)


_sources: dict[str, dict[str, str]] = {}


def source_text(text: str, code: str | None = None) -> str | None:
    """The English source (msgid) whose translation in `code` is `text`, or None (not a catalog text, or
    a formatted one). The window's access keys use it to give a Chinese or Arabic button the key its
    English original has ("保存(&S)" for "Save")."""
    code = code or _current
    if code == SOURCE_LANGUAGE:
        return text
    if code not in _sources:
        catalog = getattr(translator(code), "_catalog", {})
        _sources[code] = {str(msgstr): str(msgid) for msgid, msgstr in catalog.items()
                          if isinstance(msgid, str) and msgid and msgstr}
    return _sources[code].get(text)


def language_from_environment(default: str = SOURCE_LANGUAGE) -> str:
    """PSEA_DESK_LANGUAGE wins, then LANGUAGE/LC_ALL/LANG; anything unsupported gives the default."""
    for var in ("PSEA_DESK_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in _by_code:
            return code
    return default
