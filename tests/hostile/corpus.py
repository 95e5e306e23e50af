"""The hostile corpus, made by code at test time: each function writes one hostile input into a folder.

Bundles are real bundles (signed, encrypted to the coordinator's recipient key, or to a passphrase),
built with the real encoder around content an attacker chose; workbooks are real ZIP files; PDFs are
real letters signed with pyHanko and then damaged or forged. Nothing here is a stand-in: the command
line reads these files exactly as it would read a file from a mailbox or a USB stick.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import time
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.exchange import bundle, content
from storage.records import OFFICE

MB = 1024 * 1024


@dataclass
class Context:
    """What the corpus needs to know about the workspaces it attacks."""

    coordinator_office: str            # the coordinator's own office code
    coordinator_key: bytes             # its X25519 recipient key (bundles to it need no passphrase)
    known_office: str                  # an office whose bundle the coordinator already merged
    known_key: Ed25519PrivateKey       # that office's signing key (as a thief of one office's key would hold)
    good_bundle: Path                  # that office's genuine bundle
    genuine_pdf: Path                  # a letter signed by the office's head, trusted in the office's workspace
    forged_pdf: Path                   # the same name on a self-made certificate
    countersigned_pdf: Path            # the genuine letter with a second signature added
    countersigner_cert: Path           # the countersigner's certificate (PEM), trusted with --trusted


def _rev(n: int, device: str) -> str:
    return f"{int(time.time() * 1000) - 10_000_000 + n:013d}-00000-{device}"


def _office_row(office: str, n: int, device: str, name: str | None = None) -> list[Any]:
    return [str(uuid.UUID(int=n + 1)), office, _rev(n, device), None, 0, f"{office}-{n}", name or f"Place {n}", "KE",
            None]


def write_bundle(path: Path, office: str, rows: list[Any] | Any, *, key: Ed25519PrivateKey | None = None,
                 recipient: bytes | None = None, passphrase: str | None = None, counts: dict | None = None,
                 legacy: bytes | None = None) -> Path:
    """A bundle of `office` holding `rows` of the office kind (an iterable is streamed into the content)."""
    if legacy is not None:
        packed, digest, size = zlib.compress(legacy, 9), hashlib.sha256(legacy).hexdigest(), len(legacy)
        n = 0
    else:
        writer = content.Writer()
        writer.line({"kinds": {"office": list(OFFICE.columns)}})
        n = 0
        for row in rows:
            writer.line(["r", "office", row])
            n += 1
        packed, digest, size = writer.finish()
    manifest = {"format": bundle.FORMAT, "office": office, "entity": "UN-Habitat", "workspace_id": uuid.uuid4().hex,
                "exported_at": "2026-11-01T00:00:00.000+00:00", "period": None, "since": None,
                "counts": counts if counts is not None else {"office": {"current": n, "history": 0}},
                "files": {"count": 0, "bytes": 0}, "content_digest": digest, "content_size": size}
    payload = bundle.sign_packed(manifest, packed, key or Ed25519PrivateKey.generate())
    path.write_bytes(bundle.seal(payload, passphrase, recipient))
    return path


# ---- bundles ------------------------------------------------------------------------------------------
def bundle_inflated_line(folder: Path, ctx: Context) -> Path:
    """A 90 MB name in one row: the content inflates from a few hundred KB to 90 MB (finding 4)."""
    return write_bundle(folder / "inflated.pdbundle", "EVIL-1", [_office_row("EVIL-1", 0, "e" * 32, "A" * (90 * MB))],
                        recipient=ctx.coordinator_key)


def bundle_inflated_legacy(folder: Path, ctx: Context) -> Path:
    """The same attack in the earlier format (one JSON object, parsed whole): 90 MB of it."""
    data = b'{"kinds": {}, "history": {}, "pad": "' + b" " * (90 * MB) + b'"}'
    return write_bundle(folder / "legacy.pdbundle", "EVIL-2", [], legacy=data, counts={},
                        recipient=ctx.coordinator_key)


def bundle_too_many_rows(folder: Path, ctx: Context) -> Path:
    """More rows declared than any office holds: refused from the signed manifest before unpacking."""
    return write_bundle(folder / "many.pdbundle", "EVIL-3", [_office_row("EVIL-3", 0, "f" * 32)],
                        counts={"office": {"current": 2_000_001, "history": 0}}, recipient=ctx.coordinator_key)


def bundle_million_tiny_rows(folder: Path, ctx: Context) -> Path:
    """A million tiny rows (finding 4: 1.4 GB before), the very last one another office's."""
    def rows() -> Any:
        for n in range(1_000_000):
            yield [f"r{n}", "EVIL-4", _rev(n, "a" * 8), None, 0, "", "", "", None]
        yield ["last", "OTHER", _rev(0, "a" * 8), None, 0, "", "", "", None]
    return write_bundle(folder / "tiny.pdbundle", "EVIL-4", rows(), recipient=ctx.coordinator_key)


def bundle_own_office(folder: Path, ctx: Context) -> Path:
    """A bundle claiming the coordinator's own office code (finding 1)."""
    return write_bundle(folder / "own.pdbundle", ctx.coordinator_office,
                        [_office_row(ctx.coordinator_office, 0, "c" * 32, "Renamed")], recipient=ctx.coordinator_key)


def bundle_key_of_another_office(folder: Path, ctx: Context) -> Path:
    """A second office signed with a known office's key (finding 2)."""
    return write_bundle(folder / "twokeys.pdbundle", "UGA-KLA", [_office_row("UGA-KLA", 0, "d" * 32)],
                        key=ctx.known_key, recipient=ctx.coordinator_key)


def bundle_overlong_name(folder: Path, ctx: Context) -> Path:
    """A 20,001-character name (finding 8: text from bundles passes the same rules as any text)."""
    return write_bundle(folder / "long.pdbundle", "EVIL-5", [_office_row("EVIL-5", 0, "b" * 32, "N" * 20_001)],
                        recipient=ctx.coordinator_key)


def bundle_wrong_passphrase(folder: Path, ctx: Context) -> Path:
    """A passphrase bundle at the real cost (scrypt N=2^18, 256 MiB) opened with the wrong passphrase."""
    lowered = dict(bundle.SCRYPT)
    bundle.SCRYPT.update(bundle.PASSPHRASE_COST)
    try:
        return write_bundle(folder / "passphrase.pdbundle", "EVIL-6", [_office_row("EVIL-6", 0, "9" * 32)],
                            passphrase="the right bundle passphrase")
    finally:
        bundle.SCRYPT.update(lowered)


def _flip(data: bytes, at: float) -> bytes:
    raw = bytearray(data)
    pos = int(len(raw) * at)
    raw[pos] ^= 0x5A
    return bytes(raw)


def bundle_flipped(at: float):  # noqa: ANN201 - a generator of one case per position
    def make(folder: Path, ctx: Context) -> Path:
        path = folder / f"flipped-{at}.pdbundle"
        path.write_bytes(_flip(ctx.good_bundle.read_bytes(), at))
        return path
    make.__name__ = f"bundle_flipped_{int(at * 100)}"
    return make


def bundle_truncated(folder: Path, ctx: Context) -> Path:
    data = ctx.good_bundle.read_bytes()
    path = folder / "cut.pdbundle"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


# ---- workbooks ----------------------------------------------------------------------------------------
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
       'sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')
_SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
          '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
          '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>')
_STRINGS = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main" count="4" uniqueCount="4"><si><t>Name</t></si><si><t>Index number</t></si>'
            '<si><t>{name}</t></si><si><t>X-1</t></si></sst>')


def _workbook(path: Path, *, sheet: str = _SHEET, strings: str = _STRINGS.format(name="Hélène Martin"),
              big_part: str | None = None, big_size: int = 0, filler: bytes = b"A") -> Path:
    """A small roster workbook; `big_part` is written instead as `big_size` bytes of `filler` inside it,
    streamed (the test process never holds it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        parts = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings}
        for name, text in parts.items():
            if name != big_part:
                z.writestr(name, text)
                continue
            head, tail = text.split("{fill}")
            with z.open(name, "w", force_zip64=True) as fh:
                fh.write(head.encode())
                block = filler * MB
                for _ in range(big_size // MB):
                    fh.write(block)
                fh.write(tail.encode())
    return path


def xlsx_shared_string_bomb(folder: Path, ctx: Context) -> Path:
    """One shared string of 400 MB in a file of about 400 KB (finding 5)."""
    strings = _STRINGS.format(name="{fill}")
    return _workbook(folder / "strings.xlsx", strings=strings, big_part="xl/sharedStrings.xml", big_size=400 * MB)


def xlsx_whitespace_sheet(folder: Path, ctx: Context) -> Path:
    """A sheet padded with 300 MB of whitespace between its rows (finding 5)."""
    sheet = _SHEET.replace("</row><row", "</row>{fill}<row")
    return _workbook(folder / "spaces.xlsx", sheet=sheet, big_part="xl/worksheets/sheet1.xml", big_size=300 * MB,
                     filler=b" ")


def xlsx_lying_sizes(folder: Path, ctx: Context) -> Path:
    """A workbook whose shared strings say, in the ZIP directory, they are 40 bytes: they are not."""
    path = _workbook(folder / "lying.xlsx", strings=_STRINGS.format(name="Lying " * 2000))
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    at = data.rfind(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + name_len] == name:
            data[at + 24:at + 28] = struct.pack("<I", 40)      # uncompressed size in the central directory
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    path.write_bytes(bytes(data))
    return path


# ---- rosters in text ------------------------------------------------------------------------------------
def csv_mixed_encodings_early(folder: Path, ctx: Context) -> Path:
    """UTF-8 with one stray Windows-1252 byte near the top (finding 7): the names already in the
    workspace ("Hélène Martin") must not come back as mojibake."""
    text = "Name,Index number,Category\nHélène Martin,X-1,staff\n".encode() + b"Ren\xe9 Caf\xe9,X-2,staff\n"
    path = folder / "mixed-early.csv"
    path.write_bytes(text)
    return path


def csv_mixed_encodings_late(folder: Path, ctx: Context) -> Path:
    """The stray byte after the first 64 KB."""
    lines = ["Name,Index number,Category", "Hélène Martin,X-1,staff"]
    lines += [f"Person {n},P-{n},staff" for n in range(4000)]
    path = folder / "mixed-late.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"Ren\xe9,X-9,staff\n")
    return path


# ---- PDFs -----------------------------------------------------------------------------------------------
def pdf_genuine(folder: Path, ctx: Context) -> Path:
    return ctx.genuine_pdf


def pdf_forged(folder: Path, ctx: Context) -> Path:
    return ctx.forged_pdf


def pdf_countersigned(folder: Path, ctx: Context) -> Path:
    return ctx.countersigned_pdf


def pdf_flipped_signature(at: float):  # noqa: ANN201
    """A byte flipped inside the signature value (finding 3: tracebacks 5 times out of 6)."""
    def make(folder: Path, ctx: Context) -> Path:
        data = ctx.genuine_pdf.read_bytes()
        start = data.index(b"/Contents <") + len(b"/Contents <")
        end = data.index(b">", start)
        used = data[start:end].rstrip(b"0")
        pos = start + int(len(used) * at)
        flipped = data[:pos] + (b"0" if data[pos:pos + 1] != b"0" else b"f") + data[pos + 1:]
        path = folder / f"sigflip-{at}.pdf"
        path.write_bytes(flipped)
        return path
    make.__name__ = f"pdf_flipped_signature_{int(at * 100)}"
    return make


def pdf_truncated(folder: Path, ctx: Context) -> Path:
    data = ctx.genuine_pdf.read_bytes()
    path = folder / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def legacy_json(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def pem_of(der: bytes) -> bytes:
    import base64

    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def countersign(data: bytes, ident: Any) -> bytes:
    """Add a second signature in an incremental update, as a countersigning official would."""
    from desktop.signing.pades import sign_pdf

    return sign_pdf(data, ident, page=1, box=(40, 40, 200, 80), field_name="Countersignature")


__all__ = ["MB", "Context", "countersign", "io", "pem_of", "write_bundle"]
