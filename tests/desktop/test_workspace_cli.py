"""The workspace commands of `psea-desk` as a coordinator scripts them: real subprocesses,
passphrases through PSEA_DESK_PASSPHRASE / PSEA_DESK_NEW_PASSPHRASE. Follow-up checks run the same
`desktop.cli.main` in this process (`cli`), since every subprocess pays the interpreter start."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlcipher3

from desktop.cli import main
from storage import Workspace, WrongPassphrase
from storage.backup import list_backups
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, raw_connect, run_cli, sha256

NEW = "новая парольная фраза 2026"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., SimpleNamespace]:
    """`psea-desk ARGS` in this process, with the same calling convention as run_cli."""
    def run(*args: str, passphrase: str | None = PASSPHRASE, **env: str) -> SimpleNamespace:
        monkeypatch.setenv("PSEA_DESK_LANGUAGE", "en")
        monkeypatch.delenv("PSEA_DESK_NEW_PASSPHRASE", raising=False)
        if passphrase is None:
            monkeypatch.delenv("PSEA_DESK_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("PSEA_DESK_PASSPHRASE", passphrase)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)
    return run


@pytest.fixture(scope="module")
def demo_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`psea-desk demo` once per module (it fills every instrument, so it takes a few seconds)."""
    path = tmp_path_factory.mktemp("demo") / "demo.pdesk"
    done = run_cli("demo", str(path), "--people", "60")
    assert done.returncode == 0, done.stderr
    assert "Demo workspace created" in done.stdout
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def demo(demo_once: Path, tmp_path: Path) -> Path:
    """A private copy of the demo workspace (each test may change or damage it)."""
    path = tmp_path / "demo.pdesk"
    shutil.copy(demo_once, path)
    return path


def test_demo_then_check(demo: Path) -> None:
    done = run_cli("check", str(demo))
    assert done.returncode == 0, done.stderr
    assert "The workspace is intact: encryption, structure and audit log all check out." in done.stdout
    assert demo.read_bytes()[:16] != b"SQLite format 3\x00"


def test_demo_refuses_existing_file_weak_or_missing_passphrase(demo: Path, tmp_path: Path, cli: Callable[..., SimpleNamespace]) -> None:
    before = sha256(demo)
    done = run_cli("demo", str(demo))
    assert done.returncode == 1
    assert "A file already exists at this location; it was not overwritten." in done.stderr
    assert sha256(demo) == before

    done = cli("demo", str(tmp_path / "weak.pdesk"), passphrase="short")
    assert done.returncode == 1
    assert "too short" in done.stderr
    assert not (tmp_path / "weak.pdesk").exists()

    done = run_cli("check", str(demo), passphrase=None)  # no variable, stdin is not a terminal
    assert done.returncode == 3
    assert "PSEA_DESK_PASSPHRASE" in done.stderr


def test_check_with_wrong_passphrase(demo: Path, cli: Callable[..., SimpleNamespace]) -> None:
    done = cli("check", str(demo), passphrase="not the passphrase at all")
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

    with pytest.raises(WrongPassphrase):  # the old one no longer opens it
        Workspace.open(demo, PASSPHRASE)
    with Workspace.open(demo, NEW) as ws:
        assert ws.integrity_problems() == []
    backups = list_backups(demo)
    assert {b.reason for b in backups} >= {"before-test", "before-passphrase-change"}
    for info in backups:
        raw_connect(info.path, NEW).close()
        with pytest.raises(sqlcipher3.DatabaseError):
            raw_connect(info.path, PASSPHRASE)


def test_passwd_refusals_change_nothing(demo: Path, cli: Callable[..., SimpleNamespace]) -> None:
    before = sha256(demo)
    done = cli("passwd", str(demo), passphrase="not the passphrase at all", PSEA_DESK_NEW_PASSPHRASE=NEW)
    assert done.returncode == 3
    done = cli("passwd", str(demo), PSEA_DESK_NEW_PASSPHRASE="short")
    assert done.returncode == 1
    assert "too short" in done.stderr
    assert sha256(demo) == before
    assert cli("check", str(demo)).returncode == 0


def test_backups_and_restore(demo: Path, cli: Callable[..., SimpleNamespace]) -> None:
    done = cli("backups", str(demo))
    assert done.returncode == 0
    assert "There are no backups of this workspace yet." in done.stdout
    done = cli("restore", str(demo))
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


def test_restore_explicit_backup_refused_while_open(demo: Path, cli: Callable[..., SimpleNamespace]) -> None:
    with Workspace.open(demo, PASSPHRASE) as ws:
        backup = ws.backup("manual")
        done = run_cli("restore", str(demo), str(backup))
        assert done.returncode == 4
        assert "already open" in done.stderr
    done = cli("restore", str(demo), str(backup), passphrase="not the passphrase at all")
    assert done.returncode == 3


def test_a_commands_own_language_option_does_not_change_the_messages_language() -> None:
    """`letter sign --language zh` is the letter's language; messages follow `psea-desk --language`."""
    from desktop.cli import _language_from_argv

    assert _language_from_argv(["letter", "sign", "w.pdesk", "--language", "zh"]) is None
    assert _language_from_argv(["--language", "fr", "letter", "sign", "--language", "zh"]) == "fr"
    assert _language_from_argv(["--language=ru", "check", "w.pdesk"]) == "ru"
    assert _language_from_argv(["--language", "xx", "check"]) is None
