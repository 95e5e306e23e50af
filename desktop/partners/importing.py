"""Importing the partner register from a spreadsheet (CSV or XLSX): partners and their agreements,
all or nothing, through the shared import (`desktop.spreadsheet`: reading, dates, column guessing,
row report) and the window's shared wizard.

One row is one partner, optionally with one agreement; a partner with several agreements takes
several rows (the partner's cells may be repeated or left empty on the later rows). Headers and
values (types, yes/no) are recognised in the six languages (`data/import_words.json`).

Partners already in this office are recognised by their name (compared without case, accents or
punctuation): what the file gives replaces what is recorded, an empty cell changes nothing, and a
partner whose recorded values are those of the file is left as it is. Agreements are recognised by
their reference within their partner in the same way. So importing the same file again writes
nothing. A SEA-clause cell that says "unknown" is an empty cell: it never erases a recorded answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.partners.model import AGREEMENT, PARTNER, PARTNER_TYPES
from desktop.spreadsheet import analysis as _analysis
from desktop.spreadsheet.columns import guess_columns, unused_columns, unused_sentence, value_words
from desktop.spreadsheet.dates import BadDate, parse_date
from desktop.spreadsheet.problems import ImportCancelled, ImportProblem, RowProblem
from desktop.spreadsheet.rows import cell_reader, data_rows
from desktop.spreadsheet.steps import ON_IMPORT, WILL, Outcome, Steps
from desktop.spreadsheet.steps import run as _run
from desktop.spreadsheet.words import clean_text, fold, load_words, word_lists
from i18n import N_, _, ngettext
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

WORDS = Path(__file__).resolve().parent / "data" / "import_words.json"
MAX_ROWS = 20_000     # a register, not a roster: an office has tens or hundreds of partners
MAX_NAME = 200
MAX_TEXT = 200
NAMES_SHOWN = 20      # partners named in the preview's list of those updated

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("Partner name")),
    ("acronym", N_("Acronym")),
    ("partner_type", N_("Type")),
    ("country", N_("Country")),
    ("registration_id", N_("Registration or Partner Portal id")),
    ("contact", N_("Contact")),
    ("beneficiary_contact", N_("Has contact with beneficiaries")),
    ("agreement_reference", N_("Agreement reference")),
    ("agreement_title", N_("Agreement title")),
    ("start_on", N_("Agreement start")),
    ("end_on", N_("Agreement end")),
    ("sea_clause", N_("SEA clauses")),
)
DATE_FIELDS = ("start_on", "end_on")
TEXT_FIELDS = ("acronym", "country", "registration_id", "contact")
PARTNER_FIELDS = ("acronym", "partner_type", "country", "registration_id", "contact", "beneficiary_contact")
AGREEMENT_FIELDS = ("agreement_title", "start_on", "end_on", "sea_clause")
# the file's agreement fields -> the record's
AGREEMENT_COLUMNS = {"agreement_title": "title", "start_on": "start_on", "end_on": "end_on",
                     "sea_clause": "sea_clause"}
# The labels a yes/no cell may also carry: the agreement dialog's choices.
CLAUSE_LABELS = ((True, N_("Contains the SEA clauses")), (False, N_("Without the SEA clauses")),
                 (None, N_("Not recorded")))


def field_label(code: str) -> str:
    return _(dict(FIELDS)[code])


def _key(text: str) -> str:
    """How names and references are compared: without case, accents or punctuation (as typed when
    nothing else is left)."""
    return fold(text) or text


# ---- words --------------------------------------------------------------------------------------------
@cache
def header_synonyms() -> dict[str, tuple[str, ...]]:
    return word_lists(load_words(WORDS)["headers"])


@cache
def type_words() -> dict[str, str]:
    return value_words(word_lists(load_words(WORDS)["partner_types"]), tuple(PARTNER_TYPES.items()))


@cache
def answer_words() -> dict[str, str]:
    """Folded word -> "yes" | "no" | "unknown"."""
    data = load_words(WORDS)
    labels = tuple(({True: "yes", False: "no", None: "unknown"}[value], label) for value, label in CLAUSE_LABELS)
    return value_words({key: tuple(data[key]) for key in ("yes", "no", "unknown")}, labels)


def guess_mapping(headers: list[str]) -> dict[str, int]:
    return guess_columns(headers, FIELDS, header_synonyms())


def missing_required(mapping: dict[str, int]) -> list[str]:
    out = []
    if "name" not in mapping:
        out.append(field_label("name"))
    if "agreement_reference" not in mapping and any(f in mapping for f in AGREEMENT_FIELDS):
        out.append(field_label("agreement_reference"))
    return out


# ---- step 1 ---------------------------------------------------------------------------------------------
def analyse(path: Path | str, *, cancel: Callable[[], bool] | None = None,
            progress: Callable[[float], None] | None = None) -> _analysis.Analysis:
    return _analysis.analyse(
        path, guess_mapping, DATE_FIELDS, cancel=cancel, progress=progress, max_rows=MAX_ROWS,
        no_headers=_("The first row does not look like column headings (partner name, type, agreement...). "
                     "Add a header row and retry."))


# ---- step 2 ---------------------------------------------------------------------------------------------
@dataclass
class FileAgreement:
    line: int
    reference: str
    given: dict[str, Any]            # record field -> value, only what the file gives


@dataclass
class FilePartner:
    line: int
    name: str
    given: dict[str, Any]            # record field -> value, only what the file gives (not the name)
    agreements: dict[str, FileAgreement] = field(default_factory=dict)   # folded reference ->


@dataclass
class Changes:
    """What a plan does to the workspace as it is now."""
    new_partners: list[FilePartner] = field(default_factory=list)
    partner_updates: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)   # (id, changes, name)
    unchanged_partners: int = 0
    # (partner id, or the key of a new partner, and the agreement)
    new_agreements: list[tuple[str, FileAgreement]] = field(default_factory=list)
    agreement_updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged_agreements: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)     # folded name -> "added" | "updated" | "unchanged"


@dataclass
class Plan:
    rows: int = 0
    partners: dict[str, FilePartner] = field(default_factory=dict)     # folded name ->
    problems: list[RowProblem] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    cleaned: int = 0
    changes: Changes | None = None     # against the workspace when it was checked (the preview)


class _Refused(Exception):
    """A row that cannot be imported; str() is the translated reason."""


def _text(value: Any) -> tuple[str, bool]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text("" if value is None else str(value))


def _answer(value: Any, column: str) -> bool | None | str:
    """True / False / None (unknown or empty) from a yes/no cell; "" when the cell is empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    text = _text(value)[0]
    if not fold(text):
        return None if text else ""
    word = answer_words().get(fold(text))
    if word is None:
        raise _Refused(_("{column}: “{value}” is not yes, no or unknown.").format(column=field_label(column),
                                                                                 value=text[:60]))
    return {"yes": True, "no": False, "unknown": None}[word]


def _date(cell: Any, column: str, order: str | None, today: dt.date) -> str | None:
    try:
        d = parse_date(cell, order)
    except BadDate as exc:
        raise _Refused(_("{column}: {problem}").format(column=field_label(column), problem=str(exc))) from None
    if d is None:
        return None
    if not 1990 <= d.year <= today.year + 20:
        raise _Refused(_("{column}: the year is not plausible").format(column=field_label(column)))
    return d.isoformat()


def _read_row(row: list[Any], cell: Callable[[list[Any], str], Any], order: str | None,
              today: dt.date) -> tuple[str, dict[str, Any], tuple[str, dict[str, Any]] | None, bool]:
    """(name, partner fields given, (reference, agreement fields given) or None, cleaned) of one row."""
    name, cleaned = _text(cell(row, "name"))
    if not name:
        raise _Refused(_("The name is empty."))
    if len(name) > MAX_NAME:
        raise _Refused(_("The name is longer than {limit} characters.").format(limit=MAX_NAME))
    given: dict[str, Any] = {}
    for code in TEXT_FIELDS:
        value, changed = _text(cell(row, code))
        cleaned |= changed
        if len(value) > MAX_TEXT:
            raise _Refused(_("{column}: longer than {limit} characters").format(column=field_label(code),
                                                                                 limit=MAX_TEXT))
        if value:
            given[code] = value
    type_text = _text(cell(row, "partner_type"))[0]
    if type_text:
        code = type_words().get(fold(type_text))
        if code is None:
            raise _Refused(_("Unknown partner type: {value}.").format(value=type_text[:60]))
        given["partner_type"] = code
    contact = _answer(cell(row, "beneficiary_contact"), "beneficiary_contact")
    if contact not in ("", None):
        given["beneficiary_contact"] = 1 if contact else 0
    reference, changed = _text(cell(row, "agreement_reference"))
    cleaned |= changed
    agreement: dict[str, Any] = {}
    title = _text(cell(row, "agreement_title"))[0]
    if len(title) > MAX_TEXT or len(reference) > MAX_TEXT:
        column = "agreement_title" if len(title) > MAX_TEXT else "agreement_reference"
        raise _Refused(_("{column}: longer than {limit} characters").format(column=field_label(column),
                                                                             limit=MAX_TEXT))
    if title:
        agreement["title"] = title
    for code in DATE_FIELDS:
        value = _date(cell(row, code), code, order, today)
        if value is not None:
            agreement[code] = value
    if agreement.get("start_on") and agreement.get("end_on") and agreement["end_on"] < agreement["start_on"]:
        raise _Refused(_("An agreement cannot end before it starts."))
    clause = _answer(cell(row, "sea_clause"), "sea_clause")
    if clause not in ("", None):
        agreement["sea_clause"] = 1 if clause else 0
    if not reference:
        if agreement:
            raise _Refused(_("An agreement needs a reference."))
        return name, given, None, cleaned
    return name, given, (reference, agreement), cleaned


def check(ws: Workspace, analysis: _analysis.Analysis, mapping: dict[str, int] | None = None,
          date_order: str | None = None, *, progress: Callable[[float], None] | None = None,
          cancel: Callable[[], bool] | None = None) -> Plan:
    """Every row, with the chosen columns and date order: a plan, or the rows refused with their reasons;
    then what the plan would change in this office (`plan.changes`, shown before the import)."""
    mapping = dict(analysis.mapping if mapping is None else mapping)
    missing = missing_required(mapping)
    if missing:
        raise ImportProblem(_("Required columns are missing: {columns}.").format(columns=", ".join(missing)))
    order = date_order or analysis.date_order
    plan = Plan(unused_columns=unused_columns(analysis.headers, mapping))
    cell = cell_reader(mapping)
    today = dt.date.today()
    for line, row in data_rows(analysis, mapping, max_rows=MAX_ROWS, progress=progress, cancel=cancel, every=500):
        plan.rows += 1
        try:
            name, given, agreement, cleaned = _read_row(row, cell, order, today)
            _add_row(plan, line, name, given, agreement)
        except _Refused as exc:
            plan.problems.append(RowProblem(line, str(exc)))
            continue
        plan.cleaned += cleaned
    if not plan.problems:
        plan.changes = changes(ws, plan)
        plan.problems = list(plan.changes.problems)
    return plan


def _add_row(plan: Plan, line: int, name: str, given: dict[str, Any],
             agreement: tuple[str, dict[str, Any]] | None) -> None:
    key = _key(name)
    partner = plan.partners.get(key)
    if partner is None:
        partner = plan.partners[key] = FilePartner(line, name, {})
    else:
        for code, value in given.items():
            if code in partner.given and partner.given[code] != value:
                raise _Refused(_("Same partner as row {row}, but another value in “{column}”.").format(
                    row=partner.line, column=field_label(code)))
        if agreement is None:
            raise _Refused(_("Duplicate of row {row}.").format(row=partner.line))
    if agreement is not None:
        reference, fields = agreement
        akey = _key(reference)
        known = partner.agreements.get(akey)
        if known is not None:
            for code, value in fields.items():
                if code in known.given and known.given[code] != value:
                    column = {"title": "agreement_title"}.get(code, code)
                    raise _Refused(_("Same agreement as row {row}, but another value in “{column}”.").format(
                        row=known.line, column=field_label(column)))
            if fields.items() <= known.given.items():
                raise _Refused(_("Duplicate of row {row}.").format(row=known.line))
            known.given.update(fields)
        else:
            partner.agreements[akey] = FileAgreement(line, reference, dict(fields))
    partner.given.update(given)


def changes(ws: Workspace, plan: Plan) -> Changes:
    """What the plan does to this office's partners and agreements as they are now."""
    out = Changes()
    cols = PARTNER.columns
    existing: dict[str, list[dict[str, Any]]] = {}
    for row in ws.connection.execute(
            f"SELECT {', '.join(cols)} FROM partner WHERE deleted = 0 AND office = ?", (ws.office,)):  # noqa: S608
        record = dict(zip(cols, row, strict=True))
        existing.setdefault(_key(record["name"]), []).append(record)
    acols = AGREEMENT.columns
    agreements: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in ws.connection.execute(
            f"SELECT {', '.join(acols)} FROM partner_agreement WHERE deleted = 0 AND office = ?",  # noqa: S608
            (ws.office,)):
        record = dict(zip(acols, row, strict=True))
        agreements.setdefault(record["partner_id"], {}).setdefault(_key(record["reference"]), []).append(record)
    for key, partner in plan.partners.items():
        found = existing.get(key, [])
        if len(found) > 1:
            out.problems.append(RowProblem(partner.line, _(
                "Several partners of this office are called “{name}”: rename them so that the file can say "
                "which one it means.").format(name=partner.name)))
            continue
        if not found:
            out.new_partners.append(partner)
            out.new_agreements.extend((key, a) for a in partner.agreements.values())
            out.states[key] = "added"
            continue
        record = found[0]
        diff = {f: v for f, v in partner.given.items() if record[f] != v}
        if diff:
            out.partner_updates.append((record["id"], diff, record["name"]))
        else:
            out.unchanged_partners += 1
        writes = len(out.new_agreements) + len(out.agreement_updates)
        theirs = agreements.get(record["id"], {})
        for akey, agreement in partner.agreements.items():
            matches = theirs.get(akey, [])
            if len(matches) > 1:
                out.problems.append(RowProblem(agreement.line, _(
                    "{partner} has several agreements with the reference “{reference}”.").format(
                    partner=record["name"], reference=agreement.reference)))
                continue
            if not matches:
                out.new_agreements.append((record["id"], agreement))
                continue
            current = matches[0]
            wanted = {AGREEMENT_COLUMNS[c] if c in AGREEMENT_COLUMNS else c: v for c, v in agreement.given.items()}
            adiff = {f: v for f, v in wanted.items() if current[f] != v}
            start, end = adiff.get("start_on", current["start_on"]), adiff.get("end_on", current["end_on"])
            if start and end and end < start:
                out.problems.append(RowProblem(agreement.line, _("An agreement cannot end before it starts.")))
                continue
            if adiff:
                out.agreement_updates.append((current["id"], adiff))
            else:
                out.unchanged_agreements += 1
        changed = diff or len(out.new_agreements) + len(out.agreement_updates) > writes
        out.states[key] = "updated" if changed else "unchanged"
    out.problems.sort(key=lambda p: p.row)
    return out


# ---- what the wizard and the command line say -----------------------------------------------------------
def _counts(c: Changes) -> dict[str, int]:
    return {"added": len(c.new_partners), "updated": len(c.partner_updates), "unchanged": c.unchanged_partners,
            "agreements_added": len(c.new_agreements), "agreements_updated": len(c.agreement_updates),
            "agreements_unchanged": c.unchanged_agreements}


def _notes(plan: Plan, c: Changes) -> list[str]:
    lines = []
    if c.partner_updates:
        names = [name for _id, _diff, name in c.partner_updates]
        shown = ", ".join(names[:NAMES_SHOWN]) + (" …" if len(names) > NAMES_SHOWN else "")
        lines.append(_("Already in this office, updated from the file: {names}.").format(names=shown))
    untyped = sum(1 for p in c.new_partners if "partner_type" not in p.given)
    if untyped:
        lines.append(ngettext("{n} new partner has no type in the file; it is recorded as “{type}”.",
                              "{n} new partners have no type in the file; they are recorded as “{type}”.",
                              untyped).format(n=number(untyped), type=_(PARTNER_TYPES["other"])))
    unrecorded = sum(1 for _k, a in c.new_agreements if "sea_clause" not in a.given)
    if unrecorded:
        lines.append(ngettext(
            "{n} new agreement does not say whether it contains the SEA clauses; the letter cannot be signed "
            "until that is recorded.",
            "{n} new agreements do not say whether they contain the SEA clauses; the letter cannot be signed "
            "until that is recorded.", unrecorded).format(n=number(unrecorded)))
    if plan.cleaned:
        lines.append(ngettext("Invisible control characters were removed from {n} name.",
                              "Invisible control characters were removed from {n} names.", plan.cleaned).format(
            n=number(plan.cleaned)))
    unused = unused_sentence(plan.unused_columns)
    if unused:
        lines.append(unused)
    return lines


def preview(plan: Plan) -> list[str]:
    c = plan.changes or Changes()
    n = _counts(c)
    return [_("All {rows} rows can be imported: {added} partners added, {updated} updated, {unchanged} unchanged; "
              "{agreements_added} agreements added, {agreements_updated} updated, {agreements_unchanged} "
              "unchanged.").format(rows=number(plan.rows), **{k: number(v) for k, v in n.items()}),
            _("Partners already in this office are recognised by their name, and agreements by their reference: "
              "what the file gives replaces what is recorded; empty cells change nothing."),
            *_notes(plan, c)]


def table(plan: Plan) -> tuple[list[str], list[list[str]]]:
    """The preview's table: each partner of the file, its type and agreements, and what the import does."""
    states = plan.changes.states if plan.changes else {}
    rows = []
    for key, p in plan.partners.items():
        kind = p.given.get("partner_type") or ("other" if states.get(key) == "added" else None)
        rows.append([p.name, _(PARTNER_TYPES[kind]) if kind else "",
                     ", ".join(a.reference for a in p.agreements.values()), _(WILL[states.get(key, "unchanged")])])
    return [field_label("name"), field_label("partner_type"), _("Agreements"), _(ON_IMPORT)], rows


# ---- step 3 ---------------------------------------------------------------------------------------------
def commit(ws: Workspace, plan: Plan, *, progress: Callable[[float], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> Outcome:
    """Write a checked plan in one transaction, against the workspace as it is now (what changed since
    the check is taken into account). Raises ImportProblem (nothing written) if the plan has problems;
    ImportCancelled rolls everything back."""
    if plan.problems:
        raise ImportProblem(_("The file has rows that cannot be imported; nothing was imported."))
    with ws.transaction():
        c = changes(ws, plan)
        if c.problems:
            return Outcome("invalid", rows=plan.rows, problems=c.problems)
        if progress is not None:
            progress(0.1)
        ids: dict[str, str] = {}
        if c.new_partners:
            rows = [{"acronym": "", "partner_type": "other", "country": "", "registration_id": "", "contact": "",
                     "beneficiary_contact": 1, "notes": "", **p.given, "name": p.name} for p in c.new_partners]
            added = ws.records.insert_many(PARTNER, rows)
            ids = {_key(p.name): rec["id"] for p, rec in zip(c.new_partners, added, strict=True)}
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(0.5)
        if c.partner_updates:
            ws.records.update_many(PARTNER, [(pid, diff) for pid, diff, _name in c.partner_updates])
        if c.new_agreements:
            rows = []
            for owner, a in c.new_agreements:
                data = {AGREEMENT_COLUMNS.get(k, k): v for k, v in a.given.items()}
                rows.append({"title": "", "start_on": None, "end_on": None, "sea_clause": None, **data,
                             "partner_id": ids.get(owner, owner), "reference": a.reference})
            ws.records.insert_many(AGREEMENT, rows)
        if c.agreement_updates:
            ws.records.update_many(AGREEMENT, c.agreement_updates)
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(1.0)
    n = _counts(c)
    return Outcome("done", _("{rows} rows imported: {added} partners added, {updated} updated, {unchanged} "
                             "unchanged; {agreements_added} agreements added, {agreements_updated} updated, "
                             "{agreements_unchanged} unchanged.").format(
        rows=number(plan.rows), **{k: number(v) for k, v in n.items()}),
        rows=plan.rows, lines=_notes(plan, c), counts=n)


STEPS = Steps(title=N_("Import partners and agreements"), fields=FIELDS, analyse=analyse,
              missing_required=missing_required, check=check, preview=preview, commit=commit,
              file_title=N_("Import partners and agreements"), table=table)


def import_file(ws: Workspace, path: Path | str, *, date_order: str | None = None, dry_run: bool = False,
                progress: Callable[[float], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> Outcome:
    """Analyse, check and (unless dry_run) commit a file; never raises for bad input."""
    return _run(STEPS, ws, path, date_order=date_order, dry_run=dry_run, progress=progress,  # type: ignore[return-value]
                cancel=cancel)
