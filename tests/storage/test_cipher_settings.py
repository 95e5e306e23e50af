"""The SQLCipher settings design.md fixes, on a created and on a re-opened workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from storage import Workspace
from tests.storage.wsutil import PASSPHRASE

EXPECTED = {
    "kdf_iter": "256000",
    "cipher_kdf_algorithm": "PBKDF2_HMAC_SHA512",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_page_size": "4096",
    "cipher_use_hmac": "1",
    "cipher_plaintext_header_size": "0",
    "journal_mode": "wal",
    "synchronous": "2",      # FULL: a commit survives a power cut
    "secure_delete": "1",    # deleted text is overwritten, not left in free pages
    "temp_store": "2",       # MEMORY: sorts and temp tables never reach a (plaintext) temp file
    "foreign_keys": "1",
}


def _settings(ws: Workspace) -> dict[str, str]:
    return {name: str(ws.connection.execute(f"PRAGMA {name}").fetchone()[0]) for name in EXPECTED}


def test_settings_on_create_and_open(workspace_path: Path) -> None:
    with Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        assert _settings(ws) == EXPECTED
    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        assert _settings(ws) == EXPECTED
    head = workspace_path.read_bytes()[:16]
    assert head != b"SQLite format 3\x00"  # no plaintext header: the first 16 bytes are the KDF salt


def test_file_is_plain_sqlcipher_4(workspace_path: Path) -> None:
    """Any SQLCipher 4 with default settings opens it (no private format); SQLCipher 3 settings do not."""
    Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    conn = sqlcipher3.connect(str(workspace_path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == ("psea-desk-workspace",)
    conn.close()
    conn = sqlcipher3.connect(str(workspace_path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("PRAGMA cipher_compatibility = 3")
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
