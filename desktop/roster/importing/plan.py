"""What a check hands to the commit: the `Plan` of validated people and completions, and the
`NewCourse`s it would add. Its own module because the row checks fill it, the course resolver adds
to it and the commit reads it, and none of those should import the others for the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.roster.course_titles import fold
from desktop.roster.model import UNCLASSIFIED
from desktop.spreadsheet.problems import RowProblem

# A completion's course id while its course is still to be added: NEW_COURSE + the folded title
# (`Plan.new_courses` key); the commit replaces it with the id of the course it adds.
NEW_COURSE = "new:"


@dataclass
class NewCourse:
    """A course title of the file that this workspace does not have yet. `known`: the key of the known
    course the title was recognised as (course_titles), whose kind is then `kind`; otherwise `kind` is
    what the user chose, or None until they choose (imported as not yet classified if they never do)."""
    title: str
    kind: str | None = None
    known: str | None = None
    completions: int = 0

    @property
    def recognised(self) -> bool:
        return self.known is not None


@dataclass
class Plan:
    """Validated rows, ready to commit: people by key, completions by person key."""
    rows: int = 0
    people: dict[str, dict[str, Any]] = field(default_factory=dict)          # person key -> fields given
    # (key, course id or NEW_COURSE + folded title, iso, certificate)
    completions: list[tuple[str, str, str, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    cleaned: int = 0   # names from which control or bidi-format characters were removed
    source_name: str = ""
    new_courses: dict[str, NewCourse] = field(default_factory=dict)        # folded title -> course to add
    unused_columns: list[str] = field(default_factory=list)

    def unclassified_courses(self) -> list[NewCourse]:
        """New courses that will arrive as not yet classified (nobody chose a kind)."""
        return [c for c in self.new_courses.values() if (c.kind or UNCLASSIFIED) == UNCLASSIFIED]

    def set_course_kinds(self, kinds: dict[str, str]) -> list[str]:
        """Apply the user's choices {title: kind} to the new courses; returns titles matching none."""
        unmatched = []
        for title, kind in kinds.items():
            course = self.new_courses.get(fold(title))
            if course is None:
                unmatched.append(title)
            else:
                course.kind = kind
        return unmatched
