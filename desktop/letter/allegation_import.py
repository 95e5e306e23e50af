"""Importing the year's allegation counts from a spreadsheet (CSV or XLSX), all or nothing, through the
shared import (`desktop.spreadsheet`) and the window's shared wizard.

The counts are the letter's (`allegations.py`): per year, a number by category of the alleged
perpetrator, status and the body the allegations were referred to; no names. One row of the file is
one such number. The year is the one being imported (the letter page's year, `--year` on the command
line); a Year column, when the file has one, must say the same year on every row. Headers and values
are recognised in the six languages (`data/allegation_words.json`).

Each row sets its count as the allegations form does (`allegations.set_count`): a count already
recorded for the same category, status and body is replaced, 0 removes it, and the counts of the
year that the file does not name are left as they are. Importing the same file again writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.letter import allegations as A
from desktop.spreadsheet import analysis as _analysis
from desktop.spreadsheet.columns import guess_columns, unused_columns, unused_sentence, value_words
from desktop.spreadsheet.problems import ImportCancelled, ImportProblem, RowProblem
from desktop.spreadsheet.rows import cell_reader, data_rows
from desktop.spreadsheet.steps import ON_IMPORT, WILL, Outcome, Steps
from desktop.spreadsheet.steps import run as _run
from desktop.spreadsheet.words import cell_text, fold, load_words, word_lists
from i18n import N_, _
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

WORDS = Path(__file__).resolve().parent / "data" / "allegation_words.json"
# At most one row per category, status and body: a few hundred rows even with a Year column.
MAX_ROWS = 5_000

FIELDS: tuple[tuple[str, str], ...] = (
    ("category", N_("Category")),
    ("status", N_("Status")),
    ("referred_to", N_("Referred to")),
    ("count", N_("Number")),
    ("year", N_("Year")),
)
REQUIRED = ("category", "status", "count")

Key = tuple[str, str, str]    # (category, status, referred_to)


def field_label(code: str) -> str:
    return _(dict(FIELDS)[code])


@cache
def _words() -> dict[str, Any]:
    return load_words(WORDS)


@cache
def value_maps() -> dict[str, dict[str, str]]:
    """field -> folded word -> code, for the category, status and body cells."""
    data = _words()
    return {"category": value_words(word_lists(data["categories"]), tuple(A.CATEGORY_LABELS.items())),
            "status": value_words(word_lists(data["statuses"]), tuple(A.STATUS_LABELS.items())),
            "referred_to": value_words(word_lists(data["bodies"]), tuple(A.BODY_LABELS.items()))}


def guess_mapping(headers: list[str]) -> dict[str, int]:
    return guess_columns(headers, FIELDS, word_lists(_words()["headers"]))


def missing_required(mapping: dict[str, int]) -> list[str]:
    return [field_label(code) for code in REQUIRED if code not in mapping]


def analyse(path: Path | str, *, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None) -> _analysis.Analysis:
    return _analysis.analyse(
        path, guess_mapping, (), cancel=cancel, progress=progress, max_rows=MAX_ROWS,
        no_headers=_("The first row does not look like column headings (category, status, number...). "
                     "Add a header row and retry."))


@dataclass
class Plan:
    year: int
    rows: int = 0
    counts: dict[Key, tuple[int, int]] = field(default_factory=dict)    # key -> (count, row)
    problems: list[RowProblem] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    changes: Changes | None = None


@dataclass
class Changes:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    total_after: int = 0       # the year's total once imported
    states: dict[Key, str] = field(default_factory=dict)   # "added" | "updated" | "unchanged" | "removed"


class _Refused(Exception):
    pass


def _read_row(row: list[Any], cell: Callable[[list[Any], str], Any], year: int) -> tuple[Key, int]:
    maps = value_maps()
    codes = []
    for code in ("category", "status", "referred_to"):
        text = cell_text(cell(row, code))
        if not text:
            if code == "referred_to":
                codes.append("")
                continue
            raise _Refused(_("{column} is empty.").format(column=field_label(code)))
        found = maps[code].get(fold(text))
        if found is None:
            raise _Refused(_("{column}: “{value}” is not one of the choices.").format(column=field_label(code),
                                                                                    value=text[:60]))
        codes.append(found)
    year_text = cell_text(cell(row, "year"))
    if year_text and year_text != str(year):
        raise _Refused(_("The row is for the year {row_year}, not {year}.").format(row_year=year_text[:12], year=year))
    text = cell_text(cell(row, "count"))
    if not text:
        raise _Refused(_("{column} is empty.").format(column=field_label("count")))
    try:
        count = int(text)
    except ValueError:
        raise _Refused(_("The number of allegations must be a whole number.")) from None
    if not 0 <= count <= A.MAX_COUNT:
        raise _Refused(_("The number of allegations must be between 0 and {maximum}.").format(
            maximum=number(A.MAX_COUNT)))
    return (codes[0], codes[1], codes[2]), count


def check(ws: Workspace, analysis: _analysis.Analysis, mapping: dict[str, int] | None = None,
          date_order: str | None = None, *, year: int, progress: Callable[[float], None] | None = None,
          cancel: Callable[[], bool] | None = None) -> Plan:
    """Every row for `year`: a plan, or the rows refused with their reasons; then what it would change."""
    del date_order   # counts have no dates
    mapping = dict(analysis.mapping if mapping is None else mapping)
    missing = missing_required(mapping)
    if missing:
        raise ImportProblem(_("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
    if not 2000 <= int(year) <= 2100:
        raise ImportProblem(_("The year must be between 2000 and 2100."))
    plan = Plan(int(year), unused_columns=unused_columns(analysis.headers, mapping))
    cell = cell_reader(mapping)
    for line, row in data_rows(analysis, mapping, max_rows=MAX_ROWS, progress=progress, cancel=cancel, every=500):
        plan.rows += 1
        try:
            key, count = _read_row(row, cell, plan.year)
            seen = plan.counts.get(key)
            if seen is not None:
                raise _Refused(_("Duplicate of row {row}.").format(row=seen[1]) if seen[0] == count else _(
                    "Same category, status and body as row {row}, but another number.").format(row=seen[1]))
        except _Refused as exc:
            plan.problems.append(RowProblem(line, str(exc)))
            continue
        plan.counts[key] = (count, line)
    if not plan.problems:
        plan.changes = changes(ws, plan)
    return plan


def _recorded(ws: Workspace, year: int) -> dict[Key, int]:
    return {(c, s, b): int(n) for c, s, b, n in ws.connection.execute(
        "SELECT category, status, referred_to, count FROM allegation_count WHERE deleted = 0 AND office = ?"
        " AND year = ?", (ws.office, year))}


def changes(ws: Workspace, plan: Plan) -> Changes:
    recorded = _recorded(ws, plan.year)
    out = Changes()
    for key, (count, _line) in plan.counts.items():
        before = recorded.get(key)
        state = ("added" if count else "unchanged") if before is None else (
            "removed" if count == 0 else "unchanged" if count == before else "updated")
        out.states[key] = state
        setattr(out, state, getattr(out, state) + 1)
    after = {**recorded, **{k: c for k, (c, _line) in plan.counts.items()}}
    # the letter's total counts every office of the workspace; this import changes only this office's
    others = A.summary(ws, plan.year).total - sum(recorded.values())
    out.total_after = others + sum(after.values())
    return out


def _counts(c: Changes) -> dict[str, int]:
    return {"added": c.added, "updated": c.updated, "unchanged": c.unchanged, "removed": c.removed}


def _notes(plan: Plan, c: Changes) -> list[str]:
    lines = [_("Counts of {year} that the file does not name are kept as they are; a count of 0 removes one.").format(
                 year=plan.year),
             _("Allegations received in {year}: {total}").format(year=plan.year, total=number(c.total_after))]
    unused = unused_sentence(plan.unused_columns)
    if unused:
        lines.append(unused)
    return lines


def preview(plan: Plan) -> list[str]:
    c = plan.changes or Changes()
    return [_("All {rows} rows can be imported for {year}: {added} counts added, {updated} changed, {unchanged} "
              "unchanged, {removed} removed.").format(rows=number(plan.rows), year=plan.year,
                                                      **{k: number(v) for k, v in _counts(c).items()}),
            *_notes(plan, c)]


def table(plan: Plan) -> tuple[list[str], list[list[str]]]:
    """The preview's table: each count of the file and what the import does with it."""
    states = plan.changes.states if plan.changes else {}
    rows = [[_(A.CATEGORY_LABELS[c]), _(A.STATUS_LABELS[s]), _(A.BODY_LABELS[b]), number(count),
             _(WILL[states.get((c, s, b), "unchanged")])] for (c, s, b), (count, _line) in plan.counts.items()]
    return [field_label("category"), field_label("status"), field_label("referred_to"), field_label("count"),
            _(ON_IMPORT)], rows


def commit(ws: Workspace, plan: Plan, *, progress: Callable[[float], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> Outcome:
    """Set every count of the plan in one transaction (`allegations.set_count`, as the form does)."""
    if plan.problems:
        raise ImportProblem(_("The file has rows that cannot be imported; nothing was imported."))
    with ws.transaction():
        c = changes(ws, plan)
        recorded = _recorded(ws, plan.year)
        todo = [(key, count) for key, (count, _line) in plan.counts.items() if recorded.get(key, 0) != count]
        for n, ((category, status, body), count) in enumerate(todo):
            A.set_count(ws, plan.year, category, status, body, count)
            if progress is not None:
                progress((n + 1) / len(todo))
            if cancel is not None and cancel():
                raise ImportCancelled()
    n = _counts(c)
    return Outcome("done", _("{rows} rows imported for {year}: {added} counts added, {updated} changed, {unchanged} "
                             "unchanged, {removed} removed.").format(rows=number(plan.rows), year=plan.year,
                                                                     **{k: number(v) for k, v in n.items()}),
                   rows=plan.rows, lines=_notes(plan, c)[1:], counts={"year": plan.year, **n})


def steps(year: int) -> Steps:
    """The import of `year`'s counts, for the wizard and `run`."""
    return Steps(title=N_("Import allegation counts"), fields=FIELDS, analyse=analyse,
                 missing_required=missing_required, check=partial(check, year=year), preview=preview,
                 commit=commit, file_title=N_("Import allegation counts"), table=table)


def import_file(ws: Workspace, path: Path | str, year: int, *, dry_run: bool = False,
                progress: Callable[[float], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> Outcome:
    """Analyse, check and (unless dry_run) commit a file of `year`'s counts; never raises for bad input."""
    return _run(steps(year), ws, path, dry_run=dry_run, progress=progress, cancel=cancel)  # type: ignore[return-value]
