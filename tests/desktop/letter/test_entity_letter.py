"""The chain to the entity's letter: two offices sign their assurances (same gate), their bundles reach
headquarters, which composes the entity's letter from both offices' data, lists their assurances, and
signs it; each language's letter names the entity, the offices and the signer's title in that language."""

from __future__ import annotations

import re
import subprocess

import pytest

from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles
from desktop.letter import allegations, assurances, compose, model, service, settings
from desktop.signing import identity as identities
from storage import Workspace
from tests.desktop.letter.ready import make_ready

PASSPHRASE = "correct horse battery staple"
BUNDLE = "bundle passphrase 2026"
YEAR = 2026
OFFICES = {
    "KEN-NBO": {"en": "Kenya Country Office", "fr": "Bureau de pays du Kenya", "es": "Oficina en el país de Kenya",
                "ru": "Страновое отделение в Кении", "zh": "肯尼亚国家办事处", "ar": "المكتب القطري في كينيا"},
    "COL-BOG": {"en": "Colombia Country Office", "fr": "Bureau de pays de la Colombie",
                "es": "Oficina en el país de Colombia", "ru": "Страновое отделение в Колумбии",
                "zh": "哥伦比亚国家办事处", "ar": "المكتب القطري في كولومبيا"},
}
HEAD = {"en": "Executive Director", "fr": "Directrice exécutive", "es": "Directora Ejecutiva",
        "ru": "Директор-исполнитель", "zh": "执行主任", "ar": "المديرة التنفيذية"}


@pytest.fixture(scope="module")
def headquarters(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("entity")
    bundles = []
    for n, (code, names) in enumerate(OFFICES.items()):
        with Workspace.create(folder / f"{code}.pdesk", PASSPHRASE, office=code, entity="UN-Habitat") as ws:
            make_ready(ws, YEAR, f"Head {code}")
            conf = settings.load(ws)
            conf.values["office"] = dict(names)
            settings.save(ws, conf)
            allegations.set_count(ws, YEAR, "staff", "under_investigation", "oios", n + 1)
            if code == "KEN-NBO":   # one office signs its assurance, the other does not
                ident = identities.create_workspace_identity(ws, f"Head {code}", "Head of Office")
                service.sign(ws, model.ensure(ws, YEAR, "en"), ident)
            else:
                model.ensure(ws, YEAR, "es")
            bundles.append(folder / f"{code}.pdbundle")
            export_bundle(ws, bundles[-1], BUNDLE)
    hq = Workspace.create(folder / "hq.pdesk", PASSPHRASE, office="HQ", entity="UN-Habitat", role="headquarters")
    results = merge_bundles(hq, bundles, BUNDLE, backup=False)
    assert all(r.error is None for r in results)
    make_ready(hq, YEAR, "Rania Haddad")
    conf = settings.load(hq)
    conf.values["title"] = dict(HEAD)
    settings.save(hq, conf)
    yield hq, folder
    hq.close()


def test_headquarters_lists_the_offices_assurances(headquarters) -> None:
    hq, _ = headquarters
    rows = {a.office: a for a in assurances.assurances(hq, YEAR)}
    assert rows["KEN-NBO"].state == assurances.RECEIVED and rows["KEN-NBO"].languages == ("en",)
    assert rows["COL-BOG"].state == assurances.UNSIGNED


def test_the_entity_letter_is_composed_from_every_offices_data(headquarters) -> None:
    hq, _ = headquarters
    comp = compose.compose(hq, model.ensure(hq, YEAR, "en"))
    assert comp.scope == "entity"
    assert comp.figures_raw["allegations"]["total"] == 3                      # 1 + 2, both offices
    assert comp.figures_raw["training"]["population"] == 2                    # each office's test person
    assert "In 2026, 3 allegations" in comp.item("allegations").text


@pytest.mark.parametrize("code", ["en", "fr", "es", "ru", "zh", "ar"])
def test_each_languages_letter_names_entity_offices_and_title_in_that_language(headquarters, code, artifacts) -> None:
    hq, folder = headquarters
    letter = model.ensure(hq, YEAR, code)
    ident = identities.workspace_identity(hq) or identities.create_workspace_identity(hq, "Rania Haddad", HEAD["en"])
    data, record = service.sign(hq, letter, ident)
    result = service.verify(hq, data)
    assert result.ok and result.trusted
    path = artifacts / "letters" / f"entity-letter-{code}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in sig and "Total document signed" in sig
    comp = compose.compose(hq, record)
    entity = settings.official_names("UN-Habitat")[code]
    assert comp.entity == entity and comp.values["title"] == HEAD[code]
    assert [a["names"][code] for a in comp.figures_raw["assurances"]] == [OFFICES["COL-BOG"][code],
                                                                          OFFICES["KEN-NBO"][code]]
    if code == "ar":
        return   # Arabic text extraction is checked by the PDF engine's own tests
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                              check=True).stdout)
    squeezed = text.replace(" ", "")
    for expected in (entity, HEAD[code], OFFICES["KEN-NBO"][code], OFFICES["COL-BOG"][code]):
        assert expected.replace(" ", "") in squeezed, (code, expected)
    if code != "en":
        assert "Kenya Country Office" not in text and "Executive Director" not in text
