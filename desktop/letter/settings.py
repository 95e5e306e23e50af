"""Names and settings the letter prints, each with a value per language.

The entity's name (the UN's official names where they exist, `data/entity_names.json`), the office's
name (on the office's own record, so it travels to the coordinator and headquarters), the place and
the signer's title per language, the signatory's name, the governing body's decision cited in the
legal basis, and the entity's own reporting mechanism. A value missing in a letter's language is shown
as missing in the window and blocks signing (gate.py); a preview marks the fallback it uses.

Kept in the workspace's settings (`meta`, key `letter_settings`, JSON), audited like every setting.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The keys that can be set, and their labels: in a module of their own, which the command line's help
# imports without this one (start-up budget); `settings.PER_LANGUAGE` / `settings.SINGLE` still name them.
from desktop.letter.setting_keys import PER_LANGUAGE, SINGLE
from i18n import LANGUAGE_CODES, N_
from storage.records import OFFICE

if TYPE_CHECKING:
    from storage import Workspace

DATA = Path(__file__).resolve().parent / "data" / "entity_names.json"
META_KEY = "letter_settings"
MAX_VALUE = 300


class SettingsError(ValueError):
    """Bad input; `message` is an untranslated msgid, `params` its placeholders."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


@dataclass
class LetterSettings:
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # per-language key -> {lang: text}
    single: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, language: str) -> str:
        """The value in `language`, '' if it has none (never another language's)."""
        return (self.values.get(key) or {}).get(language, "").strip()

    def fallback(self, key: str, language: str) -> str:
        """The value to show when `language` has none: English, then any language."""
        texts = self.values.get(key) or {}
        return texts.get("en") or next((t for t in texts.values() if t), "")

    def as_dict(self) -> dict[str, Any]:
        return {"values": self.values, "single": self.single}


def _clean(text: Any) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > MAX_VALUE:
        raise SettingsError(N_("This text is too long (at most {maximum} characters)."), maximum=MAX_VALUE)
    return text


def load(ws: Workspace) -> LetterSettings:
    raw = json.loads(ws.get_meta(META_KEY) or "{}")
    out = LetterSettings({k: dict(v) for k, v in (raw.get("values") or {}).items() if k in PER_LANGUAGE},
                         {k: str(v) for k, v in (raw.get("single") or {}).items() if k in SINGLE})
    out.values["office"] = office_names(ws, ws.office)
    for key, kind in (("entity", "short"), ("entity_full", "full")):
        known = official_names(ws.entity, kind)
        if known and not any(out.values.get(key, {}).values()):
            out.values[key] = dict(known)     # the UN's official names until the entity sets its own
    return out


def save(ws: Workspace, settings: LetterSettings) -> None:
    """Store the settings; the office's names go on the office's own record (they travel)."""
    for key, texts in settings.values.items():
        if key not in PER_LANGUAGE or not isinstance(texts, dict) or set(texts) - set(LANGUAGE_CODES):
            raise SettingsError(N_("Unknown setting {key}."), key=key)
    clean = {k: {lang: _clean(t) for lang, t in texts.items() if _clean(t)} for k, texts in settings.values.items()}
    single = {k: _clean(v) for k, v in settings.single.items() if k in SINGLE and _clean(v)}
    office = clean.pop("office", {})
    with ws.transaction():
        set_office_names(ws, ws.office, office)
        ws.set_meta(META_KEY, json.dumps({"values": clean, "single": single}, ensure_ascii=False, sort_keys=True))


def set_value(ws: Workspace, key: str, language: str | None, value: str) -> LetterSettings:
    """One setting: a per-language key with its language, or a single key (language None)."""
    current = load(ws)
    if key in PER_LANGUAGE:
        if language not in LANGUAGE_CODES:
            raise SettingsError(N_("Give the language of {key}: one of ar, zh, en, fr, ru, es."), key=key)
        current.values.setdefault(key, {})[language] = value
    elif key in SINGLE:
        current.single[key] = value
    else:
        raise SettingsError(N_("Unknown setting {key}."), key=key)
    save(ws, current)
    return load(ws)


# ---- office names on the office's own record ------------------------------------------------------
def _own_office_record(ws: Workspace, code: str) -> dict[str, Any] | None:
    rows = [r for r in ws.records.iter_all(OFFICE, include_deleted=False) if r["code"] == code]
    rows.sort(key=lambda r: (r["office"] != code, r["office"] != ws.office, r["rev"]))
    return rows[0] if rows else None


def office_names(ws: Workspace, code: str) -> dict[str, str]:
    """The office's name per language, from its own record (the office's, wherever we are)."""
    record = _own_office_record(ws, code)
    if record is None:
        return {}
    names = json.loads(record.get("names") or "{}") if record.get("names") else {}
    return {lang: text for lang, text in names.items() if lang in LANGUAGE_CODES and text}


def office_name(ws: Workspace, code: str, language: str) -> str:
    """The office's name in `language`; its single name (as created) when it has none; else the code."""
    record = _own_office_record(ws, code)
    names = office_names(ws, code)
    return names.get(language) or (record["name"] if record else "") or code


def set_office_names(ws: Workspace, code: str, names: dict[str, str]) -> None:
    record = _own_office_record(ws, code)
    data = json.dumps(names, ensure_ascii=False, sort_keys=True) if names else None
    if record is None:
        ws.records.insert(OFFICE, {"code": code, "name": names.get("en") or code, "country": "", "names": data})
    elif record["office"] == ws.office and (record.get("names") or None) != data:
        ws.records.update(OFFICE, record["id"], {"names": data})


# ---- the UN's official names ------------------------------------------------------------------------
@cache
def _entities() -> tuple[dict[str, Any], ...]:
    if not DATA.exists():
        return ()
    return tuple(json.loads(DATA.read_text(encoding="utf-8")).get("entities", ()))


def _key(text: str) -> str:
    return re.sub(r"[\s.\-_]+", "", text.casefold())


def official_names(entity: str, kind: str = "short") -> dict[str, str]:
    """The entity's names ("short" or "full") as the UN writes them in each language, when known."""
    wanted = _key(entity or "")
    for item in _entities():
        if wanted and (wanted == _key(item.get("key", "")) or any(wanted == _key(m) for m in item.get("match", ()))
                       or any(wanted == _key(v) for v in (item.get("short") or {}).values())):
            return {lang: text for lang, text in (item.get(kind) or {}).items() if lang in LANGUAGE_CODES}
    return {}
