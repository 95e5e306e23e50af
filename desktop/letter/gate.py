"""The signing gate: nothing is signed while the letter would say more than the data backs or the
signer attested.

A letter cannot be signed while an attestation is unconfirmed, a figure is unavailable or leaves data
out (completions of courses not yet classified; agreements whose SEA clauses nobody recorded), a figure
statement was edited so that it no longer carries its figure, a name has no version in the letter's
language, or (the entity's letter) the governing body's decision of the legal basis is not set. Each
problem says what is wrong and where to fix it; the window lists them, `psea-desk letter sign` prints
them and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.letter import compose, settings, templates
from desktop.letter.templates import ATTESTATION
from i18n import N_, gettext_in, ngettext_in
from i18n.formatting import number

if TYPE_CHECKING:
    from storage import Workspace

# Where to fix each kind of problem (shown with it).
WHERE = {
    "attestation": N_("Letter page, Attestations"),
    "figure": N_("the instrument the figure comes from"),
    "training": N_("Training roster, Courses…"),
    "agreements": N_("Partners, the partner's agreements"),
    "text": N_("Letter page, Statements"),
    "names": N_("Letter page, Names and settings"),
}


@dataclass(frozen=True)
class Problem:
    code: str        # attestation | unavailable | incomplete | text | name | decision
    key: str         # the statement, figure or setting concerned
    message: str     # translated, in `language`
    where: str       # translated: where to fix it

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "key": self.key, "message": self.message, "where": self.where}


def problems(ws: Workspace, letter: dict[str, Any], comp: compose.Composition | None = None,
             language: str | None = None) -> list[Problem]:
    """Everything that stops this letter from being signed, in `language` (default: the window's)."""
    from i18n import current_language

    code = language or current_language()
    comp = comp or compose.compose(ws, letter)

    def t(msgid: str) -> str:
        return gettext_in(code, msgid)

    out: list[Problem] = []
    for block in comp.blocks:
        for item in block.items:
            if item.kind == ATTESTATION and not item.confirmed:
                out.append(Problem("attestation", item.key, t(N_("Not yet confirmed by the signer: {statement}")).format(
                    statement=_short(item.text)), t(WHERE["attestation"])))
    figures = {f.key: f for f in comp.figures}
    used = {need for st in templates.statements(comp.scope) for need in st.needs}
    for key in sorted(used & set(figures)):
        fig = figures[key]
        if not fig.available:
            out.append(Problem("unavailable", key, t(N_("The figure “{figure}” is not available.")).format(
                figure=fig.label), t(WHERE["figure"])))
    training = comp.figures_raw.get("training") or {}
    left = training.get("not_counted") or {}
    if int(left.get("completions", 0) or 0):
        from desktop.roster.figures import NotCounted

        out.append(Problem("incomplete", "training_rate", t(N_("The training figure leaves data out: {text}")).format(
            text=NotCounted.from_dict(left).text(code)), t(WHERE["training"])))
    partners = comp.figures_raw.get("partners") or {}
    unknown = int(partners.get("agreements_clause_unknown", 0) or 0)
    if unknown:
        out.append(Problem("incomplete", "agreements", ngettext_in(
            code, "{n} cooperation agreement in force does not say whether it contains the SEA clauses.",
            "{n} cooperation agreements in force do not say whether they contain the SEA clauses.", unknown).format(
            n=number(unknown, code)), t(WHERE["agreements"])))
    for key in compose.figure_statements_intact(letter):
        out.append(Problem("text", key, t(N_("The edited text of “{statement}” no longer shows its figure: use the "
                                               "template text or keep its placeholders.")).format(
            statement=_short(comp.item(key).text if comp.item(key) else key)), t(WHERE["text"])))
    language = _language_name(comp.language, code)
    for key in comp.fallbacks + comp.missing:
        label = t(settings.PER_LANGUAGE.get(key) or settings.SINGLE.get(key) or key)
        if key in settings.PER_LANGUAGE and key in comp.fallbacks:
            text = t(N_("{setting} has no version in {language}.")).format(setting=label, language=language)
        else:
            text = t(N_("{setting} is not set.")).format(setting=label)
        out.append(Problem("name", key, text, t(WHERE["names"])))
    return out


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _language_name(code: str, in_language: str) -> str:
    """A language's name as `in_language` writes it (Babel's CLDR data: "anglais", "英语")."""
    from babel import Locale

    try:
        return Locale.parse(code).get_language_name(in_language) or code
    except (ValueError, LookupError):
        return code
