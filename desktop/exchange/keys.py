"""This workspace's own keys, fingerprints, and the recipient-key file a coordinator hands out.

The Ed25519 key signs bundles; the X25519 key lets offices wrap bundles to a coordinator. Both are
created on first use and kept in `exchange_identity`, inside the encrypted workspace file.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from desktop.exchange.errors import BadRecipientKey
from storage.audit import utc_now
from storage.text import clean

if TYPE_CHECKING:
    from storage import Workspace

RECIPIENT_KEY_HEADER = "psea-desk-recipient-key-v1"


def fingerprint(public_key: bytes) -> str:
    """128 bits of SHA-256 in eight groups of four hex digits: short enough to read out by phone."""
    digest = hashlib.sha256(public_key).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass(frozen=True)
class Identity:
    sign_key: Ed25519PrivateKey
    box_key: X25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return raw_public(self.sign_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def box_public(self) -> bytes:
        return raw_public(self.box_key)

    @property
    def box_fingerprint(self) -> str:
        return fingerprint(self.box_public)


def identity(ws: Workspace) -> Identity:
    """The workspace's keys, created (and audited) the first time they are needed."""
    row = ws.connection.execute("SELECT sign_key, box_key FROM exchange_identity WHERE id = 1").fetchone()
    if row is None:
        sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        with ws.transaction() as conn:
            conn.execute("INSERT INTO exchange_identity (id, sign_key, box_key, created_at) VALUES (1, ?, ?, ?)",
                         (_raw_private(sign), _raw_private(box), utc_now()))
            ws.audit.append(ws.actor, "exchange-keys-created", "workspace", ws.workspace_id, None, None)
        return Identity(sign, box)
    return Identity(Ed25519PrivateKey.from_private_bytes(bytes(row[0])),
                    X25519PrivateKey.from_private_bytes(bytes(row[1])))


def write_recipient_key(ws: Workspace, path: Path) -> str:
    """Write the public half a coordinator gives to offices; returns its fingerprint."""
    ident = identity(ws)
    text = "\n".join([RECIPIENT_KEY_HEADER, ws.office, base64.b64encode(ident.box_public).decode("ascii"), ""])
    path.write_text(text, encoding="utf-8")
    return ident.box_fingerprint


def read_recipient_key(path: Path) -> bytes:
    return read_recipient_key_file(path)[1]


def read_recipient_key_file(path: Path) -> tuple[str, bytes]:
    """(the coordinator's office code, its X25519 public key) from a recipient key file."""
    try:
        if path.stat().st_size > 4096:
            raise ValueError
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) < 3 or lines[0] != RECIPIENT_KEY_HEADER or not 0 < len(lines[1].strip()) <= 64:
            raise ValueError
        raw = base64.b64decode(lines[2], validate=True)
        X25519PublicKey.from_public_bytes(raw)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BadRecipientKey(str(path)) from exc
    return clean(lines[1].strip()), raw


# ---- the coordinator an office sends to -----------------------------------------------------------
# An office that was given its coordinator's recipient key keeps it (meta `coordinator_recipient_key`):
# its bundles are then encrypted to that key by default, with no passphrase at all. Only the
# coordinator's workspace can open them, and there is nothing to guess offline (a passphrase bundle
# can be attacked for as long as it sits in a mailbox or on a stick).
_REMEMBERED = "coordinator_recipient_key"


@dataclass(frozen=True)
class RecipientKey:
    office: str
    key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def remember_recipient_key(ws: Workspace, office: str, key: bytes) -> None:
    ws.set_meta(_REMEMBERED, f"{office} {base64.b64encode(key).decode('ascii')}")


def remembered_recipient_key(ws: Workspace) -> RecipientKey | None:
    value = ws.get_meta(_REMEMBERED, None)
    if not value:
        return None
    office, _sep, encoded = value.rpartition(" ")
    try:
        return RecipientKey(office, base64.b64decode(encoded, validate=True))
    except ValueError:
        return None


def forget_recipient_key(ws: Workspace) -> None:
    with ws.transaction() as conn:
        if conn.execute("DELETE FROM meta WHERE key = ?", (_REMEMBERED,)).rowcount:
            ws.audit.append(ws.actor, "setting", "meta", _REMEMBERED, None, None)


def verify_key(public_key: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(public_key)
