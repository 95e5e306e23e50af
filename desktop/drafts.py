"""Drafts: what a form holds and has not saved, kept in the workspace so that nothing typed is lost to
the idle lock, a closed window or a crash (storage/migrations/0012_drafts.sql).

A draft is not a record: it is never exported, merged or audited, and it is replaced by the next draft
of the same form and record. The form that kept it offers it back when it opens the record again, and
discards it once the changes are saved (or the user discards them).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storage.audit import utc_now

if TYPE_CHECKING:
    from storage import Workspace

MAX_DRAFT = 2 * 1024 * 1024   # characters of JSON: a form's text, not files


@dataclass(frozen=True)
class Draft:
    form: str
    record_id: str
    saved_at: dt.datetime
    data: dict[str, Any]


def keep(ws: Workspace, form: str, record_id: str, data: dict[str, Any]) -> None:
    """Keep (or replace) the draft of `form` for `record_id`."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_DRAFT:
        raise ValueError("draft too large")
    with ws.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO draft (form, record_id, saved_at, data) VALUES (?, ?, ?, ?)",
                     (form, record_id, utc_now(), text))


def find(ws: Workspace, form: str, record_id: str) -> Draft | None:
    row = ws.connection.execute("SELECT saved_at, data FROM draft WHERE form = ? AND record_id = ?",
                                (form, record_id)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[1])
    except ValueError:
        return None
    return Draft(form, record_id, dt.datetime.fromisoformat(row[0]), data if isinstance(data, dict) else {})


def discard(ws: Workspace, form: str, record_id: str) -> None:
    if find(ws, form, record_id) is None:
        return   # nothing to write: opening and saving a form without a draft stays read-only here
    with ws.transaction() as conn:
        conn.execute("DELETE FROM draft WHERE form = ? AND record_id = ?", (form, record_id))
