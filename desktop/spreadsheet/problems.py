"""What stops an import, shared by every step: one module, so that the steps raise the same types and
the window and the command line catch one set, without the steps importing each other for them.
Every importer (roster, partners, allegation counts) raises these."""

from __future__ import annotations

from dataclasses import dataclass

from i18n import _, ngettext
from i18n.formatting import number

# Data rows per file. Counted while streaming (analysis and checks), so a bigger file is refused
# without being held in memory; `desktop.roster.importer.MAX_ROWS` is the value the roster's steps are given.
MAX_ROWS = 250_000


class ImportProblem(Exception):
    """The file as a whole cannot be imported; str() is a translated sentence that says why."""


class ImportCancelled(Exception):
    pass


@dataclass
class RowProblem:
    row: int      # as a spreadsheet numbers it: the header is row 1
    reason: str   # translated


def too_many_rows(limit: int) -> ImportProblem:
    """The refusal of a file with more than `limit` data rows (the analysis and the check say the same)."""
    return ImportProblem(_("The file has more than {limit} rows. Split it into smaller files and import "
                           "them one after the other.").format(limit=number(limit)))


def rows_refused(count: int) -> str:
    """The summary of an import some rows of which cannot be imported (all or nothing)."""
    return ngettext("{n} row cannot be imported; nothing was imported.",
                    "{n} rows cannot be imported; nothing was imported.", count).format(n=count)
