"""Tagged PDF: a structure tree (headings, paragraphs, lists, tables, figures) in reading order, so a
screen reader reads a report in the order a person does, in its language, and skips page furniture.

The tree is built while the document is composed (`Document.heading`, `.paragraph`, `.table`…), not
while it is drawn: in an Arabic table the cells of a row are drawn left to right, that is from the last
column to the first, but read from the first. Each tagged flowable owns one node; when it is drawn it
opens a marked-content sequence with a fresh MCID on its page (`/P <</MCID 3>> BDC … EMC`) and records
(page, MCID) in its node. Page furniture — running footer, page number, rules, table grid lines,
a table header repeated on a following page — is marked as an artifact. When the canvas is saved the
tree is written: StructTreeRoot, one StructElem per node that was drawn, the ParentTree that maps
each page's MCIDs back to their elements, /StructParents on each page, /MarkInfo /Marked true.

Right-to-left text is drawn as glyphs in visual order (reportlab cannot shape or reorder); its element
carries the text in reading order as /ActualText, which assistive technology reads instead of the
glyphs. (Not as an ActualText span in the content stream: poppler's pdftotext would reverse it again;
the glyphs' ToUnicode maps already give extractors the letters, see desktop.pdf.fonts.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFString,
)
from reportlab.platypus import Flowable

# Standard structure types (ISO 32000-1, 14.8.4) used here.
DOCUMENT, HEADINGS, PARAGRAPH, DIVISION = "Document", ("H1", "H2", "H3"), "P", "Div"
TABLE, ROW, HEADER_CELL, CELL = "Table", "TR", "TH", "TD"
LIST, ITEM, LABEL, BODY, FIGURE = "L", "LI", "Lbl", "LBody", "Figure"


@dataclass(eq=False)
class Node:
    """One structure element: its role, an optional alternative text, its children in reading order
    (nodes, and (page index, MCID) pairs for the content drawn for it)."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    actual: str | None = None   # the text in reading order, where the drawn glyphs are in visual order
    kids: list[Node | tuple[int, int]] = field(default_factory=list)

    def add(self, role: str, alt: str | None = None) -> Node:
        node = Node(role, self, alt)
        self.kids.append(node)
        return node

    def drawn(self) -> bool:
        """True when some content of this node or of a descendant reached a page."""
        return any(isinstance(k, tuple) or k.drawn() for k in self.kids)


class Tagger:
    """The structure tree of one document and the MCIDs handed out on each page."""

    def __init__(self) -> None:
        self.root = Node(DOCUMENT)
        self._marks: dict[int, list[Node]] = {}   # page index -> node of each MCID, in MCID order
        self.generation = 0

    def begin(self) -> None:
        """Before a (re)build: forget what an earlier build of the same story drew."""
        self.generation += 1
        self._marks.clear()

        def forget(node: Node) -> None:
            node.kids = [k for k in node.kids if not isinstance(k, tuple)]
            for kid in node.kids:
                forget(kid)  # type: ignore[arg-type]
        forget(self.root)

    @contextmanager
    def marked(self, canvas: Any, node: Node) -> Iterator[None]:
        page = canvas.getPageNumber() - 1
        on_page = self._marks.setdefault(page, [])
        mcid = len(on_page)
        on_page.append(node)
        node.kids.append((page, mcid))
        canvas.addLiteral(f"/{node.role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            canvas.addLiteral("EMC")

    @staticmethod
    @contextmanager
    def artifact(canvas: Any) -> Iterator[None]:
        canvas.addLiteral("/Artifact BMC")
        try:
            yield
        finally:
            canvas.addLiteral("EMC")

    # ---- writing the tree ------------------------------------------------------------------------
    def write(self, doc: Any) -> None:
        """Add the structure tree to a reportlab PDFDocument whose pages are all made."""
        if not self.root.drawn():
            return
        refs: dict[int, PDFObjectReference] = {}
        counter = iter(range(1, 1 << 30))

        def ref_of(node: Node) -> PDFObjectReference:
            if id(node) not in refs:
                refs[id(node)] = PDFObjectReference(f"StructElem{next(counter)}")
            return refs[id(node)]

        def page_ref(page: int) -> PDFObjectReference:
            return PDFObjectReference(f"Page{page + 1}")

        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        tree_root_ref = doc.Reference(tree_root, "StructTreeRoot")

        def emit(node: Node, parent: PDFObjectReference) -> PDFObjectReference:
            me = ref_of(node)
            kids: list[Any] = []
            pages = {k[0] for k in node.kids if isinstance(k, tuple)}
            single_page = len(pages) == 1
            for kid in node.kids:
                if isinstance(kid, tuple):
                    page, mcid = kid
                    kids.append(mcid if single_page else PDFDictionary(
                        {"Type": PDFName("MCR"), "Pg": page_ref(page), "MCID": mcid}))
                elif kid.drawn():
                    kids.append(emit(kid, me))
            entries: dict[str, Any] = {"Type": PDFName("StructElem"), "S": PDFName(node.role), "P": parent,
                                       "K": PDFArray(kids)}
            if single_page:
                entries["Pg"] = page_ref(next(iter(pages)))
            if node.alt:
                entries["Alt"] = PDFString(node.alt)
            if node.actual:
                entries["ActualText"] = PDFString(node.actual)
            doc.Reference(PDFDictionary(entries), me.name)
            return me

        document_ref = emit(self.root, tree_root_ref)
        nums: list[Any] = []
        for page in sorted(self._marks):
            nums += [page, PDFArray([ref_of(node) for node in self._marks[page]])]
        tree_root.dict.update({"K": document_ref, "ParentTree": PDFDictionary({"Nums": PDFArray(nums)}),
                               "ParentTreeNextKey": max(self._marks, default=-1) + 1})
        doc.Catalog.StructTreeRoot = tree_root_ref
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})  # a str is written bare: a boolean
        for index, page in enumerate(doc.Pages.pages):
            if index in self._marks:
                # reportlab writes only the keys a page class lists; this page gets two more.
                page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
                page.StructParents = index
                page.Tabs = PDFName("S")   # tab through annotations (the signature) in structure order


class _Wrapped(Flowable):
    """A flowable laid out exactly as the one it wraps; subclasses decide how it is marked when drawn."""

    def __init__(self, inner: Flowable, tagger: Tagger) -> None:
        super().__init__()
        self.inner, self.tagger = inner, tagger
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802 - reportlab's name
        return self.inner.minWidth()

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.inner.getSpaceAfter()


class Tagged(_Wrapped):
    """A flowable drawn as the content of one structure node; its pieces after a page split too.
    Drawn a second time (a table's header row repeated on the next page) it is an artifact."""

    def __init__(self, inner: Flowable, node: Node, tagger: Tagger) -> None:
        super().__init__(inner, tagger)
        self.node = node
        self._drawn_in = -1      # the tagger generation (build) in which it was drawn

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return [Tagged(piece, self.node, self.tagger) for piece in self.inner.split(avail_width, avail_height)]

    def draw(self) -> None:
        if self._drawn_in == self.tagger.generation:
            with self.tagger.artifact(self.canv):
                self.inner.drawOn(self.canv, 0, 0)
            return
        self._drawn_in = self.tagger.generation
        with self.tagger.marked(self.canv, self.node):
            self.inner.drawOn(self.canv, 0, 0)


class Artifact(_Wrapped):
    """A flowable that is decoration (a rule, a bullet mark): drawn, but not read."""

    def draw(self) -> None:
        with self.tagger.artifact(self.canv):
            self.inner.drawOn(self.canv, 0, 0)
