"""The audit chain shows an edited, removed or added entry, in the API and in `psea-desk check`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.cli import main
from storage import Workspace
from storage.audit import entry_hash, utc_now
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, raw_connect


@pytest.fixture
def audited(workspace_path: Path) -> Path:
    with Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        rows = ws.records.insert_many(OFFICE, [{"code": f"C{n}", "name": f"Office {n}", "country": ""}
                                               for n in range(4)])
        ws.records.update(OFFICE, rows[0]["id"], {"name": "Renamed"})
        ws.records.delete(OFFICE, rows[1]["id"])
        assert ws.audit.count == 7
        assert ws.integrity_problems() == []
    return workspace_path


def _alter(conn) -> None:
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3")


def _delete_middle(conn) -> None:
    conn.execute("DELETE FROM audit WHERE seq = 4")


def _delete_last(conn) -> None:
    conn.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")


def _delete_last_and_fix_chain_rows(conn) -> None:
    """Cut the end off: the remaining rows form a perfect chain; only the recorded head disagrees."""
    conn.execute("DELETE FROM audit WHERE seq >= 6")


def _forge(conn) -> None:
    """Append an entry that chains correctly to the last one (the forger knows the hash scheme);
    only the head kept in `meta` gives it away."""
    seq, digest = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    at, seq = utc_now(), seq + 1
    new = entry_hash(digest, seq, at, "mallory", "delete", "office", "forged-id", None, None)
    conn.execute("INSERT INTO audit (seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, hash)"
                 " VALUES (?, ?, 'mallory', 'delete', 'office', 'forged-id', NULL, NULL, ?, ?)",
                 (seq, at, digest, new))


def _forge_in_the_middle(conn) -> None:
    """Renumber the tail to make room, then slip an entry in: the chain breaks after it."""
    conn.execute("UPDATE audit SET seq = seq + 100 WHERE seq >= 5")
    conn.execute("UPDATE audit SET seq = seq - 99 WHERE seq >= 105")
    conn.execute("INSERT INTO audit (seq, at, actor, action, kind, record_id, old_rev, new_rev, prev_hash, hash)"
                 " VALUES (5, ?, 'mallory', 'insert', 'office', 'x', NULL, NULL, 'p', 'h')", (utc_now(),))


TAMPERING: dict[str, tuple[Callable, str]] = {
    "altered": (_alter, "audit entry 3 was altered"),
    "middle-deleted": (_delete_middle, "audit entries 4..4 are missing"),
    "last-deleted": (_delete_last, "does not match its recorded head"),
    "tail-cut": (_delete_last_and_fix_chain_rows, "does not match its recorded head"),
    "forged-at-end": (_forge, "does not match its recorded head"),
    "forged-in-middle": (_forge_in_the_middle, "audit entry 5 was altered"),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_detected(audited: Path, how: str, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    tamper, expected = TAMPERING[how]
    conn = raw_connect(audited)
    tamper(conn)
    conn.close()

    with Workspace.open(audited, PASSPHRASE) as ws:
        chain = ws.audit.verify()
        assert any(expected in p for p in chain), chain
        assert any(expected in p for p in ws.integrity_problems())

    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PSEA_DESK_LANGUAGE", "en")
    assert main(["check", str(audited)]) == 1
    err = capsys.readouterr().err
    assert "The audit log was altered" in err
    assert "restore the most recent backup" in err


def test_untouched_chain_checks_out(audited: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PSEA_DESK_LANGUAGE", "en")
    assert main(["check", str(audited)]) == 0
    assert "The workspace is intact" in capsys.readouterr().out


def test_rolled_back_transaction_leaves_the_chain_valid(workspace: Workspace) -> None:
    """The in-memory head must follow a rollback, or the next entry would chain to a ghost."""
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.records.insert(OFFICE, {"code": "GONE", "name": "gone", "country": ""})
        raise RuntimeError("abandon")
    workspace.records.insert(OFFICE, {"code": "KEPT", "name": "kept", "country": ""})
    assert workspace.audit.verify() == []
    assert [e.record_id for e in workspace.audit.entries(limit=1)] == [
        next(r["id"] for r in workspace.records.iter_all(OFFICE) if r["code"] == "KEPT")]
