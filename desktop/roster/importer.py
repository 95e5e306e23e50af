"""Importing HR and LMS exports (CSV or XLSX) into the roster, all or nothing.

Steps, each usable alone (the window's wizard) or through `import_file` (command line, tests):
1. `analyse(path)`: read the file as a stream, detect encoding and delimiter, guess the column mapping
   from the headers (six languages), look at every date to decide day/month order, keep a preview.
2. `check(...)`: validate every row with the chosen mapping and date order; the result lists each
   rejected row (row number as a spreadsheet shows it, and a translated reason).
3. `commit(ws, plan)`: one transaction: people matched by index number, then e-mail, are updated;
   new people are added; completions already recorded are skipped. The same file twice adds nothing.

Limits: MAX_ROWS data rows and MAX_BYTES per file are refused with a message, counted while
streaming (the file is never read whole into memory). One row is one person, optionally with one
completion (LMS exports repeat a person on several rows, one per course).

This module is the importer's public face, kept so that the window, the command line, the benchmarks
and the tests need not know how it is built: the work is done in `desktop.roster.importing`, one
module per step (reading, dates, mapping, analysis, checks, commit), with the header and category
words in `data/headers.json`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.roster.importing import analysis as _analysis
from desktop.roster.importing import checks as _checks
from desktop.roster.importing import synonyms as _synonyms
from desktop.roster.importing.analysis import PREVIEW_ROWS, Analysis
from desktop.roster.importing.commit import commit
from desktop.roster.importing.mapping import (
    DATE_FIELDS,
    FIELD_CODES,
    FIELDS,
    NAME_PARTS,
    field_label,
    guess_mapping,
    missing_required,
    unused_columns,
)
from desktop.roster.importing.plan import NEW_COURSE, NewCourse, Plan
from desktop.roster.importing.result import ImportResult, describe
from desktop.roster.importing.rows import MAX_TEXT, plan_has_parts
from desktop.spreadsheet.dates import BadDate, parse_date
from desktop.spreadsheet.problems import MAX_ROWS, ImportCancelled, ImportProblem, RowProblem
from desktop.spreadsheet.reading import (
    MAX_BYTES,
    XLSX_MAX_PART,
    XLSX_MAX_PARTS,
    XLSX_MAX_SHARED_STRINGS,
    XLSX_MAX_TOTAL,
    Source,
    open_source,
)
from desktop.spreadsheet.steps import Steps
from i18n import N_, _, ngettext
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

__all__ = [
    "DATE_FIELDS", "FIELDS", "FIELD_CODES", "MAX_BYTES", "MAX_ROWS", "MAX_TEXT", "NAME_PARTS", "NEW_COURSE",
    "PREVIEW_ROWS", "XLSX_MAX_PART", "XLSX_MAX_PARTS", "XLSX_MAX_SHARED_STRINGS", "XLSX_MAX_TOTAL",
    "Analysis", "BadDate", "ImportCancelled", "ImportProblem", "ImportResult", "NewCourse", "Plan", "RowProblem",
    "Source", "analyse", "check", "commit", "describe", "field_label", "guess_mapping", "import_file",
    "missing_required", "open_source", "parse_date", "plan_has_parts", "preview", "unused_columns",
    "STEPS",
]


# analyse and check read MAX_ROWS from this module at each call (not the parts' own default), so that
# lowering `importer.MAX_ROWS` (as a test does) limits both steps, as when they lived here.
def analyse(path: Path | str, *, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None) -> Analysis:
    return _analysis.analyse(path, cancel=cancel, progress=progress, max_rows=MAX_ROWS)


def check(ws: Workspace, analysis: Analysis, mapping: dict[str, int] | None = None, date_order: str | None = None,
          *, progress: Callable[[float], None] | None = None, cancel: Callable[[], bool] | None = None) -> Plan:
    """Validate every row. Course titles this workspace does not know become `plan.new_courses`
    (with the kind of a known course when recognised): give the others a kind with
    `plan.set_course_kinds` before `commit`, or they arrive as not yet classified."""
    return _checks.check(ws, analysis, mapping, date_order, progress=progress, cancel=cancel, max_rows=MAX_ROWS)


def __getattr__(name: str) -> Any:
    # The synonym tables were constants of this module; they are data now (data/headers.json), read at
    # their first use rather than when the roster is imported.
    if name == "HEADER_SYNONYMS":
        return _synonyms.header_synonyms()
    if name == "CATEGORY_SYNONYMS":
        return _synonyms.category_synonyms()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def import_file(ws: Workspace, path: Path | str, *, mapping: dict[str, int] | None = None,
                date_order: str | None = None, dry_run: bool = False,
                course_kinds: dict[str, str] | None = None,
                progress: Callable[[float], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Analyse, check and (unless dry_run) commit a file. Never raises for bad input: the status
    and message of the result say what happened; nothing is written unless status is "done"."""
    try:
        analysis = analyse(path, cancel=cancel)
        if analysis.ambiguous_dates and date_order is None:
            return ImportResult("ambiguous", _("The dates in this file could be day/month or month/day. "
                                               "Say which order the file uses."), rows=analysis.rows,
                                analysis=analysis)
        plan = check(ws, analysis, mapping, date_order, progress=progress, cancel=cancel)
        if plan.problems:
            return ImportResult("invalid", rows=plan.rows, problems=plan.problems, analysis=analysis,
                                unused_columns=plan.unused_columns)
        unmatched = plan.set_course_kinds(course_kinds or {})
        if unmatched:
            return ImportResult("refused", _("No course of the file is called {titles}.").format(
                titles=", ".join(f"“{t}”" for t in unmatched)), rows=plan.rows, analysis=analysis,
                unused_columns=plan.unused_columns, new_courses=list(plan.new_courses.values()))
        if dry_run:
            return ImportResult("checked", _("The file can be imported."), rows=plan.rows, cleaned=plan.cleaned,
                                analysis=analysis, unused_columns=plan.unused_columns,
                                new_courses=list(plan.new_courses.values()))
        result = commit(ws, plan, cancel=cancel)
        result.analysis = analysis
        return result
    except ImportProblem as exc:
        return ImportResult("refused", str(exc))
    except ImportCancelled:
        return ImportResult("cancelled", _("The import was cancelled; nothing was imported."))


def preview(plan: Plan) -> list[str]:
    """What the wizard says before the import: rows, people and completions, names cleaned, columns
    left out (the new courses are shown apart, with what each counts as)."""
    text = _("All {rows} rows can be imported: {people} people, {completions} completions.").format(
        rows=number(plan.rows), people=number(len(plan.people)), completions=number(len(plan.completions)))
    if plan.cleaned:
        text += " " + ngettext(
            "Invisible control characters were removed from {n} name.",
            "Invisible control characters were removed from {n} names.", plan.cleaned).format(
            n=number(plan.cleaned))
    return [text, *describe(plan.unused_columns, [], done=False)]


# The roster's import in the window's wizard (ui/import_wizard.py): the module's functions, which read
# MAX_ROWS here at each call.
STEPS = Steps(title=N_("Import personnel or training completions"), fields=FIELDS, analyse=analyse,
              missing_required=missing_required, check=check, preview=preview, commit=commit,
              file_title=N_("Import personnel or training completions"))
