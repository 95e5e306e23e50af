"""Demo roster: personnel in the demo offices with names in several scripts and plausible training
histories (about four in five of the letter population trained in the current year)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from desktop.roster.model import (
    COMPLETION,
    PERSON,
    ensure_default_courses,
    seeded_course_id,
)
from desktop.roster.names import full_name

if TYPE_CHECKING:  # random: annotations only (start-up: the registry imports every demo)
    import random

    from storage import Workspace

# (given names, family names, e-mail-safe transliteration prefix) per office
_NAMES = {
    "KEN-NBO": (["Wanjiru", "Achieng", "Baraka", "Neema", "Juma", "Amani", "Zawadi", "Otieno", "Imani",
                 "Mwangi", "Halima", "Kamau", "Njeri", "Faraji", "Rehema"],
                ["Mwangi", "Odhiambo", "Kariuki", "Wafula", "Mutua", "Njoroge", "Chebet", "Kiprono",
                 "Omondi", "Wambui", "Hassan", "Abdi"]),
    "SDN-KRT": (["محمد", "فاطمة", "أحمد", "آمنة", "عمر", "مريم", "خالد", "سارة", "يوسف", "هدى"],
                ["عبد الله", "الحسن", "إبراهيم", "عثمان", "الطيب", "محمود", "صالح", "النور"]),
    "LBN-BEY": (["Rania", "Élie", "Karim", "Nour", "Joëlle", "Ziad", "ليلى", "جورج", "رامي", "منى"],
                ["Haddad", "Khoury", "Saadé", "Nassar", "حداد", "خوري", "نصار", "عون"]),
    "CHN-BJS": (["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "Li", "Wei"],
                ["王", "李", "张", "刘", "陈", "杨", "赵", "Zhang", "Chen"]),
    "UKR-KBP": (["Олена", "Андрій", "Наталія", "Дмитро", "Ірина", "Сергій", "Оксана", "Юлія", "Alina"],
                ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Kovalenko", "Мельник", "Кравченко"]),
    "COL-BOG": (["María José", "Andrés", "Lucía", "Sebastián", "Valentina", "Camilo", "Ángela", "Tomás"],
                ["García", "Rodríguez", "Martínez", "Gómez", "López", "Hernández", "Peña", "Muñoz"]),
}
_OFFICE_WEIGHTS = {"KEN-NBO": 45, "SDN-KRT": 12, "LBN-BEY": 10, "CHN-BJS": 8, "UKR-KBP": 12, "COL-BOG": 13}
_CATEGORY_WEIGHTS = {"staff": 45, "consultant": 15, "contractor": 10, "intern": 5, "volunteer": 8,
                     "related": 5, "partner": 12}
_UNITS = ["Programme", "Operations", "Finance", "Human Resources", "Supply", "Communication", "Field Office"]


def _uid(rng: random.Random) -> str:
    import uuid  # here, not at the top: the registry imports this module at every command's start-up

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=rng.randint(0, span))


def populate_demo(ws: Workspace, rng: random.Random, today: dt.date, people: int, *,
                  own_office_only: bool = False) -> None:
    """`own_office_only`: every person works in the workspace's own office (the offices of a
    coordinator's demo), with names of that office's country; otherwise the six offices' mix."""
    ensure_default_courses(ws)
    offices = [ws.office] if own_office_only and ws.office in _NAMES else list(_OFFICE_WEIGHTS)
    categories = list(_CATEGORY_WEIGHTS)
    persons, completions = [], []
    for n in range(people):
        office = rng.choices(offices, weights=[_OFFICE_WEIGHTS[o] for o in offices])[0]
        category = rng.choices(categories, weights=list(_CATEGORY_WEIGHTS.values()))[0]
        given_names, family_names = _NAMES[office]
        given, family = rng.choice(given_names), rng.choice(family_names)
        name = full_name(family, given)
        start = _day(rng, today - dt.timedelta(days=365 * 9), today - dt.timedelta(days=10))
        end = None
        if rng.random() < 0.12:  # left already, or a contract ending soon
            end = _day(rng, start + dt.timedelta(days=30), today + dt.timedelta(days=200))
        pid = _uid(rng)
        persons.append({
            "name": name, "category": category, "duty_office": office, "unit": rng.choice(_UNITS),
            "index_number": None if category == "partner" else f"{10_000_000 + n * 7 + 3}",
            "email": f"person{n:05d}@{'partner.org' if category == 'partner' else 'un.org'}",
            "start_date": start.isoformat(), "end_date": end.isoformat() if end else None,
            "family_name": family, "given_names": given,
        })
        # Training history: e-learning soon after joining for most; induction for new arrivals;
        # refreshers every few years; this year's induction/refresher for about four in five.
        if rng.random() < 0.7:
            when = min(start + dt.timedelta(days=rng.randint(3, 150)), today)
            completions.append((pid, "elearning", when, "LMS-2398"))
        last_year = today.year - 1
        if start.year < last_year and rng.random() < 0.72:  # last year's refresher: last year's letter is plausible too
            completions.append((pid, "refresher", _day(rng, dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)), ""))
        elif start.year == last_year and rng.random() < 0.85:
            completions.append((pid, "induction", min(start + dt.timedelta(days=rng.randint(0, 40)),
                                                      dt.date(last_year, 12, 31)), ""))
        if start.year == today.year and rng.random() < 0.85:
            completions.append((pid, "induction", min(start + dt.timedelta(days=rng.randint(0, 40)), today), ""))
        elif rng.random() < 0.82:
            completions.append((pid, "refresher", _day(rng, dt.date(today.year, 1, 1), today), ""))
        elif rng.random() < 0.5:
            completions.append((pid, "refresher", _day(rng, today - dt.timedelta(days=365 * 4),
                                                       dt.date(today.year - 1, 12, 31)), ""))
        if category in ("staff", "related") and rng.random() < 0.15:
            completions.append((pid, "predeployment", _day(rng, start, today), ""))
        if category == "staff" and rng.random() < 0.1:
            completions.append((pid, "managers", _day(rng, start, today), "LMS-2399"))
        if rng.random() < 0.2:
            completions.append((pid, "classroom", _day(rng, start, today), ""))
        persons[-1]["_id"] = pid
    ids = [p.pop("_id") for p in persons]
    with ws.transaction():
        ws.records.insert_many(PERSON, persons, ids=ids)
        ws.records.insert_many(COMPLETION, [
            {"person_id": pid, "course_id": seeded_course_id(kind), "completed_on": when.isoformat(),
             "source": "demo", "certificate": cert} for pid, kind, when, cert in completions
        ], ids=[_uid(rng) for _ in completions])
