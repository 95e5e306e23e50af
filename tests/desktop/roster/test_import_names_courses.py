"""No part of a name and no completion is lost on import: family and given names in separate columns
(as HR systems export them, headers in six languages), columns the import does not use are named,
and course titles the workspace does not know are classified (or arrive as not yet classified, and
are said to be left out of the figures)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.roster import figures, importer
from desktop.roster.model import PERSON, courses, seeded_course_id

# (headers, rows of (family, given, index), expected full names): HR exports in the six languages.
SPLIT_NAMES = {
    "fr": ("Matricule;Nom;Prénom;Catégorie;Grade\n",
           [("Diallo", "Aminata", "F1"), ("Traoré", "Jean-Baptiste", "F2"), ("Ngom", "Marie Hélène", "F3")],
           ["Aminata Diallo", "Jean-Baptiste Traoré", "Marie Hélène Ngom"]),
    "es": ("Número de índice;Apellidos;Nombre;Categoría;Nacionalidad\n",
           [("García López", "María José", "E1"), ("Peña", "Andrés", "E2")],
           ["María José García López", "Andrés Peña"]),
    "ru": ("Табельный номер;Фамилия;Имя;Категория;Гражданство\n",
           [("Шевченко", "Олена", "R1"), ("Иванова", "Анна", "R2")],
           ["Шевченко Олена", "Иванова Анна"]),
    "zh": ("工号,姓,名,类别,国籍\n",
           [("张", "伟", "Z1"), ("欧阳", "娜娜", "Z2")],
           ["张伟", "欧阳娜娜"]),
    "ar": ("الرقم الوظيفي,اسم العائلة,الاسم الأول,الفئة,الجنسية\n",
           [("عبد الله", "محمد", "A1"), ("الحسن", "فاطمة", "A2")],
           ["محمد عبد الله", "فاطمة الحسن"]),
    "en": ("Index number,Last name,First name,Category,Nationality\n",
           [("Smith", "Sarah", "N1"), ("O'Brien", "Patrick", "N2")],
           ["Sarah Smith", "Patrick O'Brien"]),
}
STAFF = {"fr": "fonctionnaire", "es": "funcionario", "ru": "сотрудник", "zh": "工作人员", "ar": "موظف", "en": "staff"}


@pytest.mark.parametrize("language", list(SPLIT_NAMES))
def test_family_and_given_names_in_two_columns_both_arrive(workspace, tmp_path, language):
    header, people, expected = SPLIT_NAMES[language]
    sep = ";" if ";" in header else ","
    lines = [header] + [sep.join([index, family, given, STAFF[language], "X"]) + "\n" for family, given, index in people]
    path = tmp_path / f"hr-{language}.csv"
    path.write_text("".join(lines), encoding="utf-8")
    analysis = importer.analyse(path)
    assert {"family_name", "given_names"} <= set(analysis.mapping) and "name" not in analysis.mapping, analysis.mapping
    unused = importer.unused_columns(analysis.headers, analysis.mapping)
    assert unused == [analysis.headers[-1]]                                  # the nationality/grade column
    result = importer.import_file(workspace, path)
    assert result.status == "done", result.summary()
    assert result.unused_columns == unused and unused[0] in " ".join(result.details())
    assert result.as_dict()["unused_columns"] == unused
    stored = {r["index_number"]: r for r in workspace.records.iter_all(PERSON, include_deleted=False)}
    for (family, given, index), name in zip(people, expected, strict=True):
        assert (stored[index]["family_name"], stored[index]["given_names"]) == (family, given)
        assert stored[index]["name"] == name


def test_patronymic_and_second_surname_are_kept(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Табельный номер;Фамилия;Имя;Отчество;Категория\nR9;Петрова;Мария;Ивановна;сотрудник\n",
                    encoding="utf-8")
    assert importer.import_file(workspace, path).status == "done"
    path = tmp_path / "hr-es.csv"
    path.write_text("Número de índice;Primer apellido;Segundo apellido;Nombre;Categoría\n"
                    "E9;Rodríguez;Gómez;Lucía;funcionaria\n", encoding="utf-8")
    assert importer.import_file(workspace, path).status == "done"
    stored = {r["index_number"]: r for r in workspace.records.iter_all(PERSON, include_deleted=False)}
    assert stored["R9"]["name"] == "Петрова Мария Ивановна" and stored["R9"]["given_names"] == "Мария Ивановна"
    assert stored["E9"]["name"] == "Lucía Rodríguez Gómez" and stored["E9"]["family_name"] == "Rodríguez Gómez"


def test_a_full_name_column_alone_stays_the_name(workspace, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Nom;Matricule;Catégorie\nAminata Diallo;F1;fonctionnaire\n", encoding="utf-8")
    analysis = importer.analyse(path)
    assert analysis.mapping["name"] == 0 and "family_name" not in analysis.mapping
    assert importer.import_file(workspace, path).status == "done"


LMS = ("Index number,Name,Category,Course,Completion date\n"
       "1,Amina,staff,PSEA e-learning,2026-02-01\n"
       "2,Wei,staff,Prevention of Sexual Exploitation and Abuse by UN Personnel,2026-02-02\n"
       "3,Ana,staff,BSAFE,2026-02-03\n"
       "4,Oleh,staff,Sensibilisation PEAS du bureau,2026-02-04\n"
       "5,Rania,staff,Sensibilisation PEAS du bureau,2026-02-05\n")


def test_known_titles_are_recognised_and_unknown_ones_counted_as_left_out(workspace, tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text(LMS, encoding="utf-8")
    result = importer.import_file(workspace, path)
    assert result.status == "done"
    new = {c.title: c for c in result.new_courses}
    assert set(new) == {"BSAFE", "Sensibilisation PEAS du bureau"}          # the two e-learning titles are known
    assert new["BSAFE"].recognised and new["BSAFE"].kind == "not_psea"
    assert not new["Sensibilisation PEAS du bureau"].recognised and new["Sensibilisation PEAS du bureau"].kind is None
    assert result.as_dict()["unclassified_completions"] == 2
    assert any("not counted" in line for line in result.details())
    as_of = dt.date(2026, 6, 30)
    letter = figures.letter_figures(workspace, 2026, as_of=as_of)
    assert (letter["population"], letter["trained"]) == (5, 2)             # e-learning counts; BSAFE is not PSEA
    assert letter["not_counted"] == {"courses": 1, "completions": 2, "people": 2}
    # the same file again adds nothing, not even a course
    again = importer.import_file(workspace, path)
    assert again.added_completions == 0 and again.new_courses == []
    both = [c for c in courses(workspace) if c.code == "imported"]
    assert len(both) == 2
    assert sum(1 for c in courses(workspace) if c.id == seeded_course_id("elearning")) == 1


def test_course_kinds_given_on_import(workspace, tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text(LMS, encoding="utf-8")
    result = importer.import_file(workspace, path, course_kinds={"sensibilisation peas du bureau": "refresher"})
    assert result.status == "done" and result.as_dict()["unclassified_completions"] == 0
    letter = figures.letter_figures(workspace, 2026, as_of=dt.date(2026, 6, 30))
    assert (letter["trained"], letter["complete"]) == (4, True)


def test_a_kind_for_a_title_not_in_the_file_is_refused(workspace, tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text(LMS, encoding="utf-8")
    result = importer.import_file(workspace, path, course_kinds={"Some other course": "refresher"})
    assert result.status == "refused" and "Some other course" in result.message
    assert workspace.connection.execute("SELECT count(*) FROM roster_person").fetchone()[0] == 0


def test_overlong_values_are_refused_not_cut(workspace, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Index number,Name,Category,Unit\n1,Amina,staff," + "U" * 10_000 + "\n", encoding="utf-8")
    result = importer.import_file(workspace, path)
    assert result.status == "invalid" and "longer than 200 characters" in result.problems[0].reason
