"""The export-bundle file format (version 1). Pure functions: no workspace here.

File layout::

    MAGIC (16 bytes) | u32 header length | header (JSON) | AES-256-GCM ciphertext

The header is plaintext but authenticated (it is the AAD of the ciphertext). It holds the format
version, the cipher nonce, the scrypt parameters and salt, and the random content key wrapped once
under the passphrase and, optionally, once more to a coordinator's X25519 public key.

The decrypted payload is::

    b"PDB1" | u32 manifest length | manifest (JSON) | u32 signature length | signature (JSON) | zlib(content)

The Ed25519 signature covers the manifest, and the manifest carries the SHA-256 and size of the
content, so the signature covers both. Opening checks the encryption, the signature and the manifest;
the content is then read as a stream (desktop/exchange/content.py): never inflated whole, its size
checked as it inflates and its digest at the end of every read, so a hostile file costs bounded memory.

Format 2 (since 2026-11) differs from format 1 in the content only (JSON lines, content.py) and in
the passphrase's cost (scrypt N=2^18, as age's passphrase files). Format-1 bundles are still read.
A bundle to a coordinator's recipient key may carry no passphrase at all: nothing to guess offline.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from desktop.exchange import content
from desktop.exchange.errors import (
    BadSignature,
    BundleDamaged,
    BundleNotFound,
    BundleNotWritten,
    BundleTooLarge,
    BundleTruncated,
    MalformedBundle,
    NewerBundle,
    NotABundle,
    WeakBundlePassphrase,
    WrongBundlePassphrase,
)
from desktop.exchange.keys import fingerprint, raw_public

MAGIC = b"PSEA-DESK-BUNDLE"
FORMAT = 2
READABLE = (1, 2)
SUFFIX = ".pdbundle"
PAYLOAD_MAGIC = b"PDB1"
SIGNATURE_CONTEXT = b"psea-desk-bundle-signature-v1\x00"
MIN_PASSPHRASE = 10
# scrypt cost: N=2^18 as age's passphrase files (about 0.6 s and 256 MiB): a bundle waits in mailboxes
# and on USB sticks, open to offline guessing. Bundles to a coordinator's recipient key skip it.
PASSPHRASE_COST = {"n": 2**18, "r": 8, "p": 1}
SCRYPT = dict(PASSPHRASE_COST)   # what `seal` uses (the test suite lowers it to 2^15, still read)
# Only the parameters this version or the one before wrote are accepted: a header may not make us
# spend a gigabyte of memory on key derivation before the passphrase is even checked.
_SCRYPT_NS = (2**15, 2**18)
_MAX_HEADER = 64 * 1024
_MAX_MANIFEST = 4 * 1024 * 1024
_MAX_SIGNATURE = 4 * 1024


@dataclass(frozen=True)
class Limits:
    """What a bundle may weigh: on disk and once unpacked (a decompression bomb stops at the cap)."""

    # An office's bundle with 100,000 people and their completions is about 50 MB of JSON; parsing
    # JSON costs about ten times its size in memory, so the cap keeps one bundle under ~1 GB.
    max_file: int = 128 * 1024 * 1024
    max_content: int = 96 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class OpenedBundle:
    manifest: dict[str, Any]
    packed: bytes           # the compressed content, read through `events` (checked as it is read)
    public_key: bytes       # the signer's Ed25519 key, raw
    file_digest: str        # SHA-256 of the whole file, as recorded in the import history
    payload: bytes = b""    # the signed payload as the office wrote it: what a coordinator relays unchanged
    max_content: int = DEFAULT_LIMITS.max_content

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def events(self) -> Iterator[content.Event]:
        """The content as a stream of checked lines (content.py); BadSignature at the end if its
        SHA-256 is not the one the signed manifest gives."""
        return content.events(self.packed, self.manifest["content_size"], str(self.manifest.get("content_digest")),
                              self.max_content)

    @property
    def content(self) -> bytes:
        """The whole content, inflated and checked: for a relay's parts (their own payloads, each
        bounded) and for tests. The merge reads `events` instead."""
        data = _inflate(self.packed, self.manifest["content_size"])
        if len(data) != self.manifest["content_size"] \
                or hashlib.sha256(data).hexdigest() != self.manifest.get("content_digest"):
            raise BadSignature("content digest")
        return data

    @property
    def payload_digest(self) -> str:
        """SHA-256 of the signed payload: the same whether it arrived in the office's own bundle or
        relayed by a coordinator (the file around it is encrypted anew each time)."""
        return hashlib.sha256(self.payload).hexdigest()


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakBundlePassphrase()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise NotABundle("base64 field")
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise NotABundle("base64 field") from exc
    if size is not None and len(data) != size:
        raise NotABundle("field size")
    return data


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _box_kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"psea-desk-bundle-x25519" + ephemeral + recipient).derive(shared)


def encode(manifest: dict[str, Any], content: bytes, sign_key: Ed25519PrivateKey, passphrase: str | None,
           recipient_key: bytes | None = None) -> bytes:
    """The bytes of a bundle file. `manifest` must already carry the content digest (see export)."""
    return seal(sign_payload(manifest, content, sign_key), passphrase, recipient_key)


def sign_payload(manifest: dict[str, Any], content: bytes, sign_key: Ed25519PrivateKey) -> bytes:
    """The signed payload: manifest, signature and compressed content, as it is kept and relayed."""
    return sign_packed(manifest, zlib.compress(content, 6), sign_key)


def sign_packed(manifest: dict[str, Any], packed: bytes, sign_key: Ed25519PrivateKey) -> bytes:
    """Like `sign_payload`, for content already compressed (content.Writer)."""
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    signature = {"alg": "Ed25519", "public_key": _b64(raw_public(sign_key)),
                 "signature": _b64(sign_key.sign(SIGNATURE_CONTEXT + manifest_bytes))}
    signature_bytes = json.dumps(signature, sort_keys=True).encode("ascii")
    return b"".join([PAYLOAD_MAGIC, struct.pack(">I", len(manifest_bytes)), manifest_bytes,
                     struct.pack(">I", len(signature_bytes)), signature_bytes, packed])


def seal(payload: bytes, passphrase: str | None, recipient_key: bytes | None = None) -> bytes:
    """Encrypt a signed payload into the bytes of a bundle file: to a passphrase, to a coordinator's
    recipient key, or to both (at least one)."""
    if passphrase is None and recipient_key is None:
        raise WeakBundlePassphrase()
    content_key = AESGCM.generate_key(256)
    wraps: list[dict[str, Any]] = []
    kdf: dict[str, Any] | None = None
    if passphrase is not None:
        check_passphrase(passphrase)
        salt, wrap_nonce = os.urandom(16), os.urandom(12)
        kek = _scrypt(passphrase, salt, **SCRYPT)
        kdf = {"name": "scrypt", **SCRYPT, "salt": _b64(salt)}
        wraps.append({"to": "passphrase", "nonce": _b64(wrap_nonce),
                      "key": _b64(AESGCM(kek).encrypt(wrap_nonce, content_key, b"passphrase"))})
    if recipient_key is not None:
        ephemeral = X25519PrivateKey.generate()
        eph_pub = raw_public(ephemeral)
        box_kek = _box_kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_key)), eph_pub, recipient_key)
        box_nonce = os.urandom(12)
        wraps.append({"to": "x25519", "recipient": fingerprint(recipient_key), "ephemeral": _b64(eph_pub),
                      "nonce": _b64(box_nonce), "key": _b64(AESGCM(box_kek).encrypt(box_nonce, content_key, b"x25519"))})
    nonce = os.urandom(12)
    header: dict[str, Any] = {"format": FORMAT, "cipher": "AES-256-GCM", "nonce": _b64(nonce), "wraps": wraps}
    if kdf is not None:
        header["kdf"] = kdf
    header_bytes = json.dumps(header, sort_keys=True).encode("ascii")
    prefix = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
    return prefix + AESGCM(content_key).encrypt(nonce, payload, prefix)


def write(path: Path, data: bytes) -> None:
    """Write the bundle completely or not at all (temporary name, fsync, rename)."""
    tmp = path.with_name(path.name + ".partial")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BundleNotWritten(str(path), exc.strerror or type(exc).__name__) from exc


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    try:
        if not path.is_file():
            raise BundleNotFound(str(path))
        if path.stat().st_size > limits.max_file:
            raise BundleTooLarge("file")
        return path.read_bytes()
    except OSError as exc:
        raise BundleNotFound(str(path)) from exc


def decode(data: bytes, passphrase: str | None, *, box_key: X25519PrivateKey | None = None,
           limits: Limits = DEFAULT_LIMITS) -> OpenedBundle:
    """Open and check a bundle: format, decryption, signature, content digest. Raises a BundleError."""
    if len(data) > limits.max_file:
        raise BundleTooLarge("file")
    if len(data) < len(MAGIC) + 4 or not data.startswith(MAGIC):
        raise BundleTruncated("magic") if MAGIC.startswith(data[: len(MAGIC)]) and data else NotABundle("magic")
    (header_len,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    if header_len > _MAX_HEADER:
        raise NotABundle("header length")
    start = len(MAGIC) + 4 + header_len
    if len(data) < start:
        raise BundleTruncated("header")
    header = _json(data[len(MAGIC) + 4:start], NotABundle)
    if not isinstance(header, dict) or not isinstance(header.get("format"), int):
        raise NotABundle("header")
    if header["format"] > FORMAT:
        raise NewerBundle(str(header["format"]))
    if header["format"] not in READABLE or header.get("cipher") != "AES-256-GCM":
        raise NotABundle("format")
    nonce = _unb64(header.get("nonce"), 12)
    ciphertext = data[start:]
    if len(ciphertext) < 16 + len(PAYLOAD_MAGIC):
        raise BundleTruncated("ciphertext")
    content_key = _unwrap(header, passphrase, box_key)
    try:
        payload = AESGCM(content_key).decrypt(nonce, ciphertext, data[:start])
    except InvalidTag as exc:
        raise BundleDamaged("ciphertext") from exc
    return open_payload(payload, hashlib.sha256(data).hexdigest(), limits)


def open_payload(payload: bytes, file_digest: str, limits: Limits = DEFAULT_LIMITS) -> OpenedBundle:
    """Check a signed payload (from a bundle file, or one part of a coordinator's relay): signature,
    manifest and declared size (the content digest is checked as the content is read). Raises a
    BundleError."""
    manifest_bytes, signature_bytes, packed = _split(payload)
    signature = _json(signature_bytes, MalformedBundle)
    if not isinstance(signature, dict) or signature.get("alg") != "Ed25519":
        raise BadSignature("algorithm")
    public_key = _unb64(signature.get("public_key"), 32)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            _unb64(signature.get("signature"), 64), SIGNATURE_CONTEXT + manifest_bytes)
    except (InvalidSignature, NotABundle) as exc:
        raise BadSignature("signature") from exc
    manifest = _json(manifest_bytes, MalformedBundle)
    if not isinstance(manifest, dict) or manifest.get("format") not in READABLE:
        raise MalformedBundle("manifest")
    declared = manifest.get("content_size")
    if not isinstance(declared, int) or isinstance(declared, bool) or declared < 0:
        raise MalformedBundle("content size")
    if declared > limits.max_content:
        raise BundleTooLarge("content")
    if not isinstance(manifest.get("content_digest"), str):
        raise MalformedBundle("content digest")
    return OpenedBundle(manifest, packed, public_key, file_digest, payload, limits.max_content)


def _unwrap(header: dict[str, Any], passphrase: str | None, box_key: X25519PrivateKey | None) -> bytes:
    wraps = header.get("wraps")
    if not isinstance(wraps, list) or not wraps:
        raise NotABundle("wraps")
    for wrap in wraps:
        if not isinstance(wrap, dict):
            raise NotABundle("wrap")
        if wrap.get("to") == "x25519" and box_key is not None:
            own = raw_public(box_key)
            if wrap.get("recipient") != fingerprint(own):
                continue
            eph = _unb64(wrap.get("ephemeral"), 32)
            kek = _box_kek(box_key.exchange(X25519PublicKey.from_public_bytes(eph)), eph, own)
            try:
                return AESGCM(kek).decrypt(_unb64(wrap.get("nonce"), 12), _unb64(wrap.get("key")), b"x25519")
            except InvalidTag as exc:
                raise BundleDamaged("recipient wrap") from exc
    for wrap in wraps:
        if wrap.get("to") == "passphrase" and passphrase:
            kdf = header.get("kdf")
            if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
                raise NotABundle("kdf")
            n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
            if not (type(n) is int and n in _SCRYPT_NS and r == 8 and p == 1):
                raise NotABundle("kdf parameters")
            kek = _scrypt(passphrase, _unb64(kdf.get("salt"), 16), n, r, p)
            try:
                return AESGCM(kek).decrypt(_unb64(wrap.get("nonce"), 12), _unb64(wrap.get("key")), b"passphrase")
            except InvalidTag as exc:
                raise WrongBundlePassphrase() from exc
    raise WrongBundlePassphrase("no usable key")


def _split(payload: bytes) -> tuple[bytes, bytes, bytes]:
    if not payload.startswith(PAYLOAD_MAGIC):
        raise MalformedBundle("payload")
    pos = len(PAYLOAD_MAGIC)
    parts = []
    for cap in (_MAX_MANIFEST, _MAX_SIGNATURE):
        if len(payload) < pos + 4:
            raise MalformedBundle("payload length")
        (size,) = struct.unpack(">I", payload[pos:pos + 4])
        if size > cap or len(payload) < pos + 4 + size:
            raise MalformedBundle("payload part")
        parts.append(payload[pos + 4:pos + 4 + size])
        pos += 4 + size
    return parts[0], parts[1], payload[pos:]


def _inflate(packed: bytes, cap: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(packed, cap + 1)
    except zlib.error as exc:
        raise MalformedBundle("compression") from exc
    if len(content) > cap or inflater.unconsumed_tail:
        raise BundleTooLarge("content")
    if not inflater.eof or inflater.unused_data:
        raise MalformedBundle("compression end")
    return content


def _json(data: bytes, error: type[Exception]) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise error("json") from exc
