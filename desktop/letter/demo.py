"""Demo data of the letter: allegation counts for this year and last, and this year's draft letter
(English) with a synthetic signatory and most certifications ticked."""

from __future__ import annotations

import datetime as dt
import random

from desktop.letter import allegations, model, templates
from storage import Workspace


def populate_demo(ws: Workspace, rng: random.Random, today: dt.date, people: int) -> None:
    with ws.transaction():
        for year, scale in ((today.year - 1, 1.0), (today.year, 0.6)):
            plan = [
                ("staff", "substantiated", "oios"), ("staff", "under_investigation", "oios"),
                ("related_personnel", "under_assessment", "entity_oversight"),
                ("related_personnel", "unsubstantiated", "entity_oversight"),
                ("partner_personnel", "referred", "partner"), ("partner_personnel", "closed", "national_authorities"),
            ]
            for category, status, body in plan:
                count = int(rng.randint(0, 3) * scale)
                if count:
                    allegations.set_count(ws, year, category, status, body, count)
        letter = model.ensure(ws, today.year, "en")
        model.update(ws, letter["id"], {
            "signatory_name": "Amina Odhiambo",
            "signatory_title": "Head of Office",
            "place": "Nairobi",
            "checklist": {key: key != "outreach" or rng.random() < 0.5 for key in templates.CHECKLIST_KEYS},
        })
