"""The instruments of PSEA Desk, named once, with plain imports.

Each instrument brings its record kinds (declared in its model), its command-line module, its demo
data, its caches and its figures (desktop/instruments.py gathers the figures; its window page is named
by `page`, which ui/pages.py imports: ui sits above desktop). Everything that needs "every instrument"
asks this module: the bundle export and merge (record kinds), the demo, the regional view (caches),
the command line (commands). Import-linter sees every edge: nothing is found by scanning folders or
imported by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from desktop.letter import allegations, attestations
from desktop.letter import cli as letter_cli
from desktop.letter import demo as letter_demo
from desktop.letter import model as letter_model
from desktop.partners import cli as partners_cli
from desktop.partners import demo as partners_demo
from desktop.partners import model as partners_model
from desktop.risk import cli as risk_cli
from desktop.risk import demo as risk_demo
from desktop.risk import model as risk_model
from desktop.roster import cli as roster_cli
from desktop.roster import demo as roster_demo
from desktop.roster import model as roster_model
from desktop.roster import snapshot
from storage.records import OFFICE, RecordKind

if TYPE_CHECKING:  # annotations only: every command imports the registry at start-up
    import datetime as dt
    import random

Populate = Callable[..., None]   # populate_demo(ws, rng: random.Random, today: dt.date, people: int)


@dataclass(frozen=True)
class Instrument:
    key: str
    kinds: tuple[RecordKind, ...]            # what its records are (and what travels in bundles)
    commands: ModuleType                     # `register(subparsers)`: its `psea-desk` commands
    populate_demo: Populate                  # its part of a demo workspace
    page: str                                # the ui module of its window page
    forget_caches: tuple[Callable[[], None], ...] = ()   # caches to drop when records change under it


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("roster", (roster_model.PERSON, roster_model.COURSE, roster_model.COMPLETION,
                          roster_model.COURSE_SETTING),
               roster_cli, roster_demo.populate_demo, "ui.roster.page", (snapshot.forget,)),
    Instrument("risk", (risk_model.FACTOR, risk_model.ASSESSMENT, risk_model.RATING, risk_model.MEASURE,
                        risk_model.VISIT, risk_model.RERATING),
               risk_cli, risk_demo.populate_demo, "ui.risk.page"),
    Instrument("partners", (partners_model.PARTNER, partners_model.AGREEMENT, partners_model.RULESET,
                            partners_model.ASSESSMENT, partners_model.ANSWER, partners_model.ATTACHMENT,
                            partners_model.ACTION, partners_model.TRIGGER),
               partners_cli, partners_demo.populate_demo, "ui.partners.page"),
    Instrument("letter", (letter_model.LETTER, allegations.ALLEGATION_COUNT, attestations.ATTESTATION),
               letter_cli, letter_demo.populate_demo, "ui.letter.page"),
)


def record_kinds() -> list[RecordKind]:
    """Every record kind: the offices, then each instrument's."""
    return [OFFICE, *(kind for instrument in INSTRUMENTS for kind in instrument.kinds)]


def forget_caches() -> None:
    for instrument in INSTRUMENTS:
        for forget in instrument.forget_caches:
            forget()


# The demo draws every instrument's data from one random stream, in this order (the same demo every time).
DEMO_ORDER = ("roster", "partners", "risk", "letter")


def populate_demo(ws: object, rng: random.Random, today: dt.date, people: int) -> None:
    by_key = {instrument.key: instrument for instrument in INSTRUMENTS}
    for key in DEMO_ORDER:
        by_key[key].populate_demo(ws, rng, today, people)
