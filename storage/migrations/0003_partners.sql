-- Implementing partners and their PSEA capacity assessments (docs/partners.md).
-- Every table except partner_blob is a record table (identity columns first), written through
-- ws.records. partner_blob holds the bytes of attached files; its metadata row (partner_attachment)
-- is the audited record, the bytes stay inside the encrypted file.

CREATE TABLE partner (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    acronym TEXT NOT NULL DEFAULT '',
    partner_type TEXT NOT NULL DEFAULT 'other',
    country TEXT NOT NULL DEFAULT '',
    registration_id TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    beneficiary_contact INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE partner_agreement (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    partner_id TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    start_on TEXT,
    end_on TEXT
);
CREATE INDEX partner_agreement_partner ON partner_agreement (partner_id);

-- Rule sets a coordinator added or edited; the shipped ones live in desktop/partners/data/*.json.
CREATE TABLE partner_ruleset (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX partner_ruleset_key ON partner_ruleset (key);

CREATE TABLE partner_assessment (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    partner_id TEXT NOT NULL,
    ruleset_key TEXT NOT NULL,
    ruleset_version INTEGER NOT NULL,
    special_state TEXT NOT NULL DEFAULT '',
    source_agency TEXT NOT NULL DEFAULT '',  -- empty: our own assessment; else the agency that assessed
    step1_on TEXT, step1_by TEXT NOT NULL DEFAULT '',
    step2_on TEXT, step2_by TEXT NOT NULL DEFAULT '',
    step3_on TEXT, step3_by TEXT NOT NULL DEFAULT '',
    step4_on TEXT, step4_by TEXT NOT NULL DEFAULT '',
    step5_on TEXT, step5_by TEXT NOT NULL DEFAULT '',
    score INTEGER,                      -- computed when every standard is answered, else NULL
    band TEXT NOT NULL DEFAULT '',      -- key of the band (or special state) the result falls in
    signoff_note TEXT NOT NULL DEFAULT '',
    signoff_by TEXT NOT NULL DEFAULT '',
    signoff_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    ruleset_sha TEXT NOT NULL DEFAULT '',  -- SHA-256 of `ruleset`, so lists parse each distinct copy once
    ruleset TEXT NOT NULL                  -- the rule set as it was when the assessment started (JSON copy);
                                           -- last, so queries of the other columns do not read its overflow pages
);
CREATE INDEX partner_assessment_partner ON partner_assessment (partner_id);

CREATE TABLE partner_answer (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    assessment_id TEXT NOT NULL,
    standard_key TEXT NOT NULL,
    rating INTEGER,
    evidence TEXT NOT NULL DEFAULT '[]',  -- JSON list of evidence keys
    other_evidence TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partner_answer_assessment ON partner_answer (assessment_id);

CREATE TABLE partner_attachment (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    assessment_id TEXT NOT NULL,
    standard_key TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX partner_attachment_assessment ON partner_attachment (assessment_id);

-- The bytes of attachments, keyed by their SHA-256 (the same file attached twice is stored once).
CREATE TABLE partner_blob (
    sha256 TEXT PRIMARY KEY,
    data   BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE partner_action (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    partner_id TEXT NOT NULL,
    assessment_id TEXT NOT NULL DEFAULT '',
    standard_key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    priority TEXT NOT NULL DEFAULT 'medium',
    status TEXT NOT NULL DEFAULT 'open',
    completed_on TEXT,
    verified_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partner_action_partner ON partner_action (partner_id);

CREATE TABLE partner_trigger (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    partner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    noted_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    resolved_on TEXT
);
CREATE INDEX partner_trigger_partner ON partner_trigger (partner_id);
