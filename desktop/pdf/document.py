"""A small document API over reportlab platypus, the same for every instrument's report.

    doc = Document("fr", title="Lettre de la direction", author="UN-Habitat")
    doc.heading("Titre")
    doc.paragraph("Texte saisi par l'utilisateur <b>reste du texte</b>")
    doc.table([["A", "B"], ["1", "2"]], header=True)
    pdf_bytes = doc.build("out.pdf")

Everything given as text is data (escaped, see desktop.pdf.text). In Arabic documents paragraphs are
right-aligned and tables are mirrored (first column on the right). Every PDF is tagged (desktop.pdf.tagging):
headings, paragraphs, lists and tables in reading order, page furniture as artifacts. `doc.texts` keeps
the text of each tagged part in reading order (what a reader of the PDF should get back).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph

import i18n
from desktop.pdf import tagging
from desktop.pdf import text as tl
from desktop.pdf.fonts import font_name, register_fonts
from desktop.pdf.tagging import Artifact, Node, Tagged, Tagger
from desktop.private_files import write_private

Text = str | Sequence[tuple[str, bool]]  # plain text, or (text, bold) spans

# reportlab's CJK line breaking keeps a character that may not start a line on the previous line,
# but its list is Japanese-centred and lacks the full-width Chinese colon, comma, semicolon, etc.
_CHINESE_CANNOT_START = "：，；！？）》」』】〕、·"
if not all(c in _paragraph.ALL_CANNOT_START for c in _CHINESE_CANNOT_START):
    _paragraph.ALL_CANNOT_START += "".join(c for c in _CHINESE_CANNOT_START if c not in _paragraph.ALL_CANNOT_START)

_BCP47 = {"ar": "ar", "zh": "zh-Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9aa5b1")
UN_BLUE = colors.HexColor("#009edb")


@dataclass
class Anchor:
    """Where a reserved box landed: page number (1-based) and its rectangle in PDF points."""

    page: int = 0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (round(self.x), round(self.y), round(self.x + self.width), round(self.y + self.height))


class _BidiParagraph(Flowable):
    """A paragraph with right-to-left text: wrapped here in logical order, then reordered per line."""

    def __init__(self, text: str, style: ParagraphStyle, primary: str, rtl: bool, bold: bool) -> None:
        super().__init__()
        self._text, self._style, self._primary, self._rtl, self._bold = text, style, primary, rtl, bold
        self._para: Paragraph | None = None
        self._for_width: float | None = None

    def _layout(self, avail_width: float) -> Paragraph:
        if self._para is None or self._for_width != avail_width:
            inner = avail_width - self._style.leftIndent - self._style.rightIndent - 1.0
            lines = tl.bidi_lines(self._text, self._primary, self._style.fontSize, inner,
                                  rtl=self._rtl, bold=self._bold)
            self._para = Paragraph("<br/>".join(lines) or "&nbsp;", self._style)
            self._for_width = avail_width
        return self._para

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        para = self._layout(avail_width)
        self.width, self.height = para.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._layout(avail_width).split(avail_width, avail_height)

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self._style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self._style.spaceAfter

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)


class _SyntheticBoldParagraph(Paragraph):
    """Bold Chinese: the CJK font has no bold face (and reportlab cannot use the CFF ones that do), so
    bold text is drawn filled *and* outlined with a thin stroke of the same colour, the usual
    synthetic bold. Text extraction and search are unaffected."""

    def beginText(self, x: float, y: float):  # noqa: ANN201, N802 - reportlab's name and type
        text = super().beginText(x, y)
        text.setTextRenderMode(2)  # fill, then stroke
        return text

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(self.style.textColor)
        self.canv.setLineWidth(self.style.fontSize * 0.035)
        try:
            super().draw()
        finally:
            self.canv.restoreState()


class _AnchorBox(Flowable):
    """Reserves a box, draws optional content in it and records where it landed (a signature field)."""

    def __init__(self, anchor: Anchor, width: float, height: float, align: str, tagger: Tagger,
                 content: Sequence[Flowable] = (), border: Any = None, padding: float = 6) -> None:
        super().__init__()
        self.anchor, self._w, self.height, self.hAlign = anchor, width, height, align
        self._content, self._border, self._padding = list(content), border, padding
        self._tagger = tagger

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self._w, avail_width)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        if self._border is not None:
            with self._tagger.artifact(canv):
                canv.saveState()
                canv.setStrokeColor(self._border)
                canv.setLineWidth(0.7)
                canv.rect(0, 0, self.width, self.height)
                canv.restoreState()
        top = self.height - self._padding
        inner = self.width - 2 * self._padding
        for flow in self._content:
            _w, h = flow.wrap(inner, top)
            top -= h
            if top < 0:
                break
            flow.drawOn(canv, self._padding, top)
        x, y = canv.absolutePosition(0, 0)
        self.anchor.page = self.canv.getPageNumber()
        self.anchor.x, self.anchor.y, self.anchor.width, self.anchor.height = x, y, self.width, self.height


class _Bullet(Flowable):
    def __init__(self, size: float = 9) -> None:
        super().__init__()
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setFillColor(INK)
        self.canv.circle(self.width / 2, self.height / 2 - 0.5, 1.7, stroke=0, fill=1)


class _CheckBox(Flowable):
    def __init__(self, checked: bool, size: float = 9) -> None:
        super().__init__()
        self.checked, self.size = checked, size
        self.width = self.height = size

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        c.rect(0, 0, s, s)
        if self.checked:
            c.setLineWidth(1.3)
            path = c.beginPath()
            path.moveTo(s * 0.18, s * 0.5)
            path.lineTo(s * 0.42, s * 0.2)
            path.lineTo(s * 0.85, s * 0.85)
            c.drawPath(path, stroke=1, fill=0)


class _TaggedTable(Table):
    """A table whose backgrounds and grid lines are artifacts (its cells carry the structure).
    Subclassed per document with its `tagger`."""

    tagger: Tagger

    def _drawBkgrnd(self) -> None:  # noqa: N802 - reportlab's name
        with self.tagger.artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self) -> None:  # noqa: N802
        with self.tagger.artifact(self.canv):
            super()._drawLines()


@dataclass
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    headings: dict[int, ParagraphStyle] = field(default_factory=dict)
    title: ParagraphStyle | None = None


class Document:
    """One PDF in one language. Add content in reading order, then `build()`."""

    def __init__(self, language: str, title: str, *, author: str = "", subject: str = "",
                 page_size: tuple[float, float] = A4, margins_mm: float = 22,
                 footer: str = "", justify: bool = False, body_size: float = 10.5) -> None:
        i18n.language(language)  # ValueError for anything but the six
        register_fonts()
        self.language = language
        self.rtl = i18n.is_rtl(language)
        self.primary = tl.primary_script(language)
        self.title, self.author, self.subject, self.footer = title, author, subject, footer
        self.page_size = page_size
        self.margin = margins_mm * mm
        self.story: list[Flowable] = []
        self.tagger = Tagger()
        # The tagger as a class attribute: a table split across pages is rebuilt through its class.
        self._table_class = type("_DocumentTable", (_TaggedTable,), {"tagger": self.tagger})
        self.texts: list[str] = []   # the text of each tagged part, in reading order
        self.anchors: dict[str, Anchor] = {}
        self.page_count = 0
        self._on_page: list[Callable[[Canvas, int], None]] = []
        base_align = TA_RIGHT if self.rtl else (TA_JUSTIFY if justify else TA_LEFT)
        cjk = language == "zh"
        self.styles = _Styles(
            body=self._style("body", body_size, round(body_size * 1.42, 1), base_align, space_after=5, cjk=cjk),
            small=self._style("small", 8.5, 11.5, TA_RIGHT if self.rtl else TA_LEFT, space_after=3,
                              color=MUTED, cjk=cjk),
            cell=self._style("cell", 9, 12, TA_RIGHT if self.rtl else TA_LEFT, cjk=cjk),
            cell_bold=self._style("cell_bold", 9, 12, TA_RIGHT if self.rtl else TA_LEFT, cjk=cjk, bold=True),
        )
        self.styles.headings = {
            1: self._style("h1", 15, 20, TA_RIGHT if self.rtl else TA_LEFT, space_before=6, space_after=8,
                           bold=True, cjk=cjk),
            2: self._style("h2", 12, 16, TA_RIGHT if self.rtl else TA_LEFT, space_before=8, space_after=4,
                           bold=True, cjk=cjk),
            3: self._style("h3", 10.5, 14, TA_RIGHT if self.rtl else TA_LEFT, space_before=6, space_after=3,
                           bold=True, cjk=cjk),
        }

    # ---- styles --------------------------------------------------------------------------------
    def _style(self, name: str, size: float, leading: float, align: int, *, space_before: float = 0,
               space_after: float = 0, bold: bool = False, color: Any = INK, cjk: bool = False) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font_name(self.primary, bold), fontSize=size, leading=leading, alignment=align,
            spaceBefore=space_before, spaceAfter=space_after, textColor=color,
            wordWrap="CJK" if cjk else None,
        )

    def style(self, kind: str = "body", **changes: Any) -> ParagraphStyle:
        base = {"body": self.styles.body, "small": self.styles.small, "cell": self.styles.cell,
                "cell_bold": self.styles.cell_bold}.get(kind) or self.styles.headings[int(kind[1:])]
        if not changes:
            return base
        align = changes.pop("align", None)
        if align is not None:
            changes["alignment"] = {"start": TA_RIGHT if self.rtl else TA_LEFT,
                                    "end": TA_LEFT if self.rtl else TA_RIGHT,
                                    "center": TA_CENTER}[align]
        return ParagraphStyle(base.name + "-x", parent=base, **changes)

    # ---- text ----------------------------------------------------------------------------------
    def text_flowable(self, text: Text, style: ParagraphStyle | str = "body", *, bold: bool = False) -> Flowable:
        """A paragraph flowable for user text (escaped, fonts per script, Arabic shaped and ordered)."""
        if isinstance(style, str):
            style = self.style(style)
        spans: list[tuple[str, bool]] = [(text, bold)] if isinstance(text, str) else list(text)
        joined = "".join(s for s, _ in spans)
        if self.rtl or tl.has_rtl(joined):
            # Own wrapping: spans lose their individual weight (bold only if all spans are bold).
            all_bold = all(b for _, b in spans) if spans else bold
            return _BidiParagraph(joined, style, self.primary, self.rtl, all_bold)
        if tl.has_cjk(joined) and style.wordWrap != "CJK":
            style = ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")
        elif style.wordWrap == "CJK" and not tl.has_cjk(joined):
            # reportlab's CJK wrapping breaks anywhere, inside Latin words too ("Peter Kam/au" in a
            # Chinese table): text without Chinese breaks between words.
            style = ParagraphStyle(style.name + "-words", parent=style, wordWrap=None)
        if spans and all(b for _, b in spans) and tl.has_cjk(joined):
            return _SyntheticBoldParagraph(tl.spans_markup(spans, self.primary), style)
        return Paragraph(tl.spans_markup(spans, self.primary) or "&nbsp;", style)

    def heading(self, text: str, level: int = 1) -> None:
        flow = self.text_flowable(text, self.styles.headings[level], bold=True)
        # Keep a heading with what follows.
        self.story.append(CondPageBreak(60))
        self.story.append(self._tag(flow, self.tagger.root.add(tagging.HEADINGS[level - 1]), text))

    def paragraph(self, text: Text, style: str = "body", *, bold: bool = False, align: str | None = None,
                  **style_changes: Any) -> None:
        if align is not None:
            style_changes["align"] = align
        flow = self.text_flowable(text, self.style(style, **style_changes), bold=bold)
        self.story.append(self._tag(flow, self.tagger.root.add(tagging.PARAGRAPH), text))

    def _tag(self, flow: Flowable, node: Node, text: Text | None = None) -> Tagged:
        """`flow` drawn as the content of `node`; its text remembered in reading order."""
        if text is not None:
            plain = text if isinstance(text, str) else "".join(part for part, _bold in text)
            self.texts.append(plain)
            if tl.has_rtl(plain):
                node.actual = tl.clean(plain)
        return Tagged(flow, node, self.tagger)

    def bullets(self, items: Sequence[Text], style: str = "body") -> None:
        """A list with bullet marks on the reading side."""
        base = self.style(style)
        listing = self.tagger.root.add(tagging.LIST)
        rows = []
        for item in items:
            entry = listing.add(tagging.ITEM)
            rows.append([Artifact(_Bullet(), self.tagger),
                         self._tag(self.text_flowable(item, base), entry.add(tagging.BODY), item)])
        self._mark_table(rows, mark_width=16)

    def checklist(self, items: Sequence[tuple[Text, bool]], style: str = "body") -> None:
        """Certifications with a drawn check box (ticked or empty) on the reading side."""
        base = self.style(style)
        listing = self.tagger.root.add(tagging.LIST)
        rows = []
        for text, checked in items:
            entry = listing.add(tagging.ITEM)
            # The box's state is read out through its alternative text (ballot box, with or without check).
            label = Tagged(_CheckBox(checked), entry.add(tagging.LABEL, "\u2611" if checked else "\u2610"),
                           self.tagger)
            rows.append([label, self._tag(self.text_flowable(text, base), entry.add(tagging.BODY), text)])
        self._mark_table(rows, mark_width=16)

    def _mark_table(self, rows: list[list[Any]], mark_width: float) -> None:
        frame_width = self.page_size[0] - 2 * self.margin
        widths = [mark_width, frame_width - mark_width]
        cells = []
        for mark, flow in rows:
            cells.append([flow, mark] if self.rtl else [mark, flow])
        if self.rtl:
            widths.reverse()
        table = Table(cells, colWidths=widths, hAlign="RIGHT" if self.rtl else "LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), font_name(self.primary)),  # else reportlab refers to Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("ALIGN", (1 if self.rtl else 0, 0), (1 if self.rtl else 0, -1), "RIGHT" if self.rtl else "LEFT"),
            # The mark sits on the first text line.
            ("TOPPADDING", (1 if self.rtl else 0, 0), (1 if self.rtl else 0, -1), 4.5),
        ]))
        self.story.append(table)
        self.story.append(Spacer(1, 4))

    # ---- tables, images, layout -----------------------------------------------------------------
    def table(self, rows: Sequence[Sequence[Any]], *, col_widths: Sequence[float] | None = None,
              header: bool = True, numeric_columns: Sequence[int] = ()) -> None:
        """Cells are text (escaped) or flowables. Widths in points, in reading order; in Arabic the
        columns are mirrored so the first column is on the right."""
        frame_width = self.page_size[0] - 2 * self.margin
        ncols = max((len(r) for r in rows), default=0)
        if not ncols:
            return
        widths = list(col_widths) if col_widths else [frame_width / ncols] * ncols
        head_size = body_size = self.styles.cell_bold.fontSize
        if rows:
            widths, head_size, body_size = self._fit_words(rows, widths, frame_width, head_size, header=header)
        cells = []
        table_node = self.tagger.root.add(tagging.TABLE)
        for r, row in enumerate(rows):
            out = []
            row_node = table_node.add(tagging.ROW)
            for c in range(ncols):
                value = row[c] if c < len(row) else ""
                cell_node = row_node.add(tagging.HEADER_CELL if header and r == 0 else tagging.CELL)
                if isinstance(value, Flowable):
                    out.append(self._tag(value, cell_node))
                    continue
                kind = "cell_bold" if header and r == 0 else "cell"
                changes: dict[str, Any] = {"align": "end"} if c in numeric_columns else {}
                wanted = head_size if kind == "cell_bold" else body_size
                if wanted != self.styles.cell.fontSize:
                    changes.update(fontSize=wanted, leading=round(wanted * 1.33, 1))
                style = self.style(kind, **changes)
                out.append(self._tag(self.text_flowable(str(value), style, bold=kind == "cell_bold"),
                                     cell_node, str(value)))
            cells.append(list(reversed(out)) if self.rtl else out)
        if self.rtl:
            widths.reverse()
        table = self._table_class(cells, colWidths=widths, repeatRows=1 if header else 0,
                                  hAlign="RIGHT" if self.rtl else "LEFT")
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE),
            ("FONTNAME", (0, 0), (-1, -1), font_name(self.primary)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")))
        table.setStyle(TableStyle(commands))
        self.story.append(table)
        self.story.append(Spacer(1, 6))

    # Room a table cell leaves around its text (reportlab's default left + right padding).
    _CELL_PADDING = 13.0   # 12 points of padding, and one of rounding
    _MIN_HEADER_SIZE = 6.5

    def _fit_words(self, rows: Sequence[Sequence[Any]], widths: list[float], frame_width: float,
                   size: float, *, header: bool) -> tuple[list[float], float, float]:
        """Column widths and type sizes (header, body) such that no word is split across lines
        ("Personn/el", "KEN-NB/O", "Взаимодейс/твие"). A column too narrow for its longest word takes
        room first from columns that do not use theirs (their longest line is shorter than the
        column), then from columns wider than their own longest word (their text wraps more); only
        when the frame cannot hold every longest word does the type get smaller, the header's first.
        Chinese has no words to keep whole: it breaks between characters."""
        body_size = self.styles.cell.fontSize

        def measure(value: Any, at: float, bold: bool) -> tuple[float, float]:
            """(longest word, whole text on one line) of a cell."""
            if not isinstance(value, str) or not value:
                return 0.0, 0.0
            whole = max(tl.width(line, self.primary, at, bold=bold) for line in value.split("\n"))
            if tl.has_cjk(value):
                return 0.0, whole
            return max((tl.width(w, self.primary, at, bold=bold) for w in value.split()), default=0.0), whole

        n = len(widths)
        while True:
            need, natural = [0.0] * n, [0.0] * n
            for r, row in enumerate(rows):
                head = header and r == 0
                for c, value in enumerate(row[:n]):
                    word, line = measure(value, size if head else body_size, head)
                    need[c], natural[c] = max(need[c], word), max(natural[c], line)
            need = [w + self._CELL_PADDING for w in need]
            natural = [w + self._CELL_PADDING for w in natural]
            smallest = (not header or size <= self._MIN_HEADER_SIZE) and body_size <= self._MIN_BODY_SIZE
            out, short = self._make_room(list(widths), need, natural, squeeze=smallest, frame=frame_width)
            if not short or smallest:
                return out, size, body_size
            if header and size > max(self._MIN_HEADER_SIZE, body_size - 1):
                size = max(self._MIN_HEADER_SIZE, round(size - 0.5, 1))
            else:
                body_size = max(self._MIN_BODY_SIZE, round(body_size - 0.5, 1))
                size = min(size, body_size)

    _MIN_BODY_SIZE = 7.5

    @staticmethod
    def _make_room(out: list[float], need: list[float], natural: list[float], *, squeeze: bool,
                   frame: float) -> tuple[list[float], bool]:
        """Widen columns to their `need`: from the frame's width the table does not use, then from the
        unused room of other columns and, with `squeeze`, from their room above their own need. True if
        some column still lacks room."""
        short = False
        floors = [lambda j: max(need[j], natural[j])] + ([lambda j: need[j]] if squeeze else [])
        for c in range(len(out)):
            free = frame - sum(out)
            if need[c] > out[c] and free > 0:
                out[c] += min(need[c] - out[c], free)
            for floor in floors:
                missing = need[c] - out[c]
                if missing <= 0:
                    break
                donors = [(j, out[j] - floor(j)) for j in range(len(out)) if j != c]
                donors = [(j, room) for j, room in donors if room > 0]
                spare = sum(room for _j, room in donors)
                if spare <= 0:
                    continue
                take = min(missing, spare)
                for j, room in donors:
                    out[j] -= take * room / spare
                out[c] += take
            short = short or need[c] - out[c] > 0.01
        return out, short

    def _figure(self, flow: Flowable, alt: str | None) -> Flowable:
        """A picture is read through its alternative text; without one it is decoration."""
        if not alt:
            return Artifact(flow, self.tagger)
        return Tagged(flow, self.tagger.root.add(tagging.FIGURE, alt), self.tagger)

    def image(self, source: str | Path | bytes, width: float, height: float | None = None, *,
              alt: str | None = None) -> None:
        data = io.BytesIO(source) if isinstance(source, bytes) else str(source)
        img = Image(data, width=width, height=height) if height else Image(data, width=width)
        if height is None:
            iw, ih = img.imageWidth, img.imageHeight
            img.drawHeight = width * ih / iw if iw else width
        img.hAlign = "RIGHT" if self.rtl else "LEFT"
        self.story.append(self._figure(img, alt))

    def drawing(self, drawing: Drawing, *, alt: str | None = None) -> None:
        drawing.hAlign = "RIGHT" if self.rtl else "LEFT"
        self.story.append(self._figure(drawing, alt))

    def spacer(self, height: float) -> None:
        self.story.append(Spacer(1, height))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def rule(self, color: Any = RULE, thickness: float = 0.6) -> None:
        from reportlab.platypus.flowables import HRFlowable

        rule = HRFlowable(width="100%", thickness=thickness, color=color, spaceBefore=2, spaceAfter=6)
        self.story.append(Artifact(rule, self.tagger))

    def keep_together(self, build: Callable[[], None]) -> None:
        """Whatever `build()` adds stays on one page."""
        start = len(self.story)
        build()
        group = self.story[start:]
        del self.story[start:]
        self.story.append(KeepTogether(group))

    def reserve(self, name: str, width: float, height: float, *, lines: Sequence[tuple[Text, str, bool]] = (),
                border: Any = None) -> Anchor:
        """A box on the reading side, with optional (text, style, bold) lines drawn in it; after
        build(), the Anchor tells on which page and where it landed (for a signature field)."""
        anchor = Anchor()
        self.anchors[name] = anchor
        box = self.tagger.root.add(tagging.DIVISION)
        content = [self._tag(self.text_flowable(text, self.style(style), bold=bold), box.add(tagging.PARAGRAPH),
                             text) for text, style, bold in lines]
        self.story.append(_AnchorBox(anchor, width, height, "RIGHT" if self.rtl else "LEFT", self.tagger,
                                     content, border))
        return anchor

    def on_page(self, callback: Callable[[Canvas, int], None]) -> None:
        """Called on every page (canvas, page number) to draw fixed things (a letterhead band)."""
        self._on_page.append(callback)

    # ---- output --------------------------------------------------------------------------------
    def build(self, path: str | Path | None = None) -> bytes:
        """Lay out, write the PDF (to `path` if given) and return its bytes."""
        buffer = io.BytesIO()
        width, height = self.page_size
        frame = Frame(self.margin, self.margin + 8 * mm, width - 2 * self.margin,
                      height - 2 * self.margin - 8 * mm, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        template = PageTemplate(id="page", frames=[frame], onPage=self._draw_page)
        lang = _BCP47[self.language]
        tagger = self.tagger
        tagger.begin()

        class _Canvas(Canvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["lang"] = lang
                kwargs["initialFontName"] = font_name("latin")  # never an unembedded Helvetica
                super().__init__(*args, **kwargs)

            def save(self) -> None:
                if len(self._code):
                    self.showPage()
                tagger.write(self._doc)   # every page is made: the structure tree can point at them
                super().save()

        doc = BaseDocTemplate(buffer, pagesize=self.page_size, pageTemplates=[template],
                              title=self.title, author=self.author, subject=self.subject,
                              creator="PSEA Desk", producer="PSEA Desk (reportlab)",
                              leftMargin=self.margin, rightMargin=self.margin,
                              topMargin=self.margin, bottomMargin=self.margin,
                              displayDocTitle=1)
        doc.build(list(self.story), canvasmaker=_Canvas)
        self.page_count = doc.page
        data = buffer.getvalue()
        if path is not None:
            write_private(path, data)
        return data

    def _draw_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        # Letterhead, running footer and page number: furniture, not read in the flow of the text.
        with self.tagger.artifact(canvas):
            self._draw_furniture(canvas)

    def _draw_furniture(self, canvas: Canvas) -> None:
        page = canvas.getPageNumber()
        for callback in self._on_page:
            callback(canvas, page)
        width, _height = self.page_size
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        y = self.margin
        canvas.line(self.margin, y + 4 * mm, width - self.margin, y + 4 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(font_name("latin"), 8)
        number = str(page)
        if self.rtl:
            canvas.drawString(self.margin, y, number)
        else:
            canvas.drawRightString(width - self.margin, y, number)
        if self.footer:
            style = self.style("small", align="start")
            flow = self.text_flowable(self.footer, style)
            avail = width - 2 * self.margin - 20 * mm
            _w, h = flow.wrap(avail, 20 * mm)
            x = self.margin + 20 * mm if self.rtl else self.margin
            flow.drawOn(canvas, x, y - 2)
        canvas.restoreState()
