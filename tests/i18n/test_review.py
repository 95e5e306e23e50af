"""The translators' review sheet: written from a copy of the real catalogs, corrected as a translator
would in the spreadsheet, read back — only the corrected strings change, broken corrections are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from i18n import catalogs, review
from i18n.tools import _babel_locale


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy)
    return copy


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.po"))}


def _message(root: Path, code: str, area: str, msgid: str):  # noqa: ANN202 - babel Message
    with (root / code / "LC_MESSAGES" / f"{area}.po").open("rb") as fh:
        return read_po(fh, locale=_babel_locale(code)).get(msgid)


def test_the_sheet_holds_every_string_in_six_languages(locale_copy: Path, tmp_path: Path) -> None:
    sheet_path = tmp_path / "review.xlsx"
    written = review.write(sheet_path)
    sheet = load_workbook(sheet_path, rich_text=True).active
    assert sheet.max_row == written + 1
    assert [c.value for c in sheet[1]] == review.HEADERS
    expected = sum(1 for _ in review.rows())
    assert written == expected > 1000
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    # A row with a termbase term: the term is marked in every language, its renderings listed.
    row = next(r for r in sheet.iter_rows(min_row=2) if "sea:" in str(r[9].value or ""))
    for cell in row[3:9]:
        assert not isinstance(cell.value, str), f"no term marked in {cell.value!r}"
        assert any(getattr(part, "font", None) is not None and part.font.b for part in cell.value)
        assert cell.column < 5 or not cell.protection.locked   # the translations can be edited
    assert row[1].protection.locked and row[3].protection.locked


def test_corrections_come_back_and_nothing_else_changes(locale_copy: Path, tmp_path: Path) -> None:
    sheet_path = tmp_path / "review.xlsx"
    review.write(sheet_path)
    before = _snapshot(locale_copy)
    # Read back untouched: nothing changes.
    assert review.read(sheet_path).changed == {code: 0 for code in review.LANGS}
    assert _snapshot(locale_copy) == before

    book = load_workbook(sheet_path)
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2))
    simple = next(r for r in rows if r[2].value in (None, "") and not review.PLACEHOLDER.search(str(r[3].value))
                  and r[6].value)
    with_placeholder = next(r for r in rows if r[2].value in (None, "") and "{" in str(r[3].value))
    plural = next(r for r in rows if r[2].value == 1 and r[4].value)
    area, msgid = simple[1].value, simple[3].value
    simple[6].value = "Texte corrigé par la traduction"                  # fr
    simple[7].value = ""                                                  # ru emptied: refused
    with_placeholder[8].value = "Texto sin su marcador {otro}"            # es: wrong placeholder: refused
    plural[4].value = plural[4].value + " ✓"                              # ar, plural form 1
    book.save(sheet_path)

    report = review.read(sheet_path)
    assert report.changed["fr"] == 1 and report.changed["ar"] == 1
    assert sum(report.changed.values()) == 2
    assert len(report.refused) == 2, report.refused
    assert any("(ru)" in why and "emptied" in why for why in report.refused)
    assert any("(es)" in why and "placeholders" in why for why in report.refused)
    assert _message(locale_copy, "fr", area, msgid).string == "Texte corrigé par la traduction"
    after = _snapshot(locale_copy)
    changed_files = {name for name in before if before[name] != after[name]}
    assert changed_files == {f"fr/LC_MESSAGES/{area}.po", f"ar/LC_MESSAGES/{plural[1].value}.po"}
