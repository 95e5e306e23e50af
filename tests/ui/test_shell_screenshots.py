"""Screenshots of the shell in the six languages, kept in artifacts/screenshots/ for a person to look
at, and a check that no English source text is left on a translated screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

import i18n
from desktop.demo import create_demo_workspace
from desktop.launcher import demo_note
from desktop.settings import Settings
from i18n import qt as qt_i18n
from i18n.catalogs import merged_catalog
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock as unlock_window

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.pdesk"
    create_demo_workspace(path, PASSPHRASE, people=200).close()
    return path


def _strip(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def english_leftovers(code: str) -> set[str]:
    """English msgids whose translation in `code` differs from the English (so English on screen is a bug)."""
    # The msgids come from the catalogs; the translations from the catalog the window really uses
    # (loaded once per process), so a .po edited while the tests run cannot make this disagree.
    runtime = i18n.translator(code)
    found: set[str] = set()
    for message in merged_catalog(code):
        if not message.id:
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, runtime.gettext(message.id))]
        else:
            singular, plural = message.id[0], message.id[1]
            pairs = [(singular, runtime.ngettext(singular, plural, 1)), (plural, runtime.ngettext(singular, plural, 5))]
        for mid, translated in pairs:
            # Words the same in both languages ("Pages" in French, the access key elsewhere) are not leftovers.
            if _strip(translated) != _strip(mid):
                found.add(mid)
                found.add(_strip(mid))
    return found


def _menu_texts(menu: QMenu, where: str) -> list[tuple[str, str]]:
    texts = [(menu.title(), where)]
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        texts.append((action.text(), f"{where} > action"))
        texts.append((action.toolTip(), f"{where} > tooltip"))
        if action.menu() is not None:
            texts += _menu_texts(action.menu(), f"{where} > submenu")
    return texts


def visible_texts(window: QWidget) -> list[tuple[str, str]]:
    """Every text a user can see or hover in `window`: titles, labels, buttons, menus, group boxes,
    tabs, list and tree items and headers, placeholders, tooltips."""
    texts = [(window.windowTitle(), "window title")]
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.menu() is not None:
                texts += _menu_texts(action.menu(), "menu")
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is not window and not widget.isVisibleTo(window):
            continue
        name = type(widget).__name__
        texts.append((widget.toolTip(), f"{name} tooltip"))
        if isinstance(widget, QLabel):
            texts.append((widget.text(), name))
        elif isinstance(widget, QAbstractButton):
            texts.append((widget.text(), name))
        elif isinstance(widget, QGroupBox):
            texts.append((widget.title(), name))
        elif isinstance(widget, QLineEdit):
            texts.append((widget.placeholderText(), f"{name} placeholder"))
        elif isinstance(widget, QComboBox):
            texts += [(widget.itemText(i), name) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [(widget.tabText(i), f"{name} tab") for i in range(widget.count())]
            texts += [(widget.tabToolTip(i), f"{name} tab tooltip") for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):
                texts += [(widget.item(i).text(), name), (widget.item(i).toolTip(), f"{name} item tooltip")]
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts += [(header.text(c), f"{name} header") for c in range(widget.columnCount())]
            for i in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(i)
                texts += [(item.text(c), name) for c in range(widget.columnCount())]
    return [(text, where) for text, where in texts if text and text.strip()]


def english_on_screen(window: QWidget, code: str) -> list[str]:
    leftovers = english_leftovers(code)
    return sorted({f"{where}: {text!r}" for text, where in visible_texts(window)
                   if text in leftovers or _strip(text) in leftovers})


def missing_glyphs(text: str, font: QFont) -> int:
    """How many glyphs of `text` come out as the empty box (glyph 0) after Qt's font fallback."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    line.setPosition(QPointF(0, 0))
    layout.endLayout()
    missing = 0
    for run in layout.glyphRuns():
        missing += sum(1 for index in run.glyphIndexes() if index == 0)
    return missing


def _save(window: QWidget, folder: Path, name: str) -> Path:
    QCoreApplication.processEvents()
    path = folder / name
    assert window.grab().save(str(path)), path
    return path


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_shell_screens(code: str, demo_file: Path, artifacts: Path, tmp_path: Path, qtbot,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.shell import Shell

    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    qt_i18n.load_fonts()
    qt_i18n.apply_fallback_fonts()
    settings = Settings()
    settings.add_recent(demo_file)
    shell = Shell(settings)
    problems: list[str] = []
    try:
        i18n.set_language(code)
        qt_i18n.apply_language(code)

        start = shell.show_start()
        start.resize(760, 560)
        _save(start, folder, f"shell-{code}-start.png")
        problems += [f"start {p}" for p in english_on_screen(start, code)]
        start.tabs.setCurrentIndex(1)
        start.new_passphrase.setText("four words")
        _save(start, folder, f"shell-{code}-create.png")
        problems += [f"create {p}" for p in english_on_screen(start, code)]

        unlock = shell.show_unlock(demo_file, demo_note(PASSPHRASE))
        unlock.resize(560, 320)
        _save(unlock, folder, f"shell-{code}-unlock.png")
        problems += [f"unlock {p}" for p in english_on_screen(unlock, code)]
        assert PASSPHRASE in unlock.note.text()

        start_title, unlock_note = start.title.text(), unlock.note.text()   # both windows go once unlocked
        unlock.passphrase.setText(PASSPHRASE)
        assert unlock_window(qtbot, unlock), unlock.error.text()
        main = shell.main_window
        main.resize(1180, 760)
        _save(main, folder, f"shell-{code}-main.png")
        problems += [f"main {p}" for p in english_on_screen(main, code)]

        if code in ("ar", "zh"):
            for text in (start_title, main.file_menu.title(), main.workspace_page.title.text(), unlock_note):
                assert missing_glyphs(text, main.workspace_page.title.font()) == 0, f"boxes instead of glyphs in {text!r}"
    finally:
        shell.shutdown()
        i18n.set_language("en")
        qt_i18n.apply_language("en")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not problems, "English source text on a translated screen:\n" + "\n".join(problems)


def test_missing_glyph_check_can_fail(qapp) -> None:
    """The glyph check above would see boxes: a private-use character has no glyph in any font."""
    assert missing_glyphs("\ue000\ue001", QFont()) >= 1


def test_english_check_can_fail(tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window left in English is caught when judged as French."""
    from ui.shell import Shell

    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    shell = Shell(Settings())
    try:
        start = shell.show_start()
        found = english_on_screen(start, "fr")
        assert any("'Create a workspace'" in line for line in found), found
        assert any("'Open workspace'" in line for line in found), found
    finally:
        shell.shutdown()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
