"""Bundles from a hostile or broken sender (review findings): they may not overwrite our own records,
carry another office's records, drag our clock into the future, ask for absurd key-derivation work,
lie about their size, or abort a whole run with one bad row."""

from __future__ import annotations

import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.exchange import bundle, errors
from desktop.exchange import conflicts as conflict_review
from desktop.exchange.merge import merge_bundles
from storage.records import OFFICE

from .helpers import BUNDLE_PASSPHRASE
from .test_bundle import _refused, _signed, _write


def _rev(ms: int, workspace: str = "f" * 32) -> str:
    return f"{ms:013d}-00000-{workspace}"


def _office_bundle(tmp_path, rows, office="EVIL", name="made.pdbundle", history=None):
    # the columns of a bundle from before office names in six languages (still accepted)
    content = json.dumps({"kinds": {"office": {"columns": list(OFFICE.columns)[:8], "rows": rows}},
                          "history": {"office": history or []}}).encode()
    counts = {"office": {"current": len(rows), "history": len(history or [])}}
    return _signed(tmp_path, content, name=name, office=office, counts=counts)


def test_a_sender_cannot_overwrite_our_own_record(workspace, tmp_path) -> None:
    ours = next(workspace.records.iter_all(OFFICE))
    assert ours["office"] == workspace.office
    soon = int(time.time() * 1000) + 60_000
    # Claims to descend from our revision and to be newer: both paths to overwriting are tried.
    forged = [ours["id"], "EVIL", _rev(soon), ours["rev"], 0, ours["code"], "Renamed by another office", ""]
    [result] = merge_bundles(workspace, [_office_bundle(tmp_path, [forged])], BUNDLE_PASSPHRASE)
    assert result.status == "merged" and result.conflicts == 1
    after = workspace.records.get(OFFICE, ours["id"])
    assert after["rev"] == ours["rev"] and after["name"] == ours["name"]        # ours untouched
    kept = [h for h in workspace.records.history(OFFICE, ours["id"]) if h["rev"] == _rev(soon)]
    assert kept and kept[0]["_reason"] == "conflict-lost"                        # theirs kept, listed
    assert result.conflict_ids == [("office", ours["id"])]


def test_records_of_another_office_are_refused(workspace, tmp_path) -> None:
    now = int(time.time() * 1000)
    rows = [["x1", "OTHER", _rev(now), None, 0, "X", "Somewhere", ""]]
    err = _refused(workspace, _office_bundle(tmp_path, rows, office="EVIL"), errors.ForeignRecords)
    assert "OTHER" in str(err)


def test_a_revision_from_the_future_is_refused_and_the_clock_stays(workspace, tmp_path) -> None:
    before = workspace.clock.tick()
    rows = [["x1", "EVIL", _rev(9_999_999_999_999, "z" * 32), None, 0, "X", "Far future", ""]]
    _refused(workspace, _office_bundle(tmp_path, rows), errors.FutureRevision)
    assert workspace.clock.tick()[:13] < "2000000000000"   # still this century's milliseconds
    assert workspace.clock.tick() > before


def test_absurd_key_derivation_parameters_are_refused(workspace, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(bundle, "SCRYPT", {"n": 2**20, "r": 8, "p": 4})
    content = b'{"kinds": {}, "history": {}}'
    manifest = {"format": 1, "office": "EVIL", "entity": "X", "workspace_id": "w", "exported_at": "now",
                "counts": {}, "content_digest": __import__("hashlib").sha256(content).hexdigest(),
                "content_size": len(content)}
    data = bundle.encode(manifest, content, Ed25519PrivateKey.generate(), BUNDLE_PASSPHRASE)
    monkeypatch.undo()
    started = time.perf_counter()
    _refused(workspace, _write(tmp_path, data), errors.NotABundle)
    assert time.perf_counter() - started < 2.0   # refused before spending a gigabyte on scrypt


def test_content_larger_than_declared_is_refused(workspace, tmp_path) -> None:
    content = b" " * 200_000
    path = _signed(tmp_path, content, content_size=1_000)
    _refused(workspace, path, errors.BundleTooLarge)


@pytest.mark.parametrize("bad_name", [None])
def test_one_bad_row_is_that_bundles_error_and_the_run_goes_on(workspace, tmp_path, bad_name) -> None:
    now = int(time.time() * 1000)
    bad = _office_bundle(tmp_path, [["b1", "EVIL", _rev(now), None, 0, "B", bad_name, ""]], name="bad.pdbundle")
    good = _office_bundle(tmp_path, [["g1", "GOOD", _rev(now), None, 0, "G", "Good place", ""]],
                          office="GOOD", name="good.pdbundle")
    first, second = merge_bundles(workspace, [bad, good], BUNDLE_PASSPHRASE)
    assert first.status == "refused" and isinstance(first.error, errors.MalformedBundle)
    assert str(first.error)
    assert second.status == "merged" and second.inserted == 1
    assert workspace.records.get(OFFICE, "b1") is None and workspace.records.get(OFFICE, "g1") is not None
    assert workspace.integrity_problems() == []


def test_an_office_cannot_overwrite_a_third_offices_record(workspace, tmp_path) -> None:
    """B's record at the coordinator; A reuses its id with a newer revision and B's revision as base."""
    now = int(time.time() * 1000)
    genuine = ["rec-b", "SDN-KSL", _rev(now - 5_000, "b" * 32), None, 0, "SDN-KSL-1", "Kassala", ""]
    [b] = merge_bundles(workspace, [_office_bundle(tmp_path, [genuine], office="SDN-KSL", name="b.pdbundle")],
                        BUNDLE_PASSPHRASE)
    assert b.inserted == 1
    forged = ["rec-b", "SDN-KRT", _rev(now, "a" * 32), genuine[2], 0, "SDN-KSL-1", "Taken over", ""]
    [a] = merge_bundles(workspace, [_office_bundle(tmp_path, [forged], office="SDN-KRT", name="a.pdbundle")],
                        BUNDLE_PASSPHRASE)
    assert (a.status, a.updated, a.conflicts, a.conflict_ids) == ("merged", 0, 1, [("office", "rec-b")])
    current = workspace.records.get(OFFICE, "rec-b")
    assert (current["office"], current["name"]) == ("SDN-KSL", "Kassala")       # B keeps its record
    claim = [h for h in workspace.records.history(OFFICE, "rec-b") if h["rev"] == forged[2]]
    assert claim and claim[0]["office"] == "SDN-KRT" and claim[0]["_reason"] == "conflict-lost"
    [conflict] = conflict_review.list_conflicts(workspace)
    assert conflict.differing_fields == ["office", "name"]                       # the claim shows as such
    # B's own later edit still fast-forwards: the claim changed nothing of B's line of versions.
    edit = ["rec-b", "SDN-KSL", _rev(now + 1_000, "b" * 32), genuine[2], 0, "SDN-KSL-1", "Kassala 2", ""]
    [b2] = merge_bundles(workspace, [_office_bundle(tmp_path, [edit], office="SDN-KSL", name="b2.pdbundle")],
                         BUNDLE_PASSPHRASE, accept_new_keys={"SDN-KSL"})   # the helper signs with a new key
    assert b2.updated == 1 and workspace.records.get(OFFICE, "rec-b")["name"] == "Kassala 2"
