"""What an import reports: the `ImportResult` every way of importing returns (window, command line,
JSON), and `describe`, the sentences about columns left out and courses added that the preview shows
before the commit and the report after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.roster.importing.analysis import Analysis
from desktop.roster.importing.plan import NewCourse
from desktop.roster.model import UNCLASSIFIED, kind_label
from desktop.spreadsheet.columns import unused_sentence
from desktop.spreadsheet.problems import RowProblem, rows_refused
from i18n import _, ngettext
from i18n.formatting import number


@dataclass
class ImportResult:
    status: str               # "done" | "checked" | "ambiguous" | "invalid" | "refused" | "cancelled"
    message: str = ""
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    added_people: int = 0
    updated_people: int = 0
    unchanged_people: int = 0
    added_completions: int = 0
    cleaned: int = 0
    analysis: Analysis | None = None
    unused_columns: list[str] = field(default_factory=list)
    new_courses: list[NewCourse] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "done":
            return _("{rows} rows imported: {added} people added, {updated} updated, {unchanged} unchanged; "
                     "{completions} completions added.").format(
                rows=number(self.rows), added=number(self.added_people), updated=number(self.updated_people),
                unchanged=number(self.unchanged_people), completions=number(self.added_completions))
        if self.status == "invalid":
            return rows_refused(len(self.problems))
        return self.message

    def details(self) -> list[str]:
        """What else the user must know, one sentence each: columns left out, courses added (and those
        left unclassified, whose completions count nowhere until classified)."""
        return describe(self.unused_columns, self.new_courses, done=self.status == "done")

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.summary(), "details": self.details(), "rows": self.rows,
                "added_people": self.added_people, "updated_people": self.updated_people,
                "unchanged_people": self.unchanged_people, "added_completions": self.added_completions,
                "cleaned_names": self.cleaned, "unused_columns": list(self.unused_columns),
                "new_courses": [{"title": c.title, "kind": c.kind or UNCLASSIFIED, "recognised": c.recognised,
                                 "known": c.known, "completions": c.completions} for c in self.new_courses],
                "unclassified_completions": sum(c.completions for c in self.new_courses
                                                if (c.kind or UNCLASSIFIED) == UNCLASSIFIED),
                "problems": [{"row": p.row, "reason": p.reason} for p in self.problems]}


def describe(unused: list[str], new_courses: list[NewCourse], *, done: bool) -> list[str]:
    """The sentences the preview and the report show about columns left out and courses added."""
    lines = []
    if unused:
        lines.append(unused_sentence(unused))
    for c in new_courses:
        kind = c.kind or UNCLASSIFIED
        text = (_("New course “{title}”: {kind} ({n} completions); recognised as a known course.") if c.recognised
                else _("New course “{title}”: {kind} ({n} completions)."))
        lines.append(text.format(title=c.title, kind=kind_label(kind), n=number(c.completions)))
    left = [c for c in new_courses if (c.kind or UNCLASSIFIED) == UNCLASSIFIED]
    if left:
        n = sum(c.completions for c in left)
        text = (ngettext("{n} completion of a course not yet classified is not counted in any figure until the "
                         "course is classified (Courses… in the roster, or psea-desk roster courses --set-kind).",
                         "{n} completions of courses not yet classified are not counted in any figure until the "
                         "courses are classified (Courses… in the roster, or psea-desk roster courses --set-kind).",
                         n) if done else
                ngettext("{n} completion of a course not yet classified will not be counted in any figure until "
                         "the course is classified.",
                         "{n} completions of courses not yet classified will not be counted in any figure until "
                         "the courses are classified.", n))
        lines.append(text.format(n=number(n)))
    return lines
