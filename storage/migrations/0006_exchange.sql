-- Export bundles and regional merge (desktop/exchange). None of these are record tables: they describe
-- this workspace's exchanges with others and never travel in a bundle themselves.

-- This workspace's own keys: Ed25519 signs the bundles it exports, X25519 lets a coordinator receive
-- bundles wrapped to its public key. Private keys live here, inside the encrypted file, and nowhere else.
CREATE TABLE exchange_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    sign_key    BLOB NOT NULL,   -- Ed25519 private key, raw 32 bytes
    box_key     BLOB NOT NULL,   -- X25519 private key, raw 32 bytes
    created_at  TEXT NOT NULL
);

-- Offices whose bundles were imported: their signing key, trusted on first use. A different key for a
-- known office is refused unless the user confirms it (after checking the fingerprint by phone).
CREATE TABLE exchange_sender (
    office        TEXT PRIMARY KEY,
    entity        TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    public_key    BLOB NOT NULL,
    fingerprint   TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    previous_keys TEXT NOT NULL DEFAULT '[]'   -- JSON list of {fingerprint, until} replaced by a confirmed change
) WITHOUT ROWID;

-- Every bundle merged: when, which file (name + SHA-256), which office, which key, and the counts.
-- (A refused bundle is not recorded: refusing must leave the workspace byte-for-byte unchanged.)
CREATE TABLE exchange_import (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_digest   TEXT NOT NULL,
    office        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    exported_at   TEXT NOT NULL,
    inserted      INTEGER NOT NULL,
    updated       INTEGER NOT NULL,
    unchanged     INTEGER NOT NULL,
    conflicts     INTEGER NOT NULL,
    history_added INTEGER NOT NULL
);
CREATE INDEX exchange_import_digest ON exchange_import (file_digest);

-- Conflicts found by merges, for review: the winner is current, the loser is in `history`.
CREATE TABLE exchange_conflict (
    seq         INTEGER PRIMARY KEY,
    import_seq  INTEGER,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    winner_rev  TEXT NOT NULL,
    loser_rev   TEXT NOT NULL,
    at          TEXT NOT NULL,
    resolved_at TEXT,
    resolution  TEXT             -- 'kept' | 'restored'
);
CREATE INDEX exchange_conflict_open ON exchange_conflict (resolved_at);

-- What was last exported to each recipient: the audit position, so "changes since" also covers merges.
CREATE TABLE exchange_export_mark (
    recipient   TEXT PRIMARY KEY,
    audit_seq   INTEGER NOT NULL,
    at          TEXT NOT NULL,
    file_digest TEXT NOT NULL
) WITHOUT ROWID;
