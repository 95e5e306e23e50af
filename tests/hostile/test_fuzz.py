"""A short mutation-fuzzing run of the bundle reader, the roster reader and `verify` (tests/hostile/fuzz.py;
run the module for minutes). Found so far, both in the roster reader and both fixed: a workbook without
any sheet ended in an IndexError traceback, and a ZIP directory naming an unknown ZIP version in a
NotImplementedError traceback."""

from __future__ import annotations

import pytest

from .fuzz import READERS, _run


@pytest.mark.parametrize("reader", sorted(READERS))
def test_mutants_end_in_a_clear_error_or_are_well_formed(reader: str) -> None:
    seeds, check = READERS[reader]
    report = _run(reader, seeds(), check, seconds=8, seed=11)
    assert report.runs > 100 and report.refused > 0
    assert not report.findings, "\n".join(report.findings[:3])
