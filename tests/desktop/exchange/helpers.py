"""Test helpers that build real bundles, and altered ones, through the real format code."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.exchange import bundle
from storage import Workspace

BUNDLE_PASSPHRASE = "bundle passphrase 2026"


def state(ws: Workspace) -> tuple[str, int, str]:
    """What must not change when a bad bundle is refused: the audit head and the bytes on disk."""
    digest = hashlib.sha256()
    for p in (ws.path, Path(str(ws.path) + "-wal")):
        if p.exists():
            digest.update(p.read_bytes())
    return ws.audit.head, ws.audit.count, digest.hexdigest()


def split(data: bytes) -> tuple[bytes, dict, bytes]:
    (n,) = struct.unpack(">I", data[len(bundle.MAGIC):len(bundle.MAGIC) + 4])
    start = len(bundle.MAGIC) + 4 + n
    return data[:start], json.loads(data[len(bundle.MAGIC) + 4:start]), data[start:]


def content_key(header: dict, passphrase: str) -> bytes:
    kdf = header["kdf"]
    kek = bundle._scrypt(passphrase, bundle._unb64(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
    wrap = next(w for w in header["wraps"] if w["to"] == "passphrase")
    return AESGCM(kek).decrypt(bundle._unb64(wrap["nonce"]), bundle._unb64(wrap["key"]), b"passphrase")


def reseal(data: bytes, passphrase: str, change) -> bytes:  # noqa: ANN001 - change(payload) -> payload
    """Decrypt, alter the payload, encrypt again with the same key: what someone who knows the
    passphrase (but not the signing key) could do in transit."""
    prefix, header, ciphertext = split(data)
    key = content_key(header, passphrase)
    nonce = bundle._unb64(header["nonce"])
    payload = AESGCM(key).decrypt(nonce, ciphertext, prefix)
    return prefix + AESGCM(key).encrypt(nonce, change(payload), prefix)


def payload_parts(payload: bytes) -> tuple[bytes, bytes, bytes]:
    return bundle._split(payload)


def join_payload(manifest: bytes, signature: bytes, packed: bytes) -> bytes:
    return b"".join([bundle.PAYLOAD_MAGIC, struct.pack(">I", len(manifest)), manifest,
                     struct.pack(">I", len(signature)), signature, packed])


def legacy_content(opened: bundle.OpenedBundle) -> dict:
    """A bundle's content as one format-1 object (what earlier versions wrote, still read), for tests
    that change a bundle's content and sign it again."""
    kinds: dict = {}
    history: dict = {}
    carried: dict = {}
    for event, key, value in opened.events():
        if event == "kinds":
            kinds = {name: {"columns": cols, "rows": []} for name, cols in key.items()}
        elif event == "h":
            history.setdefault(key, []).append(value)
        elif event == "r":
            kinds[key]["rows"].append(value)
        else:
            carried[key] = value
    out = {"kinds": kinds, "history": history}
    if carried:
        out["files"] = carried
    return out
