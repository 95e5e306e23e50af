"""Export: everything in the workspace, or what changed since the last export to a recipient, as one bundle.

"Changed since" is measured on the audit log (every record change and every merge writes an entry),
not on revisions: a record merged in from elsewhere keeps its old revision but must still travel on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import __version__
from desktop.exchange import bundle, files
from desktop.exchange.keys import identity
from desktop.exchange.kinds import load_record_kinds
from storage import Workspace
from storage.audit import utc_now
from storage.records import RecordKind


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


def build_content(ws: Workspace, since_seq: int | None = None, *,
                  include_files: bool = True) -> tuple[bytes, dict[str, dict[str, int]], dict[str, int]]:
    """Canonical JSON of the records (current rows, tombstones included), their history rows and,
    unless `include_files` is off, the files the rows refer to (desktop/exchange/files.py).
    Returns the content, the counts per kind and the files' count and size."""
    conn = ws.connection
    kinds: dict[str, Any] = {}
    history: dict[str, list[list[Any]]] = {}
    counts: dict[str, dict[str, int]] = {}
    carried = {spec.kind for spec in files.carried_files()}
    referring: dict[str, list[dict[str, Any]]] = {}
    for kind in sorted(load_record_kinds(), key=lambda k: k.name):
        rows, hist = _rows(conn, kind, since_seq, ws.office)
        kinds[kind.name] = {"columns": list(kind.columns), "rows": rows}
        history[kind.name] = hist
        counts[kind.name] = {"current": len(rows), "history": len(hist)}
        if include_files and kind.name in carried:
            referring[kind.name] = [dict(zip(kind.columns, r, strict=True)) for r in rows]
    # Files count against the content cap with room left for the records themselves.
    file_map = files.collect(ws, referring, bundle.DEFAULT_LIMITS.max_content * 3 // 4) if referring else {}
    body: dict[str, Any] = {"kinds": kinds, "history": history}
    if file_map:
        body["files"] = file_map
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    files_info = {"count": len(file_map), "bytes": sum(files.decoded_size(v) for v in file_map.values())}
    return content, counts, files_info


def _rows(conn: Any, kind: RecordKind, since_seq: int | None,
          office: str) -> tuple[list[list[Any]], list[list[Any]]]:
    """The office's own versions only: a bundle speaks for the office that signs it, and a receiving
    workspace refuses versions of any other office (records merged in from elsewhere stay home)."""
    cols = ", ".join(kind.columns)
    hist_sql = ("SELECT record_id, rev, base_rev, office, deleted, data, reason FROM history"
                " WHERE kind = ? AND office = ?")
    if since_seq is None:
        rows = conn.execute(f"SELECT {cols} FROM {kind.table} WHERE office = ? ORDER BY id",  # noqa: S608
                            (office,)).fetchall()
        hist = conn.execute(hist_sql + " ORDER BY record_id, rev", (kind.name, office)).fetchall()
    else:
        changed = "(SELECT DISTINCT record_id FROM audit WHERE seq > ? AND kind = ?)"
        rows = conn.execute(f"SELECT {cols} FROM {kind.table} WHERE office = ? AND id IN {changed} ORDER BY id",  # noqa: S608
                            (office, since_seq, kind.name)).fetchall()
        hist = conn.execute(hist_sql + f" AND record_id IN {changed} ORDER BY record_id, rev",
                            (kind.name, office, since_seq, kind.name)).fetchall()
    return ([list(r) for r in rows],
            [[rid, rev, base, office, deleted, json.loads(data), reason]
             for rid, rev, base, office, deleted, data, reason in hist])


def office_payload(ws: Workspace, mark: tuple[int, str] | None, recipient: str | None = None, *,
                   include_files: bool = True) -> tuple[bytes, dict[str, Any], dict[str, dict[str, int]], dict[str, int]]:
    """The office's signed payload: its records (all, or those changed since the recipient's export
    mark), the manifest, signed with the workspace's key. Returns payload, manifest, counts, files' info."""
    ident = identity(ws)
    content, counts, files_info = build_content(ws, mark[0] if mark else None, include_files=include_files)
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
        "counts": counts,
        "files": files_info,
        "content_digest": hashlib.sha256(content).hexdigest(),
        "content_size": len(content),
        "audit_head": {"hash": ws.audit.head, "count": ws.audit.count},
    }
    return bundle.sign_payload(manifest, content, ident.sign_key), manifest, counts, files_info


def export_marks_update(ws: Workspace, recipient: str, seq: int, at: str, file_digest: str) -> None:
    """Move the recipient's mark forward (inside the caller's transaction)."""
    ws.connection.execute("INSERT OR REPLACE INTO exchange_export_mark (recipient, audit_seq, at, file_digest)"
                          " VALUES (?, ?, ?, ?)", (recipient, seq, at, file_digest))


def export_bundle(ws: Workspace, out: Path | str, passphrase: str, *, recipient: str | None = None,
                  recipient_key: bytes | None = None, include_files: bool = True) -> ExportResult:
    """Write a bundle. With `recipient`, only what changed since the last export to that recipient,
    and the mark moves forward once the file is safely written. `include_files`: carry the partner
    attachments and signed letter PDFs the exported records refer to (raises FilesTooLarge when they
    do not fit; nothing is written then)."""
    out = Path(out)
    bundle.check_passphrase(passphrase)
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
