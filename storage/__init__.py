"""The encrypted workspace: one SQLCipher 4 file per office, its schema, revisions, audit log and backups.

No Qt, no reportlab here: this room must be usable from the command line and from tests alone.
"""

from storage.errors import (
    DiskFull,
    NewerWorkspace,
    NotAWorkspace,
    WorkspaceDamaged,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceInUse,
    WorkspaceNotFound,
    WorkspaceReadOnly,
    WrongPassphrase,
)
from storage.workspace import Workspace

__all__ = [
    "DiskFull",
    "NewerWorkspace",
    "NotAWorkspace",
    "Workspace",
    "WorkspaceDamaged",
    "WorkspaceError",
    "WorkspaceExists",
    "WorkspaceInUse",
    "WorkspaceReadOnly",
    "WorkspaceNotFound",
    "WrongPassphrase",
]
