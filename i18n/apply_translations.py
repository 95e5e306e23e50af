"""Fill a catalog area from a Python mapping {msgid: {lang: msgstr}} — a translator's convenience.

Usage: python -m i18n.apply_translations AREA FILE.py   (FILE.py defines T = {...})
Only empty entries are filled unless --overwrite is given; unknown msgids are reported.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from i18n import LANGUAGE_CODES, SOURCE_LANGUAGE
from i18n.catalogs import messages_dir
from i18n.tools import _babel_locale, _write


def apply(area: str, table: dict, *, overwrite: bool = False) -> list[str]:
    unknown = []
    for code in LANGUAGE_CODES:
        if code == SOURCE_LANGUAGE:
            continue
        path = messages_dir(code) / f"{area}.po"
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=_babel_locale(code))
        for msgid, by_lang in table.items():
            key = msgid if isinstance(msgid, str) else msgid[0]
            message = catalog.get(key)
            if message is None:
                if code == "fr":
                    unknown.append(key)
                continue
            if code not in by_lang:
                continue
            if overwrite or not (all(message.string) if isinstance(message.string, tuple) else message.string):
                value = by_lang[code]
                message.string = tuple(value) if isinstance(value, (tuple, list)) else value
                message.flags.discard("fuzzy")
        _write(path, catalog)
    return unknown


if __name__ == "__main__":
    overwrite = "--overwrite" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--overwrite"]
    table = runpy.run_path(str(Path(args[1])))["T"]
    missing = apply(args[0], table, overwrite=overwrite)
    for m in missing:
        print("not in catalog:", m)
