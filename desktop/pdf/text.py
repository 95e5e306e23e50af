"""The text layer: user text in, reportlab markup out, never the other way round.

- Every piece of text is escaped before it becomes Paragraph markup: `<b>x</b>` typed by a user is
  printed as those characters.
- Each character gets a font from its script (Arabic, CJK, everything else = Noto Sans); neutral
  characters (spaces, digits, punctuation) stay in the font of the run they are in when that font
  has them. A paragraph becomes `<font name=...>` runs, so mixed scripts render in one paragraph.
- Arabic is shaped with arabic-reshaper and ordered with python-bidi. reportlab wraps lines in the
  order it is given, which breaks right-to-left text, so such paragraphs are wrapped here in logical
  order (measuring each run with its font) and only then is each line put into display order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape as _xml_escape

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python one mirrors brackets; the Rust one does not
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.pdf.fonts import ARABIC, CJK, LATIN, font_name, has_glyph, register_fonts

# Bidi controls and other format characters: python-bidi has used them, the fonts may not draw them.
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x2060, 0xFEFF,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_SPACE_LIKE = {0x202F: "\u00a0", 0x2009: " ", 0x2007: "\u00a0"}
_reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


def escape(text: str) -> str:
    """Markup-safe text for a reportlab Paragraph (& < > and quotes)."""
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def script_of(char: str) -> str | None:
    """The script that decides a character's font, or None for a neutral character."""
    cp = ord(char)
    if (0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF
            or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF):
        return ARABIC if cp not in (0x060C, 0x061B, 0x061F) else None
    if (0x2E80 <= cp <= 0x2FDF or 0x3000 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF):
        return CJK
    if unicodedata.category(char)[0] in "LM":
        return LATIN
    return None


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def has_cjk(text: str) -> bool:
    return any(script_of(c) == CJK for c in text)


def primary_script(language: str) -> str:
    return {"ar": ARABIC, "zh": CJK}.get(language, LATIN)


def clean(text: str) -> str:
    """Drop invisible format characters and map spaces the fonts lack; keep everything else."""
    out = []
    for c in text:
        cp = ord(c)
        if cp in _INVISIBLE:
            continue
        out.append(_SPACE_LIKE.get(cp, c))
    return "".join(out).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")


def runs(text: str, primary: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (font name, text) runs: each character in a font that has it."""
    register_fonts()
    order = [primary] + [s for s in (LATIN, ARABIC, CJK) if s != primary]
    out: list[tuple[str, list[str]]] = []
    current: str | None = None
    for c in text:
        script = script_of(c)
        if script is None:
            # Neutral: stay in the current run when its font has the character.
            candidates = ([current] if current else []) + order
        elif script == LATIN:
            candidates = [LATIN, CJK, ARABIC]
        else:
            candidates = [script] + [s for s in order if s != script]
        chosen = next((s for s in candidates if has_glyph(s, c, bold)), candidates[0])
        if c == " " and current:
            chosen = current
        if out and chosen == current:
            out[-1][1].append(c)
        else:
            out.append((chosen, [c]))
            current = chosen
    return [(font_name(s, bold), "".join(chars)) for s, chars in out]


def markup(text: str, primary: str, bold: bool = False) -> str:
    """Escaped Paragraph markup with a font per run (no wrapping, no reordering)."""
    return "".join(f'<font name="{name}">{escape(part)}</font>' for name, part in runs(text, primary, bold))


def spans_markup(spans: Iterable[tuple[str, bool]], primary: str) -> str:
    """Markup for left-to-right text made of (text, bold) spans, hard line breaks kept."""
    out = []
    for text, bold in spans:
        lines = clean(text).split("\n")
        out.append("<br/>".join(markup(line, primary, bold) for line in lines))
    return "".join(out)


def width(text: str, primary: str, size: float, bold: bool = False) -> float:
    return sum(stringWidth(part, name, size) for name, part in runs(text, primary, bold))


def shape(text: str) -> str:
    """Arabic letters to their contextual presentation forms (logical order kept)."""
    return _reshaper.reshape(text) if any(script_of(c) == ARABIC for c in text) else text


_BREAK = re.compile(r"(\s+)")


def wrap_logical(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking in logical order at spaces; a word wider than a line is cut.
    Each token is measured once (a line's width is the sum of its tokens')."""
    lines: list[str] = []
    line: list[str] = []
    width_all = 0.0    # the line so far, trailing spaces included
    cache: dict[str, float] = {}

    def w(token: str) -> float:
        if token not in cache:
            cache[token] = measure(token)
        return cache[token]

    def flush() -> None:
        nonlocal line, width_all
        lines.append("".join(line).strip())
        line, width_all = [], 0.0

    for token in _BREAK.split(text):
        if not token:
            continue
        if token.isspace():
            if line:
                line.append(token)
                width_all += w(token)
            continue
        tw = w(token)
        if line and width_all + tw > max_width:
            flush()
        if not line and tw > max_width:
            # A single word wider than the line: cut it where it overflows.
            part = ""
            for c in token:
                if part and measure(part + c) > max_width:
                    lines.append(part)
                    part = ""
                part += c
            line = [part]
            width_all = measure(part)
            continue
        line.append(token)
        width_all += tw
    if line or not lines:
        lines.append("".join(line).strip())
    return lines


_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_LRE, _RLE, _PDF = "\u202a", "\u202b", "\u202c"


def embeddings(text: str) -> str:
    """Unicode isolates (LRI, RLI, FSI ... PDI), which python-bidi's algorithm refuses, as the embeddings
    it knows (LRE, RLE ... PDF); an FSI takes the direction of the first strong character it holds. So
    composite strings built from isolated parts (i18n.isolated) keep each part whole in a PDF too."""
    if not any(c in text for c in (_LRI, _RLI, _FSI)):
        return text.replace(_PDI, "")
    out = []
    for n, c in enumerate(text):
        if c == _LRI:
            out.append(_LRE)
        elif c == _RLI:
            out.append(_RLE)
        elif c == _FSI:
            out.append(_RLE if _first_strong_rtl(text, n + 1) else _LRE)
        elif c == _PDI:
            out.append(_PDF)
        else:
            out.append(c)
    return "".join(out)


def _first_strong_rtl(text: str, start: int) -> bool:
    for c in text[start:]:
        if c == _PDI:
            return False
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def bidi_lines(text: str, primary: str, size: float, max_width: float, *, rtl: bool,
               bold: bool = False) -> list[str]:
    """Display-order markup lines for a paragraph that contains right-to-left text."""
    out = []
    # Bidi marks (LRM, RLM, ALM...) take part in the ordering; they are dropped only afterwards.
    text = "".join(_SPACE_LIKE.get(ord(c), c) for c in text).replace("\t", " ")
    for hard_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        shaped = shape(hard_line)
        lines = wrap_logical(shaped, max_width, lambda s: width(clean(s), primary, size, bold))
        for line in lines:
            display = clean(get_display(embeddings(line), base_dir="R" if rtl else "L"))
            out.append(markup(display, primary, bold))
    return out
