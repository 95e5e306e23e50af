"""Signatures: PAdES B-B with a workspace identity or a PKCS#12 file; tampering is reported as
altered, and poppler's pdfsig (read from its text: it exits 0 even for a broken signature) agrees."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from desktop.letter import model, service
from desktop.signing import identity as identities
from desktop.signing import trust
from desktop.signing.identity import SigningError
from desktop.signing.verify import verify_pdf
from storage import Workspace
from tests.desktop.letter.ready import make_ready

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")


def _pdfsig(data: bytes, tmp_path: Path) -> str:
    f = tmp_path / "check.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdfsig", str(f)], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def signed_letter(demo_path: Path) -> bytes:
    from tests.desktop.letter.conftest import DEMO_PASSPHRASE

    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:
        ident = identities.workspace_identity(ws) or identities.create_workspace_identity(
            ws, "Amina Odhiambo", "Head of Office")
        make_ready(ws, 2021)
        letter = model.ensure(ws, 2021, "fr")
        data, _record = service.sign(ws, letter, ident)
    return data


def test_intact_signature_agrees_with_pdfsig(signed_letter: bytes, tmp_path: Path) -> None:
    result = verify_pdf(signed_letter)
    assert result.ok and not result.trusted  # no trusted list given
    sig = result.signatures[0]
    assert sig.signer == "Amina Odhiambo" and sig.signing_time and sig.covers_whole_file
    out = _pdfsig(signed_letter, tmp_path)
    assert "Signature is Valid." in out and "Total document signed" in out
    assert "Amina Odhiambo" in out and "ETSI.CAdES.detached" in out


def test_flipped_byte_is_altered(signed_letter: bytes, tmp_path: Path) -> None:
    at = signed_letter.index(b"PSEA Desk")  # the producer string, inside the signed range
    flipped = signed_letter[:at] + b"Q" + signed_letter[at + 1:]
    result = verify_pdf(flipped)
    assert not result.ok and result.signatures[0].altered and not result.signatures[0].intact
    out = _pdfsig(flipped, tmp_path)
    assert "Digest Mismatch" in out and "Signature is Valid." not in out


def test_incremental_update_after_signing_is_altered(signed_letter: bytes, tmp_path: Path) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_letter))
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 40 re f Q"))
    writer.add_stream_to_page(0, stream)
    buf = io.BytesIO()
    writer.write(buf)
    updated = buf.getvalue()
    result = verify_pdf(updated)
    sig = result.signatures[0]
    assert not result.ok and sig.altered and not sig.covers_whole_file and sig.state == "altered"
    out = _pdfsig(updated, tmp_path)
    assert "Not total document signed" in out


def test_trust_comes_from_the_workspace_list(workspace: Workspace, signed_letter: bytes) -> None:
    assert not service.verify(workspace, signed_letter).trusted
    sha = verify_pdf(signed_letter).signatures[0].cert_sha256
    from pyhanko.pdf_utils.reader import PdfFileReader

    cert = PdfFileReader(io.BytesIO(signed_letter)).embedded_signatures[0].signer_cert
    assert trust.add(workspace, cert.dump(), source="test") == sha
    assert service.verify(workspace, signed_letter).trusted
    assert trust.remove(workspace, sha)
    assert not service.verify(workspace, signed_letter).trusted


def test_workspace_identity_is_trusted_at_once_and_key_stays_inside(workspace: Workspace) -> None:
    ident = identities.create_workspace_identity(workspace, "Иван Петров", "Глава отделения")
    assert ident.cert_sha256 in {t["sha256"] for t in trust.trusted(workspace)}
    make_ready(workspace, 2026, "Иван Петров")
    letter = model.ensure(workspace, 2026, "ru")
    data, record = service.sign(workspace, letter, ident)
    assert service.verify(workspace, data).trusted
    # The private key is only inside the encrypted file.
    key_der = workspace.connection.execute("SELECT key_der FROM signing_identity").fetchone()[0]
    workspace.close()
    raw = workspace.path.read_bytes()
    assert bytes(key_der)[40:80] not in raw


def test_pkcs12_signing(workspace: Workspace, tmp_path: Path) -> None:
    p12 = tmp_path / "signer.p12"
    p12.write_bytes(identities.make_pkcs12("Ana García", "Directora", "ONU-Hábitat", "s3cret-pass"))
    with pytest.raises(SigningError):
        identities.load_pkcs12(p12, "wrong")
    ident = identities.load_pkcs12(p12, "s3cret-pass")
    assert (ident.name, ident.title, ident.entity) == ("Ana García", "Directora", "ONU-Hábitat")
    make_ready(workspace, 2026, "Ana García")
    letter = model.ensure(workspace, 2026, "es")
    data, record = service.sign(workspace, letter, ident)
    result = service.verify(workspace, data)
    assert result.ok and not result.trusted and result.signatures[0].signer == "Ana García"
    assert record["signer"] == "Ana García"


def test_not_a_pdf_and_unsigned_pdf(tmp_path: Path) -> None:
    assert not verify_pdf(b"hello").readable
    from desktop.pdf import Document

    doc = Document("en", title="x")
    doc.paragraph("x")
    result = verify_pdf(doc.build())
    assert result.readable and not result.signed and not result.ok


def test_certificate_issued_by_an_entity_ca_is_trusted_through_the_ca(tmp_path: Path) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from desktop.pdf import Document
    from desktop.signing.pades import sign_pdf

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Entity signing CA")])
    now = dt.datetime.now(dt.UTC)
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(key, hashes.SHA256()))
    p12 = tmp_path / "issued.p12"
    p12.write_bytes(identities.make_pkcs12("Li Wei", "Director", "UN-Habitat", "pw", issuer=(ca, key)))
    ident = identities.load_pkcs12(p12, "pw")
    doc = Document("zh", title="签名")
    doc.paragraph("测试")
    box = doc.reserve("signature", 120, 50)
    signed = sign_pdf(doc.build(), ident, page=box.page, box=box.box)
    assert verify_pdf(signed).ok and not verify_pdf(signed).trusted
    assert verify_pdf(signed, [ca.public_bytes(serialization.Encoding.DER)]).trusted
    assert "Signature is Valid." in _pdfsig(signed, tmp_path)
