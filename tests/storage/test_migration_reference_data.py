"""Migration 0008: a workspace made before reference data belonged to no office keeps its choices.

Before 0008 the six seeded courses were records of the office that seeded them (and at a coordinator,
of whichever office's bundle came first), and an office could change their validity. After it they
are reference rows, and an office's own validity becomes its own setting record, with the revision of
its edit, so the office and a coordinator holding the same version derive the same setting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import storage.workspace as workspace_module
from desktop.roster.model import COURSE, COURSE_SETTING, courses, seeded_course_id, setting_id
from storage import Workspace
from storage.backup import list_backups
from storage.migrations import all_migrations
from storage.records import REFERENCE_OFFICE, REFERENCE_REV, RecordKind
from tests.conftest import PASSPHRASE

OLD_SEEDS = ("elearning", "induction", "refresher", "predeployment", "managers", "classroom")


def _old_workspace(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A workspace at schema 7 with the seeded courses as its office's records, one edited."""
    known = all_migrations()
    monkeypatch.setattr(workspace_module, "all_migrations", lambda: known[:7])
    # the office record as schema 7 had it (names in six languages came with 0011)
    monkeypatch.setattr(workspace_module, "OFFICE", RecordKind("office", "office", ("code", "name", "country")))
    with Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        assert ws.schema_version == 7
        ws.records.insert_many(COURSE, [{"code": c, "name": c, "kind": c, "validity_months": 36} for c in OLD_SEEDS],
                               ids=[seeded_course_id(c) for c in OLD_SEEDS])
        edited = ws.records.update(COURSE, seeded_course_id("refresher"), {"validity_months": 24})
    monkeypatch.undo()
    return edited["rev"]


def test_seeded_courses_become_reference_and_an_edit_the_offices_setting(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.pdesk"
    edit_rev = _old_workspace(path, monkeypatch)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.schema_version == len(all_migrations())
        assert ws.role == "office"
        rows = ws.connection.execute("SELECT office, rev, base_rev, kind, validity_months FROM roster_course").fetchall()
        assert len(rows) == 6
        assert {(r[0], r[1], r[2], r[4]) for r in rows} == {(REFERENCE_OFFICE, REFERENCE_REV, None, 36)}
        [setting] = list(ws.records.iter_all(COURSE_SETTING))
        assert setting["id"] == setting_id("KEN-NBO", seeded_course_id("refresher"))
        assert (setting["office"], setting["rev"], setting["kind"], setting["validity_months"]) == \
               ("KEN-NBO", edit_rev, "refresher", 24)
        seen = {c.code: (c.kind, c.validity_months) for c in courses(ws)}
        assert seen["refresher"] == ("refresher", 24) and seen["elearning"] == ("induction", 36)
        assert ws.integrity_problems() == []
    assert [b.reason for b in list_backups(path)] == ["before-migration-8"]


def test_a_new_workspace_has_the_same_reference_bytes(tmp_path: Path) -> None:
    rows = []
    for name in ("a", "b"):
        with Workspace.create(tmp_path / f"{name}.pdesk", PASSPHRASE, office=name.upper(), entity="X") as ws:
            rows.append(ws.connection.execute("SELECT * FROM roster_course ORDER BY id").fetchall())
    assert rows[0] == rows[1] and len(rows[0]) == 6
