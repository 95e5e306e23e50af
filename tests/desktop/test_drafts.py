"""Drafts (desktop/drafts.py): kept encrypted in the workspace, replaced, discarded, never exported."""

from __future__ import annotations

from desktop import drafts
from desktop.exchange.export import export_bundle
from desktop.exchange.merge import open_bundle
from storage import Workspace
from tests.conftest import PASSPHRASE


def test_a_draft_is_kept_replaced_and_discarded(workspace: Workspace) -> None:
    assert drafts.find(workspace, "partner-assessment", "a1") is None
    drafts.keep(workspace, "partner-assessment", "a1", {"standards": {"policy": {"rating": 2, "notes": "é 中"}}})
    latest = {"standards": {"policy": {"rating": 3, "notes": "Политика утверждена"}}}
    drafts.keep(workspace, "partner-assessment", "a1", latest)
    kept = drafts.find(workspace, "partner-assessment", "a1")
    assert kept is not None and kept.data == latest
    assert drafts.find(workspace, "letter", "a1") is None           # per form and record
    path = workspace.path
    workspace.close()
    assert "Политика".encode() not in path.read_bytes()               # encrypted like the rest
    with Workspace.open(path, PASSPHRASE) as again:                  # survives closing (and a crash)
        assert drafts.find(again, "partner-assessment", "a1").data["standards"]["policy"]["rating"] == 3
        drafts.discard(again, "partner-assessment", "a1")
        assert drafts.find(again, "partner-assessment", "a1") is None


def test_drafts_never_travel_in_a_bundle(workspace: Workspace, tmp_path) -> None:
    drafts.keep(workspace, "partner-assessment", "a1", {"secret": "draft text never sent"})
    export_bundle(workspace, tmp_path / "office.pdbundle", "bundle passphrase 2026")
    opened, parsed = open_bundle(tmp_path / "office.pdbundle", "bundle passphrase 2026")
    assert "draft" not in parsed.current and b"draft text never sent" not in opened.content
