"""Step 1 of an import: read the file once and say what it holds before anything is checked.

`analyse` opens the file as a stream, takes the first non-empty row as the headers, guesses the
mapping (the importer's `guess`), counts the data rows (refusing more than the limit), keeps a
preview and looks at every date cell to decide day/month order, or to say that the user must choose it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from desktop.spreadsheet.dates import order_evidence
from desktop.spreadsheet.problems import MAX_ROWS, ImportCancelled, ImportProblem, too_many_rows
from desktop.spreadsheet.reading import Source, open_source
from desktop.spreadsheet.words import clean_text
from i18n import _

PREVIEW_ROWS = 20


@dataclass
class Analysis:
    source: Source
    headers: list[str]
    mapping: dict[str, int]             # field code -> column number
    rows: int                           # data rows (without the header)
    preview: list[list[str]]
    date_order: str | None              # "dmy" | "mdy" | None (no numeric dates, or not decided)
    ambiguous_dates: bool               # True: ask the user for the order before checking
    warnings: list[str] = field(default_factory=list)


A = TypeVar("A", bound=Analysis)


def analyse(path: Path | str, guess: Callable[[list[str]], dict[str, int]], date_fields: Iterable[str], *,
            no_headers: str, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None, max_rows: int = MAX_ROWS,
            kind: type[A] = Analysis) -> A:  # type: ignore[assignment]
    """`guess(headers)`: the importer's mapping; `date_fields`: the fields whose cells decide the day/month
    order; `no_headers`: the refusal when no header names a field (it says what the headers should be);
    `kind`: the Analysis class to return (an importer's own subclass)."""
    source = open_source(path)
    rows = source.rows()
    headers: list[str] | None = None
    for row in rows:
        if any(str(c).strip() for c in row):
            headers = [clean_text(str(c))[0] for c in row]
            break
    if headers is None:
        raise ImportProblem(_("The file has no rows."))
    mapping = guess(headers)
    if not mapping:
        raise ImportProblem(no_headers)
    date_cols = [mapping[f] for f in date_fields if f in mapping]
    day_first = month_first = ambiguous = False
    preview: list[list[str]] = []
    count = 0
    size = max(source.path.stat().st_size, 1)
    for row in rows:
        if not any(str(c).strip() for c in row):
            continue
        count += 1
        if count > max_rows:
            raise too_many_rows(max_rows)
        if len(preview) < PREVIEW_ROWS:
            preview.append([_cell_text(c) for c in row])
        for col in date_cols:
            if col < len(row):
                d, m, a = order_evidence(row[col])
                day_first |= d
                month_first |= m
                ambiguous |= a
        if count % 5000 == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None and source.kind == "csv":
                progress(min(count * 80 / size, 0.99))  # rough: about 80 bytes a row
    if count == 0:
        raise ImportProblem(_("The file has a header row but no data."))
    order = "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None
    warnings = []
    if day_first and month_first:
        warnings.append(_("Some dates have the day first and others the month first; rows that do not "
                          "match the order you choose will be rejected."))
    return kind(source, headers, mapping, count, preview, order,
                ambiguous_dates=(order is None and (ambiguous or (day_first and month_first))),
                warnings=warnings)


def _cell_text(value: Any) -> str:
    """A cell as the preview shows it: dates as ISO, text cleaned as names are."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value))[0]
