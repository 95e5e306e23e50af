"""The three roles of a workspace (design.md, "The reporting chain"), chosen when it is created.

A country office keeps its own records and sends bundles to its regional coordinator; a coordinator
merges its offices' bundles, sees the region and relays the offices' records, signed by each office,
to headquarters; headquarters merges everything and composes the entity's letter.
"""

from __future__ import annotations

import re

from i18n import N_, _
from storage.roles import ROLES

ROLE_LABELS = {
    "office": N_("Country office"),
    "region": N_("Regional coordinator"),
    "headquarters": N_("Headquarters"),
}
# An office code travels in every bundle and names the office in every table: letters, digits and
# a few separators, as offices write them (KEN-NBO, RO_ESA, HQ.NY).
_OFFICE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
MAX_ENTITY = 120
MAX_OFFICE_NAME = 120


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role, ROLE_LABELS["office"]))


def problem_with_new_workspace(office: str, entity: str, role: str = "office", office_name: str = "") -> str | None:
    """Why these details cannot make a workspace (a translated sentence), or None."""
    if not office:
        return _("Enter the office code, for example KEN-NBO.")
    if not _OFFICE_CODE.fullmatch(office):
        return _("The office code may hold letters, digits, '-', '_' and '.', at most 32 characters, for example "
                 "KEN-NBO.")
    if not entity.strip():
        return _("Enter the entity, for example UN-Habitat.")
    if len(entity) > MAX_ENTITY:
        return _("The entity's name is longer than {limit} characters.").format(limit=MAX_ENTITY)
    if len(office_name) > MAX_OFFICE_NAME:
        return _("The office's name is longer than {limit} characters.").format(limit=MAX_OFFICE_NAME)
    if role not in ROLES:
        return _("Unknown role: {role}.").format(role=role)
    return None


__all__ = ["ROLES", "ROLE_LABELS", "problem_with_new_workspace", "role_label"]
