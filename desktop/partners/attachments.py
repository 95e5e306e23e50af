"""Files attached to an assessment (a policy, an attendance sheet): kept inside the encrypted
workspace, never as loose files.

The bytes go to `partner_blob` (keyed by SHA-256, so the same file attached twice, or carried over
to a re-assessment, is stored once); the metadata row is a `partner_attachment` record written
through ws.records, so that attaching and removing are audited. Both are written in one transaction.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.partners.model import ATTACHMENT, PartnerError
from i18n import _
from i18n.formatting import number
from storage.text import safe_file_name

if TYPE_CHECKING:
    from storage import Workspace

MAX_BYTES = 10 * 1024 * 1024


class AttachmentTooLarge(PartnerError):
    pass


def _megabytes(size: int) -> str:
    return _("{size} MB").format(size=number(round(size / (1024 * 1024), 1)))


def safe_name(attachment: dict[str, Any]) -> str:
    """The attachment's name as a safe base name (storage/text.py): what a "Save a copy" dialog may
    offer, never a path a sender chose."""
    return safe_file_name(attachment["filename"])


def attach(ws: Workspace, assessment_id: str, filename: str, data: bytes, *, standard_key: str = "",
           media_type: str | None = None) -> dict[str, Any]:
    name = safe_file_name(filename)
    if not name:
        raise PartnerError(_("An attached file needs a name."))
    if len(data) > MAX_BYTES:
        raise AttachmentTooLarge(_("The file {name} is {size}; attachments are limited to {limit}. "
                                   "Nothing was attached.").format(
            name=name, size=_megabytes(len(data)), limit=_megabytes(MAX_BYTES)))
    row = ws.connection.execute("SELECT 1 FROM partner_assessment WHERE id = ? AND deleted = 0",
                                (assessment_id,)).fetchone()
    if row is None:
        raise PartnerError(_("No such assessment."))
    digest = hashlib.sha256(data).hexdigest()
    media_type = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    with ws.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO partner_blob (sha256, data) VALUES (?, ?)", (digest, data))
        return ws.records.insert(ATTACHMENT, {"assessment_id": assessment_id, "standard_key": standard_key,
                                              "filename": name, "media_type": media_type, "size": len(data),
                                              "sha256": digest})


def attach_file(ws: Workspace, assessment_id: str, path: Path | str, *, standard_key: str = "") -> dict[str, Any]:
    """Read a file the user chose; refused before reading when it is too large."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise AttachmentTooLarge(_("The file {name} is {size}; attachments are limited to {limit}. "
                                   "Nothing was attached.").format(
            name=path.name, size=_megabytes(size), limit=_megabytes(MAX_BYTES)))
    return attach(ws, assessment_id, path.name, path.read_bytes(), standard_key=standard_key)


def list_for(ws: Workspace, assessment_id: str, standard_key: str | None = None) -> list[dict[str, Any]]:
    cols = ", ".join(ATTACHMENT.columns)
    sql = f"SELECT {cols} FROM partner_attachment WHERE deleted = 0 AND assessment_id = ?"  # noqa: S608
    params: tuple[Any, ...] = (assessment_id,)
    if standard_key is not None:
        sql += " AND standard_key = ?"
        params += (standard_key,)
    return [dict(zip(ATTACHMENT.columns, r, strict=True)) for r in ws.connection.execute(sql + " ORDER BY filename", params)]


def read(ws: Workspace, attachment_id: str) -> bytes:
    record = ws.records.get(ATTACHMENT, attachment_id)
    if record is None:
        raise PartnerError(_("No such attachment."))
    row = ws.connection.execute("SELECT data FROM partner_blob WHERE sha256 = ?", (record["sha256"],)).fetchone()
    if row is None:
        raise PartnerError(_("The content of {name} is not in this workspace (it came from a merge without it).")
                           .format(name=record["filename"]))
    data = bytes(row[0])
    if hashlib.sha256(data).hexdigest() != record["sha256"]:
        raise PartnerError(_("The content of {name} is damaged.").format(name=record["filename"]))
    return data


def remove(ws: Workspace, attachment_id: str) -> None:
    """Tombstone the metadata; the bytes stay, since earlier versions and other assessments may refer to them."""
    ws.records.delete(ATTACHMENT, attachment_id)
