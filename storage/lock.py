"""One writer per workspace: an advisory lock on a sidecar file `<workspace>.lock`.

The operating system drops the lock when the process dies (even by kill -9), so a crash never
leaves a workspace locked. The sidecar holds only the holder's process id and host name, no data.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from storage.errors import WorkspaceInUse

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
        self.path = lock_path(workspace)
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            holder = ""
            try:
                holder = os.read(fd, 200).decode("utf-8", "replace").strip()
            finally:
                os.close(fd)
            raise WorkspaceInUse(str(self.path), holder)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
