"""Accessible names for every control a screen reader can reach, in the current language.

Buttons and check boxes are named by their text, and fields by the label whose buddy they are (Qt does
both). What is left — a field with only a placeholder, a spin box in a table cell, a table, a tab
widget — is named here from words the window already shows in the current language: the placeholder or
tooltip, the column header and the row's own text for a cell ("Likelihood: Lack of a code of conduct"),
the titles of its group box or tabs. Names are given when a widget is first polished (an
application-wide event filter, `install`) and given again after a language switch (`rename_all`); a
name a window sets itself is never replaced. The same filter keeps Tab from being trapped in tables and
text fields.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ui.access_keys import plain

AUTO = "psea_auto_accessible_name"      # set on widgets named here, so a language switch renames them
_INTERNAL = {"qt_spinbox_lineedit", "qt_scrollarea_viewport", "qt_scrollarea_hcontainer",
             "qt_scrollarea_vcontainer"}


def is_reachable(widget: QWidget) -> bool:
    """A control a keyboard or screen-reader user lands on (the spin box, not its inner line edit)."""
    return (widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.objectName() not in _INTERNAL
            and not isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)))


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces as the control's name, worked out as Qt's accessibility does (its
    accessible name; a button's or check box's text; the text of the label whose buddy it is). Not asked
    of `QAccessible.queryAccessibleInterface`: the interface it returns belongs to Qt's cache, and a
    Python wrapper deleting it later crashed the program."""
    own = widget.accessibleName().strip()
    if own:
        return own
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        return _strip(widget.text())
    if isinstance(widget, QLabel) and widget.text().strip():
        return _strip(widget.text())           # a selectable text is read as what it says
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return _strip(label.text())
    if isinstance(widget, QComboBox) and not widget.isEditable():
        return _strip(widget.currentText())   # a list without a label is announced by its choice ("All offices")
    return ""


def _strip(text: str) -> str:
    return " ".join(plain(text).split())   # without its access key: "&Save", "保存(&S)" (ui/access_keys.py)


def _group_title(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox) and parent.title():
            return _strip(parent.title())
        parent = parent.parentWidget()
    return ""


def _cell_name(widget: QWidget) -> str:
    """A widget inside a table cell: its column's header and the row's own text."""
    child, parent = widget, widget.parentWidget()
    while parent is not None and not (isinstance(parent.parentWidget(), QAbstractItemView)
                                      and parent is parent.parentWidget().viewport()):
        child, parent = parent, parent.parentWidget()
    table = parent.parentWidget() if parent is not None else None
    if not isinstance(table, QTableWidget):
        return ""
    parent = table
    found = next(((r, c) for r in range(parent.rowCount()) for c in range(parent.columnCount())
                  if parent.cellWidget(r, c) is child), None)
    if found is None:
        return ""
    row, column = found
    header = parent.horizontalHeaderItem(column)
    row_text = ""
    for c in range(parent.columnCount()):
        item = parent.item(row, c)
        if c != column and item is not None and item.text().strip():
            row_text = item.text().strip()
            break
    parts = [_strip(header.text()) if header is not None else "", row_text]
    return ": ".join(p for p in parts if p)


def _view_name(view: QAbstractItemView) -> str:
    title = _group_title(view)
    if title:
        return title
    model = view.model()
    if model is None:
        return ""
    columns = model.columnCount(QModelIndex())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(min(3, columns))]
    return ", ".join(_strip(h) for h in headers if h)


def _label_beside(widget: QWidget) -> str:
    """The text of the label just before the control in its layout (a form row, a grid cell to its left,
    the previous item of a row), when it was not made the control's buddy."""
    # Only the control's own layout: climbing to its parent's layout from inside the event filter crashed
    # PySide (a widget shown while its parent's layout is being rebuilt); small composite fields name
    # their parts themselves (ui/roster/dialogs.py `_OptionalDate`).
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    return (_search_layout(layout, widget) if layout is not None else None) or ""


def _search_layout(layout: QLayout, widget: QWidget) -> str | None:
    """The words naming `widget` in `layout` (or a layout inside it), if a label gives them. Only Qt's own
    layouts are searched: walking a layout written in Python (ui/flow.py) from inside an event filter
    crashed PySide; its rows hold buttons, which their text names anyway."""
    if type(layout).__module__ != QLayout.__module__:
        return None
    if isinstance(layout, QFormLayout):
        label = layout.labelForField(widget)
        if isinstance(label, QLabel) and label.text().strip():
            return _strip(label.text())
    index = layout.indexOf(widget)
    if index >= 0:
        if isinstance(layout, QGridLayout):
            row, column, _rows, _columns = layout.getItemPosition(index)
            item = layout.itemAtPosition(row, column - 1) if column > 0 else None
            before = item.widget() if item is not None else None
            if not isinstance(before, QLabel) and row > 0:
                # A table laid out as a grid: the column's heading (row 0) and the row's (column 0).
                top, first = layout.itemAtPosition(0, column), layout.itemAtPosition(row, 0)
                heading = top.widget() if top is not None else None
                row_label = first.widget() if first is not None else None
                if isinstance(heading, QLabel) and isinstance(row_label, QLabel):
                    return f"{_strip(heading.text())}: {_strip(row_label.text())}"
        else:
            item = layout.itemAt(index - 1) if index > 0 else None
            before = item.widget() if item is not None else None
        return _strip(before.text()) if isinstance(before, QLabel) and before.text().strip() else None
    for n in range(layout.count()):
        item = layout.itemAt(n)
        child = item.layout() if item is not None else None
        if child is not None:
            found = _search_layout(child, widget)
            if found is not None:
                return found
    return None


def derived_name(widget: QWidget) -> str:
    """A name from what the window shows around the control (see the module docstring)."""
    beside = _label_beside(widget)
    if beside:
        return beside
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)) and widget.placeholderText():
        return _strip(widget.placeholderText())
    if widget.toolTip():
        return _strip(widget.toolTip())
    cell = _cell_name(widget)
    if cell:
        return cell
    if isinstance(widget, QAbstractItemView):
        return _view_name(widget)
    if isinstance(widget, (QTabWidget, QTabBar)):
        bar = widget.tabBar() if isinstance(widget, QTabWidget) else widget
        return ", ".join(_strip(bar.tabText(n)) for n in range(bar.count()))
    return _group_title(widget)


def name(widget: QWidget) -> None:
    """Give `widget` a derived name if it has none of its own (or only one given here before)."""
    if not is_reachable(widget):
        return
    ours = bool(widget.property(AUTO))
    if not ours and spoken_name(widget):
        return
    derived = derived_name(widget)
    if derived:
        widget.setAccessibleName(derived)
        widget.setProperty(AUTO, True)


def rename_all(root: QWidget) -> None:
    """After a language switch or a refill: every control under `root` named again."""
    for widget in root.findChildren(QWidget):
        name(widget)


class _Namer(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            try:
                if isinstance(watched, QAbstractItemView):
                    # Tab leaves a table for the next field (arrow keys move between cells): no trap.
                    watched.setTabKeyNavigation(False)
                elif isinstance(watched, (QPlainTextEdit, QTextEdit)):
                    # Nor a text field: Tab moves on (a tab character has no place in notes or a letter).
                    watched.setTabChangesFocus(True)
                name(watched)
            except Exception as exc:  # noqa: BLE001 - an error escaping an event filter would abort Qt
                print(f"accessible name not given: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False


_namer: _Namer | None = None


def install(app: QApplication | None = None) -> None:
    """Name controls as they are shown, application-wide (once)."""
    global _namer
    app = app or QApplication.instance()
    if app is None or _namer is not None:
        return
    _namer = _Namer(app)
    app.installEventFilter(_namer)
