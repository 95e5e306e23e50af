"""Demo implementing partners: a dozen organizations with names in several scripts, assessments at
every stage and rating, capacity-strengthening action points, a re-assessment trigger."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # random: annotations only (start-up: the registry imports every demo)
    import random

    from storage import Workspace

# (name, acronym, type, country, beneficiary contact, rule set, plan)
# plan: full | medium | low | low_signed | emergency | no_contact | external | draft | review | expiring | expired | none
PARTNERS = (
    ("Kenya Red Cross Society", "KRCS", "national_ngo", "KE", True, "un_harmonized", "full"),
    ("منظمة الأمل للتنمية", "AMAL", "national_ngo", "SD", True, "unicef_2020", "medium"),
    ("جمعية النور الخيرية", "NOUR", "community_based", "LB", True, "un_harmonized", "low_signed"),
    ("中国扶贫基金会", "CFPA", "national_ngo", "CN", True, "unicef_2020", "expiring"),
    ("Благодійний фонд «Надія»", "НАДІЯ", "national_ngo", "UA", True, "un_harmonized", "review"),
    ("Fundación Esperanza Colombia", "FEC", "national_ngo", "CO", True, "unicef_2020", "draft"),
    ("Action contre la Faim", "ACF", "international_ngo", "KE", True, "un_harmonized", "external"),
    ("Kibera Community Youth Programme", "KCYP", "community_based", "KE", True, "un_harmonized", "emergency"),
    ("Ministry of Lands, Housing and Urban Development", "MLHUD", "government", "KE", False, "un_harmonized", "no_contact"),
    ("Nairobi Water Engineering Ltd", "NWE", "private_sector", "KE", False, "un_harmonized", "none"),
    ("Turkana Women's Network", "TWN", "community_based", "KE", True, "unicef_2020", "expired"),
    ("Association des femmes du Kivu", "AFK", "national_ngo", "CD", True, "un_harmonized", "medium"),
)
FOCAL_POINTS = ("Amina Odhiambo", "Jean-Paul Mbeki", "Layla Haddad", "王芳", "Olena Kovalenko")
HEAD_OF_OFFICE = "Grace Wanjiru"

ACTIONS = (
    ("hr", "Add a question on prior SEA misconduct to reference checks", "high"),
    ("training", "Run the PSEA induction for the 40 new field staff", "high"),
    ("reporting", "Set up a confidential community complaints box and hotline", "medium"),
    ("assistance", "Map GBV service providers and agree a referral form", "medium"),
    ("policy", "Adopt a PSEA policy signed by the board", "high"),
)


def _ratings(rs: dict, target: str, rng: random.Random) -> dict[str, int]:
    """Ratings that land in the band wanted (bands come from the rule set, not from this code)."""
    band = next(b for b in rs["bands"] if b["key"] == target)
    values = sorted(int(s["value"]) for s in rs["scale"])
    keys = [s["key"] for s in rs["standards"]]
    goal = rng.randint(int(band["min"]), int(band["max"]))
    ratings = dict.fromkeys(keys, values[0])
    total = values[0] * len(keys)
    for key in rng.sample(keys, len(keys)):
        for value in values[1:]:
            step = value - ratings[key]
            if total + step <= goal:
                total += step
                ratings[key] = value
    return ratings


def populate_demo(ws: Workspace, rng: random.Random, today: dt.date, people: int) -> None:
    from desktop.partners import model  # loaded when a demo is built

    with ws.transaction():
        for name, acronym, ptype, country, contact, rkey, plan in PARTNERS:
            p = model.add_partner(ws, name, acronym=acronym, partner_type=ptype, country=country,
                                  registration_id=f"UNPP-{rng.randint(100000, 999999)}",
                                  contact=f"psea@{acronym.lower()}.example.org" if acronym.isascii() else "",
                                  beneficiary_contact=contact)
            model.add_agreement(ws, p["id"], f"PCA/{today.year - 1}/{rng.randint(10, 99)}",
                                "Urban resilience programme", today - dt.timedelta(days=400),
                                today + dt.timedelta(days=rng.randint(60, 700)), sea_clause=rng.random() < 0.95)
            if plan == "none":
                continue
            _assess(ws, rng, today, p, rkey, plan)


def _assess(ws: Workspace, rng: random.Random, today: dt.date, partner: dict, rkey: str, plan: str) -> None:
    from desktop.partners import assessments, model  # loaded when a demo is built
    from desktop.partners.assessments import add_years  # loaded when a demo is built

    fp = rng.choice(FOCAL_POINTS)
    if plan == "expiring":
        final = add_years(today, -4) - dt.timedelta(days=30)
    elif plan == "expired":
        final = add_years(today, -5) - dt.timedelta(days=20)
    else:
        final = today - dt.timedelta(days=rng.randint(20, 300))
    start = final - dt.timedelta(days=90)
    a = assessments.start(ws, partner["id"], rkey, source_agency="UNICEF" if plan == "external" else "")
    rs = assessments.ruleset_of(a)
    if plan == "external":
        assessments.record_step(ws, a["id"], 1, start, "UNICEF Kenya")
        assessments.record_external_result(ws, a["id"], "full")
        assessments.record_step(ws, a["id"], 5, final, "UNICEF Kenya")
        return
    if plan in ("emergency", "no_contact"):
        assessments.set_special_state(ws, a["id"], "low_capacity_assumed" if plan == "emergency" else "no_contact")
    else:
        target = {"full": "full", "medium": "medium", "low_signed": "low", "expiring": "medium", "expired": "full",
                  "review": "medium", "draft": "medium"}[plan]
        ratings = _ratings(rs, target, rng)
        keys = list(ratings)
        if plan == "draft":
            keys = keys[: len(keys) // 2]
        for key in keys:
            std = next(s for s in rs["standards"] if s["key"] == key)
            ticked = [e for e in std["evidence"] if e != "other" and rng.random() < 0.7]
            assessments.answer(ws, a["id"], key, rating=ratings[key], evidence=ticked,
                               notes="Seen during the visit" if rng.random() < 0.3 else "")
    assessments.record_step(ws, a["id"], 1, start, fp)
    if plan == "draft":
        return
    assessments.record_step(ws, a["id"], 2, start + dt.timedelta(days=20), fp)
    if plan in ("low_signed", "emergency"):
        assessments.sign_off(ws, a["id"], "Partnership continues with a capacity-strengthening plan and quarterly "
                             "monitoring; no direct distribution until policy and reporting are in place.",
                             HEAD_OF_OFFICE, start + dt.timedelta(days=25))
    assessments.record_step(ws, a["id"], 3, start + dt.timedelta(days=30), fp)
    if plan not in ("emergency", "no_contact", "full"):
        weak = [k for k, v in _answers_low(ws, a["id"], rs).items() if v]
        for std_key, text, priority in ACTIONS:
            if std_key not in weak and rng.random() < 0.5:
                continue
            status = rng.choice(("open", "in_progress", "done"))
            due = today + dt.timedelta(days=rng.randint(-90, 120))
            act = model.add_action(ws, partner["id"], text, owner=fp, due_on=due, priority=priority,
                                   assessment_id=a["id"], standard_key=std_key if std_key in _keys(rs) else "",
                                   status="open" if status == "done" else status)
            if status == "done":
                model.update_action(ws, act["id"], {"status": "done", "verified_by": HEAD_OF_OFFICE},
                                    today=today - dt.timedelta(days=rng.randint(1, 60)))
    assessments.record_step(ws, a["id"], 4, start + dt.timedelta(days=60), fp)
    assessments.record_step(ws, a["id"], 5, final, fp)
    if plan == "review":
        model.add_trigger(ws, partner["id"], "allegation", today - dt.timedelta(days=12),
                          "Allegation received through the community hotline; referred to OIOS.")


def _keys(rs: dict) -> set[str]:
    return {s["key"] for s in rs["standards"]}


def _answers_low(ws: Workspace, assessment_id: str, rs: dict) -> dict[str, bool]:
    from desktop.partners import assessments  # loaded when a demo is built

    top = max(int(s["value"]) for s in rs["scale"])
    return {k: (a["rating"] is not None and a["rating"] < top)
            for k, a in assessments.answers(ws, assessment_id).items()}
