"""Demo SEA risk assessments: operations, programmes and a site of a Kenyan country office, each
assessed last year and again this year (started from the previous one), with measures and visits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # random: annotations only (start-up: the registry imports every demo)
    import random

    from storage import Workspace

SUBJECTS = (
    ("operation", "Kakuma refugee operation", "Kakuma, Turkana County", "Shelter and settlement upgrading",
     "186,000 refugees and host community", "NRC; Lutheran World Federation", "goods", "high"),
    ("programme", "Urban cash transfer programme", "Nairobi (Kibera, Mathare)", "Multi-purpose cash",
     "12,400 households", "Kenya Red Cross", "cash", "high"),
    ("site", "Kalobeyei integrated settlement", "Kalobeyei, Turkana County", "Housing and livelihoods",
     "40,000 residents", "Peace Winds Japan", "cash_goods", "high"),
    ("operation", "Garissa flood response", "Garissa County", "Emergency shelter",
     "8,000 displaced people", "County government; Save the Children", "goods", "medium"),
    ("programme", "Mombasa safer public spaces programme", "Mombasa", "Public space design with youth",
     "Youth groups in 6 wards", "Local community-based organizations", "none", "medium"),
)
ACTIONS = (
    "Brief all distribution staff and daily workers on the code of conduct",
    "Put two staff of different sexes at every distribution point",
    "Set up suggestion boxes and a toll-free hotline in Swahili and Somali",
    "Check references of new recruits against the ClearCheck database",
    "Add PSEA clauses to the partner agreements at renewal",
    "Map medical and psychosocial services and agree a referral form",
    "Post notices that assistance is free at every site",
    "Train partner staff with the PSEA e-learning and a classroom session",
)
OWNERS = ("Amina Wanjiru", "Joseph Otieno", "Fatuma Hassan", "Grace Muthoni", "Peter Kamau")
ASSESSORS = ("Amina Wanjiru (PSEA focal point)", "Joseph Otieno", "Grace Muthoni")


def populate_demo(ws: Workspace, rng: random.Random, today: dt.date, people: int) -> None:
    from desktop.risk import assessments, factors  # loaded when a demo is built

    lib = factors.library(ws)
    with ws.transaction():
        for n, (kind, subject, location, prog, benef, partners, dist, iasc) in enumerate(SUBJECTS):
            first_on = dt.date(today.year - 1, 2 + n * 2, 10 + n)
            chosen = rng.sample(lib, k=min(len(lib), rng.randint(9, 14)))
            ratings = []
            for f in chosen:
                lk, im = rng.choice((1, 2, 2, 3, 3, 4, 5)), rng.choice((2, 3, 3, 4, 5))
                ratings.append({"factor_code": f.code, "likelihood": lk, "impact": im})
            context = {"subject_kind": kind, "subject": subject, "location": location, "programme_kind": prog,
                       "beneficiaries": benef, "partners_present": partners, "distributions": dist,
                       "iasc_level": iasc, "assessed_by": ASSESSORS[n % len(ASSESSORS)], "assessed_on": first_on,
                       "period_start": dt.date(first_on.year, 1, 1), "period_end": dt.date(first_on.year, 12, 31)}
            first = assessments.create_assessment(ws, context, ratings)
            _plan_and_visit(ws, rng, first, first_on, min(today, dt.date(first_on.year, 12, 31)))
            if n == len(SUBJECTS) - 1:
                continue  # one subject not yet re-assessed this year
            second_on = min(today, dt.date(today.year, 1 + n * 2, 5 + n))
            second = assessments.start_from_previous(ws, first, assessed_on=second_on,
                                                     context={"period_start": dt.date(today.year, 1, 1),
                                                              "period_end": dt.date(today.year, 12, 31)})
            _plan_and_visit(ws, rng, second, second_on, today, close_some=True)


def _plan_and_visit(ws: Workspace, rng: random.Random, assessment_id: str, on: dt.date, until: dt.date,
                    close_some: bool = False) -> None:
    from desktop.risk import followup, measures, ratings  # loaded when a demo is built

    risks = ratings.rated_risks(ws, assessment_id)
    for r in risks:
        if r.score < 5 or r.measures:
            continue
        for _n in range(1 if r.score < 10 else 2):
            due = on + dt.timedelta(days=rng.randint(20, 160))
            status = rng.choice(("done", "done", "done", "in_progress", "planned")) if due < until else "planned"
            measures.add_measure(ws, r.id, rng.choice(ACTIONS), rng.choice(OWNERS), due, status,
                                 "Attendance sheets" if status == "done" else "",
                                 done_on=due - dt.timedelta(days=rng.randint(0, 15)) if status == "done" else None)
    if close_some:  # measures carried over from the previous assessment: some done, most rescheduled
        for r in risks:
            for m in r.measures:
                if not measures.is_open(m):
                    continue
                if rng.random() < 0.3 and on + dt.timedelta(days=30) <= until:
                    measures.update_measure(ws, m["id"], {"status": "done", "done_on": on + dt.timedelta(days=30),
                                                          "evidence": "Visit report"})
                elif rng.random() < 0.7:
                    measures.update_measure(ws, m["id"], {"due_on": until + dt.timedelta(days=rng.randint(-40, 90))})
    visit_on = on + dt.timedelta(days=90)
    while visit_on <= until:
        rerates = {}
        for r in rng.sample(risks, k=min(len(risks), 4)):
            lk = max(1, min(5, r.likelihood + rng.choice((-1, -1, 0, 1))))
            rerates[r.id] = (lk, r.impact)
        followup.record_visit(ws, assessment_id, visit_on, rng.choice(ASSESSORS),
                              "Measures checked with the site team; community feedback desk visited.", rerates)
        risks = ratings.rated_risks(ws, assessment_id, visit_on)
        visit_on += dt.timedelta(days=120)
