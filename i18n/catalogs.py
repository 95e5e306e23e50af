"""The catalog files: where they live, how they are compiled, merged and checked.

Catalogs are split by *area* (core, shell, roster, ...) so that work on one instrument does not
collide with another's in the same file; at compile time the areas of one language are merged into a
single `psea_desk.mo`, so at run time there is one catalog per language.
"""

from __future__ import annotations

import gettext as _gettext
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported only when a catalog is merged or compiled (start-up time)
    from babel.messages.catalog import Catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "psea_desk"


def messages_dir(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES"


def area_files(code: str) -> list[Path]:
    return sorted(p for p in messages_dir(code).glob("*.po"))


def compiled_path(code: str) -> Path:
    return messages_dir(code) / f"{DOMAIN}.mo"


def is_stale(code: str) -> bool:
    mo = compiled_path(code)
    if not mo.exists():
        return True
    built = mo.stat().st_mtime
    return any(po.stat().st_mtime > built for po in area_files(code))


def merged_catalog(code: str) -> Catalog:
    """All areas of one language as one Babel catalog (the first area wins a duplicated msgid)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged: Catalog | None = None
    for po in area_files(code):
        with po.open("rb") as fh:
            part = read_po(fh, locale=code if code != "zh" else "zh_Hans")
        if merged is None:
            merged = Catalog(locale=part.locale, domain=DOMAIN)
            # The plural rule is the one the translators saw in the .po header, not Babel's default.
            merged._num_plurals, merged._plural_expr = part.num_plurals, part.plural_expr
        for msg in part:
            if msg.id and msg.id not in merged and msg.string and not msg.fuzzy:
                merged[msg.id] = msg
    return merged or Catalog(locale=code if code != "zh" else "zh_Hans", domain=DOMAIN)


# GNU gettext's standard rule for Arabic (zero, one, two, few 3-10, many 11-99, other). Babel's
# built-in table orders "many" and "other" the other way round; translators expect this one.
ARABIC_PLURAL = (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)")


def compile_language(code: str) -> Path:
    from babel.messages.mofile import write_mo

    target = compiled_path(code)
    target.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_mo(buf, merged_catalog(code))
    tmp = target.with_suffix(".mo.tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(target)
    return target


def translations_in_memory(code: str) -> _gettext.NullTranslations:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, merged_catalog(code))
    buf.seek(0)
    return _gettext.GNUTranslations(buf)
