"""Catalog workflow: `python -m i18n.tools extract|update|compile|stats`.

extract  scans storage/, desktop/, ui/ and i18n/ for _(), N_(), ngettext() and the *_in() forms and
         writes i18n/messages.pot.
update   puts every new msgid into the .po of its area (decided from the file that first uses it)
         in all six languages, drops msgids no longer used, and fills English with the source text.
compile  merges the areas of each language into locale/<ll>/LC_MESSAGES/psea_desk.mo.
stats    prints, per file, how many entries are untranslated or fuzzy (the test suite fails on any).
review [FILE.xlsx]      writes the translators' review sheet (i18n/review.py);
review-read FILE.xlsx   reads their corrections back into the catalogs and compiles them.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from i18n import LANGUAGE_CODES, SOURCE_LANGUAGE
from i18n.catalogs import ARABIC_PLURAL, area_files, compile_language, messages_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("storage", "desktop", "ui", "i18n")
POT = Path(__file__).resolve().parent / "messages.pot"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "gettext_in": (2,),
    "ngettext_in": (2, 3),
}
# First match wins; the substring is looked for in the source path.
AREAS: tuple[tuple[str, str], ...] = (
    ("desktop/launcher", "shell"),
    ("desktop/session", "shell"),
    ("desktop/settings", "shell"),
    ("i18n/qt", "shell"),
    ("desktop/pdf", "letter"),
    ("roster", "roster"),
    ("partner", "partners"),
    ("risk", "risk"),
    ("letter", "letter"),
    ("allegation", "letter"),
    ("signing", "letter"),
    ("verify", "letter"),
    ("bundle", "exchange"),
    ("merge", "exchange"),
    ("region", "exchange"),
    ("exchange", "exchange"),
    ("ui/", "shell"),
)
DEFAULT_AREA = "core"


def area_for(path: str) -> str:
    for needle, area in AREAS:
        if needle in path:
            return area
    return DEFAULT_AREA


def extract() -> Catalog:
    catalog = Catalog(domain="psea_desk", project="PSEA Desk", charset="utf-8")
    for folder in SOURCE_DIRS:
        method_map = [("**.py", "python")]
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            if filename.startswith(("tests", "locale")):
                continue
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    with POT.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
    return catalog


def _read(path: Path, code: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=_babel_locale(code))


def _babel_locale(code: str) -> str:
    return "zh_Hans" if code == "zh" else code


def _write(path: Path, catalog: Catalog) -> None:
    """Write only when the content changed, so that parallel work on other areas is not touched."""
    if "FULL NAME" in (catalog.last_translator or ""):
        catalog.last_translator = "PSEA Desk translators"
    if str(catalog.locale).startswith("ar"):
        catalog._num_plurals, catalog._plural_expr = ARABIC_PLURAL
    catalog.fuzzy = False
    if not isinstance(catalog.revision_date, dt.datetime):
        catalog.revision_date = catalog.creation_date
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, include_previous=False, ignore_obsolete=True)
    data = buf.getvalue()
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def update() -> None:
    template = extract()
    wanted = {m.id: m for m in template if m.id}
    for code in LANGUAGE_CODES:
        areas: dict[str, Catalog] = {}
        for po in area_files(code):
            areas[po.stem] = _read(po, code)
        placed = {mid: area for area, cat in areas.items() for mid in (m.id for m in cat if m.id)}
        for mid, msg in wanted.items():
            area = placed.get(mid) or area_for(msg.locations[0][0])
            cat = areas.setdefault(area, Catalog(locale=_babel_locale(code), domain="psea_desk", project="PSEA Desk"))
            existing = cat.get(mid)
            if existing is None:
                string = (mid if isinstance(mid, str) else tuple(mid)) if code == SOURCE_LANGUAGE else ("" if isinstance(mid, str) else ("",) * cat.num_plurals)
                cat.add(mid, string, msg.locations, auto_comments=msg.auto_comments)
            else:
                existing.locations = msg.locations
                existing.auto_comments = msg.auto_comments
                if code == SOURCE_LANGUAGE:
                    existing.string = mid if isinstance(mid, str) else tuple(mid)
        for area, cat in areas.items():
            for m in list(cat):
                if m.id and m.id not in wanted:
                    del cat[m.id]
            _write(messages_dir(code) / f"{area}.po", cat)


def compile_all() -> None:
    for code in LANGUAGE_CODES:
        compile_language(code)


def stats() -> int:
    problems = 0
    for code in LANGUAGE_CODES:
        for po in area_files(code):
            cat = _read(po, code)
            untranslated = [m.id for m in cat if m.id and not _complete(m.string)]
            fuzzy = [m.id for m in cat if m.id and m.fuzzy]
            if untranslated or fuzzy:
                problems += len(untranslated) + len(fuzzy)
                print(f"{po.relative_to(ROOT)}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
    return problems


def _complete(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "stats"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "stats":
        return 1 if stats() else 0
    elif command == "review":
        from i18n import review

        path = Path(argv[1] if len(argv) > 1 else "i18n-review.xlsx")
        print(f"{review.write(path)} strings written to {path}")
    elif command == "review-read" and len(argv) > 1:
        from i18n import review

        report = review.read(Path(argv[1]))
        compile_all()
        print(report.summary())
        return 1 if report.refused else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
