"""The management letter: render + sign one language (budget <= 0.5 s, absolute, design.md), and
the size of the signed PDF per language.

Floor, measured in the same run: reportlab rendering a one-page plain document (Helvetica, a title
and a few paragraphs) — the least any PDF letter costs on this machine. The figure is
desktop.letter.service.sign on a demo workspace (2,000 people): gathering the figures of every
instrument, composing, laying out with embedded subset fonts (Arabic shaped and reordered), the PAdES
signature and freezing the signed version in the workspace.
"""

from __future__ import annotations

import io
import shutil
import statistics
import time

from bench import PASSPHRASE, Result, demo_workspace, median_time, scratch_dir

BUDGET = 0.5
RUNS = 5
YEAR = 2026


def _floor() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [Paragraph("Annual management letter", styles["Title"])]
    story += [Paragraph("In accordance with section 4.6 of ST/SGB/2003/13, all allegations were reported. " * 4,
                        styles["BodyText"]) for _ in range(6)]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)


def run() -> list[Result]:
    from desktop.letter import model, service
    from desktop.signing import identity as identities
    from storage import Workspace

    path = scratch_dir() / "letter-bench.pdesk"
    shutil.copy(demo_workspace(), path)
    floor, _ = median_time(_floor, runs=RUNS)
    results: list[Result] = []
    sizes: dict[str, int] = {}
    with Workspace.open(path, PASSPHRASE) as ws:
        from desktop.letter import attestations, compose, settings, templates

        ident = identities.create_workspace_identity(ws, "Amina Odhiambo", "Head of Office")
        scope = compose.scope_of(ws)   # what a signer does first: every attestation confirmed
        keys = templates.attestation_keys(scope, {"reporting_app": "x" if any(
            (settings.load(ws).values.get("reporting_app") or {}).values()) else ""})
        attestations.confirm(ws, YEAR, scope, list(keys), "Amina Odhiambo", keys)
        for code in ("en", "ar", "zh", "fr", "ru", "es"):
            samples = []
            runs = RUNS if code in ("en", "ar") else 1
            for n in range(runs + 1):
                letter = model.ensure(ws, YEAR, code)
                if letter["status"] == model.SIGNED:
                    letter = model.update(ws, letter["id"], {"period_end": f"{YEAR}-12-{31 - n:02d}"})
                start = time.perf_counter()
                data, _record = service.sign(ws, letter, ident)
                elapsed = time.perf_counter() - start
                if n:  # the first run warms imports and font loading
                    samples.append(elapsed)
            sizes[code] = len(data)
            if code in ("en", "ar"):
                value = statistics.median(samples)
                results.append(Result(f"letter render + sign ({code})", value, floor=floor, budget=BUDGET,
                                      budget_kind="absolute", runs=len(samples), samples=samples,
                                      note="floor: reportlab one-page plain document; budget is absolute"))
    for code, size in sizes.items():
        results.append(Result(f"letter PDF size ({code}, signed)", size / 1024, unit="KB", budget=None,
                              budget_kind="absolute", runs=1))
    return results
