"""An unlocked workspace as the window sees it: the open Workspace, who is working, and listeners
that are told when data changed (after an import or a merge) or when the session is locked.

No Qt here: the window subscribes with plain callables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storage import Workspace


class Session:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace: Workspace | None = workspace
        self.path: Path = workspace.path
        self._data_listeners: list[Callable[[str], None]] = []

    @property
    def ws(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError("the session is locked")
        return self.workspace

    @property
    def is_unlocked(self) -> bool:
        return self.workspace is not None and self.workspace.is_open

    def on_data_changed(self, callback: Callable[[str], None]) -> None:
        self._data_listeners.append(callback)

    def data_changed(self, what: str) -> None:
        """Tell every page that `what` ('roster', 'partners', '*', ...) changed."""
        for callback in list(self._data_listeners):
            callback(what)

    def lock(self) -> None:
        """Close the workspace: the connection and the key in it are dropped."""
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
