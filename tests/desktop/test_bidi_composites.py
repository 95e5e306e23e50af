"""Composite strings that mix Latin codes, dates and Arabic (footers, references) are built from isolated
parts, so no part is split around its neighbours in a right-to-left line, in the window and in PDFs
(issue 17: the partner report's footer read "2026/11/UN-Habitat · KEN-NBO · 29")."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from bidi.algorithm import get_display

import i18n
from desktop.demo import create_demo_workspace
from desktop.partners import report as partner_report
from desktop.pdf.text import clean, embeddings
from desktop.risk import report as risk_report
from tests.conftest import PASSPHRASE


def test_isolated_parts_stay_whole_in_a_right_to_left_line() -> None:
    date = "29\u200f/11\u200f/2026"                     # Babel's Arabic short date, with its marks
    plain = "UN-Habitat · KEN-NBO · " + date
    assert clean(get_display(plain, base_dir="R")) != "2026/11/29 · KEN-NBO · UN-Habitat"   # what went wrong
    composite = i18n.joined(["UN-Habitat", "KEN-NBO", date], "ar")
    assert clean(get_display(embeddings(composite), base_dir="R")) == "2026/11/29 · KEN-NBO · UN-Habitat"
    assert i18n.joined(["UN-Habitat", "", "KEN-NBO"], "en") == "UN-Habitat · KEN-NBO"   # left-to-right: as is


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    ws = create_demo_workspace(tmp_path_factory.mktemp("bidi") / "d.pdesk", PASSPHRASE, people=40,
                               today=dt.date(2026, 11, 20))
    yield ws
    ws.close()


def _footer(data: bytes, tmp: Path) -> str:
    path = tmp / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [clean(line).strip() for line in text.splitlines() if "KEN-NBO" in line]
    return lines[-1]


def test_the_arabic_reports_footers_read_in_order(demo, tmp_path: Path) -> None:
    partner = demo.connection.execute("SELECT id FROM partner_assessment WHERE deleted = 0 LIMIT 1").fetchone()[0]
    risk = demo.connection.execute("SELECT id FROM risk_assessment WHERE deleted = 0 LIMIT 1").fetchone()[0]
    today = dt.date(2026, 11, 29)
    footer = _footer(partner_report.render(demo, partner, "ar", today=today), tmp_path)
    assert footer.endswith("2026/11/29 · KEN-NBO · UN-Habitat"), footer
    assert "UN-Habitat · KEN-NBO · 29 Nov 2026" in _footer(partner_report.render(demo, partner, "en", today=today),
                                                           tmp_path)
    path = tmp_path / "risk.pdf"
    risk_report.write_report(demo, risk, path, "ar")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    footers = [clean(line).strip() for line in text.splitlines() if "· KEN-NBO ·" in line]
    assert footers and all("· KEN-NBO · UN-Habitat" in f for f in footers), footers[:2]
