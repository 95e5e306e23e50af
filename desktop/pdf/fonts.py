"""The TrueType fonts PDFs embed (i18n/fonts/), registered once with reportlab.

reportlab reads TrueType outlines only and always embeds subsets of them. Three faces cover the six
UN languages: Noto Sans (Latin, Cyrillic), Noto Sans Arabic (incl. the presentation forms that
arabic-reshaper produces) and WenQuanYi Micro Hei (Chinese; face 0 of the .ttc, no bold face).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "i18n" / "fonts"

LATIN, ARABIC, CJK = "latin", "arabic", "cjk"


@dataclass(frozen=True)
class Face:
    script: str
    regular: str
    bold: str
    regular_file: str
    bold_file: str
    subfont: int = 0


FACES: dict[str, Face] = {
    LATIN: Face(LATIN, "PD-NotoSans", "PD-NotoSans-Bold", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ARABIC: Face(ARABIC, "PD-NotoSansArabic", "PD-NotoSansArabic-Bold",
                 "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    # One face for both weights: the CJK font has no bold.
    CJK: Face(CJK, "PD-WenQuanYiMicroHei", "PD-WenQuanYiMicroHei", "wqy-microhei.ttc", "wqy-microhei.ttc"),
}

_lock = threading.Lock()
_registered = False
_cmaps: dict[str, dict[int, int]] = {}


def _base_letters(code_point: int) -> str:
    """What a glyph of an Arabic presentation form means: its letters (NFKC), so that text copied or
    searched in a PDF is the text that was written, not presentation forms no one types. A ligature
    (lam-alef) has two letters; they are given in drawing order, right to left like the glyphs around
    them, because text extractors put a right-to-left run into reading order by reversing it whole."""
    if not (0xFB50 <= code_point <= 0xFDFF or 0xFE70 <= code_point <= 0xFEFF):
        return chr(code_point)
    letters = unicodedata.normalize("NFKC", chr(code_point)).replace(" ", "")
    return letters[::-1] if letters else chr(code_point)


def to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """reportlab's own ToUnicode CMap for a font subset, with the presentation forms' entries mapped to
    their letters."""
    lines = makeToUnicodeCMap(font_name, subset).split("\n")
    first = lines.index(f"{len(subset)} beginbfchar") + 1
    for code, cp in enumerate(subset):
        letters = _base_letters(cp)
        if letters != chr(cp):
            lines[first + code] = f"<{code:02X}> <{letters.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


class _ArabicFont(TTFont):
    """A TrueType face whose PDF text layer gives the letters written (see `_base_letters`).

    reportlab maps each glyph back to the code point it was asked to draw; arabic-reshaper's output is
    presentation forms. After reportlab has made its objects, each subset's ToUnicode stream is
    rewritten (reportlab names them 'toUnicodeCMap:<subset font name>')."""

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)   # forgets the document's state when done
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + base].content = to_unicode_cmap(base, subset)


def register_fonts() -> None:
    """Register every face with reportlab (idempotent, thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for face in FACES.values():
            for name, filename in ((face.regular, face.regular_file), (face.bold, face.bold_file)):
                if name in _cmaps:
                    continue
                path = FONT_DIR / filename
                if not path.exists():
                    raise FileNotFoundError(f"PDF font missing: {path}")
                kind = _ArabicFont if face.script == ARABIC else TTFont
                font = kind(name, str(path), subfontIndex=face.subfont)
                pdfmetrics.registerFont(font)
                _cmaps[name] = font.face.charToGlyph
            pdfmetrics.registerFontFamily(face.regular, normal=face.regular, bold=face.bold,
                                          italic=face.regular, boldItalic=face.bold)
        _registered = True


def font_name(script: str, bold: bool = False) -> str:
    face = FACES[script]
    return face.bold if bold else face.regular


def has_glyph(script: str, char: str, bold: bool = False) -> bool:
    register_fonts()
    return ord(char) in _cmaps[font_name(script, bold)]
