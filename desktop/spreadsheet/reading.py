"""Reading a spreadsheet as a stream of rows: CSV in the encodings HR systems write, or XLSX.

Everything about bytes lives here: the size limits, recognising a workbook (and refusing one that
unpacks to more than it may), detecting the encoding and the delimiter, and refusing a file that
mixes two encodings rather than misreading its names. Nothing here knows about columns, people or partners.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.spreadsheet.problems import ImportProblem
from i18n import _
from i18n.formatting import number

MAX_BYTES = 200 * 1024 * 1024
_SAMPLE = 64 * 1024   # the head of the file that decides its kind, encoding and delimiter


@dataclass
class Source:
    path: Path
    kind: str                 # "csv" | "xlsx"
    encoding: str = ""
    delimiter: str = ""

    def rows(self) -> Iterator[list[Any]]:
        """Every row including the header, as lists; streams the file."""
        if self.kind == "xlsx":
            yield from _xlsx_rows(self.path)
            return
        if self.encoding == "cp1252":
            yield from self._legacy_rows()
            return
        try:
            with self.path.open("r", encoding=self.encoding, newline="") as fh:
                yield from csv.reader(fh, delimiter=self.delimiter)
        except UnicodeDecodeError:
            if self.encoding.startswith("utf-8"):   # its beginning was UTF-8: two encodings mixed
                raise ImportProblem(_mixed_encodings()) from None
            raise ImportProblem(_("The file contains bytes that are not valid text in its encoding ({encoding}). "
                                  "Save it again as CSV UTF-8 and retry.").format(encoding=self.encoding)) from None
        except csv.Error as exc:
            raise ImportProblem(_("The file is not a valid CSV file: {detail}").format(detail=str(exc))) from None


    def _legacy_rows(self) -> Iterator[list[Any]]:
        """A Windows-1252 file, read line by line: a line that holds UTF-8 sequences means the file mixes
        two encodings, and reading it as Windows-1252 would turn "Hélène" into "HÃ©lÃ¨ne" (review
        finding 7): refused, never silently re-read."""
        def lines() -> Iterator[str]:
            with self.path.open("rb") as fh:
                for raw in fh:
                    if _UTF8_SEQUENCE.search(raw):
                        raise ImportProblem(_mixed_encodings())
                    yield raw.decode("cp1252", errors="strict")
        try:
            yield from csv.reader(lines(), delimiter=self.delimiter)
        except UnicodeDecodeError:
            raise ImportProblem(_("The file contains bytes that are not valid text in its encoding ({encoding}). "
                                  "Save it again as CSV UTF-8 and retry.").format(encoding=self.encoding)) from None
        except csv.Error as exc:
            raise ImportProblem(_("The file is not a valid CSV file: {detail}").format(detail=str(exc))) from None


# A valid UTF-8 sequence of two to four bytes: in a file that is not valid UTF-8 as a whole, the sign
# of two encodings mixed (Windows-1252 text almost never holds one: "Ã©" is what mojibake looks like).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mixed_encodings() -> str:
    return _("The file mixes two text encodings: most of it is UTF-8, but some bytes are not (often a file put "
             "together from two sources). Nothing was imported, so that no name is read wrongly. Open it in a "
             "spreadsheet program, save it as CSV UTF-8 and try again.")


# What an XLSX may unpack to, checked on every part before the workbook is read (review finding 5:
# a 1.5 MB file whose shared strings unpack to gigabytes). Python's zipfile never returns more than the
# size a part declares (a part that lies about it ends in a CRC error), so checking the declared
# sizes bounds what openpyxl can be made to read. A roster of 100,000 people is about 40 MB unpacked.
XLSX_MAX_PART = 160 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 64 * 1024 * 1024
XLSX_MAX_TOTAL = 320 * 1024 * 1024
XLSX_MAX_PARTS = 2_000


def _check_unpacked_sizes(parts: list[zipfile.ZipInfo]) -> None:
    total = 0
    for part in parts:
        limit = XLSX_MAX_SHARED_STRINGS if part.filename.lower().endswith("sharedstrings.xml") else XLSX_MAX_PART
        total += part.file_size
        if part.file_size > limit or total > XLSX_MAX_TOTAL or len(parts) > XLSX_MAX_PARTS:
            raise ImportProblem(_("The workbook unpacks to more than PSEA Desk reads in one file ({limit} MB); "
                                  "it may be damaged or made to harm. Nothing was imported. Save the file as "
                                  "CSV UTF-8, or split it, and try again.").format(limit=number(XLSX_MAX_TOTAL // 2**20)))


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise ImportProblem(_("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")) from None
    try:
        if not book.worksheets:   # found by fuzzing (tests/hostile/fuzz.py): a workbook without a sheet
            raise ImportProblem(_("The workbook has no sheet to read."))
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # noqa: BLE001 - a damaged part (CRC, XML) shows only while it is read
                raise ImportProblem(_("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")) from None
            yield ["" if v is None else v for v in row]
    finally:
        book.close()


def open_source(path: Path | str) -> Source:
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise ImportProblem(_("The file {name} does not exist.").format(name=path.name))
    size = path.stat().st_size
    if size == 0:
        raise ImportProblem(_("The file is empty."))
    if size > MAX_BYTES:
        raise ImportProblem(_("The file is larger than {limit} MB; split it into smaller files.").format(
            limit=MAX_BYTES // (1024 * 1024)))
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                parts = z.infolist()
        except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, OSError):
            # NotImplementedError: a ZIP "version" zipfile does not know (found by tests/hostile/fuzz.py)
            raise ImportProblem(_("The file is not a spreadsheet (CSV or XLSX).")) from None
        if "xl/workbook.xml" not in {p.filename for p in parts}:
            raise ImportProblem(_("The file is not a spreadsheet (CSV or XLSX)."))
        _check_unpacked_sizes(parts)
        return Source(path, "xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV and retry."))
    encoding = _detect_encoding(head)
    text = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="ignore")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text.lstrip("\ufeff")[:4096]):
        raise ImportProblem(_("The file is not a spreadsheet (CSV or XLSX)."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    return Source(path, "csv", encoding, delimiter)


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1:2] == b"\x00" and head[3:4] == b"\x00" and head[0:1] != b"\x00":
        return "utf-16-le"
    if len(head) >= 4 and head[0:1] == b"\x00" and head[2:3] == b"\x00":
        return "utf-16-be"
    try:
        decoder = codecs.getincrementaldecoder("utf-8")()
        decoder.decode(head, final=False)  # a character cut at the end of the sample is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(head):
        raise ImportProblem(_mixed_encodings())
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        raise ImportProblem(_("The text encoding of the file is not recognised. Save it as CSV UTF-8 and retry.")) from None
