"""The TrueType fonts PDFs embed (i18n/fonts/), registered once with reportlab.

reportlab reads TrueType outlines only and always embeds subsets of them. Three faces cover the six
UN languages: Noto Sans (Latin, Cyrillic), Noto Sans Arabic (incl. the presentation forms that
arabic-reshaper produces) and WenQuanYi Micro Hei (Chinese; face 0 of the .ttc, no bold face).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
                font = TTFont(name, str(path), subfontIndex=face.subfont)
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
