"""Long work off the window's thread: one worker, progress, cancel, errors, and a busy state the whole
window respects (design.md, "Long work and change"; the model is Anki's qt/aqt/operations and
Orange3's concurrent.py).

    operations.runner(session).run(fn, title=..., on_done=..., on_error=...)

`fn(task)` runs on the worker thread with a desktop.tasks.TaskState; it must not touch widgets. Its
result (or exception) comes back on the window's thread. One operation at a time per session: while it
runs, `busy` is true, `busy_changed` tells the window (which disables what could touch the workspace
and shows progress with a Cancel button), the auto-lock and closing the window wait for it. Nothing in
ui/ pumps Qt's event loop by hand: the window's thread only paints and reacts.
"""

from __future__ import annotations

import threading
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop.tasks import Cancelled, TaskState


class _Bridge(QObject):
    """Signals emitted on the worker thread and delivered on the window's thread (queued)."""

    progressed = Signal(object, str)
    partial = Signal(object)               # a first part of the result (TaskState.publish)
    finished = Signal(object, object)      # result, exception (one of them None)


@dataclass
class Running:
    title: str
    task: TaskState
    thread: threading.Thread
    cancellable: bool
    fraction: float | None = None
    text: str = ""


class Runner(QObject):
    busy_changed = Signal(bool)
    progressed = Signal(object, str)       # fraction (or None), text

    def __init__(self) -> None:
        super().__init__()
        self.current: Running | None = None
        self._done_callbacks: list[Callable[[], None]] = []

    @property
    def busy(self) -> bool:
        return self.current is not None

    def run(self, fn: Callable[[TaskState], Any], *, title: str, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, on_cancelled: Callable[[], None] | None = None,
            cancellable: bool = True, on_partial: Callable[[Any], None] | None = None) -> bool:
        """Start `fn(task)` on the worker; False (and nothing started) if another operation runs.
        `on_partial` receives, on the window's thread, what the work publishes before it ends."""
        if self.current is not None:
            return False
        bridge = _Bridge()
        task = TaskState(lambda fraction, text: bridge.progressed.emit(fraction, text),
                         bridge.partial.emit if on_partial is not None else None)

        def work() -> None:
            try:
                result = fn(task)
            except BaseException as exc:  # noqa: BLE001 - handed to the window's thread
                bridge.finished.emit(None, exc)
            else:
                bridge.finished.emit(result, None)

        def progressed(fraction: float | None, text: str) -> None:
            if self.current is not None:
                self.current.fraction, self.current.text = fraction, text
            self.progressed.emit(fraction, text)

        def finished(result: Any, exc: BaseException | None) -> None:
            running, self.current = self.current, None
            if running is not None:
                running.thread.join(1)
            self.busy_changed.emit(False)
            try:
                if isinstance(exc, Cancelled):
                    if on_cancelled is not None:
                        on_cancelled()
                elif exc is not None:
                    if on_error is None:
                        traceback.print_exception(exc)
                    else:
                        on_error(exc)
                elif on_done is not None:
                    on_done(result)
            finally:
                callbacks, self._done_callbacks = self._done_callbacks, []
                for callback in callbacks:
                    callback()
                bridge.deleteLater()

        def partial(value: Any) -> None:
            if self.current is not None and self.current.task is task and on_partial is not None:
                on_partial(value)

        queued = Qt.ConnectionType.QueuedConnection   # delivered on the window's thread, in its event loop
        bridge.progressed.connect(progressed, queued)
        bridge.partial.connect(partial, queued)
        bridge.finished.connect(finished, queued)
        thread = threading.Thread(target=work, name=f"operation: {title}", daemon=True)
        self.current = Running(title, task, thread, cancellable)
        self.busy_changed.emit(True)
        thread.start()
        return True

    def cancel(self) -> None:
        if self.current is not None and self.current.cancellable:
            self.current.task.cancel()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call `callback` once no operation runs (now, or when the current one has ended)."""
        if self.current is None:
            callback()
        else:
            self._done_callbacks.append(callback)


_runners: weakref.WeakKeyDictionary[Any, Runner] = weakref.WeakKeyDictionary()


def join_workers(timeout: float = 60) -> None:
    """Wait for every worker thread to end (a test's teardown, before its workspace is closed): the
    results are still delivered by the event loop, to windows that may be gone by then."""
    for found in list(_runners.values()):
        running = found.current
        if running is not None:
            running.thread.join(timeout)


def runner(session: Any) -> Runner:
    """The one runner of a session (the main window and its pages share it)."""
    found = _runners.get(session)
    if found is None:
        found = _runners[session] = Runner()
    return found
