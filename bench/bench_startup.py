"""Start to the unlock window, against a bare PySide6 window on the same machine (budget <= 1.5 x).

Both are fresh Python processes. Floor: create a QApplication, show a bare QWidget, and once its first
paint is done print `shown <time.perf_counter()>` and quit. Measured: `python -m desktop gui
PATH` with PSEA_DESK_EXIT_WHEN_SHOWN=1, which prints the same line once its first window is painted
and exits. The figure is spawn -> the printed moment (perf_counter is the system-wide monotonic clock
on Linux and macOS, so parent and child agree); where the line has no usable time, spawn -> exit.

Bytecode: as in bench_cli, both sides read and write bytecode in the scratch folder
(PYTHONPYCACHEPREFIX): PySide6 loads compiled, and an installed psea-desk has its bytecode too; this
machine's PYTHONDONTWRITEBYTECODE would otherwise compile our modules afresh on every run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench import ROOT, Result, child_env, demo_workspace, python, scratch_dir

RUNS = 7
TIMEOUT = 60
BUDGET = 1.5

FLOOR_SCRIPT = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv)
w = QWidget()
w.resize(640, 480)
w.setWindowTitle("floor")
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is w:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("shown", time.perf_counter(), flush=True), app.quit()))
        return False
watch = FirstPaint(app)
w.installEventFilter(watch)
w.show()
app.exec()
"""


class NotShown(RuntimeError):
    pass


def time_to_shown(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    ended = time.perf_counter()
    shown = [line.split() for line in proc.stdout.splitlines() if line.startswith("shown")]
    if proc.returncode != 0 or not shown:
        tail = (proc.stderr or proc.stdout).strip()[-300:]
        raise NotShown(f"exit {proc.returncode}, no 'shown' line; {tail}")
    try:
        at = float(shown[0][1])
    except (IndexError, ValueError):
        return ended - start
    if sys.platform.startswith(("linux", "darwin")) and start < at <= ended:
        return at - start
    return ended - start


def _with_bytecode(env: dict[str, str]) -> dict[str, str]:
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run() -> list[Result]:
    name = "start to the unlock window"
    bytecode = {"PYTHONPYCACHEPREFIX": str(scratch_dir() / "pycache")}
    env = _with_bytecode(child_env(QT_QPA_PLATFORM="offscreen", **bytecode))
    floor_argv = [python(), "-c", FLOOR_SCRIPT]
    path = demo_workspace()
    app_argv = [python(), "-m", "desktop", "gui", str(path)]
    app_env = _with_bytecode(child_env(QT_QPA_PLATFORM="offscreen", PSEA_DESK_EXIT_WHEN_SHOWN="1", **bytecode))
    try:
        time_to_shown(app_argv, app_env)  # warm-up (and: is the shell there at all?)
    except (NotShown, subprocess.TimeoutExpired) as exc:
        return [Result.not_available(name, f"`psea-desk gui` with PSEA_DESK_EXIT_WHEN_SHOWN=1 did not report a "
                                           f"shown window ({str(exc)[:160]})", budget=BUDGET)]
    time_to_shown(floor_argv, env)  # warm-up: disk caches for PySide6
    floors, values = [], []
    for _ in range(RUNS):  # interleaved, so a burst of load on the machine hits both alike
        floors.append(time_to_shown(floor_argv, env))
        values.append(time_to_shown(app_argv, app_env))
    floor, value = statistics.median(floors), statistics.median(values)
    return [Result(name, value, floor, budget=BUDGET, runs=RUNS, samples=values,
                   note=f"median of {RUNS} interleaved runs each, offscreen platform")]
