"""Opening a SQLCipher connection with the settings the design fixes.

SQLCipher 4 defaults are pinned explicitly (cipher_compatibility = 4: PBKDF2-HMAC-SHA512 with
256,000 iterations, 4 KiB pages, per-page HMAC-SHA512) so that a future library default cannot
silently produce files older versions cannot read.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import sqlcipher3

from storage.errors import DiskFull, NotAWorkspace, WorkspaceDamaged, WrongPassphrase

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError  # a constraint refused a row (the transaction is rolled back)


def _quote(passphrase: str) -> str:
    if "\x00" in passphrase:
        raise ValueError("a passphrase cannot contain NUL characters")
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: Path, passphrase: str, *, readonly: bool = False) -> Connection:
    """A keyed connection in autocommit mode (transactions are explicit, see Workspace.transaction).

    Raises WrongPassphrase when the key does not decrypt page 1; the file is not written then.
    """
    # Percent-encoded: in a URI, "#", "?" and "%" in a folder name would cut the path short.
    # Read-only is used for backups (checkpointed copies nobody writes): `immutable` keeps SQLite
    # from leaving -wal/-shm files beside them, which a read-only connection cannot remove.
    mode = "ro&immutable=1" if readonly else "rw"
    uri = f"file:{quote(path.as_posix(), safe='/:')}?mode={mode}"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher logs decryption failures to stderr by default; they are reported as exceptions.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
        conn.execute("PRAGMA cipher_compatibility = 4")
        # SQLCipher locks and wipes key material whatever this says; "ON" would mlock every SQLite
        # allocation (half the CPU of a bulk write) and cannot cover Python's copies: docs/security.md.
        conn.execute("PRAGMA cipher_memory_security = OFF")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            # "file is not a database": page 1 does not decrypt with this key. Anything else (a
            # truncated file reads as "malformed") is damage, not a wrong passphrase.
            translated = translate_error(exc, path)
            if translated is exc or isinstance(translated, NotAWorkspace):
                raise WrongPassphrase(str(path)) from exc
            raise translated from exc
        # Temporary tables and sort spills stay in memory: no temp file can hold plaintext.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed change survives a power cut, not only a process crash.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA busy_timeout = 2000")
    except BaseException:
        conn.close()
        raise
    return conn


def create(path: Path, passphrase: str) -> Connection:
    """A new, empty encrypted database at `path` (which must not exist)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("PRAGMA cipher_memory_security = OFF")  # see connect()
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def rekey(conn: Connection, new_passphrase: str) -> None:
    conn.execute(f"PRAGMA rekey = {_quote(new_passphrase)}")


def translate_error(exc: BaseException, path: Path) -> BaseException:
    """Map SQLite's error texts to the workspace errors a user is shown."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFull(str(path))
    if getattr(exc, "sqlite_errorcode", None) == _SQLITE_IOERR and _no_room(path):
        # A write refused for lack of room that SQLite reports as a plain I/O error: the file-size
        # limit (EFBIG) or a volume that filled up between SQLite's own checks.
        return DiskFull(str(path), "disk I/O error")
    if "malformed" in text or "hmac" in text:
        return WorkspaceDamaged(str(path), str(exc))
    if "not a database" in text:
        return NotAWorkspace(str(path))
    return exc


_SQLITE_IOERR = 10
_LOW_SPACE = 4 * 1024 * 1024


def _no_room(path: Path) -> bool:
    """True when the volume of `path` is (nearly) full, or the workspace or its WAL reached the
    process's file-size limit."""
    try:
        if shutil.disk_usage(path.parent).free < _LOW_SPACE:
            return True
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return False
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    for file in (path, Path(str(path) + "-wal")):
        try:
            if file.stat().st_size + 2 * 65536 >= limit:
                return True
        except OSError:
            continue
    return False


def cipher_problems(conn: Connection) -> list[str]:
    """Pages whose HMAC does not verify (SQLCipher), then SQLite's own structural check."""
    problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems += [row[0] for row in rows if row[0] != "ok"]
    except DatabaseError as exc:
        problems.append(str(exc))
    return problems
