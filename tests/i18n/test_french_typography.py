"""French as UN French writes it: a no-break space before ; : ? ! and inside « », so a line never
starts with a colon or a question mark (the window and the PDFs wrap there otherwise)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import ROOT

ORDINARY_SPACE = re.compile(r"(?<=\S) [;:?!»]|« (?=\S)")


def test_no_ordinary_space_before_french_high_punctuation() -> None:
    found = []
    for path in sorted((ROOT / "i18n" / "locale" / "fr" / "LC_MESSAGES").glob("*.po")):
        with Path(path).open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            for text in strings:
                if text and ORDINARY_SPACE.search(text):
                    found.append(f"{path.name}: {text[:80]!r}")
    assert found == []
