"""The reporting chain through the real command line, as an office's IT and a coordinator would script it.

Two offices are created with `psea-desk new`, each imports an HR/LMS roster in its own language (family
and given names in separate columns; one course title the workspace does not know), exports a bundle;
a coordinator merges them in both orders and relays them to headquarters. Every office's figures at
the coordinator and at headquarters equal its own, in the JSON, the CSV and the PDF.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2025
BUNDLE = "bundle passphrase 2026"

SUDAN = ("الرقم الوظيفي,اسم العائلة,الاسم الأول,الفئة,الدورة,تاريخ الإكمال\n"
         "S1,عبد الله,محمد,موظف,منع الاستغلال والانتهاك الجنسيين,2025-03-01\n"
         "S2,الحسن,فاطمة,موظف,دورة المكتب المحلية,2025-04-02\n"
         "S3,عثمان,عمر,متطوع,منع الاستغلال والانتهاك الجنسيين,2025-05-03\n"
         "S4,صالح,هدى,موظف,,\n")
COLOMBIA = ("Número de índice;Apellidos;Nombre;Categoría;Curso;Fecha\n"
            "C1;García López;María José;funcionario;Prevención de la explotación y los abusos sexuales;2025-02-10\n"
            "C2;Peña;Andrés;consultor;Taller regional PEAS;2025-06-11\n"
            "C3;Muñoz;Lucía;funcionario;Taller regional PEAS;2025-07-12\n"
            "C4;Gómez;Tomás;pasante;Prevención de la explotación y los abusos sexuales;2024-01-05\n")


def _run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PSEA_DESK_PASSPHRASE=PASSPHRASE, PSEA_DESK_NEW_PASSPHRASE=PASSPHRASE,
               PSEA_DESK_BUNDLE_PASSPHRASE=BUNDLE, PSEA_DESK_LANGUAGE="en")
    done = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=240)
    if ok:
        assert done.returncode == 0, done.stderr + done.stdout
    return done


def _own(path: Path) -> dict:
    stats = json.loads(_run("roster", "stats", str(path), "--as-of", f"{YEAR}-12-31", "--json").stdout)
    return stats["letter"]


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("chain")
    offices = {"SDN-KRT": ("الخرطوم", "ar", SUDAN, ["--course-kind", "دورة المكتب المحلية=refresher"]),
               "COL-BOG": ("Bogotá", "es", COLOMBIA, [])}
    own = {}
    for code, (name, language, roster, kinds) in offices.items():
        path = folder / f"{code}.pdesk"
        _run("new", str(path), "--office", code, "--entity", "UNICEF", "--role", "office", "--office-name", name,
             "--language", language)
        (folder / f"{code}.csv").write_text(roster, encoding="utf-8")
        result = json.loads(_run("roster", "import", str(path), str(folder / f"{code}.csv"), "--json", *kinds).stdout)
        assert result["status"] == "done", result
        own[code] = (_own(path), result)
        _run("export", str(path), "--out", str(folder / f"{code}.pdbundle"))
    for n, order in enumerate((["SDN-KRT", "COL-BOG"], ["COL-BOG", "SDN-KRT"])):
        path = folder / f"ro{n}.pdesk"
        _run("new", str(path), "--office", f"RO-{n}", "--entity", "UNICEF", "--role", "region")
        _run("merge", str(path), *[str(folder / f"{code}.pdbundle") for code in order])
    _run("export", str(folder / "ro0.pdesk"), "--out", str(folder / "relay.pdbundle"), "--relay")
    _run("new", str(folder / "hq.pdesk"), "--office", "HQ", "--entity", "UNICEF", "--role", "headquarters")
    merged = json.loads(_run("merge", str(folder / "hq.pdesk"), str(folder / "relay.pdbundle"), "--json").stdout)
    return {"folder": folder, "own": own, "relay": merged}


def test_name_parts_and_courses_arrive(chain) -> None:
    folder = chain["folder"]
    people = json.loads(_run("roster", "list", str(folder / "SDN-KRT.pdesk"), "--json").stdout)
    assert sorted(p["name"] for p in people) == sorted(["محمد عبد الله", "فاطمة الحسن", "عمر عثمان", "هدى صالح"])
    people = json.loads(_run("roster", "list", str(folder / "COL-BOG.pdesk"), "--json", "--filter", "garcía").stdout)
    assert [p["name"] for p in people] == ["María José García López"]
    sudan, colombia = chain["own"]["SDN-KRT"][1], chain["own"]["COL-BOG"][1]
    assert [c["kind"] for c in sudan["new_courses"]] == ["refresher"]                  # classified on import
    assert [(c["title"], c["kind"]) for c in colombia["new_courses"]] == [("Taller regional PEAS", "unclassified")]
    assert colombia["unclassified_completions"] == 2
    assert "not counted" in " ".join(colombia["details"])


def test_the_letter_figure_says_what_it_leaves_out(chain) -> None:
    sudan, colombia = chain["own"]["SDN-KRT"][0], chain["own"]["COL-BOG"][0]
    assert (sudan["population"], sudan["trained"], sudan["complete"]) == (4, 3, True)
    assert (colombia["population"], colombia["trained"]) == (4, 1)     # the 2024 completion is last year's
    assert colombia["not_counted"] == {"courses": 1, "completions": 2, "people": 2}
    text = _run("roster", "stats", str(chain["folder"] / "COL-BOG.pdesk"), "--as-of", f"{YEAR}-12-31").stdout
    assert "2 completions of 1 course not yet classified are not counted." in text


def _region(path: Path, folder: Path, name: str) -> tuple[dict, list[list[str]], str]:
    csv_path, pdf_path = folder / f"{name}.csv", folder / f"{name}.pdf"
    table = json.loads(_run("region", str(path), "--year", str(YEAR), "--json", "--csv", str(csv_path),
                            "--pdf", str(pdf_path), "--language", "en").stdout)
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return table, rows, text


@pytest.mark.parametrize("where", ["ro0", "ro1", "hq"])
def test_every_level_shows_each_offices_own_figures(chain, where) -> None:
    folder = chain["folder"]
    table, rows, text = _region(folder / f"{where}.pdesk", folder, where)
    by_office = {r["office"]: r for r in table["offices"]}
    header = rows[0]
    csv_rows = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    for code, (own, _import) in chain["own"].items():
        row = by_office[code]
        assert (row["personnel"], row["trained"]) == (own["population"], own["trained"]), (where, code)
        assert row["not_counted"] == own["not_counted"]
        assert row["figures"]["training"] == own                                   # every training figure
        assert (csv_rows[code]["Personnel"], csv_rows[code]["Trained"]) == (str(own["population"]), str(own["trained"]))
        assert csv_rows[code]["Completions not counted"] == str(own["not_counted"]["completions"])
        line = next(line for line in text.splitlines() if line.strip().startswith(code))
        numbers = line.split()
        assert str(own["population"]) in numbers and str(own["trained"]) in numbers, line
    total = table["total"]
    assert total["personnel"] == sum(r["personnel"] for r in table["offices"])
    assert total["trained"] == sum(r["trained"] for r in table["offices"])
    if where == "hq":
        assert "COL-BOG: 2 completions of 1 course not yet classified are not counted." in " ".join(text.split())


def test_headquarters_checked_each_offices_signature(chain) -> None:
    parts = chain["relay"]
    assert {p["office"] for p in parts} == {"RO-0", "SDN-KRT", "COL-BOG"}
    assert all(p["status"] == "merged" and p["via"] == "RO-0" for p in parts)
    fingerprints = {p["office"]: p["fingerprint"] for p in parts}
    assert len(set(fingerprints.values())) == 3          # each part signed by its own office's key
