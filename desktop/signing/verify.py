"""Verifying the signatures of any PDF: signer, certificate, signing time, coverage, intact or
altered, trusted or not.

"Intact" here means what a head of entity means: the bytes signed are unchanged AND nothing was
added after signing. A flipped byte breaks the digest (pyHanko: not intact); an incremental update
after the signature leaves the signed revision intact but the signature no longer covers the whole
file: both are reported as altered. Trust is separate: a signature can be intact and untrusted
(the certificate is not in the workspace's trusted list).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import asdict, dataclass, field

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)
# pyHanko logs every untrusted or altered signature as a warning with a traceback and the signer's
# name; verification reports those itself, and names do not belong in logs.
for _noisy in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)

INTACT, ALTERED, BROKEN = "intact", "altered", "broken"


@dataclass
class SignatureReport:
    field: str
    signer: str                  # common name of the signing certificate
    subject: str                 # full subject (RFC 4514)
    issuer: str
    serial: str
    cert_sha256: str
    not_before: str
    not_after: str
    signing_time: str | None     # ISO 8601 UTC, as the signer's machine reported it
    covers_whole_file: bool
    coverage: str                # pyHanko's coverage level name
    intact: bool                 # signed bytes unchanged (digest) and signature valid
    altered: bool                # not intact, or content added after signing
    trusted: bool
    state: str                   # intact | altered | broken
    problem: str = ""            # short English technical detail (not shown as a sentence to users)


@dataclass
class VerificationResult:
    readable: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    problem: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        """Every signature intact and covering the whole document (exit code 0)."""
        return self.readable and self.signed and all(s.state == INTACT for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.ok and all(s.trusted for s in self.signatures)

    def as_dict(self) -> dict:
        return {"readable": self.readable, "signed": self.signed, "intact": self.ok, "trusted": self.trusted,
                "problem": self.problem, "signatures": [asdict(s) for s in self.signatures]}


def _name_attr(name: asn1_x509.Name, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except Exception:  # noqa: BLE001 - odd encodings in foreign certificates
        return ""


def verify_pdf(data: bytes, trusted_certs: list[bytes] | None = None) -> VerificationResult:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - anything unreadable is "not a readable PDF"
        return VerificationResult(False, problem=type(exc).__name__)
    roots = [asn1_x509.Certificate.load(d) for d in (trusted_certs or [])]
    reports = []
    for sig in embedded:
        reports.append(_one(sig, roots))
    return VerificationResult(True, reports)


def _one(sig, roots: list[asn1_x509.Certificate]) -> SignatureReport:  # noqa: ANN001 - EmbeddedPdfSignature
    cert = sig.signer_cert
    der = cert.dump() if cert is not None else b""
    subject = cert.subject.human_friendly if cert is not None else ""
    base = dict(
        field=str(sig.field_name or ""),
        signer=_name_attr(cert.subject, "common_name") if cert is not None else "",
        subject=subject.replace("\n", ", "),
        issuer=cert.issuer.human_friendly.replace("\n", ", ") if cert is not None else "",
        serial=format(cert.serial_number, "x") if cert is not None else "",
        cert_sha256=hashlib.sha256(der).hexdigest() if der else "",
        not_before=cert.not_valid_before.isoformat() if cert is not None else "",
        not_after=cert.not_valid_after.isoformat() if cert is not None else "",
    )
    signing_time = sig.self_reported_timestamp
    base["signing_time"] = signing_time.astimezone(dt.UTC).isoformat() if signing_time else None
    try:
        ctx = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, ctx)
    except Exception as exc:  # noqa: BLE001 - a mangled signature is a broken one, not a crash
        log.info("signature validation failed: %s", type(exc).__name__)
        return SignatureReport(**base, covers_whole_file=False, coverage="UNCLEAR", intact=False, altered=True,
                               trusted=False, state=BROKEN, problem=type(exc).__name__)
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid)
    problem = ""
    if not intact:
        problem = "digest mismatch" if not status.intact else "invalid signature value"
    elif not whole:
        problem = f"content added after signing ({status.modification_level.name if status.modification_level else 'unknown'})"
    state = INTACT if intact and whole else (BROKEN if not status.valid else ALTERED)
    return SignatureReport(**base, covers_whole_file=whole, coverage=coverage.name, intact=intact,
                           altered=state != INTACT, trusted=bool(status.trusted) and state == INTACT,
                           state=state, problem=problem)
