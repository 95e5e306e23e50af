"""Export: everything in the workspace, or what changed since the last export to a recipient, as one bundle.

"Changed since" is measured on the audit log (every record change and every merge writes an entry),
not on revisions: a record merged in from elsewhere keeps its old revision but must still travel on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import __version__
from desktop.exchange import bundle, content, files
from desktop.exchange.keys import identity
from desktop.exchange.kinds import load_record_kinds
from storage.audit import utc_now
from storage.records import RecordKind

if TYPE_CHECKING:
    from storage import Workspace


@dataclass(frozen=True)
class ExportResult:
    path: Path
    file_digest: str
    fingerprint: str
    counts: dict[str, dict[str, int]]
    since: str | None          # when the previous export to this recipient was made, if incremental
    files: int = 0             # partner attachments and signed letters carried

    @property
    def records(self) -> int:
        return sum(c["current"] for c in self.counts.values())


def last_export(ws: Workspace, recipient: str) -> tuple[int, str] | None:
    row = ws.connection.execute("SELECT audit_seq, at FROM exchange_export_mark WHERE recipient = ?",
                                (recipient,)).fetchone()
    return (int(row[0]), row[1]) if row else None


def export_marks(ws: Workspace) -> list[dict[str, Any]]:
    return [{"recipient": r, "audit_seq": s, "at": a, "file_digest": d} for r, s, a, d in ws.connection.execute(
        "SELECT recipient, audit_seq, at, file_digest FROM exchange_export_mark ORDER BY recipient")]


@dataclass(frozen=True)
class Content:
    packed: bytes                       # compressed, format 2 (content.py)
    digest: str                         # SHA-256 of the uncompressed content
    size: int
    counts: dict[str, dict[str, int]]
    files: dict[str, int]               # count and bytes of the files carried


def build_content(ws: Workspace, since_seq: int | None = None, *, include_files: bool = True) -> Content:
    """The office's records (current rows, tombstones included), their history rows and, unless
    `include_files` is off, the files the rows refer to (desktop/exchange/files.py), written as a
    stream of lines (content.py): history first, then current rows, then files."""
    conn = ws.connection
    kinds = sorted(load_record_kinds(), key=lambda k: k.name)
    writer = content.Writer()
    writer.line({"kinds": {kind.name: list(kind.columns) for kind in kinds}})
    counts: dict[str, dict[str, int]] = {kind.name: {"current": 0, "history": 0} for kind in kinds}
    for kind in kinds:
        for row in _history(conn, kind, since_seq, ws.office):
            writer.line(["h", kind.name, row])
            counts[kind.name]["history"] += 1
    carried = {spec.kind for spec in files.carried_files()}
    referring: dict[str, list[dict[str, Any]]] = {}
    for kind in kinds:
        keep = include_files and kind.name in carried
        for row in _current(conn, kind, since_seq, ws.office):
            writer.line(["r", kind.name, row])
            counts[kind.name]["current"] += 1
            if keep:
                referring.setdefault(kind.name, []).append(dict(zip(kind.columns, row, strict=True)))
    # Files count against the content cap with room left for the records themselves.
    file_map = files.collect(ws, referring, bundle.DEFAULT_LIMITS.max_content * 3 // 4) if referring else {}
    for digest in sorted(file_map):
        writer.line(["f", digest, file_map[digest]])
    packed, digest, size = writer.finish()
    files_info = {"count": len(file_map), "bytes": sum(files.decoded_size(v) for v in file_map.values())}
    return Content(packed, digest, size, counts, files_info)


def _changed(since_seq: int | None) -> str:
    return "" if since_seq is None else " AND {id} IN (SELECT DISTINCT record_id FROM audit WHERE seq > ? AND kind = ?)"


def _current(conn: Any, kind: RecordKind, since_seq: int | None, office: str) -> Iterator[list[Any]]:
    """The office's own versions only: a bundle speaks for the office that signs it, and a receiving
    workspace refuses versions of any other office (records merged in from elsewhere stay home)."""
    params: tuple[Any, ...] = (office,) if since_seq is None else (office, since_seq, kind.name)
    sql = f"SELECT {', '.join(kind.columns)} FROM {kind.table} WHERE office = ?"  # noqa: S608 - names from RecordKind
    for row in conn.execute(sql + _changed(since_seq).format(id="id") + " ORDER BY id", params):
        yield list(row)


def _history(conn: Any, kind: RecordKind, since_seq: int | None, office: str) -> Iterator[list[Any]]:
    params: tuple[Any, ...] = (kind.name, office) if since_seq is None else (kind.name, office, since_seq, kind.name)
    changed = _changed(since_seq).format(id="record_id")
    sql = ("SELECT record_id, rev, base_rev, office, deleted, data, reason FROM history"  # noqa: S608 - fixed text
           f" WHERE kind = ? AND office = ?{changed} ORDER BY record_id, rev")
    for rid, rev, base, office_, deleted, data, reason in conn.execute(sql, params):
        yield [rid, rev, base, office_, deleted, json.loads(data), reason]


def office_payload(ws: Workspace, mark: tuple[int, str] | None, recipient: str | None = None, *,
                   include_files: bool = True) -> tuple[bytes, dict[str, Any], dict[str, dict[str, int]], dict[str, int]]:
    """The office's signed payload: its records (all, or those changed since the recipient's export
    mark), the manifest, signed with the workspace's key. Returns payload, manifest, counts, files' info."""
    ident = identity(ws)
    built = build_content(ws, mark[0] if mark else None, include_files=include_files)
    first = ws.connection.execute("SELECT at FROM audit ORDER BY seq LIMIT 1").fetchone()
    now = utc_now()
    manifest = {
        "format": bundle.FORMAT,
        "app": f"PSEA Desk {__version__}",
        "office": ws.office,
        "entity": ws.entity,
        "workspace_id": ws.workspace_id,
        "exported_at": now,
        "period": {"from": mark[1] if mark else (first[0] if first else None), "to": now},
        "since": {"recipient": recipient, "audit_seq": mark[0]} if mark else None,
        "schema_version": ws.schema_version,
        "counts": built.counts,
        "files": built.files,
        "content_digest": built.digest,
        "content_size": built.size,
        "audit_head": {"hash": ws.audit.head, "count": ws.audit.count},
    }
    return bundle.sign_packed(manifest, built.packed, ident.sign_key), manifest, built.counts, built.files


def export_marks_update(ws: Workspace, recipient: str, seq: int, at: str, file_digest: str) -> None:
    """Move the recipient's mark forward (inside the caller's transaction)."""
    ws.connection.execute("INSERT OR REPLACE INTO exchange_export_mark (recipient, audit_seq, at, file_digest)"
                          " VALUES (?, ?, ?, ?)", (recipient, seq, at, file_digest))


def export_bundle(ws: Workspace, out: Path | str, passphrase: str | None, *, recipient: str | None = None,
                  recipient_key: bytes | None = None, include_files: bool = True) -> ExportResult:
    """Write a bundle. With `recipient`, only what changed since the last export to that recipient,
    and the mark moves forward once the file is safely written. `include_files`: carry the partner
    attachments and signed letter PDFs the exported records refer to (raises FilesTooLarge when they
    do not fit; nothing is written then)."""
    out = Path(out)
    if passphrase is not None or recipient_key is None:
        bundle.check_passphrase(passphrase or "")
    if out.is_dir():
        raise IsADirectoryError(str(out))
    ident = identity(ws)
    mark = last_export(ws, recipient) if recipient else None
    seq_now = ws.audit.count
    payload, manifest, counts, files_info = office_payload(ws, mark, recipient, include_files=include_files)
    data = bundle.seal(payload, passphrase, recipient_key)
    bundle.write(out, data)
    digest = hashlib.sha256(data).hexdigest()
    if recipient:
        with ws.transaction():
            export_marks_update(ws, recipient, seq_now, manifest["exported_at"], digest)
            ws.audit.append(ws.actor, "bundle-export", "bundle", digest, None, None)
    return ExportResult(out, digest, ident.fingerprint, counts, mark[1] if mark else None, files_info["count"])
