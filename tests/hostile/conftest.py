"""The workspaces the hostile corpus attacks, and a runner that measures a command's peak memory.

Two workspaces are built once per session through the real API: an office (KEN-NBO) with a roster,
a signing identity and a signed letter, and a regional coordinator (REG-NBI) that has merged the
office's genuine bundle. Each case gets fresh copies, runs one real `psea-desk` command in its own
process, and is judged on the exit code, the words, the peak memory of that process (getrusage of
exactly that child, via os.wait4) and the workspace's bytes before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, PASSPHRASE

from .corpus import Context, countersign, pem_of

ROOT = Path(__file__).resolve().parents[2]
CEILING_MB = 500                       # design.md: any hostile input of <= 100 MB stays within 500 MB
_ADDRESS_SPACE_GUARD = 4 * 1024 ** 3   # a runaway case is stopped here rather than taking the machine down
YEAR = 2025


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


# Linux counts a child's peak memory from the moment of fork, so a command started straight from the
# test process (hundreds of MB after building the corpus) would inherit its size. A small launcher
# process (a bare Python, about 10 MB) starts the command with an address-space guard, waits for it
# with wait4 and writes that child's own peak resident size to the file PSEA_PEAK_FILE names.
_LAUNCH = """
import os, resource, subprocess, sys
def guard():
    resource.setrlimit(resource.RLIMIT_AS, (int(os.environ["PSEA_AS_GUARD"]), int(os.environ["PSEA_AS_GUARD"])))
child = subprocess.Popen([sys.executable, "-m", "desktop", *sys.argv[1:]], preexec_fn=guard)
_pid, status, usage = os.wait4(child.pid, 0)
with open(os.environ["PSEA_PEAK_FILE"], "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> Outcome:
    """One `psea-desk` command in its own process; its own peak resident memory from wait4."""
    full_env = dict(os.environ, PSEA_DESK_PASSPHRASE=PASSPHRASE, PSEA_DESK_LANGUAGE="en", **(env or {}))
    if "PSEA_DESK_BUNDLE_PASSPHRASE" not in (env or {}):
        full_env.pop("PSEA_DESK_BUNDLE_PASSPHRASE", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        full_env.update(PSEA_PEAK_FILE=peak.name, PSEA_AS_GUARD=str(_ADDRESS_SPACE_GUARD))
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, *args], stdout=out, stderr=err, env=full_env,
                                cwd=ROOT, stdin=subprocess.DEVNULL)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        kilobytes = int(Path(peak.name).read_text() or 0)
        return Outcome(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                       kilobytes / 1024, seconds)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fresh_copy(source: Path, folder: Path) -> Path:
    """A copy of a closed workspace (and its commit-state sidecar) for one case."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy2(source, target)
    state = source.with_name(source.name + ".state")
    if state.exists():
        shutil.copy2(state, target.with_name(target.name + ".state"))
    return target


@pytest.fixture(scope="session")
def hostile_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Context, Path, Path]:
    """(context for the corpus, the office's workspace, the coordinator's workspace), all closed."""
    from desktop.exchange.export import export_bundle
    from desktop.exchange.keys import identity
    from desktop.exchange.merge import merge_bundles
    from desktop.letter import model, service
    from desktop.pdf import Document
    from desktop.roster.model import add_person
    from desktop.signing import identity as identities
    from desktop.signing.pades import sign_pdf
    from storage import Workspace
    from tests.desktop.letter.ready import make_ready

    folder = tmp_path_factory.mktemp("hostile-world")
    office_path, region_path = folder / "office.pdesk", folder / "region.pdesk"
    with Workspace.create(region_path, PASSPHRASE, office="REG-NBI", entity="UN-Habitat", role="region") as region:
        coordinator_key = identity(region).box_public
    with Workspace.create(office_path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as office:
        add_person(office, {"name": "Hélène Martin", "category": "staff", "index_number": "X-1",
                            "start_date": f"{YEAR - 1}-01-01"})
        ident = identities.create_workspace_identity(office, "Amina Odhiambo", "Head of Office")
        make_ready(office, YEAR)
        letter = model.ensure(office, YEAR, "en")
        genuine, _record = service.sign(office, letter, ident)
        known_key = identity(office).sign_key
        good_bundle = folder / "KEN-NBO.pdbundle"
        export_bundle(office, good_bundle, None, recipient_key=coordinator_key)
    with Workspace.open(region_path, PASSPHRASE) as region:
        [merged] = merge_bundles(region, [good_bundle], None)
        assert merged.status == "merged", merged.error
    (folder / "genuine.pdf").write_bytes(genuine)
    # The same name on a certificate anyone can make.
    p12 = folder / "forger.p12"
    p12.write_bytes(identities.make_pkcs12("Amina Odhiambo", "Head of Office", "UN-Habitat", "pw"))
    forger = identities.load_pkcs12(p12, "pw")
    doc = Document("en", title="Management letter")
    doc.paragraph("I hereby certify that all personnel completed the mandatory training.")
    box = doc.reserve("signature", 160, 50)
    (folder / "forged.pdf").write_bytes(sign_pdf(doc.build(), forger, page=box.page, box=box.box))
    # A countersignature by a second official.
    p12 = folder / "countersigner.p12"
    p12.write_bytes(identities.make_pkcs12("Li Wei", "Ethics Officer", "UN-Habitat", "pw"))
    counter = identities.load_pkcs12(p12, "pw")
    (folder / "countersigned.pdf").write_bytes(countersign(genuine, counter))
    (folder / "countersigner.pem").write_bytes(pem_of(counter.cert_der))
    ctx = Context("REG-NBI", coordinator_key, "KEN-NBO", known_key, good_bundle, folder / "genuine.pdf",
                  folder / "forged.pdf", folder / "countersigned.pdf", folder / "countersigner.pem")
    return ctx, office_path, region_path


@pytest.fixture(scope="session")
def memory_report() -> dict[str, dict]:
    """Peak memory and time per case, written to artifacts/hostile-corpus.json for the closing note."""
    report: dict[str, dict] = {}
    yield report
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hostile-corpus.json").write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
