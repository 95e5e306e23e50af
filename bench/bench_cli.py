"""The command line starts at once (coordinators script it over many workspaces).

- `psea-desk --help`: budget 0.15 s absolute (floor for information: `python -c pass`).
- `psea-desk roster stats PATH` on the 2,000-person demo: budget 1.5 × a floor of Python importing
  that command's libraries (SQLCipher, Babel) plus opening the same file with its key (the key
  derivation), in a child process each time.
"""

from __future__ import annotations

import statistics
import time

from bench import PASSPHRASE, Result, child_env, demo_workspace, python, run_child

RUNS = 7

FLOOR = """
import sys, sqlcipher3, babel.numbers, babel.dates
conn = sqlcipher3.connect(sys.argv[1])
conn.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
"""


def _median(argv: list[str], env: dict[str, str]) -> tuple[float, list[float]]:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run_child(argv, env=env, timeout=120)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), samples


def run() -> list[Result]:
    env = child_env(PSEA_DESK_PASSPHRASE=PASSPHRASE, PSEA_DESK_LANGUAGE="en")
    bare, _ = _median([python(), "-c", "pass"], env)
    help_time, help_samples = _median([python(), "-m", "desktop", "--help"], env)
    path = demo_workspace()
    floor, _ = _median([python(), "-c", FLOOR, str(path), PASSPHRASE], env)
    stats, stats_samples = _median([python(), "-m", "desktop", "roster", "stats", str(path), "--as-of", "2026-11-30"],
                                   env)
    return [
        Result("psea-desk --help", help_time, bare, budget=0.15, budget_kind="absolute",
               note=f"floor: python -c pass; median of {RUNS}", runs=RUNS, samples=help_samples),
        Result("psea-desk roster stats (2,000 people)", stats, floor, budget=1.5,
               note="floor: python importing SQLCipher and Babel and opening the file with its key", runs=RUNS,
               samples=stats_samples),
    ]
