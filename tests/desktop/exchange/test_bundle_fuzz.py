"""Bundle reading under hypothesis: any damage to a real bundle, and any content a signer could put
inside, ends in a BundleError (a clear message), never in another exception or in accepted data."""

from __future__ import annotations

import hashlib
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.exchange import bundle
from desktop.exchange.errors import BundleError
from desktop.exchange.merge import parse_content
from storage.records import OFFICE

from .helpers import BUNDLE_PASSPHRASE


@pytest.fixture(scope="module")
def good(office_bundle) -> bytes:
    return office_bundle[0].read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_bundles_are_refused_cleanly(good, data):
    how = data.draw(st.sampled_from(["flip", "cut", "insert"]))
    raw = bytearray(good)
    pos = data.draw(st.integers(0, len(raw) - 1))
    if how == "flip":
        raw[pos] ^= data.draw(st.integers(1, 255))
    elif how == "cut":
        del raw[pos:]
    else:
        raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
    with pytest.raises(BundleError):
        bundle.decode(bytes(raw), BUNDLE_PASSPHRASE)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20)
rev = st.from_regex(r"\A\d{13}-\d{5}-[0-9a-f]{4}\Z")
office_rows = st.lists(st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=5), rev,
                                 st.none() | rev, st.sampled_from([0, 1]), st.text(max_size=5),
                                 st.text(max_size=5) | st.integers() | json_values, st.text(max_size=3),
                                 st.none() | st.text(max_size=5)).map(list),
                       max_size=5)


@settings(max_examples=150, deadline=None)
@given(content=st.one_of(
    json_values,
    st.fixed_dictionaries({"kinds": st.dictionaries(st.sampled_from(["office", "alien", ""]),
                                                    st.fixed_dictionaries({"columns": st.just(list(OFFICE.columns)),
                                                                           "rows": office_rows}) | json_values,
                                                    max_size=2),
                           "history": json_values | st.just({})})))
def test_any_signed_content_is_accepted_only_if_well_formed(content):
    data = json.dumps(content).encode()
    counts = {}
    if isinstance(content, dict) and isinstance(content.get("kinds"), dict):
        for name, block in content["kinds"].items():
            if isinstance(block, dict) and isinstance(block.get("rows"), list):
                counts[name] = {"current": len(block["rows"]), "history": 0}
    manifest = {"format": 1, "office": "X", "entity": "Y", "workspace_id": "w", "exported_at": "t",
                "counts": counts, "content_digest": hashlib.sha256(data).hexdigest(), "content_size": len(data)}
    opened = bundle.OpenedBundle(manifest, zlib.compress(data), b"\x00" * 32, "0" * 64)
    try:
        parsed = parse_content(opened)
    except BundleError:
        return
    for rows in parsed.current.values():                      # accepted: every row is a proper record
        for row in rows:
            assert set(row) == set(OFFICE.columns)
            assert isinstance(row["id"], str) and row["deleted"] in (0, 1)
            assert all(not isinstance(row[f], (dict, list)) for f in OFFICE.fields)
