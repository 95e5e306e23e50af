"""Demo workspaces: realistic synthetic data for a country office, the same for the same seed.

Each instrument adds its part with its `populate_demo(ws, rng, today, people)`, named in
desktop/registry.py.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop import registry
from storage import Workspace
from storage.records import OFFICE

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
        registry.populate_demo(ws, rng, today, people)
    except BaseException:
        ws.close()
        raise
    return ws


# The chain demo: offices in several scripts, two regions, one headquarters (design.md, "The reporting chain").
CHAIN_REGIONS = (
    ("RO-ESA", "Nairobi regional office", ("KEN-NBO", "SDN-KRT", "UKR-KBP")),
    ("RO-AP", "Bangkok regional office", ("CHN-BJS", "LBN-BEY", "COL-BOG")),
)
CHAIN_HQ = ("HQ", "Headquarters")
CHAIN_BUNDLE_PASSPHRASE = "demo bundle passphrase 2026"


def create_chain_demo(path: Path | str, passphrase: str, *, role: str, seed: int = 2026, people: int = 300,
                      today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> Workspace:
    """A coordinator's (role "region") or headquarters' (role "headquarters") workspace built from demo
    offices' real bundles: each office is created, filled and exported; a coordinator merges its
    offices; headquarters merges two coordinators' relays. Only the final workspace is kept."""
    from desktop.exchange.export import export_bundle
    from desktop.exchange.merge import merge_bundles
    from desktop.exchange.relay import export_relay
    from desktop.letter.demo import populate_demo as letter_demo
    from desktop.partners.demo import populate_demo as partners_demo
    from desktop.risk.demo import populate_demo as risk_demo
    from desktop.roster.demo import populate_demo as roster_demo

    today = today or dt.date.today()
    path = Path(path)
    say = progress or (lambda _text: None)
    names = {code: name for code, name, _country in DEMO_OFFICES}
    countries = {code: country for code, _name, country in DEMO_OFFICES}
    regions = CHAIN_REGIONS if role == "headquarters" else CHAIN_REGIONS[:1]
    with tempfile.TemporaryDirectory(prefix="psea-demo-") as tmp:
        folder = Path(tmp)
        relays = []
        for r, (region_code, region_name, offices) in enumerate(regions):
            bundles = []
            for n, code in enumerate(offices):
                say(code)
                rng = random.Random(seed * 100 + r * 10 + n)
                office = Workspace.create(folder / f"{code}.pdesk", passphrase, office=code, entity=DEMO_ENTITY,
                                          office_name=names[code])
                try:
                    own = next(rec for rec in office.records.iter_all(OFFICE) if rec["code"] == code)
                    office.records.update(OFFICE, own["id"], {"country": countries[code]})
                    roster_demo(office, rng, today, people, own_office_only=True)
                    partners_demo(office, rng, today, people)
                    if code == DEMO_OFFICE:
                        risk_demo(office, rng, today, people)
                    letter_demo(office, rng, today, people)
                    bundles.append(folder / f"{code}.pdbundle")
                    export_bundle(office, bundles[-1], CHAIN_BUNDLE_PASSPHRASE)
                finally:
                    office.close()
            target = path if role == "region" else folder / f"{region_code}.pdesk"
            say(region_code)
            coordinator = Workspace.create(target, passphrase, office=region_code, entity=DEMO_ENTITY, role="region",
                                           office_name=region_name)
            merge_bundles(coordinator, bundles, CHAIN_BUNDLE_PASSPHRASE, backup=False)
            if role == "region":
                return coordinator
            try:
                relays.append(folder / f"{region_code}.relay.pdbundle")
                export_relay(coordinator, relays[-1], CHAIN_BUNDLE_PASSPHRASE)
            finally:
                coordinator.close()
        say(CHAIN_HQ[0])
        hq = Workspace.create(path, passphrase, office=CHAIN_HQ[0], entity=DEMO_ENTITY, role="headquarters",
                              office_name=CHAIN_HQ[1])
        try:
            merge_bundles(hq, relays, CHAIN_BUNDLE_PASSPHRASE, backup=False)
            from desktop.letter.demo import prepare_entity_letter

            prepare_entity_letter(hq, today)
        except BaseException:
            hq.close()
            raise
        return hq
