"""Step 3 of an import: write a checked plan in one transaction.

People are matched by index number, then e-mail, and updated only where the file changes them; new
people and new courses are added; completions already recorded are skipped, so the same file twice
writes nothing. A plan with refused rows, or a cancel, leaves the workspace as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.roster.importing.plan import NEW_COURSE, Plan
from desktop.roster.importing.result import ImportResult
from desktop.roster.model import COMPLETION, COURSE, COURSE_KIND_CODES, PERSON, UNCLASSIFIED
from desktop.spreadsheet.problems import ImportCancelled, ImportProblem, RowProblem
from i18n import _

if TYPE_CHECKING:
    from storage import Workspace


def commit(ws: Workspace, plan: Plan, *, progress: Callable[[float], None] | None = None,
           cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Write a checked plan in one transaction. Raises ImportProblem (nothing written) if the plan has
    problems; ImportCancelled rolls everything back."""
    if plan.problems:
        raise ImportProblem(_("The file has rows that cannot be imported; nothing was imported."))
    for course in plan.new_courses.values():
        if course.kind is not None and course.kind not in COURSE_KIND_CODES:
            raise ImportProblem(_("Unknown kind of course."))
    result = ImportResult("done", rows=plan.rows, cleaned=plan.cleaned, unused_columns=list(plan.unused_columns),
                          new_courses=list(plan.new_courses.values()))
    conn = ws.connection
    by_index: dict[str, tuple] = {}
    by_email: dict[str, tuple] = {}
    cols = PERSON.fields
    for row in conn.execute(f"SELECT id, {', '.join(cols)} FROM roster_person WHERE deleted = 0"):  # noqa: S608
        if row[5] is not None:
            by_index[row[5]] = row
        if row[6] is not None:
            by_email[row[6]] = row
    inserts: list[dict[str, Any]] = []
    insert_keys: list[str] = []
    updates: list[tuple[str, dict[str, Any]]] = []
    person_id: dict[str, str | None] = {}
    problems: list[RowProblem] = []
    for key, given in plan.people.items():
        match = None
        if given.get("index_number") is not None:
            match = by_index.get(given["index_number"])
        if match is None and given.get("email") is not None:
            match = by_email.get(given["email"])
            if match is not None and given.get("index_number") and match[5] and match[5] != given["index_number"]:
                problems.append(RowProblem(0, _("{email}: this e-mail address belongs to a person with another "
                                                "index number.").format(email=given["email"])))
                continue
        if match is None:
            if "category" not in given:
                problems.append(RowProblem(0, _("{name}: new person without a personnel category.").format(
                    name=given["name"])))
                continue
            data = {f: given.get(f) for f in cols}
            data["duty_office"] = data["duty_office"] or ""
            data["unit"] = data["unit"] or ""
            inserts.append(data)
            insert_keys.append(key)
            person_id[key] = None
            continue
        current = dict(zip(cols, match[1:], strict=True))
        changes = {f: v for f, v in given.items() if current.get(f) != v}
        if given.get("email") and current.get("email") and given["email"] != current["email"] \
                and given["email"] in by_email and by_email[given["email"]][0] != match[0]:
            problems.append(RowProblem(0, _("{email}: this e-mail address belongs to another person.").format(
                email=given["email"])))
            continue
        person_id[key] = match[0]
        if changes:
            updates.append((match[0], changes))
        else:
            result.unchanged_people += 1
    if problems:
        return ImportResult("invalid", rows=plan.rows, problems=problems)
    if cancel is not None and cancel():
        raise ImportCancelled()
    # A bulk write touches index pages all over the file (random ids); with SQLite's default 8 MB page
    # cache they are evicted, re-encrypted and decrypted again. 32 MB for the time of the import
    # (measured: a third less CPU for 50,000 rows), then the previous size.
    previous_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA cache_size = -32768")
    try:
        _write_plan(ws, plan, inserts, insert_keys, updates, person_id, result, progress, cancel)
    finally:
        conn.execute(f"PRAGMA cache_size = {previous_cache}")
    return result


def _write_plan(ws: Workspace, plan: Plan, inserts: list[dict[str, Any]], insert_keys: list[str],
                updates: list[tuple[str, dict[str, Any]]], person_id: dict[str, str | None], result: ImportResult,
                progress: Callable[[float], None] | None, cancel: Callable[[], bool] | None) -> None:
    conn = ws.connection
    with ws.transaction():
        if progress is not None:
            progress(0.1)
        added = ws.records.insert_many(PERSON, inserts)
        for key, rec in zip(insert_keys, added, strict=True):
            person_id[key] = rec["id"]
        if progress is not None:
            progress(0.4)
        if cancel is not None and cancel():
            raise ImportCancelled()
        ws.records.update_many(PERSON, updates)
        if progress is not None:
            progress(0.6)
        course_ids = _add_courses(ws, plan)
        existing: set[tuple[str, str, str]] = set()
        inserted = set(insert_keys)
        matched = [pid for key, pid in person_id.items() if pid is not None and key not in inserted]
        for start in range(0, len(matched), 500):
            chunk = matched[start:start + 500]
            existing.update(conn.execute(
                "SELECT person_id, course_id, completed_on FROM roster_completion WHERE deleted = 0"  # noqa: S608
                f" AND person_id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        new_completions = []
        for key, course_id, iso, certificate in plan.completions:
            course_id = course_ids.get(course_id, course_id)
            pid = person_id[key]
            if (pid, course_id, iso) in existing:
                continue
            existing.add((pid, course_id, iso))
            new_completions.append({"person_id": pid, "course_id": course_id, "completed_on": iso,
                                    "source": plan.source_name[:200], "certificate": certificate})
        if cancel is not None and cancel():
            raise ImportCancelled()
        ws.records.insert_many(COMPLETION, new_completions)
        if progress is not None:
            progress(1.0)
    result.added_people = len(inserts)
    result.updated_people = len(updates)
    result.added_completions = len(new_completions)


def _add_courses(ws: Workspace, plan: Plan) -> dict[str, str]:
    """Add the plan's new courses (inside the caller's transaction): NEW_COURSE ref -> course id."""
    folded = list(plan.new_courses)
    rows = [{"code": "imported", "name": plan.new_courses[f].title, "kind": plan.new_courses[f].kind or UNCLASSIFIED,
             "validity_months": 36} for f in folded]
    added = ws.records.insert_many(COURSE, rows)
    return {NEW_COURSE + f: rec["id"] for f, rec in zip(folded, added, strict=True)}
