"""Known course titles: what a title in an HR or LMS export means, from a data file.

`data/course_titles.json` lists courses (the UN's mandatory PSEA e-learning, agencies' own PSEA
courses, common mandatory courses that are not PSEA) with their titles in the six languages, their
LMS codes, their kind, a source and whether the source confirmed them. The importer recognises a
title when its folded form equals a known title, or when it carries a known code ("LMS-2398 …");
everything else is a course the user classifies (or leaves "not yet classified", and is told).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from desktop.spreadsheet.words import fold

__all__ = ["DATA", "KnownCourse", "fold", "known_courses", "recognise"]

DATA = Path(__file__).resolve().parent / "data" / "course_titles.json"


@dataclass(frozen=True)
class KnownCourse:
    key: str
    kind: str
    reference: str | None   # the code of the reference course it is (REFERENCE_COURSES), if any
    verified: bool
    source: str
    titles: dict[str, tuple[str, ...]]
    codes: tuple[str, ...]

    def title(self, language: str = "en") -> str:
        """A title to name the course by, in `language` if the data has one."""
        for code in (language, "en", *self.titles):
            if self.titles.get(code):
                return self.titles[code][0]
        return self.key


@cache
def known_courses() -> tuple[KnownCourse, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = []
    for entry in data["courses"]:
        out.append(KnownCourse(entry["key"], entry["kind"], entry.get("reference"), bool(entry.get("verified")),
                               entry.get("source", ""),
                               {lang: tuple(titles) for lang, titles in entry.get("titles", {}).items()},
                               tuple(entry.get("codes", ()))))
    return tuple(out)


@cache
def _index() -> tuple[dict[str, KnownCourse], list[tuple[str, KnownCourse]]]:
    by_title: dict[str, KnownCourse] = {}
    by_code: list[tuple[str, KnownCourse]] = []
    for course in known_courses():
        for titles in course.titles.values():
            for title in titles:
                by_title.setdefault(fold(title), course)
        for code in course.codes:
            by_code.append((fold(code), course))
    by_code.sort(key=lambda pair: -len(pair[0]))  # the longest code first ("lms 2399" before "lms 239")
    return by_title, by_code


def recognise(title: str) -> KnownCourse | None:
    """The known course a title names, or None."""
    folded = fold(title)
    if not folded:
        return None
    by_title, by_code = _index()
    hit = by_title.get(folded)
    if hit is not None:
        return hit
    padded = f" {folded} "
    for code, course in by_code:
        if f" {code} " in padded:
            return course
    return None
