"""The workspace commands of `psea-desk` as a coordinator scripts them: real subprocesses,
passphrases through PSEA_DESK_PASSPHRASE / PSEA_DESK_NEW_PASSPHRASE."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from storage import Workspace
from storage.backup import list_backups
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, raw_connect, run_cli, sha256

NEW = "новая парольная фраза 2026"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.pdesk"
    done = run_cli("demo", str(path), "--people", "60")
    assert done.returncode == 0, done.stderr
    return path


def test_demo_then_check(demo: Path) -> None:
    done = run_cli("check", str(demo))
    assert done.returncode == 0, done.stderr
    assert "The workspace is intact: encryption, structure and audit log all check out." in done.stdout
    assert demo.read_bytes()[:16] != b"SQLite format 3\x00"


def test_demo_refuses_existing_file_weak_or_missing_passphrase(demo: Path, tmp_path: Path) -> None:
    before = sha256(demo)
    done = run_cli("demo", str(demo))
    assert done.returncode == 1
    assert "A file already exists at this location; it was not overwritten." in done.stderr
    assert sha256(demo) == before

    done = run_cli("demo", str(tmp_path / "weak.pdesk"), passphrase="short")
    assert done.returncode == 1
    assert "too short" in done.stderr
    assert not (tmp_path / "weak.pdesk").exists()

    done = run_cli("check", str(demo), passphrase=None)  # no variable, stdin is not a terminal
    assert done.returncode == 3
    assert "PSEA_DESK_PASSPHRASE" in done.stderr


def test_check_with_wrong_passphrase(demo: Path) -> None:
    done = run_cli("check", str(demo), passphrase="not the passphrase at all")
    assert done.returncode == 3
    assert "The passphrase is not correct for this workspace. Nothing was changed." in done.stderr


def test_check_speaks_the_chosen_language(demo: Path) -> None:
    done = run_cli("--language", "fr", "check", str(demo), passphrase="not the passphrase at all")
    assert done.returncode == 3
    assert "The passphrase is not correct" not in done.stderr  # translated, whatever the wording


def test_passwd(demo: Path) -> None:
    with Workspace.open(demo, PASSPHRASE) as ws:
        ws.backup("before-test")
    done = run_cli("passwd", str(demo), PSEA_DESK_NEW_PASSPHRASE=NEW)
    assert done.returncode == 0, done.stderr
    assert "The passphrase was changed" in done.stdout

    assert run_cli("check", str(demo)).returncode == 3  # the old one no longer opens it
    done = run_cli("check", str(demo), passphrase=NEW)
    assert done.returncode == 0, done.stderr
    backups = list_backups(demo)
    assert {b.reason for b in backups} >= {"before-test", "before-passphrase-change"}
    for info in backups:
        raw_connect(info.path, NEW).close()
        with pytest.raises(sqlcipher3.DatabaseError):
            raw_connect(info.path, PASSPHRASE)


def test_passwd_refusals_change_nothing(demo: Path) -> None:
    before = sha256(demo)
    done = run_cli("passwd", str(demo), passphrase="not the passphrase at all", PSEA_DESK_NEW_PASSPHRASE=NEW)
    assert done.returncode == 3
    done = run_cli("passwd", str(demo), PSEA_DESK_NEW_PASSPHRASE="short")
    assert done.returncode == 1
    assert "too short" in done.stderr
    assert sha256(demo) == before
    assert run_cli("check", str(demo)).returncode == 0


def test_backups_and_restore(demo: Path) -> None:
    done = run_cli("backups", str(demo))
    assert done.returncode == 0
    assert "There are no backups of this workspace yet." in done.stdout
    done = run_cli("restore", str(demo))
    assert done.returncode == 1

    with Workspace.open(demo, PASSPHRASE) as ws:
        ws.backup("manual")
        ws.records.insert(OFFICE, {"code": "LATE", "name": "after the backup", "country": ""})
    done = run_cli("backups", str(demo))
    assert done.returncode == 0
    assert "manual" in done.stdout and str(list_backups(demo)[0].path) in done.stdout

    replaced = sha256(demo)
    done = run_cli("restore", str(demo))
    assert done.returncode == 0, done.stderr
    assert "Restored from" in done.stdout and "was kept as" in done.stdout
    kept = [p for p in demo.with_name(demo.name + ".backups").iterdir() if p.name.endswith(".bad")]
    assert len(kept) == 1 and sha256(kept[0]) == replaced
    with Workspace.open(demo, PASSPHRASE) as ws:
        assert "LATE" not in {r["code"] for r in ws.records.iter_all(OFFICE)}
        assert ws.integrity_problems() == []


def test_restore_explicit_backup_refused_while_open(demo: Path) -> None:
    with Workspace.open(demo, PASSPHRASE) as ws:
        backup = ws.backup("manual")
        done = run_cli("restore", str(demo), str(backup))
        assert done.returncode == 4
        assert "already open" in done.stderr
    done = run_cli("restore", str(demo), str(backup), passphrase="not the passphrase at all")
    assert done.returncode == 3
