-- Training rosters (issue 3): personnel, courses, completions. Record tables with the identity
-- columns of 0001. Indexes are partial on deleted = 0 so that they cover exactly the current data
-- the figures read, and covering so that the figures never decrypt the wide rows.

CREATE TABLE roster_person (
    id           TEXT PRIMARY KEY,
    office       TEXT NOT NULL,
    rev          TEXT NOT NULL,
    base_rev     TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL,            -- staff | consultant | contractor | intern | volunteer | related | partner
    duty_office  TEXT NOT NULL DEFAULT '', -- office code (KEN-NBO) or a duty station as imported
    unit         TEXT NOT NULL DEFAULT '',
    index_number TEXT,                     -- identity key 1 (HR index / personnel number)
    email        TEXT,                     -- identity key 2, stored lower-case
    start_date   TEXT,                     -- ISO date or NULL
    end_date     TEXT                      -- ISO date or NULL (still active)
);
CREATE INDEX roster_person_index_number ON roster_person (index_number) WHERE deleted = 0 AND index_number IS NOT NULL;
CREATE INDEX roster_person_email ON roster_person (email) WHERE deleted = 0 AND email IS NOT NULL;
CREATE INDEX roster_person_figures ON roster_person (category, duty_office, start_date, end_date, id) WHERE deleted = 0;

CREATE TABLE roster_course (
    id              TEXT PRIMARY KEY,
    office          TEXT NOT NULL,
    rev             TEXT NOT NULL,
    base_rev        TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    code            TEXT NOT NULL,          -- elearning | induction | refresher | predeployment | managers | classroom | custom code
    name            TEXT NOT NULL,          -- English name of a custom course; seeded courses are named by code at display
    kind            TEXT NOT NULL,          -- same vocabulary as code; induction/refresher count for the letter
    validity_months INTEGER NOT NULL DEFAULT 36
);

CREATE TABLE roster_completion (
    id           TEXT PRIMARY KEY,
    office       TEXT NOT NULL,
    rev          TEXT NOT NULL,
    base_rev     TEXT,
    deleted      INTEGER NOT NULL DEFAULT 0,
    person_id    TEXT NOT NULL,
    course_id    TEXT NOT NULL,
    completed_on TEXT NOT NULL,            -- ISO date
    source       TEXT NOT NULL DEFAULT '', -- import file name, 'classroom', 'manual'
    certificate  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roster_completion_person ON roster_completion (person_id, course_id, completed_on) WHERE deleted = 0;
CREATE INDEX roster_completion_course ON roster_completion (course_id, completed_on, person_id) WHERE deleted = 0;
