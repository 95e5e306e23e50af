-- Foundation: workspace settings, the audit chain and the history of superseded versions.
-- Every record table of later migrations carries the identity columns:
--   id TEXT PRIMARY KEY (random UUID), office TEXT NOT NULL, rev TEXT NOT NULL (hybrid logical clock
--   + workspace id), base_rev TEXT (the revision this version was made from), deleted INTEGER (tombstone).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    old_rev   TEXT,
    new_rev   TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_record ON audit (record_id);

-- Versions that are no longer current: replaced by an edit, or lost a merge conflict. Kept so that
-- nothing a focal point typed is ever silently dropped, and so that a version can be restored.
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rev       TEXT NOT NULL,
    base_rev  TEXT,
    office    TEXT NOT NULL,
    deleted   INTEGER NOT NULL,
    data      TEXT NOT NULL,
    reason    TEXT NOT NULL,   -- 'edited' | 'deleted' | 'conflict-lost' | 'restored-over'
    at        TEXT NOT NULL
);
CREATE UNIQUE INDEX history_version ON history (kind, record_id, rev);

-- Offices known to this workspace (its own, and those merged in by a coordinator).
CREATE TABLE office (
    id       TEXT PRIMARY KEY,
    office   TEXT NOT NULL,
    rev      TEXT NOT NULL,
    base_rev TEXT,
    deleted  INTEGER NOT NULL DEFAULT 0,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    country  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX office_code ON office (code);
