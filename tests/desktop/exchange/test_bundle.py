"""The bundle file: round trip, and every kind of bad bundle refused with a clear message, the
workspace untouched (audit head and bytes on disk the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import i18n
from desktop.exchange import bundle, errors
from desktop.exchange.export import export_bundle
from desktop.exchange.keys import fingerprint, raw_public
from desktop.exchange.merge import merge_bundles, open_bundle
from storage.records import OFFICE

from .helpers import BUNDLE_PASSPHRASE, join_payload, payload_parts, reseal, split, state


def test_round_trip_has_manifest_records_and_history(office_bundle):
    path, info = office_bundle
    opened, parsed = open_bundle(path, BUNDLE_PASSPHRASE)
    m = parsed.manifest
    assert m["format"] == bundle.FORMAT and m["office"] == "SDN-KRT" and m["entity"] == "UNICEF"
    assert m["counts"]["office"] == {"current": 4, "history": 2}
    assert opened.fingerprint == info["fingerprint"]
    assert {r["id"] for r in parsed.current["office"]} == set(info["current"])
    assert any(r["deleted"] for r in parsed.current["office"])           # the tombstone travels
    assert {h["_reason"] for h in parsed.history["office"]} == {"edited", "deleted"}
    assert "الخرطوم" in {r["name"] for r in parsed.current["office"]}


def test_file_is_encrypted(office_bundle):
    data = office_bundle[0].read_bytes()
    assert data.startswith(bundle.MAGIC)
    assert b"Kassala" not in data and b"SDN-KRT" not in data


def _refused(ws, path: Path, expected: type[errors.BundleError], **kw) -> errors.BundleError:
    before = state(ws)
    [result] = merge_bundles(ws, [path], kw.pop("passphrase", BUNDLE_PASSPHRASE), **kw)
    assert result.status == "refused"
    assert isinstance(result.error, expected), result.error
    assert str(result.error)
    assert state(ws) == before
    assert ws.records.get(OFFICE, "nothing") is None
    return result.error


def _write(tmp_path: Path, data: bytes, name: str = "bad.pdbundle") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_wrong_passphrase(workspace, office_bundle):
    _refused(workspace, office_bundle[0], errors.WrongBundlePassphrase, passphrase="not the passphrase")


@pytest.mark.parametrize("keep", [0, 10, 30, 200, -1])
def test_truncated(workspace, office_bundle, tmp_path, keep):
    data = office_bundle[0].read_bytes()
    cut = data[:keep] if keep >= 0 else data[:-1]
    expected = errors.NotABundle if keep == 0 else (errors.BundleDamaged if keep == -1 else errors.BundleError)
    _refused(workspace, _write(tmp_path, cut), expected)


def test_truncated_mid_ciphertext_says_damaged_or_truncated(workspace, office_bundle, tmp_path):
    data = office_bundle[0].read_bytes()
    prefix, _, _ = split(data)
    err = _refused(workspace, _write(tmp_path, data[:len(prefix) + 8]), errors.BundleTruncated)
    assert "cut short" in str(err)


def test_flipped_byte_in_ciphertext(workspace, office_bundle, tmp_path):
    data = bytearray(office_bundle[0].read_bytes())
    data[len(data) // 2 + 100] ^= 0x01
    err = _refused(workspace, _write(tmp_path, bytes(data)), errors.BundleDamaged)
    assert "altered" in str(err)


def test_flipped_byte_in_header(workspace, office_bundle, tmp_path):
    data = office_bundle[0].read_bytes()
    prefix, header, _ = split(data)
    header["nonce"] = bundle._b64(bytes(12))            # a valid-looking header that was changed
    new_header = json.dumps(header, sort_keys=True).encode()
    altered = bundle.MAGIC + len(new_header).to_bytes(4, "big") + new_header + data[len(prefix):]
    _refused(workspace, _write(tmp_path, altered), errors.BundleDamaged)


def test_replaced_signature_bytes(workspace, office_bundle, tmp_path):
    def change(payload: bytes) -> bytes:
        manifest, signature, packed = payload_parts(payload)
        sig = json.loads(signature)
        sig["signature"] = bundle._b64(bytes(64))
        return join_payload(manifest, json.dumps(sig).encode(), packed)
    _refused(workspace, _write(tmp_path, reseal(office_bundle[0].read_bytes(), BUNDLE_PASSPHRASE, change)),
             errors.BadSignature)


def test_edited_manifest_breaks_signature(workspace, office_bundle, tmp_path):
    def change(payload: bytes) -> bytes:
        manifest, signature, packed = payload_parts(payload)
        return join_payload(manifest.replace(b"SDN-KRT", b"SDN-KRX"), signature, packed)
    _refused(workspace, _write(tmp_path, reseal(office_bundle[0].read_bytes(), BUNDLE_PASSPHRASE, change)),
             errors.BadSignature)


def test_edited_content_breaks_digest(workspace, office_bundle, tmp_path):
    import zlib

    def change(payload: bytes) -> bytes:
        manifest, signature, packed = payload_parts(payload)
        content = zlib.decompress(packed).replace(b"Kassala", b"Kassalb")
        return join_payload(manifest, signature, zlib.compress(content))
    _refused(workspace, _write(tmp_path, reseal(office_bundle[0].read_bytes(), BUNDLE_PASSPHRASE, change)),
             errors.BadSignature)


def test_resigned_by_another_key_is_a_key_change(workspace, office_bundle, tmp_path):
    """Someone with the passphrase re-signs with their own key: a known office's key 'changed'."""
    path, info = office_bundle
    merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    other = Ed25519PrivateKey.generate()

    def change(payload: bytes) -> bytes:
        manifest, _, packed = payload_parts(payload)
        sig = {"alg": "Ed25519", "public_key": bundle._b64(raw_public(other)),
               "signature": bundle._b64(other.sign(bundle.SIGNATURE_CONTEXT + manifest))}
        return join_payload(manifest, json.dumps(sig).encode(), packed)
    forged = _write(tmp_path, reseal(path.read_bytes(), BUNDLE_PASSPHRASE, change))
    err = _refused(workspace, forged, errors.SenderKeyChanged)
    assert info["fingerprint"] in str(err) and fingerprint(raw_public(other)) in str(err)
    assert "SDN-KRT" in str(err)


def test_unknown_format_version(workspace, office_bundle, tmp_path):
    data = office_bundle[0].read_bytes()
    prefix, header, rest = split(data)
    header["format"] = bundle.FORMAT + 1
    new_header = json.dumps(header, sort_keys=True).encode()
    altered = bundle.MAGIC + len(new_header).to_bytes(4, "big") + new_header + rest
    err = _refused(workspace, _write(tmp_path, altered), errors.NewerBundle)
    assert "newer version" in str(err)


def test_oversize_file(workspace, office_bundle):
    _refused(workspace, office_bundle[0], errors.BundleTooLarge, limits=bundle.Limits(max_file=1000))


def _signed(tmp_path: Path, content: bytes, name: str = "made.pdbundle", **manifest_extra) -> Path:
    import hashlib
    manifest = {"format": 1, "office": "EVIL", "entity": "X", "workspace_id": "w", "exported_at": "now",
                "counts": {}, "content_digest": hashlib.sha256(content).hexdigest(), "content_size": len(content),
                **manifest_extra}
    data = bundle.encode(manifest, content, Ed25519PrivateKey.generate(), BUNDLE_PASSPHRASE)
    return _write(tmp_path, data, name)


def test_decompression_bomb_stops_at_the_cap(workspace, tmp_path):
    bomb = _signed(tmp_path, b" " * (24 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    _refused(workspace, bomb, errors.BundleTooLarge, limits=bundle.Limits(max_content=8 * 1024 * 1024))


def test_malformed_json_content(workspace, tmp_path):
    _refused(workspace, _signed(tmp_path, b'{"kinds": {"office": [1, 2'), errors.MalformedBundle)


@pytest.mark.parametrize("content", [
    {"kinds": {"office": {"columns": ["id"], "rows": []}}},
    {"kinds": {"office": {"columns": list(OFFICE.columns), "rows": [["id", "o", "not a rev", None, 0, "c", "n", ""]]}}},
    {"kinds": {"office": {"columns": list(OFFICE.columns), "rows": [["id", "o", "0000000000001-00000-ab", None, 0, {"x": 1}, "n", ""]]}}},
    {"kinds": "nope"},
    ["a list"],
])
def test_malformed_rows(workspace, tmp_path, content):
    _refused(workspace, _signed(tmp_path, json.dumps(content).encode()), errors.BundleError)


def test_unknown_kind(workspace, tmp_path):
    content = {"kinds": {"alien": {"columns": ["id"], "rows": []}}, "history": {}}
    err = _refused(workspace, _signed(tmp_path, json.dumps(content).encode()), errors.UnknownKind)
    assert "alien" in str(err)


def test_counts_must_match_manifest(workspace, tmp_path):
    row = ["id-1", "EVIL", "0000000000001-00000-ab", None, 0, "C", "N", "", None]
    content = {"kinds": {"office": {"columns": list(OFFICE.columns), "rows": [row]}}, "history": {}}
    path = _signed(tmp_path, json.dumps(content).encode(), counts={"office": {"current": 5, "history": 0}})
    _refused(workspace, path, errors.MalformedBundle)


@pytest.mark.parametrize("name", ["line\nbreak.pdbundle", "\u202egnp.pdbundle", "x" * 240 + ".pdbundle",
                                  "plain.txt"])
def test_odd_file_names(workspace, office_bundle, tmp_path, name):
    path = _write(tmp_path, office_bundle[0].read_bytes(), name)
    [result] = merge_bundles(workspace, [path], BUNDLE_PASSPHRASE)
    assert result.status == "merged"
    assert "\n" not in result.file_name and "\u202e" not in result.file_name and len(result.file_name) <= 120
    stored = workspace.connection.execute("SELECT file_name FROM exchange_import").fetchone()[0]
    assert stored == result.file_name


@pytest.mark.parametrize("make", ["missing", "folder", "pdf", "empty"])
def test_not_a_bundle(workspace, tmp_path, make):
    path = tmp_path / "thing.pdbundle"
    if make == "folder":
        path.mkdir()
    elif make == "pdf":
        path.write_bytes(b"%PDF-1.7\n" + b"0" * 500)
    elif make == "empty":
        path.write_bytes(b"")
    expected = errors.BundleNotFound if make in ("missing", "folder") else errors.NotABundle
    _refused(workspace, path, expected)


def test_good_bundle_still_merges_next_to_bad_ones(workspace, office_bundle, tmp_path):
    bad = _write(tmp_path, b"PSEA-DESK-BUNDLE garbage")
    results = merge_bundles(workspace, [bad, office_bundle[0]], BUNDLE_PASSPHRASE)
    assert [r.status for r in results] == ["refused", "merged"]
    assert results[1].inserted == 4


def test_messages_are_translated(workspace, office_bundle):
    [en] = merge_bundles(workspace, [office_bundle[0]], "not the passphrase")
    i18n.set_language("fr")
    fr_text = str(en.error)
    i18n.set_language("en")
    assert fr_text != str(en.error)


def test_weak_bundle_passphrase_refused(workspace, tmp_path):
    from desktop.exchange.export import export_bundle
    with pytest.raises(errors.WeakBundlePassphrase):
        export_bundle(workspace, tmp_path / "x.pdbundle", "short")
    assert not (tmp_path / "x.pdbundle").exists()


def test_passphrase_cost_is_ages(workspace, tmp_path, monkeypatch):
    """Finding 13: a bundle's passphrase is stretched at least as hard as age's passphrase files
    (scrypt N=2^18), and bundles of the previous format (N=2^15) still open."""
    monkeypatch.setattr(bundle, "SCRYPT", dict(bundle.PASSPHRASE_COST))
    out = tmp_path / "real.pdbundle"
    export_bundle(workspace, out, BUNDLE_PASSPHRASE)
    _prefix, header, _rest = split(out.read_bytes())
    assert header["kdf"]["n"] >= 2**18 and header["kdf"]["r"] == 8
    opened, _parsed = open_bundle(out, BUNDLE_PASSPHRASE)
    assert opened.manifest["office"] == "KEN-NBO"
    with pytest.raises(errors.WrongBundlePassphrase):
        open_bundle(out, BUNDLE_PASSPHRASE + "x")
