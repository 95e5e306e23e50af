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


# `Workspace` (and with it SQLCipher) is imported when first used (PEP 562): modules that only declare
# record kinds (storage.records) or name errors do not pay for it, nor does `psea-desk --help`.
def __getattr__(name: str) -> object:
    if name == "Workspace":
        from storage.workspace import Workspace

        return Workspace
    raise AttributeError(name)


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
