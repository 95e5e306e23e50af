-- Issue "A window fit for the field": nothing typed is lost. What a form held when the workspace was
-- locked (by hand or after inactivity), closed, or when the program stopped, kept until it is saved or
-- discarded. Encrypted like the rest of the file; not a record: it is never exported, merged or audited,
-- and it belongs to this workspace only (desktop/drafts.py).
CREATE TABLE draft (
    form      TEXT NOT NULL,   -- which form: 'partner-assessment', 'letter', ...
    record_id TEXT NOT NULL,   -- the record the form edits
    saved_at  TEXT NOT NULL,   -- UTC, ISO 8601
    data      TEXT NOT NULL,   -- the form's unsaved fields, JSON
    PRIMARY KEY (form, record_id)
) WITHOUT ROWID;
