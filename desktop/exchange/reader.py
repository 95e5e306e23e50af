"""Reading a bundle's content as a stream of checked chunks, in bounded memory.

`checked_chunks(opened)` yields the sender's history versions, then its current rows, then its
files, a few thousand at a time, each row checked (identity, office, revision not in the future,
scalar values, text as the store keeps it: storage/text.py), each file checked against its digest
and against a row that names it. Counts are checked against the signed manifest as rows come (a
bundle cannot carry more than it declared, and declares at most MAX_ROWS), and, at the end of the
stream, the content's SHA-256 (content.py). So a chunk is only *tentatively* good: the merge writes
chunks inside one transaction and rolls it back if the stream ends in an error (merge.py).

Memory stays bounded whatever the bundle holds: a chunk, the rows naming files (at most
MAX_FILE_ROWS) and the counts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.exchange import bundle, files
from desktop.exchange.errors import (
    ForeignRecords,
    FutureRevision,
    MalformedBundle,
    TooManyRows,
    UnknownKind,
    ValueTooLongInBundle,
)
from desktop.exchange.kinds import load_record_kinds
from storage.records import IDENTITY, RecordKind
from storage.text import ValueTooLong, has_unsafe

CHUNK = 2_000
# An office of 100,000 people with five completions each, their history and everything else is well
# under a million rows; the cap is checked on the signed manifest before anything is unpacked.
MAX_ROWS = 2_000_000
MAX_FILE_ROWS = 50_000

_REV = re.compile(r"\d{13}-\d{5}-[0-9A-Za-z]{1,64}")
_SCALARS = frozenset((str, int, float, bool, type(None)))
_REASONS = frozenset({"edited", "deleted", "conflict-lost", "restored-over"})
_HEX = frozenset("0123456789abcdef")
_SECTIONS = {"h": 1, "r": 2, "f": 3}


@dataclass
class Chunk:
    section: str                                   # "history" | "rows" | "file"
    kind: RecordKind | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""                               # a file: its SHA-256, bytes and the rows that name it
    data: bytes = b""
    named_by: list[tuple[files.CarriedFile, dict[str, Any]]] = field(default_factory=list)


def check_manifest(manifest: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The manifest's identity fields and counts; raises MalformedBundle or TooManyRows."""
    for key in ("office", "entity", "workspace_id", "exported_at"):
        value = manifest.get(key)
        if not isinstance(value, str) or len(value) > 200 or (key in ("office", "workspace_id") and not value) \
                or has_unsafe(value):
            raise MalformedBundle(f"manifest {key}")
    counts = manifest.get("counts")
    if not isinstance(counts, dict):
        raise MalformedBundle("manifest counts")
    total = 0
    for name, entry in counts.items():
        if not isinstance(entry, dict) or any(type(entry.get(k)) is not int or entry[k] < 0
                                              for k in ("current", "history")):
            raise MalformedBundle(f"counts of {str(name)[:60]}")
        total += entry["current"] + entry["history"]
    if total > MAX_ROWS:
        raise TooManyRows(str(MAX_ROWS))
    return counts


def future_limit() -> str:
    """Revisions are hybrid-clock times: one more than a day ahead of this computer's clock comes from
    a wrong clock (or a forgery) and would drag our clock along for good, so it is refused."""
    return f"{int((time.time() + 86_400) * 1000):013d}"


def checked_chunks(opened: bundle.OpenedBundle) -> Iterator[Chunk]:
    """See the module docstring. Raises a BundleError (possibly after some chunks were yielded)."""
    manifest = opened.manifest
    counts = check_manifest(manifest)
    sender = manifest["office"]
    known = {k.name: k for k in load_record_kinds()}
    carried = {spec.kind: spec for spec in files.carried_files()}
    future = future_limit()
    seen: dict[tuple[str, str], int] = {}
    columns: dict[str, int] | None = None         # kind -> number of columns the bundle writes
    section = 0
    pending: Chunk | None = None
    naming: dict[str, list[tuple[files.CarriedFile, dict[str, Any]]]] = {}
    named_rows = 0
    files_seen: set[str] = set()
    for event, key, value in opened.events():
        if event == "kinds":
            if columns is not None:
                raise MalformedBundle("header")
            columns = _header(known, key)
            continue
        if columns is None:
            raise MalformedBundle("header")
        order = _SECTIONS[event]
        if order < section:
            raise MalformedBundle("order")
        section = order
        if event == "f":
            if pending is not None:
                yield pending
                pending = None
            yield _file(key, value, naming, files_seen)
            continue
        kind = known.get(key) if isinstance(key, str) else None
        if kind is None:
            raise UnknownKind(str(key)[:60])
        name = "history" if event == "h" else "rows"
        tally = (kind.name, name)
        seen[tally] = seen.get(tally, 0) + 1
        if seen[tally] > _declared(counts, kind.name, name):
            raise MalformedBundle(f"counts of {kind.name}")
        if event == "h":
            row = _history_row(kind, value, sender, future)
        else:
            if kind.name not in columns:
                raise UnknownKind(kind.name)
            row = _row(kind, value, columns[kind.name], sender, future)
            spec = carried.get(kind.name)
            if spec is not None:
                digest = files.named_file(spec, row)
                if digest is not None:
                    named_rows += 1
                    if named_rows > MAX_FILE_ROWS:
                        raise MalformedBundle("rows naming files")
                    naming.setdefault(digest, []).append((spec, row))
        if pending is None or pending.kind is not kind or pending.section != name or len(pending.rows) >= CHUNK:
            if pending is not None:
                yield pending
            pending = Chunk(name, kind)
        pending.rows.append(row)
    if pending is not None:
        yield pending
    # The stream ended without error: its digest matched the signed manifest (content.events).
    for name, entry in counts.items():
        if seen.get((name, "rows"), 0) != entry["current"] or seen.get((name, "history"), 0) != entry["history"]:
            raise MalformedBundle(f"counts of {str(name)[:60]}")
    declared = manifest.get("files") or {"count": 0}
    if not isinstance(declared, dict) or declared.get("count") != len(files_seen):
        raise MalformedBundle("counts of files")


def trusted_chunks(opened: bundle.OpenedBundle) -> Iterator[Chunk]:
    """The second reading of a bundle whose `checked_chunks` went through without error (merge.py):
    the same chunks, built without checking each value again (the bytes are the same ones, and their
    digest is verified again at the end of this reading too). Text is cleaned as in the first reading."""
    known = {k.name: k for k in load_record_kinds()}
    carried = {spec.kind: spec for spec in files.carried_files()}
    widths: dict[str, int] = {}
    pending: Chunk | None = None
    naming: dict[str, list[tuple[files.CarriedFile, dict[str, Any]]]] = {}
    for event, key, value in opened.events():
        if event == "kinds":
            widths = {name: len(cols) for name, cols in key.items()}
            continue
        if event == "f":
            if pending is not None:
                yield pending
                pending = None
            yield Chunk("file", digest=key, data=base64.b64decode(value), named_by=naming.pop(key, []))
            continue
        kind = known[key]
        if event == "h":
            rid, rev, base, office, deleted, data, reason = value
            row = {f: data.get(f) for f in kind.fields}
            row.update(id=rid, rev=rev, base_rev=base, office=office, deleted=deleted, _reason=reason)
            name = "history"
        else:
            row = dict(zip(kind.columns, value, strict=False))
            if widths[key] < len(kind.columns):
                for column in kind.columns[widths[key]:]:
                    row[column] = None
            row = kind.checked(row)
            spec = carried.get(key)
            if spec is not None:
                digest = files.named_file(spec, row)
                if digest is not None:
                    naming.setdefault(digest, []).append((spec, row))
            name = "rows"
        if name == "history":
            row = kind.checked(row)
        if pending is None or pending.kind is not kind or pending.section != name or len(pending.rows) >= CHUNK:
            if pending is not None:
                yield pending
            pending = Chunk(name, kind)
        pending.rows.append(row)
    if pending is not None:
        yield pending


def _declared(counts: dict[str, dict[str, int]], kind: str, section: str) -> int:
    entry = counts.get(kind)
    return entry["current" if section == "rows" else "history"] if entry else 0


def _header(known: dict[str, RecordKind], kinds: Any) -> dict[str, int]:
    """A bundle's columns of each kind: ours, or the first of ours (a bundle from a version before some
    fields were added: they arrive empty). Never columns we do not know."""
    out = {}
    for name, cols in kinds.items():
        kind = known.get(name)
        if kind is None:
            raise UnknownKind(str(name)[:60])
        expected = list(kind.columns)
        if not (isinstance(cols, list) and len(IDENTITY) <= len(cols) <= len(expected)
                and cols == expected[:len(cols)]):
            raise UnknownKind(name)
        out[name] = len(cols)
    return out


def _check_identity(rid: Any, office: Any, rev: Any, base: Any, deleted: Any, sender: str, future: str) -> None:
    """The identity columns of a current row or a history version: well formed, the sender's own
    office, a revision not in the future (one rule for both)."""
    if not (type(rid) is str and 0 < len(rid) <= 64 and type(office) is str and len(office) <= 64
            and type(rev) is str and _REV.fullmatch(rev) and (base is None or (type(base) is str and _REV.fullmatch(base)))
            and (deleted == 0 or deleted == 1) and type(deleted) is not float):
        raise MalformedBundle("identity columns")
    if office != sender:
        raise ForeignRecords(office)
    if rev[:13] > future:
        raise FutureRevision(rev)


def _row(kind: RecordKind, row: Any, width: int, sender: str, future: str) -> dict[str, Any]:
    """One current row checked and made a record dict (runs for every row: kept tight)."""
    if type(row) is not list or len(row) != width:
        raise MalformedBundle(f"row of {kind.name}")
    rid, office, rev, base, deleted = row[0], row[1], row[2], row[3], row[4]
    _check_identity(rid, office, rev, base, deleted, sender, future)
    if has_unsafe(rid):
        raise MalformedBundle("identity columns")
    for value in row[5:]:
        if type(value) not in _SCALARS:
            raise MalformedBundle(f"value in {kind.name}")
    record = dict(zip(kind.columns, row, strict=False))
    if width < len(kind.columns):
        for column in kind.columns[width:]:
            record[column] = None
    return _cleaned(kind, record)


def _history_row(kind: RecordKind, row: Any, sender: str, future: str) -> dict[str, Any]:
    if type(row) is not list or len(row) != 7:
        raise MalformedBundle(f"history of {kind.name}")
    rid, rev, base, office, deleted, data, reason = row
    _check_identity(rid, office, rev, base, deleted, sender, future)
    if isinstance(data, dict) and set(data) <= set(kind.fields):
        data = {f: data.get(f) for f in kind.fields}   # older versions lack the newer fields
    if not isinstance(data, dict) or set(data) != set(kind.fields) or reason not in _REASONS \
            or not all(type(v) in _SCALARS for v in data.values()):
        raise MalformedBundle(f"history of {kind.name}")
    return _cleaned(kind, {**data, "id": rid, "rev": rev, "base_rev": base, "office": office, "deleted": deleted,
                           "_reason": reason})


def _cleaned(kind: RecordKind, record: dict[str, Any]) -> dict[str, Any]:
    try:
        return kind.checked(record)
    except ValueTooLong as exc:
        raise ValueTooLongInBundle(exc.field, exc.limit) from exc


def _file(digest: Any, encoded: Any, naming: dict[str, list[tuple[files.CarriedFile, dict[str, Any]]]],
          seen: set[str]) -> Chunk:
    """A carried file: named by a row of this bundle, its bytes those the digest says, once."""
    if not (isinstance(digest, str) and len(digest) == 64 and set(digest) <= _HEX) or not isinstance(encoded, str) \
            or digest not in naming or digest in seen:
        raise MalformedBundle("files")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedBundle("files") from exc
    if hashlib.sha256(data).hexdigest() != digest:
        raise MalformedBundle("files")
    seen.add(digest)
    return Chunk("file", digest=digest, data=data, named_by=naming.pop(digest))


@dataclass
class Parsed:
    """A whole bundle's content in memory: for tests and small tools, not for the merge."""

    manifest: dict[str, Any]
    current: dict[str, list[dict[str, Any]]]
    history: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(len(v) for v in self.current.values())


def parse_content(opened: bundle.OpenedBundle) -> Parsed:
    """Every checked chunk of a bundle, gathered (memory grows with the bundle: tests and small tools)."""
    parsed = Parsed(opened.manifest, {}, {})
    for chunk in checked_chunks(opened):
        if chunk.section == "file":
            parsed.files[chunk.digest] = chunk.data
        else:
            assert chunk.kind is not None
            target = parsed.history if chunk.section == "history" else parsed.current
            target.setdefault(chunk.kind.name, []).extend(chunk.rows)
    for name in opened.manifest["counts"]:      # every kind the bundle declares, even without rows
        parsed.current.setdefault(name, [])
        parsed.history.setdefault(name, [])
    return parsed
