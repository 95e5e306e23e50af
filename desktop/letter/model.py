"""Letters: one per office, scope, calendar year and language, each with versions.

Scope 'office': an office's assurance to the head of entity; scope 'entity': the entity's letter to the
Secretary-General, written at headquarters (compose.scope_of). Both go through the same gate.

A draft is edited in place (through ws.records, so every change is audited). Signing freezes a
version: its status becomes 'signed', the figures it used and the hash of the signed PDF are kept
on the record and the PDF bytes in `letter_blob`. Editing a signed letter never touches it: the
change makes a new draft version that `supersedes` it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from desktop.carried import CarriedFile, register_carried_file

# The letter instrument's record kinds are LETTER (here) and ALLEGATION_COUNT: importing this module
# must register both, because bundles and merges load kinds through `<instrument>.model`.
from desktop.letter import allegations as allegations  # noqa: F401 - registers ALLEGATION_COUNT
from desktop.letter import attestations as attestations  # noqa: F401 - registers letter_attestation
from i18n import LANGUAGE_CODES, N_
from storage.records import RecordKind, register

if TYPE_CHECKING:
    from storage import Workspace

LETTER = register(RecordKind("letter", "letter", (
    "year", "language", "entity", "version", "supersedes", "status", "signatory_name", "signatory_title",
    "place", "period_start", "period_end", "sections", "checklist", "figures", "signed_at", "signer",
    "cert_sha256", "pdf_sha256", "scope"), long_fields=frozenset({"sections", "checklist", "figures"})))

DRAFT, SIGNED = "draft", "signed"


def _signed_bytes(ws: Workspace, row: dict[str, Any]) -> bytes | None:
    found = ws.connection.execute("SELECT data FROM letter_blob WHERE letter_id = ? AND sha256 = ?",
                                  (row["id"], row["pdf_sha256"])).fetchone()
    return bytes(found[0]) if found else None


def _keep_signed_bytes(ws: Workspace, row: dict[str, Any], data: bytes) -> bool:
    """Only for the letter as stored after the merge: same office, and it names these very bytes."""
    conn = ws.connection
    stored = conn.execute("SELECT office, status, pdf_sha256 FROM letter WHERE id = ?", (row["id"],)).fetchone()
    if stored is None or tuple(stored) != (row["office"], SIGNED, row["pdf_sha256"]):
        return False
    if conn.execute("SELECT 1 FROM letter_blob WHERE letter_id = ? AND sha256 = ?",
                    (row["id"], row["pdf_sha256"])).fetchone():
        return False  # already here: nothing new
    conn.execute("INSERT OR REPLACE INTO letter_blob (letter_id, sha256, data) VALUES (?, ?, ?)",
                 (row["id"], row["pdf_sha256"], data))
    _introduce_signer(ws, row, data)
    return True


def _introduce_signer(ws: Workspace, row: dict[str, Any], data: bytes) -> None:
    """An office's signed bundle vouches for the certificate its own letter was signed with: it becomes
    trusted here (source "bundle:<office>"), so that the letter verifies as from a trusted signer. Only
    the certificate the letter record names, found in that very PDF, and issued to that office (its
    organizational unit is the office's code, as the identities PSEA Desk creates are): an office vouches
    for its own signer, never for someone else's, and never by name."""
    import hashlib
    import io

    from cryptography import x509
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.reader import PdfFileReader

    from desktop.signing import trust

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        ders = [s.signer_cert.dump() for s in signatures if s.signer_cert is not None]
    except Exception:  # noqa: BLE001 - an unreadable PDF introduces nobody
        return
    for der in ders:
        if hashlib.sha256(der).hexdigest() != row.get("cert_sha256"):
            continue
        units = [a.value for a in x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(
            NameOID.ORGANIZATIONAL_UNIT_NAME)]
        if units == [row["office"]]:
            trust.add(ws, der, source=f"bundle:{row['office']}")


# The signed PDF travels in export bundles with its letter record (a coordinator can verify it).
register_carried_file(CarriedFile("letter", "pdf_sha256", lambda row: row.get("status") == SIGNED,
                                  _signed_bytes, _keep_signed_bytes))
EDITABLE = ("signatory_name", "signatory_title", "place", "period_start", "period_end", "sections", "checklist")
SCOPES = ("office", "entity")


def default_scope(ws: Workspace) -> str:
    return "entity" if ws.role == "headquarters" else "office"
MAX_TEXT = 20_000


class LetterError(ValueError):
    """Bad input or a forbidden change; `message` is an untranslated msgid, `params` its placeholders."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def _cols() -> str:
    return ", ".join(LETTER.columns)


def _row(row: tuple) -> dict[str, Any]:
    return dict(zip(LETTER.columns, row, strict=True))


def check_year(year: Any) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise LetterError(N_("The year must be a number such as {example}."), example=dt.date.today().year) from None
    if not 2000 <= y <= 2100:
        raise LetterError(N_("The year must be between 2000 and 2100."))
    return y


def check_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        raise LetterError(N_("Unknown language {code}; use one of ar, zh, en, fr, ru, es."), code=language)
    return language


def versions(ws: Workspace, year: int, language: str, scope: str | None = None) -> list[dict[str, Any]]:
    """All versions for this office (of this workspace's scope by default), newest first."""
    rows = ws.connection.execute(
        f"SELECT {_cols()} FROM letter WHERE deleted = 0 AND office = ? AND year = ? AND language = ?"  # noqa: S608
        " AND scope = ? ORDER BY version DESC, rev DESC",
        (ws.office, int(year), language, scope or default_scope(ws))).fetchall()
    return [_row(r) for r in rows]


def current(ws: Workspace, year: int, language: str, scope: str | None = None) -> dict[str, Any] | None:
    found = versions(ws, year, language, scope)
    return found[0] if found else None


def get(ws: Workspace, letter_id: str) -> dict[str, Any] | None:
    return ws.records.get(LETTER, letter_id)


def all_letters(ws: Workspace) -> list[dict[str, Any]]:
    rows = ws.connection.execute(
        f"SELECT {_cols()} FROM letter WHERE deleted = 0 ORDER BY year DESC, language, version DESC").fetchall()  # noqa: S608
    return [_row(r) for r in rows]


def _defaults(ws: Workspace, year: int) -> dict[str, Any]:
    """A new draft's period (the calendar year). The signatory, the signer's title and the place come
    from the letter settings in the letter's own language when it is composed (settings.py), never
    from another language's letter; what the signer attests is kept per year (attestations.py)."""
    return {"signatory_name": "", "signatory_title": "", "place": "", "checklist": "{}",
            "period_start": f"{year:04d}-01-01", "period_end": f"{year:04d}-12-31"}


def new_draft(ws: Workspace, year: int, language: str) -> dict[str, Any]:  # noqa: D103
    """What `ensure` would create, without writing anything (id None): viewing a year must not
    create letters."""
    year = check_year(year)
    check_language(language)
    data = {f: None for f in LETTER.fields}
    data.update({"id": None, "office": ws.office, "rev": None, "base_rev": None, "deleted": 0, "year": year,
                 "language": language, "entity": ws.entity, "version": 1, "status": DRAFT, "sections": "{}",
                 "figures": "{}", "signer": "", "cert_sha256": "", "pdf_sha256": "", "scope": default_scope(ws),
                 **_defaults(ws, year)})
    return data


def current_or_new(ws: Workspace, year: int, language: str) -> dict[str, Any]:
    return current(ws, check_year(year), check_language(language)) or new_draft(ws, year, language)


def ensure(ws: Workspace, year: int, language: str) -> dict[str, Any]:
    """The current version, or a new draft (signatory carried over from the office's last letter)."""
    year = check_year(year)
    check_language(language)
    with ws.transaction():
        found = current(ws, year, language)
        if found is not None:
            return found
        data = {"year": year, "language": language, "entity": ws.entity, "version": 1, "supersedes": None,
                "status": DRAFT, "sections": "{}", "figures": "{}", "signed_at": None, "signer": "",
                "cert_sha256": "", "pdf_sha256": "", "scope": default_scope(ws), **_defaults(ws, year)}
        return ws.records.insert(LETTER, data)


def _validate(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise LetterError(N_("These fields cannot be edited: {fields}."), fields=", ".join(sorted(unknown)))
    out = dict(changes)
    for key in ("signatory_name", "signatory_title", "place"):
        if key in out:
            value = str(out[key] or "").strip()
            if len(value) > 300:
                raise LetterError(N_("This text is too long (at most {maximum} characters)."), maximum=300)
            out[key] = value
    for key in ("period_start", "period_end"):
        if key in out and out[key]:
            try:
                out[key] = dt.date.fromisoformat(str(out[key])).isoformat()
            except ValueError:
                raise LetterError(N_("Dates are written YYYY-MM-DD, for example {example}."),
                                  example=dt.date.today().isoformat()) from None
    if out.get("period_start") and out.get("period_end") and out["period_start"] > out["period_end"]:
        raise LetterError(N_("The period ends before it starts."))
    if "sections" in out:
        # The templates (the letter's text in six languages) are loaded by the edits that need them, not
        # when the registry imports this model for its record kinds (command-line start-up, issue 14).
        from desktop.letter import templates

        sections = out["sections"] if isinstance(out["sections"], dict) else json.loads(out["sections"] or "{}")
        for key, text in sections.items():
            if key not in templates.EDITABLE_KEYS:
                raise LetterError(N_("Unknown section {key}."), key=key)
            if text is not None and (not isinstance(text, str) or len(text) > MAX_TEXT):
                raise LetterError(N_("This text is too long (at most {maximum} characters)."), maximum=MAX_TEXT)
        out["sections"] = json.dumps({k: v for k, v in sections.items() if v},
                                     ensure_ascii=False, sort_keys=True)
    if "checklist" in out:  # before attestations were records; kept readable, no longer written
        out.pop("checklist")
    return out


def update(ws: Workspace, letter_id: str, changes: dict[str, Any], *, expected_rev: str | None = None) -> dict[str, Any]:
    """Edit a draft; editing a signed letter makes a new draft version (the signed one stays frozen)."""
    clean = _validate(changes)
    with ws.transaction():
        letter = get(ws, letter_id)
        if letter is None:
            raise LetterError(N_("This letter no longer exists."))
        if letter["status"] == SIGNED:
            newest = current(ws, letter["year"], letter["language"])
            if newest is not None and newest["id"] != letter["id"]:
                raise LetterError(N_("A newer version of this letter exists; edit that one."))
            data = {f: letter[f] for f in LETTER.fields}
            data.update(clean, version=letter["version"] + 1, supersedes=letter["id"], status=DRAFT,
                        figures="{}", signed_at=None, signer="", cert_sha256="", pdf_sha256="")
            return ws.records.insert(LETTER, data)
        return ws.records.update(LETTER, letter_id, clean, expected_rev=expected_rev)


def save_draft(ws: Workspace, letter: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The window's "Save": the letter as shown (maybe not stored yet) with its changes, in one
    transaction; a signed version gets a new draft version. Returns the stored version."""
    with ws.transaction():
        stored = letter if letter.get("id") else ensure(ws, letter["year"], letter["language"])
        return update(ws, stored["id"], changes, expected_rev=stored["rev"])


def sections_of(letter: dict[str, Any]) -> dict[str, str]:
    return json.loads(letter.get("sections") or "{}")


def checklist_of(letter: dict[str, Any]) -> dict[str, bool]:
    return json.loads(letter.get("checklist") or "{}")


def freeze(ws: Workspace, letter_id: str, *, pdf: bytes, figures: dict[str, Any], signer: str,
           cert_sha256: str, signed_at: str, names: dict[str, str] | None = None) -> dict[str, Any]:
    """Store a signed version: the record becomes 'signed' with its figures, the attestations it was
    signed with and the names it printed (in `figures`); the bytes go to letter_blob."""
    import hashlib  # here, not at the top: the registry imports this model at every command's start-up

    digest = hashlib.sha256(pdf).hexdigest()
    with ws.transaction() as conn:
        letter = get(ws, letter_id)
        if letter is None:
            raise LetterError(N_("This letter no longer exists."))
        if letter["status"] == SIGNED:
            raise LetterError(N_("This version is already signed; edit it to make a new version."))
        kept = dict(figures)
        kept["attestations"] = attestations.confirmed(ws, int(letter["year"]), letter.get("scope") or "office")
        if names is not None:
            kept["names"] = names
        changes = {"status": SIGNED, "figures": json.dumps(kept, ensure_ascii=False, sort_keys=True, default=str),
                   "signer": signer, "cert_sha256": cert_sha256, "signed_at": signed_at, "pdf_sha256": digest}
        if names is not None:
            changes.update(signatory_name=names.get("name", ""), signatory_title=names.get("title", ""),
                           place=names.get("place", ""))
        record = ws.records.update(LETTER, letter_id, changes)
        conn.execute("INSERT OR REPLACE INTO letter_blob (letter_id, sha256, data) VALUES (?, ?, ?)",
                     (letter_id, digest, pdf))
    return record


def signed_pdf(ws: Workspace, letter_id: str) -> bytes | None:
    row = ws.connection.execute("SELECT data FROM letter_blob WHERE letter_id = ?", (letter_id,)).fetchone()
    return bytes(row[0]) if row else None
