"""Import and merge bundles into a workspace (usually a regional coordinator's).

Each bundle is read in two passes over its content, a stream of checked chunks (reader.py), so that
memory stays bounded whatever the bundle holds:

1. in the reader thread, while the previous bundle is written: decrypt, check the signature and the
   manifest, then read the whole content once and check every row, count and file and the digest
   the signed manifest gives. Nothing is written; a bad bundle is refused here with a clear message and
   the workspace stays byte for byte as it was, while the other bundles of the same run still merge;
2. in the caller's thread, after the sender was checked against the known senders: read the content
   again and merge it chunk by chunk in one transaction, through `Records.add_history_versions` (the
   sender's older versions, first) and `Records.apply_versions` (design.md's rules). Should the second
   reading differ from the first (it cannot, short of failing memory), the transaction rolls back.

An encrypted backup is taken before the first write of a run. Re-importing the same bundle changes
nothing and the order of bundles does not matter.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from desktop.exchange import bundle, relay
from desktop.exchange.errors import (
    BundleError,
    MalformedBundle,
    MalformedRelay,
)
from desktop.exchange.kinds import load_record_kinds
from desktop.exchange.readahead import ReadAhead
from desktop.exchange.reader import (
    Chunk,
    Parsed,
    check_manifest,
    checked_chunks,
    parse_content,
    trusted_chunks,
)
from desktop.exchange.senders import check_sender, remember_sender
from desktop.process import release_free_memory
from desktop.tasks import Cancelled, TaskState, report
from storage.audit import utc_now
from storage.cipher import IntegrityError
from storage.records import Outcome, RecordKind

if TYPE_CHECKING:
    from storage import Workspace

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def display_name(path: Path | str) -> str:
    """A file name safe to show and store: no control or direction characters, bounded length."""
    name = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", Path(path).name) or "?"
    return name if len(name) <= 120 else name[:80] + "…" + name[-39:]


@dataclass
class BundleResult:
    path: Path
    file_name: str
    status: str = "refused"          # 'merged' | 'already-imported' | 'refused'
    office: str = ""
    entity: str = ""
    fingerprint: str = ""
    file_digest: str = ""
    sender: str = ""                 # 'new' | 'known' | 'changed' (a confirmed key change)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    history_added: int = 0
    files_added: int = 0             # attachments and signed letters kept (desktop/exchange/files.py)
    error: BundleError | None = None
    conflict_ids: list[tuple[str, str]] = field(default_factory=list)
    via: str = ""                    # the coordinator that relayed this office's bundle, if relayed

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "status": self.status, "office": self.office, "via": self.via or None,
                "entity": self.entity,
                "fingerprint": self.fingerprint, "digest": self.file_digest, "sender": self.sender,
                "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "history_added": self.history_added, "files": self.files_added,
                "error": str(self.error) if self.error else None,
                "error_type": type(self.error).__name__ if self.error else None}


Progress = Callable[[int, int, BundleResult | None], None]


def own_box_key(ws: Workspace) -> X25519PrivateKey | None:
    """The workspace's X25519 key if it has one (reading must not create keys: that would be a write)."""
    row = ws.connection.execute("SELECT box_key FROM exchange_identity WHERE id = 1").fetchone()
    return X25519PrivateKey.from_private_bytes(bytes(row[0])) if row else None


def open_bundle(path: Path | str, passphrase: str | None, *, box_key: X25519PrivateKey | None = None,
                limits: bundle.Limits = bundle.DEFAULT_LIMITS) -> tuple[bundle.OpenedBundle, Parsed]:
    """Read and check everything in a bundle, gathered in memory (tests and small tools; the merge
    streams instead). Raises a BundleError. Touches no workspace."""
    opened = bundle.decode(bundle.read_file(Path(path), limits), passphrase, box_key=box_key, limits=limits)
    return opened, parse_content(opened)


def _earlier_import(ws: Workspace, file_digest: str) -> tuple[str, str, str, str, int] | None:
    row = ws.connection.execute(
        "SELECT office, entity, fingerprint, file_digest, inserted + updated + unchanged + conflicts"
        " FROM exchange_import WHERE file_digest = ? ORDER BY seq LIMIT 1", (file_digest,)).fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]


def merge_bundles(ws: Workspace, paths: Iterable[Path | str], passphrase: str | None, *,
                  progress: Progress | None = None, accept_new_keys: Collection[str] = (),
                  reimport: bool = False, limits: bundle.Limits = bundle.DEFAULT_LIMITS,
                  backup: bool = True, task: TaskState | None = None, atomic: bool = True) -> list[BundleResult]:
    """Merge bundles one after another; returns one result per bundle (a refused one carries `error`),
    and for a coordinator's relay bundle one result per office bundle it carries.

    `accept_new_keys`: offices whose changed signing key the user confirmed. `reimport`: read and
    merge a bundle again even when the same file (same SHA-256) was imported before; the outcome is
    the same (nothing changes), it only costs the time. `task`: progress and cancel (desktop/tasks.py).
    `atomic` (the default): the whole run is one transaction with one commit, and a cancel or an
    interruption leaves the workspace as it was before the run; otherwise each bundle commits on its own.
    A bundle refused while it is written (rare: everything is checked before the first write) still
    leaves the others: the run is rolled back and done again without it (`_Refused`)."""
    paths = [Path(p) for p in paths]
    run = _Run(ws, passphrase, set(accept_new_keys), reimport, limits, backed_up=not backup, task=task,
               atomic=atomic)
    # A bulk write touches index pages all over the file (random ids): with SQLite's default 8 MB page
    # cache they are evicted, encrypted and decrypted again. 64 MB for the time of the run.
    conn = ws.connection
    previous_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA cache_size = -65536")
    try:
        while True:
            try:
                results = _merge_all(ws, paths, run, progress)
                break
            except _Refused as refused:
                run.finish(ok=False)                  # nothing of this attempt stays
                run.refused[refused.where] = refused.error
    except BaseException:
        run.finish(ok=False)
        raise
    finally:
        conn.execute(f"PRAGMA cache_size = {previous_cache}")
        release_free_memory()   # memory must not grow with the workspace, run after run
    run.finish(ok=True)
    return results


def _merge_all(ws: Workspace, paths: list[Path], run: _Run, progress: Progress | None) -> list[BundleResult]:
    passphrase, reimport, limits = run.passphrase, run.reimport, run.limits
    results: list[BundleResult] = []
    load_record_kinds()  # import every instrument here, not in the reader thread
    imported = {row[0] for row in ws.connection.execute("SELECT file_digest FROM exchange_import")}
    # While bundle n is written, bundle n+1 is read and checked (readahead.py: in a helper process for
    # a large run); the reader never touches the workspace.
    box_raw = None if run.box_key is None else run.box_key.private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    with ReadAhead(paths, f"{__name__}:_read_bundle", (passphrase, box_raw, limits,
                                         frozenset() if reimport else frozenset(imported))) as ahead:
        run.count = len(paths)
        for n, path in enumerate(paths):
            run.position = n
            report(run.task, n / max(1, len(paths)))
            if progress:
                progress(n, len(paths), None)
            result = BundleResult(path, display_name(path))
            done = [result]
            try:
                digest, opened, parts, chunks = ahead.result(n)
                earlier = None if reimport else _earlier_import(ws, digest)
                if earlier is not None:
                    # The very same file (same SHA-256) was checked and merged before: merging it again
                    # cannot change anything, so it is not even decrypted.
                    result.status, result.sender = "already-imported", "known"
                    result.office, result.entity, result.fingerprint, result.file_digest, result.unchanged = earlier
                else:
                    if opened is None:  # imported when the run started, then removed?
                        digest, opened, parts, chunks = _read_bundle(path, passphrase, box_raw, limits, frozenset())
                    if parts is not None:
                        done = run.merge_relay(path, opened, parts)
                    else:
                        run.merge_direct(opened, result, chunks=chunks)
            except BundleError as exc:
                result.error = exc
            results.extend(done)
            opened = parts = chunks = None   # this bundle's rows go before the next one's arrive
            release_free_memory()
            if progress:
                for r in done:
                    progress(n + 1, len(paths), r)
    return results


class _Refused(Exception):  # noqa: N818 - a signal inside the merge, not an error shown to anyone
    """A bundle (or a relay's part) refused after its first write, in an atomic run. No savepoint
    guards each bundle there: SQLite would keep, in memory, the original of every page the bundle
    changes (`temp_store = MEMORY`: a journal file would hold decrypted pages), which grows with the
    file up to about 16 KB a record of the largest bundle (docs/benchmarks.md). Instead the run is
    rolled back and done again without it. `where`: (bundle position, relay part or None)."""

    def __init__(self, where: tuple[int, int | None], error: BundleError) -> None:
        super().__init__(str(error))
        self.where, self.error = where, error


class _Run:
    """One merge run: its passphrase, confirmed key changes, and whether the backup was taken."""

    def __init__(self, ws: Workspace, passphrase: str | None, accept: set[str], reimport: bool,
                 limits: bundle.Limits, *, backed_up: bool, task: TaskState | None = None, atomic: bool = False) -> None:
        self.ws, self.passphrase, self.accept, self.reimport, self.limits = ws, passphrase, accept, reimport, limits
        self.backed_up = backed_up
        self.box_key = own_box_key(ws)
        self.task, self.atomic = task, atomic
        self._outer: contextlib.ExitStack | None = None
        self.refused: dict[tuple[int, int | None], BundleError] = {}   # refused mid-write, left out
        self.part: int | None = None   # the relay part being merged

    def _backup_once(self) -> None:
        if not self.backed_up:
            self.ws.backup("before-merge")
            self.backed_up = True
        if self.atomic and self._outer is None:   # the run's one transaction, opened at its first write
            self._outer = contextlib.ExitStack()
            self._outer.enter_context(self.ws.transaction())

    def _tick(self, within: float) -> None:
        """Progress inside the current bundle (a large one shows it, and may be cancelled mid-way)."""
        if self.task is not None:
            self.task.report((self.position + min(1.0, within)) / max(1, self.count))
            self.task.check()

    position = 0
    count = 1

    def finish(self, *, ok: bool) -> None:
        """End the run's transaction (atomic runs): commit, or roll back everything (a cancel)."""
        outer, self._outer = self._outer, None
        if outer is None:
            return
        if ok:
            outer.close()
        else:
            outer.__exit__(Cancelled, Cancelled(), None)

    def merge_direct(self, opened: bundle.OpenedBundle, result: BundleResult, via: str = "",
                     chunks: list[Chunk] | None = None) -> None:
        ws = self.ws
        manifest = opened.manifest
        counts = check_manifest(manifest)
        result.office, result.entity = manifest["office"], manifest["entity"]
        result.fingerprint, result.file_digest, result.via = opened.fingerprint, opened.file_digest, via
        if not self.reimport and _payload_imported(ws, opened.payload_digest):
            # The same signed bundle of the office came before (directly or relayed by a coordinator).
            result.status, result.sender = "already-imported", "known"
            result.unchanged = sum(c["current"] for c in counts.values())
            return
        result.sender = check_sender(ws, manifest["office"], opened.public_key,
                                     accept_new_key=manifest["office"] in self.accept)
        where = (self.position, self.part)
        if where in self.refused:   # refused while written in an earlier attempt of this run
            raise self.refused[where]
        self._backup_once()
        try:
            if self.atomic:
                _merge_one(ws, opened, result, via=via, tick=self._tick, chunks=chunks)
            else:
                with ws.savepoint():   # outside a run's transaction: the bundle's own transaction
                    _merge_one(ws, opened, result, via=via, tick=self._tick, chunks=chunks)
        except (BundleError, IntegrityError) as exc:
            # Nothing of this bundle stays; the others of the run go on.
            result.inserted = result.updated = result.unchanged = result.conflicts = 0
            result.history_added = result.files_added = 0
            result.conflict_ids.clear()
            error = exc if isinstance(exc, BundleError) else MalformedBundle("constraint")  # a value the schema refuses
            if self.atomic:
                raise _Refused(where, error) from exc
            raise error from exc
        result.status = "merged"

    def merge_relay(self, path: Path, opened: bundle.OpenedBundle, parts: list[bytes]) -> list[BundleResult]:
        """Every office bundle a coordinator relayed, each checked and merged as if the office had sent
        it: its own signature and key, its own rows. The coordinator is a known sender too."""
        ws, manifest = self.ws, opened.manifest
        via = manifest["office"]
        check_sender(ws, via, opened.public_key, accept_new_key=via in self.accept)
        out = []
        for index, (entry, payload) in enumerate(zip(manifest["parts"], parts, strict=True)):
            office = str(entry.get("office", "?"))[:64]
            result = BundleResult(path, f"{display_name(path)} › {display_name(office)}", office=office, via=via)
            self.part = index
            try:
                part = bundle.open_payload(payload, hashlib.sha256(payload).hexdigest(), self.limits)
                if relay.is_relay(part.manifest) or part.manifest.get("office") != office:
                    raise MalformedRelay("part")
                self.merge_direct(part, result, via=via, chunks=_check_all(part))
            except BundleError as exc:
                result.error = exc
            finally:
                self.part = None
            out.append(result)
        if any(r.error is None for r in out):  # a relay refused as a whole leaves no trace
            with ws.savepoint():
                remember_sender(ws, via, manifest["entity"], manifest["workspace_id"], opened.public_key)
                ws.audit.append(ws.actor, "bundle-import", "bundle", opened.file_digest, None, None)
        return out


def _relay_parts(opened: bundle.OpenedBundle) -> list[bytes] | None:
    """The office payloads of a relay bundle (None for an office's own bundle)."""
    if not relay.is_relay(opened.manifest):
        return None
    check_manifest(dict(opened.manifest, counts={}))
    return relay.unpack(opened.content, opened.manifest)


def _payload_imported(ws: Workspace, payload_digest: str) -> bool:
    return ws.connection.execute("SELECT 1 FROM exchange_import WHERE payload_digest = ? LIMIT 1",
                                 (payload_digest,)).fetchone() is not None


def _read_bundle(path: Path, passphrase: str | None, box_raw: bytes | None, limits: bundle.Limits,
                 imported: frozenset[str] | set[str]
                 ) -> tuple[str, bundle.OpenedBundle | None, list[bytes] | None, list[Chunk] | None]:
    """Runs in the reader (readahead.py: a thread or a helper process): the file's SHA-256, and, unless
    that file was imported before, the opened bundle (signature and manifest checked), its checked chunks
    or, for a relay, its office payloads. Raises BundleError like open_bundle."""
    box_key = None if box_raw is None else X25519PrivateKey.from_private_bytes(box_raw)
    data = bundle.read_file(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    if digest in imported:
        return digest, None, None, None
    opened = bundle.decode(data, passphrase, box_key=box_key, limits=limits)
    del data
    parts = _relay_parts(opened)
    chunks = _check_all(opened) if parts is None else None
    return digest, opened, parts, chunks


# A bundle whose content is at most this size keeps its checked chunks from the first reading for the
# merge (about ten times its size in memory), instead of reading them again: most offices' bundles.
KEEP_BELOW = 8 * 1024 * 1024


def _check_all(opened: bundle.OpenedBundle) -> list[Chunk] | None:
    """The first pass (see the module docstring): every chunk read and checked; kept for the merge when
    the bundle is small (KEEP_BELOW), else nothing is kept and the merge reads it again."""
    keep = opened.manifest["content_size"] <= KEEP_BELOW
    kept: list[Chunk] = []
    for chunk in checked_chunks(opened):
        if keep:
            kept.append(chunk)
    return kept if keep else None


def _ancestry(ws: Workspace, kind: RecordKind) -> Callable[[list[dict[str, Any]]], dict[str, set[str]]]:
    """Revisions each incoming version descends from, following base revisions through the history this
    workspace holds (the sender's history of this bundle was written first, in the same transaction);
    asked by `apply_versions` only for versions whose base is not our current revision."""
    def chains(rows: list[dict[str, Any]]) -> dict[str, set[str]]:
        bases: dict[str, dict[str, str | None]] = {}
        for rid, rev, base in ws.connection.execute(
                "SELECT record_id, rev, base_rev FROM history WHERE kind = ? AND record_id IN (SELECT value FROM json_each(?))",
                (kind.name, json.dumps([r["id"] for r in rows]))):
            bases.setdefault(rid, {})[rev] = base
        out: dict[str, set[str]] = {}
        for row in rows:
            chain = bases.get(row["id"], {})
            seen: set[str] = set()
            base = row["base_rev"]
            while base is not None and base not in seen:
                seen.add(base)
                base = chain.get(base)
            out[row["id"]] = seen
        return out

    return chains


def _merge_one(ws: Workspace, opened: bundle.OpenedBundle, result: BundleResult, *, via: str = "",
               tick: Callable[[float], None] | None = None, chunks: list[Chunk] | None = None) -> None:
    """Merge one office bundle, chunk by chunk, in one transaction (rolled back on any BundleError)."""
    manifest = opened.manifest
    total = max(1, sum(c["current"] + c["history"] for c in manifest["counts"].values()))
    done = 0
    keep = ws.role != "headquarters"   # a coordinator (or an office) may relay it upward later
    # The versions a full bundle holds are only needed to prune payloads kept earlier from the same office
    # workspace (relay.keep_received): counted only when there is one.
    prune = keep and relay.has_earlier_payloads(ws, opened.manifest)
    versions: set[int] = set()
    added_files: set[str] = set()
    with ws.transaction() as conn:
        now = utc_now()
        cursor = conn.execute(
            "INSERT INTO exchange_import (at, actor, file_name, file_digest, office, entity, workspace_id, fingerprint,"
            " exported_at, inserted, updated, unchanged, conflicts, history_added, payload_digest, via)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, ?)",
            (now, ws.actor, result.file_name, opened.file_digest, manifest["office"], manifest["entity"],
             manifest["workspace_id"], opened.fingerprint, manifest["exported_at"], opened.payload_digest,
             via or None))
        import_seq = cursor.lastrowid
        # The second reading (the first one, in _check_all, checked everything: module docstring).
        for chunk in chunks if chunks is not None else trusted_chunks(opened):
            if chunk.section == "file":
                for spec, row in chunk.named_by:
                    if spec.store(ws, row, chunk.data):
                        added_files.add(chunk.digest)
                continue
            kind = chunk.kind
            assert kind is not None
            done += len(chunk.rows)
            if tick is not None:
                tick(done / total)
            if prune:
                versions.update(relay.version_key(kind.name, r["id"], r["rev"]) for r in chunk.rows)
            if chunk.section == "history":
                result.history_added += ws.records.add_history_versions(kind, chunk.rows)
            else:
                _apply_rows(ws, kind, chunk.rows, result, import_seq, now)
        result.files_added = len(added_files)
        remember_sender(ws, manifest["office"], manifest["entity"], manifest["workspace_id"], opened.public_key)
        if keep:
            relay.keep_received(ws, opened, versions)
        conn.execute("UPDATE exchange_import SET inserted = ?, updated = ?, unchanged = ?, conflicts = ?,"
                     " history_added = ? WHERE seq = ?",
                     (result.inserted, result.updated, result.unchanged, result.conflicts, result.history_added,
                      import_seq))
        ws.audit.append(ws.actor, "bundle-import", "bundle", opened.file_digest, None, None)


def _apply_rows(ws: Workspace, kind: RecordKind, rows: list[dict[str, Any]], result: BundleResult,
                import_seq: int, now: str) -> None:
    """One chunk of current rows: applied, counted, and its conflicts listed for review."""
    conn = ws.connection
    outcomes = ws.records.apply_versions(kind, rows, ancestors=_ancestry(ws, kind))
    to_review = []
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome is Outcome.INSERTED:
            result.inserted += 1
        elif outcome is Outcome.FAST_FORWARD:
            result.updated += 1
        elif outcome is Outcome.UNCHANGED:
            result.unchanged += 1
        else:
            rid = row["id"]
            current_rev = conn.execute(f"SELECT rev FROM {kind.table} WHERE id = ?", (rid,)).fetchone()[0]  # noqa: S608
            if outcome is Outcome.CONFLICT_WON:
                loser = conn.execute("SELECT rev FROM history WHERE kind = ? AND record_id = ? AND reason = 'conflict-lost'"
                                     " AND rev != ? ORDER BY seq DESC LIMIT 1", (kind.name, rid, current_rev)).fetchone()
                winner, loser_rev = row["rev"], loser[0] if loser else ""
            else:
                winner, loser_rev = current_rev, row["rev"]
            if _same_content(ws, kind, rid, loser_rev):
                # Both sides wrote the very same content (e.g. the seeded courses every office starts
                # with): the losing version is still kept in history, but there is nothing to review.
                result.unchanged += 1
                continue
            result.conflicts += 1
            to_review.append((import_seq, kind.name, rid, winner, loser_rev, now))
    if to_review:
        conn.executemany("INSERT INTO exchange_conflict (import_seq, kind, record_id, winner_rev, loser_rev, at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", to_review)
        if len(result.conflict_ids) < 10_000:   # the list shown after a merge; the table holds them all
            result.conflict_ids.extend((kind_name, rid) for _s, kind_name, rid, _w, _l, _a in to_review)


def _same_content(ws: Workspace, kind: RecordKind, record_id: str, loser_rev: str) -> bool:
    """Whether the current version and the losing one (kept in history) hold the same fields."""
    lost = ws.connection.execute("SELECT data, deleted FROM history WHERE kind = ? AND record_id = ? AND rev = ?",
                                 (kind.name, record_id, loser_rev)).fetchone()
    current = ws.records.get(kind, record_id, include_deleted=True)
    if lost is None or current is None:
        return False
    fields = json.loads(lost[0])
    return bool(lost[1]) == bool(current["deleted"]) and all(fields.get(f) == current[f] for f in kind.fields)


def import_history(ws: Workspace, limit: int = 500) -> list[dict[str, Any]]:
    cols = ("seq", "at", "actor", "file_name", "file_digest", "office", "entity", "workspace_id", "fingerprint",
            "exported_at", "inserted", "updated", "unchanged", "conflicts", "history_added", "via")
    rows = ws.connection.execute(f"SELECT {', '.join(cols)} FROM exchange_import ORDER BY seq DESC LIMIT ?",  # noqa: S608
                                 (limit,)).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]
