"""Terminology as data: every termbase term is rendered the approved way, and never a forbidden way.

The termbase is `i18n/termbase.tsv` (one row per concept; docs/i18n.md explains its columns). For each
term, the msgids whose English contains it (word boundary, case-insensitive, any listed variant, a
plural -s/-es allowed) are found in the catalogs, and in each language every msgstr form must contain
one of the approved renderings and none of the forbidden ones.

Rendering patterns (approved and forbidden alike), case-insensitive and matched anywhere in the text
(no word boundary: Arabic clitics and Chinese have none):
- `*` stands for any run of letters, so a stem takes its endings or prefixes: Russian `рабоч* пространств*`
  matches рабочее пространство / рабочего пространства; Arabic `مساح* *عمل` matches مساحة العمل / مساحات عمل;
- a space matches any run of spaces (also no-break spaces), `'` matches ' and ’, ё and е are one letter,
  and Arabic short vowels and tatweel are ignored in the text;
- an abbreviation in capitals (EAS, PEAS, СЭН, ПСЭН) is matched as a whole word and in capitals only.

A plural entry is checked form by form, except Arabic's zero form, which may just say "none".

Where terms overlap in a msgid, the longest wins: "regional coordinator" is not also checked as
"coordinator", nor "Staff Regulations and Rules" as "staff". Before the forbidden renderings of a term
are looked for, the approved renderings of the other terms of that msgid are blanked out, so that
"personnel apparenté" (related personnel) does not count as "personnel" used for "staff".
"""

from __future__ import annotations

import functools

import pytest
from babel.messages.pofile import read_po

from i18n.catalogs import area_files
from i18n.termbase import LANGS, normal, pattern, termbase, terms_in
from i18n.tools import _babel_locale


@functools.cache
def catalog(code: str) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(area, msgid, English text to search, msgstr forms) for every message of one language."""
    out = []
    for po in area_files(code):
        with po.open("rb") as fh:
            for m in read_po(fh, locale=_babel_locale(code)):
                if not m.id:
                    continue
                ids = (m.id,) if isinstance(m.id, str) else tuple(m.id)
                strings = (m.string,) if isinstance(m.string, str) else tuple(m.string)
                out.append((po.name, ids[0], " \n ".join(ids), strings))
    return tuple(out)


def findings(code: str) -> list[str]:
    problems = []
    for area, msgid, english, strings in catalog(code):
        checked, mentioned = terms_in(english)
        for term in checked:
            approved = term.approved_patterns(code)
            others = [p for t in mentioned if t.id != term.id for p in t.approved_patterns(code)]
            for form, text in enumerate(strings):
                if not text:
                    continue  # untranslated: reported by test_catalogs
                plain = normal(text)
                where = f"[{term.id}] {code}/{area}" + (f" form {form}" if len(strings) > 1 else "")
                # Arabic's zero form may say just "none" ("لا توجد تعارضات"): it need not carry the term.
                zero_form = code == "ar" and len(strings) == 6 and form == 0
                if not any(p.search(plain) for p in approved) and not zero_form:
                    problems.append(f"{where}: none of {list(term.approved[code])}\n"
                                    f"    msgid:  {msgid!r}\n    msgstr: {text!r}")
                masked = plain
                for p in others:
                    masked = p.sub(" ", masked)
                for word, p in term.forbidden_patterns(code):
                    if p.search(masked):
                        problems.append(f"{where}: forbidden {word!r}\n"
                                        f"    msgid:  {msgid!r}\n    msgstr: {text!r}")
    return problems


def test_termbase_is_well_formed() -> None:
    terms = termbase()
    ids = [t.id for t in terms]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    for t in terms:
        assert t.en, f"{t.id}: no English term"
        assert t.source.strip(), f"{t.id}: no source"
        for code in LANGS:
            assert t.approved[code], f"{t.id}: no approved rendering in {code}"
            for word, forbidden in t.forbidden_patterns(code):
                clash = [a for a in t.approved[code] if forbidden.search(normal(a.replace("*", "")))]
                assert not clash, f"{t.id}/{code}: forbidden {word!r} matches the approved {clash}"
    # The glossary beside the seeds (/work/shared/glossary.tsv) is part of the termbase.
    for key in ("sea", "psea", "zero_tolerance", "victim_assistance", "related_personnel", "implementing_partner",
                "risk_assessment", "focal_point", "management_letter", "capacity_assessment"):
        assert key in ids, f"glossary term {key} missing from the termbase"


def test_the_matcher_finds_the_terms() -> None:
    """Guard against a check that passes because it matches nothing."""
    seen: dict[str, int] = {}
    for _area, _msgid, english, _strings in catalog("fr"):
        for term in terms_in(english)[0]:
            seen[term.id] = seen.get(term.id, 0) + 1
    for term_id, at_least in (("workspace", 20), ("bundle", 10), ("version", 10), ("staff", 5),
                              ("induction_training", 3), ("refresher_training", 3), ("focal_point", 2),
                              ("regional_coordinator", 3), ("implementing_partner", 5)):
        assert seen.get(term_id, 0) >= at_least, f"{term_id} found in {seen.get(term_id, 0)} msgids only"
    checked, _ = terms_in("Send the bundle to your regional coordinator.")
    assert {t.id for t in checked} == {"bundle", "regional_coordinator"}
    checked, _ = terms_in("under the Staff Regulations and Rules")
    assert {t.id for t in checked} == {"staff_regulations"}
    assert pattern("рабоч* пространств*").search(normal("Рабочего пространства"))
    assert pattern("مساح* *عمل").search(normal("مساحةُ العمل"))


@pytest.mark.parametrize("code", LANGS)
def test_terms_are_rendered_the_approved_way(code: str) -> None:
    problems = findings(code)
    shown = "\n".join(problems[:40])
    more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
    assert not problems, f"{len(problems)} terminology findings in {code} (i18n/termbase.tsv):\n{shown}{more}"
