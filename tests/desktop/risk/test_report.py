"""The risk assessment report PDF in six languages, checked with poppler (pdftotext, pdffonts)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess

import pytest

import i18n
from desktop.risk import assessments, demo, ratings, report
from i18n import gettext_in

TODAY = dt.date(2026, 11, 23)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def assessed(workspace):
    demo.populate_demo(workspace, random.Random(5), TODAY, 50)
    a = next(x for x in assessments.assessments(workspace) if x["is_current"] and x["previous_id"])
    assessments.update_assessment(workspace, a["id"], {"subject": "Kakuma <b>camp</b> & “site” كاكوما"})
    return workspace, a["id"]


@needs_poppler
@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_report_in_each_language(assessed, artifacts, code):
    ws, aid = assessed
    path = artifacts / f"risk-report-{code}.pdf"
    data = report.write_report(ws, aid, path, code, today=TODAY)
    assert data.startswith(b"%PDF") and path.stat().st_size == len(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
    risks = ratings.rated_risks(ws, aid, TODAY)
    if code == "ar":
        # shaped and reordered: check with words that do not depend on joining at their ends
        assert "سجل" in text or "ﺳﺠﻞ" in text
        assert "Kakuma" in text
        return
    squeeze = "".join(text.split())
    for heading in ("Context", "Risk register", "Mitigation plan", "Heat map"):
        assert "".join(gettext_in(code, heading).split()) in squeeze, heading
    assert "<b>camp</b>" in text  # user text is data, never markup
    top = max(risks, key=lambda r: r.score)
    assert "".join(top.text(code).split())[:12] in squeeze
    assert any(m["action"][:20] in text for r in risks for m in r.measures)


def test_report_refuses_unknown_language(assessed, tmp_path):
    ws, aid = assessed
    with pytest.raises(ValueError):
        report.write_report(ws, aid, tmp_path / "x.pdf", "de")
    assert not (tmp_path / "x.pdf").exists()


def test_heat_map_drawing_mirrors_in_arabic():
    counts = {(1, 1): 2, (5, 5): 3}
    ltr = report.heat_map_drawing(counts, "en")
    rtl = report.heat_map_drawing(counts, "ar")

    def x_of(drawing, text):
        return [s.x for s in drawing.contents if getattr(s, "text", None) == text]

    # the "3" in cell (5, 5) is right of the "2" in (1, 1) in English, left of it in Arabic
    assert x_of(ltr, "3")[0] > x_of(ltr, "2")[0]
    assert x_of(rtl, "3")[0] < x_of(rtl, "2")[0]
