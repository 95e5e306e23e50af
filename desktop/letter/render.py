"""The letter as a PDF, through the shared engine (desktop/pdf). Unsigned = preview.

The signature block is drawn by the engine (so it is right in Arabic and Chinese too) inside a box
whose position is returned; signing puts the signature field exactly over that box.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm

from desktop.letter import allegations, templates
from desktop.letter.compose import Composition, letter_date
from desktop.pdf import Anchor, Document
from i18n import formatting, gettext_in

SIGNATURE_BOX = (82 * mm, 27 * mm)
MUTED = colors.HexColor("#555555")
ACCENT = colors.HexColor("#009edb")


@dataclass(frozen=True)
class SignatureInfo:
    """What the visible signature block says once signed."""

    name: str
    title: str
    entity: str
    signed_at: dt.datetime  # UTC


def _marker(n: int) -> str:
    return "\u00b9\u00b2\u00b3"[n - 1]


def render(comp: Composition, signature: SignatureInfo | None = None) -> tuple[bytes, Anchor]:
    code = comp.language
    letter = comp.letter
    t = lambda msgid: gettext_in(code, msgid)  # noqa: E731 - short local alias for the letter's language
    footer_parts = [comp.entity, f"PSEA/{comp.office}/{comp.year}", f"v{letter.get('version', 1)}"]
    if signature is None:
        footer_parts.append(t(templates.PREVIEW_FOOTER))
    doc = Document(code, title=comp.title, author=comp.entity, subject=t(templates.ADDRESSEE),
                   footer=" · ".join(p for p in footer_parts if p), body_size=10)

    def band(canvas, page: int) -> None:  # noqa: ANN001 - reportlab canvas
        width, height = doc.page_size
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 6 * mm, width, 6 * mm, stroke=0, fill=1)
        canvas.restoreState()

    doc.on_page(band)
    # Letterhead
    doc.paragraph(comp.entity, "body", bold=True, fontSize=16, leading=20, spaceAfter=2)
    office_line = comp.office_name or comp.office
    doc.paragraph(office_line, "small", spaceAfter=1)
    doc.paragraph(t(templates.REFERENCE).format(office=comp.office, year=comp.year,
                                                 version=letter.get("version", 1)), "small")
    doc.rule()
    place = letter.get("place") or comp.office_name or ""
    date_line = t(templates.DATE_LINE).format(place=place, date=comp.date) if place else comp.date
    doc.paragraph(date_line, "body", align="end")
    doc.paragraph(t(templates.ADDRESSEE), "body")
    period = _period(letter, code)
    doc.paragraph(t(templates.SUBJECT).format(year=comp.year, period=period), "body", bold=True)
    doc.spacer(4)
    doc.heading(comp.title, 2)

    sections = {key: (head, text) for key, head, text in comp.sections}
    closing_number = len(templates.SECTION_KEYS)
    for n, key in enumerate(templates.SECTION_KEYS, start=1):
        head, text = sections[key]
        if key == "closing":
            closing_number = n
            break
        doc.heading(f"{formatting.number(n, code)}. {head}", 3)
        doc.paragraph(text)
        if key == "legal_basis":
            doc.paragraph(comp.allegations_text + _marker(1))
            if int((comp.figures_raw.get("allegations") or {}).get("total") or 0):
                _allegations_table(doc, comp)
            if comp.referred_text:
                doc.paragraph(comp.referred_text)
        if key == "sg_priorities":
            items = []
            for ckey, ctext, checked in comp.checklist:
                items.append((ctext + (_marker(2) if ckey == "focal_point_training" else ""), checked))
            doc.checklist(items)

    closing_head, closing_text = sections["closing"]

    def closing() -> None:  # heading, text and signature stay on one page
        doc.heading(f"{formatting.number(closing_number, code)}. {closing_head}", 3)
        doc.paragraph(closing_text)
        doc.spacer(6)
        doc.reserve("signature", *SIGNATURE_BOX, lines=_signature_lines(comp, signature), border=colors.HexColor("#9aa5b1"))

    doc.keep_together(closing)
    doc.spacer(8)
    doc.rule()
    for n, note in enumerate(comp.footnotes, start=1):
        doc.paragraph(f"{_marker(n)} {note}" if n <= 2 else note, "small")
    data = doc.build()
    return data, doc.anchors["signature"]


def _signature_lines(comp: Composition, signature: SignatureInfo | None) -> list[tuple[str, str, bool]]:
    t = lambda msgid: gettext_in(comp.language, msgid)  # noqa: E731
    if signature is None:
        name = comp.letter.get("signatory_name") or ""
        title = comp.letter.get("signatory_title") or ""
        lines = [(t(templates.SIGNATURE), "small", False)]
        lines += [(name, "body", True)] if name else []
        lines += [(title, "body", False)] if title else []
        lines += [(comp.entity, "body", False), (t(templates.NOT_SIGNED), "small", True)]
        return lines
    when = formatting.datetime(signature.signed_at.replace(tzinfo=None), comp.language, "medium") + " UTC"
    lines = [(t(templates.SIGNED_BY), "small", False), (signature.name, "body", True)]
    if signature.title:
        lines.append((signature.title, "body", False))
    lines += [(signature.entity, "body", False), (t(templates.SIGNED_ON).format(date=when), "small", False)]
    return lines


def _period(letter: dict, code: str) -> str:
    start, end = letter.get("period_start"), letter.get("period_end")
    if not (start and end):
        return str(letter.get("year"))
    s, e = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return f"{letter_date(s, code)} – {letter_date(e, code)}"


def _allegations_table(doc: Document, comp: Composition) -> None:
    """Statuses down, personnel categories across (long status names need the wide column)."""
    code = comp.language
    alleg = comp.figures_raw.get("allegations") or {}
    table = alleg.get("table") or {}
    cats = list(allegations.CATEGORIES)
    rows = [[gettext_in(code, templates.STATUS)] + [gettext_in(code, allegations.CATEGORY_LABELS[c]) for c in cats]
            + [gettext_in(code, templates.TOTAL)]]
    for status in allegations.STATUSES:
        counts = [int((table.get(c) or {}).get(status, 0)) for c in cats]
        rows.append([gettext_in(code, allegations.STATUS_LABELS[status])]
                    + [formatting.number(n, code) for n in counts] + [formatting.number(sum(counts), code)])
    by_cat = [sum(int(v) for v in (table.get(c) or {}).values()) for c in cats]
    rows.append([gettext_in(code, templates.TOTAL)] + [formatting.number(n, code) for n in by_cat]
                + [formatting.number(int(alleg.get("total") or 0), code)])
    frame = doc.page_size[0] - 2 * doc.margin
    first = 48 * mm
    other = (frame - first) / (len(cats) + 1)
    doc.table(rows, col_widths=[first] + [other] * (len(cats) + 1), numeric_columns=list(range(1, len(cats) + 2)))
