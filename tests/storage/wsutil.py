"""Helpers shared by the storage, reliability and command-line tests: raw looks at workspace files.

Tests import it as `tests.storage.wsutil` (the project root is on sys.path, see tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import sqlcipher3

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"  # the same as tests/conftest.py


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    """Every file the workspace at `path` has on disk: itself, -wal, -shm, .lock and its backups."""
    found = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")) if p.exists()]
    folder = path.with_name(path.name + ".backups")
    if folder.is_dir():
        found += sorted(p for p in folder.iterdir() if p.is_file())
    return found


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def leaks(files: list[Path], texts: list[str]) -> list[tuple[str, str]]:
    """(file name, text) for each text found in a file in UTF-8 or UTF-16 (either byte order)."""
    found = []
    for file in files:
        data = file.read_bytes()
        for text in texts:
            if any(needle in data for needle in encodings(text)):
                found.append((file.name, text))
    return found


def raw_connect(path: Path, passphrase: str = PASSPHRASE) -> sqlcipher3.Connection:
    """A keyed sqlcipher3 connection that bypasses storage/ entirely (to tamper with a file)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def child_env(**extra: str) -> dict[str, str]:
    private = ("PSEA_DESK_PASSPHRASE", "PSEA_DESK_NEW_PASSPHRASE", "PSEA_DESK_LANGUAGE", "PSEA_DESK_EXIT_WHEN_SHOWN")
    env = {k: v for k, v in os.environ.items() if k not in private}
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["LANGUAGE"] = "en"
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


def run_cli(*args: str, passphrase: str | None = PASSPHRASE, timeout: float = 120,
            **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m desktop ARGS` in a real subprocess (the psea-desk command), passphrase by env."""
    extra = dict(env)
    if passphrase is not None:
        extra["PSEA_DESK_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=child_env(**extra),
                          capture_output=True, text=True, timeout=timeout, check=False)


def flip_byte(path: Path, offset: int) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0x5A]))
