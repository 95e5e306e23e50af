"""Benchmarks of PSEA Desk against the budgets in design.md.

Each `bench/bench_*.py` module exposes `run() -> list[Result]`. A figure is measured next to a
*floor* (the cheapest thing that does the same work, measured in the same run on the same machine),
so the verdict does not depend on how fast the machine is. `python -m bench` (./dev.sh bench)
discovers the modules, runs them and prints one table. See docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench passphrase, not a secret"


@dataclass
class Result:
    """One measured figure.

    `value` and `floor` are in `unit` (median seconds, MB, ...). `budget` is a ratio to the floor
    when `budget_kind == "ratio"`, an absolute limit in `unit` when `budget_kind == "absolute"`.
    `value = None` means the figure could not be measured (say why in `note`): it is shown as
    "not available", never as a pass.
    """

    name: str
    value: float | None
    floor: float | None = None
    ratio: float | None = None
    budget: float | None = None
    unit: str = "s"
    budget_kind: str = "ratio"
    note: str = ""
    runs: int = 0
    samples: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.budget_kind not in ("ratio", "absolute"):
            raise ValueError(f"budget_kind must be 'ratio' or 'absolute', not {self.budget_kind!r}")
        if self.ratio is None and self.value is not None and self.floor:
            self.ratio = self.value / self.floor

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def within_budget(self) -> bool | None:
        """True/False against the budget; None when there is no budget or no figure."""
        if not self.available or self.budget is None:
            return None
        if self.budget_kind == "ratio":
            return None if self.ratio is None else self.ratio <= self.budget
        return self.value <= self.budget

    @classmethod
    def not_available(cls, name: str, note: str, *, budget: float | None = None, unit: str = "s",
                      budget_kind: str = "ratio") -> Result:
        return cls(name, None, budget=budget, unit=unit, budget_kind=budget_kind, note=note)


# ---- measuring helpers ---------------------------------------------------------------------------
def median_time(fn: Callable[[], object], runs: int = 5, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall time of `fn()` in seconds over `runs` runs (after `warmup` unmeasured ones)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: offscreen Qt, the project on the path."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 60) -> tuple[float, str]:
    """Run a child process to its end; returns (wall seconds from spawn to exit, stdout).
    Raises ChildFailed with its stderr when it exits non-zero."""
    start = time.perf_counter()
    proc = subprocess.run(list(argv), env=env or child_env(), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(argv[:4])}... exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return elapsed, proc.stdout


class ChildFailed(RuntimeError):
    pass


def python() -> str:
    return sys.executable


_scratch: tempfile.TemporaryDirectory | None = None


def scratch_dir() -> Path:
    """A temporary folder shared by all benchmarks of one run (`python -m bench` passes it to each
    module's process as PSEA_BENCH_SCRATCH and removes it at the end)."""
    global _scratch
    shared = os.environ.get("PSEA_BENCH_SCRATCH")
    if shared:
        return Path(shared)
    if _scratch is None:
        _scratch = tempfile.TemporaryDirectory(prefix="psea-bench-")
    return Path(_scratch.name)


def demo_workspace(people: int = 2000, seed: int = 2026) -> Path:
    """A closed demo workspace (passphrase PASSPHRASE), built once per run and reused by every
    module. Do not change it in a benchmark; copy it first (shutil.copy) if you need to write."""
    folder = scratch_dir() / f"demo-{people}-{seed}"
    path = folder / "demo.pdesk"
    if not path.exists():
        from desktop.demo import create_demo_workspace

        building = scratch_dir() / f"building-demo-{people}-{seed}-{os.getpid()}"
        create_demo_workspace(building / "demo.pdesk", PASSPHRASE, seed=seed, people=people).close()
        try:
            os.replace(building, folder)  # whole or not at all, for the next module
        except OSError:  # another module's copy landed first
            pass
    return path
