"""The remembered window layout in the settings file: kept, bounded, and a malformed one ignored."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.settings import MAX_LAYOUT, Settings


def test_layout_round_trips_and_a_malformed_one_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(layout={"main": "AdnQywADAAA=", "roster/columns": "AAAA/wAAAAA="})
    settings.save(path)
    assert Settings.load(path).layout == settings.layout
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["layout"] = {"main": 42, "x" * 500: "ok", **{f"k{n}": "v" for n in range(MAX_LAYOUT * 3)}}
    path.write_text(json.dumps(raw), encoding="utf-8")
    loaded = Settings.load(path).layout
    assert "main" not in loaded and len(loaded) <= MAX_LAYOUT and all(len(k) <= 80 for k in loaded)
    path.write_text(json.dumps({"layout": "not a map"}), encoding="utf-8")
    assert Settings.load(path).layout == {}
