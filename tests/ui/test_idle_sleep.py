"""Time spent asleep counts as idle, and the first input after waking too late does not reach the window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from ui.idle import IdleWatcher


def _asleep(watcher: IdleWatcher, seconds: float) -> None:
    """What a suspend looks like: the wall (and boot-time) clock moved on, the monotonic one did not."""
    mono, boot, wall = watcher._last
    watcher._last = (mono, boot - seconds, wall - seconds)


def test_sleep_counts_as_idle_and_the_late_click_is_swallowed(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    watcher = IdleWatcher(minutes=5)
    fired = []
    watcher.idle.connect(lambda: fired.append(True))
    watcher.start()
    try:
        click = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1), Qt.MouseButton.LeftButton,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        assert watcher.eventFilter(widget, click) is False and not fired   # awake: input passes
        _asleep(watcher, 3600)
        assert watcher.idle_seconds() >= 3600
        assert watcher.eventFilter(widget, click) is True                   # swallowed
        assert fired == [True] and not watcher.active
    finally:
        watcher.stop()
