from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.exchange.export import export_bundle
from storage import Workspace
from storage.records import OFFICE

from .helpers import BUNDLE_PASSPHRASE

PASSPHRASE = "correct horse battery staple"


def make_office(path: Path, office: str, names: list[str]) -> Workspace:
    ws = Workspace.create(path, PASSPHRASE, office=office, entity="UNICEF", office_name=office)
    ws.records.insert_many(OFFICE, [{"code": f"{office}-{n}", "name": name, "country": "SD"}
                                    for n, name in enumerate(names)])
    return ws


@pytest.fixture(scope="module")
def office_bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    """A real office workspace (with an edit and a deletion in its history) and a full bundle of it."""
    folder = tmp_path_factory.mktemp("office")
    ws = make_office(folder / "sdn.pdesk", "SDN-KRT", ["الخرطوم", "Kassala", "Port Sudan"])
    rows = sorted((r for r in ws.records.iter_all(OFFICE) if r["code"] != "SDN-KRT"), key=lambda r: r["code"])
    ws.records.update(OFFICE, rows[1]["id"], {"name": "Kassala town"})
    ws.records.delete(OFFICE, rows[2]["id"])
    out = folder / "SDN-KRT.pdbundle"
    result = export_bundle(ws, out, BUNDLE_PASSPHRASE)
    info = {"fingerprint": result.fingerprint, "ids": [r["id"] for r in rows],
            "current": {r["id"]: r for r in ws.records.iter_all(OFFICE)}}
    ws.close()
    yield out, info
