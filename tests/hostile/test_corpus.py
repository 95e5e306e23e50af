"""Every case of the hostile corpus (corpus.py) through the real command line, each in its own process:
a clear message and a documented exit code, never a traceback; at most 500 MB of memory; and the
workspace byte for byte as it was, with `psea-desk check` passing afterwards."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import corpus
from .conftest import CEILING_MB, file_digest, fresh_copy, run_cli


@dataclass(frozen=True)
class Case:
    make: Callable
    target: str                 # "region" | "office": the workspace the command runs against
    command: tuple[str, ...]    # with {ws} and {file}
    code: int
    words: str                  # a regular expression the output must hold
    env: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.make.__name__


MERGE = ("merge", "{ws}", "{file}")
IMPORT = ("roster", "import", "{ws}", "{file}")
VERIFY = ("verify", "{file}", "--workspace", "{ws}")
VERIFY_JSON = ("verify", "{file}", "--workspace", "{ws}", "--json")

CASES = [
    Case(corpus.bundle_inflated_line, "region", MERGE, 1, r"refused\. The content of the bundle is malformed"),
    Case(corpus.bundle_inflated_legacy, "region", MERGE, 1, r"refused\. The bundle is larger than PSEA Desk accepts"),
    Case(corpus.bundle_too_many_rows, "region", MERGE, 1, r"refused\. The bundle declares more records"),
    Case(corpus.bundle_million_tiny_rows, "region", MERGE, 1, r"refused\. The bundle holds records of another office"),
    Case(corpus.bundle_own_office, "region", MERGE, 1, r"refused\. This bundle claims to come from this workspace's own office"),
    Case(corpus.bundle_key_of_another_office, "region", MERGE, 1, r"signed with the key of another office, KEN-NBO"),
    Case(corpus.bundle_overlong_name, "region", MERGE, 1, r"refused\. The bundle holds a text longer than the field name"),
    Case(corpus.bundle_wrong_passphrase, "region", MERGE, 1, r"refused\. The bundle does not open with this passphrase",
         env=(("PSEA_DESK_BUNDLE_PASSPHRASE", "not the right passphrase"),)),
    Case(corpus.bundle_flipped(0.1), "region", MERGE, 1, r"refused\. The bundle is damaged or was altered"),
    Case(corpus.bundle_flipped(0.5), "region", MERGE, 1, r"refused\. The bundle is damaged or was altered"),
    Case(corpus.bundle_flipped(0.995), "region", MERGE, 1, r"refused\. The bundle is damaged or was altered"),
    Case(corpus.bundle_truncated, "region", MERGE, 1, r"refused\. The bundle is (incomplete|damaged)"),
    Case(corpus.xlsx_shared_string_bomb, "office", IMPORT, 1, r"unpacks to more than PSEA Desk reads"),
    Case(corpus.xlsx_whitespace_sheet, "office", IMPORT, 1, r"unpacks to more than PSEA Desk reads"),
    Case(corpus.xlsx_lying_sizes, "office", IMPORT, 1, r"could not be read as an Excel workbook"),
    Case(corpus.csv_mixed_encodings_early, "office", IMPORT, 1, r"mixes two text encodings"),
    Case(corpus.csv_mixed_encodings_late, "office", IMPORT, 1, r"mixes two text encodings"),
    Case(corpus.pdf_genuine, "office", VERIFY, 0, r"Intact, and signed by a trusted signer"),
    Case(corpus.pdf_forged, "office", VERIFY, 5, r"not from a trusted signer"),
    Case(corpus.pdf_flipped_signature(0.05), "office", VERIFY_JSON, 1, r'"verdict": "altered"'),
    Case(corpus.pdf_flipped_signature(0.4), "office", VERIFY_JSON, 1, r'"verdict": "altered"'),
    Case(corpus.pdf_flipped_signature(0.9), "office", VERIFY_JSON, 1, r'"verdict": "altered"'),
    Case(corpus.pdf_countersigned, "office", VERIFY + ("--trusted", "{pem}"), 0, r"Later signatures were added"),
    Case(corpus.pdf_truncated, "office", VERIFY, 1, r"(not|no) .*(PDF|signature)|altered|damaged|could not"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, hostile_world, memory_report, tmp_path: Path) -> None:
    ctx, office, region = hostile_world
    ws = fresh_copy(region if case.target == "region" else office, tmp_path / "ws")
    hostile = case.make(tmp_path, ctx)
    before = file_digest(ws)
    args = [a.format(ws=ws, file=hostile, pem=ctx.countersigner_cert) for a in case.command]
    done = run_cli(*args, env=dict(case.env))
    memory_report[case.name] = {"peak_mb": round(done.peak_mb, 1), "seconds": round(done.seconds, 1),
                                "exit": done.code, "input_mb": round(hostile.stat().st_size / 2**20, 2)}
    assert "Traceback" not in done.text, done.text[-3000:]
    assert done.code == case.code, done.text[-3000:]
    assert re.search(case.words, done.text), done.text[-3000:]
    if case.command is VERIFY_JSON:
        json.loads(done.out)                                  # a JSON answer even for a damaged signature
    assert done.peak_mb <= CEILING_MB, f"{case.name}: {done.peak_mb:.0f} MB"
    assert file_digest(ws) == before                          # nothing written
    checked = run_cli("check", str(ws))
    assert checked.code == 0, checked.text
