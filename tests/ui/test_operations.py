"""Long work from the window (ui/operations.py): a merge and an import can be cancelled and leave the
workspace as it was; locking or closing during an operation waits for it and loses nothing; the
window's thread keeps running meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.exchange.export import export_bundle
from desktop.roster.model import PERSON
from desktop.session import Session
from desktop.settings import Settings
from storage import Workspace
from storage.records import OFFICE
from tests.conftest import PASSPHRASE, end_operations
from tests.ui.conftest import finish, unlock
from ui import operations
from ui.access_keys import plain

BUNDLE_PASSPHRASE = "bundle passphrase 2026"


@pytest.fixture
def bundles(tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(4):
        code = f"OFF-{n}"
        with Workspace.create(tmp_path / f"{code}.pdesk", PASSPHRASE, office=code, entity="UN-Habitat") as ws:
            ws.records.insert_many(OFFICE, [{"code": f"{code}-{i}", "name": f"Place {i}", "country": "KE"}
                                            for i in range(3000)])
            export_bundle(ws, tmp_path / f"{code}.pdbundle", BUNDLE_PASSPHRASE)
        paths.append(tmp_path / f"{code}.pdbundle")
    return paths


def _state(ws: Workspace) -> tuple:
    return ws.audit.count, ws.audit.head, ws.connection.execute("SELECT count(*) FROM office").fetchone()[0]


def test_a_cancelled_merge_leaves_the_workspace_as_it_was(qtbot, workspace: Workspace, bundles) -> None:
    from ui.exchange.page import Page

    session = Session(workspace)
    page = Page(session)
    qtbot.addWidget(page)
    page.show()
    before = _state(workspace)
    assert page.merge_paths([str(p) for p in bundles], BUNDLE_PASSPHRASE)
    assert operations.runner(session).busy            # the window's thread is free while it runs
    operations.runner(session).cancel()
    finish(qtbot, session)
    assert _state(workspace) == before
    assert "cancelled" in page.import_message.text() and page.last_results == []
    assert page.merge_paths([str(p) for p in bundles], BUNDLE_PASSPHRASE)   # and it still works afterwards
    finish(qtbot, session)
    assert [r.status for r in page.last_results] == ["merged"] * 4
    end_operations()


def test_a_cancelled_import_imports_nothing(qtbot, workspace: Workspace, tmp_path: Path) -> None:
    from ui.roster.dialogs import ImportWizard
    from ui.roster.page import Page

    rows = "".join(f"Person {n},P-{n},staff\n" for n in range(20_000))
    path = tmp_path / "big.csv"
    path.write_text("Name,Index number,Category\n" + rows, encoding="utf-8")
    session = Session(workspace)
    page = Page(session)
    qtbot.addWidget(page)
    wizard = ImportWizard(session, str(path), page)
    qtbot.addWidget(wizard)
    wizard.show()
    finish(qtbot, session)
    wizard._next()
    finish(qtbot, session)
    assert plain(wizard.next_button.text()) == "Import"
    before = _state(workspace)
    wizard._next()
    wizard._cancel()                                      # Cancel while it writes
    finish(qtbot, session)
    assert not wizard.imported and "cancelled" in wizard.message.text()
    assert _state(workspace) == before
    assert workspace.connection.execute("SELECT count(*) FROM roster_person").fetchone()[0] == 0
    assert not list(workspace.records.iter_all(PERSON))


def test_locking_during_a_merge_waits_for_it_and_loses_nothing(qtbot, tmp_path: Path, bundles, monkeypatch) -> None:
    from ui.shell import Shell

    monkeypatch.setenv("PSEA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    target = tmp_path / "region.pdesk"
    Workspace.create(target, PASSPHRASE, office="REG", entity="UN-Habitat", role="region").close()
    shell = Shell(Settings())
    try:
        assert unlock(qtbot, _typed(shell.show_unlock(target)))
        page = shell.main_window.show_page("exchange")
        assert page.merge_paths([str(p) for p in bundles], BUNDLE_PASSPHRASE)
        shell.lock()                                      # asked while the merge writes
        assert shell.session is not None                  # not yet: it waits for the merge
        qtbot.waitUntil(lambda: shell.session is None, timeout=120_000)
        assert shell.unlock_window is not None            # then locked, as asked
        with Workspace.open(target, PASSPHRASE) as ws:    # and nothing of the merge was lost
            offices = {r["office"] for r in ws.records.iter_all(OFFICE)}
            assert offices == {"REG", "OFF-0", "OFF-1", "OFF-2", "OFF-3"}
            assert ws.integrity_problems() == []
    finally:
        shell.shutdown()


def _typed(prompt):  # noqa: ANN001, ANN202
    prompt.passphrase.setText(PASSPHRASE)
    return prompt
