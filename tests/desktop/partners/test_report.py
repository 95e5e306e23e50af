"""The assessment report PDF in six languages, through the shared engine; user text stays data."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

import i18n
from desktop.partners import assessments as A
from desktop.partners import attachments as T
from desktop.partners import model, report

TODAY = dt.date(2026, 6, 30)
CAPACITY = {"en": "capacity", "fr": "Capacités", "es": "Capacidad", "ru": "потенциал", "zh": "能力"}


@pytest.fixture
def assessed(workspace):
    ws = workspace
    p = model.add_partner(ws, "Fondation <b>Espoir</b> & Co", acronym="FEC", partner_type="national_ngo")
    a = A.start(ws, p["id"], "unicef_2020")
    for std in A.ruleset_of(a)["standards"]:
        A.answer(ws, a["id"], std["key"], rating=1, evidence=std["evidence"][:1])
    A.answer(ws, a["id"], "policy", evidence=["psea_policy", "other"], other_evidence="Minutes <i>2025</i>",
             notes="Policy not translated")
    T.attach(ws, a["id"], "policy.pdf", b"%PDF-1.4", standard_key="policy")
    A.sign_off(ws, a["id"], "Continue with monthly monitoring", "Grace Wanjiru", TODAY)
    for n in range(1, 6):
        A.record_step(ws, a["id"], n, TODAY, "Amina Odhiambo")
    model.add_action(ws, p["id"], "Adopt a PSEA policy", owner="Amina", due_on="2026-05-01", priority="high",
                     assessment_id=a["id"])
    return ws, a


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_report_in_six_languages(assessed, code, artifacts):
    ws, a = assessed
    data = report.render(ws, a["id"], code, today=TODAY)
    assert data.startswith(b"%PDF")
    out = artifacts / "pdf" / f"partners-report-{code}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    if code != "ar":  # Arabic is shaped into presentation forms; its layout is checked by the engine's tests
        flat = "".join(text.split())  # lines may break anywhere in Chinese
        assert "Fondation<b>Espoir</b>&Co" in flat  # user text is data, never markup
        assert "Minutes<i>2025</i>" in flat
        assert "Grace Wanjiru" in text and "policy.pdf" in text
        assert CAPACITY[code] in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts
