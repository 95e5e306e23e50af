"""Hybrid logical clock revisions.

A revision is `<13-digit ms>-<5-digit counter>-<workspace id>`: it sorts as text in the order
(physical time, counter, workspace), so "the later revision wins" is decided the same way on every
machine, and a clock set backwards still produces increasing revisions.
"""

from __future__ import annotations

import time
from collections.abc import Callable

_COUNTER_LIMIT = 99_999


def format_revision(ms: int, counter: int, workspace_id: str) -> str:
    return f"{ms:013d}-{counter:05d}-{workspace_id}"


def parse_revision(rev: str) -> tuple[int, int, str]:
    ms, counter, workspace = rev.split("-", 2)
    return int(ms), int(counter), workspace


class HybridClock:
    def __init__(self, workspace_id: str, last: str | None = None, now: Callable[[], float] = time.time) -> None:
        self.workspace_id = workspace_id
        self._now = now
        self._ms, self._counter = (0, 0)
        if last:
            self.observe(last)

    def tick(self) -> str:
        wall = int(self._now() * 1000)
        if wall > self._ms:
            self._ms, self._counter = wall, 0
        else:
            self._counter += 1
            if self._counter > _COUNTER_LIMIT:  # more than 100,000 changes in one ms: borrow the next ms
                self._ms, self._counter = self._ms + 1, 0
        return format_revision(self._ms, self._counter, self.workspace_id)

    def observe(self, rev: str) -> None:
        """Move past a revision seen elsewhere (merge), so our next tick sorts after it."""
        ms, counter, _ = parse_revision(rev)
        if (ms, counter) > (self._ms, self._counter):
            self._ms, self._counter = ms, counter

    @property
    def last(self) -> str:
        return format_revision(self._ms, self._counter, self.workspace_id)
