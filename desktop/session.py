"""An unlocked workspace as the window sees it: the open Workspace, who is working, and listeners
that are told when data changed (after an import or a merge) or when the session is locked.

No Qt here: the window subscribes with plain callables. Everything the shell does with a workspace
(open, create, overview, backups, integrity check, passphrase change, versions) goes through this
module so the window never touches storage or SQL itself.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from storage import Workspace, WorkspaceError
from storage.audit import AuditEntry
from storage.backup import BackupInfo, list_backups
from storage.workspace import MIN_PASSPHRASE, SUFFIX

# What the window needs from storage, so that ui/ never imports storage itself.
__all__ = ["MIN_PASSPHRASE", "SUFFIX", "Overview", "Session", "WorkspaceError", "cipher_version", "create_session",
           "library_versions", "open_session"]


@dataclass(frozen=True)
class Overview:
    """What the shell's "Workspace" page shows."""

    path: Path
    office: str
    entity: str
    language: str
    role: str
    schema_version: int
    created_at: str
    backups: list[BackupInfo]
    audit: list[AuditEntry]
    audit_count: int


class Session:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace: Workspace | None = workspace
        self.path: Path = workspace.path
        self._data_listeners: list[Callable[[frozenset[str]], None]] = []
        self._lock_listeners: list[Callable[[], None]] = []
        workspace.on_change(self._committed)

    @property
    def ws(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError("the session is locked")
        return self.workspace

    @property
    def is_unlocked(self) -> bool:
        return self.workspace is not None and self.workspace.is_open

    @property
    def busy(self) -> bool:
        """A write is in progress: locking now would cut it off, so an auto-lock waits for it."""
        return self.workspace is not None and self.workspace.is_open and self.workspace.in_transaction

    def on_data_changed(self, callback: Callable[[frozenset[str]], None]) -> None:
        """`callback(kinds)` after every commit, with the record kinds it wrote (on the committing thread)."""
        self._data_listeners.append(callback)

    def _committed(self, kinds: frozenset[str]) -> None:
        for callback in list(self._data_listeners):
            callback(kinds)

    def on_locked(self, callback: Callable[[], None]) -> None:
        self._lock_listeners.append(callback)

    def lock(self) -> None:
        """Close the workspace: the connection and the key in it are dropped."""
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
            self._data_listeners.clear()
            for callback in list(self._lock_listeners):
                callback()

    # ---- what the shell asks -----------------------------------------------------------------------
    def overview(self, audit_limit: int = 20) -> Overview:
        ws = self.ws
        return Overview(
            path=ws.path, office=ws.office, entity=ws.entity, language=ws.language, role=ws.role,
            schema_version=ws.schema_version, created_at=ws.get_meta("created_at") or "",
            backups=list_backups(ws.path), audit=ws.audit.entries(limit=audit_limit),
            audit_count=ws.audit.count,
        )

    def journal_loss_notice(self) -> str | None:
        """What to tell the user about changes found missing at the last open, until acknowledged."""
        from desktop import journal_notice

        loss = self.ws.journal_loss
        return None if loss is None else journal_notice.describe(loss) + "\n\n" + journal_notice.advice()

    def acknowledge_journal_loss(self) -> None:
        self.ws.acknowledge_journal_loss()

    def backup_now(self) -> Path:
        return self.ws.backup("manual")

    def integrity_problems(self) -> list[str]:
        return self.ws.integrity_problems()

    def change_passphrase(self, current: str, new: str) -> None:
        self.ws.change_passphrase(current, new)

    def cipher_version(self) -> str:
        return cipher_version(self.workspace)


def open_session(path: Path | str, passphrase: str) -> Session:
    """Unlock a workspace file; raises the storage errors (their str() is translated)."""
    return Session(Workspace.open(Path(path), passphrase))


def create_session(path: Path | str, passphrase: str, *, office: str, entity: str, language: str,
                   role: str = "office", office_name: str | None = None) -> Session:
    return Session(Workspace.create(Path(path), passphrase, office=office, entity=entity, language=language,
                                    role=role, office_name=office_name or None))


def cipher_version(workspace: Workspace | None = None) -> str:
    """SQLCipher's own version (PRAGMA cipher_version), from the open workspace or a throwaway
    in-memory connection."""
    if workspace is not None and workspace.is_open:
        row = workspace.connection.execute("PRAGMA cipher_version").fetchone()
    else:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        try:
            row = conn.execute("PRAGMA cipher_version").fetchone()
        finally:
            conn.close()
    return str(row[0]) if row else "?"


def library_versions(workspace: Workspace | None = None) -> list[tuple[str, str]]:
    """(name, version) of PSEA Desk and the libraries that matter for support (Qt is added by ui)."""
    from desktop import __version__

    def dist(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return [
        ("PSEA Desk", __version__),
        ("Python", platform.python_version()),
        ("SQLCipher", cipher_version(workspace)),
        ("reportlab", dist("reportlab")),
        ("pyHanko", dist("pyhanko")),
        ("Babel", dist("babel")),
    ]
