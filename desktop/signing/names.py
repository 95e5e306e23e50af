"""A certificate's subject or issuer as a person reads it: "Amina Diallo, Representative, UNICEF, KE" —
the values in a fixed order, with no attribute labels (which would be English on a translated screen,
or an OID such as "2.5.4.12=" that no one can read)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

# asn1crypto's names (pyHanko's certificates) and cryptography's OIDs, in the order they are shown.
_ORDER = (("common_name", NameOID.COMMON_NAME), ("title", NameOID.TITLE),
          ("organizational_unit_name", NameOID.ORGANIZATIONAL_UNIT_NAME),
          ("organization_name", NameOID.ORGANIZATION_NAME), ("locality_name", NameOID.LOCALITY_NAME),
          ("country_name", NameOID.COUNTRY_NAME))


def _join(values: list[str]) -> str:
    seen: list[str] = []
    for value in values:
        text = " ".join(str(value).split())
        if text and text not in seen:
            seen.append(text)
    return ", ".join(seen)


def readable_native(native: Mapping[str, Any]) -> str:
    """From asn1crypto's `Name.native` (a dict of attribute name to value or list of values)."""
    values: list[str] = []
    for key, _oid in _ORDER:
        value = native.get(key)
        values += value if isinstance(value, list) else ([value] if value else [])
    return _join(values)


def readable_name(name: x509.Name) -> str:
    """From cryptography's `x509.Name`."""
    return _join([attribute.value for _key, oid in _ORDER for attribute in name.get_attributes_for_oid(oid)
                  if isinstance(attribute.value, str)])


def readable_subject(der: bytes) -> str:
    try:
        return readable_name(x509.load_der_x509_certificate(der).subject)
    except ValueError:
        return ""
