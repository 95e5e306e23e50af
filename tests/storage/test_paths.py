"""Workspaces in folders whose names mean something in a URI or are not ASCII."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage import Workspace
from storage.backup import list_backups
from storage.records import OFFICE
from storage.workspace import restore_backup
from tests.storage.wsutil import PASSPHRASE

FOLDERS = ["PSEA #2", "what?", "100%25 done", "a&b=c;d", "it's", "مكتب الخرطوم", "北京 办公室", "Київ офіс"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_any_folder_name_works(tmp_path: Path, folder: str) -> None:
    path = tmp_path / folder / "office.pdesk"
    with Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        ws.records.insert(OFFICE, {"code": "X", "name": folder, "country": ""})
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.integrity_problems() == []
        assert folder in {r["name"] for r in ws.records.iter_all(OFFICE)}
        backup = ws.backup("manual")
    restore_backup(path, backup, PASSPHRASE)
    assert [b.path for b in list_backups(path)] == [backup]
    # Nothing was created outside the folder (a URI cut at "#" or "?" would open another file).
    assert os.listdir(tmp_path) == [folder]
