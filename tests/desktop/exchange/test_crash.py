"""kill -9 in the middle of a merge of many bundles: the workspace stays intact, each bundle is merged
completely or not at all, and merging again finishes the job with the same result as a clean run."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.exchange import bundle
from desktop.exchange.merge import import_history, merge_bundles
from storage import Workspace
from storage.records import OFFICE

from .conftest import PASSPHRASE
from .helpers import BUNDLE_PASSPHRASE

ROOT = Path(__file__).resolve().parents[3]


def _bundles(folder: Path, offices: int, per_office: int) -> list[Path]:
    paths = []
    for n in range(offices):
        code, ws_id = f"OFF-{n:02d}", uuid.uuid4().hex
        rows = [[str(uuid.uuid4()), code, f"{1_780_000_000_000 + i:013d}-00000-{ws_id}", None, 0, f"{code}-{i}",
                 f"Place {i}", "KE"] for i in range(per_office)]
        # the columns of a bundle made before office names in six languages existed: still accepted
        content = json.dumps({"kinds": {"office": {"columns": list(OFFICE.columns)[:8], "rows": rows}}, "history": {}},
                             separators=(",", ":")).encode()
        manifest = {"format": 1, "office": code, "entity": "UNICEF", "workspace_id": ws_id, "exported_at": "x",
                    "counts": {"office": {"current": per_office, "history": 0}},
                    "content_digest": hashlib.sha256(content).hexdigest(), "content_size": len(content)}
        path = folder / f"{code}.pdbundle"
        bundle.write(path, bundle.encode(manifest, content, Ed25519PrivateKey.generate(), BUNDLE_PASSPHRASE))
        paths.append(path)
    return paths


CHILD = textwrap.dedent("""
    import sys
    from desktop.exchange.merge import merge_bundles
    from storage import Workspace
    ws = Workspace.open(sys.argv[1], sys.argv[2])
    def progress(done, total, result):
        if result is not None:
            print("done", done, flush=True)
    merge_bundles(ws, sys.argv[5:], sys.argv[3], progress=progress, atomic=sys.argv[4] == "atomic")
    print("finished", flush=True)
    ws.close()
""")


@pytest.mark.parametrize("mode", ["atomic", "per-bundle"])
def test_kill_during_merge(tmp_path, mode):
    """kill -9 in the middle of a run: an atomic run (the default) leaves nothing of it; a run of
    per-bundle commits leaves whole bundles only. Either way the file is intact."""
    paths = _bundles(tmp_path, offices=10, per_office=3000)
    target = tmp_path / "regional.pdesk"
    Workspace.create(target, PASSPHRASE, office="RO", entity="UNICEF").close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), PASSPHRASE, BUNDLE_PASSPHRASE, mode,
                              *map(str, paths)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert child.stdout is not None
    line = child.stdout.readline()                       # the first bundle is in; the second is under way
    assert line.startswith("done"), line
    time.sleep(0.15)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    with Workspace.open(target, PASSPHRASE) as ws:
        assert ws.integrity_problems() == []
        history = import_history(ws)
        if mode == "atomic":
            assert history == [] and {r["office"] for r in ws.records.iter_all(OFFICE)} == {"RO"}
            return
        assert 1 <= len(history) < len(paths)
        by_office: dict[str, int] = {}
        for r in ws.records.iter_all(OFFICE):
            by_office[r["office"]] = by_office.get(r["office"], 0) + 1
        merged = {h["office"] for h in history}
        assert {o for o in by_office if o != "RO"} == merged            # no half-merged bundle
        assert all(by_office[o] == 3000 for o in merged)
        results = merge_bundles(ws, paths, BUNDLE_PASSPHRASE)
        assert sum(r.status == "already-imported" for r in results) == len(history)
        assert sum(r.inserted for r in results) == 3000 * (len(paths) - len(history))
        assert ws.connection.execute("SELECT count(*) FROM office").fetchone()[0] == 1 + 3000 * len(paths)
        assert ws.integrity_problems() == []
