"""Signing identities: a PKCS#12 file the entity issued, or one the application creates and keeps
inside the encrypted workspace (never on disk in clear: the key lives in the SQLCipher file only).

A workspace identity is a self-signed certificate naming the signatory (CN), their title (title),
the entity (O) and the office (OU). It is added to the workspace's trusted certificates at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.signing import trust
from desktop.signing.errors import SigningError
from i18n import N_

if TYPE_CHECKING:
    from storage import Workspace

VALID_YEARS = 5



@dataclass(frozen=True)
class Identity:
    """Key and certificate ready for pyHanko, and what the signature block says."""

    signer: signers.SimpleSigner
    name: str
    title: str
    entity: str
    cert_der: bytes
    source: str  # 'workspace' | 'pkcs12'

    @property
    def cert_sha256(self) -> str:
        return hashlib.sha256(self.cert_der).hexdigest()


def _signer(cert_der: bytes, key_der: bytes, chain: list[bytes] = ()) -> signers.SimpleSigner:  # type: ignore[assignment]
    cert = asn1_x509.Certificate.load(cert_der)
    key = asn1_keys.PrivateKeyInfo.load(key_der)
    store = SimpleCertificateStore()
    store.register_multiple([asn1_x509.Certificate.load(c) for c in chain])
    return signers.SimpleSigner(signing_cert=cert, signing_key=key, cert_registry=store)


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    found = name.get_attributes_for_oid(oid)
    return str(found[0].value) if found else ""


# ---- the workspace identity --------------------------------------------------------------------
def create_workspace_identity(ws: Workspace, name: str, title: str, entity: str | None = None) -> Identity:
    """Make a key pair and a self-signed certificate, store both in the workspace, trust it."""
    name, title = (name or "").strip(), (title or "").strip()
    entity = (entity or ws.entity or "").strip()
    if not name:
        raise SigningError(N_("The signatory's name is needed for a signing identity."))
    if len(name) > 64 or len(title) > 64 or len(entity) > 64:
        raise SigningError(N_("Name, title and entity must each be at most 64 characters."))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    if entity:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, entity))
    if ws.office:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ws.office[:64]))
    subject = x509.Name(attrs)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    ident_id = uuid.uuid4().hex
    with ws.transaction() as conn:
        conn.execute("INSERT INTO signing_identity (id, name, title, entity, cert_der, key_der, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (ident_id, name, title, entity, cert_der, key_der, now.isoformat(timespec="seconds")))
        ws.audit.append(ws.actor, "identity-created", "signing_identity", ident_id, None, None)
        trust.add(ws, cert_der, source="workspace-identity")
    return Identity(_signer(cert_der, key_der), name, title, entity, cert_der, "workspace")


def workspace_identity(ws: Workspace) -> Identity | None:
    """The newest identity of this workspace, or None."""
    row = ws.connection.execute(
        "SELECT name, title, entity, cert_der, key_der FROM signing_identity ORDER BY created_at DESC, rowid DESC"
        " LIMIT 1").fetchone()
    if row is None:
        return None
    name, title, entity, cert_der, key_der = row
    return Identity(_signer(bytes(cert_der), bytes(key_der)), name, title, entity, bytes(cert_der), "workspace")


def describe_workspace_identity(ws: Workspace) -> dict[str, str] | None:
    row = ws.connection.execute(
        "SELECT name, title, entity, cert_der, created_at FROM signing_identity ORDER BY created_at DESC, rowid DESC"
        " LIMIT 1").fetchone()
    if row is None:
        return None
    return {"name": row[0], "title": row[1], "entity": row[2],
            "sha256": hashlib.sha256(bytes(row[3])).hexdigest(), "created_at": row[4]}


# ---- a PKCS#12 file ------------------------------------------------------------------------------
def load_pkcs12(path: Path | str, password: str | bytes | None) -> Identity:
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise SigningError(N_("Cannot read the certificate file {file}."), file=path.name) from None
    pw = password.encode() if isinstance(password, str) else password
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, pw or None)
    except ValueError:
        raise SigningError(N_("The certificate file could not be opened: wrong password or not a PKCS#12 file.")) from None
    if key is None or cert is None:
        raise SigningError(N_("The certificate file holds no private key and certificate."))
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    chain = [c.public_bytes(serialization.Encoding.DER) for c in (extra or [])]
    name = _attr(cert.subject, NameOID.COMMON_NAME)
    title = _attr(cert.subject, NameOID.TITLE)
    entity = _attr(cert.subject, NameOID.ORGANIZATION_NAME)
    now = dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(N_("The certificate expired on {date}."), date=cert.not_valid_after_utc.date().isoformat())
    return Identity(_signer(cert_der, key_der, chain), name, title, entity, cert_der, "pkcs12")


def make_pkcs12(name: str, title: str, entity: str, password: str, *, issuer: tuple | None = None) -> bytes:
    """A PKCS#12 file (for tests, demos and entities without their own CA). `issuer` = (cert, key)
    of a CA to sign with; otherwise self-signed."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.TITLE, title),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, entity)])
    ca_cert, ca_key = issuer if issuer else (None, key)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(ca_cert.subject if ca_cert else subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca_cert] if ca_cert else None,
        serialization.BestAvailableEncryption(password.encode()))
