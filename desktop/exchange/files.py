"""Files that travel with their records: partner attachments and signed letter PDFs.

Records refer to bytes by SHA-256 (`partner_attachment.sha256`, `letter.pdf_sha256`); the bytes live
outside the record tables. An instrument declares such a reference once with `register_carried_file`
(in its model module, next to its RecordKind), so this package lists no instrument.

In a bundle each file travels once, after the records (`["f", sha256, base64]` lines, content.py),
so a file attached twice travels once. The reader (reader.py) checks every file: its digest must match
its bytes and a record of the same bundle must name it (a bundle cannot plant unreferenced bytes).
The files are stored in the merge transaction of their bundle; since they are content-addressed and
checked, storing one changes nothing that a record does not already say.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from desktop.carried import CarriedFile, carried_files, named_file, register_carried_file
from desktop.exchange.errors import FilesTooLarge

if TYPE_CHECKING:
    from storage import Workspace

# The declarations live in desktop/carried.py (instruments import it, not this package).
__all__ = ["CarriedFile", "carried_files", "collect", "decoded_size", "named_file", "register_carried_file"]


def collect(ws: Workspace, rows_by_kind: dict[str, list[dict[str, Any]]], max_bytes: int) -> dict[str, str]:
    """The files the exported rows refer to and this workspace holds, base64-encoded by digest.
    Raises FilesTooLarge when they would not fit in a bundle (`max_bytes`, counted encoded)."""
    out: dict[str, str] = {}
    total = 0
    for spec in carried_files():
        for row in rows_by_kind.get(spec.kind, ()):
            digest = named_file(spec, row)
            if digest is None or digest in out:
                continue
            data = spec.read(ws, row)
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                continue  # not here (merged in without it) or damaged: the record travels alone
            encoded = base64.b64encode(data).decode("ascii")
            total += len(encoded)
            if total > max_bytes:
                raise FilesTooLarge(total, max_bytes)
            out[digest] = encoded
    return out


def decoded_size(encoded: str) -> int:
    """Bytes behind a padded base64 text, without decoding it."""
    return len(encoded) // 4 * 3 - encoded[-2:].count("=")
