"""Importer on real files and real workspaces: formats, encodings, mapping, dates, bad input, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import i18n
from desktop.roster import figures, importer
from desktop.roster.model import PERSON, ensure_default_courses

HEADER = "Name,Index number,E-mail,Category,Office,Course,Completion date\n"


def _count(ws, table="roster_person"):
    return ws.connection.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]  # noqa: S608


def _audit(ws):
    return ws.connection.execute("SELECT count(*) FROM audit").fetchone()[0]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")])
def test_encodings_and_delimiters(workspace, tmp_path, encoding, delimiter):
    rows = [["Name", "Index number", "Courriel", "Catégorie", "Cours", "Date"],
            ["Joëlle Saadé", "1001", "js@un.org", "Fonctionnaire", "Induction", "2026-02-03"],
            ["Ángela Peña", "1002", "ap@un.org", "consultor", "refresher", "2026-02-04"]]
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding=encoding)
    result = importer.import_file(workspace, path)
    assert result.status == "done", result.as_dict()
    assert (result.added_people, result.added_completions) == (2, 2)
    names = {r["name"] for r in workspace.records.iter_all(PERSON)}
    assert names == {"Joëlle Saadé", "Ángela Peña"}


def test_same_file_twice_adds_nothing_and_updates_by_key(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HEADER + "Amina Odhiambo,2001,amina@un.org,staff,KEN-NBO,induction,2026-01-15\n"
                    "Li Wei,,li.wei@un.org,intern,CHN-BJS,,\n", encoding="utf-8")
    assert importer.import_file(workspace, path).status == "done"
    audit = _audit(workspace)
    again = importer.import_file(workspace, path)
    assert (again.added_people, again.updated_people, again.unchanged_people, again.added_completions) == (0, 0, 2, 0)
    assert _audit(workspace) == audit
    # the same people from another export: matched by index number, then e-mail; changed fields updated
    path.write_text("Name,Index number,E-mail,Office\nAmina Odhiambo,2001,,SDN-KRT\nLi Wei,,LI.WEI@un.org,LBN-BEY\n",
                    encoding="utf-8")
    third = importer.import_file(workspace, path)
    assert (third.added_people, third.updated_people) == (0, 2)
    offices = {r["name"]: r["duty_office"] for r in workspace.records.iter_all(PERSON)}
    assert offices == {"Amina Odhiambo": "SDN-KRT", "Li Wei": "LBN-BEY"}
    assert _count(workspace) == 2


def test_xlsx_with_date_cells(workspace, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Табельный номер", "Категория", "Курс", "Дата завершения"])
    sheet.append(["Олена Шевченко", 3001, "доброволец", "refresher", dt.datetime(2026, 3, 9)])
    sheet.append(["محمد عثمان", 3002, "متطوع", "induction", dt.date(2026, 4, 1)])
    path = tmp_path / "lms.xlsx"
    book.save(path)
    result = importer.import_file(workspace, path)
    assert result.status == "done", result.as_dict()
    assert figures.letter_figures(workspace, 2026, as_of=dt.date(2026, 5, 1))["trained"] == 2
    indexes = sorted(r["index_number"] for r in workspace.records.iter_all(PERSON))
    assert indexes == ["3001", "3002"]


def test_day_month_order_is_asked_when_ambiguous(workspace, tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text(HEADER + "A,1,,staff,,induction,03/04/2026\nB,2,,staff,,induction,05/06/2026\n")
    first = importer.import_file(workspace, path)
    assert first.status == "ambiguous" and _count(workspace) == 0
    assert importer.import_file(workspace, path, date_order="dmy").status == "done"
    dates = sorted(r[0] for r in workspace.connection.execute("SELECT completed_on FROM roster_completion"))
    assert dates == ["2026-04-03", "2026-06-05"]
    # a day above 12 settles the order without asking
    other = tmp_path / "clear.csv"
    other.write_text(HEADER + "C,3,,staff,,induction,25/04/2026\nD,4,,staff,,induction,03/04/2026\n")
    result = importer.import_file(workspace, other)
    assert result.status == "done" and result.analysis.date_order == "dmy"


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty"),
    (b"%PDF-1.7\n\x00\x01\x02\x03binary", "not a spreadsheet"),
    (b"1,2,3\n4,5,6\n", "column headings"),
    (b"Name,Category\nA,staff\n", "Required columns are missing"),
    (b"Name,E-mail\n", "no data"),
    (b"PK\x03\x04not really a zip", "not a spreadsheet"),
])
def test_bad_files_are_refused_with_a_message(workspace, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = importer.import_file(workspace, path)
    assert result.status == "refused"
    assert expected in result.message
    assert _count(workspace) == 0


def test_rows_with_problems_block_the_whole_file(workspace, tmp_path):
    ensure_default_courses(workspace)
    audit = _audit(workspace)
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER +
                    "Good,1,,staff,,,\n"
                    "Good,1,,staff,,,\n"                          # duplicate
                    "Other,1,,staff,,,\n"                         # same key, other name
                    "Bad date,4,,staff,,induction,31/02/2026\n"   # impossible date
                    "No key,,,staff,,,\n"
                    "Alien,6,,martian,,,\n"
                    ",7,,staff,,,\n"
                    "Course,8,,staff,,,2026-01-01\n"               # a date without a course
                    "Future,9,,staff,,induction,2999-01-01\n")
    result = importer.import_file(workspace, path, date_order="dmy")
    assert result.status == "invalid"
    rows = {p.row: p.reason for p in result.problems}
    assert set(rows) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "course is missing" in rows[9]
    assert "Duplicate of row 2" in rows[3] and "different name" in rows[4]
    assert "no such day" in rows[5] and "Unknown personnel category" in rows[7]
    assert _count(workspace) == 0 and _audit(workspace) == audit


def test_reasons_are_translated(workspace, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("Name,E-mail,Category\nA,a@x.org,staff\nA,a@x.org,staff\n")
    i18n.set_language("fr")
    result = importer.import_file(workspace, path)
    assert result.status == "invalid"
    assert "2" in result.problems[0].reason and "Duplicate" not in result.problems[0].reason


def test_markup_is_kept_as_data_and_bidi_controls_removed(workspace, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("Name,E-mail,Category\n<b>Bold</b> & <script>x</script>,m@x.org,staff\n"
                    "\u202eevil\u202c name\u200b,e@x.org,staff\nعلي\u200cرضا,z@x.org,staff\n", encoding="utf-8")
    result = importer.import_file(workspace, path)
    assert result.status == "done" and result.cleaned == 1
    names = sorted(r["name"] for r in workspace.records.iter_all(PERSON))
    assert names == ["<b>Bold</b> & <script>x</script>", "evil name", "علي\u200cرضا"]


def test_too_many_rows_refused_without_reading_everything(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 1000)
    path = tmp_path / "huge.csv"
    with path.open("w") as fh:
        fh.write("Name,E-mail,Category\n")
        for n in range(5000):
            fh.write(f"P{n},p{n}@x.org,staff\n")
    result = importer.import_file(workspace, path)
    assert result.status == "refused" and "more than" in result.message
    assert _count(workspace) == 0


def test_one_million_rows_refused(workspace, tmp_path):
    path = tmp_path / "million.csv"
    with path.open("w") as fh:
        fh.write("Name,E-mail\n")
        fh.writelines(f"P,{n}\n" for n in range(1_000_001))
    result = importer.import_file(workspace, path)
    assert result.status == "refused" and "250,000" in result.message
    assert _count(workspace) == 0


def test_cancel_leaves_nothing(workspace, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Name,E-mail,Category\n" + "".join(f"P{n},p{n}@x.org,staff\n" for n in range(9000)))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    result = importer.import_file(workspace, path, cancel=cancel)
    assert result.status == "cancelled" and _count(workspace) == 0
    progress: list[float] = []
    done = importer.import_file(workspace, path, progress=progress.append)
    assert done.status == "done" and progress[-1] == 1.0 and _count(workspace) == 9000


def test_mapping_guessed_in_six_languages():
    cases = {
        "en": ["Full name", "Index number", "Email address", "Contract type", "Duty station", "Course", "Completion date"],
        "fr": ["Nom complet", "Matricule", "Courriel", "Catégorie", "Lieu d'affectation", "Cours", "Date d'achèvement"],
        "es": ["Nombre completo", "Número de empleado", "Correo electrónico", "Tipo de contrato", "Oficina", "Curso", "Fecha de finalización"],
        "ru": ["ФИО", "Табельный номер", "Электронная почта", "Категория", "Место службы", "Курс", "Дата завершения"],
        "zh": ["姓名", "员工编号", "电子邮件", "人员类别", "工作地点", "课程", "完成日期"],
        "ar": ["الاسم", "الرقم الوظيفي", "البريد الإلكتروني", "الفئة", "مركز العمل", "الدورة", "تاريخ الإكمال"],
    }
    expected = {"name": 0, "index_number": 1, "email": 2, "category": 3, "duty_office": 4, "course": 5,
                "completed_on": 6}
    for lang, headers in cases.items():
        assert importer.guess_mapping(headers) == expected, lang


_name_chars = st.characters(blacklist_categories=("Cs",), min_codepoint=32)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(st.tuples(st.text(_name_chars, min_size=0, max_size=20),
                                 st.text(string.digits, min_size=0, max_size=6),
                                 st.sampled_from(["staff", "intern", "UNV", "bogus", ""]),
                                 st.sampled_from(["", "2026-01-05", "05/01/2026", "31/02/2026", "garbage"])),
                       max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_property_all_or_nothing_and_idempotent(workspace, tmp_path_factory, people, delimiter, encoding):
    """Whatever the rows: the import either writes everything the file says or nothing at all, and
    importing an accepted file again writes nothing."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(["Name", "Index number", "Category", "Course", "Completion date"])
    for name, index, category, date in people:
        writer.writerow([name, index, category, "induction" if date else "", date])
    path: Path = tmp_path_factory.mktemp("prop") / "p.csv"
    path.write_text(buf.getvalue(), encoding=encoding)
    ensure_default_courses(workspace)
    before = (_count(workspace), _count(workspace, "roster_completion"), _audit(workspace))
    result = importer.import_file(workspace, path, date_order="dmy")
    after = (_count(workspace), _count(workspace, "roster_completion"), _audit(workspace))
    if result.status != "done":
        assert after == before
        assert result.message or result.problems
        return
    keys = {index for name, index, *_ in people if index}
    assert after[0] - before[0] == result.added_people <= len(keys)
    again = importer.import_file(workspace, path, date_order="dmy")
    assert again.status == "done" and again.added_people == 0 and again.added_completions == 0
    assert again.updated_people == 0
    assert (_count(workspace), _count(workspace, "roster_completion"), _audit(workspace)) == after
