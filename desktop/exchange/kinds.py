"""Every instrument's record kinds, registered before exporting or merging (desktop/registry.py names them)."""

from __future__ import annotations

from desktop import registry
from storage.records import RecordKind


def load_record_kinds() -> list[RecordKind]:
    return registry.record_kinds()
