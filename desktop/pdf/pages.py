"""A PDF's pages as pixels, to show them inside the window (the letter's preview): no file written, no
external viewer needed (one may not exist on a field office's computer).

PDFium (pypdfium2, a few MB) renders; Qt's own PDF module is in the much larger PySide6-Addons. The
result is plain bytes, so the window's side turns it into images on its thread.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGES = 40


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int
    channels: int     # 3 (RGB) or 4 (RGBX/RGBA), bytes in that order
    pixels: bytes


def render_pages(data: bytes, dpi: float = 110.0, max_pages: int = MAX_PAGES) -> list[PageImage]:
    """The first `max_pages` pages of the PDF in `data`, at `dpi`. Raises ValueError for a damaged PDF."""
    import pypdfium2 as pdfium  # loaded when a preview is first shown

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from exc
    pages = []
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True, fill_color=(255, 255, 255, 255))
                try:
                    pages.append(PageImage(bitmap.width, bitmap.height, bitmap.stride, bitmap.n_channels,
                                           bytes(bitmap.buffer)))
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        document.close()
    return pages
