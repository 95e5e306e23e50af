"""A bundle's content, written and read as a stream: memory stays bounded whatever the bundle holds.

Format 2 (written since 2026-11; `content_format: 2` in the manifest): JSON lines after a magic line,
compressed with zlib inside the signed payload:

    PDC2
    {"kinds": {"roster_person": ["id", "office", ...], ...}}        one header line: every kind's columns
    ["h", "roster_person", [id, rev, base_rev, office, deleted, {fields}, reason]]   history rows first
    ["r", "roster_person", [id, office, rev, base_rev, deleted, field, ...]]        then current rows
    ["f", "<sha256>", "<base64>"]                                                   then the files

Reading inflates a slice at a time and parses one line at a time (`events`), so a 300 KB bundle that
inflates to 90 MB, or a million tiny rows, costs a line's memory, not the bundle's: the merge checks
everything in a first pass and writes in a second (merge.py). The content's SHA-256 and size, which the
signed manifest carries, are checked at the end of every pass.

Format 1 (one JSON object {"kinds": {...}, "history": {...}, "files": {...}}) from offices that have
not updated is still read, parsed whole, up to LEGACY_MAX bytes.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from typing import Any

from desktop.exchange.errors import BadSignature, BundleTooLarge, MalformedBundle

MAGIC = b"PDC2\n"
FORMAT = 2
MAX_LINE = 16 * 1024 * 1024      # a line: one row, or one file (attachments are at most 10 MB, base64 14 MB)
LEGACY_MAX = 24 * 1024 * 1024    # a format-1 content is parsed whole: keep it small enough to be harmless
_SLICE = 1024 * 1024

Event = tuple[str, Any, Any]      # ("kinds", columns by kind, None) | ("h"|"r", kind, row) | ("f", digest, b64)


class Writer:
    """Compresses lines as they come, counting size and SHA-256 of the uncompressed content."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(6)
        self._sha = hashlib.sha256()
        self._parts: list[bytes] = []
        self.size = 0
        self._put(MAGIC)

    def _put(self, data: bytes) -> None:
        self._sha.update(data)
        self.size += len(data)
        chunk = self._zip.compress(data)
        if chunk:
            self._parts.append(chunk)

    def line(self, value: Any) -> None:
        self._put(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")

    def finish(self) -> tuple[bytes, str, int]:
        """(compressed content, SHA-256 of the content, its size)."""
        self._parts.append(self._zip.flush())
        return b"".join(self._parts), self._sha.hexdigest(), self.size


def events(packed: bytes, declared_size: int, digest: str, max_content: int) -> Iterator[Event]:
    """The content's events, checked: size (never inflating more than declared), line lengths, and
    at the end the SHA-256 the signed manifest gives (BadSignature if it differs)."""
    if declared_size > max_content:
        raise BundleTooLarge("content")
    inflater = zlib.decompressobj()
    sha = hashlib.sha256()
    produced = 0
    pending = b""
    first: bytes | None = None
    view = memoryview(packed)
    pos = 0
    legacy: list[bytes] | None = None
    while True:
        if inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        elif pos < len(view):
            data = bytes(view[pos:pos + _SLICE])
            pos += len(data)
        else:
            data = b""
        try:
            chunk = inflater.decompress(data, _SLICE) if data else inflater.flush()
        except zlib.error as exc:
            raise MalformedBundle("compression") from exc
        if not chunk and not data:
            break
        produced += len(chunk)
        if produced > declared_size:
            raise BundleTooLarge("content")
        sha.update(chunk)
        if first is None:
            first = chunk[:len(MAGIC)]
            if first != MAGIC[:len(first)]:
                legacy = []
            elif len(first) < len(MAGIC):
                first = None      # a tiny first slice: decide on the next one
        if legacy is not None:
            if produced > LEGACY_MAX:
                raise BundleTooLarge("content")
            legacy.append(chunk)
            continue
        lines = (pending + chunk).split(b"\n") if pending else chunk.split(b"\n")
        pending = lines.pop()
        if len(pending) > MAX_LINE:
            raise MalformedBundle("line length")
        if lines and lines[0] == MAGIC[:-1]:
            del lines[0]
        if lines:
            yield from _parse_lines(lines)
    if not inflater.eof or inflater.unused_data:
        raise MalformedBundle("compression end")
    if produced != declared_size or sha.hexdigest() != digest:
        raise BadSignature("content digest")
    if legacy is not None:
        yield from _legacy_events(b"".join(legacy))
    elif pending.strip():
        raise MalformedBundle("last line")


def _parse_lines(lines: list[bytes]) -> Iterator[Event]:
    """Lines parsed as one JSON array (one call into the C parser for a slice's thousands of lines);
    each element must be an event."""
    try:
        values = json.loads(b"[" + b",".join(lines) + b"]")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedBundle("line") from exc
    if len(values) != len(lines):
        raise MalformedBundle("line")
    for value in values:
        yield _event(value)


def _event(value: Any) -> Event:
    if isinstance(value, dict) and set(value) == {"kinds"} and isinstance(value["kinds"], dict):
        return ("kinds", value["kinds"], None)
    if isinstance(value, list) and len(value) == 3 and value[0] in ("h", "r", "f") and isinstance(value[1], str):
        return (value[0], value[1], value[2])
    raise MalformedBundle("line")


def _legacy_events(data: bytes) -> Iterator[Event]:
    """Format 1, parsed whole (it is at most LEGACY_MAX bytes)."""
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedBundle("content json") from exc
    if not isinstance(content, dict) or not isinstance(content.get("kinds"), dict) \
            or not isinstance(content.get("history", {}), dict):
        raise MalformedBundle("content")
    kinds = content["kinds"]
    columns = {}
    for name, block in kinds.items():
        if not isinstance(block, dict) or not isinstance(block.get("rows"), list):
            raise MalformedBundle(f"rows of {str(name)[:60]}")
        columns[name] = block.get("columns")
    yield ("kinds", columns, None)
    for name, rows in content.get("history", {}).items():
        if not isinstance(rows, list):
            raise MalformedBundle("history")
        for row in rows:
            yield ("h", name, row)
    for name, block in kinds.items():
        for row in block["rows"]:
            yield ("r", name, row)
    files = content.get("files")
    if files is not None:
        if not isinstance(files, dict):
            raise MalformedBundle("files")
        for digest, encoded in files.items():
            yield ("f", digest, encoded)
