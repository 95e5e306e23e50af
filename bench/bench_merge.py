"""Merge of 40 export bundles holding 200,000 records in all, and re-import of the same bundles.

The bundles are real bundle files (encrypted, signed, each by its own office key) written by the
real encoder from synthetic office records: 40 offices × 5,000 records, a tenth of them edited once,
so every bundle carries history rows too. They are encrypted to the coordinator's recipient key, as
offices that know their coordinator send them (a passphrase bundle adds about 0.6 s of scrypt each,
N=2^18). The coordinator starts empty.

Floor: `executemany` of the same 200,000 rows into the same kind of table of a fresh encrypted
workspace, in one transaction (no decryption, no checks, no history, no audit).
Budgets from design.md: merge <= 10 s, re-import <= 2 s (absolute). The re-import of a file already
imported is recognised by its SHA-256 and skipped; "forced re-import" reads, decrypts, checks and
merges every bundle again (all unchanged) and is shown for information.
"""

from __future__ import annotations

import time
import uuid

from bench import PASSPHRASE, Result, scratch_dir

OFFICES = 40
PER_OFFICE = 5_000


def make_bundles(recipient_key: bytes, offices: int = OFFICES, per_office: int = PER_OFFICE,
                 folder_name: str = "bundles") -> tuple[list, list]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop.exchange import bundle, content
    from storage.records import OFFICE

    folder = scratch_dir() / folder_name
    folder.mkdir(exist_ok=True)
    paths, all_rows = [], []
    base_ms = 1_780_000_000_000
    for n in range(offices):
        code, ws_id = f"OFF-{n:03d}", uuid.uuid4().hex
        rows, hist = [], []
        for i in range(per_office):
            rid = str(uuid.uuid4())
            rev = f"{base_ms + i:013d}-00000-{ws_id}"
            if i % 10 == 0:   # edited once: the first version travels as history
                old = f"{base_ms - 1_000_000 + i:013d}-00000-{ws_id}"
                hist.append([rid, old, None, code, 0, {"code": f"{code}-{i}", "name": f"Place {i}", "country": "KE"},
                             "edited"])
                rows.append([rid, code, rev, old, 0, f"{code}-{i}", f"Place {i} (renamed)", "KE", None])
            else:
                rows.append([rid, code, rev, None, 0, f"{code}-{i}", f"Place {i}", "KE", None])
        all_rows.extend(rows)
        writer = content.Writer()
        writer.line({"kinds": {"office": list(OFFICE.columns)}})
        for h in hist:
            writer.line(["h", "office", h])
        for r in rows:
            writer.line(["r", "office", r])
        packed, digest, size = writer.finish()
        manifest = {"format": bundle.FORMAT, "office": code, "entity": "UNICEF", "workspace_id": ws_id,
                    "exported_at": "2026-11-01T00:00:00.000+00:00", "period": None, "since": None,
                    "counts": {"office": {"current": len(rows), "history": len(hist)}},
                    "content_digest": digest, "content_size": size}
        path = folder / f"{code}.pdbundle"
        payload = bundle.sign_packed(manifest, packed, Ed25519PrivateKey.generate())
        bundle.write(path, bundle.seal(payload, None, recipient_key))
        paths.append(path)
    return paths, all_rows


def run() -> list[Result]:
    from desktop.exchange.keys import identity
    from desktop.exchange.merge import merge_bundles
    from storage import Workspace
    from storage.records import OFFICE

    regional = scratch_dir() / "regional.pdesk"
    with Workspace.create(regional, PASSPHRASE, office="REG", entity="UNICEF") as ws:
        recipient = identity(ws).box_public
    paths, rows = make_bundles(recipient)
    total = len(rows)
    folder = scratch_dir()
    size_mb = sum(p.stat().st_size for p in paths) / 1e6

    # Floor: the same rows, executemany into a fresh encrypted workspace.
    with Workspace.create(folder / "floor.pdesk", PASSPHRASE, office="REG", entity="UNICEF") as floor_ws:
        sql = f"INSERT INTO office ({', '.join(OFFICE.columns)}) VALUES ({', '.join('?' * len(OFFICE.columns))})"  # noqa: S608
        start, cpu = time.perf_counter(), time.process_time()
        with floor_ws.transaction() as conn:
            conn.executemany(sql, rows)
        floor, floor_cpu = time.perf_counter() - start, time.process_time() - cpu

    with Workspace.open(regional, PASSPHRASE) as ws:
        start, cpu = time.perf_counter(), time.process_time()
        results = merge_bundles(ws, paths, None)
        merge_time, merge_cpu = time.perf_counter() - start, time.process_time() - cpu
        inserted = sum(r.inserted for r in results)
        if inserted != total or any(r.error for r in results):
            raise RuntimeError(f"merge inserted {inserted} of {total}: {[str(r.error) for r in results if r.error][:3]}")
        start = time.perf_counter()
        again = merge_bundles(ws, paths, None)
        reimport_time = time.perf_counter() - start
        assert all(r.status == "already-imported" for r in again)
        start, cpu = time.perf_counter(), time.process_time()
        forced = merge_bundles(ws, paths, None, reimport=True)
        forced_time, forced_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert sum(r.unchanged for r in forced) == total and not any(r.inserted or r.updated for r in forced)

    note = f"{OFFICES} bundles, {total:,} records + {total // 10:,} history rows, {size_mb:.1f} MB of bundles"
    return [
        Result("merge 40 bundles, 200,000 records", merge_time, floor, budget=3.0,
               note=note + f"; floor = executemany of the same rows; CPU time {merge_cpu:.1f} s vs floor {floor_cpu:.1f} s",
               runs=1, samples=[merge_time]),
        Result("re-import the same 40 bundles", reimport_time, floor, budget=2.0, budget_kind="absolute",
               note="recognised by SHA-256 from the import history", runs=1, samples=[reimport_time]),
        Result("forced re-import (decrypt, check, merge all)", forced_time, floor, budget=None,
               budget_kind="absolute", note=f"for information: every bundle read again, all unchanged; CPU time {forced_cpu:.1f} s", runs=1,
               samples=[forced_time]),
    ]
