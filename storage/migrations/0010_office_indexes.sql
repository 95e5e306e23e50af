-- A coordinator's and headquarters' views read one office's records at a time (desktop/exchange/region.py,
-- office_scope): without an index on the office column each office costs a scan of the whole table, and
-- 40 offices 40 scans (measured: 69 s for 40 offices and 200,000 records). Offices' rows arrive clustered
-- (one bundle = one office), so keeping these indexes costs little on import and merge.
CREATE INDEX office_by_office ON office (office);
CREATE INDEX allegation_count_by_office ON allegation_count (office);
CREATE INDEX letter_by_office ON letter (office);
CREATE INDEX partner_by_office ON partner (office);
CREATE INDEX partner_agreement_by_office ON partner_agreement (office);
CREATE INDEX partner_ruleset_by_office ON partner_ruleset (office);
CREATE INDEX partner_assessment_by_office ON partner_assessment (office);
CREATE INDEX partner_answer_by_office ON partner_answer (office);
CREATE INDEX partner_attachment_by_office ON partner_attachment (office);
CREATE INDEX partner_action_by_office ON partner_action (office);
CREATE INDEX partner_trigger_by_office ON partner_trigger (office);
CREATE INDEX risk_factor_by_office ON risk_factor (office);
CREATE INDEX risk_assessment_by_office ON risk_assessment (office);
CREATE INDEX risk_rating_by_office ON risk_rating (office);
CREATE INDEX risk_measure_by_office ON risk_measure (office);
CREATE INDEX risk_visit_by_office ON risk_visit (office);
CREATE INDEX risk_rerating_by_office ON risk_rerating (office);
CREATE INDEX roster_person_by_office ON roster_person (office);
CREATE INDEX roster_course_by_office ON roster_course (office);
CREATE INDEX roster_completion_by_office ON roster_completion (office);
CREATE INDEX roster_course_setting_by_office ON roster_course_setting (office);
