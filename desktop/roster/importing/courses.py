"""Which course a title in the file names: one of this workspace's, a known one, or a new one.

A title is matched to this office's courses (and the reference courses' names in the six languages),
then to the known titles of `data/course_titles.json`; what is left becomes a `NewCourse` of the plan,
which the user classifies before the commit (or which arrives as not yet classified).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.roster import course_titles
from desktop.roster.course_titles import fold
from desktop.roster.importing.plan import NEW_COURSE, NewCourse, Plan
from desktop.roster.model import courses, seeded_course_id
from i18n import LANGUAGE_CODES, gettext_in

if TYPE_CHECKING:
    from storage import Workspace


def course_resolver(ws: Workspace, plan: Plan) -> Callable[[str], str]:
    """title -> the id of the course it names here, or NEW_COURSE + folded title for a course to add
    (recorded in plan.new_courses, with the kind of the known course it was recognised as)."""
    here: dict[str, str] = {}
    for c in courses(ws):
        if not c.reference and c.office != ws.office:
            continue  # another office's course (a coordinator's workspace)
        names = {c.name, c.label(), c.code} if c.reference else {c.name}
        if c.reference:
            names |= {gettext_in(lang, c.name) for lang in LANGUAGE_CODES}
        for name in names:
            here.setdefault(fold(name), c.id)
    memo: dict[str, str] = {}

    def resolve(title: str) -> str:
        folded = fold(title)
        hit = memo.get(folded)
        if hit is not None:
            return hit
        course_id = here.get(folded)
        if course_id is None:
            known = course_titles.recognise(title)
            if known is not None and known.reference:
                course_id = seeded_course_id(known.reference)
            else:
                course_id = NEW_COURSE + folded
                plan.new_courses[folded] = NewCourse(title, known.kind if known else None,
                                                     known.key if known else None)
        memo[folded] = course_id
        return course_id

    return resolve
