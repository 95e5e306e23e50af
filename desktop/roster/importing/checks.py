"""Step 2 of an import: check every row of the file with the chosen mapping and date order.

`check` streams the file again and runs the row rules (`rows`) on each data row, collecting the
refused rows with their spreadsheet row numbers, the accepted people and completions, and the new
courses, into a `Plan` that `commit` writes only if no row was refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.roster.course_titles import fold
from desktop.roster.importing.analysis import Analysis
from desktop.roster.importing.courses import course_resolver
from desktop.roster.importing.mapping import NAME_PARTS, missing_required, unused_columns
from desktop.roster.importing.plan import NEW_COURSE, Plan
from desktop.roster.importing.problems import (
    MAX_ROWS,
    ImportCancelled,
    ImportProblem,
    RowProblem,
    too_many_rows,
)
from desktop.roster.importing.rows import check_row
from desktop.roster.importing.synonyms import category_synonyms
from desktop.roster.model import CATEGORIES
from i18n import LANGUAGE_CODES, _, gettext_in

if TYPE_CHECKING:
    from storage import Workspace


def _value_map(synonyms: dict[str, tuple[str, ...]], labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Folded word -> code: the synonyms first (in their order), then the codes, then the labels in the
    six languages; the first code to claim a word keeps it."""
    out: dict[str, str] = {}
    for code, words in synonyms.items():
        for w in words:
            out.setdefault(fold(w), code)
        out.setdefault(fold(code), code)
    for code, label in labels:
        for lang in LANGUAGE_CODES:
            out.setdefault(fold(gettext_in(lang, label)), code)
    return out


def check(ws: Workspace, analysis: Analysis, mapping: dict[str, int] | None = None, date_order: str | None = None,
          *, progress: Callable[[float], None] | None = None, cancel: Callable[[], bool] | None = None,
          max_rows: int = MAX_ROWS) -> Plan:
    """Validate every row. Course titles this workspace does not know become `plan.new_courses`
    (with the kind of a known course when recognised): give the others a kind with
    `plan.set_course_kinds` before `commit`, or they arrive as not yet classified.
    `max_rows`: the row limit (the public `desktop.roster.importer.check` passes its MAX_ROWS)."""
    mapping = dict(analysis.mapping if mapping is None else mapping)
    missing = missing_required(mapping)
    if missing:
        raise ImportProblem(_("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
    order = date_order or analysis.date_order
    categories = _value_map(category_synonyms(), CATEGORIES)
    plan = Plan(source_name=analysis.source.path.name, unused_columns=unused_columns(analysis.headers, mapping))
    course_map = course_resolver(ws, plan)
    seen_keys: dict[str, tuple[int, str]] = {}       # person key -> (first row, folded name)
    seen_completion: dict[tuple[str, str, str], int] = {}
    index_owner: dict[str, str] = {}                  # index number -> key; email -> key
    email_owner: dict[str, str] = {}
    rows = analysis.source.rows()
    header_skipped = False
    line = 0
    today = dt.date.today()
    total = max(analysis.rows, 1)
    ncols = max(mapping.values()) + 1

    def cell(row: list[Any], code: str) -> Any:
        col = mapping.get(code)
        if col is None or col >= len(row):
            return ""
        value = row[col]
        return value.strip() if isinstance(value, str) else value

    cell.has_parts = any(part in mapping for part in NAME_PARTS)  # type: ignore[attr-defined]

    for row in rows:
        line += 1
        if not any(str(c).strip() for c in row):
            continue
        if not header_skipped:
            header_skipped = True
            continue
        plan.rows += 1
        if plan.rows > max_rows:
            raise too_many_rows(max_rows)
        if plan.rows % 2000 == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(plan.rows / total)
        if len(row) < ncols:
            row = list(row) + [""] * (ncols - len(row))
        reason = check_row(row, cell, plan, categories, course_map, order, today, seen_keys, seen_completion,
                           index_owner, email_owner, line)
        if reason:
            plan.problems.append(RowProblem(line, reason))
    for _key, course_id, _iso, _cert in plan.completions:
        if course_id.startswith(NEW_COURSE):
            plan.new_courses[course_id[len(NEW_COURSE):]].completions += 1
    plan.new_courses = {k: c for k, c in plan.new_courses.items() if c.completions}
    if progress is not None:
        progress(1.0)
    return plan
