"""Disk full: a write that does not fit is refused with a clear message and leaves the workspace as
it was. Simulated with the process's file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored: write() then
fails with EFBIG), in a child process so that the limit does not leak into the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage import Workspace
from storage.records import OFFICE
from tests.storage.wsutil import PASSPHRASE, ROOT, child_env

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("RLIMIT_FSIZE is POSIX", allow_module_level=True)

CHILD = """
import os, resource, signal, sys
from storage import DiskFull, Workspace
from storage.records import OFFICE
path, passphrase = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(path) + 1_500_000, resource.RLIM_INFINITY))
ws = Workspace.open(path, passphrase)
try:
    ws.records.insert_many(OFFICE, [{"code": f"BIG{i}", "name": "x" * 300, "country": ""} for i in range(30000)])
except DiskFull as exc:
    print("DiskFull:", exc, flush=True)
else:
    print("no error", flush=True)
# The session goes on: a small change still fits and is kept.
ws.records.insert(OFFICE, {"code": "SMALL", "name": "after the refusal", "country": ""})
ws.close()
print("closed", flush=True)
"""


def test_disk_full_is_refused_cleanly(workspace_path: Path) -> None:
    with Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert_many(OFFICE, [{"code": f"EARLY{i}", "name": "earlier data", "country": ""}
                                        for i in range(100)])
    done = subprocess.run([sys.executable, "-c", CHILD, str(workspace_path), PASSPHRASE], cwd=ROOT,
                          env=child_env(), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "DiskFull: The disk is full: the change was not saved, and the workspace is as it was before." \
        in done.stdout, done.stdout
    assert "Free some disk space and try again." in done.stdout
    assert "closed" in done.stdout

    with Workspace.open(workspace_path, PASSPHRASE) as ws:
        assert ws.integrity_problems() == []
        codes = [r["code"] for r in ws.records.iter_all(OFFICE)]
        assert sum(c.startswith("EARLY") for c in codes) == 100
        assert not any(c.startswith("BIG") for c in codes)
        assert "SMALL" in codes
        assert ws.audit.count == 1 + 100 + 1
