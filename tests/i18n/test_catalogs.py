"""The six catalogs are complete, valid, up to date with the source, and follow the glossary."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from babel.messages.pofile import read_po

import i18n
from i18n import LANGUAGE_CODES
from i18n.catalogs import area_files
from i18n.tools import _babel_locale, extract

TRANSLATED = [c for c in LANGUAGE_CODES if c != "en"]
ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
FILE_NAME = re.compile(r"^[\w.-]+\.(pdf|csv|xlsx|json)$")
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def _catalogs(code: str) -> dict:
    merged = {}
    for po in area_files(code):
        with po.open("rb") as fh:
            for m in read_po(fh, locale=_babel_locale(code)):
                if m.id:
                    merged[m.id if isinstance(m.id, str) else m.id[0]] = (m, po.name)
    return merged


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}


def test_every_area_file_exists_in_all_six_languages() -> None:
    areas = {code: sorted(p.name for p in area_files(code)) for code in LANGUAGE_CODES}
    assert areas["en"], "no catalogs at all"
    for code in LANGUAGE_CODES:
        assert areas[code] == areas["en"], f"{code} has areas {areas[code]}, en has {areas['en']}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) not installed: ./dev.sh test installs it")
@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_msgfmt_check_accepts_and_nothing_untranslated_or_fuzzy(code: str) -> None:
    for po in area_files(code):
        result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True)
        assert result.returncode == 0, f"{po}: {result.stderr}"
        stats = result.stderr.strip().splitlines()[-1]
        assert "untranslated" not in stats and "fuzzy" not in stats, f"{po}: {stats}"


def test_catalogs_hold_every_string_of_the_source(source_ids: set[str]) -> None:
    for code in LANGUAGE_CODES:
        have = set(_catalogs(code))
        missing = sorted(source_ids - have)
        assert not missing, f"{code}: strings used in the code but not in the catalog (run ./dev.sh i18n): {missing[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code: str) -> None:
    for msgid, (message, area) in _catalogs(code).items():
        wanted = sorted(PLACEHOLDER.findall(msgid))
        # A plural's forms follow its plural English text; the English singular may leave the count out
        # ("the last change") where a language's form that also serves 21 or "all numbers" must say it.
        plural = sorted(PLACEHOLDER.findall(message.id[1])) if isinstance(message.id, tuple) else wanted
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for n, text in enumerate(strings):
            if not text:
                continue  # untranslated: reported by the msgfmt test
            got = sorted(PLACEHOLDER.findall(text))
            if code in ("ar", "ru", "zh") and isinstance(message.string, tuple) and wanted == ["{n}"] and not got:
                continue  # Arabic "one"/"two"/"zero" forms may spell the number out
            assert got in (wanted, plural), f"{code}/{area}: {msgid!r} form {n} has placeholders {got}, expected {wanted}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_arabic_indic_digits_and_no_english_copy(code: str) -> None:
    for msgid, (message, area) in _catalogs(code).items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert not ARABIC_INDIC.search(text), f"{code}/{area}: Eastern Arabic digits in {text!r}"
        words = re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub(" ", msgid))
        if len(words) >= 4:  # a sentence, not a format like "{capacity} ({risk})" or "error: %s"
            assert strings[0] != msgid, f"{code}/{area}: left in English: {msgid!r}"


CAPACITY = {
    "fr": ("capacit",), "es": ("capacidad",), "ru": ("потенциал",), "zh": ("能力",), "ar": ("قدر",),
}
NEVER_CAPACITY = {
    "ru": ("мощност", "ёмкост", "емкост"), "ar": ("سعة", "طاقة"), "zh": ("容量", "功率"),
    "fr": ("puissance",), "es": ("potencia",),
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_capacity_is_capacity_never_power_or_storage(code: str) -> None:
    for msgid, (message, area) in _catalogs(code).items():
        prose = PLACEHOLDER.sub(" ", msgid).lower()
        if "capacity" not in prose or FILE_NAME.match(msgid):
            continue  # a format like "{capacity} ({risk})" or a default file name is not a rendering
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            lowered = text.lower()
            assert any(term in lowered for term in CAPACITY[code]), f"{code}/{area}: 'capacity' not rendered as {CAPACITY[code]} in {text!r}"
            assert not any(term in lowered for term in NEVER_CAPACITY[code]), f"{code}/{area}: power/storage word in {text!r}"


def test_arabic_has_six_plural_forms_and_switching_is_immediate() -> None:
    assert i18n.translator("ar").plural(11) == 4 and i18n.translator("ar").plural(100) == 5
    i18n.set_language("fr")
    assert i18n._("The workspace file is damaged.") == "Le fichier de l'espace de travail est endommagé."
    i18n.set_language("ar")
    assert i18n.is_rtl()
    assert i18n._("The workspace file is damaged.") != "The workspace file is damaged."
