"""Relaying offices' records upward: coordinator → headquarters, each office's own signature intact.

A coordinator keeps the signed payload of every bundle it merges (`keep_received`, table
`exchange_received`, inside the encrypted workspace). A relay bundle carries those payloads unchanged,
plus a fresh payload of the coordinator's own records, in one file encrypted to headquarters and
signed by the coordinator. Headquarters opens each payload as if the office had sent it directly:
the office's signature, the office's key against its known senders, the office's rows only. So the
figures of an office at headquarters are computed from exactly what the office signed.

Content of a relay (manifest kind "relay")::

    b"PDR1" | (u32 length | signed payload) ...

and its manifest lists every part (office, workspace id, payload digest, size), in order.

Which payloads travel: every kept payload (with a recipient, those not yet relayed to it). A kept
payload is dropped when a later full bundle (not "since") of the same office workspace is shown to
hold every version it held: not by comparing audit positions, because two devices of one office (a
copied workspace) share a workspace id and an audit position while their histories differ.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import __version__
from desktop.exchange import bundle
from desktop.exchange.errors import MalformedRelay, RelayTooLarge
from desktop.exchange.export import export_marks_update, office_payload
from desktop.exchange.keys import identity
from storage.audit import utc_now

if TYPE_CHECKING:
    from storage import Workspace

RELAY_MAGIC = b"PDR1"
KIND = "relay"


@dataclass(frozen=True)
class RelayResult:
    path: Path
    file_digest: str
    fingerprint: str
    parts: list[dict[str, Any]]      # office, workspace_id, payload_digest, size (the first: our own)
    since: str | None

    @property
    def offices(self) -> list[str]:
        return sorted({p["office"] for p in self.parts})


def is_relay(manifest: dict[str, Any]) -> bool:
    return manifest.get("kind") == KIND


# ---- at the coordinator: keeping what was merged -------------------------------------------------------
def version_key(kind: str, record_id: str, rev: str) -> int:
    """A version (kind, id, revision) as a 64-bit number: a million of them fit in a few dozen MB."""
    digest = hashlib.blake2b(f"{kind}\x00{record_id}\x00{rev}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def has_earlier_payloads(ws: Workspace, manifest: dict[str, Any]) -> bool:
    """Whether payloads of the same office workspace are kept here (which a full bundle may make redundant)."""
    return manifest.get("since") is None and ws.connection.execute(
        "SELECT 1 FROM exchange_received WHERE office = ? AND workspace_id = ? LIMIT 1",
        (manifest["office"], manifest["workspace_id"])).fetchone() is not None


def keep_received(ws: Workspace, opened: bundle.OpenedBundle, versions: set[int]) -> None:
    """Keep a merged bundle's signed payload for relaying (inside the merge's transaction). `versions`:
    the `version_key` of every row and history row it holds. A full bundle makes earlier kept
    payloads of the same office workspace redundant when it holds all their versions: those go."""
    manifest = opened.manifest
    head = manifest.get("audit_head") if isinstance(manifest.get("audit_head"), dict) else {}
    count = head.get("count") if isinstance(head.get("count"), int) else 0
    full = manifest.get("since") is None
    conn = ws.connection
    conn.execute(
        "INSERT OR IGNORE INTO exchange_received (payload_digest, office, workspace_id, audit_count, full,"
        " exported_at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (opened.payload_digest, manifest["office"], manifest["workspace_id"], count, int(full),
         manifest["exported_at"], utc_now(), opened.payload))
    if not full:
        return
    older = conn.execute("SELECT payload_digest, payload FROM exchange_received WHERE office = ? AND workspace_id = ?"
                         " AND payload_digest != ?",
                         (manifest["office"], manifest["workspace_id"], opened.payload_digest)).fetchall()
    for digest, payload in older:
        try:
            held = payload_versions(bundle.open_payload(bytes(payload), digest))
        except Exception:  # noqa: BLE001 - a payload we cannot read again is kept, never lost
            continue
        if held <= versions:
            conn.execute("DELETE FROM exchange_received WHERE payload_digest = ?", (digest,))


def payload_versions(opened: bundle.OpenedBundle) -> set[int]:
    """`version_key` of every row and history row of a payload's content (read as a stream; the
    payload was checked when it was merged)."""
    out = set()
    for event, name, row in opened.events():
        if event == "r":
            out.add(version_key(name, row[0], row[2]))
        elif event == "h":
            out.add(version_key(name, row[0], row[1]))
    return out


def received(ws: Workspace) -> list[dict[str, Any]]:
    """What this workspace could relay: one row per kept payload (without the bytes)."""
    cols = ("payload_digest", "office", "workspace_id", "audit_count", "full", "exported_at", "received_at")
    rows = ws.connection.execute(
        f"SELECT {', '.join(cols)}, length(payload) FROM exchange_received"  # noqa: S608 - fixed names
        " ORDER BY office, workspace_id, audit_count, exported_at").fetchall()
    return [dict(zip((*cols, "size"), r, strict=True)) for r in rows]


def parts_to_relay(ws: Workspace, recipient: str | None = None) -> list[str]:
    """Digests of the kept payloads to relay, in the order they were exported (see the module docstring)."""
    chosen = [row["payload_digest"] for row in received(ws)]
    if recipient is not None:
        sent = {d for (d,) in ws.connection.execute(
            "SELECT payload_digest FROM exchange_relayed WHERE recipient = ?", (recipient,))}
        chosen = [d for d in chosen if d not in sent]
    return chosen


# ---- the relay file ------------------------------------------------------------------------------------
def pack(parts: list[bytes]) -> bytes:
    return RELAY_MAGIC + b"".join(struct.pack(">I", len(p)) + p for p in parts)


def unpack(content: bytes, manifest: dict[str, Any]) -> list[bytes]:
    """The parts of a relay's content, checked against the list the coordinator signed."""
    listed = manifest.get("parts")
    if not isinstance(listed, list) or not content.startswith(RELAY_MAGIC):
        raise MalformedRelay("content")
    parts, pos = [], len(RELAY_MAGIC)
    while pos < len(content):
        if pos + 4 > len(content):
            raise MalformedRelay("length")
        (size,) = struct.unpack(">I", content[pos:pos + 4])
        if pos + 4 + size > len(content):
            raise MalformedRelay("part")
        parts.append(content[pos + 4:pos + 4 + size])
        pos += 4 + size
    digests = [hashlib.sha256(p).hexdigest() for p in parts]
    if len(listed) != len(parts) or any(not isinstance(e, dict) or e.get("payload_digest") != d
                                        for e, d in zip(listed, digests, strict=False)):
        raise MalformedRelay("parts list")
    return parts


def export_relay(ws: Workspace, out: Path | str, passphrase: str | None, *, recipient: str | None = None,
                 recipient_key: bytes | None = None, include_files: bool = True,
                 limits: bundle.Limits = bundle.DEFAULT_LIMITS) -> RelayResult:
    """Write a relay bundle: this workspace's own records (like `export_bundle`) and the offices'
    signed payloads it keeps. With `recipient`, only what is new since the last relay to it."""
    out = Path(out)
    if passphrase is not None or recipient_key is None:
        bundle.check_passphrase(passphrase or "")
    if out.is_dir():
        raise IsADirectoryError(str(out))
    ident = identity(ws)
    mark = ws.connection.execute("SELECT audit_seq, at FROM exchange_export_mark WHERE recipient = ?",
                                 (recipient,)).fetchone() if recipient else None
    seq_now = ws.audit.count
    own, own_manifest, _counts, _files = office_payload(ws, (int(mark[0]), mark[1]) if mark else None, recipient,
                                                        include_files=include_files)
    digests = parts_to_relay(ws, recipient)
    payloads = [own]
    listed = [_entry(own_manifest, own)]
    for digest in digests:
        office, workspace_id, payload = ws.connection.execute(
            "SELECT office, workspace_id, payload FROM exchange_received WHERE payload_digest = ?",
            (digest,)).fetchone()
        payloads.append(bytes(payload))
        listed.append({"office": office, "workspace_id": workspace_id, "payload_digest": digest,
                       "size": len(payload)})
    content = pack(payloads)
    if len(content) > limits.max_content:
        raise RelayTooLarge(len(content), limits.max_content)
    now = utc_now()
    manifest = {
        "format": bundle.FORMAT, "kind": KIND, "app": f"PSEA Desk {__version__}",
        "office": ws.office, "entity": ws.entity, "workspace_id": ws.workspace_id, "role": ws.role,
        "exported_at": now, "since": {"recipient": recipient, "audit_seq": mark[0]} if mark else None,
        "schema_version": ws.schema_version, "parts": listed,
        "content_digest": hashlib.sha256(content).hexdigest(), "content_size": len(content),
        "counts": {}, "files": {"count": 0, "bytes": 0},
    }
    data = bundle.seal(bundle.sign_payload(manifest, content, ident.sign_key), passphrase, recipient_key)
    bundle.write(out, data)
    file_digest = hashlib.sha256(data).hexdigest()
    with ws.transaction() as conn:
        if recipient:
            export_marks_update(ws, recipient, seq_now, now, file_digest)
            conn.executemany("INSERT OR IGNORE INTO exchange_relayed (recipient, payload_digest, at) VALUES (?, ?, ?)",
                             [(recipient, d, now) for d in digests])
        ws.audit.append(ws.actor, "bundle-relay", "bundle", file_digest, None, None)
    return RelayResult(out, file_digest, ident.fingerprint, listed, mark[1] if mark else None)


def _entry(manifest: dict[str, Any], payload: bytes) -> dict[str, Any]:
    return {"office": manifest["office"], "workspace_id": manifest["workspace_id"],
            "payload_digest": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
