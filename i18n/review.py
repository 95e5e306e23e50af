"""The translators' review sheet: every string of the six catalogs side by side, for a UN translator.

    ./dev.sh i18n review [FILE.xlsx]        write the sheet (default: i18n-review.xlsx)
    ./dev.sh i18n review-read FILE.xlsx     read the corrections back into the catalogs

One row per message (per plural form for plurals): area, English source, then Arabic, Chinese, French,
Russian and Spanish. The termbase's terms (i18n/termbase.tsv) are marked in bold blue in every
language, the approved renderings listed in a "Terms" column, and a cell that does not use an approved
rendering is shaded and explained in the "Check" column. Only the five translation columns can be
edited (the sheet is protected without a password, so that the key and the source stay as written).

Reading back changes only the cells that differ from the catalogs, and refuses a correction that would
break the program: an emptied cell, or placeholders ({name}) that are not the source's. Refusals are
listed with their row; nothing else is touched. Run the test suite afterwards (French spacing, termbase).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from i18n.catalogs import area_files, messages_dir
from i18n.termbase import LANGS, normal, terms_in

SOURCE = "en"
HEADERS = ["key", "Area", "Form", "English (source)", "العربية (ar)", "中文 (zh)", "Français (fr)",
           "Русский (ru)", "Español (es)", "Terms", "Check"]
FIRST_LANGUAGE_COLUMN = 5           # 1-based: E
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)[sdr]|%[sdr]")
TERM_COLOUR = "1F4E79"
FLAG_FILL = "FCE4D6"


@dataclass
class Row:
    area: str
    msgid: str | tuple[str, ...]
    form: int | None                       # plural form, None for a simple message
    english: str
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        ids = [self.msgid] if isinstance(self.msgid, str) else list(self.msgid)
        return json.dumps([self.area, ids, self.form], ensure_ascii=False)


def _read_catalogs() -> dict[str, dict[str, Catalog]]:
    from i18n.tools import _read  # the catalog workflow's reader (locale settings per language)

    return {code: {po.stem: _read(po, code) for po in area_files(code)} for code in (SOURCE, *LANGS)}


def rows(catalogs: dict[str, dict[str, Catalog]] | None = None) -> Iterator[Row]:
    catalogs = catalogs or _read_catalogs()
    for area, english in sorted(catalogs[SOURCE].items()):
        for message in english:
            if not message.id:
                continue
            if isinstance(message.id, str):
                row = Row(area, message.id, None, message.id)
                for code in LANGS:
                    found = catalogs[code].get(area, Catalog()).get(message.id)
                    row.texts[code] = (found.string if found else "") or ""
                yield row
                continue
            forms = max(len(_strings(catalogs[code].get(area, Catalog()).get(message.id))) for code in LANGS)
            for form in range(max(forms, 2)):
                row = Row(area, tuple(message.id), form, message.id[0] if form == 0 else message.id[1])
                for code in LANGS:
                    strings = _strings(catalogs[code].get(area, Catalog()).get(message.id))
                    row.texts[code] = strings[form] if form < len(strings) else ""
                yield row


def _strings(message: object) -> list[str]:
    if message is None:
        return []
    string = message.string  # type: ignore[attr-defined]
    return [string or ""] if isinstance(string, str) else [s or "" for s in string]


def term_check(row: Row) -> tuple[str, dict[str, list[str]]]:
    """The "Terms" note of a row and, per language, the approved renderings it lacks."""
    checked, _mentioned = terms_in(row.english)
    lines, lacking = [], {}
    for term in checked:
        lines.append(f"{term.id}: " + "; ".join(f"{code} {'|'.join(term.approved[code])}" for code in LANGS))
        for code in LANGS:
            text = row.texts.get(code, "")
            if text and not any(p.search(normal(text)) for p in term.approved_patterns(code)):
                lacking.setdefault(code, []).append(f"{term.id}: {' | '.join(term.approved[code])}")
    return "\n".join(lines), lacking


def _marked(text: str, patterns: list[re.Pattern[str]]):  # noqa: ANN202 - openpyxl's rich text or str
    """The text with every match of the patterns in bold blue (openpyxl rich text)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    spans = sorted({(m.start(), m.end()) for p in patterns for m in p.finditer(text)})
    if not spans:
        return text
    parts, at = CellRichText(), 0
    for start, end in spans:
        if start < at:
            continue
        if start > at:
            parts.append(text[at:start])
        parts.append(TextBlock(InlineFont(b=True, color=TERM_COLOUR), text[start:end]))
        at = end
    if at < len(text):
        parts.append(text[at:])
    return parts


def write(path: Path) -> int:
    """Write the review sheet; the number of rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    book = Workbook()
    sheet = book.active
    sheet.title = "Strings"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    flag = PatternFill("solid", fgColor=FLAG_FILL)
    count = 0
    for row in rows():
        terms, lacking = term_check(row)
        checked, _ = terms_in(row.english)
        values = [row.key, row.area, "" if row.form is None else row.form,
                  _marked(row.english, [p for t in checked for p in t.en])]
        values += [_marked(row.texts[code], [p for t in checked for p in t.approved_patterns(code)])
                   for code in LANGS]
        values += [terms, "\n".join(f"{code}: none of {item}" for code, items in lacking.items() for item in items)]
        sheet.append(values)
        count += 1
        line = sheet.max_row
        for offset, code in enumerate(LANGS):
            cell = sheet.cell(line, FIRST_LANGUAGE_COLUMN + offset)
            cell.protection = Protection(locked=False)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="right" if code == "ar" else "left",
                                       readingOrder=2 if code == "ar" else 1)
            if code in lacking:
                cell.fill = flag
        for column in (4, 10, 11):
            sheet.cell(line, column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].hidden = True
    for letter, width in zip("BCDEFGHIJK", (10, 6, 48, 48, 36, 48, 48, 48, 36, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "E2"
    sheet.auto_filter.ref = f"B1:K{sheet.max_row}"
    sheet.protection.sheet = True            # no password: a guard against editing the key, not a lock
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    book.save(path)
    return count


@dataclass
class ReadReport:
    changed: dict[str, int] = field(default_factory=dict)      # language -> strings changed
    refused: list[str] = field(default_factory=list)           # "row 12 (fr): why"

    def summary(self) -> str:
        done = ", ".join(f"{code} {n}" for code, n in self.changed.items() if n) or "none"
        lines = [f"Changed: {done}."]
        lines += [f"Refused: {why}" for why in self.refused]
        return "\n".join(lines)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def read(path: Path) -> ReadReport:
    """Apply the corrections of a review sheet to the catalogs (see the module docstring)."""
    from openpyxl import load_workbook

    from i18n.tools import _write

    catalogs = _read_catalogs()
    report = ReadReport(changed={code: 0 for code in LANGS})
    touched: set[tuple[str, str]] = set()
    sheet = load_workbook(path, read_only=True).worksheets[0]
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not values or not values[0]:
            continue
        try:
            area, ids, form = json.loads(values[0])
        except (ValueError, TypeError):
            report.refused.append(f"row {number}: the hidden key column was changed")
            continue
        msgid = ids[0] if form is None else tuple(ids)
        source = ids[0] if not form else ids[-1]
        for offset, code in enumerate(LANGS):
            index = FIRST_LANGUAGE_COLUMN - 1 + offset
            new = values[index] if index < len(values) else None
            new = "" if new is None else str(new)
            message = catalogs[code].get(area, Catalog()).get(msgid)
            if message is None:
                report.refused.append(f"row {number} ({code}): no such message in {area} (catalogs changed?)")
                continue
            strings = _strings(message)
            if form is not None and form >= len(strings):
                continue   # a plural form this language does not have
            current = strings[0 if form is None else form]
            if new == current:
                continue
            if not new.strip():
                report.refused.append(f"row {number} ({code}): emptied; the translation is kept")
                continue
            extra = _placeholders(new) - _placeholders(" ".join(ids))
            missing = _placeholders(source) - _placeholders(new) if form is None else set()
            if extra or missing:
                why = ([f"{', '.join(sorted(extra))} not in the source"] if extra else []) + \
                      ([f"{', '.join(sorted(missing))} missing"] if missing else [])
                report.refused.append(f"row {number} ({code}): placeholders {'; '.join(why)}; the translation is kept")
                continue
            if form is None:
                message.string = new
            else:
                strings[form] = new
                message.string = tuple(strings)
            report.changed[code] += 1
            touched.add((code, area))
    for code, area in sorted(touched):
        _write(messages_dir(code) / f"{area}.po", catalogs[code][area])
    return report
