"""Verifying the signatures of any PDF: signer, certificate, signing time, coverage, intact or
altered, trusted or not.

"Intact" here means what a head of entity means: the bytes signed are unchanged AND nothing was
added after signing, except further signatures (a countersignature). A flipped byte breaks the digest
(pyHanko: not intact); an incremental update after the signature leaves the signed revision intact but
the signature no longer covers the whole file: altered — unless pyHanko's difference analysis finds that
the later revisions only add signatures (modification level "form filling" or less) and the last
signature, covering the whole file, is itself intact.

Trust is separate: a signature can be intact and untrusted. A certificate is trusted only when it is
one the user or the entity trusted (the workspace's list, a list file given to `verify --trusted`) or
one an office introduced through its signed bundles — never because of the name it carries.
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
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from desktop.signing.names import readable_native

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
    countersigned: bool = False  # later revisions add only further signatures
    trust_source: str = ""       # why trusted: "own", "verified-pdf", "bundle:<office>", "file" (set by the caller)


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

    @property
    def verdict(self) -> str:
        """trusted | untrusted (intact, not from a trusted signer) | altered | unsigned | unreadable."""
        if not self.readable:
            return "unreadable"
        if not self.signed:
            return "unsigned"
        if not self.ok:
            return "altered"
        return "trusted" if self.trusted else "untrusted"

    def as_dict(self) -> dict:
        return {"readable": self.readable, "signed": self.signed, "intact": self.ok, "trusted": self.trusted,
                "verdict": self.verdict, "problem": self.problem,
                "signatures": [asdict(s) for s in self.signatures]}


def _name_attr(name: asn1_x509.Name, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except Exception:  # noqa: BLE001 - odd encodings in foreign certificates
        return ""


def verify_pdf(data: bytes, trusted_certs: list[bytes] | None = None) -> VerificationResult:
    """Every signature of `data`, checked; never raises (a mangled file or signature is a finding)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - anything unreadable is "not a readable PDF"
        return VerificationResult(False, problem=type(exc).__name__)
    roots = []
    for der in trusted_certs or []:
        try:
            roots.append(asn1_x509.Certificate.load(der))
        except Exception:  # noqa: BLE001 - a damaged entry of a trust list trusts nothing
            log.info("a trusted certificate could not be read")
    reports = [_one(sig, roots) for sig in embedded]
    _countersignatures(reports)
    return VerificationResult(True, reports)


def _countersignatures(reports: list[SignatureReport]) -> None:
    """An earlier signature whose later revisions only add signatures is intact when the last
    signature (the one covering the whole file) is intact."""
    if not reports or reports[-1].state != INTACT:
        return
    for report in reports[:-1]:
        if report.state == ALTERED and report.intact and report.problem.startswith("signatures added"):
            report.state, report.altered, report.countersigned, report.problem = INTACT, False, True, ""
            report.trusted = report.trusted_if_intact  # type: ignore[attr-defined]


def _describe_cert(sig) -> dict:  # noqa: ANN001 - EmbeddedPdfSignature
    """The certificate's fields; a certificate that cannot be read gives empty fields, not a crash."""
    try:
        cert = sig.signer_cert
        der = cert.dump() if cert is not None else b""
        return dict(
            signer=_name_attr(cert.subject, "common_name") if cert is not None else "",
            subject=readable_native(cert.subject.native) if cert is not None else "",
            issuer=readable_native(cert.issuer.native) if cert is not None else "",
            serial=format(cert.serial_number, "x") if cert is not None else "",
            cert_sha256=hashlib.sha256(der).hexdigest() if der else "",
            not_before=cert.not_valid_before.isoformat() if cert is not None else "",
            not_after=cert.not_valid_after.isoformat() if cert is not None else "",
        )
    except Exception as exc:  # noqa: BLE001 - flipped bytes inside the signature value
        log.info("signer certificate unreadable: %s", type(exc).__name__)
        return dict(signer="", subject="", issuer="", serial="", cert_sha256="", not_before="", not_after="")


def _one(sig, roots: list[asn1_x509.Certificate]) -> SignatureReport:  # noqa: ANN001 - EmbeddedPdfSignature
    base = dict(field=str(getattr(sig, "field_name", "") or ""), **_describe_cert(sig))
    try:
        signing_time = sig.self_reported_timestamp
        base["signing_time"] = signing_time.astimezone(dt.UTC).isoformat() if signing_time else None
    except Exception:  # noqa: BLE001
        base["signing_time"] = None
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
    level = status.modification_level
    problem = ""
    if not intact:
        problem = "digest mismatch" if not status.intact else "invalid signature value"
    elif not whole:
        only_signatures = (coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is not False
                           and level is not None and level <= ModificationLevel.FORM_FILLING)
        problem = ("signatures added after signing" if only_signatures
                   else f"content added after signing ({level.name if level else 'unknown'})")
    state = INTACT if intact and whole else (BROKEN if not status.valid else ALTERED)
    report = SignatureReport(**base, covers_whole_file=whole, coverage=coverage.name, intact=intact,
                             altered=state != INTACT, trusted=bool(status.trusted) and state == INTACT,
                             state=state, problem=problem)
    report.trusted_if_intact = bool(status.trusted)  # type: ignore[attr-defined]
    return report
