"""A live hint about how strong a new passphrase is (a rough estimate, shown while typing)."""

from __future__ import annotations

import math
import string

from desktop.session import MIN_PASSPHRASE
from i18n import _

# Levels: 0 too short, 1 weak, 2 fair, 3 strong, 4 very strong.
LEVEL_MEANINGS = ("danger", "danger", "warning", "good", "good")   # ui/colours.py


def strength(passphrase: str) -> int:
    if len(passphrase) < MIN_PASSPHRASE:
        return 0
    pool = 0
    if any(c in string.ascii_lowercase for c in passphrase):
        pool += 26
    if any(c in string.ascii_uppercase for c in passphrase):
        pool += 26
    if any(c in string.digits for c in passphrase):
        pool += 10
    if any(c in string.punctuation or c == " " for c in passphrase):
        pool += 33
    if any(ord(c) > 127 for c in passphrase):
        pool += 100
    # Repeated characters add little: count distinct characters at full weight, the rest at a quarter.
    distinct = len(set(passphrase))
    effective = distinct + (len(passphrase) - distinct) / 4
    bits = effective * math.log2(max(pool, 2))
    if bits < 45:
        return 1
    if bits < 65:
        return 2
    if bits < 90:
        return 3
    return 4


def hint(passphrase: str) -> str:
    level = strength(passphrase)
    if level == 0:
        return _("Too short: {count} of at least {minimum} characters.").format(
            count=len(passphrase), minimum=MIN_PASSPHRASE)
    return (
        "",
        _("Weak: add more words or characters."),
        _("Fair: a few more words would make it strong."),
        _("Strong."),
        _("Very strong."),
    )[level]
