"""The keys of the letter settings and their labels (settings.py keeps the values).

A module of their own because `psea-desk letter settings --help` words its help from them: the command
line imports this at start-up, not the settings machinery (start-up budget, issue 14).
"""

from __future__ import annotations

from i18n import N_

# What can be set per language: key -> label (shown in the window and in the gate's messages).
PER_LANGUAGE = {
    "entity_full": N_("Entity's full name"),
    "entity": N_("Entity's short name"),
    "office": N_("Office's name"),
    # French, Spanish and English sentences need the office's name with its article ("certifie que le
    # Bureau de pays du Kenya a…"); Arabic names carry theirs, Chinese and Russian have none.
    "office_in_text": N_("Office's name in a sentence (with its article)"),
    "place": N_("Place"),
    "title": N_("Signer's title"),
    "governing_body": N_("Governing body"),
    "session": N_("Session of the governing body"),
    "reporting_app": N_("Entity's own reporting mechanism"),
}
# One value for every language.
SINGLE = {
    "signatory": N_("Signer's name"),
    "decision": N_("Decision number"),
    "paragraph": N_("Paragraph of the decision"),
    "symbol": N_("Document symbol of the decision"),
}
