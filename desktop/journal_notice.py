"""What to tell the user when commits were found missing at an open (storage/journal.py)."""

from __future__ import annotations

import datetime as dt

from i18n import _, ngettext
from i18n.formatting import datetime as format_datetime
from storage.journal import JournalLoss


def describe(loss: JournalLoss) -> str:
    try:
        when = format_datetime(dt.datetime.fromisoformat(loss.found_at))
    except ValueError:
        when = loss.found_at
    if loss.diverged:
        return _("On {when} PSEA Desk found that this workspace file is not the one it last saved on this computer "
                 "(an older copy was put in its place, or its journal file was replaced). Changes made since that "
                 "copy may be missing.").format(when=when)
    missing = loss.expected - loss.found
    return ngettext(
        "On {when} PSEA Desk found that the last change saved before then is missing: the workspace's journal "
        "file (ending in -wal) was damaged or removed after the program stopped unexpectedly.",
        "On {when} PSEA Desk found that the last {n} changes saved before then are missing: the workspace's journal "
        "file (ending in -wal) was damaged or removed after the program stopped unexpectedly.",
        missing).format(when=when, n=missing)


def advice() -> str:
    return _("The workspace itself is consistent. Check the most recent work (the audit log shows what is there), "
             "enter again what is missing or restore a backup (psea-desk backups, psea-desk restore), then confirm "
             "with psea-desk check --acknowledge.")
