"""The 5×5 heat map: likelihood across, impact up, each cell in its band's colour with the number of
risks in it. Right-to-left languages mirror it: likelihood grows from right to left, the impact axis
and its title stand on the right."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.risk.scoring import Matrix
from i18n import _
from i18n.formatting import number
from ui import colours


class HeatMap(QWidget):
    """Counts per (likelihood, impact) cell. Clicking a cell emits `cellClicked(likelihood, impact)`;
    clicking the selected cell again emits (0, 0) (no filter)."""

    cellClicked = Signal(int, int)

    def __init__(self, matrix: Matrix, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = matrix
        self.counts: dict[tuple[int, int], int] = {}
        self.selected: tuple[int, int] | None = None
        self.setMinimumSize(260, 250)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName(_("Heat map of risks"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(340, 320)

    def set_counts(self, counts: dict[tuple[int, int], int]) -> None:
        self.counts = dict(counts)
        self.setToolTip("")
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        self.selected = cell
        self.update()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Heat map of risks"))
        self.update()

    # ---- geometry ---------------------------------------------------------------------------------
    def _grid(self) -> tuple[QRectF, float, float]:
        fm = QFontMetrics(self.font())
        axis = fm.height() * 2 + 12  # axis title + tick labels
        rtl = self.isRightToLeft()
        width, height = self.width() - axis - 8, self.height() - axis - 8
        side = max(10.0, min(width / self._cols(), height / self._rows()))
        gw, gh = side * self._cols(), side * self._rows()
        x = 8.0 if rtl else float(axis)
        if rtl:
            x = self.width() - axis - gw
        return QRectF(x, 8.0, gw, gh), side, axis

    def _cols(self) -> int:
        return self.matrix.l_max - self.matrix.l_min + 1

    def _rows(self) -> int:
        return self.matrix.i_max - self.matrix.i_min + 1

    def cell_rect(self, likelihood: int, impact: int) -> QRectF:
        grid, side, _axis = self._grid()
        col = likelihood - self.matrix.l_min
        if self.isRightToLeft():
            col = self._cols() - 1 - col
        row = self.matrix.i_max - impact
        return QRectF(grid.left() + col * side, grid.top() + row * side, side, side)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        for lk in range(self.matrix.l_min, self.matrix.l_max + 1):
            for im in range(self.matrix.i_min, self.matrix.i_max + 1):
                if self.cell_rect(lk, im).contains(pos):
                    return lk, im
        return None

    # ---- events ---------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position())
        if cell is None:
            return
        if cell == self.selected:
            self.selected = None
            self.cellClicked.emit(0, 0)
        else:
            self.selected = cell
            self.cellClicked.emit(*cell)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position())
        if cell is None:
            self.setToolTip("")
            return
        lk, im = cell
        band = self.matrix.band(lk, im)
        self.setToolTip(_("Likelihood {likelihood} × impact {impact} = {score} ({band}): {count} risks").format(
            likelihood=number(lk), impact=number(im), score=number(lk * im), band=band.label(),
            count=number(self.counts.get(cell, 0))))

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        grid, side, axis = self._grid()
        base = QFont(self.font())
        big = QFont(base)
        big.setPointSizeF(max(8.0, side / 4.2))
        big.setBold(True)
        for lk in range(self.matrix.l_min, self.matrix.l_max + 1):
            for im in range(self.matrix.i_min, self.matrix.i_max + 1):
                rect = self.cell_rect(lk, im)
                band = self.matrix.band(lk, im)
                count = self.counts.get((lk, im), 0)
                colour = QColor(band.colour)
                if not count:
                    colour = colour.lighter(135)
                p.fillRect(rect, colour)
                p.setPen(QPen(colours.base(), 2))
                p.drawRect(rect)
                if self.selected == (lk, im):
                    p.setPen(QPen(colours.text(), 3))
                    p.drawRect(rect.adjusted(2, 2, -2, -2))
                if count:
                    p.setFont(big)
                    p.setPen(QColor(band.ink))
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, number(count))
        p.setFont(base)
        p.setPen(self.palette().windowText().color())
        fm = QFontMetrics(base)
        rtl = self.isRightToLeft()
        # tick labels: likelihood under the grid, impact beside it
        for lk in range(self.matrix.l_min, self.matrix.l_max + 1):
            r = self.cell_rect(lk, self.matrix.i_min)
            p.drawText(QRectF(r.left(), grid.bottom() + 2, r.width(), fm.height()), Qt.AlignmentFlag.AlignCenter,
                       number(lk))
        for im in range(self.matrix.i_min, self.matrix.i_max + 1):
            r = self.cell_rect(self.matrix.l_min, im)
            tick_w = fm.height() + 4
            x = grid.right() + 2 if rtl else grid.left() - tick_w - 2
            p.drawText(QRectF(x, r.top(), tick_w, r.height()), Qt.AlignmentFlag.AlignCenter, number(im))
        # axis titles
        bold = QFont(base)
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(grid.left(), grid.bottom() + fm.height() + 4, grid.width(), fm.height() + 4),
                   Qt.AlignmentFlag.AlignCenter, self._axis_title(_("Likelihood"), rtl))
        p.save()
        if rtl:
            p.translate(grid.right() + fm.height() + 10, grid.top())
            p.rotate(90)
        else:
            p.translate(grid.left() - fm.height() - 10, grid.bottom())
            p.rotate(-90)
        p.drawText(QRectF(0, -fm.height() - 2, grid.height(), fm.height() + 4), Qt.AlignmentFlag.AlignCenter,
                   self._axis_title(_("Impact"), rtl))
        p.restore()
        p.end()

    @staticmethod
    def _axis_title(title: str, rtl: bool) -> str:
        return f"{title} ←" if rtl else f"{title} →"
