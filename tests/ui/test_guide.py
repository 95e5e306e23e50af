"""The user guide (desktop/guide/<ll>.md, shown by ui/help.py): F1 opens it in the interface's language at
the section of the page showing; the six guides have the same sections; the names of pages, buttons and
menus they mention are the interface's own words in that language; the terms follow i18n/termbase.tsv;
Arabic reads right to left; links between sections work; the lock closes the guide with the window."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

import i18n
from desktop import guide
from desktop.session import Session
from i18n import gettext_in
from i18n import qt as qt_i18n
from i18n.catalogs import area_files
from i18n.tools import _babel_locale
from storage import Workspace
from tests.conftest import PASSPHRASE
from tests.i18n.test_chinese_spacing import TIGHT as CHINESE_TIGHT
from tests.i18n.test_french_typography import ORDINARY_SPACE
from tests.ui.conftest import NoShell, finish, unlock, window_language
from ui.access_keys import plain

try:    # the termbase's matcher (i18n/termbase.py; before it moved there, the termbase test held it)
    from i18n.termbase import normal as _normal
    from i18n.termbase import terms_in
except ImportError:  # pragma: no cover
    from tests.i18n.test_termbase import _normal, terms_in  # type: ignore[attr-defined, no-redef]

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
TRANSLATED = ("fr", "es", "ru", "zh", "ar")
ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
ACCELERATOR = re.compile(r"\(&\w\)|&(?=\S)")
COLON = re.compile(r"[\s\u00a0]*[:：]\s*$")


# ---- the texts ------------------------------------------------------------------------------------------
def _section_map(code: str) -> dict[str, guide.Section]:
    return {s.anchor: s for s in guide.sections(code)}


def test_every_language_has_the_same_sections_and_every_page_one() -> None:
    english = guide.anchors("en")
    assert english == ["getting-started", "roster", "risk", "partners", "letter", "exchange", "drafts",
                       "shortcuts", "backups"]
    for code in LANGUAGES:
        assert guide.path(code).is_file(), code
        assert guide.anchors(code) == english, code
        for section in guide.sections(code):
            assert section.title and section.body, (code, section.anchor)
        links = set(re.findall(r"\]\(#([a-z0-9-]+)\)", guide.source(code)))
        assert links <= set(english), (code, links - set(english))
        assert links == set(re.findall(r"\]\(#([a-z0-9-]+)\)", guide.source("en"))), code
        assert guide.source(code).count(guide.SHORTCUTS_MARK) == 1, code
    for key, anchor in guide.PAGE_SECTIONS.items():
        assert anchor in english, key


def _norm(text: str) -> str:
    return ARABIC_MARKS.sub("", ACCELERATOR.sub("", text)).replace("\u00a0", " ").strip()


def _variants(text: str) -> list[str]:
    """A label as a sentence may quote it: whole, without its colon, or its part before a colon
    ("Relay to headquarters: also carry…" is quoted as "Relay to headquarters")."""
    whole = _norm(text)
    out = [COLON.sub("", whole)]
    head = re.split(r"[\s\u00a0]*[:：]", whole, maxsplit=1)[0]
    if head and head != out[0]:
        out.append(head)
    return out


def _labels(code: str) -> dict[str, set[str]]:
    """English label (as quoted) -> the ways the interface says it in `code`, from the catalogs."""
    out: dict[str, set[str]] = {}
    for po in area_files(code):
        with po.open("rb") as fh:
            for m in read_po(fh, locale=_babel_locale(code)):
                if not m.id or not isinstance(m.id, str) or not m.string or not isinstance(m.string, str):
                    continue
                for english, said in zip(_variants(m.id), _variants(m.string), strict=False):
                    out.setdefault(english, set()).add(said)
    return out


def _bold_by_section(code: str) -> dict[str, list[str]]:
    return {s.anchor: [_norm(n) for n in re.findall(r"\*\*(.+?)\*\*", s.title + "\n" + s.body)]
            for s in guide.sections(code)}


def test_english_names_are_the_interface_words() -> None:
    english = {variant for po in area_files("en") for m in read_po(po.open("rb")) if isinstance(m.id, str)
               for variant in _variants(m.id)}
    unknown = [name for names in _bold_by_section("en").values() for name in names if name not in english]
    assert not unknown, f"not a label of the window: {unknown}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_names_are_the_words_the_interface_shows_in_that_language(code: str) -> None:
    """Each section names the same things as the English one, each in the words the window shows in
    that language (the catalogs), so a reader finds the button the guide talks about."""
    labels = _labels(code)
    english, translated = _bold_by_section("en"), _bold_by_section(code)
    problems = []
    for anchor, names in english.items():
        left = list(translated.get(anchor, []))
        for name in names:
            said = labels.get(name, set())
            found = next((n for n in left if n in said), None)
            if found is None:
                problems.append(f"{anchor}: {name!r} should be one of {sorted(said)}; the section has {left}")
            else:
                left.remove(found)
        problems += [f"{anchor}: {n!r} names nothing of the English section" for n in left]
    assert not problems, "\n".join(problems)


def _prose(section: guide.Section) -> str:
    text = section.title + "\n" + section.body
    text = text.replace(guide.SHORTCUTS_MARK, " ")
    text = re.sub(r"`[^`]*`", " ", text)
    return re.sub(r"\(#[a-z0-9-]+\)", " ", text)


@pytest.mark.parametrize("code", TRANSLATED)
def test_terms_follow_the_termbase(code: str) -> None:
    """As tests/i18n/test_termbase.py does for the catalogs, section by section: every termbase term of
    the English section is rendered the approved way in the translated one, and no forbidden
    rendering appears (the approved renderings of the section's other terms blanked out first)."""
    english, translated = _section_map("en"), _section_map(code)
    problems = []
    for anchor, section in english.items():
        checked, mentioned = terms_in(_prose(section))
        text = _normal(_prose(translated[anchor]))
        for term in checked:
            if not any(p.search(text) for p in term.approved_patterns(code)):
                problems.append(f"[{term.id}] {code} section {anchor!r}: none of {list(term.approved[code])}")
            masked = text
            for other in mentioned:
                if other.id != term.id:
                    for p in other.approved_patterns(code):
                        masked = p.sub(" ", masked)
            for word, p in term.forbidden_patterns(code):
                if p.search(masked):
                    problems.append(f"[{term.id}] {code} section {anchor!r}: forbidden {word!r} "
                                    f"({p.search(masked).group(0)!r})")
    assert not problems, "\n".join(problems)


def test_the_matcher_sees_the_guide_terms() -> None:
    """Guard: the check above really finds terms in the English guide."""
    found = {t.id for s in guide.sections("en") for t in terms_in(_prose(s))[0]}
    assert {"workspace", "bundle", "management_letter", "capacity_assessment", "implementing_partner",
            "regional_coordinator", "staff", "induction_training", "refresher_training", "focal_point",
            "rule_set", "version", "operation"} <= found


def test_french_and_chinese_typography_and_western_digits() -> None:
    french = guide.source("fr")
    assert not ORDINARY_SPACE.findall(french)
    bare = [m.group(0) for m in re.finditer(r"\S{0,12}[^\s\u00a0\u202f(][;:?!]", re.sub(r"`[^`]*`", "", french))]
    assert not bare, f"no no-break space before: {bare}"
    assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", guide.source("ar")), "Eastern Arabic digits"
    chinese = re.sub(r"[`*]", "", guide.source("zh"))      # UN Chinese: "至少 10 个字符", "PSEA Desk 用户指南"
    assert not [chinese[max(0, m.start() - 6):m.end() + 6] for m in CHINESE_TIGHT.finditer(chinese)]


def test_the_html_has_an_anchor_per_section_and_links() -> None:
    for code in LANGUAGES:
        html = guide.to_html(code, [("Ctrl+1", "X")], "note")
        assert set(re.findall(r'<a name="([a-z0-9-]+)">', html)) == set(guide.anchors("en"))
        assert '<a href="#roster">' in html and "**" not in html and "{{" not in html
        assert ('dir="rtl"' in html) == (code == "ar")


# ---- the window -----------------------------------------------------------------------------------------
@pytest.fixture
def session(workspace: Workspace) -> Iterator[Session]:
    yield Session(workspace)


def _main(qtbot, session: Session):  # noqa: ANN001, ANN202
    from ui.main_window import MainWindow

    main = MainWindow(session, NoShell())
    qtbot.addWidget(main)
    main.show()
    return main


def _key(main, row: int) -> str:  # noqa: ANN001
    page, page_class = main.pages[row], main._classes[row]
    return page.key if page is not None else page_class.key


@pytest.mark.parametrize("code", LANGUAGES)
def test_f1_opens_the_guide_at_the_section_of_the_page(qtbot, session: Session, code: str) -> None:
    with window_language(code):
        main = _main(qtbot, session)
        f1 = [a for a in main.findChildren(type(main.guide_action)) if a.shortcut().toString() == "F1"]
        assert f1 == [main.guide_action]
        assert plain(main.guide_action.text()) == plain(gettext_in(code, "&User guide"))
        keys = [_key(main, row) for row in range(main.nav.count())]
        assert set(keys) <= set(guide.PAGE_SECTIONS), "a page without a section of the guide"
        titles = {s.anchor: s.title for s in guide.sections(code)}
        for row, key in enumerate(keys):
            main.nav.setCurrentRow(row)
            finish(qtbot, session)
            main.guide_action.trigger()
            window = main.guide_window
            anchor = guide.section_for_page(key)
            assert window is not None and window.isVisible() and not window.isModal()
            assert window.windowTitle() == gettext_in(code, "User guide — PSEA Desk")
            assert titles[anchor] in window.browser.toPlainText(), (code, key)
            assert window.section == anchor and window.current_section() == anchor, (code, key)
            assert window.heading_visible(anchor), (code, key)
            assert window.contents.currentItem().text() == titles[anchor]
        # One guide window, whatever the number of F1 presses; it fits a 1024×768 screen.
        assert [w for w in main.findChildren(type(window)) if w.isVisible()] == [window]
        assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 728
        assert window.width() <= 1024 and window.height() <= 768
        window.close()


@pytest.mark.parametrize("code", ("ar", "en"))
def test_the_arabic_guide_reads_right_to_left(qtbot, session: Session, code: str) -> None:
    with window_language(code):
        main = _main(qtbot, session)
        window = main.show_guide()
        rtl = code == "ar"
        wanted = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        assert window.layoutDirection() == wanted and window.browser.layoutDirection() == wanted
        block, directions = window.browser.document().begin(), set()
        while block.isValid():
            if block.text().strip():
                directions.add(block.textDirection())
            block = block.next()
        assert directions == {wanted}
        # The list of sections is on the right in Arabic (the splitter mirrors), on the left otherwise.
        left_of_text = window.contents.mapTo(window, window.contents.rect().topLeft()).x() < \
            window.browser.mapTo(window, window.browser.rect().topLeft()).x()
        assert left_of_text != rtl


def test_links_between_sections_and_the_list_of_sections_work(qtbot, session: Session) -> None:
    main = _main(qtbot, session)
    window = main.show_guide("getting-started")
    browser = window.browser
    # Click the link to the exchange section in the first steps, as a user would.
    document = browser.document()
    block, where = document.begin(), None
    while block.isValid() and where is None:
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor() and fragment.charFormat().anchorHref() == "#exchange":
                where = fragment.position() + 1
                break
            it += 1
        block = block.next()
    assert where is not None
    cursor = QTextCursor(document)
    cursor.setPosition(where)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    point = browser.cursorRect(cursor).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.current_section() == "exchange", timeout=3000)
    assert window.contents.currentItem().data(Qt.ItemDataRole.UserRole) == "exchange"
    # Choosing a section in the list scrolls there.
    row = [window.contents.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.contents.count())].index("letter")
    window.contents.setCurrentRow(row)
    assert window.current_section() == "letter" and window.heading_visible("letter")
    # The last section can be reached too, though it cannot scroll to the top.
    window.show_section("backups")
    assert window.current_section() == "backups" and window.heading_visible("backups")


@pytest.mark.parametrize("code", ("fr", "ar"))
def test_help_keyboard_shortcuts_is_a_section_of_the_guide(qtbot, session: Session, code: str) -> None:
    with window_language(code):
        main = _main(qtbot, session)
        assert main.shortcuts_action.shortcut().isEmpty()
        main.shortcuts_action.trigger()
        window = main.guide_window
        assert window.section == guide.SHORTCUTS and window.heading_visible(guide.SHORTCUTS)
        text = window.browser.toPlainText()
        for msgid in ("Ctrl+F\tFind on this page", "Ctrl+L\tLock the workspace"):
            keys, what = gettext_in(code, msgid).split("\t")
            assert what in text and keys in text
        for row in range(main.nav.count()):
            assert main._title(row) in text
        note = gettext_in(code, "Tab and Shift+Tab move between fields; Ctrl+Tab leaves a table; Enter presses the "
                                "highlighted button; Escape closes a dialog without saving.")
        assert note.replace("\xa0", " ") in text        # toPlainText() gives no-break spaces as spaces


def test_the_guide_follows_a_language_switch_at_its_section(qtbot, session: Session) -> None:
    main = _main(qtbot, session)
    main.show_page("partners")
    finish(qtbot, session)
    window = main.show_guide()
    assert window.current_section() == "partners"
    try:
        qt_i18n.load_fonts()
        i18n.set_language("ru")
        qt_i18n.apply_language("ru")
        main.retranslate()                     # what the shell does on a switch
        assert window.language == "ru" and window.current_section() == "partners"
        assert _section_map("ru")["partners"].title in window.browser.toPlainText()
        assert window.windowTitle() == gettext_in("ru", "User guide — PSEA Desk")
    finally:
        i18n.set_language("en")
        qt_i18n.apply_language("en")


def test_locking_closes_the_guide_with_the_window(qtbot, workspace: Workspace, tmp_path: Path, monkeypatch) -> None:
    import shiboken6

    from desktop.settings import Settings
    from ui.shell import Shell

    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    path = workspace.path
    workspace.close()
    shell = Shell(Settings())
    try:
        window = shell.show_unlock(path)
        window.passphrase.setText(PASSPHRASE)
        assert unlock(qtbot, window)
        guide_window = shell.main_window.show_guide()
        assert guide_window.isVisible()
        shell.lock()
        assert not shiboken6.isValid(guide_window) or not guide_window.isVisible()
        qtbot.waitUntil(lambda: not shiboken6.isValid(guide_window), timeout=3000)
    finally:
        shell.shutdown()


def test_screenshots_of_the_guide(qtbot, session: Session, artifacts: Path) -> None:
    """The guide window at the roster's section in ar, zh and en, kept for a person to look at
    (artifacts/screens-guide/guide-<ll>.png)."""
    folder = artifacts / "screens-guide"
    folder.mkdir(parents=True, exist_ok=True)
    for code in ("ar", "zh", "en"):
        with window_language(code):
            main = _main(qtbot, session)
            main.show_page("roster")
            finish(qtbot, session)
            window = main.show_guide()
            window.resize(920, 700)
            window.show_section("roster")
            assert window.grab().save(str(folder / f"guide-{code}.png"))
            window.close()
            main.close()
