"""The state of one long piece of work, as the core sees it: progress to report, a cancel to honour.

No Qt here (design.md, "Long work and change"): `ui/operations.py` runs a core function on its worker
thread with a TaskState, shows the progress and offers Cancel; the command line passes none. A core
function calls `task.report(...)` now and then and `task.check()` where stopping is safe (inside its
transaction, so that a cancel rolls everything back), like Orange3's TaskState or Anki's progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled; what the work wrote was rolled back."""


class TaskState:
    def __init__(self, on_progress: Callable[[float | None, str], None] | None = None,
                 on_partial: Callable[[object], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self._on_partial = on_partial

    def publish(self, partial: object) -> None:
        """A first part of the result, to show before the rest is ready (a roster's people before their
        statuses). Without a listener (the command line) it is dropped."""
        if self._on_partial is not None:
            self._on_partial(partial)

    def report(self, fraction: float | None, text: str = "") -> None:
        """`fraction` of the work done (0..1, None: unknown), and what is being done."""
        if self._on_progress is not None:
            self._on_progress(fraction, text)

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


def report(task: TaskState | None, fraction: float | None, text: str = "") -> None:
    """`task.report` and `task.check` for code that may run without a task (the command line)."""
    if task is not None:
        task.report(fraction, text)
        task.check()
