"""Names as their cultures write them (used by the importer, the demo and the forms)."""

from __future__ import annotations


def is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
               or "\uf900" <= ch <= "\ufaff" for ch in text)


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def full_name(family: str, given: str) -> str:
    """The full name in the order its culture writes it: Chinese, Japanese and Korean family name
    first without a space (张伟); Russian and other Cyrillic names family first, as official lists
    write them (Иванова Анна Сергеевна); otherwise given names first (Aminata Diallo, محمد عثمان)."""
    if not family or not given:
        return family or given
    if is_cjk(family) and is_cjk(given):
        return family + given
    if is_cyrillic(family):
        return f"{family} {given}"
    return f"{given} {family}"
