"""The exchange page through real widgets offscreen: export, merge with progress, conflicts with both
versions and "restore the other", import history, known senders, regional view, CSV and PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import i18n
from desktop.demo import create_demo_workspace
from desktop.exchange.export import export_bundle
from desktop.exchange.merge import merge_bundles
from desktop.session import Session
from i18n import gettext_in
from storage import Workspace
from storage.records import OFFICE
from tests.conftest import end_operations
from tests.ui.conftest import finish, window_language
from ui.access_keys import plain

PASSPHRASE = "correct horse battery staple"
BUNDLE_PASSPHRASE = "bundle passphrase 2026"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """A demo office's bundle, and two bundles of a second office (the second one edits a record)."""
    folder = tmp_path_factory.mktemp("bundles")
    demo = create_demo_workspace(folder / "demo.pdesk", PASSPHRASE, people=150, today=dt.date(2026, 11, 23))
    from desktop.letter import model as letters
    from desktop.letter import service
    from desktop.signing import identity as identities

    ident = identities.create_workspace_identity(demo, "Amina Odhiambo", "Representative")
    from tests.desktop.letter.ready import make_ready

    make_ready(demo, dt.date.today().year, ident.name)
    service.sign(demo, letters.ensure(demo, dt.date.today().year, "ar"), ident)   # its PDF travels too
    export_bundle(demo, folder / "KEN-NBO.pdbundle", BUNDLE_PASSPHRASE)
    demo.close()
    sdn = Workspace.create(folder / "sdn.pdesk", PASSPHRASE, office="SDN-KRT", entity="UN-Habitat", office_name="الخرطوم")
    sdn.records.insert_many(OFFICE, [{"code": "SDN-KSL", "name": "Kassala", "country": "SD"}])
    export_bundle(sdn, folder / "SDN-KRT-1.pdbundle", BUNDLE_PASSPHRASE)
    kassala = next(r for r in sdn.records.iter_all(OFFICE) if r["code"] == "SDN-KSL")
    sdn.records.update(OFFICE, kassala["id"], {"name": "Kassala (sub-office)"})
    export_bundle(sdn, folder / "SDN-KRT-2.pdbundle", BUNDLE_PASSPHRASE)
    sdn.close()
    other = Workspace.create(folder / "sdn2.pdesk", PASSPHRASE, office="SDN-KRT", entity="UN-Habitat")
    export_bundle(other, folder / "SDN-KRT-newkey.pdbundle", BUNDLE_PASSPHRASE)
    other.close()
    return folder, kassala["id"]


@pytest.fixture
def regional(tmp_path):
    ws = Workspace.create(tmp_path / "regional.pdesk", PASSPHRASE, office="RO-NBO", entity="UN-Habitat",
                          office_name="Regional Office")
    yield ws
    end_operations()
    ws.close()


@pytest.fixture
def page(qtbot, regional):
    from ui.exchange.page import Page

    p = Page(Session(regional))
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    return p


def test_the_coordinators_recipient_key_is_remembered_and_used_without_passphrase(qtbot, page, tmp_path):
    """An office given its coordinator's key file sends bundles only that coordinator opens, with no
    passphrase to share (docs/exchange.md, "Recipient keys by default")."""
    from desktop.exchange.keys import write_recipient_key
    from desktop.exchange.merge import open_bundle, own_box_key

    with Workspace.create(tmp_path / "hq.pdesk", PASSPHRASE, office="HQ", entity="UN-Habitat",
                          role="headquarters") as hq:
        write_recipient_key(hq, tmp_path / "HQ.key")
        box = own_box_key(hq)
    assert not page.export_to(str(tmp_path / "none.pdbundle"))      # no key yet: a passphrase is needed
    assert page.use_recipient_key_file(str(tmp_path / "HQ.key"))
    assert "HQ" in page.recipient_key_path.text() and "HQ" in page.export_message.text()
    assert exported(qtbot, page, str(tmp_path / "keyed.pdbundle"))
    assert "HQ" in page.export_message.text()
    opened, parsed = open_bundle(tmp_path / "keyed.pdbundle", None, box_key=box)
    assert parsed.records > 0
    from desktop.exchange.errors import WrongBundlePassphrase

    with pytest.raises(WrongBundlePassphrase):
        open_bundle(tmp_path / "keyed.pdbundle", BUNDLE_PASSPHRASE)  # nothing a passphrase could open


def merged(qtbot, page, *args, **kwargs):
    """Merge from the page and wait for the operation: its results."""
    assert page.merge_paths(*args, **kwargs)
    finish(qtbot, page.session)
    return page.last_results


def exported(qtbot, page, path):
    """Export from the page and wait for the operation: whether the bundle was written."""
    if not page.export_to(path):
        return False
    finish(qtbot, page.session)
    return Path(path).exists()


def _with_conflict(ws, folder, kassala):
    merge_bundles(ws, [folder / "SDN-KRT-1.pdbundle"], BUNDLE_PASSPHRASE)
    ws.records.update(OFFICE, kassala, {"name": "Kassala (coordinator's spelling)"})


def test_page_shows_own_fingerprint(page, regional):
    from desktop.exchange.keys import identity
    fp = identity(regional).fingerprint
    assert page.own_key.text() == fp and len(fp.split()) == 8


def test_export_from_the_page(qtbot, page, tmp_path):
    page.export_pass.setText("a good passphrase")
    page.export_pass2.setText("another passphrase")
    assert not page.export_to(str(tmp_path / "x.pdbundle"))
    assert "differ" in page.export_message.text() and not (tmp_path / "x.pdbundle").exists()
    page.export_pass.setText("short")
    page.export_pass2.setText("short")
    assert not page.export_to(str(tmp_path / "x.pdbundle")) and not (tmp_path / "x.pdbundle").exists()
    page.export_pass.setText(BUNDLE_PASSPHRASE)
    page.export_pass2.setText(BUNDLE_PASSPHRASE)
    page.incremental.setChecked(True)
    page.recipient.setEditText("Regional Bureau")
    assert exported(qtbot, page, str(tmp_path / "x.pdbundle"))
    assert (tmp_path / "x.pdbundle").stat().st_size > 0
    assert page.export_pass.text() == ""                          # the passphrase does not linger
    assert page.recipient.findText("Regional Bureau") >= 0        # remembered as a recipient


def test_merge_many_with_results_history_senders_and_conflicts(qtbot, page, regional, bundles, tmp_path):
    folder, kassala = bundles
    _with_conflict(regional, folder, kassala)
    bad = tmp_path / "broken.pdbundle"
    bad.write_bytes(b"PSEA-DESK-BUNDLE\x00\x00\x00\x05{}")
    results = merged(qtbot, page, [str(folder / "KEN-NBO.pdbundle"), str(folder / "SDN-KRT-2.pdbundle"), str(bad)],
                     BUNDLE_PASSPHRASE)
    assert [r.status for r in results] == ["merged", "merged", "refused"]
    assert page.results.rowCount() == 3
    assert page.results.item(2, 8).text() == str(results[2].error)
    assert page.history_table.rowCount() == 3                   # SDN-1 (before), KEN-NBO, SDN-2
    assert page.senders_table.rowCount() == 2
    assert page.conflict_list.rowCount() == 1
    assert not page.progress.isVisible()


def test_restore_the_other_version(qtbot, page, regional, bundles):
    folder, kassala = bundles
    _with_conflict(regional, folder, kassala)
    merged(qtbot, page, [str(folder / "SDN-KRT-2.pdbundle")], BUNDLE_PASSPHRASE)
    page.select_conflict(0)
    c = page.selected_conflict()
    assert page.compare.rowCount() >= 3 and page.restore_button.isEnabled()
    names = {page.compare.item(r, 0).text(): (page.compare.item(r, 1).text(), page.compare.item(r, 2).text())
             for r in range(page.compare.rowCount())}
    assert set(names["Name"]) == {"Kassala (sub-office)", "Kassala (coordinator's spelling)"}
    assert "deleted" not in names and names["Removed"] == ("no", "no")     # the forms' words, not field names
    # Which version is this workspace's own: the coordinator's edit, here the other one (the office's wins).
    headers = [page.compare.horizontalHeaderItem(col).text() for col in range(3)]
    ours_is_current = c.winner["name"] == "Kassala (coordinator's spelling)"
    assert ("This workspace's version" in headers[1]) == ours_is_current
    assert ("This workspace's version" in headers[2]) != ours_is_current and "(current)" in headers[1]
    other = c.loser["name"]
    assert page.restore_selected()
    assert regional.records.get(OFFICE, kassala)["name"] == other
    assert page.conflict_list.rowCount() == 0


def test_switching_language_retranslates_at_once(qtbot, page, regional, bundles):
    folder, kassala = bundles
    _with_conflict(regional, folder, kassala)
    merged(qtbot, page, [str(folder / "SDN-KRT-2.pdbundle")], BUNDLE_PASSPHRASE)
    i18n.set_language("fr")
    try:
        page.retranslate()
        assert plain(page.tabs.tabText(1)) == gettext_in("fr", "Import and merge")
        assert plain(page.tabs.tabText(2)).startswith(gettext_in("fr", "Conflicts")) and "(1)" in page.tabs.tabText(2)
        assert plain(page.restore_button.text()) == gettext_in("fr", "Restore the other version") != "Restore the other version"
    finally:
        i18n.set_language("en")


def test_changed_key_asks_and_respects_the_answer(qtbot, page, regional, bundles):
    folder, _ = bundles
    merged(qtbot, page, [str(folder / "SDN-KRT-1.pdbundle")], BUNDLE_PASSPHRASE)
    asked = []
    [r] = merged(qtbot, page, [str(folder / "SDN-KRT-newkey.pdbundle")], BUNDLE_PASSPHRASE,
                           confirm=lambda err: asked.append(err.office) or False)
    assert asked == ["SDN-KRT"] and r.error is not None
    [r] = merged(qtbot, page, [str(folder / "SDN-KRT-newkey.pdbundle")], BUNDLE_PASSPHRASE, confirm=lambda err: True)
    assert r.status == "merged" and r.sender == "changed"


def test_regional_view_csv_and_pdf(qtbot, page, regional, bundles, tmp_path):
    folder, _ = bundles
    merged(qtbot, page, [str(folder / "KEN-NBO.pdbundle"), str(folder / "SDN-KRT-1.pdbundle")], BUNDLE_PASSPHRASE)
    page.tabs.setCurrentWidget(page.region_tab)
    finish(qtbot, page.session)
    rows = page._region_rows
    assert [f.office for f in rows] == ["RO-NBO", "KEN-NBO", "SDN-KRT", "*"]
    assert page.region_table.rowCount() == 4
    ken, region_row = rows[1], rows[3]
    assert ken.personnel and ken.personnel > 50
    assert region_row.personnel == ken.personnel                 # the only office with a roster
    page.export_csv(str(tmp_path / "r.csv"))
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "KEN-NBO" in text and "Region" in text
    page.report_pdf(str(tmp_path / "r.pdf"), "fr")
    finish(qtbot, page.session)
    out = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "KEN-NBO" in out and "SDN-KRT" in out


def test_signed_letters_of_the_offices_can_be_verified_and_saved(qtbot, page, regional, bundles, tmp_path):
    folder, _ = bundles
    merged(qtbot, page, [str(folder / "KEN-NBO.pdbundle")], BUNDLE_PASSPHRASE)
    page.tabs.setCurrentWidget(page.region_tab)
    finish(qtbot, page.session)
    assert page.letters_table.rowCount() == 1
    assert page.letters_table.item(0, 0).text() == "KEN-NBO"
    assert not page.verify_letter_button.isEnabled()             # nothing selected yet
    page.letters_table.selectRow(0)
    assert page.verify_letter_button.isEnabled() and page.save_letter_button.isEnabled()
    assert page.verify_selected_letter()
    finish(qtbot, page.session)
    assert page.last_verification.ok                             # the carried PDF verifies here
    assert page.save_selected_letter(str(tmp_path / "letter.pdf"))
    out = subprocess.run(["pdfsig", str(tmp_path / "letter.pdf")], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out


@pytest.mark.parametrize("code", i18n.LANGUAGE_CODES)
def test_screenshots(qtbot, regional, bundles, artifacts, code):
    from ui.exchange.page import Page

    folder, kassala = bundles
    _with_conflict(regional, folder, kassala)
    with window_language(code):
        p = Page(Session(regional))
        qtbot.addWidget(p)
        p.resize(1150, 720)
        p.show()
        p.tabs.setCurrentWidget(p.import_tab)
        merged(qtbot, p, [str(folder / "KEN-NBO.pdbundle"), str(folder / "SDN-KRT-2.pdbundle"),
                       str(folder / "SDN-KRT-1.pdbundle")], BUNDLE_PASSPHRASE)
        QApplication.processEvents()
        assert plain(p.tabs.tabText(1)) == gettext_in(code, "Import and merge")
        assert p.isRightToLeft() == (code == "ar")
        shots = artifacts / "screenshots"
        shots.mkdir(exist_ok=True)
        assert p.grab().save(str(shots / f"exchange-{code}.png"))
        p.tabs.setCurrentWidget(p.conflicts_tab)
        p.select_conflict(0)
        QApplication.processEvents()
        assert p.grab().save(str(shots / f"exchange-{code}-conflicts.png"))
        p.tabs.setCurrentWidget(p.region_tab)
        finish(qtbot, p.session)
        QApplication.processEvents()
        assert p.grab().save(str(shots / f"exchange-{code}-region.png"))
        p.tabs.setCurrentWidget(p.senders_tab)
        QApplication.processEvents()
        assert p.grab().save(str(shots / f"exchange-{code}-senders.png"))
        p.tabs.setCurrentWidget(p.export_tab)
        QApplication.processEvents()
        assert p.grab().save(str(shots / f"exchange-{code}-export.png"))


def test_window_csv_and_pdf_show_the_same_numbers(qtbot, page, regional, bundles, tmp_path):
    """The regional table in the window, its CSV and its PDF say the same for every office and the
    region, and the region row is the sum of the offices."""
    import csv
    import io

    from desktop.exchange import region

    folder, _ = bundles
    merged(qtbot, page, [str(folder / "KEN-NBO.pdbundle"), str(folder / "SDN-KRT-1.pdbundle")], BUNDLE_PASSPHRASE)
    page.tabs.setCurrentWidget(page.region_tab)
    finish(qtbot, page.session)
    keys = [key for key, _h in region.COLUMNS]
    shown = {page.region_table.item(r, 0).text(): [page.region_table.item(r, c).text() for c in range(len(keys))]
             for r in range(page.region_table.rowCount())}
    page.export_csv(str(tmp_path / "r.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    in_csv = {r[0]: r for r in rows[1:]}
    page.report_pdf(str(tmp_path / "r.pdf"), "en")
    finish(qtbot, page.session)
    pdf = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    numeric = [n for n, key in enumerate(keys) if key in ("personnel", "trained", "partners", "partners_assessed",
                                                          "risk_assessments", "high_risks_open", "allegations",
                                                          "not_counted")]
    for office, cells in shown.items():
        for n in numeric:
            assert cells[n].replace(",", "") == in_csv[office][n], (office, keys[n])
        line = next(line for line in pdf.splitlines() if line.split()[:1] == [office])
        assert [cells[n] for n in numeric] == [w for w in line.split() if w.replace(",", "").isdigit()][:len(numeric)], line
    total = in_csv["Region"]
    for n in numeric:
        assert int(total[n]) == sum(int(r[n]) for office, r in in_csv.items() if office != "Region"), keys[n]


def test_relay_to_headquarters_from_the_export_tab(qtbot, page, regional, bundles, tmp_path):
    from desktop.exchange.relay import received

    folder, _ = bundles
    merged(qtbot, page, [str(folder / "KEN-NBO.pdbundle"), str(folder / "SDN-KRT-1.pdbundle")], BUNDLE_PASSPHRASE)
    assert len(received(regional)) == 2
    page.refresh()
    assert not page.relay_box.isHidden()             # this workspace holds offices' bundles to relay
    page.relay_box.setChecked(True)
    page.export_pass.setText(BUNDLE_PASSPHRASE)
    page.export_pass2.setText(BUNDLE_PASSPHRASE)
    assert exported(qtbot, page, str(tmp_path / "relay.pdbundle"))
    assert "KEN-NBO" in page.export_message.text() and "SDN-KRT" in page.export_message.text()
    with Workspace.create(tmp_path / "hq.pdesk", PASSPHRASE, office="HQ", entity="UN-Habitat",
                          role="headquarters") as hq:
        results = merge_bundles(hq, [tmp_path / "relay.pdbundle"], BUNDLE_PASSPHRASE, backup=False)
        assert {(r.office, r.via, r.status) for r in results} == {
            ("RO-NBO", "RO-NBO", "merged"), ("KEN-NBO", "RO-NBO", "merged"), ("SDN-KRT", "RO-NBO", "merged")}


def test_each_office_may_use_its_own_passphrase(qtbot, page, regional, bundles, tmp_path):
    """Bundles of offices with different passphrases merge in one go: the page asks for the passphrase
    of each bundle that the one given does not open, once, and merges it with its own."""
    folder, _kassala = bundles
    other = Workspace.create(tmp_path / "lbn.pdesk", PASSPHRASE, office="LBN-BEY", entity="UN-Habitat")
    export_bundle(other, tmp_path / "LBN-BEY.pdbundle", "Beirut's own passphrase 2026")
    other.close()
    asked = []

    def ask(result):  # noqa: ANN001, ANN202
        asked.append(result.file_name)
        return "Beirut's own passphrase 2026" if result.file_name == "LBN-BEY.pdbundle" else None

    results = merged(qtbot, page, [str(folder / "SDN-KRT-1.pdbundle"), str(tmp_path / "LBN-BEY.pdbundle")],
                     BUNDLE_PASSPHRASE, ask_passphrase=ask)
    assert asked == ["LBN-BEY.pdbundle"]
    assert [(r.office, r.status) for r in results] == [("SDN-KRT", "merged"), ("LBN-BEY", "merged")]
    # A wrong answer is asked once, not again and again: that bundle stays refused, with its message.
    third = Workspace.create(tmp_path / "col.pdesk", PASSPHRASE, office="COL-BOG", entity="UN-Habitat")
    export_bundle(third, tmp_path / "COL-BOG.pdbundle", "Bogotá's own passphrase 2026")
    third.close()
    wrong = []
    results = merged(qtbot, page, [str(tmp_path / "COL-BOG.pdbundle")], BUNDLE_PASSPHRASE,
                     ask_passphrase=lambda r: wrong.append(r.file_name) or "not the passphrase either")
    assert wrong == ["COL-BOG.pdbundle"] and results[0].status == "refused"
