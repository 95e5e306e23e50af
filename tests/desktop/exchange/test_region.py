"""Regional figures: per office through the instruments' own figures modules, the region, CSV and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import pytest

import i18n
from desktop.demo import create_demo_workspace
from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles
from desktop.exchange.region import REGION, office_scope, regional_figures, to_csv
from desktop.exchange.region_report import regional_report
from desktop.partners import figures as partner_figures
from desktop.risk import figures as risk_figures
from desktop.roster import figures as roster_figures

from .conftest import PASSPHRASE, make_office
from .helpers import BUNDLE_PASSPHRASE, state

YEAR = 2026


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    demo = create_demo_workspace(folder / "demo.pdesk", PASSPHRASE, people=150, today=dt.date(2026, 11, 23))
    own = {}
    for name, module in (("roster", roster_figures), ("partners", partner_figures), ("risk", risk_figures)):
        own[name] = module.letter_figures(demo, YEAR)
    export_bundle(demo, folder / "ken.pdbundle", BUNDLE_PASSPHRASE)
    demo.close()
    make_office(folder / "sdn.pdesk", "SDN-KRT", ["Kassala"]).close()
    from storage import Workspace
    with Workspace.open(folder / "sdn.pdesk", PASSPHRASE) as sdn:
        export_bundle(sdn, folder / "sdn.pdbundle", BUNDLE_PASSPHRASE)
    ws = Workspace.create(folder / "regional.pdesk", PASSPHRASE, office="RO-NBO", entity="UN-Habitat")
    merge_bundles(ws, [folder / "ken.pdbundle", folder / "sdn.pdbundle"], BUNDLE_PASSPHRASE)
    yield ws, own
    ws.close()


def test_office_figures_equal_the_offices_own(merged):
    ws, own = merged
    rows = {f.office: f for f in regional_figures(ws, YEAR)}
    assert list(rows) == ["RO-NBO", "KEN-NBO", "SDN-KRT", REGION]
    ken, sdn, region = rows["KEN-NBO"], rows["SDN-KRT"], rows[REGION]
    if "roster" in own:
        assert ken.personnel == own["roster"]["population"] > 0
        assert ken.completion_rate == own["roster"]["training_rate"]
        assert sdn.personnel == 0 and region.personnel == ken.personnel
    if "partners" in own:
        assert ken.partners_assessed == own["partners"]["assessed_valid"]
        assert ken.ratings == own["partners"]["by_rating"]
    if "risk" in own:
        assert ken.risk_assessments == own["risk"]["assessments"]
        assert ken.high_risks_open == own["risk"]["high_risks_open"]


def test_scope_leaves_nothing_behind(merged):
    ws, _ = merged
    before = state(ws)
    total = ws.connection.execute("SELECT count(*) FROM office").fetchone()[0]
    with office_scope(ws, "SDN-KRT"):
        assert ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] == 2
    assert ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] == total
    assert ws.connection.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    assert state(ws) == before


def test_csv(merged):
    ws, _ = merged
    rows = list(csv.reader(io.StringIO(to_csv(regional_figures(ws, YEAR)))))
    assert rows[0][0] == "Office" and [r[0] for r in rows[1:]] == ["RO-NBO", "KEN-NBO", "SDN-KRT", "Region"]


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_regional_report_pdf_in_six_languages(merged, tmp_path, artifacts, code):
    ws, _ = merged
    path = artifacts / f"exchange-regional-report-{code}.pdf"
    data = regional_report(ws, path, code, year=YEAR)
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "KEN-NBO" in text and "SDN-KRT" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Helvetica" not in fonts
    if code == "fr":
        assert "Taux d" in text
