"""What the window and the command line do with letters: preview, sign (and freeze), verify."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import i18n
from desktop.letter import compose, gate, model, render
from desktop.letter.model import LetterError
from desktop.signing import trust
from desktop.signing.identity import Identity
from desktop.signing.pades import sign_pdf
from desktop.signing.verify import INTACT, VerificationResult, verify_pdf
from i18n import N_, _, formatting

if TYPE_CHECKING:
    from storage import Workspace


def preview(ws: Workspace, letter: dict[str, Any]) -> bytes:
    """The letter as it would be signed now (figures from today's data), marked as not signed.
    A signed version previews as its stored PDF."""
    if letter["status"] == model.SIGNED:
        stored = model.signed_pdf(ws, letter["id"])
        if stored:
            return stored
    data, _anchor = render.render(compose.compose(ws, letter))
    return data


class NotReady(LetterError):
    """The gate found problems: nothing was signed. `problems` says what and where to fix each."""

    def __init__(self, problems: list[gate.Problem]) -> None:
        super().__init__(N_("The letter cannot be signed yet. Problems to solve first: {n}."), n=len(problems))
        self.problems = problems


def sign(ws: Workspace, letter: dict[str, Any], identity: Identity, *,
         now: dt.datetime | None = None) -> tuple[bytes, dict[str, Any]]:
    """Compose with fresh figures, check the gate, render with the signature block, sign, and freeze
    the version (with its figures, attestations and names). Raises NotReady with the gate's problems."""
    if letter["status"] == model.SIGNED:
        raise LetterError(N_("This version is already signed; edit it to make a new version."))
    newest = model.current(ws, letter["year"], letter["language"], letter.get("scope"))
    if newest is not None and newest["id"] != letter["id"]:
        raise LetterError(N_("A newer version of this letter exists; edit that one."))
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    figures = compose.gather(ws, int(letter["year"]))
    comp = compose.compose(ws, letter, figures=figures, today=now.date())
    found = gate.problems(ws, letter, comp)
    if found:
        raise NotReady(found)
    written_for = " ".join((comp.values.get("name") or "").split()).casefold()
    if identity.name and written_for and " ".join(identity.name.split()).casefold() != written_for:
        # The letter says "I, <name>, certify": only that person's certificate may sign it.
        raise LetterError(N_("The certificate belongs to {holder}, but the letter is written in the name of {name}. "
                             "Sign with {name}'s certificate, or change the signer's name in the letter's names and "
                             "settings."), holder=identity.name, name=comp.values.get("name"))
    info = render.SignatureInfo(name=comp.values.get("name") or identity.name or "",
                                title=comp.values.get("title") or identity.title or "",
                                entity=comp.entity, signed_at=now)
    data, anchor = render.render(comp, info)
    reason = comp.title + f" ({comp.year})"
    signed = sign_pdf(data, identity, page=anchor.page, box=anchor.box, reason=reason,
                      location=comp.place or comp.office_name)
    record = model.freeze(ws, letter["id"], pdf=signed, figures=figures, signer=info.name,
                          cert_sha256=identity.cert_sha256, signed_at=now.isoformat(),
                          names=compose.frozen_names(comp))
    return signed, record


def verify(ws: Workspace | None, data: bytes, extra_trusted: list[bytes] | None = None) -> VerificationResult:
    """Verify any PDF; trust comes from the workspace's list (none without a workspace) and from
    certificates the entity trusts given as files."""
    result = verify_pdf(data, (trust.trusted_ders(ws) if ws is not None else []) + list(extra_trusted or []))
    sources = {t["sha256"]: t["source"] for t in trust.trusted(ws)} if ws is not None else {}
    for sig in result.signatures:
        if sig.trusted:
            sig.trust_source = sources.get(sig.cert_sha256, "file" if extra_trusted else "chain")
    return result


def trust_signers(ws: Workspace, data: bytes) -> int:
    """Add the certificates of every signature in `data` to the workspace's trusted list."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    added = 0
    for sig in PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures:
        if sig.signer_cert is not None:
            trust.add(ws, sig.signer_cert.dump(), source="verified-pdf")
            added += 1
    return added


VERDICTS = {
    "trusted": N_("Intact, and signed by a trusted signer."),
    "untrusted": N_("Intact, but not from a trusted signer: the document was not changed since it was signed, "
                    "but nothing says who the signer really is. Trust the signer only after checking the "
                    "certificate's fingerprint with them."),
    "altered": N_("Altered or damaged: the document was changed after it was signed, or its signature is broken."),
    "unsigned": N_("This PDF is not signed."),
    "unreadable": N_("This file is not a readable PDF."),
}


def describe(result: VerificationResult) -> list[str]:
    """The verification as translated lines, the verdict first (also used by the window)."""
    lines = [_(VERDICTS[result.verdict])]
    for n, sig in enumerate(result.signatures, start=1):
        lines.append(_("Signature {n}: {signer}").format(n=n, signer=sig.signer or sig.subject or "?"))
        lines.append("  " + _("Certificate: {subject}").format(subject=sig.subject))
        lines.append("  " + _("Issued by: {issuer}").format(issuer=sig.issuer))
        lines.append("  " + _("Certificate SHA-256: {digest}").format(digest=i18n.left_to_right(sig.cert_sha256)))
        lines.append("  " + _("Signing time: {time}").format(time=_when(sig.signing_time) or _("not given")))
        if sig.countersigned:
            lines.append("  " + _("Later signatures were added; nothing else was changed."))
        else:
            lines.append("  " + (_("Covers the whole document.") if sig.covers_whole_file
                                 else _("Does not cover the whole document: content was added after signing.")))
        if sig.state == INTACT:
            lines.append("  " + _("Intact: the document has not been changed since it was signed."))
        elif sig.state == "broken":
            lines.append("  " + _("Broken: the signature cannot be checked."))
        else:
            lines.append("  " + _("Altered: the document was changed after it was signed."))
        if sig.trusted and sig.trust_source.startswith("bundle:"):
            lines.append("  " + _("Trusted: introduced by the signed bundles of the office {office}.").format(
                office=sig.trust_source.split(":", 1)[1]))
        elif sig.trusted:
            lines.append("  " + _("Trusted: the certificate is in a trusted list."))
        else:
            lines.append("  " + _("Not trusted: the certificate is not in a trusted list."))
    return lines


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso).astimezone(dt.UTC).replace(tzinfo=None)
    except ValueError:
        return iso
    return formatting.datetime(moment) + " UTC"
