"""Encrypted backups: byte copies of the workspace file, taken after a full WAL checkpoint.

A copy of the checkpointed file is already encrypted with the workspace key, so no plaintext is
ever produced; it opens with the same passphrase. Backups sit in `<workspace>.backups/`, newest
kept, oldest rotated out. A passphrase change re-keys them too (see Workspace.change_passphrase),
so an old passphrase does not keep opening old copies.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KEEP = 10
_SAFE_REASON = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int


def backup_dir(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".backups")


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file_atomically(source: Path, target: Path) -> None:
    """Copy then rename, with fsyncs, so a crash leaves either the old target or the whole new one."""
    tmp = target.with_name(target.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # backups are for the owner only
    with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def write_backup(workspace: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Copy `workspace` (already checkpointed by the caller) into the backup folder and rotate."""
    folder = backup_dir(workspace)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe = _SAFE_REASON.sub("-", reason.lower()).strip("-") or "manual"
    target = folder / f"{workspace.stem}-{stamp}-{safe}{workspace.suffix}"
    copy_file_atomically(workspace, target)
    rotate(workspace, keep)
    return target


def list_backups(workspace: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = backup_dir(workspace)
    if not folder.is_dir():
        return []
    found = []
    pattern = re.compile(re.escape(workspace.stem) + r"-(\d{8}T\d{12}Z)-([a-z0-9-]+)" + re.escape(workspace.suffix) + "$")
    for path in folder.iterdir():
        m = pattern.match(path.name)
        if not m:
            continue
        taken = dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
        found.append(BackupInfo(path, taken, m.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def rotate(workspace: Path, keep: int = DEFAULT_KEEP) -> None:
    for old in list_backups(workspace)[keep:]:
        old.path.unlink(missing_ok=True)
