"""A large merge reads its bundles in a helper process (desktop/exchange/readahead.py): the outcome is
the one of a reading in a thread, errors come back as the same errors, and a helper that dies leaves
the reading to a thread without losing a bundle."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from desktop.exchange import errors, readahead
from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles
from storage import Workspace
from storage.records import OFFICE

from .conftest import PASSPHRASE, make_office
from .helpers import BUNDLE_PASSPHRASE


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("offices")
    out = []
    for n, code in enumerate(("SDN-KRT", "KEN-NBO", "COL-BOG", "UKR-KYV")):
        ws = make_office(folder / f"{code}.pdesk", code, [f"Place {n}-{k}" for k in range(30)])
        first = next(r for r in ws.records.iter_all(OFFICE) if r["code"] != code)
        ws.records.update(OFFICE, first["id"], {"name": "renamed"})      # history travels too
        export_bundle(ws, folder / f"{code}.pdbundle", BUNDLE_PASSPHRASE)
        ws.close()
        out.append(folder / f"{code}.pdbundle")
    return out


def _state(ws: Workspace) -> tuple:
    rows = sorted((r["id"], r["rev"], r["name"], r["deleted"]) for r in ws.records.iter_all(OFFICE)
                  if r["office"] != "REG")   # each coordinator's own office record differs
    hist = ws.connection.execute("SELECT kind, record_id, rev, data FROM history ORDER BY 1, 2, 3").fetchall()
    return rows, hist


def _merge(path: Path, bundles: list[Path]) -> tuple[list, tuple]:
    with Workspace.create(path, PASSPHRASE, office="REG", entity="UNICEF") as ws:
        results = merge_bundles(ws, bundles, BUNDLE_PASSPHRASE)
        return [(r.status, r.office, r.inserted, r.history_added, type(r.error).__name__) for r in results], \
            _state(ws)


def _count_helpers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    started: list[int] = []
    real = readahead._Helper.__init__

    def spy(self: readahead._Helper, function: str) -> None:
        real(self, function)
        started.append(self.proc.pid)

    monkeypatch.setattr(readahead._Helper, "__init__", spy)
    return started


def test_a_helper_process_reads_with_the_same_outcome_as_a_thread(tmp_path, bundles, monkeypatch):
    started = _count_helpers(monkeypatch)
    monkeypatch.setattr(readahead, "PROCESS_FROM_BYTES", 10**12)
    in_thread = _merge(tmp_path / "thread.pdesk", bundles)
    assert started == []
    monkeypatch.setattr(readahead, "PROCESS_FROM_BYTES", 0)
    in_helper = _merge(tmp_path / "helper.pdesk", bundles)
    assert len(started) == 1
    assert in_helper[0] == in_thread[0] and all(r[0] == "merged" for r in in_helper[0])
    # Same records, same history (ids, revisions, data): only the reading differed.
    assert in_helper[1][0] == in_thread[1][0]
    assert [h[:3] + (h[3],) for h in in_helper[1][1]] == [h[:3] + (h[3],) for h in in_thread[1][1]]


def test_errors_come_back_from_the_helper_as_they_are(tmp_path, bundles, monkeypatch):
    monkeypatch.setattr(readahead, "PROCESS_FROM_BYTES", 0)
    started = _count_helpers(monkeypatch)
    damaged = tmp_path / "damaged.pdbundle"
    data = bytearray(bundles[1].read_bytes())
    data[-40] ^= 0xFF
    damaged.write_bytes(bytes(data))
    missing = tmp_path / "gone.pdbundle"
    with Workspace.create(tmp_path / "reg.pdesk", PASSPHRASE, office="REG", entity="UNICEF") as ws:
        results = merge_bundles(ws, [bundles[0], damaged, missing, bundles[2]], BUNDLE_PASSPHRASE)
    assert len(started) == 1
    assert [r.status for r in results] == ["merged", "refused", "refused", "merged"]
    assert isinstance(results[1].error, errors.BundleDamaged)
    assert isinstance(results[2].error, errors.BundleNotFound)
    assert str(results[1].error) == str(errors.BundleDamaged())


def test_a_helper_that_dies_leaves_the_reading_to_a_thread(tmp_path, bundles, monkeypatch):
    monkeypatch.setattr(readahead, "PROCESS_FROM_BYTES", 0)
    killed: list[int] = []
    real_read = readahead._Helper.read

    def dying(self: readahead._Helper, path: Path, args: tuple):  # noqa: ANN202
        if not killed:
            self.proc.kill()
            self.proc.wait()
            killed.append(self.proc.pid)
        return real_read(self, path, args)

    monkeypatch.setattr(readahead._Helper, "read", dying)
    outcome, state = _merge(tmp_path / "reg.pdesk", bundles)
    assert killed and [r[0] for r in outcome] == ["merged"] * len(bundles)
    assert len(state[0]) == 31 * len(bundles)


@pytest.mark.parametrize("error", [
    errors.BundleDamaged("tag"), errors.FilesTooLarge(10, 5), errors.ValueTooLongInBundle("name", 200),
    errors.BundleNotWritten("/x", "disk full"), errors.ForeignRecords("KEN-NBO"),
])
def test_bundle_errors_survive_the_pipe(error):
    again = pickle.loads(pickle.dumps(error))   # noqa: S301 - our own object
    assert type(again) is type(error) and str(again) == str(error) and vars(again) == vars(error)
