"""The workspace and its backups are readable by their owner only (POSIX)."""

from __future__ import annotations

import os
import stat

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workspace_wal_and_backups_are_owner_only(workspace, workspace_path) -> None:
    old = os.umask(0o022)  # a typical, permissive umask must not leak into the files
    try:
        workspace.set_meta("probe", "x")
        backup = workspace.backup("manual")
    finally:
        os.umask(old)
    assert _mode(workspace_path) == 0o600
    wal = workspace_path.with_name(workspace_path.name + "-wal")
    if wal.exists():
        assert _mode(wal) == 0o600
    assert _mode(backup) == 0o600
    assert _mode(backup.parent) == 0o700
