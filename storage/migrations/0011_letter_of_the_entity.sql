-- Issue "The entity's management letter, as the real one" (docs/letter.md).
-- A letter is either an office's assurance (scope 'office', signed by the head of office, travelling in
-- its bundles) or the entity's letter to the Secretary-General (scope 'entity', composed at
-- headquarters from every office's data, signed by the head of entity).
ALTER TABLE letter ADD COLUMN scope TEXT NOT NULL DEFAULT 'office';

-- What the signer attests, item by item (the statements no data can back), with who and when; one
-- record per office, year, scope and item; withdrawing it is a tombstone. Frozen with a signed letter.
CREATE TABLE letter_attestation (
    id TEXT PRIMARY KEY, office TEXT NOT NULL, rev TEXT NOT NULL, base_rev TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    year INTEGER NOT NULL,
    scope TEXT NOT NULL,
    item TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
CREATE INDEX letter_attestation_year ON letter_attestation (year, scope) WHERE deleted = 0;
CREATE INDEX letter_attestation_by_office ON letter_attestation (office);

-- Whether a cooperation agreement carries the clauses on sexual exploitation and abuse of the UN's
-- standard conditions (1 yes, 0 no, NULL not recorded: the letter's figure says so).
ALTER TABLE partner_agreement ADD COLUMN sea_clause INTEGER;

-- An office's name in each of the six languages (JSON {"ar": ..., "zh": ...}), for letters and reports.
ALTER TABLE office ADD COLUMN names TEXT;
