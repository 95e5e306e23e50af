"""Idle detection for the auto-lock: an application-wide event filter notes the last user input, a
timer checks it. Checking a timestamp (instead of restarting a timer on every mouse move) keeps the
filter cheap.

Time asleep counts as idle: the monotonic clock and Qt's timers stop while a laptop is suspended, so
the idle time is the largest of the monotonic, boot-time (Linux, counts suspend) and wall clocks, and
the first input after waking is checked too (and swallowed when it comes too late, so that a click
meant for the unlocked window never lands)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.InputMethod,
})


_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)


def _clocks() -> tuple[float, float, float]:
    boot = time.clock_gettime(_BOOTTIME) if _BOOTTIME is not None else time.monotonic()
    return time.monotonic(), boot, time.time()


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = _clocks()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._installed = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._limit = max(minutes, 0.001) * 60.0
        # Check often enough to lock within a few percent of the limit, at most once a second.
        self._timer.setInterval(int(min(1000.0, self._limit * 1000 / 10)))

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.poke()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def poke(self) -> None:
        self._last = _clocks()

    def idle_seconds(self) -> float:
        now = _clocks()
        return max(now[i] - self._last[i] for i in range(3))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            if self._timer.isActive() and self.idle_seconds() >= self._limit:
                self._check()
                return True  # too late: this input was meant for a window that is now locked
            self._last = _clocks()
        return False

    def _check(self) -> None:
        if self.idle_seconds() >= self._limit:
            self.stop()
            self.idle.emit()
