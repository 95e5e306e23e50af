"""Typography read back from the PDFs, in the six languages: no word split inside a table cell, no page
holding only the closing notes, footnote markers that cannot be read as a power or a decimal.

The letters, the roster report and the regional report are rendered and read back with pdftotext (page
by page), Arabic included: its text layer gives the letters (tests/desktop/pdf/test_text_layer.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import i18n
from desktop.exchange.region import COLUMNS, regional_figures
from desktop.exchange.region_report import regional_report
from desktop.letter import model, service
from desktop.pdf import Document
from desktop.roster import report as roster_report
from i18n import gettext_in
from storage import Workspace
from tests.desktop.letter.conftest import DEMO_PASSPHRASE, TODAY
from tests.desktop.letter.ready import make_ready

pytest_plugins = ["tests.desktop.letter.conftest"]


def _pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


def _headers_whole(headers: list[str], text: str, code: str) -> list[str]:
    """Header words (of 5 letters or more) that do not appear whole in the extracted text."""
    found = _words(text)
    return [w for h in headers for w in re.findall(r"[^\W\d_]{5,}", h) if w not in found]


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_the_letter_keeps_its_notes_with_text_and_markers_after_words(demo_path: Path, tmp_path: Path,
                                                                        code: str) -> None:
    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:
        make_ready(ws, TODAY.year)
        pdf = service.preview(ws, model.ensure(ws, TODAY.year, code))
    path = tmp_path / f"letter-{code}.pdf"
    path.write_bytes(pdf)
    pages = _pages(path)
    assert 2 <= len(pages) <= 4
    sources = gettext_in(code, "Sources of the figures: {sources}.").split("{")[0].strip()
    for page in pages:
        body = [line for line in page.splitlines() if line.strip()][:-1]   # the footer is the last line
        if sources in page:
            assert len(" ".join(body)) > 3 * len(" ".join(line for line in body if sources in line)), \
                "a page holding only the closing notes"
    whole = "\n".join(pages)
    assert not re.search(r"[0-9]\s?[\.\u066b]?[\u00b9\u00b2\u00b3]", whole), "a footnote marker after a number"
    assert whole.count("\u00b9") >= 2 and whole.count("\u00b2") >= 2 and whole.count("\u00b3") >= 2


@pytest.mark.parametrize("code", ["ar", "en", "fr", "es", "ru"])  # Chinese breaks between characters
def test_no_word_is_split_in_the_regional_and_roster_tables(demo_path: Path, tmp_path: Path, code: str) -> None:
    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:
        regional = tmp_path / f"regional-{code}.pdf"
        regional_report(ws, regional, code, year=TODAY.year, rows=regional_figures(ws, TODAY.year), today=TODAY)
        roster = tmp_path / f"roster-{code}.pdf"
        roster_report.write_report(ws, roster, TODAY, code, rows=list(range(40)))
    headers = [gettext_in(code, h) for _k, h in COLUMNS]
    assert not _headers_whole(headers, "\n".join(_pages(regional)), code)
    roster_headers = [gettext_in(code, h) for h in ("Holding a valid completion", "Share of active personnel",
                                                   "Validity (months)", "Personnel category", "Last completion")]
    assert not _headers_whole(roster_headers, "\n".join(_pages(roster)), code)


def test_a_narrow_table_widens_the_column_of_a_long_word_or_shrinks_its_type(tmp_path: Path) -> None:
    header = ["Подписанные письма", "Доля прошедших обучение", "Неучтенные прохождения", "Партнеры-исполнители",
              "Оцененные партнеры", "Открытые высокие риски", "Заявления", "Отделение"]
    doc = Document("ru", title="t")
    doc.table([header, ["1"] * len(header)], col_widths=[50] * len(header))
    path = tmp_path / "narrow.pdf"
    path.write_bytes(doc.build())
    assert not _headers_whole(header, "\n".join(_pages(path)), "ru")
