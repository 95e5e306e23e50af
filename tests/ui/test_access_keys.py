"""Access keys (ui/access_keys.py) in the six languages: every button, check box, option, tab, checkable
group and field label of every page and dialog has one; no two controls seen together share one; each
is typed on the language's keyboard; the text shown is the translated text plus the key, nothing lost;
Alt and the key reach the control. Also: Enter presses the natural button of every dialog, never Cancel;
Tab follows the forms (risk assessment, capacity assessment, letter) from top to bottom and from the
start of each line to its end (right to left in Arabic)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import i18n
from i18n import gettext_in
from tests.ui.conftest import NoShell, each_page, finish, window_language
from tests.ui.test_fits import LANGUAGES, TODAY, _dialogs, demo_session  # noqa: F401 - the fixture
from ui import access_keys, accessibility
from ui.access_keys import KEYED_GROUP, SOURCE, escaped, key_of, plain, typeable

_QT_PARTS = (QAbstractSpinBox, QComboBox, QCalendarWidget, QTabBar, QAbstractItemView)


@pytest.fixture(scope="module", autouse=True)
def _keys(qapp) -> Iterator[None]:  # noqa: ANN001
    """The keys are given as the application does (its event filter); the module leaves no filter behind."""
    accessibility.install(qapp)
    access_keys.install(qapp)
    yield
    access_keys.uninstall()


def settle(qtbot) -> None:  # noqa: ANN001
    """Until the windows shown or changed have their keys (they are given from the event loop)."""
    for _ in range(3):
        qtbot.waitUntil(lambda: not access_keys.pending(), timeout=5_000)
        qtbot.wait(1)


# ---- what must have a key -------------------------------------------------------------------------------
def _in_parts_or_group(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, _QT_PARTS) or parent.property(KEYED_GROUP):
            return True
        parent = parent.parentWidget()
    return False


def _takes_key(label: QLabel) -> bool:
    buddy = label.buddy()
    return (buddy is not None and bool(label.text().strip()) and label.textFormat() != Qt.TextFormat.RichText
            and (isinstance(buddy, QAbstractButton) or bool(buddy.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)))


def controls(window: QWidget) -> list[tuple[str, str, str | None]]:
    """(what, text shown, text the window set) of each control `window` shows now that must have a key:
    buttons, check boxes and options with a text, checkable groups and list items' groups, tabs, labels
    of fields, the menu bar's menus. A button named by a label with a key is reached by the label's."""
    def mine(w: QWidget) -> bool:
        return w.window() is window and w.isVisibleTo(window) and not _in_parts_or_group(w, window)

    found: list[tuple[str, str, str | None]] = []
    labelled: set[int] = set()
    for label in window.findChildren(QLabel):
        if mine(label) and _takes_key(label):
            found.append((f"label {plain(label.text())!r}", label.text(), label.property(SOURCE)))
            labelled.add(id(label.buddy()))
    for button in window.findChildren(QAbstractButton):
        if mine(button) and button.text().strip() and not button.objectName().startswith("qt_") \
                and id(button) not in labelled:
            found.append((f"{type(button).__name__} {plain(button.text())!r}", button.text(), button.property(SOURCE)))
    for box in window.findChildren(QGroupBox):
        if mine(box) and (box.isCheckable() or box.property(KEYED_GROUP)):
            found.append((f"group {plain(box.title())!r}", box.title(), box.property(SOURCE)))
    for tabs in window.findChildren(QTabWidget):
        if mine(tabs):
            found += [(f"tab {plain(tabs.tabText(n))!r}", tabs.tabText(n), tabs.property(f"{SOURCE}_{n}"))
                      for n in range(tabs.count()) if tabs.isTabVisible(n)]
    if isinstance(window, QMainWindow):
        found += [(f"menu {plain(a.text())!r}", a.text(), a.property(SOURCE)) for a in window.menuBar().actions()
                  if a.isVisible() and not a.isSeparator()]
    return found


def _check(found: list[tuple[str, str, str | None]], code: str) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for what, text, source in found:
        key = key_of(text)
        if not key:
            problems.append(f"no key: {what} {text!r}")
        elif not typeable(key, code):
            problems.append(f"a key not typed on a {code} keyboard: {what} {text!r}")
        elif key in seen:
            problems.append(f"Alt+{key} twice: {seen[key]} and {what}")
        else:
            seen[key] = what
        if isinstance(source, str) and plain(text) != plain(source):
            problems.append(f"text changed: {source!r} shown as {text!r}")
    return problems


def problems(window: QWidget, code: str) -> list[str]:
    """What is wrong with the keys of what `window` shows now, and of each of its menus."""
    found = _check(controls(window), code)
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                found += _check([(f"{plain(action.text())} > {plain(a.text())!r}", a.text(), a.property(SOURCE))
                                 for a in menu.actions() if not a.isSeparator() and a.isVisible()], code)
    return found


def _each_tab(qtbot, root: QWidget) -> Iterator[None]:  # noqa: ANN001
    """Every tab of the tab widgets `root` shows, one after the other (then back to the first)."""
    yield
    for tabs in [t for t in root.findChildren(QTabWidget) if t.isVisibleTo(root)]:
        for n in range(1, tabs.count()):
            tabs.setCurrentIndex(n)
            settle(qtbot)
            yield
        tabs.setCurrentIndex(0)


def _shell_windows(session, tmp_path: Path) -> list[QWidget]:  # noqa: ANN001
    from ui.dialogs import AboutDialog, ChangePassphraseDialog, SettingsDialog
    from ui.start_window import StartWindow
    from ui.unlock import UnlockWindow

    return [StartWindow([tmp_path / "office.pdesk"]), UnlockWindow(tmp_path / "office.pdesk"),
            ChangePassphraseDialog(session), SettingsDialog(10), AboutDialog([("Qt", "6")])]


def _open_partner_form(qtbot, main, session):  # noqa: ANN001, ANN202
    """The partners page with a new capacity assessment open (every field editable)."""
    from desktop.partners import assessments, model

    page = main.show_page("partners")
    finish(qtbot, session)
    partner = model.list_partners(session.ws)[0]
    page.open_form(assessments.start(session.ws, partner["id"])["id"])
    return page


# ---- every page and dialog, six languages ---------------------------------------------------------------
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_button_and_field_label_of_every_window_has_an_access_key(qtbot, demo_session, tmp_path: Path,  # noqa: F811
                                                                         code: str) -> None:
    from ui.main_window import MainWindow

    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.show()
        for title in each_page(qtbot, main, demo_session):
            settle(qtbot)
            for _tab in _each_tab(qtbot, main.current_page()):
                assert problems(main, code) == [], (code, title)
        _open_partner_form(qtbot, main, demo_session)
        settle(qtbot)
        assert problems(main, code) == [], (code, "capacity assessment")
        form = main.current_page().form
        # A standard: one key for the block (its number), none for each of its options.
        assert [key_of(b.title()) for b in form.blocks] == [str(n) for n in range(1, len(form.blocks) + 1)]
        assert not any(key_of(b.text()) for b in form.blocks[0].rating_buttons.values())

        for window in [*_dialogs(demo_session, tmp_path), *_shell_windows(demo_session, tmp_path)]:
            qtbot.addWidget(window)
            window.show()
            settle(qtbot)
            for _tab in _each_tab(qtbot, window):
                assert problems(window, code) == [], (code, type(window).__name__)
            window.close()


def test_the_texts_are_the_translations_with_a_key(qtbot, demo_session, tmp_path: Path) -> None:  # noqa: F811
    """Against the catalogs: Russian takes a Cyrillic letter of the word, Chinese and Arabic the Latin
    letter of the English original, appended; a language switch gives the keys again."""
    from ui.main_window import MainWindow
    from ui.roster.dialogs import PersonDialog

    main = MainWindow(demo_session, NoShell())
    qtbot.addWidget(main)
    main.show()
    roster = main.show_page("roster")
    finish(qtbot, demo_session)
    settle(qtbot)
    try:
        for code in LANGUAGES:
            with window_language(code):
                main.retranslate()
                access_keys.apply(main)     # what the shell does after a switch (ui/shell.py)
                dialog = PersonDialog(demo_session.ws, None)
                qtbot.addWidget(dialog)
                dialog.show()
                settle(qtbot)
                save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
                for text, translated in ((roster.import_button.text(), gettext_in(code, "Import…")),
                                         (main.file_menu.title(), gettext_in(code, "&File")),
                                         (save.text(), QCoreApplication.translate("QPlatformTheme", "Save"))):
                    assert plain(text) == plain(translated) and key_of(text), (code, text, translated)
                if code in ("zh", "ar"):
                    assert "(&F)" in main.file_menu.title(), main.file_menu.title()
                    assert key_of(save.text()) == "S", save.text()          # as in English
                if code == "ru":
                    assert key_of(roster.import_button.text()) in "ИМПОРТ", roster.import_button.text()
                dialog.close()
    finally:
        i18n.set_language("en")


# ---- Alt and the key -------------------------------------------------------------------------------------
def _press(window: QWidget, key: str) -> None:
    QTest.keyClick(window, Qt.Key(ord(key)), Qt.KeyboardModifier.AltModifier)


def _activate(qtbot, window: QWidget) -> None:  # noqa: ANN001
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    settle(qtbot)


@pytest.mark.parametrize("code", LANGUAGES)
def test_alt_and_the_key_reach_the_control(qtbot, demo_session, artifacts: Path, code: str) -> None:  # noqa: F811
    """A field's label moves the focus to the field, a check box's key ticks it, a tab's key shows it (a
    Russian key as the Russian keyboard types it, a Chinese or Arabic one with the Latin letter).
    Screenshots: artifacts/screenshots/access-keys-<ll>-*.png."""
    from ui.main_window import MainWindow
    from ui.partners.dialogs import PartnerDialog

    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with window_language(code):
        dialog = PartnerDialog(demo_session)
        qtbot.addWidget(dialog)
        _activate(qtbot, dialog)
        assert dialog.grab().save(str(folder / f"access-keys-{code}-partner.png"))
        label = dialog.form.labelForField(dialog.country)
        dialog.name.setFocus()
        _press(dialog, key_of(label.text()))
        assert QApplication.focusWidget() is dialog.country, (code, label.text())
        ticked = dialog.beneficiaries.isChecked()
        _press(dialog, key_of(dialog.beneficiaries.text()))
        qtbot.waitUntil(lambda: dialog.beneficiaries.isChecked() != ticked, timeout=2_000)
        dialog.close()

        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        page = main.show_page("letter")
        finish(qtbot, demo_session)
        _activate(qtbot, main)
        page.tabs.setCurrentIndex(0)
        _press(main, key_of(page.tabs.tabText(2)))
        assert page.tabs.currentIndex() == 2, (code, page.tabs.tabText(2))
        _press(main, key_of(page.tabs.tabText(1)))
        finish(qtbot, demo_session)
        settle(qtbot)
        assert page.tabs.currentIndex() == 1
        main.resize(1100, 720)
        assert main.grab().save(str(folder / f"access-keys-{code}-letter.png"))


def test_a_text_the_window_changes_takes_a_key_again(qtbot) -> None:  # noqa: ANN001
    """Without being asked: a button whose text changes ("Check the file" becoming "Import"), a button shown
    later, a menu's new action; the others keep their keys."""
    window = QDialog()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    check, later, cancel = QPushButton("Check the file"), QPushButton("Later"), QPushButton("Cancel")
    later.hide()
    for button in (check, later, cancel):
        layout.addWidget(button)
    menu = QMenu(window)
    menu.addAction("Save a copy")
    window.show()
    settle(qtbot)
    kept = cancel.text()
    assert key_of(check.text()) and key_of(kept) and key_of(menu.actions()[0].text())
    check.setText("Import")
    later.show()
    menu.addAction(escaped("Remove Smith & Sons"))
    settle(qtbot)
    assert plain(check.text()) == "Import" and key_of(check.text()) and key_of(later.text())
    assert cancel.text() == kept
    assert plain(menu.actions()[1].text()) == "Remove Smith & Sons" and key_of(menu.actions()[1].text())
    assert len({key_of(b.text()) for b in (check, later, cancel)}) == 3


# ---- any text, any language -------------------------------------------------------------------------------
_WORDS = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
                                               "éàçñüÉßабвгдеёжзийклмнопрстуфхцчшщъыьэюяСДФ保存文件导出取消"
                                               "حفظملفإلغاء&()：:…-.'’")), min_size=1, max_size=24)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_WORDS.filter(str.strip), min_size=1, max_size=14), code=st.sampled_from(LANGUAGES))
def test_any_texts_get_distinct_keys_and_lose_nothing(qapp, texts: list[str], code: str) -> None:  # noqa: ANN001
    """Whatever the texts (user data with "&", parentheses, scripts mixed): each shows as it was plus a key,
    the keys are distinct and typed on the language's keyboard, and a second pass changes nothing."""
    i18n.set_language(code)
    try:
        window = QWidget()
        layout = QVBoxLayout(window)
        buttons = [QPushButton(escaped(text)) for text in texts]
        for button in buttons:
            layout.addWidget(button)
        access_keys.apply(window)
        keys = [key_of(b.text()) for b in buttons]
        assert [plain(b.text()) for b in buttons] == texts
        assert all(keys) and len(set(keys)) == len(keys), [b.text() for b in buttons]
        assert all(typeable(k, code) for k in keys)
        assert [QKeySequence.mnemonic(b.text()).toString() for b in buttons] == [f"Alt+{k}" for k in keys]
        shown = [b.text() for b in buttons]
        access_keys.apply(window)
        assert [b.text() for b in buttons] == shown
        window.deleteLater()
    finally:
        i18n.set_language("en")


# ---- Enter ------------------------------------------------------------------------------------------------
def _cancels(button: QAbstractButton) -> bool:
    box = button.parentWidget()
    if isinstance(box, QDialogButtonBox) and box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole:
        return True
    return plain(button.text()) in {i18n._("Cancel"), QCoreApplication.translate("QPlatformTheme", "Cancel")}


@pytest.mark.parametrize("code", ("en", "ar"))
def test_enter_presses_the_natural_button_never_cancel(qtbot, demo_session, tmp_path: Path, code: str) -> None:  # noqa: F811
    from ui.letter.page import SignDialog

    with window_language(code):
        for dialog in [*_dialogs(demo_session, tmp_path), *_shell_windows(demo_session, tmp_path)]:
            if not isinstance(dialog, QDialog):
                continue
            qtbot.addWidget(dialog)
            dialog.show()
            settle(qtbot)
            buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisibleTo(dialog)]
            defaults = [b for b in buttons if b.isDefault()]
            name = type(dialog).__name__
            if buttons:
                assert len(defaults) == 1, (name, [b.text() for b in defaults])
                assert not _cancels(defaults[0]) or len(buttons) == 1, (name, defaults[0].text())
            dialog.close()
        # Enter in a field signs (the dialog is accepted), it does not cancel.
        sign = SignDialog(False, "Amina Diallo", "Head of Office")
        qtbot.addWidget(sign)
        _activate(qtbot, sign)
        sign.name.setFocus()
        QTest.keyClick(sign.name, Qt.Key.Key_Return)
        assert sign.result() == QDialog.DialogCode.Accepted


# ---- Tab ----------------------------------------------------------------------------------------------------
def _describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__} {widget.objectName() or accessibility.spoken_name(widget)!r}"


def _walk(first: QWidget, root: QWidget, limit: int = 400) -> list[QWidget]:
    """The controls Tab reaches from `first` until it leaves `root` or comes back."""
    first.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [QApplication.focusWidget()]
    presses = 0
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is seen[-1]:          # a date's day, month and year, a text's links: Tab moves inside first
            presses += 1
            assert presses < 12, f"Tab does not leave {_describe(now)}"
            continue
        presses = 0
        if now is None or now is seen[0] or not root.isAncestorOf(now):
            break
        assert now not in seen, f"Tab comes back to {_describe(now)}"
        seen.append(now)
    return seen


def _rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _before(a: QWidget, b: QWidget, root: QWidget) -> bool:
    """Whether `b` comes before `a` when reading the form: above it, or on its line nearer the start.
    Compared where the two part (the children of their nearest common parent: the columns of a splitter
    are read one after the other)."""
    chain_a, chain_b = [], []
    for widget, chain in ((a, chain_a), (b, chain_b)):
        while widget is not None and widget is not root:
            chain.insert(0, widget)
            widget = widget.parentWidget()
    n = 0
    while n < min(len(chain_a), len(chain_b)) and chain_a[n] is chain_b[n]:
        n += 1
    if n >= len(chain_a) or n >= len(chain_b):
        return False
    ra, rb = _rect(chain_a[n], root), _rect(chain_b[n], root)
    if rb.bottom() - 2 <= ra.top():
        return True
    if ra.bottom() - 2 <= rb.top():
        return False
    return rb.right() > ra.right() if root.isRightToLeft() else rb.left() < ra.left()


def _backward(stops: list[QWidget], root: QWidget) -> list[str]:
    return [f"{_describe(a)} -> {_describe(b)}" for a, b in zip(stops, stops[1:], strict=False) if _before(a, b, root)]


def _reached(stops: list[QWidget], widgets: list[QWidget]) -> list[str]:
    return [_describe(w) for w in widgets if w.isVisible() and w.isEnabled() and w not in stops]


@pytest.mark.parametrize("code", ("en", "ar"))
def test_tab_follows_the_risk_form(qtbot, demo_session, code: str) -> None:  # noqa: F811
    from desktop.risk import assessments
    from ui.risk.form import AssessmentForm

    with window_language(code):
        aid = next(a["id"] for a in assessments.assessments(demo_session.ws)
                   if assessments.get_assessment(demo_session.ws, a["id"]))
        form = AssessmentForm(demo_session.ws, aid, today=TODAY)
        qtbot.addWidget(form)
        _activate(qtbot, form)
        form.add_measure(form.factor_rows()[0]["code"])      # a row added now goes where it is seen
        stops = _walk(form.kind, form)
        assert _backward(stops, form) == [], code
        assert _reached(stops, [form.kind, form.subject, form.period_end, form.notes, form.ratings,
                                form.factor_rows()[-1]["im"], form.measures, form.add_measure_button,
                                *form.buttons.buttons()]) == []


@pytest.mark.parametrize("code", ("en", "ar"))
def test_tab_follows_the_capacity_assessment_form(qtbot, demo_session, code: str) -> None:  # noqa: F811
    from ui.main_window import MainWindow

    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.resize(1100, 720)
        _activate(qtbot, main)
        form = _open_partner_form(qtbot, main, demo_session).form
        settle(qtbot)
        first = form.report_button
        stops = _walk(first, form)
        assert _backward(stops, form) == [], code
        block = form.blocks[-1]
        assert _reached(stops, [form.save_button, form.back_button, form.special, form.blocks[0].notes,
                                block.other, block.notes, block.attach_button, form.signoff_note,
                                form.signoff_button, form.steps[0].when, form.steps[-1].record]) == []


@pytest.mark.parametrize("code", ("en", "ar"))
def test_tab_follows_the_letter(qtbot, demo_session, code: str) -> None:  # noqa: F811
    from ui.main_window import MainWindow

    with window_language(code):
        main = MainWindow(demo_session, NoShell())
        qtbot.addWidget(main)
        main.resize(1100, 720)
        _activate(qtbot, main)
        page = main.show_page("letter")
        finish(qtbot, demo_session)
        page.tabs.setCurrentIndex(1)
        finish(qtbot, demo_session)
        stops = _walk(page.year, page)
        assert _backward(stops, page) == [], code
        assert _reached(stops, [page.language, page.period_start, page.period_end, page.settings_button,
                                page.attest_list, page.sections, page.section_text, page.save_letter,
                                page.preview_button]) == []
