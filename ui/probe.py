"""How long the window's thread is ever kept from its event loop: a timer that should fire every few
milliseconds, and the longest gap it saw beyond that (the benchmarks' "stall", design.md budget 100 ms)."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 5


class StallProbe(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.longest_ms = 0.0
        self._last = 0.0

    def start(self) -> None:
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop; the longest stall in milliseconds (including one last look at now)."""
        self._tick()
        self._timer.stop()
        return self.longest_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000 - INTERVAL_MS
        self.longest_ms = max(self.longest_ms, gap)
        self._last = now
