"""Small shared pieces of the shell's windows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QWidget,
)

import i18n
from desktop.private_files import write_private
from i18n import _
from ui import colours


def heading(text: str = "", size_delta: int = 6, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + size_delta)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)   # a long title (French, Spanish) wraps rather than widening the page
    return label


def message_label(parent: QWidget | None = None) -> QLabel:
    """A label for errors and notes: wraps, plain text only (user data is never markup)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setStyleSheet(colours.label_style("danger"))
    label.setText(text)
    label.setVisible(bool(text))


def show_note(label: QLabel, text: str) -> None:
    label.setStyleSheet(colours.note_style())
    label.setText(text)
    label.setVisible(bool(text))


def save_file(path: str | Path, data: bytes, label: QLabel) -> bool:
    """Write `data` to a file the user chose and say so in `label` (or why it could not be written)."""
    try:
        write_private(path, data)
    except OSError as exc:
        show_error(label, _("The file could not be written: {reason}").format(reason=exc.strerror or exc))
        return False
    show_note(label, _("Saved: {path}").format(path=path))
    return True


def passphrase_edit(parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    # Passphrases are typed left to right whatever the window's direction.
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return edit


def clear_secret(edit: QLineEdit) -> None:
    """Drop the typed passphrase from the widget (and its undo history)."""
    edit.clear()
    edit.setText("")
    edit.setModified(False)


def qdate(value: str | dt.date | None) -> QDate:
    """A QDate for a date or an ISO date string; today when empty."""
    if not value:
        return QDate.currentDate()
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def qt_date_format(code: str | None = None) -> str:
    """The language's short date pattern (i18n.formatting: UN order, four-digit year) as Qt writes it."""
    from i18n.formatting import date_pattern  # Babel: not on the way to the first window (start-up budget)

    return re.sub(r"y+", "yyyy", date_pattern(code, "short"))


def date_edit(value: str | dt.date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date field showing dates as the rest of the window does (not Qt's "11/29/26"), with a calendar.
    The main window re-applies the format when the language changes (`apply_date_formats`)."""
    edit = QDateEdit(qdate(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(qt_date_format())
    return edit


def apply_date_formats(root: QWidget) -> None:
    """After a language switch: every date field under `root` in the new language's format."""
    pattern = qt_date_format()
    for edit in root.findChildren(QDateEdit):
        edit.setDisplayFormat(pattern)


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before an action that cannot be undone. The button says what it does (`action`, e.g. "Mark
    done"), not "Yes"; Cancel is the default, so Enter or Escape changes nothing."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)   # names in the text are the user's: never markup
    box.button(QMessageBox.StandardButton.Yes).setText(action)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Open at the preferred size, or smaller: never larger than the screen's free area (a taskbar, a
    1024×768 screen, a scale factor of 2), and centred on it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    size = QSize(min(width, int(free.width() * 0.96)), min(height, int(free.height() * 0.92)))
    window.resize(size)
    window.move(free.x() + (free.width() - size.width()) // 2, free.y() + (free.height() - size.height()) // 2)


class LanguageCombo(QComboBox):
    """The six languages in their own names; changing it switches the whole application."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for lang in i18n.LANGUAGES:
            self.addItem(lang.native_name, lang.code)
        self.select(i18n.current_language())

    def select(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0 and index != self.currentIndex():
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)

    def code(self) -> str:
        return str(self.currentData())


def tab_order(widgets: list[QWidget]) -> None:
    """Tab moves through `widgets` in this order (the order they are seen in: top to bottom, then along
    the line), wherever else in the focus chain they were added."""
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)


def scroll_holder(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that is no tab stop of its own: a dialog whose fields need more
    height than a short screen has (a scale factor of 2 leaves 540 points) scrolls them and keeps its
    buttons in sight, instead of growing past the screen's edge."""
    holder = QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    holder.setWidget(widget)
    return holder


def fit_within_screen(window: QWidget) -> None:
    """A window restored to where the user left it, pulled back inside the screen's free area if that
    screen is now smaller (a laptop after a large monitor) or gone."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()   # title bar, borders
    width = min(window.width(), free.width() - extra_w)
    height = min(window.height(), free.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), free.x()), free.x() + free.width() - width - extra_w)
    y = min(max(frame.y(), free.y()), free.y() + free.height() - height - extra_h)
    window.move(x, y)


class WrapCheck(QWidget):
    """A check box whose text wraps (a QCheckBox's cannot: a long French or Russian option would widen
    the page). The text is a label beside the box; clicking it toggles the box; the box is named by it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setBuddy(self.box)
        self.label.mousePressEvent = lambda _event: self.box.toggle()  # the words are part of the control
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box)
        row.addWidget(self.label, 1)
        self.toggled = self.box.toggled

    def setText(self, text: str) -> None:  # noqa: N802 - the QCheckBox API it stands in for
        self.label.setText(text)
        self.box.setAccessibleName(text)

    def text(self) -> str:
        return self.label.text()

    def isChecked(self) -> bool:  # noqa: N802
        return self.box.isChecked()

    def setChecked(self, on: bool) -> None:  # noqa: N802
        self.box.setChecked(on)


class SharedTabBar(QTabBar):
    """Tab titles that share the width there is. When they do not all fit (six tabs in Russian, or at a
    scale factor of 2), only the longest are shortened ("Известные отправит…"), all down to the same width,
    so every tab stays in sight; Qt alone shortens every title alike, the short ones too. Arrows only when
    even that is not enough. `share_tab_width(tabs)` puts one on a tab widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setUsesScrollButtons(True)

    def _natural(self, index: int) -> QSize:
        # Qt shortens a Chinese or Arabic title with an access key as if its "&" were drawn ("导出(&E)" needs 47
        # pixels to stay whole, measures 38): such a title gets the width of an "&" more, or it would lose its end.
        size = super().tabSizeHint(index)
        text, metrics = self.tabText(index), self.fontMetrics()
        mnemonic = Qt.TextFlag.TextShowMnemonic
        if metrics.elidedText(text, Qt.TextElideMode.ElideRight, metrics.size(mnemonic, text).width(), mnemonic) != text:
            size.setWidth(size.width() + metrics.horizontalAdvance("&") + 1)
        return size

    def tabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt override
        size = self._natural(index)
        owner = self.parentWidget()
        # The tab widget's width, not the bar's own: the bar is as wide as these hints make it.
        room = owner.width() - 4 if owner is not None else 0
        widths = [self._natural(n).width() for n in range(self.count())]
        if room <= 0 or sum(widths) <= room:
            return size
        level, left = max(widths), room
        for n, width in enumerate(sorted(widths)):
            share = left // (len(widths) - n)
            if width > share:
                level = share
                break
            left -= width
        # Never below a few letters (not minimumTabSizeHint: it asks this method again).
        size.setWidth(min(size.width(), max(level, self.fontMetrics().averageCharWidth() * 8)))
        return size


class _TabWidthWatcher(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and isinstance(watched, QTabWidget):
            bar = watched.tabBar()
            bar.setElideMode(bar.elideMode())   # lays the tabs out again for the new width
        return False


def share_tab_width(tabs: QTabWidget) -> QTabWidget:
    """Give `tabs` a SharedTabBar (before its tabs are added)."""
    tabs.setTabBar(SharedTabBar())
    watcher = _TabWidthWatcher(tabs)
    tabs.installEventFilter(watcher)
    return tabs
