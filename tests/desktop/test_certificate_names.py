"""Certificate names as a person reads them (desktop/signing/names.py): values only, no OIDs, no English
labels ("2.5.4.12=Representative" and "Common Name:" were shown before)."""

from __future__ import annotations

import datetime as dt

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop.signing import trust
from desktop.signing.names import readable_native, readable_subject
from storage import Workspace


def _certificate() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UNICEF"),
                      x509.NameAttribute(NameOID.TITLE, "Representative"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Amina Diallo")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def test_names_read_as_values_in_order(workspace: Workspace) -> None:
    der = _certificate()
    assert readable_subject(der) == "Amina Diallo, Representative, UNICEF, KE"
    assert readable_native(asn1_x509.Certificate.load(der).subject.native) == "Amina Diallo, Representative, UNICEF, KE"
    trust.add(workspace, der)
    [row] = trust.trusted(workspace)
    assert row["name"] == "Amina Diallo, Representative, UNICEF, KE" and "2.5.4.12" not in row["name"]
