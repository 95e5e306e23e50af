"""Properties of merging, with hypothesis, on real workspaces and real bundles:
importing a bundle twice changes nothing; A then B equals B then A; every version survives."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles, open_bundle
from storage import Workspace
from storage.records import OFFICE, Outcome

from .conftest import PASSPHRASE, make_office
from .helpers import BUNDLE_PASSPHRASE

# An operation: (which office, which shared record, what): edit with a name, or delete.
ops = st.lists(st.tuples(st.sampled_from([0, 1]), st.integers(0, 3),
                         st.one_of(st.text(min_size=1, max_size=8), st.none())), max_size=10)


def _snapshot(ws: Workspace):
    rows = sorted(tuple(r.values()) for r in ws.records.iter_all(OFFICE))
    hist = set(ws.connection.execute("SELECT kind, record_id, rev, base_rev, office, deleted, data FROM history"))
    return rows, hist


def _versions(path: Path) -> set[tuple[str, str]]:
    _, parsed = open_bundle(path, BUNDLE_PASSPHRASE)
    out = {(r["id"], r["rev"]) for r in parsed.current["office"]}
    return out | {(h["id"], h["rev"]) for h in parsed.history["office"]}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=ops, second=ops, order=st.permutations([0, 1, 2]))
def test_merge_is_idempotent_commutative_and_keeps_every_version(first, second, order):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a = make_office(folder / "a.pdesk", "SDN-KRT", ["r0", "r1", "r2", "r3"])
        b = Workspace.create(folder / "b.pdesk", PASSPHRASE, office="SDN-KSL", entity="UNICEF")
        offices = [a, b]
        try:
            export_bundle(a, folder / "base.pdbundle", BUNDLE_PASSPHRASE)
            merge_bundles(b, [folder / "base.pdbundle"], BUNDLE_PASSPHRASE, backup=False)
            shared = sorted(r["id"] for r in a.records.iter_all(OFFICE) if r["code"].startswith("SDN-KRT-"))
            for who, n, name in first:
                _apply(offices[who], shared[n], name)
            export_bundle(a, folder / "a1.pdbundle", BUNDLE_PASSPHRASE)   # an older bundle of A
            for who, n, name in second:
                _apply(offices[who], shared[n], name)
            export_bundle(a, folder / "a2.pdbundle", BUNDLE_PASSPHRASE)
            export_bundle(b, folder / "b.pdbundle", BUNDLE_PASSPHRASE)
        finally:
            a.close()
            b.close()
        bundles = [folder / "a1.pdbundle", folder / "a2.pdbundle", folder / "b.pdbundle"]
        snaps = []
        for n, sequence in enumerate([bundles, [bundles[i] for i in order]]):
            with Workspace.create(folder / f"c{n}.pdesk", PASSPHRASE, office="REG", entity="UNICEF") as c:
                results = merge_bundles(c, sequence, BUNDLE_PASSPHRASE, backup=False)
                assert all(r.status == "merged" for r in results), [str(r.error) for r in results]
                snap = _snapshot(c)
                again = merge_bundles(c, sequence, BUNDLE_PASSPHRASE, backup=False, reimport=True)
                assert all(r.inserted == r.updated == r.conflicts == r.history_added == 0 for r in again)
                assert _snapshot(c) == snap                                   # importing twice: nothing
                have = {(r["id"], r["rev"]) for r in c.records.iter_all(OFFICE)}
                have |= {(rid, rev) for rid, rev in c.connection.execute("SELECT record_id, rev FROM history")}
                for path in bundles:
                    assert _versions(path) <= have                            # every version survives
                snaps.append(_strip_own(snap, c))
        assert snaps[0] == snaps[1]                                           # order does not matter


def _strip_own(snap, c: Workspace):
    """The coordinator's own office record differs between two coordinators; compare the rest."""
    rows, hist = snap
    own = c.workspace_id
    return [r for r in rows if not r[2].endswith(own)], hist


def _apply(ws: Workspace, rid: str, name: str | None) -> None:
    if ws.records.get(OFFICE, rid, include_deleted=True) is None:
        return
    if name is None:
        ws.records.delete(OFFICE, rid)
    else:
        ws.records.update(OFFICE, rid, {"name": name})


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    folder = tmp_path_factory.mktemp("twins")
    one = Workspace.create(folder / "one.pdesk", PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    two = Workspace.create(folder / "two.pdesk", PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    yield one, two
    one.close()
    two.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["same", "child", "other", "older"])),
                       min_size=1, max_size=12))
def test_apply_versions_gives_the_outcomes_of_apply_version(twins, script):
    """The bulk path gives the same outcomes and the same rows and history as one version at a time."""
    one_ws, bulk_ws = twins
    tag = uuid.uuid4().hex[:12]          # each example works on its own records
    ids = [f"{tag}-{n}" for n in range(3)]
    versions: list[dict] = []
    for step, (n, how) in enumerate(script):
        if how == "same" and versions:
            versions.append(dict(versions[-1]))
            continue
        rev = f"{1_700_000_010_000 + (step if how != 'older' else -step):013d}-00000-{'f' * 32}"
        base = versions[-1]["rev"] if how == "child" and versions else None
        versions.append({"id": ids[n], "office": tag, "rev": rev, "base_rev": base, "deleted": 0,
                         "code": "C", "name": f"v{step}", "country": ""})
    with one_ws.transaction():
        one = [one_ws.records.apply_version(OFFICE, v) for v in versions]
    bulk = bulk_ws.records.apply_versions(OFFICE, versions)
    assert bulk == one

    def mine(ws):
        rows, hist = _snapshot(ws)
        return [r for r in rows if r[1] == tag], {h for h in hist if h[4] == tag}
    assert mine(bulk_ws) == mine(one_ws)
    assert set(one) <= set(Outcome)
