"""The palette decides the window's colours (ui/colours.py): no colour is written in ui/ outside that
module, and with a dark palette every message, note and status is readable on its background."""

from __future__ import annotations

import re
import tokenize

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import ROOT
from ui import colours

LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def test_no_colour_is_written_outside_the_colours_module() -> None:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "colours.py":
            continue
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type == tokenize.COMMENT:
                    continue   # a comment may mention a colour; code and strings may not
                if LITERAL.search(token.string) or token.string == "GlobalColor":
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.line.strip()}")
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: QColor({m.group(1)}…)" for m in re.finditer(r"QColor\(\s*([\"'\d])", text)]
    assert found == []


def _dark() -> QPalette:
    pal = QPalette()
    for role, value in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                        (QPalette.ColorRole.Base, "#171717"), (QPalette.ColorRole.AlternateBase, "#2b2c2f"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
                        (QPalette.ColorRole.Button, "#303134"), (QPalette.ColorRole.ButtonText, "#e8eaed"),
                        (QPalette.ColorRole.Highlight, "#8ab4f8"), (QPalette.ColorRole.Mid, "#5f6368")):
        pal.setColor(role, QColor(value))
    return pal


@pytest.fixture(params=["light", "dark"])
def palette(request, qtbot):  # noqa: ANN201, ARG001 - qtbot: the QApplication
    app = QApplication.instance()
    previous = app.palette()
    app.setPalette(_dark() if request.param == "dark" else app.style().standardPalette())
    yield request.param
    app.setPalette(previous)


def test_meanings_and_notes_are_readable_on_light_and_dark_palettes(palette: str) -> None:
    from ui.roster.model import status_colour
    from ui.widgets import message_label, show_error, show_note

    assert colours.is_dark() == (palette == "dark")
    for role in colours.ROLES:
        assert colours.contrast(colours.meaning(role), colours.base()) >= 4.5, (palette, role)
        assert colours.contrast(colours.meaning(role), colours.palette().color(QPalette.ColorRole.Window)) >= 4.5
    for status in ("trained", "expiring", "overdue", "never", "inactive"):
        assert colours.contrast(status_colour(status), colours.base()) >= 3.0, (palette, status)
    error, note = message_label(), message_label()
    show_error(error, "Le fichier n'a pas pu être lu.")
    show_note(note, "Enregistré.")
    shown = re.search(r"color: (#[0-9a-f]{6})", error.styleSheet()).group(1)
    assert colours.contrast(QColor(shown), colours.palette().color(QPalette.ColorRole.Window)) >= 4.5
    background = re.search(r"background: (#[0-9a-f]{6})", note.styleSheet()).group(1)
    ink = re.search(r"; color: (#[0-9a-f]{6})", note.styleSheet()).group(1)
    assert colours.contrast(QColor(ink), QColor(background)) >= 4.5
    assert isinstance(error, QLabel)


def test_the_roster_chart_draws_with_the_palette(palette: str, qtbot) -> None:
    """Painted on a dark palette, the chart's text is light: no dark-on-dark left from fixed colours."""
    from PySide6.QtGui import QImage

    from ui.roster.chart import CompletionChart

    chart = CompletionChart()
    qtbot.addWidget(chart)
    chart.resize(420, 200)
    chart.set_bars("Completion", [("Staff", 0.8, "8/10"), ("Interns", 0.3, "3/10")])
    image = QImage(chart.size(), QImage.Format.Format_ARGB32)
    image.fill(colours.palette().color(QPalette.ColorRole.Window))
    chart.render(image)
    text = colours.text()
    near_text = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
                    if _close(QColor(image.pixel(x, y)), text))
    assert near_text > 20, palette


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 90


