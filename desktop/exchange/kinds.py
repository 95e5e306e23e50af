"""Make sure every instrument's record kinds are registered before exporting or merging.

Kinds register when their instrument's `desktop/<instrument>/model.py` is imported. A command-line
export that never imported the roster would otherwise leave the roster out of the bundle, and a merge
would refuse a bundle whose kinds it had not loaded. Instruments are found, not listed, so one that
lands later is covered without editing this file.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from desktop.plugins import optional_module
from storage.records import RecordKind, registered_kinds

_DESKTOP = Path(__file__).resolve().parent.parent


def load_record_kinds() -> list[RecordKind]:
    for info in pkgutil.iter_modules([str(_DESKTOP)]):
        if info.ispkg and info.name != "exchange":
            for module in ("model", "models"):
                optional_module(f"desktop.{info.name}.{module}")
    return registered_kinds()
