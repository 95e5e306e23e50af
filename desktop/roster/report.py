"""The roster report (PDF) in one language: the figures, completion by category (bars), by office,
by course, and the list of people (the window's filtered list, at most REPORT_ROWS of them).
Built with the shared PDF engine (desktop/pdf): user text is escaped, Arabic shaped and right to left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors

import i18n
from desktop.pdf import Document
from desktop.roster import figures as figs
from desktop.roster.listing import load_roster
from desktop.roster.model import CATEGORIES, COURSE_KINDS, courses
from i18n import gettext_in, ngettext_in
from i18n.formatting import date as format_date
from i18n.formatting import number, percent

if TYPE_CHECKING:
    from storage import Workspace

REPORT_ROWS = 500
BAR_WIDTH = 170.0


def _bar(rate: float | None, rtl: bool) -> Drawing:
    d = Drawing(BAR_WIDTH, 10)
    d.add(Rect(0, 1, BAR_WIDTH, 8, fillColor=colors.HexColor("#e3e7ee"), strokeColor=None))
    share = 0.0 if rate is None else max(0.0, min(1.0, rate))
    x = BAR_WIDTH * (1 - share) if rtl else 0
    d.add(Rect(x, 1, BAR_WIDTH * share, 8, fillColor=colors.HexColor("#1a5fb4"), strokeColor=None))
    return d


def write_report(ws: Workspace, path: str | Path, as_of: dt.date, language: str,
                 rows: list[int] | None = None) -> int:
    """Write the PDF; returns the number of pages."""
    def t(message: str) -> str:
        return gettext_in(language, message)

    def rate(value: float | None) -> str:
        return "—" if value is None else percent(value, language)

    f = figs.completion_figures(ws, as_of)
    letter = figs.letter_figures(ws, as_of.year, as_of=as_of)
    roster = load_roster(ws, as_of)
    doc = Document(language, gettext_in(language, "Training roster report"), author=ws.entity,
                   footer=i18n.joined([ws.entity, ws.office], language))
    doc.heading(gettext_in(language, "Training roster report"))
    doc.paragraph(gettext_in(language, "{entity}, office {office}; figures on {date}.").format(
        entity=i18n.isolated(ws.entity, language), office=i18n.isolated(ws.office, language),
        date=i18n.isolated(format_date(as_of, language, "long"), language)))
    o = f.overall
    doc.heading(gettext_in(language, "Figures"), 2)
    doc.table([
        [gettext_in(language, "Figure"), gettext_in(language, "Value")],
        [gettext_in(language, "Active personnel"), number(o.active, language)],
        [gettext_in(language, "Completion rate"), rate(o.rate)],
        [gettext_in(language, "Never trained"), number(o.never, language)],
        [gettext_in(language, "Overdue"), number(o.overdue, language)],
        [gettext_in(language, "Expiring within 30 days"), number(o.expiring[30], language)],
        [gettext_in(language, "Expiring within 60 days"), number(o.expiring[60], language)],
        [gettext_in(language, "Expiring within 90 days"), number(o.expiring[90], language)],
        [gettext_in(language, "Management letter {year}").format(year=letter["year"]),
         f"{rate(letter['training_rate'])} ({number(letter['trained'], language)} / "
         f"{number(letter['population'], language)})"],
    ], col_widths=[260, 170], numeric_columns=[1])
    left_letter = figs.NotCounted.from_dict(letter["not_counted"])
    if left_letter:
        doc.paragraph(t("Management letter: {text}").format(text=left_letter.text(language)))
    if f.not_counted:
        doc.paragraph(t("Completion rate: {text}").format(text=f.not_counted.text(language)))
    doc.paragraph(t(figs.LETTER_DEFINITION), "small")
    doc.heading(gettext_in(language, "Completion by personnel category"), 2)
    table = [[gettext_in(language, "Personnel category"), "", gettext_in(language, "Completion rate"), gettext_in(language, "Trained"), gettext_in(language, "Active")]]
    for code, label in CATEGORIES:
        c = f.by_category[code]
        table.append([t(label), _bar(c.rate, doc.rtl), rate(c.rate), number(c.trained, language),
                      number(c.active, language)])
    doc.table(table, col_widths=[130, BAR_WIDTH + 8, 60, 55, 55], numeric_columns=[2, 3, 4])
    doc.heading(gettext_in(language, "Completion by office"), 2)
    table = [[gettext_in(language, "Office"), gettext_in(language, "Completion rate"), gettext_in(language, "Trained"), gettext_in(language, "Active")]]
    for office, c in f.by_office.items():
        table.append([office or "—", rate(c.rate), number(c.trained, language), number(c.active, language)])
    doc.table(table, col_widths=[170, 90, 80, 80], numeric_columns=[1, 2, 3])
    doc.heading(gettext_in(language, "Completion by course"), 2)
    table = [[gettext_in(language, "Course"), gettext_in(language, "Counts as"), gettext_in(language, "Validity (months)"),
              gettext_in(language, "Holding a valid completion"), gettext_in(language, "Share of active personnel")]]
    for course in courses(ws):
        held = f.by_course.get(course.id)
        table.append([t(course.name) if course.reference else course.name,
                      t(dict(COURSE_KINDS)[course.kind]), number(course.validity_months, language),
                      number(held[0], language) if held else "—", rate(held[1]) if held else "—"])
    doc.table(table, col_widths=[140, 100, 60, 90, 90], numeric_columns=[2, 3, 4])
    chosen = list(roster.snap.order) if rows is None else list(rows)
    doc.heading(gettext_in(language, "Personnel"), 2)
    if len(chosen) > REPORT_ROWS:
        doc.paragraph(ngettext_in(language, "The first {shown} of {n} person are listed; export the list for all of them.",
                                  "The first {shown} of {n} people are listed; export the list for all of them.",
                                  len(chosen)).format(shown=number(REPORT_ROWS, language), n=number(len(chosen), language)),
                      "small")
    snap = roster.snap
    labels = {code: t(label) for code, label in CATEGORIES}
    table = [[gettext_in(language, "Full name"), gettext_in(language, "Personnel category"), gettext_in(language, "Office"), gettext_in(language, "Status"), gettext_in(language, "Last completion")]]
    for r in chosen[:REPORT_ROWS]:
        status = roster.statuses[r]
        status_text = (gettext_in(language, "Expiring within {days} days").format(days=roster.expiring_within[r])
                       if status == "expiring" else t(figs.STATUS_LABELS[status]))
        last = format_date(dt.date.fromordinal(snap.last_day[r]), language) if snap.last_day[r] else "—"
        table.append([snap.names[r], labels[snap.category_code(r)], snap.office(r), status_text, last])
    doc.table(table, col_widths=[140, 95, 65, 95, 80])
    doc.build(path)
    return doc.page_count
