"""PAdES baseline B-B signatures with pyHanko, offline (no timestamp server, no revocation fetching).

The visible part of the signature (name, title, entity, time, in the document's language) is drawn
into the page by the PDF engine; the signature field's widget is placed exactly over that box with an
empty appearance, so every viewer shows the signature there and the text is right in every script.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.stamp import StaticStampStyle

from desktop.signing.identity import Identity

FIELD_NAME = "Signature1"


def sign_pdf(data: bytes, identity: Identity, *, page: int, box: tuple[int, int, int, int],
             reason: str = "", location: str = "", field_name: str = FIELD_NAME) -> bytes:
    """Sign `data` (one revision, unsigned) with a visible field on `page` (1-based) at `box`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=identity.name or None,
        use_pades_lta=False,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=identity.signer,
        stamp_style=StaticStampStyle(border_width=0, background=None),
        new_field_spec=SigFieldSpec(sig_field_name=field_name, on_page=page - 1, box=box),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()
