-- Passing records upward (design.md, "The reporting chain"): a coordinator keeps the signed payload of
-- every bundle it merged, exactly as the office signed it, so that it can relay the offices' records to
-- headquarters with each office's own signature (headquarters checks the office, not the coordinator's
-- word). Inside the encrypted workspace like everything else.
CREATE TABLE exchange_received (
    payload_digest TEXT PRIMARY KEY,        -- SHA-256 of the signed payload (manifest | signature | content)
    office         TEXT NOT NULL,
    workspace_id   TEXT NOT NULL,
    audit_count    INTEGER NOT NULL,        -- the sender's audit position when it exported: orders its bundles
    full           INTEGER NOT NULL,        -- 1: all of the office's records (not "since"): supersedes earlier ones
    exported_at    TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    payload        BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX exchange_received_office ON exchange_received (office, workspace_id, audit_count);

-- Which received payloads were relayed to which recipient (for "only what is new since the last relay").
CREATE TABLE exchange_relayed (
    recipient      TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    at             TEXT NOT NULL,
    PRIMARY KEY (recipient, payload_digest)
) WITHOUT ROWID;

-- The import history names the signed payload (so the same office bundle relayed later is known) and,
-- for a relayed one, the coordinator that relayed it.
ALTER TABLE exchange_import ADD COLUMN payload_digest TEXT;
ALTER TABLE exchange_import ADD COLUMN via TEXT;
CREATE INDEX exchange_import_payload ON exchange_import (payload_digest);
