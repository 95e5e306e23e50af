"""Build the PyInstaller bundle and use it alone: start the window offscreen, make a demo workspace,
render, sign and verify a letter. Opt-in because the build takes minutes:
PSEA_DESK_TEST_PACKAGING=1 ./dev.sh test tests/packaging
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "psea-desk"
EXE = BUNDLE / "psea-desk"

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(os.environ.get("PSEA_DESK_TEST_PACKAGING") != "1",
                       reason="builds the bundle (minutes): set PSEA_DESK_TEST_PACKAGING=1"),
]


@pytest.fixture(scope="module")
def bundle() -> Path:
    if os.environ.get("PSEA_DESK_REUSE_BUNDLE") != "1" or not EXE.exists():
        subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], check=True, cwd=ROOT, timeout=1800)
    assert EXE.exists()
    return EXE


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", PSEA_DESK_PASSPHRASE="bundle passphrase 2026",
               PSEA_DESK_CONFIG_DIR=str(tmp_path / "config"), PSEA_DESK_DATA_DIR=str(tmp_path / "data"),
               HOME=str(tmp_path))
    return env


def _run(exe: Path, tmp_path: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    # Run from an empty folder so nothing of the source tree can be imported by accident.
    return subprocess.run([str(exe), *args], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                          timeout=timeout)


def test_bundle_runs_alone(bundle: Path, tmp_path: Path) -> None:
    ws = tmp_path / "office.pdesk"
    result = _run(bundle, tmp_path, "demo", str(ws), "--people", "300")
    assert result.returncode == 0, result.stderr
    result = _run(bundle, tmp_path, "check", str(ws))
    assert result.returncode == 0, result.stderr

    env = _env(tmp_path) | {"PSEA_DESK_EXIT_WHEN_SHOWN": "1"}
    started = time.perf_counter()
    window = subprocess.run([str(bundle), "gui", str(ws)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    elapsed = time.perf_counter() - started
    assert window.returncode == 0, window.stderr
    assert "shown" in window.stdout
    print(f"bundle start to first window: {elapsed:.2f} s")

    pdf = tmp_path / "letter-fr.pdf"
    year = str(time.localtime().tm_year)
    result = _run(bundle, tmp_path, "letter", "sign", str(ws), "--year", year, "--language", "fr",
                  "--workspace-identity", "--out", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    result = _run(bundle, tmp_path, "verify", str(pdf), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report, "verify printed nothing"
