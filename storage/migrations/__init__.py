"""Numbered schema migrations: `NNNN_name.sql`, applied in order, each in its own transaction.

The schema version is SQLite's `user_version`. A workspace whose version is higher than the last
migration here was written by a newer PSEA Desk and is refused untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def all_migrations() -> list[Migration]:
    found = []
    for path in sorted(HERE.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:4])
        found.append(Migration(version, path.stem[5:], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps, found {versions}")
    return found


def latest_version() -> int:
    return len(all_migrations())
