"""Records with identity, revisions, base revisions and tombstones, written with their audit entries.

Every instrument's table has the identity columns (see migrations/0001) plus its own fields. The
instruments in `desktop/` declare a RecordKind for each table and do all writes through `Records`,
so that revision, history and audit can never be forgotten. Reads are free-form SQL in `desktop/`.

Merging (`apply_version`) follows design.md: same revision → unchanged; the incoming base is our
current revision → fast-forward; otherwise a conflict that the higher revision wins on every machine,
the losing version kept in `history` with reason 'conflict-lost' and listed for review.

A record belongs to the office in its `office` column, which no edit changes. A version that names
another office than the stored record never replaces it, whatever its revision or claimed base (it is
kept in history as 'conflict-lost'): otherwise any office could overwrite another's records at a
coordinator by reusing their ids. Honest offices never share ids (random UUIDs), so this never
decides between honest versions; for a forged claim, the office first seen keeps the record and the
claim waits in the conflicts list for a person to look at.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from storage import text
from storage.audit import utc_now

if TYPE_CHECKING:
    from storage.workspace import Workspace

IDENTITY = ("id", "office", "rev", "base_rev", "deleted")
# Reference data (the courses every workspace starts with, design.md "Records, identity and merging")
# belongs to no office: its rows carry office '' and this one revision in every workspace, are written
# by migrations only, never exported, never replaced by a bundle and never edited (an office's own
# choices about them are records of its own).
REFERENCE_OFFICE = ""
REFERENCE_REV = "0000000000000-00000-reference"


@dataclass(frozen=True)
class RecordKind:
    """A record table: `name` is what the audit log and bundles call it, `fields` its own columns."""

    name: str
    table: str
    fields: tuple[str, ...]
    # Fields that hold a JSON document (up to text.MAX_LONG_TEXT characters, not text.MAX_TEXT), and
    # fields that hold a file's name (kept as a safe base name): storage/text.py.
    long_fields: frozenset[str] = frozenset()
    file_name_fields: frozenset[str] = frozenset()

    @property
    def columns(self) -> tuple[str, ...]:
        return IDENTITY + self.fields

    @functools.cached_property
    def column_set(self) -> frozenset[str]:
        return frozenset(IDENTITY + self.fields)

    @functools.cached_property
    def row_getter(self) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """A record dict's values in column order (itemgetter: the merge writes hundreds of thousands)."""
        return operator.itemgetter(*(IDENTITY + self.fields))

    def __reduce__(self) -> tuple:
        # By name: a kind crossing a process boundary (the merge's reader process) arrives as the one
        # registered there, so `is` comparisons and cached getters keep working.
        return _kind_for, (self.name, self.table, self.fields, self.long_fields, self.file_name_fields)

    def checked(self, data: dict[str, Any]) -> dict[str, Any]:
        """`data` with its text fields as the store keeps them; raises text.ValueTooLong."""
        return text.checked_fields(self.fields, data, long_fields=self.long_fields,
                                   file_name_fields=self.file_name_fields)


_registry: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    existing = _registry.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"record kind {kind.name!r} registered twice with different fields")
    _registry[kind.name] = kind
    return kind


def registered_kinds() -> list[RecordKind]:
    return list(_registry.values())


def kind_named(name: str) -> RecordKind:
    return _registry[name]


def _kind_for(name: str, table: str, fields: tuple[str, ...], long_fields: frozenset[str],
              file_name_fields: frozenset[str]) -> RecordKind:
    kind = RecordKind(name, table, fields, long_fields, file_name_fields)
    registered = _registry.get(name)
    return registered if registered == kind else kind


# `names`: the office's name in the six languages (JSON), for letters and reports (migration 0011).
OFFICE = register(RecordKind("office", "office", ("code", "name", "country", "names")))


# Revisions each version descends from, asked for the versions that need it (merge.py reads them from history).
Ancestry = Callable[[list[dict[str, Any]]], Mapping[str, Collection[str]]]


class Outcome(StrEnum):
    INSERTED = "inserted"
    FAST_FORWARD = "updated"
    UNCHANGED = "unchanged"
    CONFLICT_WON = "conflict-won"    # the incoming version became current; ours went to history
    CONFLICT_LOST = "conflict-lost"  # ours stays current; the incoming version went to history


class RecordNotFound(KeyError):
    pass


class StaleRecord(Exception):
    """The record changed since it was read (another window, a merge): reload before editing."""


class ReferenceRecord(ValueError):
    """Reference data is the same in every workspace and is not edited; record a choice of one's own."""


class Records:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def _conn(self):  # noqa: ANN202 - the sqlcipher3 connection
        return self._ws.connection

    # ---- reading -------------------------------------------------------------------------------
    def get(self, kind: RecordKind, record_id: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        cols = ", ".join(kind.columns)
        row = self._conn.execute(f"SELECT {cols} FROM {kind.table} WHERE id = ?", (record_id,)).fetchone()  # noqa: S608 - names from RecordKind
        if row is None:
            return None
        record = dict(zip(kind.columns, row, strict=True))
        if record["deleted"] and not include_deleted:
            return None
        return record

    def history(self, kind: RecordKind, record_id: str) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT rev, base_rev, office, deleted, data, reason, at FROM history"
            " WHERE kind = ? AND record_id = ? ORDER BY rev DESC", (kind.name, record_id)).fetchall()
        out = []
        for rev, base_rev, office, deleted, data, reason, at in rows:
            out.append({"id": record_id, "rev": rev, "base_rev": base_rev, "office": office,
                        "deleted": deleted, **json.loads(data), "_reason": reason, "_at": at})
        return out

    def iter_all(self, kind: RecordKind, *, include_deleted: bool = True) -> Iterator[dict[str, Any]]:
        cols = ", ".join(kind.columns)
        sql = f"SELECT {cols} FROM {kind.table}"  # noqa: S608
        if not include_deleted:
            sql += " WHERE deleted = 0"
        for row in self._conn.execute(sql):
            yield dict(zip(kind.columns, row, strict=True))

    # ---- local changes -------------------------------------------------------------------------
    def insert(self, kind: RecordKind, data: dict[str, Any], *, office: str | None = None,
               record_id: str | None = None) -> dict[str, Any]:
        return self.insert_many(kind, [data], office=office, ids=[record_id] if record_id else None)[0]

    def insert_many(self, kind: RecordKind, rows: Iterable[dict[str, Any]], *, office: str | None = None,
                    ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Insert new records in one transaction (the caller's, if one is open)."""
        import uuid  # here, not at the top: reading a workspace makes no ids (start-up, issue 14)

        office = office or self._ws.office
        records = []
        with self._ws.transaction():
            for n, data in enumerate(rows):
                _check_fields(kind, data)
                record = kind.checked({f: data.get(f) for f in kind.fields})
                record.update(id=(ids[n] if ids else None) or str(uuid.uuid4()), office=office,
                              rev=self._ws.clock.tick(), base_rev=None, deleted=0)
                records.append(record)
            self._write_rows(kind, records, replace=False)
            self._ws.audit.append_many(self._ws.actor, (
                ("insert", kind.name, r["id"], None, r["rev"]) for r in records))
            self._ws.note_clock()
        return records

    def update(self, kind: RecordKind, record_id: str, changes: dict[str, Any], *,
               expected_rev: str | None = None) -> dict[str, Any]:
        return self.update_many(kind, [(record_id, changes)], expected_revs=[expected_rev])[0]

    def update_many(self, kind: RecordKind, changes: Iterable[tuple[str, dict[str, Any]]], *,
                    expected_revs: list[str | None] | None = None) -> list[dict[str, Any]]:
        """Edit records; each old version goes to history. `expected_revs` guards against editing a
        version that changed underneath (the window passes the revision it displayed)."""
        out: list[dict[str, Any]] = []
        pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (old, new) for records that changed
        with self._ws.transaction():
            for n, (record_id, data) in enumerate(changes):
                _check_fields(kind, data)
                current = self.get(kind, record_id, include_deleted=True)
                if current is None:
                    raise RecordNotFound(record_id)
                if current["office"] == REFERENCE_OFFICE:
                    raise ReferenceRecord(record_id)
                expected = expected_revs[n] if expected_revs else None
                if expected is not None and expected != current["rev"]:
                    raise StaleRecord(record_id)
                new = dict(current)
                new.update(kind.checked(data))
                if all(new[f] == current[f] for f in kind.fields) and not current["deleted"]:
                    out.append(current)
                    continue
                new.update(rev=self._ws.clock.tick(), base_rev=current["rev"], deleted=0)
                pairs.append((current, new))
                out.append(new)
            self._to_history(kind, [(old, "edited") for old, _ in pairs])
            self._write_rows(kind, [new for _, new in pairs], replace=True)
            self._ws.audit.append_many(self._ws.actor, (
                ("update", kind.name, new["id"], old["rev"], new["rev"]) for old, new in pairs))
            self._ws.note_clock()
        return out

    def delete(self, kind: RecordKind, record_id: str, *, expected_rev: str | None = None) -> dict[str, Any]:
        """Write a tombstone: the row stays (deleted = 1) so the removal can travel in a bundle."""
        with self._ws.transaction():
            current = self.get(kind, record_id, include_deleted=True)
            if current is None:
                raise RecordNotFound(record_id)
            if current["office"] == REFERENCE_OFFICE:
                raise ReferenceRecord(record_id)
            if expected_rev is not None and expected_rev != current["rev"]:
                raise StaleRecord(record_id)
            if current["deleted"]:
                return current
            tomb = dict(current, rev=self._ws.clock.tick(), base_rev=current["rev"], deleted=1)
            self._to_history(kind, [(current, "deleted")])
            self._write_rows(kind, [tomb], replace=True)
            self._ws.audit.append(self._ws.actor, "delete", kind.name, record_id, current["rev"], tomb["rev"])
            self._ws.note_clock()
        return tomb

    # ---- merging -------------------------------------------------------------------------------
    def apply_version(self, kind: RecordKind, incoming: dict[str, Any]) -> Outcome:
        """Bring one version from another workspace into this one (see the module docstring)."""
        with self._ws.transaction():
            self._ws.clock.observe(incoming["rev"])
            current = self.get(kind, incoming["id"], include_deleted=True)
            version = {c: incoming.get(c) for c in kind.columns}
            version["deleted"] = int(bool(version["deleted"]))
            if current is not None and current["office"] == REFERENCE_OFFICE:
                return Outcome.UNCHANGED  # an older workspace's copy of reference data: ours is the reference
            if current is None:
                if self._in_history(kind, version):
                    return Outcome.UNCHANGED
                self._write_rows(kind, [version], replace=False)
                self._ws.audit.append(self._ws.actor, "merge-insert", kind.name, version["id"], None, version["rev"])
                return Outcome.INSERTED
            if current["rev"] == version["rev"] or self._in_history(kind, version):
                return Outcome.UNCHANGED
            if current["office"] != version["office"]:
                self._to_history(kind, [(version, "conflict-lost")])
                self._ws.audit.append(self._ws.actor, "merge-conflict", kind.name, version["id"],
                                      version["rev"], current["rev"])
                return Outcome.CONFLICT_LOST
            if version["base_rev"] == current["rev"]:
                self._to_history(kind, [(current, "edited")])
                self._write_rows(kind, [version], replace=True)
                self._ws.audit.append(self._ws.actor, "merge-update", kind.name, version["id"],
                                      current["rev"], version["rev"])
                return Outcome.FAST_FORWARD
            if version["rev"] > current["rev"]:
                self._to_history(kind, [(current, "conflict-lost")])
                self._write_rows(kind, [version], replace=True)
                self._ws.audit.append(self._ws.actor, "merge-conflict", kind.name, version["id"],
                                      current["rev"], version["rev"])
                return Outcome.CONFLICT_WON
            self._to_history(kind, [(version, "conflict-lost")])
            self._ws.audit.append(self._ws.actor, "merge-conflict", kind.name, version["id"],
                                  version["rev"], current["rev"])
            return Outcome.CONFLICT_LOST

    def apply_versions(self, kind: RecordKind, incoming: Iterable[dict[str, Any]], *,
                       ancestors: Mapping[str, Collection[str]] | Ancestry | None = None) -> list[Outcome]:
        """Many `apply_version`s at once, with the same rules and outcomes, for merging bundles fast:
        one read of the current rows and one of the history for all incoming ids, then bulk writes.

        `ancestors` (optional, record id → revisions the incoming version descends from, known from the
        sender's history) turns "our current revision is an older version of this one" into a
        fast-forward even when the incoming base is not exactly our current revision. A version of
        another office than the stored record never replaces it (see the module docstring). It may also
        be a function, asked only about the versions whose base is not our current revision
        (`Ancestry`: the merge reads the chains from the history it holds)."""
        versions = [_normalise(kind, v) for v in incoming]
        outcomes: list[Outcome] = [Outcome.UNCHANGED] * len(versions)
        if not versions:
            return outcomes
        with self._ws.transaction():
            self._ws.clock.observe(max(v["rev"] for v in versions))
            # A record id may come twice (two versions in one batch): later copies wait for a later pass.
            passes: list[list[int]] = []
            seen: dict[str, int] = {}
            for n, v in enumerate(versions):
                depth = seen.get(v["id"], 0)
                seen[v["id"]] = depth + 1
                if depth == len(passes):
                    passes.append([])
                passes[depth].append(n)
            for indexes in passes:
                self._apply_pass(kind, versions, indexes, outcomes, ancestors or {})
        return outcomes

    def _apply_pass(self, kind: RecordKind, versions: list[dict[str, Any]], indexes: list[int],
                    outcomes: list[Outcome], ancestors: Mapping[str, Collection[str]] | Ancestry) -> None:
        ids = [versions[n]["id"] for n in indexes]
        current = self._current_many(kind, ids)
        known = self._history_revs(kind, ids)
        if callable(ancestors):
            need = [v for v in (versions[n] for n in indexes) if v["base_rev"] is not None
                    and (ours := current.get(v["id"])) is not None and ours["rev"] not in (v["rev"], v["base_rev"])]
            ancestors = ancestors(need) if need else {}
        inserts: list[dict[str, Any]] = []
        replaces: list[dict[str, Any]] = []
        to_history: list[tuple[dict[str, Any], str]] = []
        audit: list[tuple[str, str, str, str | None, str | None]] = []
        for n in indexes:
            version = versions[n]
            rid, rev = version["id"], version["rev"]
            ours = current.get(rid)
            if ours is not None and ours["office"] == REFERENCE_OFFICE:
                outcomes[n] = Outcome.UNCHANGED  # an older workspace's copy of reference data
                continue
            if ours is None:
                if (rid, rev) in known:
                    outcomes[n] = Outcome.UNCHANGED
                    continue
                inserts.append(version)
                audit.append(("merge-insert", kind.name, rid, None, rev))
                outcomes[n] = Outcome.INSERTED
            elif ours["rev"] == rev or (rid, rev) in known:
                outcomes[n] = Outcome.UNCHANGED
                continue
            elif ours["office"] != version["office"]:   # a claim on another office's record
                to_history.append((version, "conflict-lost"))
                audit.append(("merge-conflict", kind.name, rid, rev, ours["rev"]))
                outcomes[n] = Outcome.CONFLICT_LOST
            elif version["base_rev"] == ours["rev"] or ours["rev"] in ancestors.get(rid, ()):
                to_history.append((ours, "edited"))
                replaces.append(version)
                audit.append(("merge-update", kind.name, rid, ours["rev"], rev))
                outcomes[n] = Outcome.FAST_FORWARD
            elif rev > ours["rev"]:
                to_history.append((ours, "conflict-lost"))
                replaces.append(version)
                audit.append(("merge-conflict", kind.name, rid, ours["rev"], rev))
                outcomes[n] = Outcome.CONFLICT_WON
            else:
                to_history.append((version, "conflict-lost"))
                audit.append(("merge-conflict", kind.name, rid, rev, ours["rev"]))
                outcomes[n] = Outcome.CONFLICT_LOST
        self._to_history(kind, to_history)
        self._write_rows(kind, inserts, replace=False)
        self._write_rows(kind, replaces, replace=True)
        self._ws.audit.append_many(self._ws.actor, audit)

    def add_history_versions(self, kind: RecordKind, versions: Iterable[dict[str, Any]]) -> int:
        """Keep older versions from another workspace's history (a bundle carries them) so that every
        version survives a merge. Versions that are current here or already in history are skipped.
        Each version is a record dict plus `_reason` (why it left the sender's current data)."""
        wanted = [(_normalise(kind, v), v.get("_reason") or "edited") for v in versions]
        if not wanted:
            return 0
        with self._ws.transaction():
            ids = list({v["id"] for v, _ in wanted})
            rows = self._current_many(kind, ids)
            current = {rid: row["rev"] for rid, row in rows.items()}
            reference = {rid for rid, row in rows.items() if row["office"] == REFERENCE_OFFICE}
            known = self._history_revs(kind, ids)
            fresh: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
            for v, reason in wanted:
                key = (v["id"], v["rev"])
                if current.get(v["id"]) == v["rev"] or key in known or key in fresh or v["id"] in reference:
                    continue
                fresh[key] = (v, reason)
            self._to_history(kind, list(fresh.values()))
            self._ws.audit.append_many(self._ws.actor, (
                ("merge-history", kind.name, v["id"], None, v["rev"]) for v, _ in fresh.values()))
        return len(fresh)

    def _current_many(self, kind: RecordKind, ids: list[str]) -> dict[str, dict[str, Any]]:
        cols = kind.columns
        rows = self._conn.execute(
            f"SELECT {', '.join(cols)} FROM {kind.table} WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
            (json.dumps(ids),)).fetchall()
        return {row[0]: dict(zip(cols, row, strict=True)) for row in rows}

    def _history_revs(self, kind: RecordKind, ids: list[str]) -> set[tuple[str, str]]:
        rows = self._conn.execute(
            "SELECT record_id, rev FROM history WHERE kind = ? AND record_id IN (SELECT value FROM json_each(?))",
            (kind.name, json.dumps(ids))).fetchall()
        return {(rid, rev) for rid, rev in rows}

    def _in_history(self, kind: RecordKind, version: dict[str, Any]) -> bool:
        row = self._conn.execute("SELECT 1 FROM history WHERE kind = ? AND record_id = ? AND rev = ?",
                                 (kind.name, version["id"], version["rev"])).fetchone()
        return row is not None

    # ---- plumbing ------------------------------------------------------------------------------
    def _write_rows(self, kind: RecordKind, records: list[dict[str, Any]], *, replace: bool) -> None:
        if not records:
            return
        self._ws.touch(kind.name)
        cols = kind.columns
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        sql = f"{verb} INTO {kind.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"  # noqa: S608
        self._conn.executemany(sql, map(kind.row_getter, records))

    def _to_history(self, kind: RecordKind, versions: list[tuple[dict[str, Any], str]]) -> None:
        if not versions:
            return
        self._ws.touch(kind.name)
        at = utc_now()
        self._conn.executemany(
            "INSERT OR IGNORE INTO history (kind, record_id, rev, base_rev, office, deleted, data, reason, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(kind.name, v["id"], v["rev"], v["base_rev"], v["office"], int(bool(v["deleted"])),
              json.dumps({f: v.get(f) for f in kind.fields}, ensure_ascii=False, sort_keys=True), reason, at)
             for v, reason in versions])


def _check_fields(kind: RecordKind, data: dict[str, Any]) -> None:
    unknown = set(data) - set(kind.fields)
    if unknown:
        raise ValueError(f"{kind.name}: unknown fields {sorted(unknown)}")


def _normalise(kind: RecordKind, incoming: dict[str, Any]) -> dict[str, Any]:
    deleted = incoming.get("deleted")
    if (deleted == 0 or deleted == 1) and type(deleted) is int and incoming.keys() == kind.column_set:
        return incoming   # already a record of this kind (a bundle's checked row): not copied (merge speed)
    version = {c: incoming.get(c) for c in kind.columns}
    deleted = version["deleted"]
    if type(deleted) is not int or (deleted != 0 and deleted != 1):
        version["deleted"] = int(bool(deleted))
    return version
