"""The allegations register: counts only, validated, audited through ws.records."""

from __future__ import annotations

import pytest

from desktop.letter import allegations
from storage import Workspace


def test_set_count_inserts_updates_and_removes(workspace: Workspace) -> None:
    allegations.set_count(workspace, 2025, "staff", "substantiated", "oios", 2)
    allegations.set_count(workspace, 2025, "partner_personnel", "referred", "partner", 1)
    s = allegations.summary(workspace, 2025)
    assert s.total == 3
    assert s.by_category == {"staff": 2, "former_staff": 0, "related_personnel": 0, "partner_personnel": 1}
    assert s.by_status["substantiated"] == 2 and s.by_body == {"oios": 2, "partner": 1}
    # Same combination again replaces its count (a revision, with history).
    rec = allegations.set_count(workspace, 2025, "staff", "substantiated", "oios", 5)
    assert allegations.summary(workspace, 2025).total == 6
    assert len(workspace.records.history(allegations.ALLEGATION_COUNT, rec["id"])) == 1
    # Zero removes it (a tombstone).
    allegations.set_count(workspace, 2025, "staff", "substantiated", "oios", 0)
    assert allegations.summary(workspace, 2025).total == 1
    assert allegations.summary(workspace, 2024).total == 0
    actions = [r[0] for r in workspace.connection.execute(
        "SELECT action FROM audit WHERE kind = 'allegation_count'")]
    assert {"insert", "update", "delete"} <= set(actions)


@pytest.mark.parametrize("args", [
    (1999, "staff", "referred", "", 1),
    ("abc", "staff", "referred", "", 1),
    (2025, "victim", "referred", "", 1),
    (2025, "staff", "open", "", 1),
    (2025, "staff", "referred", "police station 4", 1),
    (2025, "staff", "referred", "", -1),
    (2025, "staff", "referred", "", "two"),
])
def test_bad_input_changes_nothing(workspace: Workspace, args: tuple) -> None:
    before = workspace.connection.execute("SELECT COUNT(*) FROM allegation_count").fetchone()[0]
    with pytest.raises(allegations.InvalidAllegation):
        allegations.set_count(workspace, *args)
    assert workspace.connection.execute("SELECT COUNT(*) FROM allegation_count").fetchone()[0] == before


def test_no_free_text_field_can_hold_a_name() -> None:
    # Minimal by design: only codes and numbers.
    assert set(allegations.ALLEGATION_COUNT.fields) == {"year", "category", "status", "referred_to", "count"}
