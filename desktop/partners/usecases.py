"""What the window's partner forms save, each as one function and one transaction (design.md, "Long
work and change": use cases live in desktop/, the window and the command line call them the same way)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.partners import assessments as A
from desktop.partners import model

if TYPE_CHECKING:
    from storage import Workspace


@dataclass
class Answer:
    standard_key: str
    rating: str | None
    evidence: list[str]
    other_evidence: str
    notes: str


def save_answers(ws: Workspace, assessment_id: str, answers: list[Answer], special_state: str | None = None) -> None:
    """The changed standards of an assessment and, if given, its special state, all or nothing.
    Raises model.PartnerError with a message for the user."""
    with ws.transaction():
        for a in answers:
            A.answer(ws, assessment_id, a.standard_key, rating=a.rating, evidence=a.evidence,
                     other_evidence=a.other_evidence, notes=a.notes)
            if a.rating is None:
                A.clear_rating(ws, assessment_id, a.standard_key)
        if special_state is not None:
            A.set_special_state(ws, assessment_id, special_state)


def add_action(ws: Workspace, partner_id: str, description: str, *, owner: str, due_on: str | None, priority: str,
               status: str = "open", verified_by: str = "") -> dict[str, Any]:
    """A capacity-strengthening action, already with its status (one revision to review, not two)."""
    with ws.transaction():
        rec = model.add_action(ws, partner_id, description, owner=owner, due_on=due_on, priority=priority)
        if status != "open" or verified_by.strip():
            rec = model.update_action(ws, rec["id"], {"status": status, "verified_by": verified_by})
    return rec
