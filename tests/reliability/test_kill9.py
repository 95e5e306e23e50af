"""Crash safety: a writer killed with SIGKILL at random moments never leaves a half transaction or a
damaged file. The child writes batches of 20,000 records, each in one transaction; the parent kills
it at seeded random moments (during a batch, during the commit and its WAL checkpoint, between
batches), then opens the workspace, checks it and counts the records."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import Workspace
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, ROOT, child_env

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("SIGKILL is POSIX", allow_module_level=True)

BATCH = 20_000
KILLS = 20
SEED = 20261123

CHILD = """
import sys
from storage import Workspace
from storage.records import OFFICE
from storage.records import OFFICE
path, passphrase, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
ws = Workspace.open(path, passphrase)
print("ready", flush=True)
for k in range(4):
    print("begin", k, flush=True)
    ws.records.insert_many(OFFICE, [{"code": f"K{k}-{i}", "name": "crash test " * 3, "country": "KE"}
                                    for i in range(batch)])
    print("committed", k, flush=True)
ws.close()
print("closed", flush=True)
"""


def _clear_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.slow
def test_kill_9_never_leaves_half_a_transaction(tmp_path: Path) -> None:
    path = tmp_path / "crash.pdesk"
    Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    pristine = tmp_path / "pristine.pdesk"
    shutil.copy(path, pristine)
    rng = random.Random(SEED)
    started = time.monotonic()
    mid_transaction = committed_seen = 0
    counts = []
    for n in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), PASSPHRASE, str(BATCH)], cwd=ROOT,
                                env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = proc.stdout.readline()
        assert ready.strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        # Not communicate(): it reads the raw pipe and would miss lines readline() already buffered.
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL or "closed" in out, err
        lines = out.split()
        if lines.count("begin") > lines.count("committed"):
            mid_transaction += 1
        committed_seen += lines.count("committed")

        with Workspace.open(path, PASSPHRASE) as ws:  # the OS released the dead writer's lock
            assert ws.integrity_problems() == [], f"kill {n}"
            written = ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] - 1
            audited = ws.audit.count - 1
        assert written % BATCH == 0, f"kill {n}: {written} records is not whole batches of {BATCH}"
        assert audited == written, f"kill {n}: {audited} audit entries for {written} records"
        counts.append(written)
        if written >= BATCH:  # keep the file small so that the next checks stay fast
            shutil.copy(pristine, path)
            _clear_sidecars(path)

    elapsed = time.monotonic() - started
    # The random moments must really have hit transactions in flight, not only idle moments.
    assert mid_transaction >= KILLS // 4, f"only {mid_transaction} kills landed inside a transaction"
    assert committed_seen > 0 and any(counts), "no batch was ever committed: the test checked nothing"
    print(f"{KILLS} kills, {mid_transaction} inside a transaction, counts {counts}, {elapsed:.1f} s")
    assert elapsed < 120


REKEY_CHILD = """
import sys
from storage import Workspace
from storage.records import OFFICE
path, old, new = sys.argv[1:4]
ws = Workspace.open(path, old)
print("ready", flush=True)
ws.change_passphrase(old, new)
print("changed", flush=True)
ws.close()
"""
NEW = "a brand new passphrase 2026"


@pytest.mark.slow
def test_kill_9_during_a_passphrase_change(tmp_path: Path) -> None:
    """Killed while re-keying: the workspace opens with exactly one of the two passphrases, intact;
    the other is told "wrong passphrase" (never "damaged"); every backup opens with one of them."""
    from storage import WrongPassphrase
    from storage.backup import list_backups
    from tests.storage.wsutil import raw_connect

    source = tmp_path / "source" / "office.pdesk"
    with Workspace.create(source, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert_many(OFFICE, [{"code": f"C{n}", "name": "re-key test " * 3, "country": ""}
                                        for n in range(3000)])
        ws.backup("one")
        ws.backup("two")
    rng = random.Random(SEED + 1)
    outcomes = []
    for n in range(5):
        folder = tmp_path / f"run{n}"
        shutil.copytree(source.parent, folder)
        path = folder / source.name
        proc = subprocess.Popen([sys.executable, "-c", REKEY_CHILD, str(path), PASSPHRASE, NEW], cwd=ROOT,
                                env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.8))
        proc.send_signal(signal.SIGKILL)
        out = proc.stdout.read()
        proc.wait(timeout=30)

        opened = []
        for passphrase in (PASSPHRASE, NEW):
            try:
                ws = Workspace.open(path, passphrase)
            except WrongPassphrase:
                continue
            with ws:
                assert ws.integrity_problems() == [], f"run {n}"
                assert ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] == 3001
            opened.append(passphrase)
        assert len(opened) == 1, f"run {n}: opened with {len(opened)} passphrases"
        for info in list_backups(path):
            assert sum(_opens(info.path, p, raw_connect) for p in (PASSPHRASE, NEW)) == 1, info.path.name
        outcomes.append(("new" if opened == [NEW] else "old") + ("+done" if "changed" in out else ""))
    # Which side each kill landed on depends on the machine's speed; printed, not asserted.
    print("re-key kills:", outcomes)


def _opens(path: Path, passphrase: str, raw_connect) -> bool:  # noqa: ANN001
    import sqlcipher3

    try:
        raw_connect(path, passphrase).close()
    except sqlcipher3.DatabaseError:
        return False
    return True


BACKUP_CHILD = """
import sys
from storage import Workspace
ws = Workspace.open(sys.argv[1], sys.argv[2])
print("ready", flush=True)
for n in range(40):
    ws.backup("loop", keep=3)
ws.close()
"""


@pytest.mark.slow
def test_kill_9_while_taking_backups(tmp_path: Path) -> None:
    """Every backup that is listed is whole: a killed copy leaves only a `.partial` file, which is
    never listed nor offered for restore."""
    from storage.backup import backup_dir, list_backups
    from storage.workspace import restore_backup

    path = tmp_path / "office.pdesk"
    with Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert_many(OFFICE, [{"code": f"C{n}", "name": "backup test " * 3, "country": ""}
                                        for n in range(5000)])
    rng = random.Random(SEED + 2)
    for n in range(5):
        proc = subprocess.Popen([sys.executable, "-c", BACKUP_CHILD, str(path), PASSPHRASE], cwd=ROOT,
                                env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        listed = list_backups(path)
        # keep=3, plus at most one whose copy landed just before the kill, ahead of its rotation
        assert 1 <= len(listed) <= 4, f"kill {n}: {len(listed)} backups listed"
        for info in listed:
            assert info.size == path.stat().st_size, info.path.name
        with Workspace.open(path, PASSPHRASE) as ws:
            assert ws.integrity_problems() == []
    # The newest listed backup restores, and the result is intact.
    restore_backup(path, list_backups(path)[0].path, PASSPHRASE)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.integrity_problems() == []
        assert ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] == 5001
    assert all(p.suffix in (".pdesk", ".partial", ".bad") for p in backup_dir(path).iterdir())
