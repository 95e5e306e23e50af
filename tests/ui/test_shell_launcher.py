"""`psea-desk gui` as a user starts it (a real process), and the settings file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.launcher import DEMO_PASSPHRASE
from desktop.settings import DEFAULT_IDLE_MINUTES, Settings
from storage import Workspace
from tests.conftest import ROOT


def _run_gui(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PSEA_DESK_EXIT_WHEN_SHOWN": "1",
                "PSEA_DESK_CONFIG_DIR": str(tmp_path / "config"), "PSEA_DESK_DATA_DIR": str(tmp_path / "data"),
                "PSEA_DESK_LANGUAGE": "en"}
    full_env.pop("PSEA_DESK_PASSPHRASE", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "desktop", "gui", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=180)


def test_gui_creates_and_offers_the_demo(tmp_path: Path) -> None:
    result = _run_gui(tmp_path, "--demo-if-missing")
    assert result.returncode == 0, result.stderr
    demo = tmp_path / "data" / "demo.pdesk"
    assert demo.exists()
    lines = result.stdout.splitlines()
    assert f"Demo workspace: {demo}" in lines
    assert f"Its passphrase: {DEMO_PASSPHRASE}" in lines
    shown = [line for line in lines if line.startswith("shown ")]
    assert len(shown) == 1 and float(shown[0].split()[1]) > 0
    Workspace.open(demo, DEMO_PASSPHRASE).close()  # the printed passphrase opens it

    # A second start does not create it again (and nothing was overwritten).
    before = demo.stat().st_mtime_ns
    again = _run_gui(tmp_path, "--demo-if-missing")
    assert again.returncode == 0, again.stderr
    assert "Demo workspace created" not in again.stdout
    assert demo.stat().st_mtime_ns == before


def test_the_demo_never_shows_a_real_workspace_passphrase(tmp_path: Path) -> None:
    secret = "my real workspace secret 42"
    result = _run_gui(tmp_path, "--demo-if-missing", env={"PSEA_DESK_PASSPHRASE": secret})
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    Workspace.open(tmp_path / "data" / "demo.pdesk", DEMO_PASSPHRASE).close()  # made with the demo's own


def test_gui_without_demo_shows_the_start_window(tmp_path: Path) -> None:
    result = _run_gui(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("shown ")
    assert not (tmp_path / "data").exists()


def test_settings_round_trip_and_bad_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(tmp_path))
    settings = Settings.load()
    assert settings.recent == [] and settings.idle_minutes == DEFAULT_IDLE_MINUTES and settings.language is None
    for n in range(12):
        settings.add_recent(tmp_path / f"w{n}.pdesk")
    settings.add_recent(tmp_path / "w3.pdesk")  # reopening moves it to the top, no duplicate
    settings.language, settings.idle_minutes = "ar", 5
    settings.save()
    raw = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert set(raw) == {"recent", "language", "idle_minutes", "layout"}  # paths, preferences and window sizes only
    loaded = Settings.load()
    assert loaded.recent[0] == str((tmp_path / "w3.pdesk").resolve())
    assert len(loaded.recent) == 8 and len(set(loaded.recent)) == 8
    assert loaded.language == "ar" and loaded.idle_minutes == 5
    assert not list(tmp_path.glob("*.tmp"))  # the atomic write left no temporary file
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert Settings.load().recent == []
    (tmp_path / "settings.json").write_text('{"idle_minutes": "soon", "recent": [3, "x"]}', encoding="utf-8")
    broken = Settings.load()
    assert broken.idle_minutes == DEFAULT_IDLE_MINUTES and broken.recent == ["x"]
