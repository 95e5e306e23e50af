"""Import and merge bundles into a workspace (usually a regional coordinator's).

Each bundle is read, decrypted, checked (signature, digests, every row) and its sender checked
against the known senders *before* anything is written; a bad bundle is refused with a clear message
and changes nothing, while the other bundles of the same run still merge. An encrypted backup is
taken before the first write of a run. Each bundle then merges in one transaction, through
`Records.apply_versions` (design.md's rules) and `Records.add_history_versions` (the sender's older
versions), so re-importing the same bundle changes nothing and the order of bundles does not matter.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop.exchange import bundle, files, relay
from desktop.exchange.errors import (
    BundleError,
    ForeignRecords,
    FutureRevision,
    MalformedBundle,
    MalformedRelay,
    UnknownKind,
)
from desktop.exchange.kinds import load_record_kinds
from desktop.exchange.senders import check_sender, remember_sender
from storage import Workspace
from storage.audit import utc_now
from storage.cipher import IntegrityError
from storage.records import IDENTITY, Outcome, RecordKind, registered_kinds

AHEAD = 2  # bundles read ahead of the one being written

_REV = re.compile(r"\d{13}-\d{5}-[0-9A-Za-z]{1,64}")
_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)
_REASONS = {"edited", "deleted", "conflict-lost", "restored-over"}
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


@dataclass
class Parsed:
    manifest: dict[str, Any]
    current: dict[str, list[dict[str, Any]]]
    history: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes] = field(default_factory=dict)   # checked: digest -> bytes

    @property
    def records(self) -> int:
        return sum(len(v) for v in self.current.values())


Progress = Callable[[int, int, BundleResult | None], None]


def own_box_key(ws: Workspace) -> X25519PrivateKey | None:
    """The workspace's X25519 key if it has one (reading must not create keys: that would be a write)."""
    row = ws.connection.execute("SELECT box_key FROM exchange_identity WHERE id = 1").fetchone()
    return X25519PrivateKey.from_private_bytes(bytes(row[0])) if row else None


def open_bundle(path: Path | str, passphrase: str | None, *, box_key: X25519PrivateKey | None = None,
                limits: bundle.Limits = bundle.DEFAULT_LIMITS) -> tuple[bundle.OpenedBundle, Parsed]:
    """Read and check everything in a bundle; raises a BundleError. Touches no workspace."""
    opened = bundle.decode(bundle.read_file(Path(path), limits), passphrase, box_key=box_key, limits=limits)
    return opened, parse_content(opened)


def parse_content(opened: bundle.OpenedBundle) -> Parsed:
    manifest = opened.manifest
    for key in ("office", "entity", "workspace_id", "exported_at"):
        value = manifest.get(key)
        if not isinstance(value, str) or len(value) > 200 or (key in ("office", "workspace_id") and not value):
            raise MalformedBundle(f"manifest {key}")
    counts = manifest.get("counts")
    if not isinstance(counts, dict):
        raise MalformedBundle("manifest counts")
    try:
        content = json.loads(opened.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedBundle("content json") from exc
    if not isinstance(content, dict) or not isinstance(content.get("kinds"), dict) \
            or not isinstance(content.get("history", {}), dict):
        raise MalformedBundle("content")
    known = {k.name: k for k in load_record_kinds()}
    future = _future_limit()
    current: dict[str, list[dict[str, Any]]] = {}
    history: dict[str, list[dict[str, Any]]] = {}
    for name, block in content["kinds"].items():
        kind = _kind(known, name)
        if not isinstance(block, dict) or not isinstance(block.get("rows"), list) \
                or not _known_columns(kind, block.get("columns")):
            raise UnknownKind(name)
        current[name] = _rows(kind, _widened(kind, block["columns"], block["rows"]), manifest["office"], future)
    for name, rows in content.get("history", {}).items():
        kind = _kind(known, name)
        if not isinstance(rows, list):
            raise MalformedBundle("history")
        history[name] = [_history_row(kind, r, manifest["office"], future) for r in rows]
    for name in set(current) | set(history):
        expected = counts.get(name)
        if not isinstance(expected, dict) or expected.get("current") != len(current.get(name, ())) \
                or expected.get("history") != len(history.get(name, ())):
            raise MalformedBundle(f"counts of {name}")
    carried = files.check(content.get("files"), current)
    declared = manifest.get("files") or {"count": 0}
    if not isinstance(declared, dict) or declared.get("count") != len(carried):
        raise MalformedBundle("counts of files")
    return Parsed(manifest, current, history, carried)


def _known_columns(kind: RecordKind, columns: Any) -> bool:
    """A bundle's columns of a kind: ours, or the first of ours (a bundle from a version before some
    fields were added: they arrive empty). Never columns we do not know."""
    expected = list(kind.columns)
    return (isinstance(columns, list) and len(IDENTITY) <= len(columns) <= len(expected)
            and columns == expected[:len(columns)])


def _widened(kind: RecordKind, columns: list[str], rows: list[Any]) -> list[Any]:
    missing = len(kind.columns) - len(columns)
    if not missing:
        return rows
    pad = [None] * missing
    return [row + pad if type(row) is list else row for row in rows]


def _kind(known: dict[str, RecordKind], name: str) -> RecordKind:
    if name not in known:
        raise UnknownKind(str(name)[:60])
    return known[name]


def _check_identity(rid: Any, office: Any, rev: Any, base: Any, deleted: Any) -> None:
    if not (isinstance(rid, str) and 0 < len(rid) <= 64 and isinstance(office, str) and len(office) <= 64
            and isinstance(rev, str) and _REV.fullmatch(rev)
            and (base is None or (isinstance(base, str) and _REV.fullmatch(base)))
            and deleted in (0, 1) and not isinstance(deleted, float)):
        raise MalformedBundle("identity columns")


def _future_limit() -> str:
    """Revisions are hybrid-clock times: one more than a day ahead of this computer's clock comes from
    a wrong clock (or a forgery) and would drag our clock along for good, so it is refused."""
    return f"{int((time.time() + 86_400) * 1000):013d}"


def _rows(kind: RecordKind, rows: list[Any], sender: str, future: str) -> list[dict[str, Any]]:
    """Check every row and make it a record dict. Written as one tight loop: it runs for every
    record of every bundle (200,000 in the merge benchmark)."""
    cols, width, rev_ok, scalar = kind.columns, len(kind.columns), _REV.fullmatch, _SCALAR_TYPES
    out = []
    for row in rows:
        if type(row) is not list or len(row) != width:
            raise MalformedBundle(f"row of {kind.name}")
        rid, office, rev, base, deleted = row[0], row[1], row[2], row[3], row[4]
        if not (type(rid) is str and 0 < len(rid) <= 64 and type(office) is str and len(office) <= 64
                and type(rev) is str and rev_ok(rev) and (base is None or (type(base) is str and rev_ok(base)))
                and (deleted == 0 or deleted == 1) and type(deleted) is not float):
            raise MalformedBundle("identity columns")
        if office != sender:
            raise ForeignRecords(office)
        if rev[:13] > future:
            raise FutureRevision(rev)
        for value in row[5:]:
            if type(value) not in scalar:
                raise MalformedBundle(f"value in {kind.name}")
        out.append(dict(zip(cols, row, strict=False)))  # length checked above
    return out


def _history_row(kind: RecordKind, row: Any, sender: str, future: str) -> dict[str, Any]:
    if not isinstance(row, list) or len(row) != 7:
        raise MalformedBundle(f"history of {kind.name}")
    rid, rev, base, office, deleted, data, reason = row
    _check_identity(rid, office, rev, base, deleted)
    if office != sender:
        raise ForeignRecords(office)
    if rev[:13] > future:
        raise FutureRevision(rev)
    if isinstance(data, dict):
        data = {f: data.get(f) for f in kind.fields} if set(data) <= set(kind.fields) else data
    if not isinstance(data, dict) or set(data) != set(kind.fields) or reason not in _REASONS \
            or not all(isinstance(v, _SCALARS) for v in data.values()):
        raise MalformedBundle(f"history of {kind.name}")
    return {**data, "id": rid, "rev": rev, "base_rev": base, "office": office, "deleted": deleted,
            "_reason": reason}


def _earlier_import(ws: Workspace, file_digest: str) -> tuple[str, str, str, str, int] | None:
    row = ws.connection.execute(
        "SELECT office, entity, fingerprint, file_digest, inserted + updated + unchanged + conflicts"
        " FROM exchange_import WHERE file_digest = ? ORDER BY seq LIMIT 1", (file_digest,)).fetchone()
    return tuple(row) if row else None  # type: ignore[return-value]


def merge_bundles(ws: Workspace, paths: Iterable[Path | str], passphrase: str | None, *,
                  progress: Progress | None = None, accept_new_keys: Collection[str] = (),
                  reimport: bool = False, limits: bundle.Limits = bundle.DEFAULT_LIMITS,
                  backup: bool = True) -> list[BundleResult]:
    """Merge bundles one after another; returns one result per bundle (a refused one carries `error`),
    and for a coordinator's relay bundle one result per office bundle it carries.

    `accept_new_keys`: offices whose changed signing key the user confirmed. `reimport`: read and
    merge a bundle again even when the same file (same SHA-256) was imported before; the outcome is
    the same (nothing changes), it only costs the time."""
    paths = [Path(p) for p in paths]
    results: list[BundleResult] = []
    run = _Run(ws, passphrase, set(accept_new_keys), reimport, limits, backed_up=not backup)
    load_record_kinds()  # import every instrument here, not in the reader thread
    imported = {row[0] for row in ws.connection.execute("SELECT file_digest FROM exchange_import")}
    # While bundle n is written (SQLite releases the GIL), a reader thread reads, decrypts (scrypt
    # releases the GIL too) and parses bundle n+1: on two cores the merge takes about the longer of
    # the two instead of their sum. The reader never touches the workspace; at most AHEAD bundles
    # are held in memory at once.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-reader") as pool:
        futures = {}

        def submit(i: int) -> None:
            futures[i] = pool.submit(_read_bundle, paths[i], passphrase, run.box_key, limits,
                                     frozenset() if reimport else imported)

        for i in range(min(AHEAD, len(paths))):
            submit(i)
        for n, path in enumerate(paths):
            if progress:
                progress(n, len(paths), None)
            result = BundleResult(path, display_name(path))
            future = futures.pop(n)
            if n + AHEAD < len(paths):
                submit(n + AHEAD)
            done = [result]
            try:
                digest, opened, parsed, parts = future.result()
                earlier = None if reimport else _earlier_import(ws, digest)
                if earlier is not None:
                    # The very same file (same SHA-256) was checked and merged before: merging it again
                    # cannot change anything, so it is not even decrypted.
                    result.status, result.sender = "already-imported", "known"
                    result.office, result.entity, result.fingerprint, result.file_digest, result.unchanged = earlier
                else:
                    if opened is None:  # imported when the run started, then removed?
                        opened = bundle.decode(bundle.read_file(path, limits), passphrase, box_key=run.box_key,
                                               limits=limits)
                        parts = _relay_parts(opened)
                        parsed = None if parts is not None else parse_content(opened)
                    if parts is not None:
                        done = run.merge_relay(path, opened, parts)
                    else:
                        assert parsed is not None
                        run.merge_direct(opened, parsed, result)
            except BundleError as exc:
                result.error = exc
            results.extend(done)
            if progress:
                for r in done:
                    progress(n + 1, len(paths), r)
    return results


class _Run:
    """One merge run: its passphrase, confirmed key changes, and whether the backup was taken."""

    def __init__(self, ws: Workspace, passphrase: str | None, accept: set[str], reimport: bool,
                 limits: bundle.Limits, *, backed_up: bool) -> None:
        self.ws, self.passphrase, self.accept, self.reimport, self.limits = ws, passphrase, accept, reimport, limits
        self.backed_up = backed_up
        self.box_key = own_box_key(ws)

    def _backup_once(self) -> None:
        if not self.backed_up:
            self.ws.backup("before-merge")
            self.backed_up = True

    def merge_direct(self, opened: bundle.OpenedBundle, parsed: Parsed, result: BundleResult, via: str = "") -> None:
        ws = self.ws
        manifest = parsed.manifest
        result.office, result.entity = manifest["office"], manifest["entity"]
        result.fingerprint, result.file_digest, result.via = opened.fingerprint, opened.file_digest, via
        if not self.reimport and _payload_imported(ws, opened.payload_digest):
            # The same signed bundle of the office came before (directly or relayed by a coordinator).
            result.status, result.sender = "already-imported", "known"
            result.unchanged = parsed.records
            return
        result.sender = check_sender(ws, manifest["office"], opened.public_key,
                                     accept_new_key=manifest["office"] in self.accept)
        self._backup_once()
        try:
            _merge_one(ws, opened, parsed, result, via=via)
        except IntegrityError as exc:
            # A value the schema refuses (e.g. an empty required field): this bundle's
            # transaction was rolled back; the others of the run go on.
            result.inserted = result.updated = result.unchanged = result.conflicts = 0
            result.history_added = result.files_added = 0
            result.conflict_ids.clear()
            raise MalformedBundle("constraint") from exc
        result.status = "merged"

    def merge_relay(self, path: Path, opened: bundle.OpenedBundle, parts: list[bytes]) -> list[BundleResult]:
        """Every office bundle a coordinator relayed, each checked and merged as if the office had sent
        it: its own signature and key, its own rows. The coordinator is a known sender too."""
        ws, manifest = self.ws, opened.manifest
        via = manifest["office"]
        check_sender(ws, via, opened.public_key, accept_new_key=via in self.accept)
        out = []
        for entry, payload in zip(manifest["parts"], parts, strict=True):
            office = str(entry.get("office", "?"))[:64]
            result = BundleResult(path, f"{display_name(path)} › {display_name(office)}", office=office, via=via)
            try:
                part = bundle.open_payload(payload, hashlib.sha256(payload).hexdigest(), self.limits)
                if relay.is_relay(part.manifest) or part.manifest.get("office") != office:
                    raise MalformedRelay("part")
                self.merge_direct(part, parse_content(part), result, via=via)
            except BundleError as exc:
                result.error = exc
            out.append(result)
        if any(r.error is None for r in out):  # a relay refused as a whole leaves no trace
            with ws.transaction():
                remember_sender(ws, via, manifest["entity"], manifest["workspace_id"], opened.public_key)
                ws.audit.append(ws.actor, "bundle-import", "bundle", opened.file_digest, None, None)
        return out


def _relay_parts(opened: bundle.OpenedBundle) -> list[bytes] | None:
    """The office payloads of a relay bundle (None for an office's own bundle)."""
    if not relay.is_relay(opened.manifest):
        return None
    manifest = opened.manifest
    for key in ("office", "entity", "workspace_id", "exported_at"):
        value = manifest.get(key)
        if not isinstance(value, str) or len(value) > 200 or (key in ("office", "workspace_id") and not value):
            raise MalformedBundle(f"manifest {key}")
    return relay.unpack(opened.content, manifest)


def _payload_imported(ws: Workspace, payload_digest: str) -> bool:
    return ws.connection.execute("SELECT 1 FROM exchange_import WHERE payload_digest = ? LIMIT 1",
                                 (payload_digest,)).fetchone() is not None


def _read_bundle(path: Path, passphrase: str | None, box_key: X25519PrivateKey | None, limits: bundle.Limits,
                 imported: frozenset[str] | set[str]
                 ) -> tuple[str, bundle.OpenedBundle | None, Parsed | None, list[bytes] | None]:
    """Runs in the reader thread: the file's SHA-256, and, unless that file was imported before,
    the checked bundle, parsed (an office's) or split into its office payloads (a relay).
    Raises BundleError like open_bundle."""
    data = bundle.read_file(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    if digest in imported:
        return digest, None, None, None
    opened = bundle.decode(data, passphrase, box_key=box_key, limits=limits)
    parts = _relay_parts(opened)
    return digest, opened, (None if parts is not None else parse_content(opened)), parts


def _ancestors(kind_history: list[dict[str, Any]], current: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Revisions each incoming version descends from, following base revisions through the sender's history."""
    bases: dict[str, dict[str, str | None]] = {}
    for h in kind_history:
        bases.setdefault(h["id"], {})[h["rev"]] = h["base_rev"]
    out: dict[str, set[str]] = {}
    for row in current:
        chain = bases.get(row["id"])
        if not chain:
            continue
        seen: set[str] = set()
        base = row["base_rev"]
        while base is not None and base not in seen:
            seen.add(base)
            base = chain.get(base)
        out[row["id"]] = seen
    return out


def _merge_one(ws: Workspace, opened: bundle.OpenedBundle, parsed: Parsed, result: BundleResult, *,
               via: str = "") -> None:
    manifest = parsed.manifest
    conflicts: list[tuple[str, str, str, str]] = []
    with ws.transaction() as conn:
        for kind in registered_kinds():
            rows = parsed.current.get(kind.name, [])
            hist = parsed.history.get(kind.name, [])
            if rows:
                outcomes = ws.records.apply_versions(kind, rows, ancestors=_ancestors(hist, rows))
                for row, outcome in zip(rows, outcomes, strict=True):
                    if outcome is Outcome.INSERTED:
                        result.inserted += 1
                    elif outcome is Outcome.FAST_FORWARD:
                        result.updated += 1
                    elif outcome is Outcome.UNCHANGED:
                        result.unchanged += 1
                    else:
                        result.conflicts += 1
                        conflicts.append((kind.name, row["id"], row["rev"], outcome.value))
            if hist:
                result.history_added += ws.records.add_history_versions(kind, hist)
        result.files_added = files.store(ws, parsed.files, parsed.current)
        remember_sender(ws, manifest["office"], manifest["entity"], manifest["workspace_id"], opened.public_key)
        if ws.role != "headquarters":  # a coordinator (or an office) may relay it upward later
            relay.keep_received(ws, opened, _versions(parsed))
        now = utc_now()
        to_review = []
        for kind_name, rid, incoming_rev, outcome in conflicts:
            current_rev = conn.execute(f"SELECT rev FROM {_table(kind_name)} WHERE id = ?", (rid,)).fetchone()[0]  # noqa: S608
            if outcome == Outcome.CONFLICT_WON.value:
                loser = conn.execute("SELECT rev FROM history WHERE kind = ? AND record_id = ? AND reason = 'conflict-lost'"
                                     " AND rev != ? ORDER BY seq DESC LIMIT 1", (kind_name, rid, current_rev)).fetchone()
                winner, loser_rev = incoming_rev, loser[0] if loser else ""
            else:
                winner, loser_rev = current_rev, incoming_rev
            if _same_content(ws, kind_name, rid, loser_rev):
                # Both sides wrote the very same content (e.g. the seeded courses every office starts
                # with): the losing version is still kept in history, but there is nothing to review.
                result.conflicts -= 1
                result.unchanged += 1
                continue
            to_review.append((kind_name, rid, winner, loser_rev))
        cursor = conn.execute(
            "INSERT INTO exchange_import (at, actor, file_name, file_digest, office, entity, workspace_id, fingerprint,"
            " exported_at, inserted, updated, unchanged, conflicts, history_added, payload_digest, via)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now, ws.actor, result.file_name, opened.file_digest, manifest["office"], manifest["entity"],
             manifest["workspace_id"], opened.fingerprint, manifest["exported_at"], result.inserted,
             result.updated, result.unchanged, result.conflicts, result.history_added, opened.payload_digest,
             via or None))
        import_seq = cursor.lastrowid
        rows_out = [(import_seq, kind_name, rid, winner, loser_rev, now) for kind_name, rid, winner, loser_rev in to_review]
        result.conflict_ids.extend((kind_name, rid) for kind_name, rid, _w, _l in to_review)
        conn.executemany("INSERT INTO exchange_conflict (import_seq, kind, record_id, winner_rev, loser_rev, at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", rows_out)
        ws.audit.append(ws.actor, "bundle-import", "bundle", opened.file_digest, None, None)


def _versions(parsed: Parsed) -> set[tuple[str, str, str]]:
    out = {(name, r["id"], r["rev"]) for name, rows in parsed.current.items() for r in rows}
    out.update((name, h["id"], h["rev"]) for name, rows in parsed.history.items() for h in rows)
    return out


def _same_content(ws: Workspace, kind_name: str, record_id: str, loser_rev: str) -> bool:
    """Whether the current version and the losing one (kept in history) hold the same fields."""
    kind = next(k for k in registered_kinds() if k.name == kind_name)
    lost = ws.connection.execute("SELECT data, deleted FROM history WHERE kind = ? AND record_id = ? AND rev = ?",
                                 (kind_name, record_id, loser_rev)).fetchone()
    current = ws.records.get(kind, record_id, include_deleted=True)
    if lost is None or current is None:
        return False
    fields = json.loads(lost[0])
    return bool(lost[1]) == bool(current["deleted"]) and all(fields.get(f) == current[f] for f in kind.fields)


def _table(kind_name: str) -> str:
    return next(k.table for k in registered_kinds() if k.name == kind_name)


def import_history(ws: Workspace, limit: int = 500) -> list[dict[str, Any]]:
    cols = ("seq", "at", "actor", "file_name", "file_digest", "office", "entity", "workspace_id", "fingerprint",
            "exported_at", "inserted", "updated", "unchanged", "conflicts", "history_added", "via")
    rows = ws.connection.execute(f"SELECT {', '.join(cols)} FROM exchange_import ORDER BY seq DESC LIMIT ?",  # noqa: S608
                                 (limit,)).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]
