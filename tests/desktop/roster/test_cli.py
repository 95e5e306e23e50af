"""`psea-desk roster import|stats` end to end on a real workspace file."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from tests.conftest import PASSPHRASE


def test_import_then_stats(workspace, workspace_path, tmp_path, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    csv_path = tmp_path / "lms.csv"
    csv_path.write_text("Name;Index number;Category;Course;Completion date\n"
                        "Amina;1;staff;Induction;03/02/2026\nWei;2;UN Volunteer;Refresher;04/02/2026\n"
                        "Ana;3;partner;Induction;05/02/2026\nOleh;4;consultant;;\n", encoding="utf-8")
    assert main(["roster", "import", str(workspace_path), str(csv_path)]) == 1
    assert "--day-first" in capsys.readouterr().err
    assert main(["roster", "import", str(workspace_path), str(csv_path), "--day-first", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "done" and out["added_people"] == 4 and out["added_completions"] == 3
    assert main(["roster", "import", str(workspace_path), str(csv_path), "--day-first", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added_people"] == 0
    assert main(["roster", "stats", str(workspace_path), "--as-of", "2026-06-30", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["letter"]["population"] == 3 and stats["letter"]["trained"] == 2
    assert abs(stats["overall_rate"] - 0.75) < 1e-9
    assert stats["by_category"]["partner"]["active"] == 1
    assert main(["--language", "fr", "roster", "stats", str(workspace_path), "--as-of", "2026-06-30"]) == 0
    assert "Lettre de la direction 2026" in capsys.readouterr().out


def test_bad_file_exit_code_and_message(workspace, workspace_path, tmp_path, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"")
    assert main(["roster", "import", str(workspace_path), str(bad)]) == 1
    assert "empty" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["roster", "stats", str(workspace_path), "--as-of", "2026-13-01"])
    assert exc.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
