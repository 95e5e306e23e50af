"""Completion by personnel category as horizontal bars (QPainter). Mirrors itself right to left
when the widget's layout direction is RTL (Arabic)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from i18n.formatting import percent
from ui import colours


class CompletionChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float | None, str]] = []  # (label, rate, detail)
        self.title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, title: str, bars: list[tuple[str, float | None, str]]) -> None:
        self.title = title
        self.bars = bars
        # The height comes from minimumSizeHint, computed with the font as it is when laid out (not a
        # fixed minimum taken before: at a scale factor of 2 that left the last rows under the next label).
        self.updateGeometry()
        self.update()

    def changeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LayoutDirectionChange):
            self.updateGeometry()
        super().changeEvent(event)

    def _row_height(self) -> int:
        return max(26, self.fontMetrics().height() + 10)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, self._row_height() * (max(len(self.bars), 1) + 1) + 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Its full height, but narrower than it would like (labels elide): a scale factor of 2 leaves
        the roster page little width."""
        return QSize(220, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        w = self.width()
        fm = p.fontMetrics()
        row_h = self._row_height()
        p.setPen(QPen(colours.text()))
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        # Absolute: the painter follows the widget's direction and would swap Left and Right again in Arabic
        # (the title and the labels then sat on the left, the labels against their bars).
        absolute = Qt.AlignmentFlag.AlignAbsolute
        align = (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft) | absolute
        p.drawText(QRectF(6, 2, w - 12, row_h), int(align | Qt.AlignmentFlag.AlignVCenter), self.title)
        bold.setBold(False)
        p.setFont(bold)
        label_w = min(max((fm.horizontalAdvance(b[0]) for b in self.bars), default=80) + 12, w * 0.45)
        # As wide as the widest value drawn (a locale's percent sign and spaces vary), never cut.
        values = ["—" if rate is None else percent(rate) for _label, rate, _detail in self.bars] + [percent(1.0)]
        value_w = max(fm.horizontalAdvance(v) for v in values) + 16
        track_w = max(w - label_w - value_w - 12, 20)
        for n, (label, rate, _detail) in enumerate(self.bars):
            y = row_h * (n + 1) + 4
            bar_h = row_h - 10
            share = 0.0 if rate is None else max(0.0, min(1.0, rate))
            if rtl:
                label_rect = QRectF(w - label_w - 6, y, label_w, row_h)
                track = QRectF(w - label_w - 6 - track_w, y + 5, track_w, bar_h)
                fill = QRectF(track.right() - track_w * share, track.top(), track_w * share, bar_h)
                value_rect = QRectF(6, y, value_w, row_h)
                label_align = Qt.AlignmentFlag.AlignRight | absolute
                value_align = Qt.AlignmentFlag.AlignLeft | absolute
            else:
                label_rect = QRectF(6, y, label_w, row_h)
                track = QRectF(6 + label_w, y + 5, track_w, bar_h)
                fill = QRectF(track.left(), track.top(), track_w * share, bar_h)
                value_rect = QRectF(w - value_w - 6, y, value_w, row_h)
                label_align = Qt.AlignmentFlag.AlignLeft | absolute
                value_align = Qt.AlignmentFlag.AlignRight | absolute
            p.setPen(QPen(colours.text()))
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.drawText(label_rect, int(label_align | Qt.AlignmentFlag.AlignVCenter), elided)
            p.fillRect(track, colours.alternate())
            p.fillRect(fill, colours.accent())
            p.drawText(value_rect, int(value_align | Qt.AlignmentFlag.AlignVCenter),
                       "—" if rate is None else percent(rate))
        p.end()
