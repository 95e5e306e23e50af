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
from typing import Any

from desktop.roster.model import (
    CATEGORIES,
    COMPLETION,
    PERSON,
    clean_text,
    courses,
    ensure_default_courses,
    normalise_email,
    normalise_key,
)
from i18n import LANGUAGE_CODES, N_, _, gettext_in, ngettext
from i18n.formatting import number
from storage import Workspace

MAX_ROWS = 250_000
MAX_BYTES = 200 * 1024 * 1024
PREVIEW_ROWS = 20
_SAMPLE = 64 * 1024

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Full name")),
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

COURSE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "elearning": ("psea e learning", "e learning", "elearning", "lms 2398", "online", "en ligne", "en linea",
                  "электронный курс", "онлайн", "在线", "网络课程", "إلكتروني", "psea"),
    "induction": ("induction", "orientation", "initiation", "induccion", "вводный", "вводное обучение",
                  "入职培训", "上岗培训", "تدريب تمهيدي", "التوجيه"),
    "refresher": ("refresher", "recyclage", "remise a niveau", "actualizacion", "repaso",
                  "повышение квалификации", "переподготовка", "进修", "复习培训", "تنشيطي", "تدريب تنشيطي"),
    "predeployment": ("pre deployment", "predeployment", "prealable au deploiement", "previa al despliegue",
                      "предразвертывание", "перед развертыванием", "部署前", "ما قبل النشر", "قبل النشر"),
    "managers": ("managers", "managers module", "lms 2399", "commanders", "gestionnaires", "module des cadres",
                 "directivos", "gerentes", "руководители", "модуль для руководителей", "管理人员", "المديرين"),
    "classroom": ("classroom", "classroom session", "face to face", "in person", "presentiel",
                  "seance en salle", "presencial", "очное", "очный", "课堂", "面授", "حضوري", "جلسة صفية"),
}

_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare headers and values."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


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
        try:
            with self.path.open("r", encoding=self.encoding, newline="") as fh:
                yield from csv.reader(fh, delimiter=self.delimiter)
        except UnicodeDecodeError:
            raise ImportProblem(_("The file contains bytes that are not valid text in its encoding ({encoding}). "
                                  "Save it again as CSV UTF-8 and retry.").format(encoding=self.encoding)) from None
        except csv.Error as exc:
            raise ImportProblem(_("The file is not a valid CSV file: {detail}").format(detail=str(exc))) from None


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise ImportProblem(_("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
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
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise ImportProblem(_("The file is not a spreadsheet (CSV or XLSX).")) from None
        if "xl/workbook.xml" not in names:
            raise ImportProblem(_("The file is not a spreadsheet (CSV or XLSX)."))
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
    if "name" not in mapping:
        out.append(field_label("name"))
    if "index_number" not in mapping and "email" not in mapping:
        out.append(_("{a} or {b}").format(a=field_label("index_number"), b=field_label("email")))
    if ("course" in mapping) != ("completed_on" in mapping):
        out.append(field_label("completed_on") if "course" in mapping else field_label("course"))
    return out


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
    return mapping


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
class Plan:
    """Validated rows, ready to commit: people by key, completions by person key."""
    rows: int = 0
    people: dict[str, dict[str, Any]] = field(default_factory=dict)          # person key -> fields given
    completions: list[tuple[str, str, str, str]] = field(default_factory=list)  # (key, course id, iso, certificate)
    problems: list[RowProblem] = field(default_factory=list)
    cleaned: int = 0   # names from which control or bidi-format characters were removed
    source_name: str = ""


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
    mapping = dict(analysis.mapping if mapping is None else mapping)
    missing = missing_required(mapping)
    if missing:
        raise ImportProblem(_("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
    order = date_order or analysis.date_order
    ensure_default_courses(ws)
    categories = _value_map(CATEGORY_SYNONYMS, CATEGORIES)
    course_map = {}
    for c in courses(ws):
        course_map[fold(c.name)] = c.id
        course_map[fold(c.code)] = c.id
        for lang in LANGUAGE_CODES:
            course_map[fold(gettext_in(lang, c.name))] = c.id
    kind_ids = {c.code: c.id for c in courses(ws)}
    for code, words in COURSE_SYNONYMS.items():
        if code in kind_ids:
            for w in words:
                course_map.setdefault(fold(w), kind_ids[code])
    plan = Plan(source_name=analysis.source.path.name)
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
    if progress is not None:
        progress(1.0)
    return plan


def _check_row(row, cell, plan, categories, course_map, order, today, seen_keys, seen_completion,  # noqa: ANN001
               index_owner, email_owner, line) -> str | None:
    raw_name = str(cell(row, "name") or "")
    name, changed = clean_text(raw_name)
    if not name:
        return _("The name is empty.")
    if len(name) > 300:
        return _("The name is longer than 300 characters.")
    index_number = normalise_key(clean_text(str(cell(row, "index_number") or ""))[0])
    if isinstance(cell(row, "index_number"), float) and float(cell(row, "index_number")).is_integer():
        index_number = str(int(cell(row, "index_number")))
    email = normalise_email(clean_text(str(cell(row, "email") or ""))[0])
    if index_number is None and email is None:
        return _("Neither an index number nor an e-mail address: the person could not be recognised later.")
    if email is not None and ("@" not in email or " " in email or len(email) > 254):
        return _("The e-mail address is not valid.")
    person: dict[str, Any] = {"name": name}
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
        if value:
            person[code] = value[:200]
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
        course_id = course_map.get(fold(course_text))
        if course_id is None:
            return _("Unknown course: {value}").format(value=clean_text(course_text)[0][:60] or "—")
        try:
            d = parse_date(date_value, order)
        except BadDate as exc:
            return _("{column}: {problem}").format(column=field_label("completed_on"), problem=str(exc))
        if d is None:
            return _("The completion date is missing.")
        if d > today or d.year < 1990:
            return _("The completion date is in the future or implausible.")
        completion = (course_id, d.isoformat(), clean_text(str(cell(row, "certificate") or ""))[0][:200])
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

    def summary(self) -> str:
        if self.status == "done":
            return _("{rows} rows imported: {added} people added, {updated} updated, {unchanged} unchanged; "
                     "{completions} completions added.").format(
                rows=self.rows, added=self.added_people, updated=self.updated_people,
                unchanged=self.unchanged_people, completions=self.added_completions)
        if self.status == "invalid":
            return ngettext("{n} row cannot be imported; nothing was imported.",
                            "{n} rows cannot be imported; nothing was imported.",
                            len(self.problems)).format(n=len(self.problems))
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.summary(), "rows": self.rows,
                "added_people": self.added_people, "updated_people": self.updated_people,
                "unchanged_people": self.unchanged_people, "added_completions": self.added_completions,
                "cleaned_names": self.cleaned,
                "problems": [{"row": p.row, "reason": p.reason} for p in self.problems]}


_IDENTITY_PRIORITY = ("index_number", "email")


def commit(ws: Workspace, plan: Plan, *, progress: Callable[[float], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Write a checked plan in one transaction. Raises ImportProblem (nothing written) if the plan has
    problems; ImportCancelled rolls everything back."""
    if plan.problems:
        raise ImportProblem(_("The file has rows that cannot be imported; nothing was imported."))
    result = ImportResult("done", rows=plan.rows, cleaned=plan.cleaned)
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


def import_file(ws: Workspace, path: Path | str, *, mapping: dict[str, int] | None = None,
                date_order: str | None = None, dry_run: bool = False,
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
            return ImportResult("invalid", rows=plan.rows, problems=plan.problems, analysis=analysis)
        if dry_run:
            return ImportResult("checked", _("The file can be imported."), rows=plan.rows, cleaned=plan.cleaned,
                                analysis=analysis)
        result = commit(ws, plan, cancel=cancel)
        result.analysis = analysis
        return result
    except ImportProblem as exc:
        return ImportResult("refused", str(exc))
    except ImportCancelled:
        return ImportResult("cancelled", _("The import was cancelled; nothing was imported."))

