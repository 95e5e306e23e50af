"""The window's colours, decided by the palette (light or dark, the platform's or a high-contrast one).

Text, backgrounds and lines come from the palette's roles. The few colours that carry a meaning —
danger (overdue, high risk, an error), warning (expiring, moderate), good (trained, low risk) — have a
shade for light palettes and one for dark ones, chosen by the palette's base colour, each readable on
it (WCAG contrast of at least 4.5:1; tests/ui/test_palette.py). This is the only module of ui/ that
names a colour.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_LIGHT = {"danger": "#b3261e", "warning": "#7a5000", "good": "#1b6e3a", "info": "#1a5fb4"}
_DARK = {"danger": "#ff8a80", "warning": "#f2c14e", "good": "#7bd88f", "info": "#8ab4f8"}
ROLES = tuple(_LIGHT)


def palette() -> QPalette:
    return QApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    return (pal or palette()).color(QPalette.ColorRole.Base).lightnessF() < 0.5


def meaning(role: str, pal: QPalette | None = None) -> QColor:
    """The colour of a meaning ("danger", "warning", "good", "info") on this palette."""
    return QColor((_DARK if is_dark(pal) else _LIGHT)[role])


def text() -> QColor:
    return palette().color(QPalette.ColorRole.WindowText)


def muted() -> QColor:
    """Secondary text (a file path, an inactive person): the palette's placeholder colour."""
    return palette().color(QPalette.ColorRole.PlaceholderText)


def base() -> QColor:
    return palette().color(QPalette.ColorRole.Base)


def alternate() -> QColor:
    """A quiet background (a read-only cell, a chart's track)."""
    return palette().color(QPalette.ColorRole.AlternateBase)


def accent() -> QColor:
    return palette().color(QPalette.ColorRole.Highlight)


def line() -> QColor:
    return palette().color(QPalette.ColorRole.Mid)


def css(colour: QColor) -> str:
    return colour.name()


def label_style(role: str | None = None, *, colour: QColor | None = None) -> str:
    """A QLabel style sheet with the text in a meaning's colour (or `colour`)."""
    chosen = colour if colour is not None else (meaning(role) if role else muted())
    return f"QLabel {{ color: {chosen.name()}; }}"


def note_style() -> str:
    """A note banner: a quiet background and a line from the palette, its text the palette's."""
    return (f"QLabel {{ background: {alternate().name()}; color: {text().name()}; border: 1px solid "
            f"{line().name()}; border-radius: 4px; padding: 8px; }}")


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
