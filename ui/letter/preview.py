"""The letter as it will print, inside the window: its pages rendered (desktop/pdf/pages.py), with a
button to keep a copy of the PDF. No file is written unless the user asks, no viewer is needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.pdf.pages import PageImage
from desktop.private_files import write_private
from i18n import _
from i18n.formatting import number
from ui.widgets import fit_to_screen, message_label, show_error, show_note

_FORMATS = {3: QImage.Format.Format_RGB888, 4: QImage.Format.Format_RGBX8888}


PAGE_INCHES = 8.27   # an A4 page's width (desktop/pdf/document.py)


def render_dpi(widget: QWidget) -> float:
    """The resolution to render pages at for a preview window beside `widget`: 110 dpi, less when a page
    would not fit the screen's width (a scale factor of 2 on 1920×1080 leaves 960 points), times the
    screen's pixel ratio (the picture sharp at a scale factor of 2, not enlarged)."""
    screen = widget.screen()
    room = screen.availableGeometry().width() * 0.96 - 100   # the window's frame, margins and scroll bar
    return min(110.0, max(room, 300) / PAGE_INCHES) * screen.devicePixelRatio()


def page_pixmap(page: PageImage, ratio: float = 1.0) -> QPixmap:
    image = QImage(page.pixels, page.width, page.height, page.stride, _FORMATS[page.channels])
    pixmap = QPixmap.fromImage(image.copy())   # copy: the QImage must not outlive the bytes it points into
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class PreviewWindow(QDialog):
    """Not modal: the letter page stays usable beside it (edit, then preview again)."""

    def __init__(self, pdf: bytes, pages: list[PageImage], file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letter-preview")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pdf, self.file_name = pdf, file_name
        self.setWindowTitle(_("Preview of the letter"))
        column = QWidget()
        pages_layout = QVBoxLayout(column)
        pages_layout.setSpacing(16)
        self.page_labels: list[QLabel] = []
        for n, page in enumerate(pages, 1):
            label = QLabel()
            label.setPixmap(page_pixmap(page, self.screen().devicePixelRatio()))   # rendered at render_dpi
            label.setFrameShape(QFrame.Shape.Box)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(_("Page {number} of {total}").format(number=number(n), total=number(len(pages))))
            pages_layout.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message = message_label()
        self.save_button = QPushButton(_("Save a copy of the PDF…"))
        self.save_button.clicked.connect(self.ask_save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        fit_to_screen(self, 1000, 1100)

    def ask_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the preview"), self.file_name, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            write_private(path, self.pdf)
        except OSError as exc:
            show_error(self.message, _("The file could not be written: {reason}").format(reason=exc.strerror or exc))
            return False
        show_note(self.message, _("Preview written to {file}.").format(file=path))
        return True
