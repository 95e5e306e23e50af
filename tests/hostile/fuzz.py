"""Mutation fuzzing of the three readers that take files from outside: the bundle reader, the roster
reader and `verify`. Bounded by time; each mutant must end in the reader's own clear error (BundleError,
ImportProblem, a VerifyResult that says "unreadable" or "altered") or be accepted as well-formed: any other
exception is a finding.

Run it for a few minutes:   .venv/bin/python -m tests.hostile.fuzz --seconds 180
The suite runs it for a few seconds per reader (tests/hostile/test_fuzz.py). Mutations are atheris-like,
on bytes: flip a bit, set a byte to a boundary value, delete / duplicate / insert a span, truncate,
splice two seeds. Bundle mutants are signed again after the mutation (a mutated ciphertext only ever
meets AES-GCM's tag check), so the content reader itself is exercised: lines, JSON, rows, counts, files.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_BOUNDARY = (0x00, 0x01, 0x7F, 0x80, 0xFF, ord("\n"), ord('"'), ord("["), ord("{"), ord(","), ord("\\"), ord(">"))


def mutate(data: bytes, rng: random.Random, seeds: list[bytes]) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        if not raw:
            raw = bytearray(rng.choice(seeds)[:64])
        how = rng.randrange(7)
        pos = rng.randrange(len(raw))
        if how == 0:
            raw[pos] ^= 1 << rng.randrange(8)
        elif how == 1:
            raw[pos] = rng.choice(_BOUNDARY)
        elif how == 2:
            del raw[pos:pos + rng.randint(1, 64)]
        elif how == 3:
            span = raw[pos:pos + rng.randint(1, 256)]
            raw[pos:pos] = span * rng.randint(1, 4)
        elif how == 4:
            raw[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif how == 5:
            del raw[pos:]
        else:
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) or 1)
            raw = raw[:pos] + bytearray(other[cut:cut + rng.randint(1, 512)]) + raw[pos:]
    return bytes(raw)


@dataclass
class Report:
    reader: str
    runs: int = 0
    accepted: int = 0
    refused: int = 0
    findings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.reader}: {self.runs} mutants, {self.accepted} accepted as well-formed, {self.refused} refused "
                f"with a clear error, {len(self.findings)} finding(s)")


def _run(reader: str, seeds: list[bytes], check: Callable[[bytes], bool], seconds: float, seed: int) -> Report:
    rng = random.Random(seed)
    report = Report(reader)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mutant = mutate(rng.choice(seeds), rng, seeds)
        report.runs += 1
        try:
            if check(mutant):
                report.accepted += 1
            else:
                report.refused += 1
        except Exception as exc:  # noqa: BLE001 - the point: anything else is a finding
            report.findings.append(f"{type(exc).__name__}: {exc} (mutant sha256 {hashlib.sha256(mutant).hexdigest()[:16]})\n"
                                   + "".join(traceback.format_exception(exc)[-3:]))
            if len(report.findings) >= 20:
                break
    return report


# ---- the bundle reader --------------------------------------------------------------------------------
def bundle_seeds() -> list[bytes]:
    """Contents of real bundles: an office's own (every kind) and one of the earlier format."""
    from desktop.exchange import content
    from storage.records import OFFICE

    writer = content.Writer()
    writer.line({"kinds": {"office": list(OFFICE.columns)}})
    writer.line(["h", "office", ["a", "1700000000000-00000-ab", None, "FZ", 0,
                                 {"code": "FZ", "name": "Old", "country": "KE", "names": None}, "edited"]])
    for n in range(5):
        writer.line(["r", "office", [f"id{n}", "FZ", f"17000000{n:05d}-00000-ab", None, n % 2, f"C{n}", "Nairobi ☂",
                                     "KE", None]])
    packed, _digest, _size = writer.finish()
    legacy = json.dumps({"kinds": {"office": {"columns": list(OFFICE.columns),
                                              "rows": [["x", "FZ", "1700000000000-00000-ab", None, 0, "C", "N", "", None]]}},
                         "history": {}}).encode()
    return [zlib.decompress(packed), legacy]


def check_bundle(data: bytes) -> bool:
    """The content reader on `data`, as a signer could have written it (signature and digest valid)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop.exchange import bundle
    from desktop.exchange.errors import BundleError
    from desktop.exchange.reader import parse_content

    counts = {"office": {"current": data.count(b'["r"'), "history": data.count(b'["h"')}}
    manifest = {"format": 2, "office": "FZ", "entity": "E", "workspace_id": "w", "exported_at": "t", "counts": counts,
                "content_digest": hashlib.sha256(data).hexdigest(), "content_size": len(data)}
    payload = bundle.sign_payload(manifest, data, Ed25519PrivateKey.generate())
    try:
        opened = bundle.open_payload(payload, "0" * 64)
        parsed = parse_content(opened)
    except BundleError:
        return False
    for rows in parsed.current.values():          # accepted: proper records only
        for row in rows:
            assert isinstance(row["id"], str) and row["office"] == "FZ" and row["deleted"] in (0, 1)
    return True


# ---- the roster reader ----------------------------------------------------------------------------------
def roster_seeds() -> list[bytes]:
    csv_text = ("Name,Index number,Category,Course,Completed\nHélène Martin,X-1,staff,PSEA,2025-03-01\n"
                "محمد عبد الله,X-2,consultant,PSEA,01/02/2025\n王芳,X-3,intern,,\n").encode()
    book = io.BytesIO()
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    for row in csv_text.decode().splitlines():
        sheet.append(row.split(","))
    wb.save(book)
    return [csv_text, b"\xef\xbb\xbf" + csv_text, csv_text.decode().encode("utf-16"), book.getvalue()]


def check_roster(data: bytes) -> bool:
    from desktop.roster.importer import ImportProblem, analyse

    with tempfile.TemporaryDirectory() as folder:
        suffix = ".xlsx" if data[:2] == b"PK" else ".csv"
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(data)
        try:
            analyse(path)
        except ImportProblem:
            return False
    return True


# ---- verify ---------------------------------------------------------------------------------------------
def pdf_seeds() -> list[bytes]:
    from desktop.pdf import Document
    from desktop.signing import identity as identities
    from desktop.signing.pades import sign_pdf

    with tempfile.TemporaryDirectory() as folder:
        p12 = Path(folder) / "s.p12"
        p12.write_bytes(identities.make_pkcs12("Fuzz Signer", "Head", "UN", "pw"))
        ident = identities.load_pkcs12(p12, "pw")
    doc = Document("en", title="Fuzz")
    doc.paragraph("A signed page.")
    box = doc.reserve("signature", 120, 40)
    return [sign_pdf(doc.build(), ident, page=box.page, box=box.box)]


def check_verify(data: bytes) -> bool:
    from desktop.signing.verify import verify_pdf

    result = verify_pdf(data)
    json.dumps(result.as_dict())   # always a JSON answer
    return bool(result.ok)


READERS = {"bundle": (bundle_seeds, check_bundle), "roster": (roster_seeds, check_roster),
           "verify": (pdf_seeds, check_verify)}


def fuzz(seconds_each: float, seed: int = 2026) -> list[Report]:
    return [_run(name, seeds(), check, seconds_each, seed) for name, (seeds, check) in READERS.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="per reader")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    reports = fuzz(args.seconds, args.seed)
    for report in reports:
        print(report.line())
        for finding in report.findings:
            print("  " + finding.replace("\n", "\n  "))
    return 1 if any(r.findings for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
