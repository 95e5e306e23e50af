"""A conflict whose two versions hold the same content (every office's seeded courses) is resolved
like any other, the loser kept in history, but not listed for review; a real one still is."""

from __future__ import annotations

from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles
from desktop.roster.model import COURSE, ensure_default_courses
from storage.records import OFFICE

from .conftest import make_office
from .helpers import BUNDLE_PASSPHRASE


def test_identical_content_is_not_listed_but_a_real_conflict_is(tmp_path, workspace) -> None:
    ensure_default_courses(workspace)
    office = make_office(tmp_path / "sdn.pdesk", "SDN-KRT", ["Khartoum"])
    try:
        ensure_default_courses(office)
        seeded = [c for c in office.records.iter_all(COURSE, include_deleted=False)]
        assert seeded, "the office has seeded courses"
        # A real conflict: both sides edit the same course differently.
        course_id = seeded[0]["id"]
        office.records.update(COURSE, course_id, {"validity_months": 24})
        path = tmp_path / "sdn.pdbundle"
        export_bundle(office, path, BUNDLE_PASSPHRASE)
    finally:
        office.close()
    workspace.records.update(COURSE, course_id, {"validity_months": 12})

    [result] = merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    assert result.error is None
    assert result.conflict_ids == [("roster_course", course_id)]   # only the real one
    assert result.conflicts == 1
    # Every losing version is still kept: one history row per seeded course id that collided.
    collided = workspace.connection.execute(
        "SELECT count(DISTINCT record_id) FROM history WHERE kind = 'roster_course' AND reason = 'conflict-lost'"
    ).fetchone()[0]
    assert collided == len(seeded)
    assert workspace.records.get(OFFICE, next(r["id"] for r in workspace.records.iter_all(OFFICE))) is not None
    assert workspace.integrity_problems() == []
