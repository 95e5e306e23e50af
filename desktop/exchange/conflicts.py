"""Conflicts found by merges, for review: both versions side by side, and a way to restore the other.

The winner (the later revision, the same on every machine) is current; the loser is in history. Restoring
the loser makes it current again as a *new* revision based on the winner, so the choice itself travels
in the next bundle and wins everywhere, and the winner in turn stays in history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storage.audit import utc_now
from storage.hlc import parse_revision
from storage.records import kind_named

if TYPE_CHECKING:
    from storage import Workspace


@dataclass(frozen=True)
class Conflict:
    seq: int
    kind: str
    record_id: str
    at: str
    winner: dict[str, Any]      # the current version (may have moved on since the merge)
    loser: dict[str, Any] | None
    resolved_at: str | None
    resolution: str | None

    @property
    def differing_fields(self) -> list[str]:
        if self.loser is None:
            return []
        fields = kind_named(self.kind).fields
        # "office" differs only when another office claimed this record (storage/records.py): shown.
        return [f for f in ("office", *fields, "deleted") if self.winner.get(f) != self.loser.get(f)]


def written_here(ws: Workspace, rev: str | None) -> bool:
    """Whether a version was written in this workspace (its revision carries the workspace's id)."""
    try:
        return rev is not None and parse_revision(rev)[2] == ws.workspace_id
    except ValueError:
        return False


def revision_time(rev: str) -> dt.datetime | None:
    """When a version was written (the physical part of its hybrid-clock revision), in UTC."""
    try:
        ms, _counter, _workspace = parse_revision(rev)
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def list_conflicts(ws: Workspace, *, include_resolved: bool = False, limit: int = 1000) -> list[Conflict]:
    sql = "SELECT seq, kind, record_id, winner_rev, loser_rev, at, resolved_at, resolution FROM exchange_conflict"
    if not include_resolved:
        sql += " WHERE resolved_at IS NULL"
    sql += " ORDER BY seq DESC LIMIT ?"
    out = []
    for seq, kind_name, rid, winner_rev, loser_rev, at, resolved_at, resolution in ws.connection.execute(sql, (limit,)).fetchall():
        try:
            kind = kind_named(kind_name)
        except KeyError:
            continue
        current = ws.records.get(kind, rid, include_deleted=True)
        if current is None:
            continue
        versions = {v["rev"]: v for v in ws.records.history(kind, rid)}
        winner = current if current["rev"] == winner_rev else versions.get(winner_rev, current)
        out.append(Conflict(seq, kind_name, rid, at, winner, versions.get(loser_rev), resolved_at, resolution))
    return out


def open_conflict_count(ws: Workspace) -> int:
    return int(ws.connection.execute("SELECT count(*) FROM exchange_conflict WHERE resolved_at IS NULL").fetchone()[0])


def restore_other(ws: Workspace, seq: int) -> dict[str, Any]:
    """Make the losing version current as a new revision; returns the new current version."""
    conflict = next((c for c in list_conflicts(ws, include_resolved=True) if c.seq == seq), None)
    if conflict is None or conflict.loser is None:
        raise KeyError(seq)
    kind = kind_named(conflict.kind)
    with ws.transaction() as conn:
        current = ws.records.get(kind, conflict.record_id, include_deleted=True)
        assert current is not None
        if conflict.loser["deleted"]:
            new = ws.records.delete(kind, conflict.record_id, expected_rev=current["rev"])
        else:
            new = ws.records.update(kind, conflict.record_id, {f: conflict.loser.get(f) for f in kind.fields},
                                    expected_rev=current["rev"])
        conn.execute("UPDATE exchange_conflict SET resolved_at = ?, resolution = 'restored' WHERE seq = ?",
                     (utc_now(), seq))
    return new


def keep_winner(ws: Workspace, seq: int) -> None:
    """Mark a conflict reviewed: the current version stays (the loser stays in history)."""
    with ws.transaction() as conn:
        conn.execute("UPDATE exchange_conflict SET resolved_at = ?, resolution = 'kept' WHERE seq = ?", (utc_now(), seq))
        ws.audit.append(ws.actor, "conflict-kept", "conflict", str(seq), None, None)
