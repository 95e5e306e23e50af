"""`psea-desk letter render|sign|allegations` and `psea-desk verify`, run through desktop.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.signing import identity as identities
from tests.desktop.letter.conftest import DEMO_PASSPHRASE


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSEA_DESK_PASSPHRASE", DEMO_PASSPHRASE)


def test_render_sign_verify(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    preview = tmp_path / "preview.pdf"
    assert main(["letter", "render", str(demo_path), "--year", "2020", "--language", "ar", "--out", str(preview)]) == 0
    assert preview.read_bytes().startswith(b"%PDF")
    from desktop.letter import model
    from storage import Workspace

    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:  # a preview writes nothing
        assert model.current(ws, 2020, "ar") is None
    assert main(["verify", str(preview)]) == 1  # not signed
    signed = tmp_path / "signed.pdf"
    sign = ["letter", "sign", str(demo_path), "--year", "2020", "--language", "ar", "--workspace-identity",
            "--name", "Amina Odhiambo", "--title", "Head of Office", "--out", str(signed)]
    capsys.readouterr()
    # Nothing attested for 2020 yet: refused, with the list of what to confirm, and nothing written.
    assert main(sign) == 1 and not signed.exists()
    err = capsys.readouterr().err
    assert "cannot be signed yet" in err and err.count("Not yet confirmed by the signer") == 15
    assert main(["letter", "status", str(demo_path), "--year", "2020", "--language", "ar", "--json"]) == 1
    status = json.loads(capsys.readouterr().out)
    assert not status["ready"] and {a["id"] for a in status["attestations"]} >= {"closing", "victims_first"}
    assert main(["letter", "attest", str(demo_path), "--year", "2020", "--item", "closing"]) == 0
    assert main(["letter", "attest", str(demo_path), "--year", "2020", "--item", "nonsense"]) == 1
    assert main(["letter", "attest", str(demo_path), "--year", "2020", "--all"]) == 0
    assert main(["letter", "status", str(demo_path), "--year", "2020", "--language", "ar"]) == 0
    capsys.readouterr()
    assert main(sign) == 0
    capsys.readouterr()
    assert main(["verify", str(signed), "--json"]) == 5             # intact, but no trusted list given
    report = json.loads(capsys.readouterr().out)
    assert report["intact"] and not report["trusted"] and report["signatures"][0]["signer"] == "Amina Odhiambo"
    assert report["verdict"] == "untrusted"
    assert main(["verify", str(signed), "--json", "--workspace", str(demo_path)]) == 0
    assert json.loads(capsys.readouterr().out)["trusted"]
    data = bytearray(signed.read_bytes())
    at = data.index(b"PSEA Desk")
    data[at] ^= 0x01
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    assert main(["verify", str(broken)]) == 1
    assert "Altered" in capsys.readouterr().out
    # Signing again writes the frozen version unchanged.
    again = tmp_path / "again.pdf"
    assert main(["letter", "sign", str(demo_path), "--year", "2020", "--language", "ar", "--workspace-identity",
                 "--out", str(again)]) == 0
    assert again.read_bytes() == signed.read_bytes()


def test_sign_with_pkcs12(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p12 = tmp_path / "id.p12"
    p12.write_bytes(identities.make_pkcs12("Amina Odhiambo", "办事处主任", "UN-Habitat", "p12-password"))
    assert main(["letter", "attest", str(demo_path), "--year", "2019", "--all"]) == 0
    out = tmp_path / "zh.pdf"
    monkeypatch.setenv("PSEA_DESK_P12_PASSWORD", "wrong")
    args = ["letter", "sign", str(demo_path), "--year", "2019", "--language", "zh", "--p12", str(p12), "--out", str(out)]
    assert main(args) == 1 and not out.exists()
    monkeypatch.setenv("PSEA_DESK_P12_PASSWORD", "p12-password")
    assert main(args) == 0
    assert main(["verify", str(out)]) == 5                                 # intact; its issuer is trusted nowhere


def test_allegations_command(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "allegations", str(demo_path), "--year", "2018", "--set", "staff", "referred", "4",
                 "--referred-to", "oios", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 4
    assert main(["letter", "allegations", str(demo_path), "--year", "2018", "--set", "staff", "referred", "-2"]) == 1


def test_missing_file(tmp_path: Path) -> None:
    assert main(["verify", str(tmp_path / "nope.pdf")]) == 1


def test_settings_command_sets_names_per_language(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "settings", str(demo_path), "--set", "place", "fr", "Nairobi (Kenya)",
                 "--set", "signatory", "Amina Odhiambo", "--json"]) == 0
    conf = json.loads(capsys.readouterr().out)
    assert conf["values"]["place"]["fr"] == "Nairobi (Kenya)" and conf["single"]["signatory"] == "Amina Odhiambo"
    assert main(["letter", "settings", str(demo_path), "--set", "place", "xx", "Somewhere"]) == 1
    assert main(["letter", "settings", str(demo_path), "--set", "nonsense", "value"]) == 2
