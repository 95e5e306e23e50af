"""Optional modules of instruments that may not have landed yet (commands, demo data, figures)."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType


def optional_module(name: str) -> ModuleType | None:
    """The module, or None when it (or its package) does not exist. Import errors inside an
    existing module are not swallowed."""
    parent = name.rpartition(".")[0]
    if parent and optional_module(parent) is None:
        return None
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)
