"""Step 1 of a roster import: the shared analysis (`desktop.spreadsheet.analysis`) with the roster's
columns and dates: the file read once, its mapping guessed, its rows counted and previewed, and the
day/month order of its dates decided or left for the user to choose.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.roster.importing.mapping import DATE_FIELDS, guess_mapping, missing_required
from desktop.spreadsheet import analysis as _shared
from desktop.spreadsheet.analysis import PREVIEW_ROWS
from desktop.spreadsheet.problems import MAX_ROWS
from i18n import _

__all__ = ["PREVIEW_ROWS", "Analysis", "analyse"]


class Analysis(_shared.Analysis):
    def missing_required(self) -> list[str]:
        return missing_required(self.mapping)


def analyse(path: Path | str, *, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None, max_rows: int = MAX_ROWS) -> Analysis:
    """`max_rows`: the row limit (the public `desktop.roster.importer.analyse` passes its MAX_ROWS)."""
    return _shared.analyse(
        path, guess_mapping, DATE_FIELDS, cancel=cancel, progress=progress, max_rows=max_rows, kind=Analysis,
        no_headers=_("The first row does not look like column headings (name, index number, e-mail...). "
                     "Add a header row and retry."))
