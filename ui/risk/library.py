"""The factor library editor (for a coordinator): the text of each factor in every language, its
category, and whether it is still offered in new assessments. Past assessments keep their own copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import i18n
from desktop.risk import factors, model, usecases
from i18n import _
from ui.widgets import fit_to_screen, message_label, show_error


class LibraryDialog(QDialog):
    """One row per factor; the text column is in the language chosen above the table."""

    def __init__(self, ws, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("risk-library")
        fit_to_screen(self, 980, 640)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.language = QComboBox()
        for lang in i18n.LANGUAGES:
            self.language.addItem(lang.native_name, lang.code)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.currentIndexChanged.connect(lambda _i: self._fill())
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.error = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.language, alignment=Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._pending: dict[str, dict[str, str]] = {}   # code -> {language: text}
        self._retired: dict[str, bool] = {}
        self.retranslate()
        self._fill()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Risk factor library"))
        self.note.setText(_("Edit the wording of the factors in each language, or retire a factor. Changes apply "
                            "to new assessments; past assessments keep the text they were made with."))
        self.table.setHorizontalHeaderLabels([_("Code"), _("Category"), _("Risk factor"), _("Retired")])

    def code(self) -> str:
        return self.language.currentData()

    def _fill(self) -> None:
        self._collect()
        lib = factors.library(self.ws, include_retired=True)
        self.table.setRowCount(0)
        self.table.setRowCount(len(lib))
        lang = self.code()
        for n, f in enumerate(lib):
            code_item = QTableWidgetItem(f.code)
            code_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            code_item.setData(Qt.ItemDataRole.UserRole, (f.code, f.category))
            self.table.setItem(n, 0, code_item)
            cat = QTableWidgetItem(factors.category_label(f.category))
            cat.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(n, 1, cat)
            text = self._pending.get(f.code, {}).get(lang, f.texts.get(lang, ""))
            self.table.setItem(n, 2, QTableWidgetItem(text))
            retired = QTableWidgetItem()
            retired.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            retired.setCheckState(Qt.CheckState.Checked if self._retired.get(f.code, f.retired)
                                  else Qt.CheckState.Unchecked)
            self.table.setItem(n, 3, retired)
        self._shown_language = lang
        self._original = {f.code: (dict(f.texts), f.retired) for f in lib}
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)

    def _collect(self) -> None:
        """Remember what was typed in the language shown before switching (or saving)."""
        if not hasattr(self, "_original"):
            return
        for n in range(self.table.rowCount()):
            code, _cat = self.table.item(n, 0).data(Qt.ItemDataRole.UserRole)
            texts, retired = self._original[code]
            text = self.table.item(n, 2).text().strip()
            if text != texts.get(self._shown_language, ""):
                self._pending.setdefault(code, {})[self._shown_language] = text
            checked = self.table.item(n, 3).checkState() == Qt.CheckState.Checked
            if checked != retired:
                self._retired[code] = checked

    def set_text(self, factor_code: str, language: str, text: str) -> None:
        """What typing in a cell does (tests use it: no keyClicks with non-ASCII text)."""
        self.language.setCurrentIndex(self.language.findData(language))
        for n in range(self.table.rowCount()):
            if self.table.item(n, 0).text() == factor_code:
                self.table.item(n, 2).setText(text)
                return
        raise KeyError(factor_code)

    def save(self) -> bool:
        self._collect()
        try:
            usecases.save_library(self.ws, self._pending, self._retired)
        except model.RiskError as exc:
            show_error(self.error, str(exc))
            return False
        self.accept()
        return True
