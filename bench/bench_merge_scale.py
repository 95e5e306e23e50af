"""Headquarters' merge at scale: 200 offices' bundles, 2,000,000 records, merged in ten runs of twenty.

Opt-in (it takes minutes and writes ~1 GB of scratch): `PSEA_BENCH_LARGE=1 python -m bench merge_scale`.
Without it the module reports "not run".

What it shows: the merge's cost per record at the first run (an empty workspace) and at the last one
(1.8 million records already there), each beside its floor measured the same way — `executemany` of
the same rows into a workspace of the same size, in runs of the same size, with the same page cache
(64 MB, as the merge sets). A per-record cost that grows only as fast as the floor's is the B-tree
growing (the floor pays it too), not the merge. Memory: the resident set's peak during each run, which
must not grow with the workspace once SQLite's page cache is full (the merge streams each bundle; the
helper process that reads them holds at most two, and is not counted).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import PASSPHRASE, Result, child_env, run_child, scratch_dir

OFFICES = 200
PER_OFFICE = 10_000
RUNS = 10


def _peak_rss_mb() -> float | None:
    """The resident set's peak since the last reset (Linux), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _sqlite_highwater() -> Callable[[bool], float] | None:
    """SQLite's own memory high-water mark in MB (reset with True): the page cache and everything
    SQLCipher allocates, to tell it apart from Python's and the C allocator's share of the peak."""
    import ctypes

    try:
        import sqlcipher3._sqlite3 as binding

        function = ctypes.CDLL(binding.__file__).sqlite3_memory_highwater
    except (ImportError, OSError, AttributeError):
        return None
    function.restype, function.argtypes = ctypes.c_int64, [ctypes.c_int]
    return lambda reset: function(1 if reset else 0) / 2**20


def _merge_runs(hq: Path, bundles: Path) -> dict[str, list]:
    """The child's part: merge the bundles in RUNS runs, timing each and noting its memory peak."""
    from desktop.exchange.merge import merge_bundles
    from storage import Workspace

    paths = sorted(bundles.glob("*.pdbundle"))
    per_run = len(paths) // RUNS
    times, peaks, sqlite_peaks = [], [], []
    highwater = _sqlite_highwater()
    with Workspace.open(hq, PASSPHRASE) as ws:
        for k in range(RUNS):
            _reset_peak()
            if highwater:
                highwater(True)
            start = time.perf_counter()
            results = merge_bundles(ws, paths[k * per_run:(k + 1) * per_run], None, backup=False)
            times.append(time.perf_counter() - start)
            peaks.append(_peak_rss_mb())
            sqlite_peaks.append(highwater(False) if highwater else None)
            if any(r.error for r in results) or sum(r.inserted for r in results) != per_run * PER_OFFICE:
                raise RuntimeError(f"run {k}: {[str(r.error) for r in results if r.error][:3]}")
    return {"times": times, "peaks": peaks, "sqlite_peaks": sqlite_peaks}


def run() -> list[Result]:
    if os.environ.get("PSEA_BENCH_LARGE") != "1":
        return [Result.not_available("merge at 2,000,000 records (opt-in)",
                                     "not run: set PSEA_BENCH_LARGE=1 (takes minutes, ~1 GB of scratch)")]
    from bench.bench_merge import make_bundles
    from desktop.exchange.keys import identity
    from storage import Workspace
    from storage.records import OFFICE

    folder = scratch_dir()
    hq = folder / "hq-scale.pdesk"
    with Workspace.create(hq, PASSPHRASE, office="HQ", entity="UNICEF") as ws:
        recipient = identity(ws).box_public
    paths, rows = make_bundles(recipient, OFFICES, PER_OFFICE, "bundles-scale")
    per_run = OFFICES // RUNS
    records_per_run = per_run * PER_OFFICE

    floor_times = []
    with Workspace.create(folder / "floor-scale.pdesk", PASSPHRASE, office="HQ", entity="UNICEF") as floor_ws:
        conn = floor_ws.connection
        conn.execute("PRAGMA cache_size = -65536")
        sql = f"INSERT INTO office ({', '.join(OFFICE.columns)}) VALUES ({', '.join('?' * len(OFFICE.columns))})"  # noqa: S608
        for k in range(RUNS):
            batch = rows[k * records_per_run:(k + 1) * records_per_run]
            start = time.perf_counter()
            with floor_ws.transaction() as c:
                c.executemany(sql, batch)
            floor_times.append(time.perf_counter() - start)
    del rows

    # The merge runs in a fresh child Python: its memory figures hold the merge alone, not the 2,000,000
    # rows this process built for the bundles and the floor.
    _seconds, out = run_child([sys.executable, "-m", "bench.bench_merge_scale", str(hq), str(paths[0].parent)],
                              env=child_env(), timeout=3600)
    report = json.loads(out.strip().splitlines()[-1])
    merge_times, peaks, sqlite_peaks = report["times"], report["peaks"], report.get("sqlite_peaks") or []

    def us(seconds: float) -> float:
        return seconds / records_per_run * 1e6

    first, last = merge_times[0], merge_times[-1]
    growth = (last / first) / (floor_times[-1] / floor_times[0])
    per_record = " ".join(f"{us(t):.0f}" for t in merge_times)
    floor_per_record = " ".join(f"{us(t):.0f}" for t in floor_times)
    out = [
        Result(f"merge 20 bundles into an empty workspace ({records_per_run:,} records)", first, floor_times[0],
               budget=3.0, note=f"{us(first):.1f} µs per record; floor {us(floor_times[0]):.1f} µs", runs=1),
        Result(f"merge 20 bundles into 1,800,000 records (run {RUNS} of {RUNS})", last, floor_times[-1], budget=3.0,
               note=f"{us(last):.1f} µs per record; floor {us(floor_times[-1]):.1f} µs; per run (µs/record): "
                    f"merge {per_record}; floor {floor_per_record}", runs=1),
        Result("merge cost growth from 0 to 1,800,000 records, relative to the floor's", growth, None, unit="×",
               budget=1.5, budget_kind="absolute",
               note=f"merge last/first {last / first:.2f}, floor last/first {floor_times[-1] / floor_times[0]:.2f}",
               runs=1),
    ]
    if all(p is not None for p in peaks):
        # The first runs also fill SQLite's page cache (64 MB during a merge) as the file grows past it: the
        # figure compares the last run with the middle one, both with a full cache.
        middle = RUNS // 2 - 1
        out.append(Result(f"merge memory peak at {(RUNS - 1) * records_per_run:,} records vs at "
                          f"{middle * records_per_run:,}", peaks[-1], peaks[middle], unit="MB", budget=1.1,
                          note="peak resident set per run (MB): " + " ".join(f"{p:.0f}" for p in peaks)
                          + ("; of which SQLite's own peak: " + " ".join(f"{p:.0f}" for p in sqlite_peaks)
                             if sqlite_peaks and all(p is not None for p in sqlite_peaks) else ""), runs=1))
    total = sum(merge_times)
    out.append(Result(f"merge {OFFICES} offices, {OFFICES * PER_OFFICE:,} records in {RUNS} runs", total,
                      sum(floor_times), budget=3.0, note=f"{us(total) / RUNS:.1f} µs per record overall", runs=1))
    return out


if __name__ == "__main__":
    print(json.dumps(_merge_runs(Path(sys.argv[1]), Path(sys.argv[2]))))
