"""The shell end to end: real offscreen QApplication, real SQLCipher workspaces, no mocks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

import i18n
from desktop.settings import Settings
from i18n import formatting, gettext_in
from i18n import qt as qt_i18n
from storage import Workspace, WrongPassphrase
from storage.lock import WorkspaceLock
from tests.conftest import PASSPHRASE, ROOT
from tests.ui.conftest import finish, unlock
from ui.access_keys import key_of, plain

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(folder))
    monkeypatch.setenv("PSEA_DESK_DATA_DIR", str(tmp_path / "data"))
    return folder


@pytest.fixture
def shell(qtbot, config_dir: Path):
    from ui.shell import Shell

    qt_i18n.load_fonts()
    qt_i18n.apply_fallback_fonts()
    shell = Shell(Settings())
    yield shell
    shell.shutdown()
    i18n.set_language("en")
    qt_i18n.apply_language("en")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def closed_workspace(workspace: Workspace) -> Path:
    path = workspace.path
    workspace.close()
    return path


def test_create_workspace_through_start_window(shell, tmp_path: Path, qtbot) -> None:
    window = shell.show_start()
    window.tabs.setCurrentIndex(1)
    target = tmp_path / "new-office"
    window.file_edit.setText(str(target))
    qtbot.keyClicks(window.office_edit, "SDN-KRT")
    qtbot.keyClicks(window.entity_edit, "UNICEF")
    window.default_language.setCurrentIndex(window.default_language.findData("fr"))
    qtbot.keyClicks(window.new_passphrase, "short")
    assert "10" in window.strength.text()  # the live hint names the minimum
    window.new_passphrase.clear()
    qtbot.keyClicks(window.new_passphrase, "river stones and seven kites")
    qtbot.keyClicks(window.repeat_passphrase, "river stones and seven kite")
    assert "differ" in window.strength.text()
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert not window.create_error.isHidden()
    assert "differ" in window.create_error.text()
    assert not (tmp_path / "new-office.pdesk").exists()  # bad input changes nothing

    window.repeat_passphrase.setText("river stones and seven kites")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert shell.main_window is not None
    assert window.new_passphrase.text() == "" and window.repeat_passphrase.text() == ""
    created = tmp_path / "new-office.pdesk"
    assert created.exists()
    assert shell.session.ws.office == "SDN-KRT" and shell.session.ws.language == "fr"
    page = shell.main_window.workspace_page
    assert page.values["office"].text() == "SDN-KRT"
    assert page.values["entity"].text() == "UNICEF"
    assert page.audit.topLevelItemCount() >= 1  # the office record's creation is audited
    assert str(created.resolve()) in Settings.load().recent  # remembered as a path
    assert "river" not in (shell.settings.__dict__.__repr__())


def test_a_coordinators_workspace_and_its_demo_from_the_start_window(shell, tmp_path: Path, qtbot) -> None:
    window = shell.show_start()
    window.tabs.setCurrentIndex(1)
    window.file_edit.setText(str(tmp_path / "region"))
    window.role.setCurrentIndex(window.role.findData("region"))
    window.office_edit.setText("RO ESA")                       # a space: refused with a message
    window.entity_edit.setText("UNICEF")
    window.new_passphrase.setText("river stones and seven kites")
    window.repeat_passphrase.setText("river stones and seven kites")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert "office code" in window.create_error.text() and not (tmp_path / "region.pdesk").exists()
    window.office_edit.setText("RO-ESA")
    window.office_name_edit.setText("Nairobi regional office")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert shell.session.ws.role == "region" and shell.session.ws.office == "RO-ESA"


def test_the_demos_of_every_role_are_offered(shell, qtbot) -> None:
    from desktop.launcher import demo_path

    window = shell.show_start()
    assert {b.text() for b in window.demo_buttons.values()} == {
        "Country office demo", "Regional coordinator demo", "Headquarters demo"}
    window.demo_buttons["region"].click()
    assert shell.unlock_window is not None and demo_path("region").exists()
    with Workspace.open(demo_path("region"), "demo passphrase 2026") as ws:
        assert ws.role == "region"
        offices = {r[0] for r in ws.connection.execute("SELECT DISTINCT office FROM roster_person")}
        assert len(offices) == 3


def test_unlock_wrong_then_right(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    qtbot.keyClicks(window.passphrase, "not the passphrase")
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
    assert shell.main_window is None and shell.session is None
    assert window.error.text() == str(WrongPassphrase(str(closed_workspace)))
    assert window.passphrase.text() == ""  # not kept after the attempt
    assert not WorkspaceLock(closed_workspace).held
    qtbot.keyClicks(window.passphrase, PASSPHRASE)
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
    assert shell.main_window is not None
    assert shell.session.is_unlocked
    assert shell.unlock_window is None          # the prompt (and the passphrase typed in it) is gone


def test_unlock_messages_for_unusable_files(shell, tmp_path: Path, closed_workspace: Path, qtbot) -> None:
    import sqlite3

    from storage import cipher

    plain = tmp_path / "plain.pdesk"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    with plain.open("ab") as fh:
        fh.write(b"\0" * 4096)
    conn = cipher.connect(closed_workspace, PASSPHRASE)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = closed_workspace.read_bytes()
    cases = [
        (plain, "not a PSEA Desk workspace"),
        (closed_workspace, "newer version"),
        (tmp_path / "missing.pdesk", "no workspace file"),
    ]
    for path, words in cases:
        window = shell.show_unlock(path)
        window.passphrase.setText(PASSPHRASE)
        qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda w=window: not w.runner.busy, timeout=60_000)
        assert words in window.error.text(), window.error.text()
        assert shell.session is None
    assert closed_workspace.read_bytes() == before  # nothing changed


def test_second_instance_refused(shell, closed_workspace: Path, qtbot) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from storage import Workspace
            ws = Workspace.open({str(closed_workspace)!r}, {PASSPHRASE!r})
            print("open", flush=True)
            sys.stdin.readline()
            ws.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        window = shell.show_unlock(closed_workspace)
        window.passphrase.setText(PASSPHRASE)
        qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
        assert shell.session is None
        assert "already open in another" in window.error.text()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=20)
    # Once the other process has let go, the same prompt unlocks.
    window.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60_000)
    assert shell.session is not None and shell.session.is_unlocked


def test_language_switch_retranslates_without_restart(shell, closed_workspace: Path, qtbot) -> None:
    start = shell.show_start()
    start.language.setCurrentIndex(start.language.findData("fr"))  # the start window's language list
    assert i18n.current_language() == "fr"
    # Texts compared without their access keys (ui/access_keys.py gives them after the switch).
    assert plain(start.tabs.tabText(1)) == gettext_in("fr", "Create a workspace") != "Create a workspace"
    assert Settings.load().language == "fr"

    window = shell.show_unlock(closed_workspace)
    assert plain(window.unlock_button.text()) == gettext_in("fr", "Unlock")
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    assert plain(main.file_menu.title()) == plain(gettext_in("fr", "&File"))
    shell.switch_language("ru")
    assert plain(main.file_menu.title()) == plain(gettext_in("ru", "&File")) != "File"
    assert main.nav.item(0).text() == gettext_in("ru", "Workspace")
    assert plain(main.workspace_page.check_button.text()) == gettext_in("ru", "Check integrity")
    assert main.language_actions["ru"].isChecked()
    # Qt's own catalog follows: a standard button of Qt's dialogs speaks Russian too.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight

    main.language_actions["ar"].trigger()
    assert i18n.current_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert main.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert plain(main.file_menu.title()) == plain(gettext_in("ar", "&File"))
    assert "(&F)" in main.file_menu.title()   # Arabic: the Latin key appended (docs/shell.md)
    main.language_actions["en"].trigger()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main.file_menu.title() == "&File"
    assert key_of(main.workspace_page.check_button.text())
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_dates_follow_a_language_switch_with_four_digit_years(shell, closed_workspace: Path, qtbot) -> None:
    """Date fields and dates in text are written the UN way in every language: day and month in the
    language's order, the year in full ("11/29/26" is ambiguous), and a switch re-formats them."""
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    as_of = main.show_page("roster").as_of
    as_of.setDate(QDate(2026, 3, 4))
    shown = {}
    for code in ("en", "fr", "es", "ru", "zh", "ar"):
        shell.switch_language(code)
        text = as_of.text()
        assert "2026" in text and "26" not in text.replace("2026", ""), (code, text)
        shown[code] = text
        assert "2026" in formatting.date(dt.date(2026, 3, 4), code, "short")
    assert shown["en"].startswith("04/03") and shown["zh"].startswith("2026")   # day first; year first
    assert len(set(shown.values())) >= 3                                           # each language its own
    shell.switch_language("en")


def _unlocked_with_an_assessment(shell, workspace: Workspace, qtbot, partner_name: str) -> str:  # noqa: ANN001
    """A partner with a capacity assessment started in `workspace`, then the workspace unlocked in the
    shell; returns the assessment's id."""
    from desktop.partners import assessments, model

    partner = model.add_partner(workspace, partner_name, partner_type="national_ngo")
    aid = assessments.start(workspace, partner["id"], "unicef_2020")["id"]
    path = workspace.path
    workspace.close()
    window = shell.show_unlock(path)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    return aid


def test_the_idle_lock_keeps_a_half_filled_assessment(shell, workspace: Workspace, qtbot) -> None:
    """Four standards rated and a note typed, then the idle lock: after unlocking, the form shows them
    again (kept encrypted in the workspace as a draft), says so, and saving writes them and the draft goes."""
    from desktop import drafts
    from desktop.partners import assessments

    aid = _unlocked_with_an_assessment(shell, workspace, qtbot, "Женская инициатива")
    page = shell.main_window.show_page("partners")
    page.open_form(aid)
    form = page.form
    for block in form.blocks[:4]:
        block.rating_buttons[3].click()
    form.blocks[0].notes.setPlainText("Политика утверждена в 2025 году")
    assert "4 of" in form.result.text()

    shell.auto_lock()
    assert shell.session is None and shell.main_window is None
    window = shell.unlock_window
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    page = shell.main_window.show_page("partners")
    page.open_form(aid)
    form = page.form
    assert "4 of" in form.result.text()
    assert form.blocks[0].notes.toPlainText() == "Политика утверждена в 2025 году"
    assert form.restored.isVisibleTo(form) and form.discard_button.isVisibleTo(form)
    session = shell.session
    assert drafts.find(session.ws, form.DRAFT_FORM, aid) is not None
    assert form.save()
    answers = assessments.answers(session.ws, aid)
    assert sum(1 for a in answers.values() if a["rating"] == 3) == 4
    assert drafts.find(session.ws, form.DRAFT_FORM, aid) is None and not form.restored.isVisibleTo(form)


def test_closing_with_unsaved_changes_asks(shell, workspace: Workspace, qtbot, monkeypatch) -> None:
    """Closing the workspace (or the window, or quitting) with a half-filled form asks: Cancel stays,
    Save writes the changes and closes."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.partners import assessments

    path = workspace.path
    aid = _unlocked_with_an_assessment(shell, workspace, qtbot, "Action contre la Faim")
    page = shell.main_window.show_page("partners")
    page.open_form(aid)
    page.form.blocks[0].rating_buttons[2].click()
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or answer[0])
    shell.close_workspace()
    assert shell.session is not None and shell.main_window is not None and page.form.is_dirty()
    assert asked and gettext_in("en", "Implementing partners") in asked[0]
    answer[0] = QMessageBox.StandardButton.Save
    shell.close_workspace()
    assert shell.session is None and shell.start_window is not None
    with Workspace.open(path, PASSPHRASE) as ws:
        assert assessments.answers(ws, aid)[page.form.rs["standards"][0]["key"]]["rating"] == 2


def test_keyboard_shortcuts_reach_pages_search_and_save(shell, workspace: Workspace, qtbot) -> None:
    """Ctrl+1… open the pages, Ctrl+F goes to the page's search field, Ctrl+S saves the open form, F1
    lists the shortcuts in the current language."""
    from PySide6.QtGui import QKeySequence

    from desktop.partners import assessments

    aid = _unlocked_with_an_assessment(shell, workspace, qtbot, "Femmes en action")
    main = shell.main_window
    shortcuts = {a.shortcut().toString(): a for a in main.findChildren(QAction) if not a.shortcut().isEmpty()}
    for key in ("Ctrl+S", "Ctrl+F", "F1", "Ctrl+L", "Ctrl+W", "Ctrl+Q", "Ctrl+1", "Ctrl+2"):
        assert key in shortcuts, key
    roster_row = next(r for r in range(main.nav.count()) if main.nav.item(r).text() == main._title(r)
                      and (main.pages[r] or main._classes[r]).key == "roster")
    shortcuts[QKeySequence(f"Ctrl+{roster_row + 1}").toString()].trigger()
    assert main.nav.currentRow() == roster_row
    finish(qtbot, shell.session)
    assert main.find_on_page() and main.current_page().search_field().hasFocus() is not None
    page = main.show_page("partners")
    page.open_form(aid)
    page.form.blocks[0].rating_buttons[3].click()
    assert page.has_unsaved()
    shortcuts["Ctrl+S"].trigger()
    assert not page.has_unsaved()
    assert assessments.answers(shell.session.ws, aid)[page.form.blocks[0].key]["rating"] == 3
    shell.switch_language("fr")
    assert gettext_in("fr", "Ctrl+F\tFind on this page") in main.shortcuts_text()
    assert plain(main.pages_menu.title()) == plain(gettext_in("fr", "&Pages"))


def test_the_unlock_prompt_offers_the_language(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.language.setCurrentIndex(window.language.findData("ar"))
    assert i18n.current_language() == "ar" and Settings.load().language == "ar"
    assert plain(window.unlock_button.text()) == gettext_in("ar", "Unlock") != "Unlock"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    window.language.setCurrentIndex(window.language.findData("en"))
    assert plain(window.unlock_button.text()) == "Unlock"


def test_the_window_is_reopened_as_the_user_left_it(shell, closed_workspace: Path, qtbot) -> None:
    """Size, the navigation's width and the roster's column widths are remembered for the user
    (settings file, never in the workspace) and restored at the next unlock."""
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    main.resize(700, 500)
    main.splitter.setSizes([240, 460])
    roster = main.show_page("roster")
    finish(qtbot, shell.session)
    roster.table.setColumnWidth(0, 333)
    shell.lock()
    assert {"main", "main/splitter", "roster/columns"} <= set(Settings.load().layout)
    window = shell.unlock_window
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    assert (main.width(), main.height()) == (700, 500)
    assert abs(main.splitter.sizes()[0] - 240) <= 2
    roster = main.show_page("roster")
    assert roster.table.columnWidth(0) == 333


def test_the_idle_lock_keeps_a_risk_assessment_being_typed(shell, closed_workspace: Path, qtbot) -> None:
    """A new risk assessment with its context, two ratings and a measure typed, then the idle lock: the
    next "New assessment" puts them back; Cancel drops them for good."""
    from desktop import drafts

    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    page = shell.main_window.show_page("risk")
    finish(qtbot, shell.session)
    form = page.new_assessment()
    form.subject.setText("Distribution alimentaire — camp de Kakuma")
    codes = [i["code"] for i in form.factor_rows()[:2]]
    form.set_rating(codes[0], 4, 5)
    form.set_rating(codes[1], 2, 3)
    measure = form.add_measure(codes[0])
    measure["action"].setText("Deux femmes dans chaque équipe de distribution")
    assert page.has_unsaved()

    shell.auto_lock()
    window = shell.unlock_window
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    page = shell.main_window.show_page("risk")
    finish(qtbot, shell.session)
    form = page.new_assessment()
    assert form.subject.text() == "Distribution alimentaire — camp de Kakuma"
    assert [form.row_for(c)["lk"].value() for c in codes] == [4, 2] and form.row_for(codes[0])["use"].isChecked()
    assert [m["action"].text() for m in form._measure_rows] == ["Deux femmes dans chaque équipe de distribution"]
    assert form.error.isVisibleTo(form) and form.has_changes()
    form.reject()                                          # Cancel: the user drops them
    assert drafts.find(shell.session.ws, form.DRAFT_FORM, "new") is None
    again = page.new_assessment()
    assert again.subject.text() == "" and not again.has_changes()
    again.reject()


def test_a_new_workspace_opens_on_its_first_steps(shell, closed_workspace: Path, qtbot) -> None:
    """The first page lists what to do first, none done in a new office workspace; a step's button opens
    its page; registering a partner ticks that step."""
    from desktop.partners import model

    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    page = main.workspace_page
    assert main.nav.currentRow() == 0 and page.steps_box.isVisibleTo(main)
    assert "0" in page.steps_box.title() and len(page.step_rows) == 5
    mark, _text, button = page.step_rows["partners"]
    assert mark.text() == "○"
    button.click()
    assert main.current_page().key == "partners"
    model.add_partner(shell.session.ws, "Femmes solidaires", partner_type="national_ngo")
    main.nav.setCurrentRow(0)
    page.refresh()
    assert page.step_rows["partners"][0].text() == "✔" and page.step_rows["roster"][0].text() == "○"


def test_a_language_switch_leaves_no_message_in_the_old_language(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    page = shell.main_window.show_page("risk")
    finish(qtbot, shell.session)
    page._changed("The assessment was saved.")
    assert page.message.isVisibleTo(page) and page.message.text() == "The assessment was saved."
    shell.switch_language("fr")
    assert not page.message.isVisibleTo(page) and page.message.text() == ""
    shell.switch_language("en")


def test_auto_lock_drops_the_workspace(shell, closed_workspace: Path, qtbot) -> None:
    shell.set_idle_minutes(0.01)  # 0.6 s
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    assert unlock(qtbot, window)
    session, main = shell.session, shell.main_window
    page = main.workspace_page
    shell.edit_settings()  # a dialog open at lock time is closed with the window
    qtbot.waitUntil(lambda: shell.unlock_window is not None, timeout=10_000)
    assert shell.locked_automatically
    assert session.workspace is None and shell.session is None
    assert shell.main_window is None
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(page)  # the pages are destroyed
    lock = WorkspaceLock(closed_workspace)
    lock.acquire()  # the file is free again
    lock.release()
    prompt = shell.unlock_window
    assert prompt.path == closed_workspace
    assert "locked after" in prompt.note.text()
    prompt.passphrase.setText(PASSPHRASE)
    assert unlock(qtbot, prompt)
    assert shell.session.is_unlocked


def test_auto_lock_waits_for_a_write_in_progress(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    assert unlock(qtbot, window)
    session = shell.session
    with session.ws.transaction():      # an import between two batches, pumping events
        shell.auto_lock()
        assert shell.session is session and session.is_unlocked
    shell.auto_lock()                   # the write is over: now it locks
    assert shell.session is None and session.workspace is None


def test_input_postpones_the_auto_lock(shell, closed_workspace: Path, qtbot) -> None:
    shell.set_idle_minutes(0.02)  # 1.2 s
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    main = shell.main_window
    for _ in range(8):  # 2 s of typing in total, never 1.2 s without input
        qtbot.wait(250)
        qtbot.keyClick(main.nav, Qt.Key.Key_Down)
    assert shell.session is not None and shell.session.is_unlocked
    qtbot.waitUntil(lambda: shell.session is None, timeout=10_000)


def test_change_passphrase_asks_current_again(shell, closed_workspace: Path, qtbot) -> None:
    from ui.dialogs import ChangePassphraseDialog

    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    dialog = ChangePassphraseDialog(shell.session, shell.main_window)
    dialog.current.setText("wrong current passphrase")
    dialog.new.setText("a brand new passphrase")
    dialog.repeat.setText("a brand new passphrase")
    assert not dialog.try_change()
    assert "not correct" in dialog.error.text()
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText("a brand new passphrase")
    dialog.repeat.setText("a brand new passphrase")
    assert dialog.try_change()
    shell.lock()
    prompt = shell.unlock_window
    prompt.passphrase.setText(PASSPHRASE)
    assert not unlock(qtbot, prompt)
    prompt.passphrase.setText("a brand new passphrase")
    assert unlock(qtbot, prompt)


def test_workspace_page_backup_and_check(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    page = shell.main_window.workspace_page
    before = page.backups.topLevelItemCount()
    shell.main_window.backup_action.trigger()
    finish(qtbot, shell.session)
    assert page.backups.topLevelItemCount() >= 1
    assert page.backups.topLevelItem(0).text(1) == "backup by hand"
    assert before == 1 and page.backups.topLevelItem(0).text(0) != "No backups yet."
    assert "Backup written" in page.last_message.text()
    assert page.check_integrity()
    finish(qtbot, shell.session)
    assert page.last_problems == []
    assert "intact" in page.last_message.text()


def test_about_lists_versions(shell, closed_workspace: Path, qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    shell.main_window.about_action.trigger()
    texts = [label.text() for label in shell.about_dialog.findChildren(QLabel)]
    for name in ("PSEA Desk:", "Python:", "Qt:", "PySide6:", "SQLCipher:", "reportlab:", "pyHanko:", "Babel:"):
        assert name in texts
    sqlcipher = texts[texts.index("SQLCipher:") + 1]
    assert sqlcipher.startswith("4."), sqlcipher
    shell.about_dialog.close()


def test_lock_and_close_workspace(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    shell.main_window.lock_action.trigger()
    assert shell.session is None and shell.unlock_window is not None
    shell.unlock_window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, shell.unlock_window)
    shell.main_window.close_action.trigger()
    assert shell.session is None and shell.start_window is not None
    recent = shell.start_window.recent_list
    assert recent.count() == 1
    assert recent.item(0).data(Qt.ItemDataRole.UserRole) == str(closed_workspace.resolve())


def test_unlock_damaged_file_says_so(shell, workspace: Workspace, qtbot) -> None:
    path = workspace.path
    workspace.backup("manual")
    workspace.close()
    data = bytearray(path.read_bytes())
    data[200:400] = bytes(200)  # page 1 no longer decrypts; the backup still does with this passphrase
    path.write_bytes(bytes(data))
    window = shell.show_unlock(path)
    window.passphrase.setText(PASSPHRASE)
    assert not unlock(qtbot, window)
    assert "damaged" in window.error.text(), window.error.text()
    assert path.read_bytes() == bytes(data)


def test_integrity_check_reports_a_tampered_audit_log(shell, closed_workspace: Path, qtbot) -> None:
    from storage import cipher

    conn = cipher.connect(closed_workspace, PASSPHRASE)
    conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 1")
    conn.close()
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    assert unlock(qtbot, window)
    page = shell.main_window.workspace_page
    assert page.check_integrity()
    finish(qtbot, shell.session)
    assert page.last_problems
    assert "audit log was altered" in page.last_message.text()


def test_closing_the_unlock_prompt_does_not_reopen_the_start_window(shell, closed_workspace: Path, qtbot) -> None:
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    window.close()
    assert shell.start_window is None
    assert window.passphrase.text() == ""
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Escape is "Back"
    assert shell.start_window is not None


def test_a_broken_instrument_page_does_not_block_the_window(shell, closed_workspace: Path, qtbot, monkeypatch) -> None:
    import ui.main_window as main_window
    from ui.pages import InstrumentPage

    class Exploding(InstrumentPage):
        key = "exploding"

        @staticmethod
        def nav_title() -> str:
            return "Exploding"

        def __init__(self, session, parent=None) -> None:
            raise RuntimeError("page bug")

    monkeypatch.setattr(main_window, "available_pages", lambda errors=None: [Exploding])
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    assert unlock(qtbot, window)
    main = shell.main_window
    assert main.nav.count() == 2 and main.nav.item(1).text() == "Exploding"
    main.nav.setCurrentRow(1)                       # built when first shown: it fails, the window stays
    assert [page.key for page in main.pages] == ["workspace", "broken"]


def test_main_window_failure_locks_again(shell, closed_workspace: Path, qtbot, monkeypatch) -> None:
    import ui.workspace_page as workspace_page

    def fail(self) -> None:
        raise RuntimeError("overview bug")

    monkeypatch.setattr(workspace_page.WorkspacePage, "refresh", fail)
    window = shell.show_unlock(closed_workspace)
    window.passphrase.setText(PASSPHRASE)
    unlock(qtbot, window)
    assert shell.session is None and shell.main_window is None
    assert "could not be opened" in shell.unlock_window.error.text()
    lock = WorkspaceLock(closed_workspace)
    lock.acquire()  # not left open
    lock.release()
