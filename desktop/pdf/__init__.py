"""The shared PDF engine: fonts for the six languages, a text layer that treats user text as data
and lays out Arabic right to left, and a small Document API every instrument's report uses.
See docs/letter.md ("The PDF engine")."""

from desktop.pdf.document import Anchor, Document
from desktop.pdf.fonts import register_fonts
from desktop.pdf.text import escape

__all__ = ["Anchor", "Document", "escape", "register_fonts"]
