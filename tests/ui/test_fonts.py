"""The interface's Latin and Cyrillic text is drawn in a Latin font, with Arabic and Chinese fonts only
as fallbacks for their own glyphs (a generic "Sans Serif" once resolved to the Chinese font: "…" drew
as "⋯")."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication

from i18n import qt as qt_i18n


def test_latin_text_uses_a_latin_font_and_the_others_are_fallbacks(qtbot) -> None:  # noqa: ARG001
    app = QApplication.instance()
    previous = app.font()
    try:
        app.setFont(QFont("Sans Serif"))       # what a bare Linux desktop gives
        qt_i18n.load_fonts()
        qt_i18n.apply_fallback_fonts()
        families = app.font().families()
        resolved = QFontInfo(app.font()).family()
        assert resolved not in qt_i18n.FALLBACK_FAMILIES and families[0] == resolved
        assert set(qt_i18n.FALLBACK_FAMILIES) & set(families[1:])
        metrics = QFontMetrics(app.font())
        for char in "…ёЖéñ":
            assert metrics.inFontUcs4(ord(char)), char
        qt_i18n.apply_fallback_fonts()           # applied again (a language switch): the same order
        assert app.font().families() == families
    finally:
        app.setFont(previous)
