"""Property tests: revisions always increase; any sequence of edits keeps history and a valid chain."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import Workspace
from storage.hlc import HybridClock, format_revision, parse_revision
from storage.records import OFFICE
from storage.text import clean
from tests.storage.wsutil import PASSPHRASE

WS = "a" * 32


class FakeTime:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


# Steps of the wall clock: mostly small moves either way, sometimes a jump back by hours.
clock_steps = st.lists(st.one_of(
    st.floats(min_value=-0.005, max_value=0.005),
    st.floats(min_value=-7200, max_value=60),
    st.just(0.0),
), min_size=1, max_size=300)


@settings(max_examples=200, deadline=None)
@given(start=st.floats(min_value=1e9, max_value=4e9), steps=clock_steps,
       observe_at=st.sets(st.integers(min_value=0, max_value=299), max_size=10),
       observed_offset_ms=st.integers(min_value=-10_000, max_value=10_000))
def test_revisions_strictly_increase_when_the_wall_clock_goes_back(start: float, steps: list[float],
                                                                    observe_at: set[int],
                                                                    observed_offset_ms: int) -> None:
    wall = FakeTime(start)
    clock = HybridClock(WS, now=wall)
    previous = clock.tick()
    for n, step in enumerate(steps):
        wall.now = max(0.0, wall.now + step)
        if n in observe_at:  # a revision from another office, possibly from its future
            ms, counter, _ = parse_revision(previous)
            seen = format_revision(max(0, ms + observed_offset_ms), counter, "b" * 32)
            clock.observe(seen)
            rev = clock.tick()
            assert parse_revision(rev)[:2] > parse_revision(seen)[:2]
        else:
            rev = clock.tick()
        assert rev > previous, (previous, rev)
        assert parse_revision(rev)[:2] > parse_revision(previous)[:2]
        previous = rev
    # A restart (a new clock seeded with the last persisted revision) continues after it,
    # even with the wall clock now an hour behind.
    wall.now -= 3600
    restarted = HybridClock(WS, clock.last, now=wall)
    assert restarted.tick() > previous


@settings(max_examples=50, deadline=None)
@given(near=st.integers(min_value=0, max_value=5), ticks=st.integers(min_value=1, max_value=12))
def test_counter_overflow_borrows_the_next_millisecond(near: int, ticks: int) -> None:
    """More than 100,000 revisions in one millisecond (a frozen clock): still increasing, same width."""
    clock = HybridClock(WS, now=lambda: 1_700_000_000.0)
    previous = clock.tick()
    clock._counter = 99_999 - near  # noqa: SLF001 - jump close to the limit instead of ticking 100,000 times
    for _ in range(ticks):
        rev = clock.tick()
        assert rev > previous and len(rev) == len(previous)
        previous = rev
    if ticks > near:
        assert parse_revision(previous)[0] == 1_700_000_000_001


# ---- records ------------------------------------------------------------------------------------
operations = st.lists(st.tuples(
    st.sampled_from(["insert", "update", "delete", "update-same"]),
    st.integers(min_value=0, max_value=1000),   # which record (modulo how many exist)
    st.text(min_size=0, max_size=12),           # a name, any Unicode
), min_size=1, max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_random_edits_keep_history_and_a_valid_audit_chain(ops: list[tuple[str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.create(Path(folder) / "p.pdesk", PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
        try:
            _run(ws, ops)
        finally:
            ws.close()


def _run(ws: Workspace, ops: list[tuple[str, int, str]]) -> None:
    model: dict[str, dict] = {}   # id -> {"name", "deleted", "revs": [all revisions, oldest first]}
    changes = 1                   # the office record Workspace.create writes
    for op, which, typed in ops:
        name = clean(typed)   # as the store keeps text (storage/text.py): control characters never stored
        ids = sorted(model)
        if op == "insert" or not ids:
            rec = ws.records.insert(OFFICE, {"code": f"C{len(model)}", "name": name, "country": ""})
            model[rec["id"]] = {"name": name, "deleted": False, "revs": [rec["rev"]]}
            changes += 1
            continue
        rid = ids[which % len(ids)]
        entry = model[rid]
        if op == "delete":
            tomb = ws.records.delete(OFFICE, rid)
            if not entry["deleted"]:
                entry["deleted"] = True
                entry["revs"].append(tomb["rev"])
                changes += 1
            continue
        new_name = entry["name"] if op == "update-same" else name
        rec = ws.records.update(OFFICE, rid, {"name": entry["name"] if op == "update-same" else typed})
        if new_name != entry["name"] or entry["deleted"]:  # an edit of a tombstone brings it back
            entry.update(name=new_name, deleted=False)
            entry["revs"].append(rec["rev"])
            changes += 1
        else:
            assert rec["rev"] == entry["revs"][-1]  # nothing changed: no new revision

    assert ws.audit.verify() == []
    assert ws.audit.count == changes
    audit_revs = [e.new_rev for e in reversed(ws.audit.entries())]
    assert audit_revs == sorted(audit_revs) and len(set(audit_revs)) == len(audit_revs)
    for rid, entry in model.items():
        current = ws.records.get(OFFICE, rid, include_deleted=True)
        assert current["rev"] == entry["revs"][-1]
        assert bool(current["deleted"]) == entry["deleted"]
        if not entry["deleted"]:
            assert current["name"] == entry["name"]
        history = ws.records.history(OFFICE, rid)
        # Every superseded version is kept, each pointing at the one before it.
        assert sorted(h["rev"] for h in history) == entry["revs"][:-1]
        chain = {h["rev"]: h["base_rev"] for h in history}
        chain[current["rev"]] = current["base_rev"]
        for older, newer in zip(entry["revs"], entry["revs"][1:], strict=False):
            assert chain[newer] == older
        assert chain[entry["revs"][0]] is None
        audit = [(e.old_rev, e.new_rev) for e in reversed(ws.audit.entries(record_id=rid))]
        assert audit == list(zip([None, *entry["revs"]], entry["revs"], strict=False))
