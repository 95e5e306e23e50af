"""The letter as a PDF, through the shared engine (desktop/pdf). Unsigned = preview.

The signature block is drawn by the engine (so it is right in Arabic and Chinese too) inside a box
whose position is returned; signing puts the signature field exactly over that box.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm

import i18n
from desktop.letter import templates
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


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")


def _marker(n: int) -> str:
    return "\u00b9\u00b2\u00b3"[n - 1]


def _item_text(item, preview: bool, code: str) -> str:  # noqa: ANN001 - compose.Item
    text = item.text
    if preview and item.confirmed is False:
        text += " [" + gettext_in(code, templates.NOT_CONFIRMED) + "]"
    return text


def render(comp: Composition, signature: SignatureInfo | None = None) -> tuple[bytes, Anchor]:
    code = comp.language
    letter = comp.letter
    preview = signature is None
    t = lambda msgid: gettext_in(code, msgid)  # noqa: E731 - short local alias for the letter's language
    footer_parts = [comp.entity, f"PSEA/{comp.office}/{comp.year}", f"v{letter.get('version', 1)}"]
    if preview:
        footer_parts.append(t(templates.PREVIEW_FOOTER))
    doc = Document(code, title=comp.title, author=comp.entity, subject=comp.addressee,
                   footer=i18n.joined(footer_parts, code), body_size=10)

    def band(canvas, page: int) -> None:  # noqa: ANN001 - reportlab canvas
        width, height = doc.page_size
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 6 * mm, width, 6 * mm, stroke=0, fill=1)
        canvas.restoreState()

    doc.on_page(band)
    # Letterhead
    doc.paragraph(comp.entity, "body", bold=True, fontSize=16, leading=20, spaceAfter=2)
    if comp.scope == "office" and comp.office_name:
        doc.paragraph(comp.office_name, "small", spaceAfter=1)
    doc.paragraph(t(templates.REFERENCE).format(office=comp.office, year=comp.year,
                                                 version=letter.get("version", 1)), "small")
    doc.rule()
    date_line = t(templates.DATE_LINE).format(place=comp.place, date=comp.date) if comp.place else comp.date
    doc.paragraph(date_line, "body", align="end")
    doc.paragraph(comp.addressee, "body")
    doc.spacer(4)
    doc.heading(comp.title, 2)
    doc.paragraph(t(templates.PERIOD_LINE).format(period=comp.period), "body", bold=True)

    closing = comp.blocks[-1]
    for n, block in enumerate(comp.blocks[:-1], start=1):
        doc.heading(f"{formatting.number(n, code)}. {block.heading}", 3)
        items = list(block.items)
        if block.listed and items:
            intro, listed = items[0], items[1:]
            doc.paragraph(_item_text(intro, preview, code))
            # (iii) of the real letter holds the focal point, the training figure and the reminder.
            groups: list[list] = []
            for item in listed:
                if item.key in ("training", "reminded") and groups:
                    groups[-1].append(item)
                else:
                    groups.append([item])
            for g, group in enumerate(groups):
                text = i18n.sentences([_item_text(i, preview, code) for i in group], code)
                doc.paragraph(f"({_ROMAN[g]}) {text}", **({"rightIndent": 14} if doc.rtl else {"leftIndent": 14}))
        else:
            doc.paragraph(i18n.sentences([_item_text(i, preview, code) for i in items], code))
    closing_number = len(comp.blocks)

    def closing_part() -> None:  # heading, text and signature stay on one page
        doc.heading(f"{formatting.number(closing_number, code)}. {closing.heading}", 3)
        doc.paragraph(i18n.sentences([_item_text(i, preview, code) for i in closing.items], code))
        doc.spacer(6)
        doc.reserve("signature", *SIGNATURE_BOX, lines=_signature_lines(comp, signature),
                    border=colors.HexColor("#9aa5b1"))

    doc.keep_together(closing_part)
    doc.spacer(8)

    def notes() -> None:  # the footnotes and the sources line never stand alone on a page
        doc.rule()
        for n, note in enumerate(comp.footnotes, start=1):
            doc.paragraph(f"{_marker(n)} {note}", "small")
        doc.paragraph(comp.sources, "small")
        if preview and comp.fallbacks:
            doc.paragraph(t(templates.FALLBACK_NOTE), "small")

    doc.keep_together(notes)
    if comp.scope == "entity" and comp.figures_raw.get("assurances"):
        _annex(doc, comp)
    data = doc.build()
    return data, doc.anchors["signature"]


def _annex(doc: Document, comp: Composition) -> None:
    """The offices' assurances the entity's letter rests on, each office named in the letter's language."""
    code = comp.language
    t = lambda msgid: gettext_in(code, msgid)  # noqa: E731
    doc.heading(t(templates.ANNEX), 3)
    doc.paragraph(t(templates.ANNEX_INTRO).format(entity=comp.entity, year=comp.year))
    rows = [[t(h) for h in templates.ASSURANCE_COLUMNS]]
    for a in comp.figures_raw["assurances"]:
        name = (a.get("names") or {}).get(code) or a["office"]
        when = letter_date(dt.date.fromisoformat(a["signed_at"][:10]), code) if a.get("signed_at") else ""
        rows.append([name, a["office"], t(templates.ASSURANCE_STATES.get(a["state"], a["state"])),
                     a.get("signer") or "", when])
    frame = doc.page_size[0] - 2 * doc.margin
    doc.table(rows, col_widths=[frame * 0.3, frame * 0.14, frame * 0.16, frame * 0.22, frame * 0.18])


def _signature_lines(comp: Composition, signature: SignatureInfo | None) -> list[tuple[str, str, bool]]:
    t = lambda msgid: gettext_in(comp.language, msgid)  # noqa: E731
    if signature is None:
        name = comp.values.get("name") or ""
        title = comp.values.get("title") or ""
        lines = [(t(templates.SIGNATURE), "small", False)]
        lines += [(name, "body", True)] if name else []
        lines += [(title, "body", False)] if title else []
        lines += [(comp.entity, "body", False), (t(templates.NOT_SIGNED), "small", True)]
        return lines
    when = f"{letter_date(signature.signed_at.date(), comp.language)}, {signature.signed_at:%H:%M} UTC"
    lines = [(t(templates.SIGNED_BY), "small", False), (signature.name, "body", True)]
    if signature.title:
        lines.append((signature.title, "body", False))
    lines += [(signature.entity, "body", False), (t(templates.SIGNED_ON).format(date=when), "small", False)]
    return lines


