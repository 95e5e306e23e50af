"""Letters of the demo workspace: composed statement by statement as the real letter, figures with their
sources, the signing gate, render, sign and verify in all six languages, with the pages kept in
artifacts/letters/ for a person to look at."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.letter import attestations, compose, gate, model, service, settings, templates
from desktop.letter.model import LetterError
from desktop.signing import identity as identities
from storage import Workspace
from tests.desktop.letter.ready import make_ready

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def _pdftotext(data: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    f = tmp_path / "t.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(f), "-"], capture_output=True,
                          text=True, check=True).stdout


def _identity(ws: Workspace) -> identities.Identity:
    return identities.workspace_identity(ws) or identities.create_workspace_identity(ws, "Amina Odhiambo",
                                                                                    "Head of Office")


def test_figures_come_with_their_sources(demo: Workspace) -> None:
    letter = model.ensure(demo, 2026, "en")
    comp = compose.compose(demo, letter)
    by_key = {f.key: f for f in comp.figures}
    assert set(by_key) >= {"training_rate", "allegations_un", "allegations_partner", "partners_assessed",
                           "subjects_total", "agreements_with_clauses"}
    assert by_key["allegations_un"].source.startswith("allegations register")
    assert "training roster" in by_key["training_rate"].source and "2026" in by_key["training_rate"].source
    assert by_key["training_rate"].display.endswith("%")
    assert by_key["training_rate"].display in comp.item("training").text


def test_missing_instrument_shows_not_available_and_blocks_signing(demo: Workspace) -> None:
    raw = compose.gather(demo, 2026)
    raw["partners"] = None
    figs, values = compose.figures_for(raw, "fr")
    assert values["partners_assessed"] == compose.gettext_in("fr", templates.NOT_AVAILABLE)
    letter = model.ensure(demo, 2026, "fr")
    comp = compose.compose(demo, letter, figures=raw)
    found = gate.problems(demo, letter, comp, "en")
    assert any(p.code == "unavailable" and p.key == "partners_assessed" for p in found)


def test_no_sentence_claims_more_than_its_figure(demo: Workspace) -> None:
    """Risk assessments "covered 3 of the 4 operations and programmes", never "each"; the clauses
    "x of y agreements"; the training rate with its numerator and denominator."""
    comp = compose.compose(demo, model.ensure(demo, 2026, "en"))
    risk, partners = comp.figures_raw["risk"], comp.figures_raw["partners"]
    assert risk["subjects_assessed"] < risk["subjects_total"]     # the demo leaves one subject unassessed
    coverage = comp.item("risk_coverage").text
    assert f"covered {risk['subjects_assessed']} of the {risk['subjects_total']}" in coverage
    assert "each" not in coverage.split()
    assert f"{partners['agreements_with_clauses']} of {partners['agreements']}" in comp.item("sea_clauses").text
    follow_up = comp.item("risk_follow_up").text
    assert f"of which overdue: {risk['measures_overdue']}" in follow_up
    for text in (i.text for b in comp.blocks for i in b.items):
        assert "all agreements" not in text and "was completed" not in text


def test_the_letter_reports_allegations_as_the_secretary_general_does(workspace: Workspace) -> None:
    from desktop.letter import allegations

    allegations.set_count(workspace, 2026, "former_staff", "under_investigation", "oios", 2)
    allegations.set_count(workspace, 2026, "partner_personnel", "referred", "partner", 3)
    comp = compose.compose(workspace, model.ensure(workspace, 2026, "en"))
    text = comp.item("allegations").text
    assert "In 2026, 2 allegations of sexual exploitation and abuse involving its staff or related personnel" in text
    assert "former staff members: 2" in text and "the Office of Internal Oversight Services: 2" in text
    assert "under investigation: 2" in text
    assert "Reported apart" in text and "3 allegations involving personnel of implementing partners" in text
    by_key = {f.key: f.display for f in comp.figures}
    assert (by_key["allegations_un"], by_key["allegations_partner"]) == ("2", "3")


def test_an_edited_figure_statement_that_lost_its_figure_blocks_signing(workspace: Workspace) -> None:
    make_ready(workspace, 2026)
    letter = model.ensure(workspace, 2026, "en")
    letter = model.update(workspace, letter["id"], {"sections": {
        "risk_coverage": "Risk assessments covered each of its operations and programmes.",
        "engagement": "Edited <b>not bold</b> & {who} {unknown} in {year}."}})
    comp = compose.compose(workspace, letter)
    assert comp.item("engagement").text == "Edited <b>not bold</b> & KEN-NBO office {unknown} in 2026."
    found = gate.problems(workspace, letter, comp, "en")
    assert [(p.code, p.key) for p in found] == [("text", "risk_coverage")]
    with pytest.raises(service.NotReady):
        service.sign(workspace, letter, _identity(workspace))
    letter = model.update(workspace, letter["id"], {"sections": {"engagement": "Edited {who}."}})
    assert gate.problems(workspace, letter, None, "en") == []


def test_unconfirmed_attestations_and_missing_names_block_signing(workspace: Workspace) -> None:
    letter = model.ensure(workspace, 2026, "ar")
    found = gate.problems(workspace, letter, None, "en")
    codes = {p.code for p in found}
    assert {"attestation", "name", "unavailable"} <= codes
    keys = templates.attestation_keys("office")
    assert {p.key for p in found if p.code == "attestation"} == set(keys)
    make_ready(workspace, 2026)
    assert gate.problems(workspace, letter, None, "en") == []
    attestations.withdraw(workspace, 2026, "office", "closing")
    assert [p.key for p in gate.problems(workspace, letter, None, "en")] == ["closing"]
    conf = settings.load(workspace)
    del conf.values["title"]["ar"]
    settings.save(workspace, conf)
    found = gate.problems(workspace, letter, None, "en")
    assert any(p.code == "name" and "Arabic" in p.message for p in found)
    comp = compose.compose(workspace, letter)
    assert comp.values["title"] == "[Head of Office]"                # the preview shows the fallback, marked


def test_bad_edits_change_nothing(demo: Workspace) -> None:
    letter = model.ensure(demo, 2024, "es")
    for changes in ({"period_start": "2025-13-01"}, {"period_start": "2025-12-31", "period_end": "2025-01-01"},
                    {"sections": {"nonsense": "x"}}, {"status": "signed"}, {"signatory_name": "x" * 400}):
        with pytest.raises(LetterError):
            model.update(demo, letter["id"], changes)
    assert model.get(demo, letter["id"])["rev"] == letter["rev"]


def test_six_languages_render_sign_and_verify(demo: Workspace, artifacts: Path, tmp_path: Path) -> None:
    out_dir = artifacts / "letters"
    out_dir.mkdir(parents=True, exist_ok=True)
    ident = _identity(demo)
    make_ready(demo, 2026)
    for code in LANGUAGES:
        letter = model.ensure(demo, 2026, code)
        if letter["status"] == model.SIGNED:
            letter = model.update(demo, letter["id"], {"period_start": letter["period_start"]})
        signed, record = service.sign(demo, letter, ident)
        result = service.verify(demo, signed)
        assert result.ok and result.trusted, (code, result.as_dict())
        sig = result.signatures[0]
        assert sig.signer == "Amina Odhiambo" and sig.covers_whole_file
        frozen = json.loads(record["figures"])
        assert frozen["allegations"]["year"] == 2026 and len(frozen["attestations"]) == len(
            templates.attestation_keys("office"))
        assert frozen["names"]["title"] == settings.load(demo).get("title", code)   # the title in this language
        path = out_dir / f"letter-{code}.pdf"
        path.write_bytes(signed)
        for old in out_dir.glob(f"letter-{code}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(out_dir / f"letter-{code}")], check=True)
        pages = sorted(out_dir.glob(f"letter-{code}-*.png"))
        assert 1 <= len(pages) <= 4
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        for row in fonts.splitlines()[2:]:
            assert re.search(r"\byes\s+yes\s+yes\b", row), (code, row)  # embedded, subset, unicode map
        if code in ("en", "fr", "es", "ru"):
            text = re.sub(r"\s+", " ", _pdftotext(signed, tmp_path))
            entity = settings.load(demo).get("entity", code)
            assert entity in text and settings.load(demo).get("title", code) in text, code


def test_english_letter_carries_every_row_of_the_real_letter(demo: Workspace, tmp_path: Path) -> None:
    """letter-reference.md, row by row, read back from the PDF."""
    make_ready(demo, 2025)
    letter = model.ensure(demo, 2025, "en")
    pdf = service.preview(demo, letter)
    text = re.sub(r"\s+", " ", _pdftotext(pdf, tmp_path)).replace("- ", "")
    rows = [
        "section 4.6 of the Secretary-General's bulletin",                                  # 1 (office: to the head)
        "all allegations of sexual exploitation and abuse brought to its attention",        # 1
        "allegation",                                                                       # 1b
        "Further, in line with the priorities of the Secretary-General, I certify that",    # 2
        "placed the rights and dignity of victims at the centre",                           # 2 (i)
        "Comprehensive Strategy on Assistance and Support to Victims",                      # 2 (i)
        "acted decisively to end impunity",                                                 # 2 (ii)
        "appointed a focal point for the prevention of sexual exploitation and abuse",      # 2 (iii)
        "completed induction or refresher training",                                        # 2 (iii)
        "reminded of their personal obligation to report",                                 # 2 (iii)
        "communication and outreach",                                                       # 2 (iv)
        "Member States, civil society and other partners",                                  # 3
        "When establishing funded partnerships",                                            # 4
        "civil society partners",                                                           # 4
        "annual action plan",                                                               # 5
        "operations and programmes",                                                        # 5
        "kept under review",                                                                # 5
        "zero tolerance",                                                                   # 6
        "iReport, the tracking system for sexual exploitation and abuse: a secure central database designed by "
        "the United Nations Secretariat",                                                   # 6
        "refers cases to national authorities",                                             # 6
        "standard conditions of contract",                                                  # 7
        "trained on the prevention of sexual exploitation and abuse",                       # 7
        "Your rights",                                                                      # 8
        "(a) to seek assistance and support", "(g) to safety",                              # 8
        "I certify that I have discharged my responsibilities in this regard diligently, in good faith and to the "
        "best of my ability",                                                               # 9
        "not all of them were fully investigated",                                          # footnote 1
        "individual consultants and contractors, interns, United Nations Volunteers",       # footnote 2
        "2018 Protocol",                                                                    # footnote 3
    ]
    missing = [r for r in rows if r.replace("- ", "") not in text]
    assert not missing, missing
    assert "reporting channel" not in text and "for personnel and communities" not in text


def test_the_entity_letter_cites_the_governing_bodys_decision(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "hq.pdesk", "correct horse battery staple", office="HQ", entity="UN-Habitat",
                          role="headquarters") as hq:
        letter = model.ensure(hq, 2026, "en")
        assert letter["scope"] == "entity"
        found = gate.problems(hq, letter, None, "en")
        assert {"decision", "symbol", "governing_body", "session"} <= {p.key for p in found if p.code == "name"}
        make_ready(hq, 2026, "Rania Haddad")
        comp = compose.compose(hq, letter)
        legal = comp.item("reported_all").text
        assert "decision 2023/1 of the Executive Board, paragraph (a) 5, adopted at its first session of 2023 " \
               "(HSP/EB.2023/7)" in legal
        assert "United Nations Human Settlements Programme (UN-Habitat) has reported to the Secretary-General" in legal
        assert comp.addressee == "To: the Secretary-General of the United Nations"


def test_signed_letter_is_frozen_and_a_change_makes_a_new_version(demo: Workspace) -> None:
    ident = _identity(demo)
    make_ready(demo, 2023)
    letter = model.ensure(demo, 2023, "ru")
    signed, record = service.sign(demo, letter, ident)
    with pytest.raises(LetterError):
        service.sign(demo, record, ident)
    conf = settings.load(demo)
    conf.values["place"]["ru"] = "Город"
    settings.save(demo, conf)
    assert compose.compose(demo, model.get(demo, record["id"])).place != "Город"   # the signed one keeps its names
    new = model.update(demo, record["id"], {"period_end": "2023-12-31"})
    assert new["id"] != record["id"] and new["version"] == record["version"] + 1
    assert new["supersedes"] == record["id"] and new["status"] == model.DRAFT
    frozen = model.get(demo, record["id"])
    assert frozen["status"] == model.SIGNED and frozen["rev"] == record["rev"]
    assert model.signed_pdf(demo, record["id"]) == signed
    assert service.preview(demo, frozen) == signed
    with pytest.raises(LetterError):  # the old version is not edited any more
        model.update(demo, record["id"], {"period_end": "2023-12-30"})


def test_only_the_signer_named_in_the_letter_may_sign_it(workspace: Workspace, tmp_path: Path) -> None:
    make_ready(workspace, 2026, "Amina Odhiambo")
    p12 = tmp_path / "other.p12"
    p12.write_bytes(identities.make_pkcs12("Someone Else", "Director", "UN-Habitat", "pw-12345678"))
    with pytest.raises(LetterError) as caught:
        service.sign(workspace, model.ensure(workspace, 2026, "en"), identities.load_pkcs12(p12, "pw-12345678"))
    assert "Someone Else" in str(caught.value)
    assert model.current(workspace, 2026, "en")["status"] == model.DRAFT


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_preview_is_not_signed(demo: Workspace, tmp_path: Path) -> None:
    pdf = service.preview(demo, model.ensure(demo, 2022, "zh"))
    assert not service.verify(demo, pdf).signed
    text = _pdftotext(pdf, tmp_path)
    assert "2022" in text
