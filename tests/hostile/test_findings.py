"""One test per finding of the adversarial review that the corpus does not already run through the
command line: text and file names from bundles, a second link to a workspace, read-only and full
disks, a lost commit, exports, and the coordinator's recipient key as the default."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.exchange import bundle, content
from desktop.exchange.keys import identity, write_recipient_key
from desktop.exchange.merge import merge_bundles
from desktop.partners import attachments
from desktop.partners.model import ATTACHMENT
from desktop.roster import exports
from desktop.roster.listing import load_roster
from desktop.roster.model import add_person
from storage import Workspace, WorkspaceInUse
from storage.records import OFFICE
from tests.conftest import PASSPHRASE

from .conftest import file_digest, run_cli
from .corpus import _rev


def _bundle_of(path: Path, office: str, kind_rows: dict, recipient: bytes) -> Path:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from storage.records import kind_named

    writer = content.Writer()
    writer.line({"kinds": {name: list(kind_named(name).columns) for name in kind_rows}})
    for name, rows in kind_rows.items():
        for row in rows:
            writer.line(["r", name, row])
    packed, digest, size = writer.finish()
    manifest = {"format": bundle.FORMAT, "office": office, "entity": "UN-Habitat", "workspace_id": uuid.uuid4().hex,
                "exported_at": "2026-11-01T00:00:00.000+00:00", "since": None,
                "counts": {name: {"current": len(rows), "history": 0} for name, rows in kind_rows.items()},
                "files": {"count": 0, "bytes": 0}, "content_digest": digest, "content_size": size}
    path.write_bytes(bundle.seal(bundle.sign_packed(manifest, packed, Ed25519PrivateKey.generate()), None, recipient))
    return path


def test_text_and_file_names_from_bundles_pass_the_same_rules(workspace: Workspace, tmp_path: Path) -> None:
    """Finding 8: direction overrides and NUL are stripped as from any form or import; an attachment named
    by a path keeps only a safe base name, which is also what "Save a copy" offers."""
    device = "e" * 32
    office_row = ["o1", "EVIL", _rev(1, device), None, 0, "EVIL", "Nairobi\u202egpj.exe\x00", "KE", None]
    attachment = ["a1", "EVIL", _rev(2, device), None, 0, "assessment", "cs1", "../../../x.sh", "text/plain", 3,
                  "0" * 64]
    cron = ["a2", "EVIL", _rev(3, device), None, 0, "assessment", "cs1", "/etc/cron.d/evil", "text/plain", 3,
            "1" * 64]
    path = _bundle_of(tmp_path / "text.pdbundle", "EVIL", {"office": [office_row], "partner_attachment": [attachment, cron]},
                      identity(workspace).box_public)
    [result] = merge_bundles(workspace, [path], None)
    assert result.status == "merged", result.error
    assert workspace.records.get(OFFICE, "o1")["name"] == "Nairobigpj.exe"
    stored = {r["id"]: r["filename"] for r in workspace.records.iter_all(ATTACHMENT)}
    assert stored == {"a1": "x.sh", "a2": "evil"}
    assert attachments.safe_name({"filename": "../../../x.sh"}) == "x.sh"


def test_a_second_link_to_an_open_workspace_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    """Finding 10: a hard link has its own name (and sidecar), but it is the same file."""
    link = tmp_path / "other-name.pdesk"
    os.link(workspace.path, link)
    with pytest.raises(WorkspaceInUse):
        Workspace.open(link, PASSPHRASE)
    assert workspace.integrity_problems() == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 16 MiB file system (tmpfs), where the machine lets us mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here: " + done.stderr.decode(errors="replace").strip())
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _office(path: Path) -> Path:
    with Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat") as ws:
        for n in range(200):
            add_person(ws, {"name": f"Person {n} " + "x" * 40, "category": "staff", "index_number": f"P-{n}"})
    return path


def test_read_only_disk_ends_in_a_message(small_disk: Path, tmp_path: Path) -> None:
    """Finding 9: check, stats, import and export on a read-only volume say what is wrong."""
    ws = _office(small_disk / "office.pdesk")
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Index number,Category\nAna,A-1,staff\n", encoding="utf-8")
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    before = file_digest(ws)
    for args in (("check", str(ws)), ("roster", "stats", str(ws)), ("roster", "import", str(ws), str(roster)),
                 ("export", str(ws), "--out", str(tmp_path / "b.pdbundle"))):
        done = run_cli(*args, env={"PSEA_DESK_BUNDLE_PASSPHRASE": "bundle passphrase 2026"})
        assert done.code != 0 and "Traceback" not in done.text, (args, done.text)
        assert "cannot write in the folder of this workspace" in done.text, (args, done.text)
    assert file_digest(ws) == before


def test_export_to_a_full_disk_ends_in_a_message_and_leaves_nothing(small_disk: Path, tmp_path: Path) -> None:
    """Finding 9: the bundle does not fit; no traceback, no .partial file left behind."""
    ws = _office(tmp_path / "office.pdesk")
    filler = small_disk / "filler"
    with filler.open("wb") as fh:   # fill the disk but a few KB
        try:
            fh.write(b"\0" * (16 * 1024 * 1024 - 8192))
        except OSError:
            pass
    done = run_cli("export", str(ws), "--out", str(small_disk / "office.pdbundle"),
                   env={"PSEA_DESK_BUNDLE_PASSPHRASE": "bundle passphrase 2026"})
    assert done.code == 1 and "Traceback" not in done.text, done.text
    assert "could not be written" in done.text and "No bundle was written" in done.text
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_commit_lost_with_the_journal_is_noticed(tmp_path: Path) -> None:
    """Finding 11: the journal (-wal) with the last import is lost after a crash; SQLite opens what it
    has, and PSEA Desk says so (check exits 1 until the user acknowledges)."""
    path = tmp_path / "office.pdesk"
    ws = Workspace.create(path, PASSPHRASE, office="KEN-NBO", entity="UN-Habitat")
    ws.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    add_person(ws, {"name": "Imported before the crash", "category": "staff", "index_number": "C-1"})
    # The crash: the process is gone without a checkpoint, and the -wal file did not survive. What is left
    # is the main file as it was on disk, and the commit-state sidecar beside it.
    moved = tmp_path / "after-crash"
    moved.mkdir()
    shutil.copy2(path, moved / path.name)
    shutil.copy2(path.with_name(path.name + ".state"), moved / (path.name + ".state"))
    ws.close()
    done = run_cli("check", str(moved / path.name))
    assert done.code == 1 and "Traceback" not in done.text, done.text
    assert "the last change saved before then is missing" in done.text
    assert "-wal" in done.text
    assert run_cli("check", str(moved / path.name), "--acknowledge").code == 0
    assert run_cli("check", str(moved / path.name)).code == 0


def test_exports_are_owner_only_and_spool_nothing(workspace: Workspace, tmp_path: Path, monkeypatch) -> None:
    """Finding 6: CSV and XLSX are written 0600, straight to their place (no temp folder)."""
    import openpyxl

    for n in range(50):
        add_person(workspace, {"name": f"=HYPERLINK(\"x\") {n}" if n == 0 else f"Hélène {n}", "category": "staff",
                               "index_number": f"E-{n}"})
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    roster = load_roster(workspace)
    rows = list(range(len(roster.statuses)))
    exports.write_csv(tmp_path / "r.csv", roster, rows, "fr")
    exports.write_xlsx(tmp_path / "r.xlsx", roster, rows, "ar")
    for name in ("r.csv", "r.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert list(spool.iterdir()) == []
    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    sheet = book.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(values) == 51 and values[0][0] == "الاسم الكامل"
    assert any(str(v[0]).startswith("'=HYPERLINK") for v in values[1:])
    assert {v[0] for v in values[1:]} >= {"Hélène 7"}


def test_an_office_that_knows_its_coordinator_sends_without_a_passphrase(tmp_path: Path) -> None:
    """Finding 13: the coordinator's recipient key is remembered and used by default: nothing to guess."""
    region = tmp_path / "region.pdesk"
    office = tmp_path / "office.pdesk"
    with Workspace.create(region, PASSPHRASE, office="REG-NBI", entity="UN-Habitat", role="region") as ws:
        write_recipient_key(ws, tmp_path / "REG-NBI.key")
    _office(office)
    first = run_cli("export", str(office), "--out", str(tmp_path / "1.pdbundle"), "--recipient-key",
                    str(tmp_path / "REG-NBI.key"))
    assert first.code == 0, first.text
    second = run_cli("export", str(office), "--out", str(tmp_path / "2.pdbundle"))
    assert second.code == 0 and "REG-NBI" in second.out, second.text
    for name in ("1.pdbundle", "2.pdbundle"):
        data = (tmp_path / name).read_bytes()
        header = json.loads(data[len(bundle.MAGIC) + 4:len(bundle.MAGIC) + 4 + int.from_bytes(
            data[len(bundle.MAGIC):len(bundle.MAGIC) + 4], "big")])
        assert [w["to"] for w in header["wraps"]] == ["x25519"] and "kdf" not in header
    started = time.perf_counter()
    merged = run_cli("merge", str(region), str(tmp_path / "2.pdbundle"), "--json")
    assert merged.code == 0, merged.text
    assert json.loads(merged.out)[0]["inserted"] > 200
    assert time.perf_counter() - started < 30
    passphrase_only = run_cli("export", str(office), "--out", str(tmp_path / "3.pdbundle"), "--passphrase-only",
                              env={"PSEA_DESK_BUNDLE_PASSPHRASE": "bundle passphrase 2026"})
    assert passphrase_only.code == 0, passphrase_only.text


def test_pdfsig_agrees_on_intact_and_altered(hostile_world, tmp_path: Path) -> None:
    """Finding 3: our verdict and poppler's agree on the signature's integrity (trust is ours to say): a
    forgery is intact for both (and untrusted for us), a flipped byte in the signature value or in the
    signed document breaks it for both. (A flip inside the certificate carried in the signature is
    broken for us and valid for pdfsig, which does not check the signed signing-certificate attribute
    of CAdES: docs/security.md.)"""
    ctx, office, _region = hostile_world
    from .corpus import pdf_flipped_signature

    in_value = pdf_flipped_signature(0.95)(tmp_path, ctx)
    data = ctx.genuine_pdf.read_bytes()
    at = data.index(b"PSEA Desk")
    in_document = tmp_path / "document-flip.pdf"
    in_document.write_bytes(data[:at] + b"Q" + data[at + 1:])
    for pdf, valid, code in ((ctx.genuine_pdf, True, 0), (ctx.forged_pdf, True, 5), (in_value, False, 1),
                             (in_document, False, 1)):
        out = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout
        assert ("Signature is Valid." in out) == valid, out
        assert run_cli("verify", str(pdf), "--workspace", str(office)).code == code
