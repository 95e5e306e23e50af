"""One writer per workspace: an advisory lock on a sidecar file `<workspace>.lock`, and one on the
workspace file itself.

The sidecar says who holds the workspace (process id and host name, no data). The lock on the file
itself is what makes a second name for the same file useless: a hard link or another path to the same
file has another sidecar, but the same file (review finding: two links opened at once damaged it).
SQLite's own locks are POSIX record locks, which `flock` does not touch. The operating system drops
both locks when the process dies (even by kill -9), so a crash never leaves a workspace locked.
A folder that cannot be written (a read-only disk, a locked share) ends in WorkspaceReadOnly.
"""

from __future__ import annotations

import os
from pathlib import Path

from storage.errors import WorkspaceInUse, WorkspaceReadOnly

if os.name == "nt":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".lock")


class WorkspaceLock:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.path = lock_path(workspace)
        self._fd: int | None = None
        self._file_fd: int | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WorkspaceReadOnly(str(self.workspace), exc.strerror or "") from exc
        if not _try_lock(fd):
            holder = ""
            try:
                holder = os.read(fd, 200).decode("utf-8", "replace").strip()
            finally:
                os.close(fd)
            raise WorkspaceInUse(str(self.path), holder)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} on {_host_name()}".encode())
        except OSError as exc:   # a full disk: the lock holds even without the holder's name
            if exc.errno not in (28, 122):   # ENOSPC, EDQUOT
                _unlock(fd)
                os.close(fd)
                raise WorkspaceReadOnly(str(self.workspace), exc.strerror or "") from exc
        self._fd = fd
        if self.workspace.exists():
            self.lock_file()

    def lock_file(self) -> None:
        """Lock the workspace file itself (after `create` made it): see the module docstring."""
        if self._file_fd is not None:
            return
        try:
            fd = os.open(self.workspace, os.O_RDONLY)
        except OSError:
            return   # not there (yet): opening it will say so
        if not _try_lock(fd):
            os.close(fd)
            self.release()
            raise WorkspaceInUse(str(self.workspace), "")
        self._file_fd = fd

    def release(self) -> None:
        for name in ("_file_fd", "_fd"):
            fd = getattr(self, name)
            if fd is None:
                continue
            try:
                _unlock(fd)
            finally:
                os.close(fd)
                setattr(self, name, None)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _host_name() -> str:
    """This computer's name, for "in use by pid N on HOST". os.uname where there is one: the socket
    module costs every command's start-up a couple of milliseconds (issue 14)."""
    try:
        return os.uname().nodename
    except AttributeError:  # Windows
        import socket

        return socket.gethostname()
