"""`python -m bench [NAME ...] [--strict] [--json FILE]`: run the benchmarks and print a table.

NAME filters modules (`unlock` runs bench/bench_unlock.py). Without `--strict` the exit code is 0
even when a figure is over budget (it is marked OVER); with it, 1.

Each module runs in its own Python process (`--one NAME --out FILE`, internal): a crash inside Qt or
SQLite (an abort cannot be caught) costs that module's row, not the table; memory figures start
clean; and one module's imports do not make the next one look fast. The processes share one scratch
folder (PSEA_BENCH_SCRATCH), so the demo workspace is built once per run.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import bench
from bench import Result

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if names:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in names}
        unknown = wanted - set(found)
        if unknown:
            raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; found {', '.join(found)}")
        found = [m for m in found if m in wanted]
    return found


def run_module(name: str) -> tuple[list[Result], float]:
    """Run one module in this process (used by the child of `run_isolated`)."""
    start = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{name}")
        results = list(module.run())
    except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
        traceback.print_exc(file=sys.stderr)
        results = [Result.not_available(name, f"error: {type(exc).__name__}: {exc}")]
    return results, time.perf_counter() - start


def run_isolated(name: str, scratch: Path) -> tuple[list[Result], float]:
    """Run one module in a child Python and read its results back."""
    start = time.perf_counter()
    out = scratch / f"{name}.results.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PSEA_BENCH_SCRATCH=str(scratch))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    proc = subprocess.run([sys.executable, "-m", "bench", "--one", name, "--out", str(out)], cwd=bench.ROOT,
                          env=env, check=False)
    if proc.returncode != 0 or not out.exists():
        note = f"the benchmark process ended with exit code {proc.returncode} (see its output above)"
        return [Result.not_available(name, note)], time.perf_counter() - start
    rows = json.loads(out.read_text(encoding="utf-8"))
    return [Result(**row) for row in rows], time.perf_counter() - start


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def verdict(r: Result) -> str:
    if not r.available:
        return "not available"
    ok = r.within_budget
    return "-" if ok is None else ("ok" if ok else "OVER")


def render(results: list[Result]) -> str:
    header = ("benchmark", "value", "floor", "ratio", "budget", "verdict")
    rows = []
    for r in results:
        if r.budget is None:
            budget = "-"
        elif r.budget_kind == "ratio":
            budget = f"<= {r.budget:g} x"
        else:
            budget = f"<= {_num(r.budget, r.unit)}"
        rows.append((r.name, _num(r.value, r.unit), _num(r.floor, r.unit),
                     "-" if r.ratio is None else f"{r.ratio:.2f} x", budget, verdict(r)))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(header), line(tuple("-" * w for w in widths))]
    for r, row in zip(results, rows, strict=True):
        out.append(line(row))
        if r.note:
            out.append("    " + r.note)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="PSEA Desk benchmarks")
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure is over budget")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--one", help=argparse.SUPPRESS)   # internal: run one module in this process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if str(bench.ROOT) not in sys.path:
        sys.path.insert(0, str(bench.ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    if args.one:
        found, _ = run_module(args.one)
        args.out.write_text(json.dumps([dataclasses.asdict(r) for r in found]), encoding="utf-8")
        return 0

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="psea-bench-") as scratch:
        for name in discover(args.names):
            print(f"running {name} ...", file=sys.stderr, flush=True)
            found, seconds = run_isolated(name, Path(scratch))
            print(f"  {name}: {len(found)} figure(s) in {seconds:.1f} s", file=sys.stderr, flush=True)
            results.extend(found)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps([
            {**dataclasses.asdict(r), "verdict": verdict(r)} for r in results], indent=2), encoding="utf-8")
    if args.strict and any(r.within_budget is False for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
