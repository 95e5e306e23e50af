"""The user's settings outside any workspace: a small JSON file, never data.

Where: `$PSEA_DESK_CONFIG_DIR/settings.json`, else `~/.config/psea-desk/settings.json`. It holds the
recent workspace *paths* (never names of people, never passphrases), the window language, the idle
lock in minutes and how the window was left (sizes, splitters, column widths). Written atomically (temporary file + fsync + rename) so a crash leaves the old
file or the new one, never half of one. A missing or unreadable file gives the defaults.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_CONFIG_DIR = "PSEA_DESK_CONFIG_DIR"
ENV_DATA_DIR = "PSEA_DESK_DATA_DIR"
DEFAULT_IDLE_MINUTES = 10
MAX_RECENT = 8
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240
MAX_LAYOUT = 64                 # remembered window states (a malformed file cannot grow them unbounded)
MAX_LAYOUT_VALUE = 8192


def config_dir() -> Path:
    value = os.environ.get(ENV_CONFIG_DIR)
    if value:
        return Path(value)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "psea-desk"


def data_dir() -> Path:
    """Where the demo workspace lives by default."""
    value = os.environ.get(ENV_DATA_DIR)
    if value:
        return Path(value)
    return Path.home() / ".local" / "share" / "psea-desk"


def settings_path() -> Path:
    return config_dir() / "settings.json"


@dataclass
class Settings:
    recent: list[str] = field(default_factory=list)
    language: str | None = None
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    # How the user left the window: its size and place, splitters, column widths (Qt's saved states,
    # base64), by name ("main", "main/splitter", "roster/columns"). Never data.
    layout: dict[str, str] = field(default_factory=dict)

    # ---- recent workspaces --------------------------------------------------------------------
    def add_recent(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        self.recent = [text] + [p for p in self.recent if p != text]
        del self.recent[MAX_RECENT:]

    def remove_recent(self, path: Path | str) -> None:
        text = str(Path(path).resolve())
        self.recent = [p for p in self.recent if p != text]

    def existing_recent(self) -> list[Path]:
        return [Path(p) for p in self.recent if Path(p).is_file()]

    # ---- file -----------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        recent = raw.get("recent")
        if isinstance(recent, list):
            settings.recent = [str(p) for p in recent if isinstance(p, str)][:MAX_RECENT]
        language = raw.get("language")
        if isinstance(language, str):
            settings.language = language
        idle = raw.get("idle_minutes")
        if isinstance(idle, (int, float)) and not isinstance(idle, bool):
            settings.idle_minutes = clamp_idle(float(idle))
        layout = raw.get("layout")
        if isinstance(layout, dict):
            settings.layout = {str(k)[:80]: v for k, v in list(layout.items())[:MAX_LAYOUT]
                               if isinstance(v, str) and len(v) <= MAX_LAYOUT_VALUE}
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"recent": self.recent, "language": self.language,
                           "idle_minutes": self.idle_minutes, "layout": self.layout}, ensure_ascii=False, indent=2)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def clamp_idle(minutes: float) -> float:
    """Tests use fractions of a minute; the dialog offers whole minutes in the allowed range."""
    if minutes <= 0:
        return DEFAULT_IDLE_MINUTES
    return min(minutes, MAX_IDLE_MINUTES)
