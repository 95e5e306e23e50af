"""Noticing a commit lost since the last time this computer wrote the workspace.

SQLite keeps recent commits in the `-wal` journal until a checkpoint copies them into the file. If the
journal is damaged or removed after a crash (a disk error, a careless copy, an antivirus), SQLite opens
what it can and the last commits are simply gone, without a word (review finding 11).

So after every commit the workspace writes the position and hash of its audit log's head to a sidecar
`<workspace>.state`, outside the journal: `<count> <head hash>`. Nothing of the user's data is in it
(the head is a hash of a hash chain). On open, a database whose audit log is shorter than the sidecar
says, or whose entry at that position has another hash, lost commits (or is an older copy put in
place of the file): the finding is kept in the workspace (`meta` key `journal_loss`) until the user
acknowledges it (`psea-desk check --acknowledge`), and `check` and the window say what happened.

The sidecar may lag behind (it is written after the commit, without fsync): that only ever hides a
loss that happened in the same instant, never raises a false one. A missing or unreadable sidecar says
nothing (a workspace copied to another computer, or from before this check).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


def state_path(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".state")


@dataclass(frozen=True)
class JournalLoss:
    found_at: str      # when the loss was noticed (UTC, ISO)
    expected: int      # audit entries the sidecar recorded
    found: int         # audit entries the database holds
    diverged: bool     # the database holds as many or more, but not the same: another copy of the file

    def to_json(self) -> str:
        return json.dumps({"found_at": self.found_at, "expected": self.expected, "found": self.found,
                           "diverged": self.diverged})

    @classmethod
    def from_json(cls, text: str) -> JournalLoss | None:
        try:
            data = json.loads(text)
            return cls(str(data["found_at"]), int(data["expected"]), int(data["found"]), bool(data["diverged"]))
        except (ValueError, KeyError, TypeError):
            return None


def write_state(workspace: Path, count: int, head: str) -> None:
    """Record the audit head after a commit (best effort: a failure only leaves the sidecar behind)."""
    with contextlib.suppress(OSError):
        fd = os.open(state_path(workspace), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, f"{count} {head}\n".encode("ascii"))
        finally:
            os.close(fd)


def read_state(workspace: Path) -> tuple[int, str] | None:
    try:
        text = state_path(workspace).read_text(encoding="ascii").strip()
        count, head = text.split(" ")
        return int(count), head
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def forget_state(workspace: Path) -> None:
    """After a restore: the file is another one, and its own commits will write the sidecar anew."""
    with contextlib.suppress(FileNotFoundError):
        state_path(workspace).unlink()
