-- The annual management letter (docs/letter.md).
-- allegation_count and letter are record tables (identity columns first), written through ws.records.
-- letter_blob holds the bytes of a signed letter (its metadata row is the audited letter record).
-- signing_identity and trusted_certificate are local to this workspace and never travel in bundles:
-- a private key must not leave the encrypted file, and trust is each workspace's own decision.

-- Allegations, minimal by design: counts only, per year, category, status and the body they were
-- referred to. No names, no free text.
CREATE TABLE allegation_count (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    year INTEGER NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    referred_to TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX allegation_count_year ON allegation_count (year);

-- One letter per office, calendar year and language; a signed version is frozen and a change makes
-- a new version (a new row, `supersedes` the signed one).
CREATE TABLE letter (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    year INTEGER NOT NULL,
    language TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    supersedes TEXT,
    status TEXT NOT NULL DEFAULT 'draft',
    signatory_name TEXT NOT NULL DEFAULT '',
    signatory_title TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    period_start TEXT,
    period_end TEXT,
    sections TEXT NOT NULL DEFAULT '{}',
    checklist TEXT NOT NULL DEFAULT '{}',
    figures TEXT NOT NULL DEFAULT '{}',
    signed_at TEXT,
    signer TEXT NOT NULL DEFAULT '',
    cert_sha256 TEXT NOT NULL DEFAULT '',
    pdf_sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letter_year ON letter (year, language);

CREATE TABLE letter_blob (
    letter_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL
);

CREATE TABLE signing_identity (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    entity TEXT NOT NULL,
    cert_der BLOB NOT NULL,
    key_der BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE trusted_certificate (
    sha256 TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    der BLOB NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
