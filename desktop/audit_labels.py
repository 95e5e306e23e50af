"""Audit-log entries in words: the action codes and record kinds that storage writes, as a user
reads them. One place for every instrument, so the Workspace page never shows a raw code
(a test checks that every code written anywhere has a label)."""

from __future__ import annotations

from i18n import N_, _

ACTIONS = {
    "insert": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "setting": N_("setting changed"),
    "passphrase-changed": N_("passphrase changed"),
    "merge-insert": N_("received in a merge"),
    "merge-update": N_("updated by a merge"),
    "merge-conflict": N_("merge conflict kept for review"),
    "merge-history": N_("earlier version received in a merge"),
    "bundle-export": N_("export bundle written"),
    "bundle-import": N_("export bundle merged"),
    "bundle-relay": N_("relay bundle written for headquarters"),
    "conflict-kept": N_("conflict reviewed: current version kept"),
    "exchange-keys-created": N_("workspace exchange keys created"),
    "identity-created": N_("signing identity created"),
    "sender-trusted": N_("sending office trusted"),
    "sender-key-changed": N_("sending office's key changed"),
    "sender-forgotten": N_("sending office forgotten"),
    "trust-added": N_("certificate trusted"),
    "trust-removed": N_("certificate no longer trusted"),
}

KINDS = {
    "office": N_("office"),
    "meta": N_("workspace setting"),
    "workspace": N_("workspace"),
    "roster_person": N_("person"),
    "roster_course": N_("course"),
    "roster_course_setting": N_("course classification"),
    "letter_attestation": N_("attestation of the letter"),
    "roster_completion": N_("training completion"),
    "partner": N_("implementing partner"),
    "partner_agreement": N_("partner agreement"),
    "partner_ruleset": N_("assessment rule set"),
    "partner_assessment": N_("capacity assessment"),
    "partner_answer": N_("answer to a core standard"),
    "partner_attachment": N_("attached file"),
    "partner_action": N_("action point"),
    "partner_trigger": N_("re-assessment trigger"),
    "risk_factor": N_("risk factor"),
    "risk_assessment": N_("risk assessment"),
    "risk_rating": N_("risk rating"),
    "risk_measure": N_("mitigation measure"),
    "risk_visit": N_("follow-up visit"),
    "risk_rerating": N_("re-rating at a visit"),
    "letter": N_("management letter"),
    "allegation_count": N_("allegation count"),
    "bundle": N_("export bundle"),
    "sender": N_("sending office"),
    "conflict": N_("merge conflict"),
    "trusted_certificate": N_("trusted certificate"),
    "signing_identity": N_("signing identity"),
}


def action_label(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


def kind_label(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind
