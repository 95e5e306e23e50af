"""One process at a time: a second opener is refused clearly, and a killed holder frees the file."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from storage import Workspace, WorkspaceInUse
from tests.storage.wsutil import PASSPHRASE, ROOT, child_env, run_cli

HOLDER = """
import sys, time
from storage import Workspace
ws = Workspace.open(sys.argv[1], sys.argv[2])
print("open", flush=True)
time.sleep(120)
"""


def test_second_instance_is_refused_until_the_holder_dies(workspace_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    Workspace.create(workspace_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat").close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(workspace_path), PASSPHRASE], cwd=ROOT,
                              env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open", holder.stderr.read()

        with pytest.raises(WorkspaceInUse) as caught:
            Workspace.open(workspace_path, PASSPHRASE)
        assert "already open in another PSEA Desk window or process" in str(caught.value)
        assert f"pid {holder.pid}" in str(caught.value)

        monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
        monkeypatch.setenv("PSEA_DESK_LANGUAGE", "en")
        assert main(["check", str(workspace_path)]) == 4
        assert "already open in another PSEA Desk window" in capsys.readouterr().err

        done = run_cli("check", str(workspace_path))  # and from a third process
        assert done.returncode == 4
        assert "Close the other window first" in done.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert holder.returncode == -signal.SIGKILL

    with Workspace.open(workspace_path, PASSPHRASE) as ws:  # the OS dropped the dead holder's lock
        assert ws.integrity_problems() == []
