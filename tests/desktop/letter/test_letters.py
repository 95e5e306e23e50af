"""Letters of the demo workspace: compose, render, sign and verify in all six languages, with the
pages kept in artifacts/letters/ for a person to look at."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.letter import compose, model, service, templates
from desktop.letter.model import LetterError
from desktop.signing import identity as identities
from storage import Workspace

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def _pdftotext(data: bytes, tmp_path: Path) -> str:
    f = tmp_path / "t.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True, check=True).stdout


def test_figures_come_with_their_sources(demo: Workspace) -> None:
    letter = model.ensure(demo, 2026, "en")
    comp = compose.compose(demo, letter)
    by_key = {f.key: f for f in comp.figures}
    assert set(by_key) >= {"training_rate", "allegations_total", "partners_assessed", "risk_assessments"}
    assert by_key["allegations_total"].source.startswith("allegations register")
    assert "training roster" in by_key["training_rate"].source
    raw = comp.figures_raw
    assert raw["allegations"]["total"] == int(by_key["allegations_total"].display.replace(",", ""))
    if raw["training"] and raw["training"].get("training_rate") is not None:
        assert by_key["training_rate"].display.endswith("%")
        assert by_key["training_rate"].display in dict((k, t) for k, t, _ in comp.checklist)["focal_point_training"]


def test_missing_instrument_shows_not_available(demo: Workspace) -> None:
    raw = compose.gather(demo, 2026)
    raw["partners"] = None
    figs, values = compose.figures_for(raw, "fr")
    assert values["partners_assessed"] == compose.gettext_in("fr", templates.NOT_AVAILABLE)
    assert not next(f for f in figs if f.key == "partners_assessed").available


def test_edited_section_is_data_and_placeholders_are_filled(demo: Workspace, tmp_path: Path) -> None:
    letter = model.ensure(demo, 2025, "en")
    letter = model.update(demo, letter["id"], {"sections": {
        "engagement": "Edited <b>not bold</b> & {entity} {unknown} in {year}."}})
    comp = compose.compose(demo, letter)
    text = dict((k, t) for k, _h, t in comp.sections)["engagement"]
    assert text == "Edited <b>not bold</b> & UN-Habitat {unknown} in 2025."
    pdf = service.preview(demo, letter)
    assert "Edited <b>not bold</b> & UN-Habitat {unknown} in 2025." in _pdftotext(pdf, tmp_path)


@pytest.mark.parametrize("changes", [
    {"period_start": "2025-13-01"}, {"period_start": "2025-12-31", "period_end": "2025-01-01"},
    {"sections": {"nonsense": "x"}}, {"status": "signed"}, {"signatory_name": "x" * 400},
])
def test_bad_edits_change_nothing(demo: Workspace, changes: dict) -> None:
    letter = model.ensure(demo, 2024, "es")
    with pytest.raises(LetterError):
        model.update(demo, letter["id"], changes)
    assert model.get(demo, letter["id"])["rev"] == letter["rev"]


def test_six_languages_render_sign_and_verify(demo: Workspace, artifacts: Path, tmp_path: Path) -> None:
    out_dir = artifacts / "letters"
    out_dir.mkdir(parents=True, exist_ok=True)
    ident = identities.workspace_identity(demo) or identities.create_workspace_identity(
        demo, "Amina Odhiambo", "Head of Office")
    for code in LANGUAGES:
        letter = model.ensure(demo, 2026, code)
        if letter["status"] == model.SIGNED:
            letter = model.update(demo, letter["id"], {"place": letter["place"]})
        signed, record = service.sign(demo, letter, ident)
        result = service.verify(demo, signed)
        assert result.ok and result.trusted, (code, result.as_dict())
        sig = result.signatures[0]
        assert sig.signer == "Amina Odhiambo" and sig.covers_whole_file
        assert record["status"] == model.SIGNED and model.signed_pdf(demo, record["id"]) == signed
        assert json.loads(record["figures"])["allegations"]["year"] == 2026
        path = out_dir / f"letter-{code}.pdf"
        path.write_bytes(signed)
        for old in out_dir.glob(f"letter-{code}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(out_dir / f"letter-{code}")], check=True)
        pages = sorted(out_dir.glob(f"letter-{code}-*.png"))
        assert 1 <= len(pages) <= 3
        if code != "ar":
            text = re.sub(r"\s+", " ", _pdftotext(signed, tmp_path))
            assert "UN-Habitat" in text and "2026" in text
            comp = compose.compose(demo, record)
            first_words = [re.sub(r"\s+", " ", t)[:25] for _k, _h, t in comp.sections]
            squashed = re.sub(r"\s+", "", text)
            found = [squashed.find(re.sub(r"\s+", "", w)) for w in first_words]
            assert all(f >= 0 for f in found) and found == sorted(found), (code, found)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        for row in fonts.splitlines()[2:]:
            assert re.search(r"\byes\s+yes\s+yes\b", row), (code, row)  # embedded, subset, unicode map


def test_signed_letter_is_frozen_and_a_change_makes_a_new_version(demo: Workspace) -> None:
    ident = identities.workspace_identity(demo) or identities.create_workspace_identity(demo, "A B", "Head")
    letter = model.ensure(demo, 2023, "ru")
    signed, record = service.sign(demo, letter, ident)
    with pytest.raises(LetterError):
        service.sign(demo, record, ident)
    new = model.update(demo, record["id"], {"place": "Найроби"})
    assert new["id"] != record["id"] and new["version"] == record["version"] + 1
    assert new["supersedes"] == record["id"] and new["status"] == model.DRAFT
    frozen = model.get(demo, record["id"])
    assert frozen["status"] == model.SIGNED and frozen["rev"] == record["rev"]
    assert model.signed_pdf(demo, record["id"]) == signed
    assert service.preview(demo, frozen) == signed
    with pytest.raises(LetterError):  # the old version is not edited any more
        model.update(demo, record["id"], {"place": "x"})


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_preview_is_not_signed(demo: Workspace, tmp_path: Path) -> None:
    pdf = service.preview(demo, model.ensure(demo, 2022, "zh"))
    assert not service.verify(demo, pdf).signed
    text = _pdftotext(pdf, tmp_path)
    assert "2022" in text
