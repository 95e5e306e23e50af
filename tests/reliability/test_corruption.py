"""Damaged and foreign files: `psea-desk check` (a real subprocess) says clearly what is wrong."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from storage import NotAWorkspace, Workspace, WorkspaceDamaged, WrongPassphrase
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, flip_byte, run_cli, sha256

PAGE = 4096
WRONG = "The passphrase is not correct"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed workspace of a few hundred pages, with one backup."""
    path = tmp_path_factory.mktemp("pristine") / "office.pdesk"
    with Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert_many(OFFICE, [{"code": f"C{n}", "name": f"Office number {n}", "country": "KE"}
                                        for n in range(3000)])
        ws.backup("test")
    assert path.stat().st_size % PAGE == 0 and path.stat().st_size > 100 * PAGE
    return path


def _copy(pristine: Path, tmp_path: Path, *, with_backups: bool) -> Path:
    path = tmp_path / "office.pdesk"
    shutil.copy(pristine, path)
    if with_backups:
        shutil.copytree(pristine.with_name(pristine.name + ".backups"), path.with_name(path.name + ".backups"))
    return path


def test_intact_copy_checks_out(pristine: Path, tmp_path: Path) -> None:
    path = _copy(pristine, tmp_path, with_backups=False)
    done = run_cli("check", str(path))
    assert done.returncode == 0, done.stderr
    assert "The workspace is intact" in done.stdout


@pytest.mark.parametrize("where", ["middle", "last page"])
def test_flipped_byte_fails_the_page_hmac(pristine: Path, tmp_path: Path, where: str) -> None:
    path = _copy(pristine, tmp_path, with_backups=False)
    pages = path.stat().st_size // PAGE
    page = pages // 2 if where == "middle" else pages - 1
    flip_byte(path, page * PAGE + 1000)

    done = run_cli("check", str(path))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "integrity check: the file was altered or damaged on disk" in done.stderr
    assert "restore the most recent backup" in done.stderr
    assert f"HMAC verification failed for page {page + 1}" in done.stderr
    assert WRONG not in done.stderr and "Traceback" not in done.stderr
    assert "The audit log was altered" not in done.stderr  # damage is not tampering
    with Workspace.open(path, PASSPHRASE) as ws:
        assert f"HMAC verification failed for page {page + 1}" in ws.integrity_problems()


def test_flipped_byte_in_page_1_with_a_backup_says_damaged(pristine: Path, tmp_path: Path) -> None:
    path = _copy(pristine, tmp_path, with_backups=True)
    flip_byte(path, 2000)
    done = run_cli("check", str(path))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "The workspace file is damaged" in done.stderr
    assert "page 1; the passphrase opens the backup" in done.stderr
    assert WRONG not in done.stderr
    with pytest.raises(WorkspaceDamaged):
        Workspace.open(path, PASSPHRASE)


def test_flipped_byte_in_page_1_without_a_backup_cannot_be_told_from_a_wrong_passphrase(
        pristine: Path, tmp_path: Path) -> None:
    """Page 1 is what proves the key: without a backup to try, damage there looks like a wrong key."""
    path = _copy(pristine, tmp_path, with_backups=False)
    flip_byte(path, 2000)
    done = run_cli("check", str(path))
    assert done.returncode == 3
    assert WRONG in done.stderr


@pytest.mark.parametrize("keep", [0.5, 0.25])
def test_truncated_file_is_damaged(pristine: Path, tmp_path: Path, keep: float) -> None:
    path = _copy(pristine, tmp_path, with_backups=False)
    size = int(path.stat().st_size * keep) // PAGE * PAGE + 1000  # mid-page, like an interrupted copy
    with path.open("r+b") as fh:
        fh.truncate(size)
    done = run_cli("check", str(path))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "damaged" in done.stderr
    assert WRONG not in done.stderr and "Traceback" not in done.stderr


def test_plain_sqlite_file_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdesk"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('format', 'psea-desk-workspace')")
    conn.commit()
    conn.close()
    before = sha256(path)
    done = run_cli("check", str(path))
    assert done.returncode == 1
    assert "This file is not a PSEA Desk workspace" in done.stderr
    assert sha256(path) == before
    with pytest.raises(NotAWorkspace):
        Workspace.open(path, PASSPHRASE)


def test_random_bytes(tmp_path: Path) -> None:
    """A small random file is not a workspace. A large one cannot be told from a SQLCipher file
    under another key (both are uniformly random bytes): it is reported as a wrong passphrase, and
    either way the file is left exactly as it was."""
    small = tmp_path / "small.pdesk"
    small.write_bytes(os.urandom(700))
    done = run_cli("check", str(small))
    assert done.returncode == 1
    assert "This file is not a PSEA Desk workspace" in done.stderr

    large = tmp_path / "large.pdesk"
    large.write_bytes(os.urandom(64 * 1024))
    before = sha256(large)
    done = run_cli("check", str(large))
    assert done.returncode == 3
    assert WRONG in done.stderr and "Traceback" not in done.stderr
    assert sha256(large) == before
    assert not Path(f"{large}-wal").exists()
    with pytest.raises(WrongPassphrase):
        Workspace.open(large, PASSPHRASE)


def test_empty_file_and_folder_are_not_workspaces(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdesk"
    empty.touch()
    folder = tmp_path / "folder.pdesk"
    folder.mkdir()
    for path in (empty, folder):
        with pytest.raises(NotAWorkspace):
            Workspace.open(path, PASSPHRASE)
    assert empty.stat().st_size == 0
