"""Reference data belongs to no office: the courses every workspace starts with never travel, never
conflict, and an office's own choices about them stay its own at a coordinator. A conflict whose two
versions hold the same content is resolved like any other but not listed for review."""

from __future__ import annotations

import shutil

from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles, open_bundle
from desktop.roster.model import COURSE_SETTING, courses, seeded_course_id, set_course_validity
from storage import Workspace
from storage.records import OFFICE, REFERENCE_OFFICE, REFERENCE_REV

from .conftest import PASSPHRASE, make_office
from .helpers import BUNDLE_PASSPHRASE


def test_reference_courses_never_travel_and_settings_stay_each_offices(tmp_path, workspace) -> None:
    course = seeded_course_id("refresher")
    paths = []
    for code, months in (("SDN-KRT", 24), ("LBN-BEY", 12)):
        office = make_office(tmp_path / f"{code}.pdesk", code, ["x"])
        try:
            set_course_validity(office, course, months)
            path = tmp_path / f"{code}.pdbundle"
            export_bundle(office, path, BUNDLE_PASSPHRASE)
            paths.append(path)
        finally:
            office.close()
        _, parsed = open_bundle(path, BUNDLE_PASSPHRASE)
        assert all(r["office"] == code for r in parsed.current.get("roster_course", []))
    results = merge_bundles(workspace, paths, BUNDLE_PASSPHRASE)
    assert all(r.error is None and r.conflicts == 0 for r in results)
    row = workspace.connection.execute("SELECT office, rev, validity_months FROM roster_course WHERE id = ?",
                                       (course,)).fetchone()
    assert row == (REFERENCE_OFFICE, REFERENCE_REV, 36)
    settings = {(r["office"], r["validity_months"]) for r in workspace.records.iter_all(COURSE_SETTING)}
    assert settings == {("SDN-KRT", 24), ("LBN-BEY", 12)}
    assert next(c for c in courses(workspace) if c.id == course).validity_months == 36   # the coordinator's own
    assert next(c for c in courses(workspace, "SDN-KRT") if c.id == course).validity_months == 24
    assert workspace.integrity_problems() == []


def test_identical_content_is_not_listed_but_a_real_conflict_is(tmp_path, workspace) -> None:
    """Two copies of one office's workspace (a laptop restored from a copy) edit the same records."""
    first = make_office(tmp_path / "a.pdesk", "SDN-KRT", ["Khartoum", "Kassala"])
    export_bundle(first, tmp_path / "base.pdbundle", BUNDLE_PASSPHRASE)   # makes the signing key, copied too
    first.close()
    shutil.copy(tmp_path / "a.pdesk", tmp_path / "b.pdesk")
    for name, edits in (("a", ("Same", "Mine")), ("b", ("Same", "Theirs"))):
        with Workspace.open(tmp_path / f"{name}.pdesk", PASSPHRASE) as ws:
            rows = sorted((r for r in ws.records.iter_all(OFFICE) if r["code"] != "SDN-KRT"), key=lambda r: r["code"])
            for row, new in zip(rows, edits, strict=True):
                ws.records.update(OFFICE, row["id"], {"name": new})
            export_bundle(ws, tmp_path / f"{name}.pdbundle", BUNDLE_PASSPHRASE)
    real = rows[1]["id"]
    results = merge_bundles(workspace, [tmp_path / "a.pdbundle", tmp_path / "b.pdbundle"], BUNDLE_PASSPHRASE)
    assert [r.error for r in results] == [None, None]
    assert results[1].conflict_ids == [("office", real)]          # only the real one is listed
    lost = workspace.connection.execute(
        "SELECT count(DISTINCT record_id) FROM history WHERE kind = 'office' AND reason = 'conflict-lost'").fetchone()[0]
    assert lost == 2                                              # but every losing version is kept
    assert workspace.integrity_problems() == []
