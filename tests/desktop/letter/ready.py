"""Make a workspace's letter signable for tests: names in six languages and every attestation confirmed
(what a signer does before signing; the gate's own tests check each missing piece)."""

from __future__ import annotations

from desktop.letter import attestations, compose, settings, templates
from desktop.roster.model import COMPLETION, add_person, seeded_course_id
from i18n import LANGUAGE_CODES
from storage import Workspace

TITLES = {"en": "Head of Office", "fr": "Chef de bureau", "es": "Jefe de Oficina", "ru": "Руководитель отделения",
          "zh": "办事处主任", "ar": "رئيس المكتب"}


def make_ready(ws: Workspace, year: int, signatory: str = "Amina Odhiambo") -> None:
    if not ws.connection.execute("SELECT 1 FROM roster_person WHERE deleted = 0 LIMIT 1").fetchone():
        # The training figure needs a roster: one trained staff member.
        person = add_person(ws, {"name": "Test Person", "category": "staff", "index_number": "T-1",
                                 "start_date": f"{year - 1}-01-01"})
        ws.records.insert(COMPLETION, {"person_id": person["id"], "course_id": seeded_course_id("refresher"),
                                       "completed_on": f"{year}-02-01", "source": "test", "certificate": ""})
    conf = settings.load(ws)
    conf.single["signatory"] = signatory
    conf.values["title"] = dict(TITLES)
    conf.values.setdefault("office", {})
    for code in LANGUAGE_CODES:
        conf.values["office"].setdefault(code, f"{ws.office} office")
        conf.values.setdefault("entity", {}).setdefault(code, ws.entity)
    if ws.role == "headquarters":
        conf.values["governing_body"] = {c: "Executive Board" for c in LANGUAGE_CODES}
        conf.values["session"] = {c: "first session of 2023" for c in LANGUAGE_CODES}
        conf.single.update(decision="2023/1", paragraph="(a) 5", symbol="HSP/EB.2023/7")
    settings.save(ws, conf)
    scope = compose.scope_of(ws)
    keys = templates.attestation_keys(scope, {"reporting_app": "x" if any(
        (conf.values.get("reporting_app") or {}).values()) else ""})
    attestations.confirm(ws, year, scope, list(keys), signatory, keys)
