"""Every audit action and record kind written anywhere has words for the Workspace page."""

from __future__ import annotations

import re
from pathlib import Path

import i18n
from desktop.audit_labels import ACTIONS, KINDS, action_label, kind_label

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for room in ("storage", "desktop") for p in (ROOT / room).rglob("*.py")]


def _written() -> tuple[set[str], set[str]]:
    actions, kinds = set(), set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"audit\.append\(\s*[\w.]+,\s*\"([a-z-]+)\",\s*(?:\"([a-z_]+)\")?", text):
            actions.add(m.group(1))
            if m.group(2):
                kinds.add(m.group(2))
        for m in re.finditer(r"\(\"((?:merge-)?[a-z]+(?:-[a-z]+)?)\", kind\.name", text):
            actions.add(m.group(1))
        for m in re.finditer(r"register\(\s*RecordKind\(\s*\"([a-z_]+)\"", text):
            kinds.add(m.group(1))
    return actions, kinds


def test_every_written_action_and_kind_has_a_label() -> None:
    actions, kinds = _written()
    assert {"insert", "update", "delete", "merge-insert"} <= actions  # the scan itself works
    assert not actions - set(ACTIONS), f"audit actions without words: {sorted(actions - set(ACTIONS))}"
    assert not kinds - set(KINDS), f"record kinds without words: {sorted(kinds - set(KINDS))}"


def test_labels_are_translated() -> None:
    i18n.set_language("fr")
    assert action_label("bundle-import") != "export bundle merged"
    assert kind_label("partner_assessment") != "capacity assessment"
    assert action_label("unknown-code") == "unknown-code"
