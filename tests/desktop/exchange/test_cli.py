"""`psea-desk export` and `psea-desk merge` through desktop.cli.main, with passphrases from the environment."""

from __future__ import annotations

import json

from desktop.cli import main
from storage import Workspace
from storage.records import OFFICE

from .conftest import PASSPHRASE, make_office
from .helpers import BUNDLE_PASSPHRASE


def _env(monkeypatch):
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PSEA_DESK_BUNDLE_PASSPHRASE", BUNDLE_PASSPHRASE)


def test_export_then_merge_json(tmp_path, monkeypatch, capsys):
    _env(monkeypatch)
    make_office(tmp_path / "o.pdesk", "LBN-BEY", ["Beirut", "Tripoli"]).close()
    Workspace.create(tmp_path / "r.pdesk", PASSPHRASE, office="RO", entity="UNICEF").close()
    assert main(["export", str(tmp_path / "o.pdesk"), "--out", str(tmp_path / "o.pdbundle"),
                 "--since-last-to", "regional"]) == 0
    out = capsys.readouterr().out
    assert "o.pdbundle" in out and "3" in out
    assert main(["merge", str(tmp_path / "r.pdesk"), str(tmp_path / "o.pdbundle"), "--json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert (result["status"], result["inserted"], result["updated"], result["unchanged"], result["conflicts"]) == \
        ("merged", 3, 0, 0, 0)
    assert main(["merge", str(tmp_path / "r.pdesk"), str(tmp_path / "o.pdbundle")]) == 0
    assert "already imported" in capsys.readouterr().out
    with Workspace.open(tmp_path / "r.pdesk", PASSPHRASE) as ws:
        assert {r["name"] for r in ws.records.iter_all(OFFICE)} >= {"Beirut", "Tripoli"}


def test_merge_reports_a_refused_bundle_and_exits_1(tmp_path, monkeypatch, capsys):
    _env(monkeypatch)
    Workspace.create(tmp_path / "r.pdesk", PASSPHRASE, office="RO", entity="UNICEF").close()
    (tmp_path / "junk.pdbundle").write_bytes(b"not a bundle at all")
    assert main(["merge", str(tmp_path / "r.pdesk"), str(tmp_path / "junk.pdbundle")]) == 1
    assert "not a PSEA Desk export bundle" in capsys.readouterr().out


def test_merge_in_french(tmp_path, monkeypatch, capsys):
    _env(monkeypatch)
    Workspace.create(tmp_path / "r.pdesk", PASSPHRASE, office="RO", entity="UNICEF").close()
    assert main(["--language", "fr", "merge", str(tmp_path / "r.pdesk"), str(tmp_path / "missing.pdbundle")]) == 1
    assert "Il n'y a pas de fichier de paquet" in capsys.readouterr().out


def test_wrong_bundle_passphrase_and_recipient_key(tmp_path, monkeypatch, capsys):
    _env(monkeypatch)
    make_office(tmp_path / "o.pdesk", "LBN-BEY", ["Beirut"]).close()
    Workspace.create(tmp_path / "r.pdesk", PASSPHRASE, office="RO", entity="UNICEF").close()
    assert main(["recipient-key", str(tmp_path / "r.pdesk"), "--out", str(tmp_path / "ro.key")]) == 0
    assert main(["export", str(tmp_path / "o.pdesk"), "--out", str(tmp_path / "o.pdbundle"),
                 "--recipient-key", str(tmp_path / "ro.key")]) == 0
    monkeypatch.setenv("PSEA_DESK_BUNDLE_PASSPHRASE", "not the right one")
    # The coordinator's own key opens it even with a wrong passphrase typed.
    assert main(["merge", str(tmp_path / "r.pdesk"), str(tmp_path / "o.pdbundle"), "--json"]) == 0
    capsys.readouterr()
    Workspace.create(tmp_path / "other.pdesk", PASSPHRASE, office="XX", entity="UNICEF").close()
    assert main(["merge", str(tmp_path / "other.pdesk"), str(tmp_path / "o.pdbundle")]) == 1
    assert "does not open with this passphrase" in capsys.readouterr().out
