"""The workspace: one encrypted file, opened by one process at a time.

Life cycle: `Workspace.create(...)` or `Workspace.open(path, passphrase)` → use → `close()`.
Locking the window closes the workspace, which drops the connection (and SQLCipher wipes its key
material). The passphrase itself is not kept: a passphrase change checks the current one against the
file.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storage import backup as backups
from storage import cipher, journal
from storage.audit import AuditLog, utc_now
from storage.errors import (
    NewerWorkspace,
    NotAWorkspace,
    WeakPassphrase,
    WorkspaceDamaged,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongPassphrase,
)
from storage.hlc import HybridClock
from storage.lock import WorkspaceLock
from storage.migrations import all_migrations
from storage.records import OFFICE, Records
from storage.roles import ROLES

SUFFIX = ".pdesk"
MIN_PASSPHRASE = 10

_SQLITE_MAGIC = b"SQLite format 3\x00"


def check_passphrase_rules(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase()


class Workspace:
    def __init__(self, path: Path, conn: cipher.Connection, lock: WorkspaceLock, actor: str | None) -> None:
        self.path = path
        self._conn: cipher.Connection | None = conn
        self._lock = lock
        self.actor = actor or _default_actor()
        self._depth = 0
        self.audit = AuditLog(conn)
        # Change events (design.md, "Long work and change"): the record kinds (and "meta") written in
        # the current transaction, announced to listeners after the outermost commit; per-kind counters
        # for caches keyed on the kinds they read (`version_of`).
        self._changed: set[str] = set()
        self._versions: dict[str, int] = {}
        self._change_listeners: list[Callable[[frozenset[str]], None]] = []
        self.open_token = os.urandom(16).hex()  # tells this opening apart from any other (data_version)
        self.workspace_id = self.get_meta("workspace_id")
        self.clock = HybridClock(self.workspace_id, self.get_meta("hlc_last", None) or None)
        self.records = Records(self)
        self._meta_cache: dict[str, str] = {}

    # ---- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, passphrase: str, *, office: str, entity: str, language: str = "en",
               actor: str | None = None, office_name: str | None = None, role: str = "office") -> Workspace:
        path = Path(path)
        check_passphrase_rules(passphrase)
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if path.exists():
            raise WorkspaceExists(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = WorkspaceLock(path)
        lock.acquire()
        try:
            # Owner-only from the first byte: SQLite gives the -wal/-shm files the same mode.
            path.touch(mode=0o600, exist_ok=False)
            lock.lock_file()
            try:
                conn = cipher.create(path, passphrase)
            except BaseException:
                _remove_quietly(path)
                raise
            try:
                _migrate(conn, path, take_backup=False)
                import uuid  # here: only a new workspace needs one (start-up of the commands, issue 14)

                workspace_id = uuid.uuid4().hex
                now = utc_now()
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("workspace_id", workspace_id), ("office", office), ("entity", entity),
                    ("language", language), ("created_at", now), ("format", "psea-desk-workspace"),
                    ("role", role),
                ])
                conn.execute("COMMIT")
            except BaseException:
                conn.close()
                _remove_quietly(path)
                raise
            ws = cls(path, conn, lock, actor)
        except BaseException:
            lock.release()
            raise
        ws.records.insert(OFFICE, {"code": office, "name": office_name or office, "country": ""})
        return ws

    @classmethod
    def open(cls, path: Path | str, passphrase: str, *, actor: str | None = None) -> Workspace:
        path = Path(path)
        _check_file(path)
        lock = WorkspaceLock(path)
        lock.acquire()
        try:
            try:
                conn = cipher.connect(path, passphrase)
            except WrongPassphrase:
                _explain_unreadable(path, passphrase)
                raise
            except cipher.DatabaseError as exc:
                raise cipher.translate_error(exc, path) from exc
            try:
                _require_workspace(conn, path)
                _migrate(conn, path, take_backup=True)
                ws = cls(path, conn, lock, actor)
                _clear_rekey_marker(path, passphrase)
                ws._notice_journal_loss()
            except cipher.DatabaseError as exc:
                conn.close()
                raise cipher.translate_error(exc, path) from exc
            except BaseException:
                conn.close()
                raise
        except BaseException:
            lock.release()
            raise
        return ws

    def close(self) -> None:
        """Checkpoint, close the connection and release the lock. Safe to call twice."""
        if self._conn is None:
            return
        try:
            with contextlib.suppress(cipher.DatabaseError):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
        finally:
            self._conn = None
            self._lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def in_transaction(self) -> bool:
        """A write is under way (e.g. an import pumping window events between batches)."""
        return self._depth > 0

    @property
    def connection(self) -> cipher.Connection:
        if self._conn is None:
            raise WorkspaceError(str(self.path), "closed")
        return self._conn

    # ---- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[cipher.Connection]:
        """All or nothing; nests (inner blocks join the outer transaction)."""
        conn = self.connection
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except cipher.DatabaseError as exc:
            raise cipher.translate_error(exc, self.path) from exc
        self._depth = 1
        try:
            yield conn
            conn.execute("COMMIT")
            journal.write_state(self.path, self.audit.count, self.audit.head)
        except BaseException as exc:
            self._changed.clear()
            with contextlib.suppress(cipher.DatabaseError):
                conn.execute("ROLLBACK")
            self.audit.reload()
            self._reload_clock()
            if isinstance(exc, cipher.DatabaseError):
                translated = cipher.translate_error(exc, self.path)
                if translated is not exc:
                    raise translated from exc
            raise
        finally:
            self._depth = 0
            self._meta_cache.clear()
        self._announce()

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[cipher.Connection]:
        """Inside a transaction: a part that is undone alone if it fails (the transaction goes on).
        Outside one: a transaction."""
        if not self._depth:
            with self.transaction() as conn:
                yield conn
            return
        conn = self.connection
        name = f"part{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield conn
            conn.execute(f"RELEASE {name}")
        except BaseException:
            with contextlib.suppress(cipher.DatabaseError):
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            self.audit.reload()
            self._reload_clock()
            raise
        finally:
            self._depth -= 1

    # ---- change events --------------------------------------------------------------------------
    def touch(self, *kinds: str) -> None:
        """Note that the current transaction writes these record kinds (Records does it for its writes;
        desktop code that writes other tables names what it changed)."""
        self._changed.update(kinds)

    def on_change(self, callback: Callable[[frozenset[str]], None]) -> Callable[[], None]:
        """Call `callback(kinds)` after every commit that changed something (on the committing thread).
        Returns a function that removes the listener."""
        self._change_listeners.append(callback)
        return lambda: self._change_listeners.remove(callback) if callback in self._change_listeners else None

    def version_of(self, kinds: Iterable[str]) -> str:
        """A key that changes when any of `kinds` was written through this Workspace since it was
        opened (and differs between two openings of the same file)."""
        return self.open_token + ":" + ",".join(f"{k}={self._versions.get(k, 0)}" for k in sorted(kinds))

    def _announce(self) -> None:
        if not self._changed:
            return
        changed = frozenset(self._changed)
        self._changed.clear()
        for kind in changed:
            self._versions[kind] = self._versions.get(kind, 0) + 1
        for callback in list(self._change_listeners):
            try:
                callback(changed)
            except Exception:  # noqa: BLE001 - a listener's failure must not undo or hide a commit
                import traceback

                traceback.print_exc()
    # ---- commits lost with a damaged journal (storage/journal.py) -------------------------------
    def _notice_journal_loss(self) -> None:
        try:
            self._compare_journal_state()
        except cipher.DatabaseError:
            return   # a damaged file: `check` and integrity_problems() say so; the sidecar stays as it was

    def _compare_journal_state(self) -> None:
        recorded = journal.read_state(self.path)
        if recorded is not None and self.get_meta("journal_loss", None) is None:
            count, head = recorded
            found = self.audit.count
            if found < count:
                loss = journal.JournalLoss(utc_now(), count, found, diverged=False)
            else:
                row = self.connection.execute("SELECT hash FROM audit WHERE seq = ?", (count,)).fetchone()
                at_count = row[0] if row else ("" if count else head)
                loss = None if at_count == head else journal.JournalLoss(utc_now(), count, found, diverged=True)
            if loss is not None:
                # Kept in meta without an audit entry: the log may be exactly what was damaged, and
                # `check` must still see it as it is.
                with self.transaction() as conn:
                    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('journal_loss', ?)", (loss.to_json(),))
        journal.write_state(self.path, self.audit.count, self.audit.head)

    @property
    def journal_loss(self) -> journal.JournalLoss | None:
        """Commits found missing at an open, until acknowledged (storage/journal.py)."""
        text = self.get_meta("journal_loss", None)
        return journal.JournalLoss.from_json(text) if text else None

    def acknowledge_journal_loss(self) -> None:
        with self.transaction() as conn:
            if conn.execute("DELETE FROM meta WHERE key = 'journal_loss'").rowcount:
                self.audit.append(self.actor, "setting", "meta", "journal_loss", None, None)

    def note_clock(self) -> None:
        """Persist the clock with the transaction so revisions stay increasing across restarts."""
        self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc_last', ?)", (self.clock.last,))

    def _reload_clock(self) -> None:
        last = self.get_meta("hlc_last", None)
        self.clock = HybridClock(self.workspace_id, last or None)

    # ---- settings --------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = "") -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Change a workspace setting; audited like a record change."""
        with self.transaction() as conn:
            old = self.get_meta(key, None)
            if old == value:
                return
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            self.audit.append(self.actor, "setting", "meta", key, None, None)
            self.touch("meta")

    @property
    def office(self) -> str:
        return self.get_meta("office") or ""

    @property
    def entity(self) -> str:
        return self.get_meta("entity") or ""

    @property
    def role(self) -> str:
        """'office', 'region' or 'headquarters' (ROLES)."""
        value = self.get_meta("role") or "office"
        return value if value in ROLES else "office"

    @property
    def language(self) -> str:
        return self.get_meta("language") or "en"

    @property
    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    # ---- passphrase, backups, checks -------------------------------------------------------------
    def change_passphrase(self, current: str, new: str) -> None:
        """Re-key the workspace and its backups. The current passphrase is asked again on purpose:
        an unlocked, unattended window must not be enough to change it."""
        if not self._opens_with(current):
            raise WrongPassphrase(str(self.path))
        check_passphrase_rules(new)
        self.backup("before-passphrase-change")
        # Until every backup is re-keyed, the workspace and its backups may be under different
        # passphrases (after a crash, say): a marker tells _explain_unreadable not to take "the
        # passphrase opens a backup" as proof that the workspace is damaged.
        marker = _rekey_marker(self.path)
        _write_durably(marker, b"passphrase change in progress\n")
        cipher.rekey(self.connection, new)
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        old = current
        # Recorded as soon as the workspace itself is under the new passphrase, before the backups.
        with self.transaction():
            self.audit.append(self.actor, "passphrase-changed", "workspace", self.workspace_id, None, None)
        left_behind = []
        for info in backups.list_backups(self.path):
            try:
                _rekey_file(info.path, old, new)
            except (OSError, cipher.DatabaseError, WorkspaceError):
                left_behind.append(info.path)  # e.g. a full disk: this copy keeps the old passphrase
        if not left_behind:
            marker.unlink(missing_ok=True)

    def _opens_with(self, candidate: str) -> bool:
        """Whether `candidate` decrypts the file: checked against the file itself, so the workspace
        never keeps the passphrase in memory while open (the key lives only inside SQLCipher)."""
        try:
            cipher.connect(self.path, candidate, readonly=True).close()
        except WrongPassphrase:
            return False
        return True

    def backup(self, reason: str = "manual", keep: int = backups.DEFAULT_KEEP) -> Path:
        """An encrypted copy of the workspace as it is now (a checkpoint first makes the file whole)."""
        busy, _, _ = self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise WorkspaceError(str(self.path), "checkpoint busy")
        return backups.write_backup(self.path, reason, keep)

    def integrity_problems(self) -> list[str]:
        """SQLCipher page HMACs, SQLite structure and the audit chain; empty when all is well."""
        try:
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except cipher.DatabaseError as exc:
            problems = [str(exc)]
        else:
            problems = []
        problems += cipher.cipher_problems(self.connection)
        try:  # a damaged page under the audit table makes reading it fail: that is a finding too
            problems += self.audit.verify()
        except cipher.DatabaseError as exc:
            problems.append(f"the audit table could not be read: {exc}")
        return problems


# ---- helpers ------------------------------------------------------------------------------------
def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def _remove_quietly(path: Path) -> None:
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise WorkspaceNotFound(str(path))
    if path.is_dir():
        raise NotAWorkspace(str(path))
    with path.open("rb") as fh:
        head = fh.read(16)
    if head == _SQLITE_MAGIC:  # an unencrypted SQLite file: never ours
        raise NotAWorkspace(str(path))
    size = path.stat().st_size
    if size < 1024:
        raise NotAWorkspace(str(path))


def _require_workspace(conn: cipher.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    known = len(all_migrations())
    if version > known:
        raise NewerWorkspace(str(path), f"schema {version} > {known}")
    row = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if row is None or conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() is None:
        raise NotAWorkspace(str(path))


def _uuid5(namespace: str, name: str) -> str:
    import uuid  # here: called by migrations only (start-up of the commands, issue 14)

    return str(uuid.uuid5(uuid.UUID(namespace), name))


def _migrate(conn: cipher.Connection, path: Path, *, take_backup: bool) -> None:
    # Migrations that derive record ids (the same id in every workspace that migrates the same row)
    # compute them with this function, as the Python code does.
    conn.create_function("psea_uuid5", 2, _uuid5, deterministic=True)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    pending = [m for m in all_migrations() if m.version > version]
    if not pending:
        return
    if take_backup and version > 0:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        backups.write_backup(path, f"before-migration-{pending[0].version}")
    for migration in pending:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(cipher.DatabaseError):
                conn.execute("ROLLBACK")
            if isinstance(exc, cipher.DatabaseError):
                raise cipher.translate_error(exc, path) from exc
            raise


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit outside our transaction)."""
    import sqlcipher3

    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _rekey_file(path: Path, old: str, new: str) -> None:
    try:
        conn = cipher.connect(path, old)
    except (WrongPassphrase, WorkspaceDamaged):
        return  # a backup from before an earlier change (or a damaged one); it stays as it was
    try:
        cipher.rekey(conn, new)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for sidecar in (Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()


def _rekey_marker(path: Path) -> Path:
    return path.with_name(path.name + ".rekeying")


def _write_durably(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    backups._fsync_dir(path.parent)  # noqa: SLF001 - same package


def _clear_rekey_marker(path: Path, passphrase: str) -> None:
    """After an interrupted passphrase change: once every backup opens with the passphrase that
    opened the workspace, the two agree again and the marker can go."""
    marker = _rekey_marker(path)
    if not marker.exists():
        return
    for info in backups.list_backups(path):
        try:
            cipher.connect(info.path, passphrase, readonly=True).close()
        except (WorkspaceError, cipher.DatabaseError):
            return
    marker.unlink(missing_ok=True)


def _explain_unreadable(path: Path, passphrase: str) -> None:
    """Page 1 that does not decrypt looks the same as a wrong passphrase. If the same passphrase
    opens the newest backup, the passphrase is right and the file is damaged: say so. Not while a
    passphrase change is unfinished: then the backups may still be under the old passphrase."""
    if _rekey_marker(path).exists():
        return
    for info in backups.list_backups(path)[:3]:
        try:
            conn = cipher.connect(info.path, passphrase, readonly=True)
        except (WorkspaceError, cipher.DatabaseError):  # wrong key for it, or the backup is damaged too
            continue
        conn.close()
        raise WorkspaceDamaged(str(path), f"page 1; the passphrase opens the backup {info.path.name}")


def restore_backup(path: Path | str, backup_file: Path | str, passphrase: str) -> Path:
    """Replace the workspace with a backup after checking the backup opens and is intact.
    The current file (even damaged) is kept in the backup folder first. Returns where it went."""
    path, backup_file = Path(path), Path(backup_file)
    lock = WorkspaceLock(path)
    with lock:
        conn = cipher.connect(backup_file, passphrase, readonly=True)
        try:
            problems = cipher.cipher_problems(conn)
            if not problems:
                _require_workspace(conn, backup_file)
        except cipher.DatabaseError as exc:
            problems = [str(exc)]
        finally:
            conn.close()
        if problems:
            raise WorkspaceDamaged(str(backup_file), problems[0].splitlines()[0], problems)
        # Copy first (the slow part), swap names last: a crash at any moment leaves a workspace at
        # `path`, the old one or the restored one, never nothing.
        staged = path.with_name(path.name + ".restoring")
        backups.copy_file_atomically(backup_file, staged)
        kept = path
        if path.exists():
            folder = backups.backup_dir(path)
            folder.mkdir(mode=0o700, exist_ok=True)
            kept = folder / f"{path.stem}-replaced-{utc_now().replace(':', '').replace('.', '')}{path.suffix}.bad"
            try:
                os.link(path, kept)  # the old file under a second name until the swap below
            except OSError:  # no hard links on this volume (FAT): move it instead
                os.replace(path, kept)
        # The old WAL belongs to the old file: keep it beside it, never let it replay onto the backup.
        wal = Path(str(path) + "-wal")
        if wal.exists():
            os.replace(wal, Path(str(kept) + "-wal"))
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + "-shm").unlink()
        os.replace(staged, path)
        journal.forget_state(path)
        backups._fsync_dir(path.parent)  # noqa: SLF001 - same package
        return kept
