"""The audit log: every change, chained by SHA-256 so that an edited, removed or inserted entry shows.

Entry n stores hash_n = SHA-256(hash_{n-1} | fields of n). The head (last hash and count) is also kept
in `meta`, in the same transaction, so cutting entries off the end is detected as well. Someone who
holds the passphrase and rewrites the whole chain consistently is out of reach of any local check;
exported bundles carry the head so a coordinator can notice a rewritten history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.cipher import Connection

GENESIS = "0" * 64
_SEP = "\x1f"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    kind: str
    record_id: str
    old_rev: str | None
    new_rev: str | None
    prev_hash: str
    hash: str


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, kind: str, record_id: str,
               old_rev: str | None, new_rev: str | None) -> str:
    import hashlib  # here, not at the top: opening a workspace to read it hashes nothing (start-up, issue 14)

    text = _SEP.join([prev_hash, str(seq), at, actor, action, kind, record_id, old_rev or "", new_rev or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class AuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.reload()

    def reload(self) -> None:
        """Re-read the head from the file (after a rollback the in-memory head may be ahead)."""
        rows = dict(self._conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_count')").fetchall())
        self._head = rows.get("audit_head", GENESIS)
        self._count = int(rows.get("audit_count", "0"))

    def append(self, actor: str, action: str, kind: str, record_id: str,
               old_rev: str | None, new_rev: str | None) -> None:
        self.append_many(actor, [(action, kind, record_id, old_rev, new_rev)])

    def append_many(self, actor: str, changes: Iterable[tuple[str, str, str, str | None, str | None]]) -> int:
        """Append entries inside the caller's transaction; returns how many were written."""
        import hashlib  # see entry_hash

        at = utc_now()
        head, seq = self._head, self._count
        rows = []
        sha256, sep = hashlib.sha256, _SEP
        # entry_hash, inlined: a merge appends one entry per record (hundreds of thousands).
        fixed = f"{sep}{at}{sep}{actor}{sep}"
        for action, kind, record_id, old_rev, new_rev in changes:
            seq += 1
            prev = head
            head = sha256(f"{prev}{sep}{seq}{fixed}{action}{sep}{kind}{sep}{record_id}{sep}{old_rev or ''}{sep}"
                          f"{new_rev or ''}".encode()).hexdigest()
            rows.append((seq, at, actor, action, kind, record_id, old_rev, new_rev, prev, head))
        if not rows:
            return 0
        self._conn.executemany(
            "INSERT INTO audit (seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                               [("audit_head", head), ("audit_count", str(seq))])
        self._head, self._count = head, seq
        return len(rows)

    @property
    def head(self) -> str:
        return self._head

    @property
    def count(self) -> int:
        return self._count

    def entries(self, limit: int | None = None, record_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, hash FROM audit"
        params: list[object] = []
        if record_id is not None:
            sql += " WHERE record_id = ?"
            params.append(record_id)
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [AuditEntry(*row) for row in self._conn.execute(sql, params)]

    def verify(self) -> list[str]:
        """Problems with the chain, in English for logs and tests; `integrity` translates them for users."""
        problems: list[str] = []
        expected_seq, prev = 1, GENESIS
        cursor = self._conn.execute(
            "SELECT seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, hash FROM audit ORDER BY seq")
        for seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, digest in cursor:
            if seq != expected_seq:
                problems.append(f"audit entries {expected_seq}..{seq - 1} are missing")
                expected_seq = seq
            if prev_hash != prev:
                problems.append(f"audit entry {seq} does not follow the entry before it")
            if entry_hash(prev_hash, seq, at, actor, action, kind, record_id, old_rev, new_rev) != digest:
                problems.append(f"audit entry {seq} was altered")
            prev, expected_seq = digest, seq + 1
            if len(problems) > 20:
                break
        stored = dict(self._conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_count')").fetchall())
        if int(stored.get("audit_count", "0")) != expected_seq - 1 or stored.get("audit_head", GENESIS) != prev:
            problems.append("the end of the audit log does not match its recorded head (entries removed or added)")
        return problems
