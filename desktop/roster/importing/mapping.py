"""Which column of a file holds which field: the fields, the guess from the headers, what is missing.

The guess (`desktop.spreadsheet.columns`) compares folded headers with the synonyms of
`data/headers.json` and the fields' labels in the six languages: exact words first, then a header that
contains one. A name split in parts is
recognised with its ambiguous headers ("Nom" beside "Prénom" is the family name).
"""

from __future__ import annotations

from desktop.roster.importing.synonyms import header_synonyms, paired_name_headers
from desktop.spreadsheet.columns import guess_columns
from desktop.spreadsheet.columns import unused_columns as unused_columns  # the roster's name for it
from desktop.spreadsheet.words import fold
from i18n import N_, _

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
NAME_PARTS = ("family_name", "second_family_name", "given_names", "middle_names")


def field_label(code: str) -> str:
    return _(dict(FIELDS)[code])


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


def guess_mapping(headers: list[str]) -> dict[str, int]:
    mapping = guess_columns(headers, FIELDS, header_synonyms())
    folded = [fold(h) for h in headers]
    # A header that names the full name alone names one part of it beside a column of the other part
    # (Nom/Prénom, Nombre/Apellido, Имя/Фамилия, 名字/姓, Name/Surname).
    family_when_paired, given_when_paired = paired_name_headers()
    if "name" in mapping:
        header = folded[mapping["name"]]
        if "family_name" in mapping and "given_names" not in mapping and header in given_when_paired:
            mapping["given_names"] = mapping.pop("name")
        elif "given_names" in mapping and "family_name" not in mapping and header in family_when_paired:
            mapping["family_name"] = mapping.pop("name")
    return mapping
