"""Passphrase changes, backups and restores, migrations: the workspace file under lifecycle events."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

import storage.workspace as workspace_module
from storage import NewerWorkspace, Workspace, WorkspaceDamaged, WorkspaceInUse, WrongPassphrase
from storage.backup import list_backups
from storage.errors import WeakPassphrase
from storage.migrations import Migration, all_migrations
from storage.records import OFFICE
from storage.workspace import restore_backup
from tests.storage.wsutil import PASSPHRASE, flip_byte, raw_connect, sha256

NEW = "une autre phrase secrète, plus longue"


def _codes(ws: Workspace) -> set[str]:
    return {r["code"] for r in ws.records.iter_all(OFFICE, include_deleted=False)}


def _opens_with(path: Path, passphrase: str) -> bool:
    try:
        raw_connect(path, passphrase).close()
    except sqlcipher3.DatabaseError:
        return False
    return True


# ---- passphrase ---------------------------------------------------------------------------------
def test_change_passphrase_rekeys_workspace_and_backups(workspace_path: Path) -> None:
    with Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert(OFFICE, {"code": "A", "name": "a", "country": ""})
        ws.backup("first")
        ws.records.insert(OFFICE, {"code": "B", "name": "b", "country": ""})
        ws.backup("second")
        ws.change_passphrase(PASSPHRASE, NEW)
        ws.records.insert(OFFICE, {"code": "C", "name": "c", "country": ""})
    backups = list_backups(workspace_path)
    assert {b.reason for b in backups} == {"first", "second", "before-passphrase-change"}
    assert not Path(f"{workspace_path}.rekeying").exists()  # the change finished: no marker left

    with pytest.raises(WrongPassphrase):
        Workspace.open(workspace_path, PASSPHRASE)
    with Workspace.open(workspace_path, NEW) as ws:
        assert {"A", "B", "C"} <= _codes(ws)
        assert ws.integrity_problems() == []
        assert any(e.action == "passphrase-changed" for e in ws.audit.entries(limit=3))
    for info in backups:
        assert _opens_with(info.path, NEW), info.path.name
        assert not _opens_with(info.path, PASSPHRASE), info.path.name
        assert not Path(f"{info.path}-wal").exists()


def test_change_passphrase_refuses_wrong_current_or_weak_new(workspace: Workspace) -> None:
    with pytest.raises(WrongPassphrase):
        workspace.change_passphrase("not the passphrase at all", NEW)
    with pytest.raises(WeakPassphrase):
        workspace.change_passphrase(PASSPHRASE, "short")
    path = workspace.path
    workspace.close()
    with Workspace.open(path, PASSPHRASE) as ws:  # still the old passphrase
        assert ws.integrity_problems() == []


# ---- restore ------------------------------------------------------------------------------------
@pytest.fixture
def with_backup(workspace_path: Path) -> tuple[Path, Path]:
    with Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert(OFFICE, {"code": "BEFORE", "name": "in the backup", "country": ""})
        backup = ws.backup("manual")
        ws.records.insert(OFFICE, {"code": "AFTER", "name": "only in the current file", "country": ""})
    return workspace_path, backup


def test_restore_replaces_the_file_and_keeps_the_old_one(with_backup: tuple[Path, Path]) -> None:
    path, backup = with_backup
    before = sha256(path)
    kept = restore_backup(path, backup, PASSPHRASE)
    assert kept != path and kept.exists()
    assert sha256(kept) == before  # the replaced file, byte for byte
    assert sha256(path) == sha256(backup)
    assert not path.with_name(path.name + ".restoring").exists()
    # Checking the backup (read-only) left nothing beside it.
    assert not Path(f"{backup}-wal").exists() and not Path(f"{backup}-shm").exists()
    assert not kept.samefile(path)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert "BEFORE" in _codes(ws) and "AFTER" not in _codes(ws)
        assert ws.integrity_problems() == []
    kept_copy = kept.with_name("kept.pdesk")
    kept_copy.write_bytes(kept.read_bytes())
    with Workspace.open(kept_copy, PASSPHRASE) as ws:
        assert "AFTER" in _codes(ws)


def test_restore_refuses_while_open_wrong_passphrase_and_damaged_backup(with_backup: tuple[Path, Path]) -> None:
    path, backup = with_backup
    before = sha256(path)
    with Workspace.open(path, PASSPHRASE), pytest.raises(WorkspaceInUse):
        restore_backup(path, backup, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        restore_backup(path, backup, "not the passphrase at all")
    flip_byte(backup, backup.stat().st_size - 4096 + 100)  # the last page of the backup
    with pytest.raises(WorkspaceDamaged):
        restore_backup(path, backup, PASSPHRASE)
    assert sha256(path) == before
    assert not list(path.parent.glob("*.bad")) and not list(backup.parent.glob("*.bad"))


# ---- migrations ---------------------------------------------------------------------------------
def test_backup_is_taken_before_migrating(workspace_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    assert list_backups(workspace_path) == []  # creating is not migrating an existing workspace
    known = all_migrations()
    extra = Migration(len(known) + 1, "test_extra",
                      "-- a trivial test migration\nCREATE TABLE test_extra (x INTEGER);\nINSERT INTO test_extra VALUES (42);\n")
    monkeypatch.setattr(workspace_module, "all_migrations", lambda: [*known, extra])

    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        assert ws.schema_version == extra.version
        assert ws.connection.execute("SELECT x FROM test_extra").fetchone() == (42,)
    backups = list_backups(workspace_path)
    assert [b.reason for b in backups] == [f"before-migration-{extra.version}"]
    assert backups[0].path.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted, like the workspace
    conn = raw_connect(backups[0].path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (len(known),)
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'test_extra'").fetchone() is None
    finally:
        conn.close()
    with Workspace.open(workspace_path, PASSPHRASE):  # already migrated: no second backup
        pass
    assert len(list_backups(workspace_path)) == 1


def test_failed_migration_leaves_the_version(workspace_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    known = all_migrations()
    broken = Migration(len(known) + 1, "broken", "CREATE TABLE half (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    monkeypatch.setattr(workspace_module, "all_migrations", lambda: [*known, broken])
    with pytest.raises(sqlcipher3.DatabaseError):
        Workspace.open(workspace_path, PASSPHRASE)
    monkeypatch.undo()
    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        assert ws.schema_version == len(known)
        assert ws.connection.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
        assert ws.integrity_problems() == []


def test_newer_workspace_is_refused_untouched(workspace_path: Path) -> None:
    Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    conn = raw_connect(workspace_path)
    conn.execute(f"PRAGMA user_version = {len(all_migrations()) + 3}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for sidecar in (Path(f"{workspace_path}-wal"), Path(f"{workspace_path}-shm")):
        sidecar.unlink(missing_ok=True)
    before, mtime = sha256(workspace_path), workspace_path.stat().st_mtime_ns
    with pytest.raises(NewerWorkspace) as caught:
        Workspace.open(workspace_path, PASSPHRASE)
    assert "newer version of PSEA Desk" in str(caught.value)
    assert "The file was not changed" in str(caught.value)
    assert sha256(workspace_path) == before
    assert workspace_path.stat().st_mtime_ns == mtime
    assert list_backups(workspace_path) == []
    assert not Path(f"{workspace_path}-wal").exists()
