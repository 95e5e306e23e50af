"""Every record kind any instrument registers travels in bundles: the loader must find them all,
in a fresh process that has imported nothing else (as `psea-desk export` does)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _declared_kind_names() -> set[str]:
    names = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for match in re.finditer(r"register\(\s*RecordKind\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8")):
            names.add(match.group(1))
    for path in (ROOT / "storage").rglob("*.py"):
        for match in re.finditer(r"register\(\s*RecordKind\(\s*\"([a-z_]+)\"", path.read_text(encoding="utf-8")):
            names.add(match.group(1))
    return names


def test_loader_finds_every_declared_kind() -> None:
    code = ("import json; from desktop.exchange.kinds import load_record_kinds; "
            "print(json.dumps([k.name for k in load_record_kinds()]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    declared = _declared_kind_names()
    assert len(declared) >= 15, declared
    assert declared <= loaded, f"declared but not loaded for bundles: {sorted(declared - loaded)}"
