"""What can go wrong with a workspace, each with a sentence a user understands and what to do next.

Messages are translated when shown (`str(error)`), not when raised, so an error caught in the window
speaks the window's current language.
"""

from __future__ import annotations

from i18n import _


class WorkspaceError(Exception):
    """Base of every workspace problem. `message()` says what happened, `advice()` what to do."""

    def __init__(self, path: str = "", detail: str = "") -> None:
        super().__init__(path, detail)
        self.path = path
        self.detail = detail

    def message(self) -> str:
        return _("The workspace could not be used.")

    def advice(self) -> str:
        return ""

    def __str__(self) -> str:
        text = self.message()
        if self.detail:
            text = f"{text} ({self.detail})"
        advice = self.advice()
        return f"{text} {advice}".strip()


class WrongPassphrase(WorkspaceError):
    def message(self) -> str:
        return _("The passphrase is not correct for this workspace. Nothing was changed.")

    def advice(self) -> str:
        return _("Check the keyboard layout and Caps Lock, then try again.")


class WorkspaceDamaged(WorkspaceError):
    def __init__(self, path: str = "", detail: str = "", problems: list[str] | None = None) -> None:
        super().__init__(path, detail)
        self.problems = problems or []

    def message(self) -> str:
        return _("The workspace file is damaged.")

    def advice(self) -> str:
        return _("Restore the most recent backup (psea-desk restore), and keep the damaged file for IT support.")


class WorkspaceInUse(WorkspaceError):
    def message(self) -> str:
        return _("This workspace is already open in another PSEA Desk window or process.")

    def advice(self) -> str:
        return _("Close the other window first. Only one program may change a workspace at a time.")


class WorkspaceReadOnly(WorkspaceError):
    def message(self) -> str:
        return _("PSEA Desk cannot write in the folder of this workspace (a read-only disk or folder, or no permission).")

    def advice(self) -> str:
        return _("Copy the workspace to a folder you can write to, such as your Documents folder, and open it there.")


class WorkspaceNotFound(WorkspaceError):
    def message(self) -> str:
        return _("There is no workspace file at this location.")

    def advice(self) -> str:
        return _("Choose another file, or create a new workspace.")


class WorkspaceExists(WorkspaceError):
    def message(self) -> str:
        return _("A file already exists at this location; it was not overwritten.")

    def advice(self) -> str:
        return _("Choose another name for the new workspace.")


class NotAWorkspace(WorkspaceError):
    def message(self) -> str:
        return _("This file is not a PSEA Desk workspace.")


class NewerWorkspace(WorkspaceError):
    def message(self) -> str:
        return _("This workspace was written by a newer version of PSEA Desk.")

    def advice(self) -> str:
        return _("Install the newer version to open it. The file was not changed.")


class DiskFull(WorkspaceError):
    def message(self) -> str:
        return _("The disk is full: the change was not saved, and the workspace is as it was before.")

    def advice(self) -> str:
        return _("Free some disk space and try again.")


class WeakPassphrase(WorkspaceError):
    def message(self) -> str:
        return _("The passphrase is too short: use at least 10 characters.")
