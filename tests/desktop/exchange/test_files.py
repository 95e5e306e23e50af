"""Partner attachments and signed letter PDFs travel in bundles with their records, checked on import."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from desktop.exchange import bundle, errors
from desktop.exchange import files as carried
from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles, open_bundle
from desktop.letter import model as letters
from desktop.letter import service
from desktop.partners import assessments, attachments
from desktop.partners import model as partners
from desktop.signing import identity as identities
from desktop.signing.verify import INTACT
from storage import Workspace
from tests.desktop.letter.ready import make_ready

from .conftest import PASSPHRASE
from .helpers import BUNDLE_PASSPHRASE, legacy_content

POLICY = "سياسة الحماية من الاستغلال والانتهاك الجنسيين\n".encode() * 200 + bytes(range(256))


@pytest.fixture(scope="module")
def office_with_files(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("files")
    ws = Workspace.create(folder / "office.pdesk", PASSPHRASE, office="JOR-AMM", entity="UNFPA")
    try:
        partner = partners.add_partner(ws, "Jordan Women's Union")
        assessment = assessments.start(ws, partner["id"])
        attached = attachments.attach(ws, assessment["id"], "policy.pdf", POLICY)
        ident = identities.create_workspace_identity(ws, "Amina Odhiambo", "Representative")
        make_ready(ws, 2026, ident.name)
        make_ready(ws, 2026, ident.name)
        pdf, letter = service.sign(ws, letters.ensure(ws, 2026, "ar"), ident)
        out = folder / "JOR-AMM.pdbundle"
        result = export_bundle(ws, out, BUNDLE_PASSPHRASE)
    finally:
        ws.close()
    return out, result, attached, letter, pdf


def test_files_travel_and_are_read_back_at_the_coordinator(workspace, office_with_files) -> None:
    out, result, attached, letter, pdf = office_with_files
    assert result.files == 2
    [merged] = merge_bundles(workspace, [out], BUNDLE_PASSPHRASE)
    assert merged.status == "merged" and merged.files_added == 2
    assert attachments.read(workspace, attached["id"]) == POLICY
    carried_pdf = letters.signed_pdf(workspace, letter["id"])
    assert carried_pdf == pdf
    assert service.verify(workspace, carried_pdf).signatures[0].state == INTACT   # still verifies here
    assert merged.as_dict()["files"] == 2
    [again] = merge_bundles(workspace, [out], BUNDLE_PASSPHRASE, reimport=True)
    assert again.status == "merged" and again.files_added == 0                    # nothing new the second time


def test_export_without_files_carries_the_records_only(tmp_path, office_with_files, workspace) -> None:
    out, _result, attached, letter, _pdf = office_with_files
    # Re-export from a copy of the office, without files.
    _, parsed = open_bundle(out, BUNDLE_PASSPHRASE)
    assert len(parsed.files) == 2
    path = Path(out).with_name("office.pdesk")
    with Workspace.open(path, PASSPHRASE) as ws:
        lean = export_bundle(ws, tmp_path / "lean.pdbundle", BUNDLE_PASSPHRASE, include_files=False)
    assert lean.files == 0 and lean.records == _result.records
    [merged] = merge_bundles(workspace, [tmp_path / "lean.pdbundle"], BUNDLE_PASSPHRASE)
    assert merged.status == "merged" and merged.files_added == 0
    with pytest.raises(partners.PartnerError, match="not in this workspace"):
        attachments.read(workspace, attached["id"])
    assert letters.signed_pdf(workspace, letter["id"]) is None


def _rewrite_files(tmp_path: Path, source: Path, change) -> Path:
    """The same office's bundle with its file map changed, re-signed with a new key (so only the
    file check can refuse it)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    opened, _parsed = open_bundle(source, BUNDLE_PASSPHRASE)
    content = legacy_content(opened)
    change(content)
    data = json.dumps(content).encode()
    manifest = dict(opened.manifest, content_digest=hashlib.sha256(data).hexdigest(), content_size=len(data),
                    office="EVIL")
    for block in content["kinds"].values():
        for row in block["rows"]:
            row[1] = "EVIL"
    for rows in content["history"].values():
        for row in rows:
            row[3] = "EVIL"
    data = json.dumps(content).encode()
    manifest.update(content_digest=hashlib.sha256(data).hexdigest(), content_size=len(data))
    path = tmp_path / "changed.pdbundle"
    bundle.write(path, bundle.encode(manifest, data, Ed25519PrivateKey.generate(), BUNDLE_PASSPHRASE))
    return path


def _swap_bytes(content) -> None:
    digest = next(iter(content["files"]))
    content["files"][digest] = base64.b64encode(b"not the file the record names").decode()


def _plant_unreferenced(content) -> None:
    data = b"planted"
    content["files"][hashlib.sha256(data).hexdigest()] = base64.b64encode(data).decode()


def _bad_base64(content) -> None:
    digest = next(iter(content["files"]))
    content["files"][digest] = "***"


@pytest.mark.parametrize("change", [_swap_bytes, _plant_unreferenced, _bad_base64])
def test_a_file_that_does_not_match_its_record_refuses_the_bundle(tmp_path, workspace, office_with_files, change):
    before = workspace.audit.head
    [r] = merge_bundles(workspace, [_rewrite_files(tmp_path, office_with_files[0], change)], BUNDLE_PASSPHRASE)
    assert r.status == "refused" and isinstance(r.error, errors.MalformedBundle)
    assert workspace.audit.head == before
    assert workspace.connection.execute("SELECT count(*) FROM partner_blob").fetchone()[0] == 0


def test_files_too_large_for_one_bundle_give_a_clear_message_and_no_file(tmp_path, monkeypatch) -> None:
    with Workspace.create(tmp_path / "o.pdesk", PASSPHRASE, office="JOR-AMM", entity="UNFPA") as ws:
        partner = partners.add_partner(ws, "Partner")
        assessment = assessments.start(ws, partner["id"])
        attachments.attach(ws, assessment["id"], "a.bin", b"a" * 3000)
        attachments.attach(ws, assessment["id"], "b.bin", b"b" * 3000)
        monkeypatch.setattr(bundle, "DEFAULT_LIMITS", bundle.Limits(max_content=8000))
        with pytest.raises(errors.FilesTooLarge) as caught:
            export_bundle(ws, tmp_path / "big.pdbundle", BUNDLE_PASSPHRASE)
        assert "without files" in str(caught.value)
        assert not (tmp_path / "big.pdbundle").exists()
        assert export_bundle(ws, tmp_path / "lean.pdbundle", BUNDLE_PASSPHRASE, include_files=False).files == 0


def test_every_carried_kind_is_a_registered_record_kind() -> None:
    from desktop.exchange.kinds import load_record_kinds

    names = {k.name for k in load_record_kinds()}
    assert {spec.kind for spec in carried.carried_files()} == {"partner_attachment", "letter"} <= names
