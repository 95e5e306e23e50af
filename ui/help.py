"""The user guide inside the window (F1): the guide of desktop/guide in the interface's language, opened
at the section of the page showing.

A non-modal window beside the main window: the list of the guide's sections on one side, the guide in a
QTextBrowser on the other (links between sections work; nothing opens an external browser). It follows
a language switch and keeps its section; Arabic reads right to left. The keyboard shortcuts the main
window defines are put into the guide's "shortcuts" section, so that section always names the real
pages and keys.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop import guide
from i18n import _
from ui.widgets import fit_to_screen

ShortcutRows = Callable[[], tuple[list[tuple[str, str]], str]]   # -> ([(keys, what)], a note)


class GuideWindow(QDialog):
    """Not modal: the user reads the guide and works in the main window at the same time."""

    def __init__(self, shortcuts: ShortcutRows | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMinMaxButtonsHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._shortcuts = shortcuts
        self.language = ""
        self.section = ""                      # the section asked for last
        self._heading_blocks: dict[str, int] = {}   # anchor -> block number of its heading
        self.contents = QListWidget()
        self.contents.setObjectName("guide-contents")
        self.contents.setMinimumWidth(150)
        self.contents.setMaximumWidth(300)
        self.contents.setWordWrap(True)                 # a long title wraps instead of scrolling sideways
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setSpacing(2)
        self.contents.currentItemChanged.connect(self._contents_chosen)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide-text")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.contents)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)   # Qt's own word, translated by qtbase
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 920, 700)
        self.retranslate()

    # ---- what shows -------------------------------------------------------------------------------------
    def load(self, code: str) -> None:
        """The guide in `code`, at the top."""
        self.language = code
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if i18n.is_rtl(code)
                                else Qt.LayoutDirection.LeftToRight)
        rows, note = self._shortcuts() if self._shortcuts is not None else ([], "")
        document = self.browser.document()
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if i18n.is_rtl(code) else Qt.LayoutDirection.LeftToRight)
        document.setDefaultTextOption(option)
        self.browser.setHtml(guide.to_html(code, rows, note))
        self._heading_blocks = {}
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                for name in it.fragment().charFormat().anchorNames():
                    self._heading_blocks.setdefault(name, block.blockNumber())
                it += 1
            block = block.next()
        self.contents.blockSignals(True)
        self.contents.clear()
        for section in guide.sections(code):
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.anchor)
            self.contents.addItem(item)
        self.contents.setAccessibleName(guide.title(code))
        self.contents.blockSignals(False)
        widest = max((self.contents.fontMetrics().horizontalAdvance(s.title) for s in guide.sections(code)), default=0)
        width = max(self.contents.minimumWidth(), min(self.contents.maximumWidth(), widest + 32))
        self.splitter.setSizes([width, max(self.width() - width, 300)])

    def show_section(self, anchor: str) -> None:
        """Scroll to the section `anchor` ("" for the top) and show it in the list of sections."""
        if self.language != i18n.current_language():
            self.load(i18n.current_language())
        self.section = anchor if anchor in self._heading_blocks else ""
        if self.section:
            self.browser.scrollToAnchor(self.section)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self._mark(self.section)

    def current_section(self) -> str:
        """The section being read: the last heading at or above the top of the view; at the end of the
        guide, where a short section cannot reach the top, the one asked for if its heading shows."""
        bar = self.browser.verticalScrollBar()
        if self.section and bar.value() >= bar.maximum() and self.heading_visible(self.section):
            return self.section
        top = self.browser.cursorForPosition(QPoint(4, 4)).block().blockNumber()
        current = ""
        for anchor, number in sorted(self._heading_blocks.items(), key=lambda item: item[1]):
            if number <= top:
                current = anchor
        return current

    def heading_visible(self, anchor: str) -> bool:
        number = self._heading_blocks.get(anchor)
        if number is None:
            return False
        block = self.browser.document().findBlockByNumber(number)
        rect = self.browser.document().documentLayout().blockBoundingRect(block)
        top = rect.top() - self.browser.verticalScrollBar().value()
        return 0 <= top <= self.browser.viewport().height() - rect.height()

    def _mark(self, anchor: str) -> None:
        self.contents.blockSignals(True)
        for row in range(self.contents.count()):
            if self.contents.item(row).data(Qt.ItemDataRole.UserRole) == anchor:
                self.contents.setCurrentRow(row)
                break
        self.contents.blockSignals(False)

    def _contents_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.show_section(str(item.data(Qt.ItemDataRole.UserRole)))

    def _scrolled(self, _value: int) -> None:
        self._mark(self.current_section())

    # ---- language -----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """In the interface's language, at the same section."""
        self.setWindowTitle(_("User guide — PSEA Desk"))
        self.browser.setAccessibleName(_("User guide"))
        if self.language != i18n.current_language():
            section = self.current_section() if self.language else self.section
            self.load(i18n.current_language())
            self.show_section(section)
