"""Files that travel with their records (partner attachments, signed letter PDFs), declared by each
instrument next to its RecordKind. Kept apart from desktop/exchange so that instruments never import
the exchange package (which itself reads instruments through desktop/registry.py): one direction only.

Records refer to bytes by SHA-256 (`partner_attachment.sha256`, `letter.pdf_sha256`); the bytes live
outside the record tables. desktop/exchange/files.py carries them in bundles, reader.py checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage import Workspace

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class CarriedFile:
    """`kind` (a RecordKind name) refers to bytes by the SHA-256 in `digest_field`, when `wanted(row)`.

    `read(ws, row) -> bytes | None` gives the bytes of a row here (None: not in this workspace);
    `store(ws, row, data) -> bool` keeps them for a row merged in (inside the caller's transaction),
    True when they were not here before."""

    kind: str
    digest_field: str
    wanted: Callable[[dict[str, Any]], bool]
    read: Callable[[Workspace, dict[str, Any]], bytes | None]
    store: Callable[[Workspace, dict[str, Any], bytes], bool]

    def __reduce__(self) -> tuple:
        # By kind, like RecordKind: the functions it holds are found again where it is unpickled.
        return _carried.__getitem__, (self.kind,)


_carried: dict[str, CarriedFile] = {}


def register_carried_file(spec: CarriedFile) -> CarriedFile:
    _carried[spec.kind] = spec
    return spec


def carried_files() -> list[CarriedFile]:
    return list(_carried.values())


def is_digest(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


def named_file(spec: CarriedFile, row: dict[str, Any]) -> str | None:
    """The digest of the file this row names and carries, if any: one rule for export, check and store."""
    digest = row.get(spec.digest_field)
    return digest if is_digest(digest) and not row.get("deleted") and spec.wanted(row) else None
