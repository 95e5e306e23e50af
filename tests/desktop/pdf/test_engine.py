"""The shared PDF engine on real PDFs, checked with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.pdf import Document
from desktop.pdf.text import bidi_lines, escape, runs, wrap_logical

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

SENTENCES = {
    "fr": ["Première phrase : l'évaluation des capacités du partenaire opérationnel.",
           "Deuxième phrase, avec « guillemets » et 82\u00a0% du personnel.",
           "Troisième phrase : tolérance zéro."],
    "ru": ["Первое предложение: оценка потенциала партнера-исполнителя.",
           "Второе предложение о предотвращении сексуальной эксплуатации.",
           "Третье предложение: абсолютная нетерпимость."],
    "zh": ["第一句话：执行伙伴的能力评估。",
           "第二句话：防止性剥削和性虐待，UN-Habitat 2023 年。",
           "第三句话：零容忍。"],
}
ARABIC = ["الجملة الأولى: تقييم القدرات للشريك المنفذ في عام 2023.",
          "الجملة الثانية عن الحماية من الاستغلال والانتهاك الجنسيين، مع UN-Habitat (82%).",
          "الجملة الثالثة: عدم التسامح مطلقا."]


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.parametrize("language", ["fr", "ru", "zh"])
def test_sentences_come_out_in_order(language: str, tmp_path: Path) -> None:
    doc = Document(language, title=f"Test {language}", author="UN-Habitat")
    doc.heading(SENTENCES[language][0][:12])
    for sentence in SENTENCES[language]:
        doc.paragraph(sentence * 3)  # long enough to wrap
    path = tmp_path / f"{language}.pdf"
    doc.build(path)
    text = _squash(_text(path))
    positions = [text.find(_squash(s * 3)) for s in SENTENCES[language]]
    assert all(p >= 0 for p in positions), (positions, text[:400])
    assert positions == sorted(positions)


def test_user_text_is_never_markup(tmp_path: Path) -> None:
    nasty = 'Rapport <b>x</b> & <script>alert(1)</script> "q" <font name="Courier">c</font> &amp;'
    doc = Document("en", title="<b>t</b>")
    doc.paragraph(nasty)
    doc.table([["<i>h</i>", "b"], ["<br/>", "&lt;"]])
    doc.checklist([(nasty, True)])
    path = tmp_path / "escape.pdf"
    doc.build(path)
    text = _text(path)
    assert "<b>x</b> & <script>alert(1)</script>" in text
    assert '<font name="Courier">c</font> &amp;' in text
    assert "<i>h</i>" in text and "<br/>" in text and "&lt;" in text
    assert escape("<a>&") == "&lt;a&gt;&amp;"


def test_fonts_are_embedded_subsets(tmp_path: Path) -> None:
    doc = Document("en", title="Fonts")
    doc.paragraph("Latin, Кириллица, 中文 and العربية in one paragraph.")
    path = tmp_path / "fonts.pdf"
    doc.build(path)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    names = [r[0] for r in rows]
    assert any("NotoSans-Regular" in n for n in names)
    assert any("NotoSansArabic" in n for n in names)
    assert any("WenQuanYi" in n for n in names)
    for row in rows:
        assert re.match(r"^[A-Z]{6}\+", row[0]), row  # subset tag
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row


def test_title_author_and_language_in_catalog(tmp_path: Path) -> None:
    doc = Document("ru", title="Письмо руководства", author="ООН-Хабитат")
    doc.paragraph("Текст.")
    path = tmp_path / "meta.pdf"
    data = doc.build(path)
    assert b"/Lang (ru)" in data
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Письмо руководства" in info and "ООН-Хабитат" in info


def test_mixed_scripts_get_their_fonts() -> None:
    parts = runs("Report 报告 تقرير 2023", "latin")
    fonts = [name for name, _ in parts]
    assert fonts[0] == "PD-NotoSans"
    assert any(n == "PD-WenQuanYiMicroHei" and "报告" in t for n, t in parts)
    assert any(n == "PD-NotoSansArabic" and "تقرير" in t for n, t in parts)


def test_rtl_wrapping_keeps_logical_line_order() -> None:
    # Narrow lines: the first logical words must be on the first line (its right end in display).
    words = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة"]
    lines = wrap_logical(" ".join(words), 30, lambda s: 10.0 * len(s.split()))
    assert lines[0] == "واحد اثنان ثلاثة"
    assert " ".join(lines) == " ".join(words)
    display = bidi_lines(" ".join(words), "arabic", 10, 80, rtl=True)
    assert len(display) >= 2


def test_arabic_document_renders(tmp_path: Path, artifacts: Path) -> None:
    doc = Document("ar", title="رسالة الإدارة", author="موئل الأمم المتحدة")
    doc.heading("رسالة الإدارة")
    for sentence in ARABIC:
        doc.paragraph(sentence * 2)
    doc.table([["البند", "العدد"], ["الادعاءات", "3"]], numeric_columns=[1])
    doc.checklist([(ARABIC[2], True), (ARABIC[0], False)])
    path = tmp_path / "ar.pdf"
    doc.build(path)
    text = _text(path)
    # pdftotext reads the visual glyph order; every shaped word must be there.
    assert "UN-Habitat" in text and "2023" in text
    out_dir = artifacts / "pdf-engine"
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, out_dir / "arabic.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(out_dir / "arabic")],
                   check=True)
    assert (out_dir / "arabic-1.png").stat().st_size > 5000
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansArabic-Regular" in fonts and "Helvetica" not in fonts


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        Document("de", title="x")


def test_long_document_splits_across_pages(tmp_path: Path) -> None:
    doc = Document("ar", title="طويل")
    for _ in range(40):
        doc.paragraph(ARABIC[1] * 4)
    data = doc.build(tmp_path / "long.pdf")
    assert doc.page_count >= 3
    assert data.startswith(b"%PDF")


def test_arabic_lines_come_out_in_logical_order(tmp_path: Path) -> None:
    """pdftotext puts right-to-left lines back into logical order; with the presentation forms
    normalised (NFKC) the words of a long wrapped paragraph must come out in the order written —
    which fails if lines are stacked in the wrong order or words are reordered across lines."""
    import unicodedata

    words = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة",
             "الأمم", "المتحدة", "الشريك", "المنفذ", "التدريب", "الضحايا", "الحماية", "الرسالة"]
    sequence = words * 6
    doc = Document("ar", title="ترتيب")
    doc.paragraph(" ".join(sequence))
    path = tmp_path / "order.pdf"
    doc.build(path)
    text = unicodedata.normalize("NFKC", _text(path))
    found = [w for w in re.findall(r"[\u0600-\u06FF]+", text) if w in words]
    assert len(text.strip().splitlines()) >= 3  # it wrapped
    assert found == sequence


def test_chinese_headings_are_bold_by_outline(tmp_path: Path) -> None:
    """The CJK font has no bold face: bold Chinese is filled and stroked (text render mode 2); body
    text is not, and the text still extracts."""
    import base64
    import zlib

    doc = Document("zh", title="粗体")
    doc.heading("执行伙伴的能力评估", 1)
    doc.paragraph("第一句话：零容忍。")
    data = doc.build()
    streams = re.findall(rb"stream\r?\n(.*?)endstream", data, re.S)
    # reportlab writes page content as ASCII85 over Flate; fonts as plain Flate.
    content = b"".join(zlib.decompress(base64.a85decode(s.strip(), adobe=True) if s.strip().endswith(b"~>") else s)
                       for s in streams)
    assert content.count(b"2 Tr") == 1                     # the heading only
    pdf = tmp_path / "bold.pdf"
    pdf.write_bytes(data)
    assert "执行伙伴的能力评估" in _text(pdf) and "第一句话" in _text(pdf)
