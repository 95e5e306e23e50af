-- Issue "Figures that hold at every level":
-- 1. Reference data belongs to no office. The six courses every workspace starts with used to be
--    records of the office that seeded them; at a coordinator the first office merged owned them and
--    the per-office figures of every other office lost their completions. They are now reference
--    rows: office '' (no office), one fixed revision, the same bytes in every workspace, never
--    exported and never accepted from a bundle. An office's own choice of kind or validity for a
--    reference course is its own record in roster_course_setting (one per office and course, with
--    an id derived from both, so the office and its coordinator agree on it).
-- 2. Roles: a workspace is an office, a regional coordinator or the entity's headquarters.
-- 3. Names in parts: family and given names as imported, beside the full name shown.

CREATE TABLE roster_course_setting (
    id              TEXT PRIMARY KEY,
    office          TEXT NOT NULL,
    rev             TEXT NOT NULL,
    base_rev        TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    course_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,          -- induction | refresher | other_psea | not_psea | unclassified
    validity_months INTEGER NOT NULL
);
CREATE INDEX roster_course_setting_course ON roster_course_setting (course_id, office) WHERE deleted = 0;

-- An office's edit of a seeded course (only the validity could be edited) becomes its setting. The
-- revision is the edit's own, so the office's workspace and a coordinator holding the same version
-- produce the same setting record.
INSERT OR IGNORE INTO roster_course_setting (id, office, rev, base_rev, deleted, course_id, kind, validity_months)
SELECT psea_uuid5('3f1b6a70-2c55-4d8e-9d43-0b7e5c1a9f21', office || '/' || id), office, rev, NULL, 0, id,
       CASE id WHEN 'a7e77f85-c9e4-5e4c-9b10-4ba94fa5bcf7' THEN 'induction'
               WHEN 'b85e9911-3ffc-5a8d-a9c1-c2b9bac17b6e' THEN 'induction'
               WHEN '859e9c6b-b113-5f09-b783-3c123a423876' THEN 'refresher'
               WHEN '7880001c-03b3-55da-9af2-0e77d3887c44' THEN 'induction'
               ELSE 'other_psea' END,
       validity_months
  FROM roster_course
 WHERE deleted = 0 AND office != '' AND validity_months != 36
   AND id IN ('a7e77f85-c9e4-5e4c-9b10-4ba94fa5bcf7', 'b85e9911-3ffc-5a8d-a9c1-c2b9bac17b6e',
              '859e9c6b-b113-5f09-b783-3c123a423876', 'f962daeb-3661-5299-ab09-a28f03d7ebff',
              '7880001c-03b3-55da-9af2-0e77d3887c44', '897ae7a8-5bf6-50d3-ba47-c3c0f873e782');

DELETE FROM roster_course
 WHERE id IN ('a7e77f85-c9e4-5e4c-9b10-4ba94fa5bcf7', 'b85e9911-3ffc-5a8d-a9c1-c2b9bac17b6e',
              '859e9c6b-b113-5f09-b783-3c123a423876', 'f962daeb-3661-5299-ab09-a28f03d7ebff',
              '7880001c-03b3-55da-9af2-0e77d3887c44', '897ae7a8-5bf6-50d3-ba47-c3c0f873e782');

INSERT INTO roster_course (id, office, rev, base_rev, deleted, code, name, kind, validity_months) VALUES
  ('a7e77f85-c9e4-5e4c-9b10-4ba94fa5bcf7', '', '0000000000000-00000-reference', NULL, 0, 'elearning', 'PSEA e-learning', 'induction', 36),
  ('b85e9911-3ffc-5a8d-a9c1-c2b9bac17b6e', '', '0000000000000-00000-reference', NULL, 0, 'induction', 'Induction', 'induction', 36),
  ('859e9c6b-b113-5f09-b783-3c123a423876', '', '0000000000000-00000-reference', NULL, 0, 'refresher', 'Refresher', 'refresher', 36),
  ('f962daeb-3661-5299-ab09-a28f03d7ebff', '', '0000000000000-00000-reference', NULL, 0, 'predeployment', 'Pre-deployment', 'other_psea', 36),
  ('7880001c-03b3-55da-9af2-0e77d3887c44', '', '0000000000000-00000-reference', NULL, 0, 'managers', 'Managers'' module', 'induction', 36),
  ('897ae7a8-5bf6-50d3-ba47-c3c0f873e782', '', '0000000000000-00000-reference', NULL, 0, 'classroom', 'Classroom session', 'other_psea', 36);

-- Workspaces made before roles existed were all country offices.
INSERT OR IGNORE INTO meta (key, value) SELECT 'role', 'office' WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'format');

ALTER TABLE roster_person ADD COLUMN family_name TEXT;   -- NULL: not given as a part (older records, manual entry)
ALTER TABLE roster_person ADD COLUMN given_names TEXT;
