"""The text layer of every PDF, read back as a reader's tools read it, in the six languages.

What was composed (every heading, paragraph, list item and table cell the document was given, captured
from `Document.texts` at build time) must come back from `pdftotext` as the same words in the same
order: letters, not Arabic presentation forms; Arabic words in reading order; Chinese characters in
order. Tokens are runs of letters of one script, runs of digits, and single Chinese characters; spaces
and punctuation are not compared, because poppler's own reordering of a right-to-left line may move a
space or a full stop where Arabic meets a number or a Latin word (its reorderText heuristic), never a
letter; in right-to-left parts the Arabic words are compared in order and numbers and Latin words as
present (poppler may swap two numbers that punctuation separates, see `missing_parts`). A paragraph broken across pages has the footer between its parts, hence a small gap allowance.

The structure tree is checked too: tagged, in the document's language, headings, paragraphs and
tables present, and each right-to-left part read by assistive technology from /ActualText in reading
order.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

import i18n
from desktop.exchange.region import regional_figures
from desktop.exchange.region_report import regional_report
from desktop.letter import model, service
from desktop.partners import assessments as partner_assessments
from desktop.partners import model as partners_model
from desktop.partners import report as partners_report
from desktop.pdf import Document
from desktop.pdf import text as tl
from desktop.risk import assessments as risk_assessments
from desktop.risk import report as risk_report
from desktop.roster import report as roster_report
from storage import Workspace
from tests.desktop.letter.conftest import DEMO_PASSPHRASE, TODAY
from tests.desktop.letter.ready import make_ready

pytest_plugins = ["tests.desktop.letter.conftest"]

GAP = 40   # tokens allowed between two tokens of one part (a page footer and number, a table's other cells)


def tokens(text: str) -> list[str]:
    out: list[str] = []
    run, kind = [], None
    for c in tl.clean(text):
        category = unicodedata.category(c)
        if tl.script_of(c) == "cjk" and category[0] == "L":
            this = "cjk"
        elif category[0] in "LM":
            this = "rtl" if unicodedata.bidirectional(c) in ("R", "AL") or (kind == "rtl" and category[0] == "M") \
                else "letters"
        elif c.isdigit():
            this = "digits"
        else:
            this = None
        if run and (this != kind or this == "cjk"):
            out.append("".join(run))
            run = []
        kind = this
        if this is not None:
            run.append(c)
    if run:
        out.append("".join(run))
    return out


def _found_in_order(part: list[str], text: list[str], positions: dict[str, list[int]]) -> bool:
    """`part` appears in `text` in order, each token within GAP tokens of the previous one."""
    if not part:
        return True
    for start in positions.get(part[0], []):
        at, ok = start, True
        for token in part[1:]:
            nxt = next((i for i in range(at + 1, min(len(text), at + 2 + GAP)) if text[i] == token), None)
            if nxt is None:
                ok = False
                break
            at = nxt
        if ok:
            return True
    return False


def _is_rtl(token: str) -> bool:
    return unicodedata.bidirectional(token[0]) in ("R", "AL")


def missing_parts(composed: list[str], extracted: str, *, rtl: bool = False) -> list[str]:
    """Parts of `composed` whose words do not come back in order. In a part with right-to-left text the
    right-to-left words must come back in order, its numbers and Latin words all present: poppler puts
    each right-to-left line into reading order with its own heuristic, which keeps Arabic words in
    order but may swap two numbers separated by punctuation ("2026: 9" read as "9 2026"). In a
    right-to-left document (`rtl`) every part is such a part: a date or a figure alone in a cell too."""
    text = tokens(extracted)
    rtl_text = [t for t in text if _is_rtl(t)]
    available = Counter(text)
    positions: dict[str, list[int]] = {}
    rtl_positions: dict[str, list[int]] = {}
    for i, token in enumerate(text):
        positions.setdefault(token, []).append(i)
    for i, token in enumerate(rtl_text):
        rtl_positions.setdefault(token, []).append(i)
    missing = []
    for part in composed:
        words = tokens(part)
        if not words:
            continue
        rtl_words = [w for w in words if _is_rtl(w)]
        if rtl_words or rtl:
            ok = (_found_in_order(rtl_words, rtl_text, rtl_positions)
                  and not Counter(w for w in words if not _is_rtl(w)) - available)
        else:
            ok = _found_in_order(words, text, positions)
        if not ok:
            missing.append(part)
    return missing


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """Every Document built during the test (real builds, just remembered)."""
    built: list[Document] = []
    original = Document.build

    def build(self: Document, path: Any = None) -> bytes:
        built.append(self)
        return original(self, path)

    monkeypatch.setattr(Document, "build", build)
    return built


def _renderers(ws: Workspace, tmp: Path) -> Iterator[tuple[str, Callable[[str], bytes]]]:
    risk_id = risk_assessments.assessments(ws)[0]["id"]
    partner_assessment = next(a["id"] for p in partners_model.list_partners(ws)
                              for a in partner_assessments.for_partner(ws, p["id"]))
    yield "letter", lambda code: service.preview(ws, model.ensure(ws, TODAY.year, code))
    yield "roster", lambda code: (roster_report.write_report(ws, tmp / "r.pdf", TODAY, code, rows=list(range(30))),
                                  (tmp / "r.pdf").read_bytes())[1]
    yield "risk", lambda code: risk_report.build_report(ws, risk_id, code, TODAY).build()
    yield "partner", lambda code: partners_report.render(ws, partner_assessment, code, today=TODAY)
    yield "regional", lambda code: regional_report(ws, None, code, year=TODAY.year,
                                                   rows=regional_figures(ws, TODAY.year), today=TODAY)


def _pdftotext(data: bytes, tmp: Path) -> str:
    path = tmp / "read.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _structure(data: bytes, tmp: Path) -> tuple[dict[str, Any], list[tuple[str, str | None]]]:
    """The catalog's tagging entries and the structure elements (role, ActualText) in tree order."""
    path = tmp / "tree.pdf"
    path.write_bytes(data)
    with path.open("rb") as f:
        root = PdfFileReader(f).root
        info = {"lang": str(root.get("/Lang", "")), "marked": bool(root["/MarkInfo"]["/Marked"]),
                "tree": "/StructTreeRoot" in root}
        elements: list[tuple[str, str | None]] = []

        def walk(node: Any) -> None:
            node = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(node, int) or not hasattr(node, "get"):
                return
            if "/S" in node:
                actual = node.get("/ActualText")
                elements.append((str(node["/S"])[1:], str(actual) if actual is not None else None))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else ([kids] if kids is not None else []):
                walk(kid)

        walk(root["/StructTreeRoot"])
    return info, elements


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_every_pdf_reads_back_as_composed(demo_path: Path, tmp_path: Path, captured: list[Document],
                                          code: str) -> None:
    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:
        make_ready(ws, TODAY.year)
        for name, render in _renderers(ws, tmp_path):
            captured.clear()
            data = render(code)
            doc = captured[-1]
            assert len(doc.texts) > 5, name
            extracted = _pdftotext(data, tmp_path)
            missing = missing_parts(doc.texts, extracted, rtl=code == "ar")
            assert not missing, f"{name} ({code}): not read back in order: {missing[:3]}"
            if code == "ar":
                # Base letters only, in reading order: the words a person types to search.
                assert not any(0xFB50 <= ord(c) <= 0xFEFF for c in extracted), name
            info, elements = _structure(data, tmp_path)
            assert info["tree"] and info["marked"], name
            assert info["lang"].split("-")[0] == code, name
            roles = {role for role, _actual in elements}
            assert roles >= {"Document", "P"}, (name, roles)
            assert roles & {"H1", "H2", "H3", "Table"}, (name, roles)
            if code == "ar":
                actual = [a for _role, a in elements if a]
                rtl_parts = [tl.clean(t) for t in doc.texts if tl.has_rtl(t)]
                assert rtl_parts and all(part in actual for part in rtl_parts), name


def test_the_arabic_letter_can_be_searched(demo_path: Path, tmp_path: Path) -> None:
    with Workspace.open(demo_path, DEMO_PASSPHRASE) as ws:
        make_ready(ws, TODAY.year)
        text = _pdftotext(service.preview(ws, model.ensure(ws, TODAY.year, "ar")), tmp_path)
    words = tokens(text)
    assert {"الاستغلال", "الجنسيين"} <= set(words)
    # UN Arabic style read back: percentages in words in the sentences, both names of each month.
    assert "المائة" in words and "%" not in text.split("\n\n")[0]
    assert "كانون" in words and "ديسمبر" in words and "نوفمبر" in words


def test_tokens_tell_reversed_or_presentation_form_text_from_the_text() -> None:
    """The comparison itself can fail: reversed letters, reversed words, presentation forms."""
    part = "منع الاستغلال والانتهاك الجنسيين في عام 2026"
    assert not missing_parts([part], part)
    assert missing_parts([part], part[::-1])
    assert missing_parts([part], " ".join(reversed(part.split())))
    assert missing_parts([part], part.replace("2026", "2025"))
    assert missing_parts([part], tl.shape(part))
    assert not missing_parts(["联合国 2026 年"], "联合\n国 2026\n年")
    assert missing_parts(["联合国"], "国合联")


def test_a_paragraph_over_two_pages_stays_one_element(tmp_path: Path) -> None:
    doc = Document("en", title="t", footer="Footer")
    long_text = " ".join(f"word{n}" for n in range(1400))
    doc.heading("Heading")
    doc.paragraph(long_text)
    data = doc.build()
    assert doc.page_count >= 2
    _info, elements = _structure(data, tmp_path)
    assert [role for role, _a in elements] == ["Document", "H1", "P"]
    assert not missing_parts(doc.texts, _pdftotext(data, tmp_path))


def test_a_repeated_table_header_is_read_once(tmp_path: Path) -> None:
    doc = Document("fr", title="t")
    doc.table([["Colonne", "Valeur"]] + [[f"ligne {n}", str(n)] for n in range(120)])
    data = doc.build()
    assert doc.page_count >= 2
    _info, elements = _structure(data, tmp_path)
    assert sum(1 for role, _a in elements if role == "TH") == 2
    assert sum(1 for role, _a in elements if role == "TR") == 121


def test_a_document_built_twice_is_tagged_once(tmp_path: Path) -> None:
    doc = Document("ru", title="t")
    doc.paragraph("Первый абзац")
    doc.build()
    data = doc.build()
    _info, elements = _structure(data, tmp_path)
    assert [role for role, _a in elements] == ["Document", "P"]
