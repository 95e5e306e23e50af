"""The regional view of a coordinator with 40 offices and 200,000 records (design.md: ≤ 2 s).

The coordinator's workspace holds 40 offices' records as a merge leaves them: per office about 1,650
people and 3,300 completions (of reference courses, some under the office's own setting, and of a
course of its own not yet classified), 5 partners with final capacity assessments, 2 risk
assessments and allegation counts. The rows are written straight into the encrypted file (their
shape is what matters for the view, not how they arrived).

Figure: `regional_figures(ws, year)`: every instrument's figures for each office inside its scope,
and the region as their sum. Floor: the same figures once over the whole workspace (no office
scope): reading every record once, which the per-office view cannot do with less.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

from bench import PASSPHRASE, Result, scratch_dir

OFFICES = 40
PEOPLE = 1_650
YEAR = 2025


def _fill(ws) -> int:  # noqa: ANN001 - storage.Workspace
    from desktop.letter import allegations
    from desktop.partners import assessments
    from desktop.partners import model as partners
    from desktop.risk import assessments as risk_assessments
    from desktop.risk import factors as risk_factors
    from desktop.roster.model import COMPLETION, COURSE, COURSE_SETTING, PERSON, seeded_course_id, setting_id

    rng = random.Random(7)
    courses = [seeded_course_id(c) for c in ("elearning", "induction", "refresher", "classroom")]
    person_cols, completion_cols = ("id", "office", "rev", "base_rev", "deleted") + PERSON.fields, \
        ("id", "office", "rev", "base_rev", "deleted") + COMPLETION.fields
    records = 0
    with ws.transaction() as conn:
        for n in range(OFFICES):
            code, wid = f"OFF-{n:02d}", uuid.uuid4().hex
            rev = f"1780000000000-00000-{wid}"
            own = str(uuid.uuid4())
            conn.execute("INSERT INTO roster_course (id, office, rev, base_rev, deleted, code, name, kind,"
                         " validity_months) VALUES (?, ?, ?, NULL, 0, 'imported', ?, 'unclassified', 36)",
                         (own, code, rev, f"Local session {n}"))
            conn.execute("INSERT INTO roster_course_setting (id, office, rev, base_rev, deleted, course_id, kind,"
                         " validity_months) VALUES (?, ?, ?, NULL, 0, ?, 'refresher', 24)",
                         (setting_id(code, courses[3]), code, rev, courses[3]))
            people, completions = [], []
            for i in range(PEOPLE):
                pid = str(uuid.uuid4())
                start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3900))
                people.append((pid, code, rev, None, 0, f"Person {n}-{i}", rng.choice(("staff", "consultant", "partner")),
                               code, "", f"{n}-{i}", None, start.isoformat(), None, None, None))
                for _ in range(2):
                    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1090))
                    course = own if rng.random() < 0.05 else rng.choice(courses)
                    completions.append((str(uuid.uuid4()), code, rev, None, 0, pid, course, day.isoformat(), "", ""))
            conn.executemany(f"INSERT INTO roster_person ({', '.join(person_cols)}) VALUES "  # noqa: S608
                             f"({', '.join('?' * len(person_cols))})", people)
            conn.executemany(f"INSERT INTO roster_completion ({', '.join(completion_cols)}) VALUES "  # noqa: S608
                             f"({', '.join('?' * len(completion_cols))})", completions)
            records += len(people) + len(completions)
    del COURSE, COURSE_SETTING
    # A few records through the instruments' own code, then moved to each office (as merged).
    partner_ids = []
    for n in range(5):
        p = partners.add_partner(ws, f"Partner {n}")
        a = assessments.start(ws, p["id"])
        for std in ("policy", "management", "hr", "training", "reporting", "assistance", "investigations",
                    "corrective"):
            assessments.answer(ws, a["id"], std, rating=1)
        for step in range(1, 6):
            assessments.record_step(ws, a["id"], step, f"{YEAR}-03-0{step}", "Focal point")
        partner_ids.append(p["id"])
    for n in range(2):
        factors = risk_factors.library(ws)[:6]
        risk_assessments.create_assessment(ws, {"subject": f"Operation {n}", "assessed_on": f"{YEAR}-04-01"},
                                           [{"factor_code": f.code, "likelihood": 4, "impact": 5} for f in factors])
    allegations.set_count(ws, YEAR, "staff", "under_investigation", "oios", 2)
    # copy those instrument rows to every office, as if each office had sent its own
    with ws.transaction() as conn:
        for table in ("partner", "partner_assessment", "partner_answer", "risk_assessment", "risk_rating",
                      "allegation_count"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]  # noqa: S608
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE office = ?", (ws.office,)).fetchall()  # noqa: S608
            out = []
            for n in range(OFFICES):
                for row in rows:
                    values = dict(zip(cols, row, strict=True))
                    values.update(id=f"{values['id'][:28]}-{n:04d}", office=f"OFF-{n:02d}")
                    for ref in ("partner_id", "assessment_id"):
                        if ref in values and values[ref]:
                            values[ref] = f"{values[ref][:28]}-{n:04d}"
                    out.append(tuple(values[c] for c in cols))
            conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", out)  # noqa: S608
            conn.execute(f"DELETE FROM {table} WHERE office = ?", (ws.office,))  # noqa: S608
            records += len(out)
    return records


def run() -> list[Result]:
    from desktop import instruments
    from desktop.exchange.region import regional_figures
    from storage import Workspace

    folder = scratch_dir()
    path = folder / "region-40.pdesk"
    path.unlink(missing_ok=True)
    with Workspace.create(path, PASSPHRASE, office="RO", entity="UNICEF", role="region") as ws:
        records = _fill(ws)
    with Workspace.open(path, PASSPHRASE) as ws:
        start = time.perf_counter()
        whole = instruments.figures(ws, YEAR)
        floor = time.perf_counter() - start
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            rows = regional_figures(ws, YEAR)
            samples.append(time.perf_counter() - start)
        assert len(rows) == OFFICES + 2, len(rows)     # the coordinator's own row, 40 offices, the region
        total = rows[-1]
        assert total.personnel == sum(r.personnel or 0 for r in rows[:-1])
        assert whole["allegations"]["total"] == total.allegations
    value = sorted(samples)[1]
    return [Result(f"regional view, {OFFICES} offices, {records:,} records", value, floor, budget=2.0,
                   budget_kind="absolute", runs=len(samples), samples=samples,
                   note="floor = every instrument's figures once over the whole workspace")]
