"""An assessment merged into a coordinator's workspace shows the same result there, even after the
coordinator's own copy of the rule set changed (the assessment carries its rule set)."""

from __future__ import annotations

import copy
import datetime as dt

from desktop.partners import assessments as A
from desktop.partners import figures, model, rulesets
from storage import Workspace
from storage.records import Outcome
from tests.conftest import PASSPHRASE


def test_merged_assessment_keeps_result(workspace, tmp_path):
    office = workspace
    p = model.add_partner(office, "منظمة الأمل للتنمية")
    a = A.start(office, p["id"], "un_harmonized")
    for std in A.ruleset_of(a)["standards"]:
        A.answer(office, a["id"], std["key"], rating=1)
    A.answer(office, a["id"], "training", rating=0)
    A.record_step(office, a["id"], 5, "2026-03-01", "Amina")

    coordinator = Workspace.create(tmp_path / "region.pdesk", PASSPHRASE, office="REG", entity="UN-Habitat")
    try:
        edited = copy.deepcopy(rulesets.current(coordinator, "un_harmonized"))
        edited["bands"] = [dict(edited["bands"][0], max=7), dict(edited["bands"][2], min=8)]
        rulesets.save(coordinator, edited)  # 7 would now be "low" there
        for kind in (model.PARTNER, model.ASSESSMENT, model.ANSWER):
            for version in office.records.iter_all(kind):
                assert coordinator.records.apply_version(kind, version) == Outcome.INSERTED
        merged = A.get(coordinator, a["id"])
        assert merged["band"] == "medium" and merged["score"] == 7
        [row] = figures.statuses(coordinator, dt.date(2026, 6, 30))
        assert row.band == "medium" and row.result.label("en") == "Medium capacity (Moderate risk)"
        # Re-applying the same versions changes nothing.
        for version in office.records.iter_all(model.ASSESSMENT):
            assert coordinator.records.apply_version(model.ASSESSMENT, version) == Outcome.UNCHANGED
    finally:
        coordinator.close()
