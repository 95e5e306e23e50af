"""Change events: after the outermost commit the workspace announces which record kinds changed
(design.md, "Long work and change"); nothing on a rollback; caches keyed on kinds keep what was not written."""

from __future__ import annotations

import pytest

from storage import Workspace
from storage.records import OFFICE


def test_one_announcement_per_outermost_commit_with_the_kinds_written(workspace: Workspace) -> None:
    heard: list[frozenset[str]] = []
    stop = workspace.on_change(heard.append)
    before = workspace.version_of(["office"]), workspace.version_of(["roster_person"])
    with workspace.transaction():
        workspace.records.insert(OFFICE, {"code": "A", "name": "A", "country": ""})
        workspace.set_meta("language", "fr")
        assert heard == []                                   # nothing until the commit
    assert heard == [frozenset({"office", "meta"})]
    assert workspace.version_of(["office"]) != before[0]
    assert workspace.version_of(["roster_person"]) == before[1]   # a roster cache stays valid
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.records.insert(OFFICE, {"code": "B", "name": "B", "country": ""})
        raise RuntimeError("rolled back")
    assert len(heard) == 1                                   # a rollback announces nothing
    workspace.records.get(OFFICE, "nothing")                 # reading announces nothing
    assert len(heard) == 1
    stop()
    workspace.records.insert(OFFICE, {"code": "C", "name": "C", "country": ""})
    assert len(heard) == 1


def test_versions_differ_between_two_openings(workspace_path, workspace: Workspace) -> None:
    first = workspace.version_of(["office"])
    workspace.close()
    from tests.conftest import PASSPHRASE

    with Workspace.open(workspace_path, PASSPHRASE) as again:
        assert again.version_of(["office"]) != first
