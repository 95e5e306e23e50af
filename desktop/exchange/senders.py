"""Known senders: the signing key of each office whose bundles were imported, trusted on first use.

A bundle from a known office signed with another key is refused (SenderKeyChanged) unless the user
confirms the new key, ideally after reading the fingerprint to the office over the phone. The old
fingerprint is kept in `previous_keys`, so the change can be traced later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.exchange.errors import KeyOfAnotherOffice, OwnOfficeClaim, SenderKeyChanged
from desktop.exchange.keys import fingerprint
from storage.audit import utc_now

if TYPE_CHECKING:
    from storage import Workspace


@dataclass(frozen=True)
class Sender:
    office: str
    entity: str
    workspace_id: str
    fingerprint: str
    first_seen: str
    last_seen: str
    previous: list[dict[str, Any]]


def known_senders(ws: Workspace) -> list[Sender]:
    rows = ws.connection.execute(
        "SELECT office, entity, workspace_id, fingerprint, first_seen, last_seen, previous_keys"
        " FROM exchange_sender ORDER BY office").fetchall()
    return [Sender(o, e, w, f, a, b, json.loads(p)) for o, e, w, f, a, b, p in rows]


def check_sender(ws: Workspace, office: str, public_key: bytes, *, accept_new_key: bool = False) -> str:
    """'new', 'known' or 'changed' (only when accepted); raises SenderKeyChanged otherwise. Reads only.

    An office code is spoken for by one key, and never by a bundle to the workspace that owns it: a bundle
    claiming this workspace's own office is refused (OwnOfficeClaim), and so is a key already known
    for another office (KeyOfAnotherOffice) or this workspace's own key."""
    if office == ws.office:
        raise OwnOfficeClaim(office)
    own = ws.connection.execute("SELECT sign_key FROM exchange_identity WHERE id = 1").fetchone()
    if own is not None and _public_of(bytes(own[0])) == public_key:
        raise KeyOfAnotherOffice(office, ws.office)
    other = ws.connection.execute("SELECT office FROM exchange_sender WHERE public_key = ? AND office != ?",
                                  (public_key, office)).fetchone()
    if other is not None:
        raise KeyOfAnotherOffice(office, other[0])
    row = ws.connection.execute("SELECT public_key, fingerprint FROM exchange_sender WHERE office = ?",
                                (office,)).fetchone()
    if row is None:
        return "new"
    if bytes(row[0]) == public_key:
        return "known"
    if not accept_new_key:
        raise SenderKeyChanged(office, row[1], fingerprint(public_key))
    return "changed"


def remember_sender(ws: Workspace, office: str, entity: str, workspace_id: str, public_key: bytes) -> None:
    """Record the key (inside the caller's transaction). Call only after check_sender allowed it."""
    now = utc_now()
    fp = fingerprint(public_key)
    conn = ws.connection
    row = conn.execute("SELECT public_key, fingerprint, previous_keys FROM exchange_sender WHERE office = ?",
                       (office,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO exchange_sender (office, entity, workspace_id, public_key, fingerprint, first_seen,"
                     " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)", (office, entity, workspace_id, public_key, fp, now, now))
        ws.audit.append(ws.actor, "sender-trusted", "sender", office, None, fp)
    elif bytes(row[0]) == public_key:
        conn.execute("UPDATE exchange_sender SET last_seen = ?, entity = ?, workspace_id = ? WHERE office = ?",
                     (now, entity, workspace_id, office))
    else:
        previous = json.loads(row[2]) + [{"fingerprint": row[1], "until": now}]
        conn.execute("UPDATE exchange_sender SET public_key = ?, fingerprint = ?, last_seen = ?, entity = ?,"
                     " workspace_id = ?, previous_keys = ? WHERE office = ?",
                     (public_key, fp, now, entity, workspace_id, json.dumps(previous), office))
        ws.audit.append(ws.actor, "sender-key-changed", "sender", office, row[1], fp)


def forget_sender(ws: Workspace, office: str) -> None:
    with ws.transaction() as conn:
        conn.execute("DELETE FROM exchange_sender WHERE office = ?", (office,))
        ws.audit.append(ws.actor, "sender-forgotten", "sender", office, None, None)


def _public_of(private_raw: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop.exchange.keys import raw_public

    return raw_public(Ed25519PrivateKey.from_private_bytes(private_raw))
