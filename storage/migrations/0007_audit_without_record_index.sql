-- The audit log is read in order (seq) by the window, the integrity check and incremental export;
-- nothing looks entries up by record id on a hot path. The index on record_id (random UUIDs) cost
-- 70% of the time of writing audit entries in bulk (200,000 entries: 2.5 s with it, 0.8 s without),
-- so it goes. AuditLog.entries(record_id=...) still works, by scanning.
DROP INDEX IF EXISTS audit_record;
