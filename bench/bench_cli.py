"""The command line starts at once (coordinators script it over many workspaces).

- `psea-desk --help`: budget 0.15 s absolute (floor for information: `python -c pass`).
- `psea-desk roster stats PATH` on the 2,000-person demo: budget 1.5 × a floor of Python importing
  that command's libraries (SQLCipher, Babel) plus opening the same file with its key (the key
  derivation), in a child process each time.

Bytecode: the floor's libraries load from the .pyc files their installation compiled; ours must too, or
the ratio compares compiled libraries with our source compiled afresh on every run (this machine sets
PYTHONDONTWRITEBYTECODE, and an installed psea-desk always has its bytecode). So every child here
reads and writes bytecode in the scratch folder (PYTHONPYCACHEPREFIX; nothing is written in the
tree), after one unmeasured warm-up run of each command. The same command without any bytecode cache
is measured too and shown for information, without a verdict: that is what a first run from a source
checkout costs.

Floors and figures are interleaved (one run of each per round), so the machine's load hits both alike.
"""

from __future__ import annotations

import statistics
import time

from bench import PASSPHRASE, Result, child_env, demo_workspace, python, run_child, scratch_dir

RUNS = 7

FLOOR = """
import sys, sqlcipher3, babel.numbers, babel.dates
conn = sqlcipher3.connect(sys.argv[1])
conn.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
"""


def _time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    run_child(argv, env=env, timeout=120)
    return time.perf_counter() - started


def _catalog_note() -> str:
    """Say so when the catalogs are older than their sources: every command then compiles them in memory
    at start-up (i18n.translator), which no installed copy does."""
    try:
        from i18n import catalogs

        stale = [code for code in ("en",) if catalogs.is_stale(code)]
    except Exception:  # noqa: BLE001 - a note only
        return ""
    return "; CATALOGS NOT COMPILED (.po newer than .mo): figures include compiling them" if stale else ""


def run() -> list[Result]:
    base = child_env(PSEA_DESK_PASSPHRASE=PASSPHRASE, PSEA_DESK_LANGUAGE="en")
    base.pop("PYTHONPYCACHEPREFIX", None)
    cached = dict(base, PYTHONPYCACHEPREFIX=str(scratch_dir() / "pycache"))
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    cold = dict(base, PYTHONDONTWRITEBYTECODE="1")
    path = demo_workspace()
    commands = {
        "bare": ([python(), "-c", "pass"], cached),
        "help": ([python(), "-m", "desktop", "--help"], cached),
        "floor": ([python(), "-c", FLOOR, str(path), PASSPHRASE], cached),
        "stats": ([python(), "-m", "desktop", "roster", "stats", str(path), "--as-of", "2026-11-30"], cached),
        "risk stats": ([python(), "-m", "desktop", "risk", "stats", str(path), "--year", "2026"], cached),
        "partners stats": ([python(), "-m", "desktop", "partners", "stats", str(path), "--year", "2026"], cached),
        "stats, no bytecode": ([python(), "-m", "desktop", "roster", "stats", str(path), "--as-of", "2026-11-30"],
                               cold),
    }
    for argv, env in commands.values():   # warm-up: writes the bytecode, fills the page cache
        _time(argv, env)
    samples: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(RUNS):
        for key, (argv, env) in commands.items():
            samples[key].append(_time(argv, env))
    median = {key: statistics.median(values) for key, values in samples.items()}
    note = _catalog_note()
    return [
        Result("psea-desk --help", median["help"], median["bare"], budget=0.15, budget_kind="absolute",
               note=f"floor: python -c pass; median of {RUNS}{note}", runs=RUNS, samples=samples["help"]),
        Result("psea-desk roster stats (2,000 people)", median["stats"], median["floor"], budget=1.5,
               note=f"floor: python importing SQLCipher and Babel and opening the file with its key; median of "
                    f"{RUNS}, interleaved{note}", runs=RUNS, samples=samples["stats"]),
        *(Result(f"psea-desk {key} (2,000 people)", median[key], median["floor"], budget=1.5,
                 note=f"the same floor; median of {RUNS}, interleaved{note}", runs=RUNS, samples=samples[key])
          for key in ("risk stats", "partners stats")),
        Result("psea-desk roster stats, no bytecode cache (information)", median["stats, no bytecode"],
               median["floor"], note="our modules compiled from source on every run, as in a fresh source "
                                     f"checkout with PYTHONDONTWRITEBYTECODE; no budget{note}",
               runs=RUNS, samples=samples["stats, no bytecode"]),
    ]
