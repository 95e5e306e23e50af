"""The importer's words are data (`desktop/roster/data/headers.json`): the file names every field
and only known categories, is read once, and a synonym added there is recognised without code."""

from __future__ import annotations

import json

from desktop.roster import importer
from desktop.roster.course_titles import fold
from desktop.roster.importing import synonyms
from desktop.roster.model import CATEGORY_CODES


def test_every_field_has_headers_and_every_category_is_known() -> None:
    headers = synonyms.header_synonyms()
    assert set(headers) == set(importer.FIELD_CODES)
    assert all(words for words in headers.values())
    assert set(synonyms.category_synonyms()) <= set(CATEGORY_CODES)
    family, given = synonyms.paired_name_headers()
    # compared with the folded header as they are written: a word written otherwise would never match
    assert all(fold(w) == w for w in family | given)
    assert importer.HEADER_SYNONYMS == headers and importer.CATEGORY_SYNONYMS == synonyms.category_synonyms()


def test_read_once() -> None:
    synonyms.header_synonyms()
    synonyms.category_synonyms()
    before = synonyms._data.cache_info()
    importer.guess_mapping(["Name", "E-mail"])
    assert synonyms._data.cache_info().misses == before.misses


def test_a_synonym_added_to_the_data_is_recognised(tmp_path, monkeypatch) -> None:
    data = json.loads(synonyms.DATA.read_text(encoding="utf-8"))
    data["headers"]["index_number"].append("Personalnummer")
    data["categories"]["consultant"].append("Berater")
    path = tmp_path / "headers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(synonyms, "DATA", path)
    for loader in (synonyms._data, synonyms.header_synonyms, synonyms.category_synonyms,
                   synonyms.paired_name_headers):
        loader.cache_clear()
    try:
        assert importer.guess_mapping(["Name", "Personalnummer"]) == {"name": 0, "index_number": 1}
        assert synonyms.category_synonyms()["consultant"][-1] == "Berater"
    finally:
        monkeypatch.undo()
        for loader in (synonyms._data, synonyms.header_synonyms, synonyms.category_synonyms,
                       synonyms.paired_name_headers):
            loader.cache_clear()
