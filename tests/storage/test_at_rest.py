"""Nothing the user typed reaches the disk unencrypted: the workspace, its WAL, its backups, its lock."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from storage import Workspace, WrongPassphrase
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, leaks, raw_connect, run_cli, sha256, sidecars

SECRETS = [
    "Zanzibar-Quokka-7731",          # Latin
    "ملاحظة-سرية-الخرطوم",            # Arabic
    "机密备忘录-测试样本",              # Chinese
    "Секретная-заметка-Київ",         # Cyrillic (Russian and Ukrainian letters)
]
META_SECRET = "Settings-Secret-Valparaíso-9081"


def _write_secrets(ws: Workspace) -> None:
    first = ws.records.insert(OFFICE, {"code": "SEC-1", "name": SECRETS[0], "country": SECRETS[1]})
    ws.records.insert_many(OFFICE, [{"code": f"SEC-{n}", "name": s, "country": "XX"}
                                    for n, s in enumerate(SECRETS, start=2)])
    # An edit puts the old version (with its text) into `history` as JSON: that must be encrypted too.
    ws.records.update(OFFICE, first["id"], {"name": SECRETS[2] + " (edited)"})
    ws.set_meta("note", META_SECRET)


def test_search_finds_plaintext_in_an_unencrypted_file(tmp_path: Path) -> None:
    """The check below is only worth something if it finds the texts when they are there."""
    plain = tmp_path / "plain.sqlite"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(s,) for s in [*SECRETS, META_SECRET]])
    conn.commit()
    conn.close()
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SECRETS[1].encode("utf-16-le"))
    assert len(leaks([plain], [*SECRETS, META_SECRET])) == 5
    assert leaks([utf16], SECRETS) == [("utf16.txt", SECRETS[1])]


def test_workspace_wal_backups_and_lock_hold_no_plaintext(workspace_path: Path) -> None:
    ws = Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    try:
        _write_secrets(ws)
        # While open, the changes sit in the WAL: it is encrypted page by page as well.
        assert Path(f"{workspace_path}-wal").exists()
        assert leaks(sidecars(workspace_path), [*SECRETS, META_SECRET]) == []
        ws.backup("test")
        ws.records.insert(OFFICE, {"code": "SEC-9", "name": SECRETS[3] + "-after-backup", "country": ""})
    finally:
        ws.close()
    files = sidecars(workspace_path)
    names = {f.name for f in files}
    assert workspace_path.name in names and f"{workspace_path.name}.lock" in names
    assert any(f.parent.name.endswith(".backups") for f in files), "the backup should have been written"
    assert leaks(files, [*SECRETS, META_SECRET, SECRETS[3] + "-after-backup"]) == []
    # No stray files (plaintext temp files, caches) next to the workspace.
    expected = {workspace_path.name + suffix for suffix in ("", ".lock", ".state", ".backups", "-wal", "-shm")}
    assert {p.name for p in workspace_path.parent.iterdir()} - expected == set()
    # ... and the data is really in there: the same texts read back with the passphrase.
    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        names_in_db = {r["name"] for r in ws.records.iter_all(OFFICE)}
        assert set(SECRETS[1:]) <= names_in_db
        assert ws.get_meta("note") == META_SECRET


def test_demo_workspace_holds_no_plaintext(tmp_path: Path) -> None:
    """`psea-desk demo` (a real subprocess); then every distinctive text stored anywhere in the
    file, read back with the key, must be absent from the raw bytes."""
    path = tmp_path / "demo.pdesk"
    done = run_cli("demo", str(path), "--people", "150")
    assert done.returncode == 0, done.stderr
    assert "Demo workspace created" in done.stdout
    conn = raw_connect(path)
    texts: set[str] = set()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - table names from the file itself
            for value in row:
                # Distinctive: long enough not to occur by chance in 3 MB of ciphertext.
                if isinstance(value, str) and len(value.encode("utf-8")) >= 6:
                    texts.add(value)
    conn.close()
    from desktop.demo import DEMO_ENTITY, DEMO_OFFICES

    required = {DEMO_ENTITY} | {name for _, name, _ in DEMO_OFFICES if len(name.encode()) >= 6}
    assert required <= texts, "the demo names should be in the workspace (else this test checks nothing)"
    sample = sorted(required) + random.Random(1).sample(sorted(texts), min(400, len(texts)))
    assert leaks(sidecars(path), sample) == []
    print(f"{len(texts)} distinct texts in the demo workspace, {len(sample)} searched for")


def test_wrong_passphrase_is_refused_and_changes_nothing(workspace_path: Path) -> None:
    ws = Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    ws.records.insert(OFFICE, {"code": "X", "name": "y", "country": ""})
    ws.close()
    wal, shm = Path(f"{workspace_path}-wal"), Path(f"{workspace_path}-shm")
    for sidecar in (wal, shm):  # a clean close leaves no WAL to confuse the check below
        if sidecar.exists() and sidecar.stat().st_size == 0:
            sidecar.unlink()
    assert not wal.exists()
    before, mtime = sha256(workspace_path), workspace_path.stat().st_mtime_ns
    for wrong in ("correct horse battery stapl", "Correct horse battery staple", "ملاحظة سرية طويلة جدا"):
        with pytest.raises(WrongPassphrase) as caught:
            Workspace.open(workspace_path, wrong)
        assert "passphrase is not correct" in str(caught.value)
        assert "Nothing was changed" in str(caught.value)
    assert sha256(workspace_path) == before
    assert workspace_path.stat().st_mtime_ns == mtime
    assert not wal.exists() and not shm.exists()
    # The lock was released by the failed attempts: the right passphrase opens it at once.
    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        assert ws.integrity_problems() == []


def test_lock_file_names_only_the_process(workspace: Workspace) -> None:
    lock = Path(f"{workspace.path}.lock").read_text(encoding="utf-8")
    assert lock.startswith(f"pid {os.getpid()} on ")
