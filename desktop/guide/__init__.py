"""The user guide: one Markdown file per language (`desktop/guide/<ll>.md`), shipped with the package.

Headless (no Qt): the guide's text, its sections with their anchors, which section belongs to which
page of the window, and the guide as HTML for the window's help browser (`ui/help.py`). The files live
here, beside the core, so that the package data of `desktop` carries them (pyproject.toml) and a test
can read them without a window.

The Markdown is a small, fixed subset, the same in the six files:
- `# Title` once, at the top; `## Section title {#anchor}` for each section; `### Subtitle`;
- paragraphs (lines joined), numbered lists (`1. `), bullets (`- `), a list item going on over
  indented lines;
- `**Name**` is the name of something the window shows (a page, a button, a menu entry), written
  exactly as the interface says it in that language (tests/ui/test_guide.py checks it against the
  catalogs); `*words*` is emphasis; `` `Ctrl+S` `` a key; `[text](#anchor)` a link to a section;
- a line `{{shortcuts}}` is where the window puts the list of its keyboard shortcuts (the same list
  the window builds for its menus, so its page names and keys are always the real ones).

Anchors are the same in every language (a test checks it); `PAGE_SECTIONS` maps a page's key
(`InstrumentPage.key`) to its section.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import i18n

FOLDER = Path(__file__).resolve().parent
SHORTCUTS = "shortcuts"
# The window's pages (ui.pages: InstrumentPage.key) and the section F1 opens on each.
PAGE_SECTIONS: dict[str, str] = {
    "workspace": "getting-started",
    "roster": "roster",
    "risk": "risk",
    "partners": "partners",
    "letter": "letter",
    "exchange": "exchange",
}
SHORTCUTS_MARK = "{{shortcuts}}"

_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*(?:\{#([a-z0-9-]+)\})?\s*$")
_ORDERED = re.compile(r"^\d+\.\s+")
_BULLET = re.compile(r"^[-*]\s+")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\((#[a-z0-9-]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![A-Za-z0-9*])\*(?![\s*])(.+?)(?<![\s*])\*(?![A-Za-z0-9*])")


@dataclass(frozen=True)
class Section:
    anchor: str      # "" for the introduction before the first section
    title: str
    body: str        # the section's Markdown, heading excluded


def path(code: str) -> Path:
    return FOLDER / f"{code}.md"


@functools.cache
def source(code: str) -> str:
    """The guide's Markdown in `code` (English for a language without a guide)."""
    file = path(code)
    if not file.is_file():
        file = path("en")
    return file.read_text(encoding="utf-8")


def title(code: str) -> str:
    for line in source(code).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def sections(code: str) -> list[Section]:
    """The introduction (anchor "") and every `##` section, in order."""
    out: list[Section] = []
    anchor, heading, lines = "", title(code), []
    for line in source(code).splitlines():
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 2:
            out.append(Section(anchor, heading, "\n".join(lines).strip()))
            anchor, heading, lines = m.group(3) or "", m.group(2), []
        elif not (m and len(m.group(1)) == 1):
            lines.append(line)
    out.append(Section(anchor, heading, "\n".join(lines).strip()))
    return out


def anchors(code: str) -> list[str]:
    return [s.anchor for s in sections(code) if s.anchor]


def section_for_page(key: str | None) -> str:
    """The anchor F1 opens on the page `key`; "" (the top of the guide) for a page without a section."""
    return PAGE_SECTIONS.get(key or "", "")


def names(code: str) -> list[str]:
    """Every `**Name**` of the guide: the words of the interface it refers to."""
    return _BOLD.findall(source(code))


def inline(text: str, code: str) -> str:
    """One line of the subset's inline Markdown as HTML: the text escaped, keys kept left to right."""
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f"<code>{i18n.left_to_right(m.group(1), code)}</code>", out)
    out = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return _ITALIC.sub(r"<i>\1</i>", out)


def to_html(code: str, shortcuts: list[tuple[str, str]] | None = None, shortcut_note: str = "") -> str:
    """The whole guide in `code` as the HTML a QTextBrowser shows: each section's heading carries its
    anchor (`<a name>`), Arabic is right to left throughout, the shortcuts go where the mark is."""
    direction = "rtl" if i18n.is_rtl(code) else "ltr"
    parts: list[str] = [f'<html><head><meta charset="utf-8"></head><body dir="{direction}">']
    paragraph: list[str] = []
    items: list[str] = []
    kind = ""

    def close_paragraph() -> None:
        if paragraph:
            parts.append(f"<p>{inline(' '.join(paragraph), code)}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal kind
        if items:
            parts.append(f"<{kind}>" + "".join(f"<li>{inline(i, code)}</li>" for i in items) + f"</{kind}>")
            items.clear()
        kind = ""

    for raw in source(code).splitlines():
        line = raw.strip()
        heading = _HEADING.match(raw)
        if not line:
            close_paragraph()
            close_list()
        elif heading:
            close_paragraph()
            close_list()
            level, text, anchor = len(heading.group(1)), heading.group(2), heading.group(3)
            name = f'<a name="{anchor}"></a>' if anchor else ""
            parts.append(f"<h{level}>{name}{inline(text, code)}</h{level}>")
        elif line == SHORTCUTS_MARK:
            close_paragraph()
            close_list()
            parts.append(_shortcut_table(shortcuts or [], shortcut_note, code))
        elif _ORDERED.match(line) or _BULLET.match(line):
            close_paragraph()
            wanted = "ol" if _ORDERED.match(line) else "ul"
            if kind and kind != wanted:
                close_list()
            kind = wanted
            items.append((_ORDERED if wanted == "ol" else _BULLET).sub("", line, count=1))
        elif items and raw.startswith((" ", "\t")):
            items[-1] += " " + line      # an item going on over an indented line
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    parts.append("</body></html>")
    return "\n".join(parts)


def _shortcut_table(rows: list[tuple[str, str]], note: str, code: str) -> str:
    if not rows:
        return ""
    if i18n.is_rtl(code):
        # Qt's rich text does not mirror a table in a right-to-left document: the columns are given in
        # mirrored order and the table sits on the right, so the keys come first for a right-to-left reader.
        cells = "".join(f'<tr><td align="right">{html.escape(what)}</td>'
                        f'<td align="right"><code>{html.escape(i18n.left_to_right(keys, code))}</code></td></tr>'
                        for keys, what in rows)
        table = f'<table align="right" cellspacing="0" cellpadding="4">{cells}</table>'
    else:
        cells = "".join(f"<tr><td><code>{html.escape(keys)}</code></td><td>{html.escape(what)}</td></tr>"
                        for keys, what in rows)
        table = f'<table cellspacing="0" cellpadding="4">{cells}</table>'
    return table + (f"<p>{html.escape(note)}</p>" if note else "")
