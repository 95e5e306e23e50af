"""The risk assessment report PDF: context, heat map, register, mitigation plan and follow-up visits,
in any of the six languages, through the shared engine in desktop/pdf (fonts, escaping, Arabic)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from bidi.algorithm import get_display
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

import i18n
from desktop.pdf import Document
from desktop.pdf.fonts import LATIN, font_name
from desktop.pdf.text import primary_script, shape
from desktop.risk import assessments, factors, followup, measures, model, overview, ratings, scoring
from i18n import gettext_in, is_rtl
from i18n.formatting import date as format_date
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace


def _d(value: str | None, code: str) -> str:
    return format_date(dt.date.fromisoformat(value), code, "long") if value else "—"


def _plain(text: str) -> str:
    """Without the bidi marks Babel puts in Arabic dates (in a footer mixed with Latin text they
    split the date into pieces)."""
    return text.replace("\u200f", "").replace("\u200e", "").replace("\u061c", "")


def heat_map_drawing(counts: dict[tuple[int, int], int], code: str, side: float = 34) -> Drawing:
    """The 5×5 grid with counts; mirrored for right-to-left languages (likelihood grows leftwards,
    impact ticks and title on the right)."""
    m = scoring.matrix()
    rtl = is_rtl(code)
    cols, rows = m.l_max - m.l_min + 1, m.i_max - m.i_min + 1
    margin = 46
    width, height = cols * side + margin + 10, rows * side + margin + 6
    d = Drawing(width, height)
    d.initialFontName = font_name(LATIN)  # else reportlab references an unembedded Helvetica
    gx = 10 if rtl else margin
    gy = margin
    bold = font_name(primary_script(code), True)
    latin = font_name(LATIN)

    def label(text: str) -> str:
        shaped = shape(text)
        return get_display(shaped, base_dir="R") if rtl else shaped

    for lk in range(m.l_min, m.l_max + 1):
        col = lk - m.l_min
        if rtl:
            col = cols - 1 - col
        x = gx + col * side
        for im in range(m.i_min, m.i_max + 1):
            y = gy + (im - m.i_min) * side
            band = m.band(lk, im)
            count = counts.get((lk, im), 0)
            fill = colors.HexColor(band.colour)
            if not count:
                fill = colors.Color(fill.red + (1 - fill.red) * 0.55, fill.green + (1 - fill.green) * 0.55,
                                    fill.blue + (1 - fill.blue) * 0.55)
            d.add(Rect(x, y, side, side, fillColor=fill, strokeColor=colors.white, strokeWidth=1.5))
            if count:
                d.add(String(x + side / 2, y + side / 2 - 5, number(count, code), fontName=latin, fontSize=13,
                             fillColor=colors.HexColor(band.ink), textAnchor="middle"))
        d.add(String(x + side / 2, gy - 12, number(lk, code), fontName=latin, fontSize=8, textAnchor="middle"))
    for im in range(m.i_min, m.i_max + 1):
        y = gy + (im - m.i_min) * side + side / 2 - 3
        tx = gx + cols * side + 6 if rtl else gx - 6
        d.add(String(tx, y, number(im, code), fontName=latin, fontSize=8, textAnchor="start" if rtl else "end"))
    likelihood = label(gettext_in(code, "Likelihood"))
    impact = label(gettext_in(code, "Impact"))
    d.add(String(gx + cols * side / 2, gy - 28, likelihood, fontName=bold, fontSize=9, textAnchor="middle"))
    # arrow along the likelihood axis, pointing the way the scale grows
    ay, ax0, ax1 = gy - 34, gx + side * 0.5, gx + cols * side - side * 0.5
    if rtl:
        ax0, ax1 = ax1, ax0
    d.add(Line(ax0, ay, ax1, ay, strokeColor=colors.grey, strokeWidth=0.8))
    tip = 4 if not rtl else -4
    d.add(Polygon([ax1, ay, ax1 - tip, ay + 2.5, ax1 - tip, ay - 2.5], fillColor=colors.grey, strokeWidth=0))
    # the impact title stands above its tick column, with an arrow pointing up
    ix = gx + cols * side + 4 if rtl else gx - 4
    d.add(String(ix, gy + rows * side + 4, impact, fontName=bold, fontSize=9, textAnchor="start" if rtl else "end"))
    lx = gx + cols * side + 16 if rtl else gx - 16
    d.add(Line(lx, gy + side * 0.5, lx, gy + rows * side - side * 0.5, strokeColor=colors.grey, strokeWidth=0.8))
    top = gy + rows * side - side * 0.5
    d.add(Polygon([lx, top, lx - 2.5, top - 4, lx + 2.5, top - 4], fillColor=colors.grey, strokeWidth=0))
    d.height = height + 18
    return d


def build_report(ws: Workspace, assessment_id: str, code: str, today: dt.date | None = None) -> Document:
    today = today or dt.date.today()

    def t(message: str) -> str:
        return gettext_in(code, message)

    a = assessments.get_assessment(ws, assessment_id)
    risks = ratings.rated_risks(ws, assessment_id, today)
    visits = followup.visits(ws, assessment_id)
    doc = Document(code, gettext_in(code, "SEA risk assessment: {subject}").format(subject=a["subject"]), author=ws.entity,
                   subject=gettext_in(code, "SEA risk assessment"),
                   footer=i18n.joined([ws.entity, ws.office, _plain(_d(today.isoformat(), code))], code))
    doc.heading(gettext_in(code, "SEA risk assessment: {subject}").format(subject=a["subject"]), 1)
    doc.paragraph(gettext_in(code, "{entity}, office {office}. Report of {date}.").format(
        entity=i18n.isolated(ws.entity, code), office=i18n.isolated(ws.office, code),
        date=i18n.isolated(_d(today.isoformat(), code), code)), "small")

    # ---- context
    doc.heading(gettext_in(code, "Context"), 2)
    previous = ws.records.get(model.ASSESSMENT, a["previous_id"]) if a["previous_id"] else None
    period = "—"
    if a["period_start"] or a["period_end"]:
        period = gettext_in(code, "{start} to {end}").format(start=_d(a["period_start"], code), end=_d(a["period_end"], code))
    rows = [
        (gettext_in(code, "Kind"), t(model.SUBJECT_KINDS[a["subject_kind"]])),
        (gettext_in(code, "Operation, programme or site"), a["subject"]),
        (gettext_in(code, "Location"), a["location"] or "—"),
        (gettext_in(code, "Period"), period),
        (gettext_in(code, "Kind of programme"), a["programme_kind"] or "—"),
        (gettext_in(code, "Beneficiaries"), a["beneficiaries"] or "—"),
        (gettext_in(code, "Partners present"), a["partners_present"] or "—"),
        (gettext_in(code, "Distributions"), t(model.DISTRIBUTIONS[a["distributions"]])),
        (gettext_in(code, "IASC SEA Risk Overview level of the country"), t(model.IASC_LEVELS[a["iasc_level"]])),
        (gettext_in(code, "Assessed by"), a["assessed_by"] or "—"),
        (gettext_in(code, "Assessed on"), _d(a["assessed_on"], code)),
        (gettext_in(code, "Previous assessment"), _d(previous["assessed_on"], code) if previous else "—"),
        (gettext_in(code, "Follow-up visits"), number(len(visits), code)),
    ]
    doc.table([list(r) for r in rows], col_widths=[170, 300], header=False)
    if a["notes"]:
        doc.paragraph(a["notes"])

    # ---- heat map
    doc.heading(gettext_in(code, "Heat map"), 2)
    doc.paragraph(gettext_in(code, "Number of risks in each cell, after the re-ratings of follow-up visits. Likelihood "
                    "increases along the bottom, impact upwards."), "small")
    doc.drawing(heat_map_drawing(overview.heat_counts(risks), code))
    m = scoring.matrix()
    doc.paragraph(" · ".join(gettext_in(code, "{band}: score {low} to {high}").format(
        band=b.label(code), low=number(b.low, code), high=number(b.high, code)) for b in m.bands), "small")

    # ---- register (on a new page: the context and the heat map fill the first one)
    doc.page_break()
    doc.heading(gettext_in(code, "Risk register"), 2)
    ranked = sorted(risks, key=lambda r: (-r.score, -r.impact))
    reg = [[gettext_in(code, "Category"), gettext_in(code, "Risk factor"), gettext_in(code, "Likelihood"), gettext_in(code, "Impact"), gettext_in(code, "Score and band"), gettext_in(code, "Trend")]]
    for r in ranked:
        points = followup.trend(ws, r.id)
        direction = followup.trend_direction(points)
        trend = {-1: gettext_in(code, "better"), 0: gettext_in(code, "unchanged"), 1: gettext_in(code, "worse")}[direction]
        if len(points) > 1:  # the score at the assessment and after each follow-up visit
            arrow = " ← " if is_rtl(code) else " → "
            trend = f"{trend}: " + arrow.join(number(p.score, code) for p in points)
        reg.append([factors.category_label(r.category, code), r.text(code), number(r.likelihood, code),
                    number(r.impact, code), f"{number(r.score, code)} · {r.band.label(code)}", trend])
    doc.table(reg, col_widths=[66, 150, 52, 44, 62, 96], numeric_columns=[2, 3])

    # ---- mitigation plan
    doc.heading(gettext_in(code, "Mitigation plan"), 2)
    plan = [[gettext_in(code, "Risk factor"), gettext_in(code, "Action"), gettext_in(code, "Owner"), gettext_in(code, "Due"), gettext_in(code, "Status"), gettext_in(code, "Evidence")]]
    for r in ranked:
        for mm in r.measures:
            status = t(model.MEASURE_STATUSES[mm["status"]])
            if measures.is_overdue(mm, today):
                status = gettext_in(code, "{status}, overdue").format(status=status)
            plan.append([r.text(code), mm["action"], mm["owner"] or "—", _d(mm["due_on"], code), status,
                         mm["evidence"] or "—"])
    if len(plan) > 1:
        doc.table(plan, col_widths=[100, 125, 60, 62, 58, 65])
    else:
        doc.paragraph(gettext_in(code, "No mitigation measures recorded."))

    # ---- visits
    doc.heading(gettext_in(code, "Follow-up visits"), 2)
    if visits:
        rerated = dict(ws.connection.execute(
            "SELECT visit_id, COUNT(*) FROM risk_rerating WHERE deleted = 0 GROUP BY visit_id").fetchall())
        vrows = [[gettext_in(code, "Visited on"), gettext_in(code, "Visited by"), gettext_in(code, "Findings"), gettext_in(code, "Factors re-rated")]]
        for v in visits:
            vrows.append([_d(v["visited_on"], code), v["visited_by"] or "—", v["findings"] or "—",
                          number(rerated.get(v["id"], 0), code)])
        doc.table(vrows, col_widths=[70, 100, 230, 60], numeric_columns=[3])
    else:
        doc.paragraph(gettext_in(code, "No follow-up visit recorded yet."))
    return doc


def write_report(ws: Workspace, assessment_id: str, path: str | Path, code: str,
                 today: dt.date | None = None) -> bytes:
    """Render the report in language `code` and write it where the user asked."""
    return build_report(ws, assessment_id, code, today).build(path)
