"""The workspace's trusted certificates: whose signatures this workspace accepts as trusted.

Local to the workspace (not a record, never in a bundle): trust is each office's own decision.
Adding and removing are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from cryptography import x509

from desktop.signing.names import readable_subject

if TYPE_CHECKING:
    from storage import Workspace



def subject_of(der: bytes) -> str:
    try:
        return x509.load_der_x509_certificate(der).subject.rfc4514_string()
    except ValueError:
        return ""


def add(ws: Workspace, der: bytes, *, source: str = "") -> str:
    """Trust a certificate (DER); returns its SHA-256. Adding it again changes nothing."""
    x509.load_der_x509_certificate(der)  # ValueError if it is not a certificate
    digest = hashlib.sha256(der).hexdigest()
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM trusted_certificate WHERE sha256 = ?", (digest,)).fetchone():
            return digest
        conn.execute("INSERT INTO trusted_certificate (sha256, subject, der, source, added_at) VALUES (?, ?, ?, ?, ?)",
                     (digest, subject_of(der), der, source,
                      dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        ws.audit.append(ws.actor, "trust-added", "trusted_certificate", digest, None, None)
    return digest


def remove(ws: Workspace, sha256: str) -> bool:
    with ws.transaction() as conn:
        cur = conn.execute("DELETE FROM trusted_certificate WHERE sha256 = ?", (sha256,))
        if cur.rowcount:
            ws.audit.append(ws.actor, "trust-removed", "trusted_certificate", sha256, None, None)
            return True
    return False


def trusted(ws: Workspace) -> list[dict[str, str]]:
    """The trusted certificates; `name` as a person reads it (signing/names.py), `subject` as stored."""
    return [{"sha256": r[0], "subject": r[1], "name": readable_subject(bytes(r[4])) or r[1], "source": r[2],
             "added_at": r[3]} for r in ws.connection.execute(
        "SELECT sha256, subject, source, added_at, der FROM trusted_certificate ORDER BY added_at")]


def trusted_ders(ws: Workspace) -> list[bytes]:
    return [bytes(r[0]) for r in ws.connection.execute("SELECT der FROM trusted_certificate")]


def read_certificates(data: bytes) -> list[bytes]:
    """DER certificates from a PEM file (one or many) or a DER file; ValueError if there are none."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        certs = x509.load_pem_x509_certificates(data)
    else:
        certs = [x509.load_der_x509_certificate(data)]
    from cryptography.hazmat.primitives.serialization import Encoding

    return [c.public_bytes(Encoding.DER) for c in certs]
