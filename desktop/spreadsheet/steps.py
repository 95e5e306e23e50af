"""What an importer offers the window's wizard (`ui/import_wizard.py`) and the command line, and the
outcome both show.

An importer is a `Steps`: its columns, and its three steps: `analyse` (read the file once, guess the
columns), `check` (every row, with the columns and date order the user confirmed: a plan, or the
rows that cannot be imported with their row numbers and reasons) and `commit` (the plan in one
transaction: all or nothing). `preview` says, before anything is written, what the commit will do.
`run` is the same three steps without a window (the command line, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desktop.spreadsheet.analysis import Analysis
from desktop.spreadsheet.columns import Fields
from desktop.spreadsheet.problems import ImportCancelled, ImportProblem, RowProblem, rows_refused
from i18n import N_, _

if TYPE_CHECKING:
    from storage import Workspace


# What an import will do to one record, in the preview's table (`Steps.table`), under ON_IMPORT.
ON_IMPORT = N_("On import")
WILL = {"added": N_("will be added"), "updated": N_("will be updated"), "unchanged": N_("stays as it is"),
        "removed": N_("will be removed")}


class Checked(Protocol):
    """What `check` returns: the data rows read, and the rows that cannot be imported."""
    rows: int
    problems: list[RowProblem]


class Result(Protocol):
    """What `commit` returns (an `Outcome`, or the roster's ImportResult)."""
    status: str
    problems: list[RowProblem]

    def summary(self) -> str: ...

    def details(self) -> list[str]: ...

    def as_dict(self) -> dict[str, Any]: ...


Progress = Callable[[float], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class Steps:
    title: str                                                        # N_(): the wizard's title
    fields: Fields                                                    # the columns the wizard lists
    analyse: Callable[..., Analysis]                                  # (path, *, cancel, progress)
    missing_required: Callable[[dict[str, int]], list[str]]           # translated, [] when importable
    check: Callable[..., Checked]                                     # (ws, analysis, mapping, order, *, progress, cancel)
    preview: Callable[[Any], list[str]]                               # plan -> sentences before the import
    commit: Callable[..., Result]                                     # (ws, plan, *, progress, cancel)
    file_title: str = ""                                              # N_(): the file chooser's title
    # plan -> (headers, rows): what the import will do, row by row, shown under the preview (optional)
    table: Callable[[Any], tuple[list[str], list[list[str]]]] | None = None

    def field_label(self, code: str) -> str:
        return _(dict(self.fields)[code])


@dataclass
class Outcome:
    """What an import did or would do, as the window, the command line and JSON show it."""
    status: str               # "done" | "checked" | "ambiguous" | "invalid" | "refused" | "cancelled"
    message: str = ""
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)      # what else to know, one sentence each
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.status == "invalid":
            return rows_refused(len(self.problems))
        return self.message

    def details(self) -> list[str]:
        return list(self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.summary(), "details": self.details(), "rows": self.rows,
                **self.counts, "problems": [{"row": p.row, "reason": p.reason} for p in self.problems]}


def ambiguous_dates() -> str:
    return _("The dates in this file could be day/month or month/day. Say which order the file uses.")


def run(steps: Steps, ws: Workspace, path: Path | str, *, date_order: str | None = None, dry_run: bool = False,
        progress: Progress | None = None, cancel: Cancel | None = None) -> Result:
    """Analyse, check and (unless dry_run) commit a file with the columns guessed from its headers.
    Never raises for bad input: the status and message of the outcome say what happened; nothing is
    written unless the status is "done"."""
    try:
        analysis = steps.analyse(path, cancel=cancel)
        if analysis.ambiguous_dates and date_order is None:
            return Outcome("ambiguous", ambiguous_dates(), rows=analysis.rows)
        plan = steps.check(ws, analysis, None, date_order, progress=progress, cancel=cancel)
        if plan.problems:
            return Outcome("invalid", rows=plan.rows, problems=plan.problems)
        if dry_run:
            return Outcome("checked", _("The file can be imported."), rows=plan.rows, lines=steps.preview(plan))
        return steps.commit(ws, plan, progress=progress, cancel=cancel)
    except ImportProblem as exc:
        return Outcome("refused", str(exc))
    except ImportCancelled:
        return Outcome("cancelled", _("The import was cancelled; nothing was imported."))
