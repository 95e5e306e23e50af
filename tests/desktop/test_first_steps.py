"""First steps by role, ticked from the workspace's own data (desktop/first_steps.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.first_steps import first_steps
from desktop.partners import model as partners
from storage import Workspace
from tests.conftest import PASSPHRASE


def test_an_offices_steps_follow_its_data(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "o.pdesk", PASSPHRASE, office="KEN-NBO", entity="UNICEF") as ws:
        steps = {s.key: s for s in first_steps(ws, dt.date(2026, 11, 29))}
        assert list(steps) == ["roster", "partners", "risk", "allegations", "send"]
        assert not any(s.done for s in steps.values())
        partners.add_partner(ws, "Action contre la Faim", partner_type="international_ngo")
        done = {s.key for s in first_steps(ws, dt.date(2026, 11, 29)) if s.done}
        assert "partners" in done and "roster" not in done and "risk" not in done


def test_coordinators_and_headquarters_have_their_own_steps(tmp_path: Path) -> None:
    for role, keys in (("region", ["merge", "relay"]), ("headquarters", ["merge", "letter"])):
        with Workspace.create(tmp_path / f"{role}.pdesk", PASSPHRASE, office="REG", entity="UNICEF", role=role) as ws:
            assert [s.key for s in first_steps(ws)] == keys
            assert all(s.page in ("exchange", "letter") and not s.done for s in first_steps(ws))
