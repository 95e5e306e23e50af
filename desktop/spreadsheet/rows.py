"""The data rows of step 2, as every importer's check reads them: streamed again from the file, with
the row number a spreadsheet shows (the header is row 1), the row limit, progress and cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from desktop.spreadsheet.analysis import Analysis
from desktop.spreadsheet.problems import MAX_ROWS, ImportCancelled, too_many_rows

# cell(row, field code) -> the cell's value, stripped when it is text ("" when the field is not mapped).
Cell = Callable[[list[Any], str], Any]


def cell_reader(mapping: dict[str, int]) -> Cell:
    def cell(row: list[Any], code: str) -> Any:
        col = mapping.get(code)
        if col is None or col >= len(row):
            return ""
        value = row[col]
        return value.strip() if isinstance(value, str) else value

    return cell


def data_rows(analysis: Analysis, mapping: dict[str, int], *, max_rows: int = MAX_ROWS,
              progress: Callable[[float], None] | None = None, cancel: Callable[[], bool] | None = None,
              every: int = 2000) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells padded to the mapped columns) of every non-empty row after the header.
    Raises ImportProblem past `max_rows`, ImportCancelled when `cancel()` says so (checked every
    `every` rows); reports progress at the same pace, and 1.0 at the end."""
    total = max(analysis.rows, 1)
    ncols = max(mapping.values(), default=-1) + 1
    header_skipped = False
    line = count = 0
    for row in analysis.source.rows():
        line += 1
        if not any(str(c).strip() for c in row):
            continue
        if not header_skipped:
            header_skipped = True
            continue
        count += 1
        if count > max_rows:
            raise too_many_rows(max_rows)
        if count % every == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(count / total)
        if len(row) < ncols:
            row = list(row) + [""] * (ncols - len(row))
        yield line, row
    if progress is not None:
        progress(1.0)
