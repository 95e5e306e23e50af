"""Unlock (key derivation included): Workspace.open + close on a demo workspace.

Floor: a bare sqlcipher3 connection to the same file, `PRAGMA key`, one SELECT, close: the key
derivation (PBKDF2-HMAC-SHA512, 256,000 iterations) that any SQLCipher 4 file costs. Budgets from
design.md: unlock <= 0.5 s absolute; the ratio to the floor shows what PSEA Desk adds around it.
"""

from __future__ import annotations

import statistics

import sqlcipher3

from bench import PASSPHRASE, Result, demo_workspace, median_time

RUNS = 7


def run() -> list[Result]:
    from storage import Workspace

    path = demo_workspace()

    def floor_once() -> None:
        conn = sqlcipher3.connect(str(path))
        conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()

    def unlock_once() -> None:
        Workspace.open(path, PASSPHRASE).close()

    floor_once()
    unlock_once()  # warm-up: page cache, imports
    floor_samples, samples = [], []
    for _ in range(RUNS):  # interleaved, so a burst of load on the (shared) machine hits both alike
        floor_samples.append(median_time(floor_once, 1, warmup=0)[0])
        samples.append(median_time(unlock_once, 1, warmup=0)[0])
    floor, value = statistics.median(floor_samples), statistics.median(samples)
    size_mb = path.stat().st_size / 1e6
    note = f"median of {RUNS} interleaved runs; demo workspace {size_mb:.1f} MB"
    return [Result("unlock (open + close)", value, floor, budget=0.5, budget_kind="absolute",
                   note=note + "; floor = bare sqlcipher3 connect + PRAGMA key + SELECT", runs=RUNS,
                   samples=samples)]
