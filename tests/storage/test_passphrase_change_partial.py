"""A backup that cannot be re-keyed does not stop a passphrase change, and the change is in the audit
log as soon as the workspace itself is re-keyed (review finding)."""

from __future__ import annotations

from storage import Workspace, cipher
from storage.backup import backup_dir, list_backups
from tests.conftest import PASSPHRASE

NEW = "a brand new passphrase"


def test_unrekeyable_backup_is_left_and_the_change_is_audited(workspace, workspace_path) -> None:
    good = workspace.backup("manual")
    # Something named like a backup that cannot be opened (here: a folder).
    stuck = backup_dir(workspace_path) / good.name.replace("manual", "stuck")
    stuck.mkdir()
    assert stuck in [b.path for b in list_backups(workspace_path)]
    workspace.change_passphrase(PASSPHRASE, NEW)
    assert workspace.audit.entries(limit=1)[0].action == "passphrase-changed"
    workspace.close()
    Workspace.open(workspace_path, NEW).close()
    conn = cipher.connect(good, NEW, readonly=True)      # the good backup follows the new passphrase
    conn.close()
    assert stuck.is_dir()
