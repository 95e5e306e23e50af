"""The command line's side of an import, the same for every importer: the options (`--json`,
`--dry-run`, the day/month order) and the report (summary, what else to know, each refused row)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from i18n import _

if TYPE_CHECKING:   # not imported at start-up: the commands import the importers when they run
    from desktop.spreadsheet.steps import Result

SHOWN_PROBLEMS = 200


def import_options(p: argparse.ArgumentParser, *, dates: bool = True) -> None:
    """FILE, --json, --dry-run and (for files with dates) --day-first / --month-first."""
    p.add_argument("file", type=Path, help=_("the CSV or XLSX file to import"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("--dry-run", action="store_true", help=_("check the file without importing it"))
    if dates:
        order = p.add_mutually_exclusive_group()
        order.add_argument("--day-first", dest="date_order", action="store_const", const="dmy",
                           help=_("dates like 03/04/2024 are day/month/year"))
        order.add_argument("--month-first", dest="date_order", action="store_const", const="mdy",
                           help=_("dates like 03/04/2024 are month/day/year"))


def report(result: Result, *, as_json: bool) -> int:
    """Print what an import did (stdout when it was done or checked, else stderr): 0 done or checked, 1 not."""
    ok = result.status in ("done", "checked")
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0 if ok else 1
    stream = sys.stdout if ok else sys.stderr
    print(result.summary(), file=stream)
    for line in result.details():
        print(line, file=stream)
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(_("row {row}: {reason}").format(row=problem.row, reason=problem.reason), file=stream)
    if len(result.problems) > SHOWN_PROBLEMS:
        print(_("… and {n} more rows.").format(n=len(result.problems) - SHOWN_PROBLEMS), file=stream)
    if result.status == "ambiguous":
        print(_("Run the command again with --day-first or --month-first."), file=stream)
    return 0 if ok else 1
