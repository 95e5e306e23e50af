"""Letters signed, as the regional view counts them."""

from __future__ import annotations

from desktop.exchange.region import regional_figures
from desktop.letter import model, service
from desktop.letter.figures import letter_figures
from desktop.signing.identity import create_workspace_identity
from tests.desktop.letter.ready import make_ready


def test_signed_letters_are_counted_per_language(workspace) -> None:
    assert letter_figures(workspace, 2026)["letters_signed"] == 0
    identity = create_workspace_identity(workspace, "Amina Odhiambo", "Head of Office", "UN-Habitat")
    make_ready(workspace, 2026)
    for language in ("fr", "ar"):
        service.sign(workspace, model.ensure(workspace, 2026, language), identity)
    model.ensure(workspace, 2026, "zh")  # a draft is not a signed letter
    figures = letter_figures(workspace, 2026)
    assert figures["letters_signed"] == 2
    assert figures["languages_signed"] == ["ar", "fr"]
    assert letter_figures(workspace, 2025)["letters_signed"] == 0
    *offices, region = regional_figures(workspace, 2026)
    assert [o.letters_signed for o in offices if o.office == "KEN-NBO"] == [2]
    assert region.letters_signed == 2
