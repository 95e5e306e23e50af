"""Step 2 of an import: check every row of the file with the chosen mapping and date order.

`check` streams the file again and runs the row rules (`rows`) on each data row, collecting the
refused rows with their spreadsheet row numbers, the accepted people and completions, and the new
courses, into a `Plan` that `commit` writes only if no row was refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.roster.importing.analysis import Analysis
from desktop.roster.importing.courses import course_resolver
from desktop.roster.importing.mapping import NAME_PARTS, missing_required, unused_columns
from desktop.roster.importing.plan import NEW_COURSE, Plan
from desktop.roster.importing.rows import check_row
from desktop.roster.importing.synonyms import category_synonyms
from desktop.roster.model import CATEGORIES
from desktop.spreadsheet.columns import value_words
from desktop.spreadsheet.problems import MAX_ROWS, ImportProblem, RowProblem
from desktop.spreadsheet.rows import cell_reader, data_rows
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


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
    categories = value_words(category_synonyms(), CATEGORIES)
    plan = Plan(source_name=analysis.source.path.name, unused_columns=unused_columns(analysis.headers, mapping))
    course_map = course_resolver(ws, plan)
    seen_keys: dict[str, tuple[int, str]] = {}       # person key -> (first row, folded name)
    seen_completion: dict[tuple[str, str, str], int] = {}
    index_owner: dict[str, str] = {}                  # index number -> key; email -> key
    email_owner: dict[str, str] = {}
    today = dt.date.today()
    cell = cell_reader(mapping)
    cell.has_parts = any(part in mapping for part in NAME_PARTS)  # type: ignore[attr-defined]

    for line, row in data_rows(analysis, mapping, max_rows=max_rows, progress=progress, cancel=cancel):
        plan.rows += 1
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
