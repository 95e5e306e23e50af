-- SEA risk assessments (desktop/risk/). Every table carries the identity columns of 0001.
-- Texts a user sees in several languages are JSON objects {"ar": ..., "zh": ..., "en": ...}.

-- Coordinator's edits to the factor library. The shipped defaults live in desktop/risk/data/
-- factors.json; a row here with the same code replaces a default, a new code adds a factor,
-- retired = 1 takes it out of new assessments (past assessments keep their own copy).
CREATE TABLE risk_factor (
    id       TEXT PRIMARY KEY,
    office   TEXT NOT NULL,
    rev      TEXT NOT NULL,
    base_rev TEXT,
    deleted  INTEGER NOT NULL DEFAULT 0,
    code     TEXT NOT NULL,
    category TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    texts    TEXT NOT NULL,
    retired  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX risk_factor_code ON risk_factor (code);

-- One assessment of an operation, programme or site for a period, with its context.
CREATE TABLE risk_assessment (
    id               TEXT PRIMARY KEY,
    office           TEXT NOT NULL,
    rev              TEXT NOT NULL,
    base_rev         TEXT,
    deleted          INTEGER NOT NULL DEFAULT 0,
    subject_kind     TEXT NOT NULL,          -- operation | programme | site
    subject          TEXT NOT NULL,
    location         TEXT NOT NULL DEFAULT '',
    period_start     TEXT,                   -- ISO dates
    period_end       TEXT,
    programme_kind   TEXT NOT NULL DEFAULT '',
    beneficiaries    TEXT NOT NULL DEFAULT '',
    partners_present TEXT NOT NULL DEFAULT '',
    distributions    TEXT NOT NULL DEFAULT 'none',  -- none | cash | goods | cash_goods
    iasc_level       TEXT NOT NULL DEFAULT '',      -- '' | very_low | low | medium | high | very_high
    assessed_by      TEXT NOT NULL DEFAULT '',
    assessed_on      TEXT NOT NULL,
    previous_id      TEXT,                   -- the assessment this one started from
    notes            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_assessment_on ON risk_assessment (assessed_on);

-- A factor as rated in one assessment: the factor's texts are copied so that later library edits
-- never change what a past assessment said.
CREATE TABLE risk_rating (
    id            TEXT PRIMARY KEY,
    office        TEXT NOT NULL,
    rev           TEXT NOT NULL,
    base_rev      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0,
    assessment_id TEXT NOT NULL,
    factor_code   TEXT NOT NULL,
    category      TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    texts         TEXT NOT NULL,
    likelihood    INTEGER NOT NULL,
    impact        INTEGER NOT NULL,
    notes         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_rating_assessment ON risk_rating (assessment_id);

-- Mitigation measures of one rated risk.
CREATE TABLE risk_measure (
    id            TEXT PRIMARY KEY,
    office        TEXT NOT NULL,
    rev           TEXT NOT NULL,
    base_rev      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0,
    assessment_id TEXT NOT NULL,
    rating_id     TEXT NOT NULL,
    action        TEXT NOT NULL,
    owner         TEXT NOT NULL DEFAULT '',
    due_on        TEXT,
    status        TEXT NOT NULL DEFAULT 'planned',  -- planned | in_progress | done | dropped
    evidence      TEXT NOT NULL DEFAULT '',
    done_on       TEXT
);
CREATE INDEX risk_measure_assessment ON risk_measure (assessment_id);

-- Follow-up visits and the re-ratings made in them.
CREATE TABLE risk_visit (
    id            TEXT PRIMARY KEY,
    office        TEXT NOT NULL,
    rev           TEXT NOT NULL,
    base_rev      TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0,
    assessment_id TEXT NOT NULL,
    visited_on    TEXT NOT NULL,
    visited_by    TEXT NOT NULL DEFAULT '',
    findings      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_visit_assessment ON risk_visit (assessment_id);

CREATE TABLE risk_rerating (
    id         TEXT PRIMARY KEY,
    office     TEXT NOT NULL,
    rev        TEXT NOT NULL,
    base_rev   TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0,
    visit_id   TEXT NOT NULL,
    rating_id  TEXT NOT NULL,
    likelihood INTEGER NOT NULL,
    impact     INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_rerating_visit ON risk_rerating (visit_id);
CREATE INDEX risk_rerating_rating ON risk_rerating (rating_id);
