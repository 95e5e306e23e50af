"""Importing HR and LMS exports (CSV or XLSX) into the roster, all or nothing.

Steps, each usable alone (the window's wizard) or through `import_file` (command line, tests):
1. `analyse(path)`: read the file as a stream, detect encoding and delimiter, guess the column mapping
   from the headers (six languages), look at every date to decide day/month order, keep a preview.
2. `check(...)`: validate every row with the chosen mapping and date order; the result lists each
   rejected row (row number as a spreadsheet shows it, and a translated reason).
3. `commit(ws, plan)`: one transaction: people matched by index number, then e-mail, are updated;
   new people are added; completions already recorded are skipped. The same file twice adds nothing.

Limits: MAX_ROWS data rows and MAX_BYTES per file are refused with a message, counted while
streaming (the file is never read whole into memory). One row is one person, optionally with one
completion (LMS exports repeat a person on several rows, one per course).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.roster import course_titles
from desktop.roster.course_titles import fold
from desktop.roster.model import (
    CATEGORIES,
    COMPLETION,
    COURSE,
    COURSE_KIND_CODES,
    MAX_COURSE_NAME,
    MAX_NAME,
    PERSON,
    UNCLASSIFIED,
    clean_text,
    courses,
    kind_label,
    normalise_email,
    normalise_key,
    seeded_course_id,
)
from desktop.roster.names import full_name
from i18n import LANGUAGE_CODES, N_, _, gettext_in, ngettext
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

MAX_ROWS = 250_000
MAX_BYTES = 200 * 1024 * 1024
PREVIEW_ROWS = 20
_SAMPLE = 64 * 1024

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Full name")),
    ("family_name", N_("Family name")),
    ("second_family_name", N_("Second family name")),
    ("given_names", N_("Given names")),
    ("middle_names", N_("Middle name or patronymic")),
    ("index_number", N_("Index number")),
    ("email", N_("E-mail")),
    ("category", N_("Personnel category")),
    ("duty_office", N_("Office")),
    ("unit", N_("Unit")),
    ("start_date", N_("Start date")),
    ("end_date", N_("End date")),
    ("course", N_("Course")),
    ("completed_on", N_("Completion date")),
    ("certificate", N_("Certificate")),
)
FIELD_CODES = tuple(code for code, _label in FIELDS)
DATE_FIELDS = ("start_date", "end_date", "completed_on")


def field_label(code: str) -> str:
    return _(dict(FIELDS)[code])


# Header words in the six languages (compared after folding case and accents). Kept as data: add a
# synonym here when an ERP export uses another heading.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "staff name", "employee name", "person", "participant", "learner", "nom",
             "nom complet", "nom et prenom", "nombre", "nombre completo", "nombre y apellido", "имя", "фио",
             "полное имя", "姓名", "名字", "全名", "الاسم", "الاسم الكامل", "display name"),
    # Name parts, as HR systems split them (Nom/Prénom, Apellido/Nombre, Фамилия/Имя/Отчество, 姓/名…).
    # "nom", "nombre", "имя", "name" are ambiguous: alone they hold the full name; beside a column of
    # the other part they are that part (see guess_mapping).
    "family_name": ("family name", "last name", "surname", "surnames", "family names", "nom de famille",
                    "nom d usage", "apellido", "apellidos", "primer apellido", "apellido paterno", "фамилия",
                    "姓", "姓氏", "اسم العائلة", "اللقب", "الكنية", "lastname"),
    "second_family_name": ("second family name", "second surname", "segundo apellido", "apellido materno",
                           "second last name"),
    "given_names": ("given name", "given names", "first name", "first names", "forename", "forenames",
                    "firstname", "prenom", "prenoms", "nombre de pila", "nombres", "имя", "名",
                    "الاسم الأول", "الاسم الاول"),
    "middle_names": ("middle name", "middle names", "middle initial", "second name", "patronymic", "отчество",
                     "segundo nombre", "الاسم الأوسط", "اسم الأب", "اسم الاب"),
    "index_number": ("index number", "index no", "index", "staff id", "employee id", "employee number",
                     "personnel number", "id number", "numero d index", "numero de index", "matricule",
                     "numero de indice", "numero de empleado", "индекс", "индексный номер", "табельный номер",
                     "编号", "索引号", "工号", "员工编号", "الرقم القياسي", "رقم الموظف", "الرقم الوظيفي",
                     "upi", "emplid"),
    "email": ("email", "e mail", "email address", "mail", "courriel", "adresse electronique", "correo",
              "correo electronico", "электронная почта", "эл почта", "email адрес", "电子邮件", "邮箱",
              "电子邮箱", "البريد الإلكتروني", "البريد الالكتروني", "بريد إلكتروني"),
    "category": ("category", "personnel category", "contract type", "type of contract", "staff category",
                 "appointment type", "categorie", "categorie de personnel", "type de contrat", "categoria",
                 "tipo de contrato", "категория", "категория персонала", "тип контракта", "类别", "人员类别",
                 "合同类型", "الفئة", "فئة الموظفين", "نوع العقد"),
    "duty_office": ("office", "duty station", "country office", "location", "bureau", "lieu d affectation",
                    "oficina", "lugar de destino", "офис", "место службы", "办事处", "工作地点", "المكتب",
                    "مركز العمل"),
    "unit": ("unit", "section", "department", "division", "team", "unite", "service", "unidad", "seccion",
             "departamento", "подразделение", "отдел", "部门", "科", "单位", "الوحدة", "القسم"),
    "start_date": ("start date", "start", "entry on duty", "eod", "date of entry", "hire date", "joined",
                   "date de debut", "date d entree", "fecha de inicio", "fecha de ingreso", "дата начала",
                   "дата поступления", "开始日期", "入职日期", "تاريخ البدء", "تاريخ الالتحاق"),
    "end_date": ("end date", "end", "separation date", "contract end", "expiry of contract", "date de fin",
                 "fecha de fin", "fecha de termino", "дата окончания", "结束日期", "离职日期", "تاريخ الانتهاء"),
    "course": ("course", "course name", "training", "course title", "learning item", "cours", "formation",
               "curso", "capacitacion", "formacion", "курс", "обучение", "课程", "培训", "الدورة",
               "الدورة التدريبية", "التدريب"),
    "completed_on": ("completion date", "completed", "completed on", "date completed", "date of completion",
                     "training date", "date", "date d achevement", "date de completion", "date de formation",
                     "fecha de finalizacion", "fecha de conclusion", "fecha", "дата завершения",
                     "дата прохождения", "дата", "完成日期", "日期", "培训日期", "تاريخ الإكمال",
                     "تاريخ الاتمام", "التاريخ"),
    "certificate": ("certificate", "certificate number", "certificate reference", "certificat",
                    "certificado", "сертификат", "证书", "证书编号", "الشهادة", "رقم الشهادة"),
}

CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "staff": ("staff", "staff member", "fonctionnaire", "personnel", "funcionario", "funcionaria", "сотрудник",
              "персонал", "工作人员", "职员", "موظف", "موظفون", "fixed term", "permanent", "continuing",
              "temporary appointment"),
    "consultant": ("consultant", "consultants", "individual consultant", "consultor", "consultora",
                   "консультант", "顾问", "咨询人", "استشاري", "خبير استشاري"),
    "contractor": ("individual contractor", "contractor", "ic", "ica", "contractant", "contractant individuel",
                   "contratista", "contratista individual", "индивидуальный подрядчик", "подрядчик",
                   "个人订约人", "订约人", "متعاقد فردي", "متعاقد"),
    "intern": ("intern", "interns", "stagiaire", "pasante", "becario", "стажер", "стажёр", "实习生", "متدرب"),
    "volunteer": ("un volunteer", "unv", "volunteer", "volontaire", "volontaire des nations unies",
                  "voluntario", "voluntario de las naciones unidas", "доброволец", "доброволец оон",
                  "志愿人员", "联合国志愿人员", "متطوع", "متطوعو الأمم المتحدة"),
    "related": ("related personnel", "other related personnel", "related", "stand by", "standby",
                "personnel apparente", "personal asociado", "связанный персонал", "有关人员",
                "الأفراد المرتبطون", "الأفراد المرتبطون بها"),
    "partner": ("implementing partner", "implementing partner personnel", "ip", "ip personnel", "partner",
                "partenaire", "partenaire operationnel", "asociado en la ejecucion", "socio",
                "партнер исполнитель", "партнер", "执行伙伴", "伙伴", "الشريك المنفذ", "شريك"),
}

_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}


# ---- problems ------------------------------------------------------------------------------------
class ImportProblem(Exception):
    """The file as a whole cannot be imported; str() is a translated sentence that says why."""


class ImportCancelled(Exception):
    pass


@dataclass
class RowProblem:
    row: int      # as a spreadsheet numbers it: the header is row 1
    reason: str   # translated


# ---- reading files as streams --------------------------------------------------------------------
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
                                  "it may be damaged or made to harm. Nothing was imported. Save the roster as "
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


# ---- dates -----------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})(?: .*)?$")
_NAMED = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*\.?[- ,]+(\d{4})$")


class BadDate(ValueError):
    pass


def parse_date(value: Any, order: str | None) -> dt.date | None:
    """A date from a cell. `order` is "dmy" or "mdy" for numeric dates like 03/04/2024; None when the
    cell has no such date or its order is unambiguous. Raises BadDate for something not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        m = _ISO.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _NAMED.match(text)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        m = _DMY.match(text)
        if m:
            a, b, year = int(m[1]), int(m[2]), m[3]
            if len(year) != 4:
                raise BadDate(_("use a four-digit year"))
            if a > 12 or (order == "dmy" and b <= 12):
                return dt.date(int(year), b, a)
            if b > 12 or order == "mdy":
                return dt.date(int(year), a, b)
            if a == b:
                return dt.date(int(year), a, b)
            raise BadDate(_("day and month order unknown"))
    except ValueError as exc:
        if isinstance(exc, BadDate):
            raise
        raise BadDate(_("no such day in the calendar")) from None
    raise BadDate(_("not a date"))


def _order_evidence(value: Any) -> tuple[bool, bool, bool]:
    """(day first proven, month first proven, ambiguous) for one cell."""
    if not isinstance(value, str):
        return False, False, False
    m = _DMY.match(value.strip())
    if not m:
        return False, False, False
    a, b = int(m[1]), int(m[2])
    return a > 12, b > 12, a <= 12 and b <= 12 and a != b


# ---- analysis ----------------------------------------------------------------------------------
@dataclass
class Analysis:
    source: Source
    headers: list[str]
    mapping: dict[str, int]             # field code -> column number
    rows: int                           # data rows (without the header)
    preview: list[list[str]]
    date_order: str | None              # "dmy" | "mdy" | None (no numeric dates, or not decided)
    ambiguous_dates: bool               # True: ask the user for the order before checking
    warnings: list[str] = field(default_factory=list)

    def missing_required(self) -> list[str]:
        return missing_required(self.mapping)


def missing_required(mapping: dict[str, int]) -> list[str]:
    """Translated descriptions of what the mapping lacks ([] when importable)."""
    out = []
    if "name" not in mapping and not any(part in mapping for part in NAME_PARTS):
        out.append(_("{a} or {b}").format(a=field_label("name"), b=field_label("family_name")))
    if "index_number" not in mapping and "email" not in mapping:
        out.append(_("{a} or {b}").format(a=field_label("index_number"), b=field_label("email")))
    if ("course" in mapping) != ("completed_on" in mapping):
        out.append(field_label("completed_on") if "course" in mapping else field_label("course"))
    return out


# Headers that name the full name alone but one part of it beside a column of the other part:
# French "Nom" beside "Prénom" is the family name; Spanish "Nombre" beside "Apellido", Russian "Имя"
# beside "Фамилия", Chinese 名 beside 姓 and English "Name" beside "Surname" are the given names.
_FAMILY_WHEN_PAIRED = {"nom", "name"}
_GIVEN_WHEN_PAIRED = {"nombre", "имя", "name", "名字", "الاسم", "nome", "vorname"}
NAME_PARTS = ("family_name", "second_family_name", "given_names", "middle_names")


def guess_mapping(headers: list[str]) -> dict[str, int]:
    folded = [fold(h) for h in headers]
    mapping: dict[str, int] = {}
    # exact synonyms first, then "header contains a synonym" for headers still free
    for exact in (True, False):
        for code in FIELD_CODES:
            if code in mapping:
                continue
            words = {fold(w) for w in HEADER_SYNONYMS[code]}
            words |= {fold(gettext_in(lang, dict(FIELDS)[code])) for lang in LANGUAGE_CODES}
            for col, h in enumerate(folded):
                if col in mapping.values() or not h:
                    continue
                if (h in words) if exact else any(len(w) > 3 and w in h for w in words):
                    mapping[code] = col
                    break
    if "name" in mapping:
        header = folded[mapping["name"]]
        if "family_name" in mapping and "given_names" not in mapping and header in _GIVEN_WHEN_PAIRED:
            mapping["given_names"] = mapping.pop("name")
        elif "given_names" in mapping and "family_name" not in mapping and header in _FAMILY_WHEN_PAIRED:
            mapping["family_name"] = mapping.pop("name")
    return mapping


def unused_columns(headers: list[str], mapping: dict[str, int]) -> list[str]:
    """Headers of the columns the mapping leaves out (shown in the preview and the report, so that no
    column is dropped without the user seeing it); an empty header is named by its position."""
    used = set(mapping.values())
    return [h or _("column {n}").format(n=col + 1) for col, h in enumerate(headers) if col not in used]


def analyse(path: Path | str, *, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None) -> Analysis:
    source = open_source(path)
    rows = source.rows()
    headers: list[str] | None = None
    for row in rows:
        if any(str(c).strip() for c in row):
            headers = [clean_text(str(c))[0] for c in row]
            break
    if headers is None:
        raise ImportProblem(_("The file has no rows."))
    mapping = guess_mapping(headers)
    if not mapping:
        raise ImportProblem(_("The first row does not look like column headings (name, index number, e-mail...). "
                              "Add a header row and retry."))
    date_cols = [mapping[f] for f in DATE_FIELDS if f in mapping]
    day_first = month_first = ambiguous = False
    preview: list[list[str]] = []
    count = 0
    size = max(source.path.stat().st_size, 1)
    for row in rows:
        if not any(str(c).strip() for c in row):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportProblem(_("The file has more than {limit} rows. Split it into smaller files and import "
                                  "them one after the other.").format(limit=number(MAX_ROWS)))
        if len(preview) < PREVIEW_ROWS:
            preview.append([_cell_text(c) for c in row])
        for col in date_cols:
            if col < len(row):
                d, m, a = _order_evidence(row[col])
                day_first |= d
                month_first |= m
                ambiguous |= a
        if count % 5000 == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None and source.kind == "csv":
                progress(min(count * 80 / size, 0.99))  # rough: about 80 bytes a row
    if count == 0:
        raise ImportProblem(_("The file has a header row but no data."))
    order = "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None
    warnings = []
    if day_first and month_first:
        warnings.append(_("Some dates have the day first and others the month first; rows that do not "
                          "match the order you choose will be rejected."))
    return Analysis(source, headers, mapping, count, preview, order,
                    ambiguous_dates=(order is None and (ambiguous or (day_first and month_first))),
                    warnings=warnings)


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value))[0]


# ---- checking every row --------------------------------------------------------------------------
@dataclass
class NewCourse:
    """A course title of the file that this workspace does not have yet. `known`: the key of the known
    course the title was recognised as (course_titles), whose kind is then `kind`; otherwise `kind` is
    what the user chose, or None until they choose (imported as not yet classified if they never do)."""
    title: str
    kind: str | None = None
    known: str | None = None
    completions: int = 0

    @property
    def recognised(self) -> bool:
        return self.known is not None


@dataclass
class Plan:
    """Validated rows, ready to commit: people by key, completions by person key."""
    rows: int = 0
    people: dict[str, dict[str, Any]] = field(default_factory=dict)          # person key -> fields given
    # (key, course id or NEW_COURSE + folded title, iso, certificate)
    completions: list[tuple[str, str, str, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    cleaned: int = 0   # names from which control or bidi-format characters were removed
    source_name: str = ""
    new_courses: dict[str, NewCourse] = field(default_factory=dict)        # folded title -> course to add
    unused_columns: list[str] = field(default_factory=list)

    def unclassified_courses(self) -> list[NewCourse]:
        """New courses that will arrive as not yet classified (nobody chose a kind)."""
        return [c for c in self.new_courses.values() if (c.kind or UNCLASSIFIED) == UNCLASSIFIED]

    def set_course_kinds(self, kinds: dict[str, str]) -> list[str]:
        """Apply the user's choices {title: kind} to the new courses; returns titles matching none."""
        unmatched = []
        for title, kind in kinds.items():
            course = self.new_courses.get(fold(title))
            if course is None:
                unmatched.append(title)
            else:
                course.kind = kind
        return unmatched


NEW_COURSE = "new:"


def _value_map(synonyms: dict[str, tuple[str, ...]], labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, words in synonyms.items():
        for w in words:
            out.setdefault(fold(w), code)
        out.setdefault(fold(code), code)
    for code, label in labels:
        for lang in LANGUAGE_CODES:
            out.setdefault(fold(gettext_in(lang, label)), code)
    return out


def check(ws: Workspace, analysis: Analysis, mapping: dict[str, int] | None = None, date_order: str | None = None,
          *, progress: Callable[[float], None] | None = None, cancel: Callable[[], bool] | None = None) -> Plan:
    """Validate every row. Course titles this workspace does not know become `plan.new_courses`
    (with the kind of a known course when recognised): give the others a kind with
    `plan.set_course_kinds` before `commit`, or they arrive as not yet classified."""
    mapping = dict(analysis.mapping if mapping is None else mapping)
    missing = missing_required(mapping)
    if missing:
        raise ImportProblem(_("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
    order = date_order or analysis.date_order
    categories = _value_map(CATEGORY_SYNONYMS, CATEGORIES)
    plan = Plan(source_name=analysis.source.path.name, unused_columns=unused_columns(analysis.headers, mapping))
    course_map = _course_resolver(ws, plan)
    seen_keys: dict[str, tuple[int, str]] = {}       # person key -> (first row, folded name)
    seen_completion: dict[tuple[str, str, str], int] = {}
    index_owner: dict[str, str] = {}                  # index number -> key; email -> key
    email_owner: dict[str, str] = {}
    rows = analysis.source.rows()
    header_skipped = False
    line = 0
    today = dt.date.today()
    total = max(analysis.rows, 1)
    ncols = max(mapping.values()) + 1

    def cell(row: list[Any], code: str) -> Any:
        col = mapping.get(code)
        if col is None or col >= len(row):
            return ""
        value = row[col]
        return value.strip() if isinstance(value, str) else value

    cell.has_parts = any(part in mapping for part in NAME_PARTS)  # type: ignore[attr-defined]

    for row in rows:
        line += 1
        if not any(str(c).strip() for c in row):
            continue
        if not header_skipped:
            header_skipped = True
            continue
        plan.rows += 1
        if plan.rows > MAX_ROWS:
            raise ImportProblem(_("The file has more than {limit} rows. Split it into smaller files and import "
                                  "them one after the other.").format(limit=number(MAX_ROWS)))
        if plan.rows % 2000 == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(plan.rows / total)
        if len(row) < ncols:
            row = list(row) + [""] * (ncols - len(row))
        reason = _check_row(row, cell, plan, categories, course_map, order, today, seen_keys, seen_completion,
                            index_owner, email_owner, line)
        if reason:
            plan.problems.append(RowProblem(line, reason))
    for _key, course_id, _iso, _cert in plan.completions:
        if course_id.startswith(NEW_COURSE):
            plan.new_courses[course_id[len(NEW_COURSE):]].completions += 1
    plan.new_courses = {k: c for k, c in plan.new_courses.items() if c.completions}
    if progress is not None:
        progress(1.0)
    return plan


MAX_TEXT = 200   # office, unit, certificate reference: longer values are refused, never cut


def plan_has_parts(cell) -> bool:  # noqa: ANN001 - the row reader of `check`
    return getattr(cell, "has_parts", False)


def _part(value: Any) -> str:
    return clean_text(str(value or ""))[0]


def _had_controls(value: Any) -> bool:
    return isinstance(value, str) and any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\r\n\u200c\u200d"
                                          for ch in value)


def _course_resolver(ws: Workspace, plan: Plan) -> Callable[[str], str]:
    """title -> the id of the course it names here, or NEW_COURSE + folded title for a course to add
    (recorded in plan.new_courses, with the kind of the known course it was recognised as)."""
    here: dict[str, str] = {}
    for c in courses(ws):
        if not c.reference and c.office != ws.office:
            continue  # another office's course (a coordinator's workspace)
        names = {c.name, c.label(), c.code} if c.reference else {c.name}
        if c.reference:
            names |= {gettext_in(lang, c.name) for lang in LANGUAGE_CODES}
        for name in names:
            here.setdefault(fold(name), c.id)
    memo: dict[str, str] = {}

    def resolve(title: str) -> str:
        folded = fold(title)
        hit = memo.get(folded)
        if hit is not None:
            return hit
        course_id = here.get(folded)
        if course_id is None:
            known = course_titles.recognise(title)
            if known is not None and known.reference:
                course_id = seeded_course_id(known.reference)
            else:
                course_id = NEW_COURSE + folded
                plan.new_courses[folded] = NewCourse(title, known.kind if known else None,
                                                     known.key if known else None)
        memo[folded] = course_id
        return course_id

    return resolve


def _check_row(row, cell, plan, categories, course_map, order, today, seen_keys, seen_completion,  # noqa: ANN001
               index_owner, email_owner, line) -> str | None:
    raw_name = str(cell(row, "name") or "")
    name, changed = clean_text(raw_name)
    parts: dict[str, str | None] = {}
    if plan_has_parts(cell):
        family = " ".join(p for p in (_part(cell(row, "family_name")), _part(cell(row, "second_family_name"))) if p)
        given = " ".join(p for p in (_part(cell(row, "given_names")), _part(cell(row, "middle_names"))) if p)
        parts = {"family_name": family or None, "given_names": given or None}
        changed = changed or any(_had_controls(cell(row, c)) for c in NAME_PARTS)
        if not name:
            name = full_name(family, given)
    if not name:
        return _("The name is empty.")
    if len(name) > MAX_NAME:
        return _("The name is longer than {limit} characters.").format(limit=MAX_NAME)
    index_number = normalise_key(clean_text(str(cell(row, "index_number") or ""))[0])
    if isinstance(cell(row, "index_number"), float) and float(cell(row, "index_number")).is_integer():
        index_number = str(int(cell(row, "index_number")))
    email = normalise_email(clean_text(str(cell(row, "email") or ""))[0])
    if index_number is None and email is None:
        return _("Neither an index number nor an e-mail address: the person could not be recognised later.")
    if email is not None and ("@" not in email or " " in email or len(email) > 254):
        return _("The e-mail address is not valid.")
    person: dict[str, Any] = {"name": name, **parts}
    if index_number is not None:
        person["index_number"] = index_number
    if email is not None:
        person["email"] = email
    category_text = str(cell(row, "category") or "")
    if category_text.strip():
        category = categories.get(fold(category_text))
        if category is None:
            return _("Unknown personnel category: {value}").format(value=clean_text(category_text)[0][:60])
        person["category"] = category
    for code in ("duty_office", "unit"):
        value = clean_text(str(cell(row, code) or ""))[0]
        if len(value) > MAX_TEXT:
            return _("{column}: longer than {limit} characters").format(column=field_label(code), limit=MAX_TEXT)
        if value:
            person[code] = value
    for code in ("start_date", "end_date"):
        try:
            d = parse_date(cell(row, code), order)
        except BadDate as exc:
            return _("{column}: {problem}").format(column=field_label(code), problem=str(exc))
        if d is not None:
            if not 1950 <= d.year <= today.year + 10:
                return _("{column}: the year is not plausible").format(column=field_label(code))
            person[code] = d.isoformat()
    if person.get("start_date") and person.get("end_date") and person["end_date"] < person["start_date"]:
        return _("The end date is before the start date.")
    completion = None
    course_text = str(cell(row, "course") or "")
    date_value = cell(row, "completed_on")
    if course_text.strip() or (date_value not in ("", None)):
        title = clean_text(course_text)[0]
        if not title:
            return _("The course is missing.")
        if len(title) > MAX_COURSE_NAME:
            return _("{column}: longer than {limit} characters").format(column=field_label("course"),
                                                                         limit=MAX_COURSE_NAME)
        course_id = course_map(title)
        try:
            d = parse_date(date_value, order)
        except BadDate as exc:
            return _("{column}: {problem}").format(column=field_label("completed_on"), problem=str(exc))
        if d is None:
            return _("The completion date is missing.")
        if d > today or d.year < 1990:
            return _("The completion date is in the future or implausible.")
        certificate = clean_text(str(cell(row, "certificate") or ""))[0]
        if len(certificate) > MAX_TEXT:
            return _("{column}: longer than {limit} characters").format(column=field_label("certificate"),
                                                                         limit=MAX_TEXT)
        completion = (course_id, d.isoformat(), certificate)
    # one key per person in the file: the index number, else the e-mail
    key = f"i:{index_number}" if index_number is not None else f"e:{email}"
    if index_number is not None and email is not None:
        other = email_owner.get(email)
        if other is not None and other != key:
            return _("The e-mail address is also used by another person in this file (row {row}).").format(
                row=seen_keys[other][0])
    folded_name = fold(name)
    first = seen_keys.get(key)
    if first is not None:
        if first[1] != folded_name:
            return _("Same index number or e-mail as row {row}, but a different name.").format(row=first[0])
        if completion is None:
            return _("Duplicate of row {row}.").format(row=first[0])
        ck = (key, completion[0], completion[1])
        if ck in seen_completion:
            return _("Duplicate of row {row}.").format(row=seen_completion[ck])
    # accepted
    if changed or raw_name.strip() != name and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in raw_name):
        plan.cleaned += 1
    if first is None:
        seen_keys[key] = (line, folded_name)
        plan.people[key] = person
    else:
        plan.people[key].update({k: v for k, v in person.items() if k not in plan.people[key]})
    if email is not None:
        email_owner.setdefault(email, key)
    if index_number is not None:
        index_owner.setdefault(index_number, key)
    if completion is not None:
        seen_completion[(key, completion[0], completion[1])] = line
        plan.completions.append((key, *completion))
    return None


# ---- committing --------------------------------------------------------------------------------
@dataclass
class ImportResult:
    status: str               # "done" | "checked" | "ambiguous" | "invalid" | "refused" | "cancelled"
    message: str = ""
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    added_people: int = 0
    updated_people: int = 0
    unchanged_people: int = 0
    added_completions: int = 0
    cleaned: int = 0
    analysis: Analysis | None = None
    unused_columns: list[str] = field(default_factory=list)
    new_courses: list[NewCourse] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "done":
            return _("{rows} rows imported: {added} people added, {updated} updated, {unchanged} unchanged; "
                     "{completions} completions added.").format(
                rows=number(self.rows), added=number(self.added_people), updated=number(self.updated_people),
                unchanged=number(self.unchanged_people), completions=number(self.added_completions))
        if self.status == "invalid":
            return ngettext("{n} row cannot be imported; nothing was imported.",
                            "{n} rows cannot be imported; nothing was imported.",
                            len(self.problems)).format(n=len(self.problems))
        return self.message

    def details(self) -> list[str]:
        """What else the user must know, one sentence each: columns left out, courses added (and those
        left unclassified, whose completions count nowhere until classified)."""
        return describe(self.unused_columns, self.new_courses, done=self.status == "done")

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.summary(), "details": self.details(), "rows": self.rows,
                "added_people": self.added_people, "updated_people": self.updated_people,
                "unchanged_people": self.unchanged_people, "added_completions": self.added_completions,
                "cleaned_names": self.cleaned, "unused_columns": list(self.unused_columns),
                "new_courses": [{"title": c.title, "kind": c.kind or UNCLASSIFIED, "recognised": c.recognised,
                                 "known": c.known, "completions": c.completions} for c in self.new_courses],
                "unclassified_completions": sum(c.completions for c in self.new_courses
                                                if (c.kind or UNCLASSIFIED) == UNCLASSIFIED),
                "problems": [{"row": p.row, "reason": p.reason} for p in self.problems]}


def describe(unused: list[str], new_courses: list[NewCourse], *, done: bool) -> list[str]:
    """The sentences the preview and the report show about columns left out and courses added."""
    lines = []
    if unused:
        lines.append(ngettext("This column is not imported: {columns}.", "These columns are not imported: {columns}.",
                              len(unused)).format(columns=", ".join(unused)))
    for c in new_courses:
        kind = c.kind or UNCLASSIFIED
        text = (_("New course “{title}”: {kind} ({n} completions); recognised as a known course.") if c.recognised
                else _("New course “{title}”: {kind} ({n} completions)."))
        lines.append(text.format(title=c.title, kind=kind_label(kind), n=number(c.completions)))
    left = [c for c in new_courses if (c.kind or UNCLASSIFIED) == UNCLASSIFIED]
    if left:
        n = sum(c.completions for c in left)
        text = (ngettext("{n} completion of a course not yet classified is not counted in any figure until the "
                         "course is classified (Courses… in the roster, or psea-desk roster courses --set-kind).",
                         "{n} completions of courses not yet classified are not counted in any figure until the "
                         "courses are classified (Courses… in the roster, or psea-desk roster courses --set-kind).",
                         n) if done else
                ngettext("{n} completion of a course not yet classified will not be counted in any figure until "
                         "the course is classified.",
                         "{n} completions of courses not yet classified will not be counted in any figure until "
                         "the courses are classified.", n))
        lines.append(text.format(n=number(n)))
    return lines


_IDENTITY_PRIORITY = ("index_number", "email")


def commit(ws: Workspace, plan: Plan, *, progress: Callable[[float], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Write a checked plan in one transaction. Raises ImportProblem (nothing written) if the plan has
    problems; ImportCancelled rolls everything back."""
    if plan.problems:
        raise ImportProblem(_("The file has rows that cannot be imported; nothing was imported."))
    for course in plan.new_courses.values():
        if course.kind is not None and course.kind not in COURSE_KIND_CODES:
            raise ImportProblem(_("Unknown kind of course."))
    result = ImportResult("done", rows=plan.rows, cleaned=plan.cleaned, unused_columns=list(plan.unused_columns),
                          new_courses=list(plan.new_courses.values()))
    conn = ws.connection
    by_index: dict[str, tuple] = {}
    by_email: dict[str, tuple] = {}
    cols = PERSON.fields
    for row in conn.execute(f"SELECT id, {', '.join(cols)} FROM roster_person WHERE deleted = 0"):  # noqa: S608
        if row[5] is not None:
            by_index[row[5]] = row
        if row[6] is not None:
            by_email[row[6]] = row
    inserts: list[dict[str, Any]] = []
    insert_keys: list[str] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    person_id: dict[str, str | None] = {}
    problems: list[RowProblem] = []
    for key, given in plan.people.items():
        match = None
        if given.get("index_number") is not None:
            match = by_index.get(given["index_number"])
        if match is None and given.get("email") is not None:
            match = by_email.get(given["email"])
            if match is not None and given.get("index_number") and match[5] and match[5] != given["index_number"]:
                problems.append(RowProblem(0, _("{email}: this e-mail address belongs to a person with another "
                                                "index number.").format(email=given["email"])))
                continue
        if match is None:
            if "category" not in given:
                problems.append(RowProblem(0, _("{name}: new person without a personnel category.").format(
                    name=given["name"])))
                continue
            data = {f: given.get(f) for f in cols}
            data["duty_office"] = data["duty_office"] or ""
            data["unit"] = data["unit"] or ""
            inserts.append(data)
            insert_keys.append(key)
            person_id[key] = None
            continue
        current = dict(zip(cols, match[1:], strict=True))
        changes = {f: v for f, v in given.items() if current.get(f) != v}
        if given.get("email") and current.get("email") and given["email"] != current["email"] \
                and given["email"] in by_email and by_email[given["email"]][0] != match[0]:
            problems.append(RowProblem(0, _("{email}: this e-mail address belongs to another person.").format(
                email=given["email"])))
            continue
        person_id[key] = match[0]
        if changes:
            updates.append((match[0], changes))
        else:
            result.unchanged_people += 1
    if problems:
        return ImportResult("invalid", rows=plan.rows, problems=problems)
    if cancel is not None and cancel():
        raise ImportCancelled()
    # A bulk write touches index pages all over the file (random ids); with SQLite's default 8 MB page
    # cache they are evicted, re-encrypted and decrypted again. 32 MB for the time of the import
    # (measured: a third less CPU for 50,000 rows), then the previous size.
    previous_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA cache_size = -32768")
    try:
        _write_plan(ws, plan, inserts, insert_keys, updates, person_id, result, progress, cancel)
    finally:
        conn.execute(f"PRAGMA cache_size = {previous_cache}")
    return result


def _write_plan(ws: Workspace, plan: Plan, inserts: list[dict[str, Any]], insert_keys: list[str],
                updates: list[tuple[str, dict[str, Any]]], person_id: dict[str, str | None], result: ImportResult,
                progress: Callable[[float], None] | None, cancel: Callable[[], bool] | None) -> None:
    conn = ws.connection
    with ws.transaction():
        if progress is not None:
            progress(0.1)
        added = ws.records.insert_many(PERSON, inserts)
        for key, rec in zip(insert_keys, added, strict=True):
            person_id[key] = rec["id"]
        if progress is not None:
            progress(0.4)
        if cancel is not None and cancel():
            raise ImportCancelled()
        ws.records.update_many(PERSON, updates)
        if progress is not None:
            progress(0.6)
        course_ids = _add_courses(ws, plan)
        existing: set[tuple[str, str, str]] = set()
        inserted = set(insert_keys)
        matched = [pid for key, pid in person_id.items() if pid is not None and key not in inserted]
        for start in range(0, len(matched), 500):
            chunk = matched[start:start + 500]
            existing.update(conn.execute(
                "SELECT person_id, course_id, completed_on FROM roster_completion WHERE deleted = 0"  # noqa: S608
                f" AND person_id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        new_completions = []
        for key, course_id, iso, certificate in plan.completions:
            course_id = course_ids.get(course_id, course_id)
            pid = person_id[key]
            if (pid, course_id, iso) in existing:
                continue
            existing.add((pid, course_id, iso))
            new_completions.append({"person_id": pid, "course_id": course_id, "completed_on": iso,
                                    "source": plan.source_name[:200], "certificate": certificate})
        if cancel is not None and cancel():
            raise ImportCancelled()
        ws.records.insert_many(COMPLETION, new_completions)
        if progress is not None:
            progress(1.0)
    result.added_people = len(inserts)
    result.updated_people = len(updates)
    result.added_completions = len(new_completions)


def _add_courses(ws: Workspace, plan: Plan) -> dict[str, str]:
    """Add the plan's new courses (inside the caller's transaction): NEW_COURSE ref -> course id."""
    folded = list(plan.new_courses)
    rows = [{"code": "imported", "name": plan.new_courses[f].title, "kind": plan.new_courses[f].kind or UNCLASSIFIED,
             "validity_months": 36} for f in folded]
    added = ws.records.insert_many(COURSE, rows)
    return {NEW_COURSE + f: rec["id"] for f, rec in zip(folded, added, strict=True)}


def import_file(ws: Workspace, path: Path | str, *, mapping: dict[str, int] | None = None,
                date_order: str | None = None, dry_run: bool = False,
                course_kinds: dict[str, str] | None = None,
                progress: Callable[[float], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Analyse, check and (unless dry_run) commit a file. Never raises for bad input: the status
    and message of the result say what happened; nothing is written unless status is "done"."""
    try:
        analysis = analyse(path, cancel=cancel)
        if analysis.ambiguous_dates and date_order is None:
            return ImportResult("ambiguous", _("The dates in this file could be day/month or month/day. "
                                               "Say which order the file uses."), rows=analysis.rows,
                                analysis=analysis)
        plan = check(ws, analysis, mapping, date_order, progress=progress, cancel=cancel)
        if plan.problems:
            return ImportResult("invalid", rows=plan.rows, problems=plan.problems, analysis=analysis,
                                unused_columns=plan.unused_columns)
        unmatched = plan.set_course_kinds(course_kinds or {})
        if unmatched:
            return ImportResult("refused", _("No course of the file is called {titles}.").format(
                titles=", ".join(f"“{t}”" for t in unmatched)), rows=plan.rows, analysis=analysis,
                unused_columns=plan.unused_columns, new_courses=list(plan.new_courses.values()))
        if dry_run:
            return ImportResult("checked", _("The file can be imported."), rows=plan.rows, cleaned=plan.cleaned,
                                analysis=analysis, unused_columns=plan.unused_columns,
                                new_courses=list(plan.new_courses.values()))
        result = commit(ws, plan, cancel=cancel)
        result.analysis = analysis
        return result
    except ImportProblem as exc:
        return ImportResult("refused", str(exc))
    except ImportCancelled:
        return ImportResult("cancelled", _("The import was cancelled; nothing was imported."))

