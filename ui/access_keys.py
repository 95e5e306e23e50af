"""Access keys (mnemonics): Alt+letter on every button, check box, option, tab, checkable group and field
label, in the current language, unique within each window.

The catalogs' texts carry no "&" (adding one to thousands of translated msgids would invalidate them), so
the keys are given at run time from the *translated* text, as KDE's KAcceleratorManager does: each control
takes a letter of its own text that no other control of its window has taken, the first letter of a word
before the others. Which controls, in which order:

- Keys are unique among the controls that can be seen together: the pages of a stacked widget (the main
  window's pages, a tab widget's tabs, a form's steps) are separate scopes that share the keys of the
  window around them and may reuse each other's.
- First a key the text already has (the menus' "&File", a Qt standard button's "&OK"), then the buttons
  of a dialog's button box (its accepting button first: "Save", then "Cancel"), the tab titles, the other
  buttons, check boxes, options and checkable groups, and last the labels of fields (`QLabel.setBuddy`:
  the key moves the focus to the field, or presses a button). A button named by a label that has a key
  takes none of its own (the label's key presses it).
- A group whose controls repeat for every item of a list (a standard of a capacity assessment: its
  rating options and evidence ticks) is marked with `keyed_group`: its title takes the key (a digit when
  the title has one: "Standard &3") and moves the focus into it; its controls take none, since one key
  each would outnumber the alphabet.
- English, French, Spanish: a Latin letter of the text (accented letters are typed with dead keys on many
  keyboards, so they are not used). Russian: a Cyrillic letter of the text (Russian keyboards type them;
  Qt matches a mnemonic on the key's text), else a Latin one. Chinese and Arabic: a Latin letter appended
  as CJK software does, "保存(&S)", "حفظ (&S)", the letter of the English original where it is free; an
  Arabic text's own key on an Arabic letter is moved there too (see docs/shell.md, "Access keys").
- A control keeps its key while its text stays as it is; a text the window changes (a language switch,
  "Check the file" becoming "Import") takes a key again. A literal "&" in a text must be written "&&"
  (user data shown on a button: `escaped`).

Keys are given when a window is shown, when one of its controls is shown or changes size (a text
changed), when its menus' actions change and after a language switch, by an application-wide event
filter (`install`) that only notes the window: the keys are given from the event loop right after, never
inside the filter (walking widgets from inside an event filter crashed PySide in the full UI suite).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

import i18n

SOURCE = "psea_access_source"   # the text as the window set it (the translation, without a key of ours)
SHOWN = "psea_access_shown"     # the text with the key given here: a text that differs was set again
KEYED_GROUP = "psea_access_keyed_group"

LATIN_LANGUAGES = ("en", "fr", "es")
APPENDED_LANGUAGES = ("zh", "ar")   # the key is appended: "保存(&S)"
_TRAILING = " \t:：…．.。?？!！؟،"
_FALLBACK = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_STANDARD_NAMES = {"Ok": "OK", "SaveAll": "Save All", "YesToAll": "Yes to All", "NoToAll": "No to All",
                   "RestoreDefaults": "Restore Defaults"}
# Qt's own parts: their buttons and labels are not the window's controls (a calendar's month button, a
# tab bar's scroll arrows, widgets inside a table's cells, which arrow keys reach).
_OPAQUE = (QAbstractSpinBox, QComboBox, QCalendarWidget, QTabBar, QAbstractItemView)


# ---- texts ------------------------------------------------------------------------------------------
def escaped(text: str) -> str:
    """User data (a partner's or a file's name) shown in a button, check box or menu: its "&" kept as a
    character, never taken for an access key."""
    return text.replace("&", "&&")


def _parse(text: str) -> tuple[str, int]:
    """The text as shown (without the "&" of an access key, "&&" as "&") and the index of the key's
    character in it, or -1. A "&" before a space or a sign is shown as it is: no key is typed that way."""
    out: list[str] = []
    mark = -1
    i = 0
    while i < len(text):
        c = text[i]
        if c == "&" and i + 1 < len(text):
            following = text[i + 1]
            if following == "&":
                out.append("&")
                i += 2
                continue
            if following.isalnum():
                if mark < 0:
                    mark = len(out)
                i += 1
                continue
        out.append(c)
        i += 1
    return "".join(out), mark


_RLM = "\u200f"   # keeps an appended "(X)" whole after a Latin word in a right-to-left line ("… PDF (V)")


def _appended_span(shown: str, mark: int) -> tuple[int, int] | None:
    """Where an appended key "(X)" starts and ends (with the space and the marks around it), or None if the
    key is in the text."""
    if not (mark >= 1 and shown[mark - 1] == "(" and shown[mark + 1:mark + 2] == ")"):
        return None
    start, end = mark - 1, mark + 2
    if shown[start - 1:start] == _RLM:
        start -= 1
    if shown[start - 1:start] == " ":
        start -= 1
    if shown[end:end + 1] == _RLM:
        end += 1
    return start, end


def plain(text: str) -> str:
    """The text without its access key: "&Save" and "保存(&S)" give "Save" and "保存"."""
    shown, mark = _parse(text)
    span = _appended_span(shown, mark)
    return shown[:span[0]] + shown[span[1]:] if span else shown


def key_of(text: str) -> str:
    """The access key of a text ("S" for "&Save" and "保存(&S)"), upper case; "" if it has none."""
    shown, mark = _parse(text)
    return shown[mark].upper() if mark >= 0 else ""


def _cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff" and c.isalpha()


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def typeable(key: str, language: str | None = None) -> bool:
    """Whether the users of `language` type this key: a Latin letter or a digit anywhere, a Cyrillic
    letter in Russian."""
    language = language or i18n.current_language()
    return bool(key) and (_latin(key) or (language == "ru" and _cyrillic(key)))


def _compose(shown: str, index: int, key: str, language: str) -> str:
    """`shown` with the key on its character `index`, or appended as "(X)" (index -1) before the closing
    colon or ellipsis."""
    if index >= 0:
        return escaped(shown[:index]) + "&" + escaped(shown[index:])
    end = len(shown.rstrip(_TRAILING))
    head, tail = shown[:end], shown[end:]
    space = "" if language == "zh" or not head else " "
    if i18n.is_rtl(language):
        # Between right-to-left marks the brackets take the line's direction, even after a Latin word.
        return f"{escaped(head)}{space}{_RLM}(&{key}){_RLM}{escaped(tail)}"
    return f"{escaped(head)}{space}(&{key}){escaped(tail)}"


def _initials_first(text: str, accept: Callable[[str], bool]) -> Iterator[int]:
    """Indexes of the accepted characters: the first letters of words, then the others."""
    starts = [i for i, c in enumerate(text) if accept(c) and (i == 0 or not text[i - 1].isalnum())]
    yield from starts
    yield from (i for i, c in enumerate(text) if accept(c) and i not in starts)


def _candidates(shown: str, mark: int, appended: str, language: str, hint: str,
                grouped: bool) -> Iterator[tuple[int, str]]:
    """(index in `shown` or -1 for an appended key, key) in the order of preference."""
    for index, key in _preferred(shown, mark, appended, language, hint, grouped):
        # Not the "A" of a text's own "(A)": it would read as an appended key, and `plain` would drop it.
        if index < 0 or not (shown[index - 1:index] == "(" and shown[index + 1:index + 2] == ")"):
            yield index, key


def _preferred(shown: str, mark: int, appended: str, language: str, hint: str,
               grouped: bool) -> Iterator[tuple[int, str]]:
    if appended and _latin(appended):
        yield -1, appended.upper()
    if mark >= 0 and (_latin(shown[mark]) or (language == "ru" and _cyrillic(shown[mark]))):
        yield mark, shown[mark].upper()
    if grouped:
        yield from ((i, shown[i]) for i, c in enumerate(shown) if c.isascii() and c.isdigit())
    if language in LATIN_LANGUAGES or language == "ru":
        if language == "ru":
            yield from ((i, shown[i].upper()) for i in _initials_first(shown, _cyrillic))
        yield from ((i, shown[i].upper()) for i in _initials_first(shown, lambda c: c.isascii() and c.isalpha()))
        yield from ((i, shown[i]) for i, c in enumerate(shown) if c.isascii() and c.isdigit())
    english, english_mark = _parse(hint)
    if english_mark >= 0 and _latin(english[english_mark]):
        yield -1, english[english_mark].upper()
    yield from ((-1, english[i].upper()) for i in _initials_first(english, _latin))
    yield from ((-1, shown[i].upper()) for i in _initials_first(shown, _latin))   # "English(&E)" in Chinese
    yield from ((-1, k) for k in _FALLBACK)


# ---- the controls that take keys --------------------------------------------------------------------
class _Item:
    """A control that takes a key; where its text and the marks of this module are kept."""

    __slots__ = ("obj", "scope", "tier", "order", "hint", "grouped", "source")

    def __init__(self, obj: QObject, scope: tuple, tier: int, order: int, hint: str = "",
                 grouped: bool = False) -> None:
        self.obj, self.scope, self.tier, self.order, self.hint, self.grouped = obj, scope, tier, order, hint, grouped
        self.source = ""

    def text(self) -> str:
        return self.obj.text()

    def set_text(self, text: str) -> None:
        self.obj.setText(text)

    def mark(self, name: str) -> str | None:
        value = self.obj.property(name)
        return value if isinstance(value, str) else None

    def set_mark(self, name: str, value: str) -> None:
        self.obj.setProperty(name, value)


class _Group(_Item):
    __slots__ = ()

    def text(self) -> str:
        return self.obj.title()

    def set_text(self, text: str) -> None:
        self.obj.setTitle(text)


class _Tab(_Item):
    __slots__ = ("index",)

    def __init__(self, tabs: QTabWidget, index: int, scope: tuple, order: int) -> None:
        super().__init__(tabs, scope, 2, order)
        self.index = index

    def text(self) -> str:
        return self.obj.tabText(self.index)

    def set_text(self, text: str) -> None:
        self.obj.setTabText(self.index, text)

    def mark(self, name: str) -> str | None:
        return super().mark(f"{name}_{self.index}")

    def set_mark(self, name: str, value: str) -> None:
        super().set_mark(f"{name}_{self.index}", value)


def keyed_group(box: QGroupBox) -> QGroupBox:
    """Mark `box` as one item of a list: its title takes the access key (which moves the focus into it),
    the controls inside take none."""
    box.setProperty(KEYED_GROUP, True)
    return box


def _standard_name(button: QAbstractButton) -> str:
    box = button.parentWidget()
    if isinstance(box, QDialogButtonBox):
        standard = box.standardButton(button)
        if standard != QDialogButtonBox.StandardButton.NoButton:
            return _STANDARD_NAMES.get(standard.name, standard.name)
    return ""


def _button_tier(button: QAbstractButton) -> int:
    box = button.parentWidget()
    if isinstance(box, QDialogButtonBox):
        role = box.buttonRole(button)
        accepting = role in (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
                             QDialogButtonBox.ButtonRole.ApplyRole)
        return 10 if accepting else 11
    return 30 if isinstance(button, (QPushButton, QToolButton)) else 40


def _takes_key(label: QLabel) -> bool:
    """A label whose key reaches something: a field that takes the focus from the keyboard, or a button."""
    buddy = label.buddy()
    if buddy is None or not label.text().strip():
        return False
    if label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())):
        return False
    return isinstance(buddy, QAbstractButton) or bool(buddy.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def _visible_text(button: QAbstractButton) -> bool:
    if not button.text().strip() or button.objectName().startswith("qt_"):
        return False
    return not (isinstance(button, QToolButton)
                and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and not button.icon().isNull())


def _collect(window: QWidget) -> tuple[list[_Item], list[QMenu]]:
    """The controls of `window` that take keys, each with its scope (the stacked pages it sits in)."""
    items: list[_Item] = []
    menus: list[QMenu] = []
    labelled: set[int] = set()
    order = iter(range(1_000_000))

    def visit(parent: QWidget, scope: tuple, grouped: bool) -> None:
        for child in parent.children():
            if not isinstance(child, QWidget):
                continue
            if child.isWindow():
                if isinstance(child, QMenu):
                    menus.append(child)
                continue
            if isinstance(child, _OPAQUE):
                continue
            inner = grouped
            if isinstance(child, QMenuBar):
                items.extend(_Item(a, scope, 0, next(order)) for a in child.actions()
                             if not a.isSeparator() and a.text().strip())
                menus.extend(a.menu() for a in child.actions() if a.menu() is not None)
                continue   # its own parts (the overflow button and menu) are Qt's
            if not grouped:
                if isinstance(child, QAbstractButton):
                    if _visible_text(child):
                        standard = _standard_name(child)
                        items.append(_Item(child, scope, _button_tier(child), next(order), standard))
                elif isinstance(child, QGroupBox):
                    keyed = bool(child.property(KEYED_GROUP))
                    if (child.isCheckable() or keyed) and child.title().strip():
                        items.append(_Group(child, scope, 40, next(order), grouped=keyed))
                    inner = keyed
                elif isinstance(child, QLabel):
                    if _takes_key(child):
                        items.append(_Item(child, scope, 50, next(order)))
                        labelled.add(id(child.buddy()))
                elif isinstance(child, QTabWidget):
                    items.extend(_Tab(child, n, scope, next(order)) for n in range(child.count())
                                 if child.tabText(n).strip())
            if isinstance(child, QStackedWidget):
                for page in child.children():
                    if isinstance(page, QWidget) and not page.isWindow():
                        visit(page, (*scope, page), inner)
                continue
            visit(child, scope, inner)

    visit(window, (), False)
    items = [i for i in items if not (isinstance(i.obj, QAbstractButton) and id(i.obj) in labelled)]
    return items, menus


def _menu_items(menu: QMenu) -> list[_Item]:
    return [_Item(a, (), 0, n) for n, a in enumerate(menu.actions()) if not a.isSeparator() and a.text().strip()]


# ---- giving keys ------------------------------------------------------------------------------------
def _related(a: tuple, b: tuple) -> bool:
    """Whether controls of these scopes can be seen together (one scope holds the other)."""
    return all(x is y for x, y in zip(a, b, strict=False))


def _assign(items: list[_Item], language: str) -> None:
    taken: dict[str, list[tuple]] = {}

    def free(key: str, scope: tuple) -> bool:
        return not any(_related(scope, other) for other in taken.get(key, ()))

    def take(key: str, scope: tuple) -> None:
        taken.setdefault(key, []).append(scope)

    items.sort(key=lambda i: (len(i.scope), i.tier, i.order))
    fresh: list[_Item] = []
    for item in items:
        text = item.text()
        shown, source = item.mark(SHOWN), item.mark(SOURCE)
        if shown is not None and source is not None and text == shown:
            key = key_of(text)
            if key and typeable(key, language) and free(key, item.scope):
                take(key, item.scope)
                continue
            item.source = source
        else:
            item.source = text
        fresh.append(item)
    # A key the text already has ("&File") first, then a dialog's buttons (Save, Cancel), then the others:
    # the control with the fewest letters of its own left chooses first, so that short texts keep one.
    ranks = {id(i): (len(i.scope), 0 if key_of(i.source) else 1 if i.tier < 20 else 2) for i in fresh}
    fresh.sort(key=lambda i: (ranks[id(i)], i.tier, i.order))
    choices: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for item in fresh:
        shown, mark = _parse(item.source)
        appended = ""
        span = _appended_span(shown, mark)
        if span:
            appended, shown, mark = shown[mark], shown[:span[0]] + shown[span[1]:], -1
        hint = i18n.source_text(item.source, language) or item.hint
        seen: set[str] = set()
        ordered = [(i, k) for i, k in _candidates(shown, mark, appended, language, hint, item.grouped)
                   if not (k in seen or seen.add(k))]
        choices[id(item)] = (shown, ordered)

    def give(item: _Item) -> str:
        shown, ordered = choices[id(item)]
        text = item.source
        for index, key in ordered:
            if free(key, item.scope):
                take(key, item.scope)
                text = _compose(shown, index, key, language)
                break
        item.set_mark(SOURCE, item.source)
        item.set_mark(SHOWN, text)
        if text != item.text():
            item.set_text(text)
        return key_of(text)

    while fresh:
        rank = ranks[id(fresh[0])]
        group = [i for i in fresh if ranks[id(i)] == rank]
        fresh = fresh[len(group):]
        if rank[1] < 2:
            for item in group:
                give(item)
            continue
        # The letters of its own text each control could still take, kept up to date as keys are given.
        left = {id(i): {k for index, k in choices[id(i)][1] if index >= 0 and free(k, i.scope)} for i in group}
        while group:
            item = min(group, key=lambda i: (len(left[id(i)]), i.tier, i.order))
            group.remove(item)
            key = give(item)
            for other in group:
                if _related(item.scope, other.scope):
                    left[id(other)].discard(key)


def apply(target: QWidget) -> None:
    """Give keys to the controls of a window (and its menus), or of one menu."""
    if isinstance(target, QFileDialog):
        return   # Qt's own dialog keeps Qt's keys
    language = i18n.current_language()
    if isinstance(target, QMenu):
        _assign(_menu_items(target), language)
        return
    items, menus = _collect(target)
    _assign(items, language)
    while menus:
        menu = menus.pop()
        _assign(_menu_items(menu), language)
        menus.extend(a.menu() for a in menu.actions() if a.menu() is not None)


# ---- when ---------------------------------------------------------------------------------------------
_WATCHED = frozenset({QEvent.Type.Show, QEvent.Type.LayoutRequest, QEvent.Type.LanguageChange,
                      QEvent.Type.ActionAdded, QEvent.Type.ActionChanged})


class _Keeper(QObject):
    """Notes the windows whose controls may have changed (from an application-wide event filter) and
    gives their keys from the event loop right after."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._pending: dict[int, QWidget] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _WATCHED and isinstance(watched, QWidget):
            kind = event.type()
            if kind in (QEvent.Type.ActionAdded, QEvent.Type.ActionChanged) and not isinstance(
                    watched, (QMenu, QMenuBar)):
                return False
            self.note(watched if isinstance(watched, QMenu) else watched.window())
        return False

    def note(self, window: QWidget) -> None:
        import shiboken6

        self._pending[shiboken6.getCppPointer(window)[0]] = window
        if not self._timer.isActive():
            self._timer.start()

    def run(self) -> None:
        import shiboken6

        pending, self._pending = list(self._pending.values()), {}
        for window in pending:
            if not shiboken6.isValid(window):
                continue
            try:
                apply(window)
            except Exception as exc:  # noqa: BLE001 - called from the event loop: report, never abort
                print(f"access keys not given: {type(exc).__name__}: {exc}", file=sys.stderr)


_keeper: _Keeper | None = None


def install(app: QApplication | None = None) -> None:
    """Give keys to every window as it is shown and changes, application-wide (once)."""
    global _keeper
    app = app or QApplication.instance()
    if app is None or _keeper is not None:
        return
    _keeper = _Keeper(app)
    app.installEventFilter(_keeper)
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            _keeper.note(window)


def uninstall() -> None:
    """Stop giving keys as windows change (a test module leaves the application as it found it)."""
    global _keeper
    app = QApplication.instance()
    if _keeper is not None and app is not None:
        app.removeEventFilter(_keeper)
        _keeper.deleteLater()
    _keeper = None


def pending() -> bool:
    """Whether some window waits for its keys (tests wait until it does not)."""
    return _keeper is not None and bool(_keeper._pending)

