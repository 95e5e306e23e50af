"""Merging bundles: design.md's rules, counts per bundle, conflicts and their review, known senders,
import history, incremental exports and bundles wrapped to a coordinator's key."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.exchange import conflicts as conflict_review
from desktop.exchange.errors import SenderKeyChanged, WrongBundlePassphrase
from desktop.exchange.export import export_bundle, export_marks
from desktop.exchange.keys import identity, read_recipient_key, write_recipient_key
from desktop.exchange.merge import import_history, merge_bundles, open_bundle
from desktop.exchange.senders import known_senders
from storage.backup import list_backups
from storage.records import OFFICE

from .conftest import make_office
from .helpers import BUNDLE_PASSPHRASE


def current(ws):
    return {r["id"]: r for r in ws.records.iter_all(OFFICE)}


def test_first_merge_inserts_everything_and_remembers_the_sender(workspace, office_bundle):
    path, info = office_bundle
    [r] = merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    assert (r.status, r.inserted, r.updated, r.unchanged, r.conflicts, r.history_added) == ("merged", 4, 0, 0, 0, 2)
    assert r.sender == "new" and r.office == "SDN-KRT" and r.fingerprint == info["fingerprint"]
    ours = current(workspace)
    for rid, row in info["current"].items():
        assert ours[rid] == row                                     # same revision, same fields, tombstone too
    assert [s.fingerprint for s in known_senders(workspace)] == [info["fingerprint"]]
    [h] = import_history(workspace)
    assert (h["file_name"], h["office"], h["fingerprint"], h["inserted"]) == (path.name, "SDN-KRT", info["fingerprint"], 4)
    assert [b.reason for b in list_backups(workspace.path)] == ["before-merge"]
    assert workspace.integrity_problems() == []


def _snapshot(ws):
    rows = sorted((r["id"], r["rev"], r["name"], r["deleted"]) for r in ws.records.iter_all(OFFICE))
    hist = ws.connection.execute("SELECT kind, record_id, rev, data FROM history ORDER BY 1, 2, 3").fetchall()
    return rows, hist


def test_importing_twice_changes_nothing(workspace, office_bundle):
    path, _ = office_bundle
    merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    before = _snapshot(workspace)
    [again] = merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    assert again.status == "already-imported" and again.unchanged == 4
    [forced] = merge_bundles(workspace, [path], BUNDLE_PASSPHRASE, reimport=True)
    assert (forced.status, forced.inserted, forced.updated, forced.unchanged, forced.conflicts,
            forced.history_added) == ("merged", 0, 0, 4, 0, 0)
    assert _snapshot(workspace) == before


def test_fast_forward_through_several_edits_and_conflict_with_review(tmp_path, workspace):
    office = make_office(tmp_path / "o.pdesk", "LBN-BEY", ["Beirut", "Tripoli"])
    try:
        rows = {r["name"]: r for r in office.records.iter_all(OFFICE)}
        export_bundle(office, tmp_path / "1.pdbundle", BUNDLE_PASSPHRASE)
        merge_bundles(workspace, [tmp_path / "1.pdbundle"], BUNDLE_PASSPHRASE)
        beirut, tripoli = rows["Beirut"]["id"], rows["Tripoli"]["id"]
        office.records.update(OFFICE, beirut, {"name": "Beirut 2"})
        office.records.update(OFFICE, beirut, {"name": "Beirut 3"})      # two edits: base is not our current
        mine = workspace.records.update(OFFICE, tripoli, {"name": "Tripoli (coordinator)"})
        office.clock.observe(mine["rev"])  # both edits may fall in the same millisecond: make "later" certain
        office.records.update(OFFICE, tripoli, {"name": "Tripoli (office)"})  # later: wins everywhere
        export_bundle(office, tmp_path / "2.pdbundle", BUNDLE_PASSPHRASE)
        [r] = merge_bundles(workspace, [tmp_path / "2.pdbundle"], BUNDLE_PASSPHRASE)
    finally:
        office.close()
    assert (r.updated, r.conflicts) == (1, 1)
    assert workspace.records.get(OFFICE, beirut)["name"] == "Beirut 3"
    assert workspace.records.get(OFFICE, tripoli)["name"] == "Tripoli (office)"
    [c] = conflict_review.list_conflicts(workspace)
    assert c.record_id == tripoli and c.winner["name"] == "Tripoli (office)"
    assert c.loser["name"] == "Tripoli (coordinator)" and c.differing_fields == ["name"]
    new = conflict_review.restore_other(workspace, c.seq)
    assert new["name"] == "Tripoli (coordinator)" and new["base_rev"] == c.winner["rev"]
    assert conflict_review.list_conflicts(workspace) == []
    revs = {h["rev"] for h in workspace.records.history(OFFICE, tripoli)}
    assert c.winner["rev"] in revs and c.loser["rev"] in revs      # nothing dropped
    assert workspace.integrity_problems() == []


def test_keep_winner_closes_the_conflict(tmp_path, workspace):
    office = make_office(tmp_path / "o.pdesk", "LBN-BEY", ["Beirut"])
    try:
        export_bundle(office, tmp_path / "1.pdbundle", BUNDLE_PASSPHRASE)
        merge_bundles(workspace, [tmp_path / "1.pdbundle"], BUNDLE_PASSPHRASE)
        rid = next(r["id"] for r in office.records.iter_all(OFFICE) if r["name"] == "Beirut")
        theirs = office.records.update(OFFICE, rid, {"name": "office"})
        workspace.clock.observe(theirs["rev"])  # same millisecond possible: make "later" certain
        workspace.records.update(OFFICE, rid, {"name": "coordinator"})   # later: ours stays
        export_bundle(office, tmp_path / "2.pdbundle", BUNDLE_PASSPHRASE)
        [r] = merge_bundles(workspace, [tmp_path / "2.pdbundle"], BUNDLE_PASSPHRASE)
    finally:
        office.close()
    assert r.conflicts == 1 and workspace.records.get(OFFICE, rid)["name"] == "coordinator"
    [c] = conflict_review.list_conflicts(workspace)
    assert c.loser["name"] == "office"
    conflict_review.keep_winner(workspace, c.seq)
    assert conflict_review.open_conflict_count(workspace) == 0
    assert workspace.records.get(OFFICE, rid)["name"] == "coordinator"


def test_changed_key_is_refused_until_confirmed(tmp_path, workspace):
    first = make_office(tmp_path / "a.pdesk", "UKR-KBP", ["Kyiv"])
    export_bundle(first, tmp_path / "a.pdbundle", BUNDLE_PASSPHRASE)
    first_fp = identity(first).fingerprint
    first.close()
    second = make_office(tmp_path / "b.pdesk", "UKR-KBP", ["Lviv"])   # the office reinstalled: new key
    export_bundle(second, tmp_path / "b.pdbundle", BUNDLE_PASSPHRASE)
    second_fp = identity(second).fingerprint
    second.close()
    merge_bundles(workspace, [tmp_path / "a.pdbundle"], BUNDLE_PASSPHRASE)
    [refused] = merge_bundles(workspace, [tmp_path / "b.pdbundle"], BUNDLE_PASSPHRASE)
    assert isinstance(refused.error, SenderKeyChanged)
    assert first_fp in str(refused.error) and second_fp in str(refused.error)
    assert "Lviv" not in {r["name"] for r in workspace.records.iter_all(OFFICE)}
    [accepted] = merge_bundles(workspace, [tmp_path / "b.pdbundle"], BUNDLE_PASSPHRASE,
                               accept_new_keys={"UKR-KBP"})
    assert accepted.status == "merged" and accepted.sender == "changed"
    [sender] = known_senders(workspace)
    assert sender.fingerprint == second_fp and sender.previous[0]["fingerprint"] == first_fp


def test_since_last_export_to_a_recipient(tmp_path, workspace):
    office = make_office(tmp_path / "o.pdesk", "COL-BOG", ["Bogotá", "Cali", "Medellín"])
    try:
        full = export_bundle(office, tmp_path / "1.pdbundle", BUNDLE_PASSPHRASE, recipient="regional")
        assert full.records == 4 and full.since is None
        rid = next(r["id"] for r in office.records.iter_all(OFFICE) if r["name"] == "Cali")
        office.records.update(OFFICE, rid, {"name": "Santiago de Cali"})
        delta = export_bundle(office, tmp_path / "2.pdbundle", BUNDLE_PASSPHRASE, recipient="regional")
        assert delta.records == 1 and delta.since is not None
        empty = export_bundle(office, tmp_path / "3.pdbundle", BUNDLE_PASSPHRASE, recipient="regional")
        assert empty.records == 0
        assert export_bundle(office, tmp_path / "4.pdbundle", BUNDLE_PASSPHRASE, recipient="hq").records == 4
        assert [m["recipient"] for m in export_marks(office)] == ["hq", "regional"]
    finally:
        office.close()
    results = merge_bundles(workspace, [tmp_path / f"{n}.pdbundle" for n in (1, 2, 3)], BUNDLE_PASSPHRASE)
    assert [(r.inserted, r.updated) for r in results] == [(4, 0), (0, 1), (0, 0)]
    assert workspace.records.get(OFFICE, rid)["name"] == "Santiago de Cali"


def test_bundle_wrapped_to_the_coordinators_key(tmp_path, workspace):
    key_file = tmp_path / "regional.key"
    fp = write_recipient_key(workspace, key_file)
    office = make_office(tmp_path / "o.pdesk", "CHN-BJS", ["北京"])
    try:
        export_bundle(office, tmp_path / "k.pdbundle", BUNDLE_PASSPHRASE, recipient_key=read_recipient_key(key_file))
    finally:
        office.close()
    assert fp == identity(workspace).box_fingerprint
    [r] = merge_bundles(workspace, [tmp_path / "k.pdbundle"], None)          # no passphrase needed
    assert r.status == "merged" and r.inserted == 2
    with pytest.raises(WrongBundlePassphrase):                                 # anyone else needs it
        open_bundle(tmp_path / "k.pdbundle", None)
    assert open_bundle(tmp_path / "k.pdbundle", BUNDLE_PASSPHRASE)[1].records == 2


def test_progress_reports_every_bundle(workspace, office_bundle, tmp_path):
    seen = []
    merge_bundles(workspace, [office_bundle[0], tmp_path / "missing.pdbundle"], BUNDLE_PASSPHRASE,
                  progress=lambda done, total, result: seen.append((done, total, result and result.status)))
    assert seen == [(0, 2, None), (1, 2, "merged"), (1, 2, None), (2, 2, "refused")]


def test_recipient_key_file_must_be_one(tmp_path):
    from desktop.exchange.errors import BadRecipientKey
    bad = tmp_path / "bad.key"
    bad.write_text("hello")
    with pytest.raises(BadRecipientKey):
        read_recipient_key(bad)
    with pytest.raises(BadRecipientKey):
        read_recipient_key(Path(tmp_path / "nope.key"))


@pytest.mark.parametrize("atomic", [True, False])
def test_a_bundle_refused_while_written_leaves_the_others(tmp_path, workspace, monkeypatch, atomic):
    """A value the schema refuses is found only when written (everything else is checked before): that
    bundle leaves nothing, the bundles before and after it are merged. In an atomic run there is no
    savepoint per bundle (its in-memory journal grows with the file): the run is rolled back and done
    again without the refused bundle."""
    from desktop.exchange import merge as merge_module
    from storage.cipher import IntegrityError

    paths = []
    for office in ("AAA-ONE", "BBB-TWO", "CCC-THREE"):
        ws = make_office(tmp_path / f"{office}.pdesk", office, [f"{office} site {n}" for n in range(3)])
        paths.append(tmp_path / f"{office}.pdbundle")
        export_bundle(ws, paths[-1], BUNDLE_PASSPHRASE)
        ws.close()
    real_apply = merge_module._apply_rows
    calls = []

    def apply_rows(ws, kind, rows, result, import_seq, now):  # noqa: ANN001, ANN202
        calls.append(result.office)
        real_apply(ws, kind, rows, result, import_seq, now)   # written, then refused: must be undone
        if result.office == "BBB-TWO":
            raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(merge_module, "_apply_rows", apply_rows)
    audit_before = workspace.audit.count
    results = merge_bundles(workspace, paths, BUNDLE_PASSPHRASE, atomic=atomic)
    assert [r.office for r in results] == ["AAA-ONE", "BBB-TWO", "CCC-THREE"]
    assert [r.error is None for r in results] == [True, False, True]
    assert str(results[1].error) and results[0].inserted == 4 and results[2].inserted == 4
    offices = {r["office"] for r in workspace.records.iter_all(OFFICE)}
    assert "BBB-TWO" not in offices and {"AAA-ONE", "CCC-THREE"} <= offices
    assert [h["office"] for h in import_history(workspace)] == ["CCC-THREE", "AAA-ONE"]
    assert workspace.audit.count > audit_before
    assert workspace.integrity_problems() == []
    # The atomic run wrote the refused bundle once, was rolled back, and went again without it.
    assert calls.count("BBB-TWO") == 1 and calls.count("AAA-ONE") == (2 if atomic else 1)
