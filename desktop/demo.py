"""Demo workspaces: realistic synthetic data for a country office, the same for the same seed.

Each instrument adds its part through a module in DEMO_MODULES with
`populate_demo(ws: Workspace, rng: random.Random, today: datetime.date, people: int) -> None`;
modules that do not exist yet are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from desktop.plugins import optional_module
from storage import Workspace
from storage.records import OFFICE

DEMO_MODULES = (
    "desktop.roster.demo",
    "desktop.partners.demo",
    "desktop.risk.demo",
    "desktop.letter.demo",
)
DEMO_OFFICE = "KEN-NBO"
DEMO_ENTITY = "UN-Habitat"
# Other offices of the region, for a coordinator's view and the demo's names in several scripts.
DEMO_OFFICES = (
    ("KEN-NBO", "Nairobi", "KE"),
    ("SDN-KRT", "الخرطوم", "SD"),
    ("LBN-BEY", "بيروت", "LB"),
    ("CHN-BJS", "北京", "CN"),
    ("UKR-KBP", "Київ", "UA"),
    ("COL-BOG", "Bogotá", "CO"),
)


def create_demo_workspace(path: Path | str, passphrase: str, *, seed: int = 2026, people: int = 2000,
                          today: dt.date | None = None, language: str = "en") -> Workspace:
    today = today or dt.date.today()
    rng = random.Random(seed)
    ws = Workspace.create(Path(path), passphrase, office=DEMO_OFFICE, entity=DEMO_ENTITY, language=language,
                          office_name="Nairobi")
    try:
        with ws.transaction():
            own = next(r for r in ws.records.iter_all(OFFICE) if r["code"] == DEMO_OFFICE)
            ws.records.update(OFFICE, own["id"], {"country": "KE"})
            ws.records.insert_many(OFFICE, [
                {"code": code, "name": name, "country": country}
                for code, name, country in DEMO_OFFICES if code != DEMO_OFFICE
            ])
        for name in DEMO_MODULES:
            module = optional_module(name)
            if module is not None:
                module.populate_demo(ws, rng, today, people)
    except BaseException:
        ws.close()
        raise
    return ws
