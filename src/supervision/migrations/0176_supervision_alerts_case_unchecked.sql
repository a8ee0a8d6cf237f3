-- No foreign key from an alert to its case (issue 12, R-R08). PostgreSQL checks one by locking the referenced
-- row (FOR KEY SHARE), which writes that case's tuple: an all-new recomputation at a million cases rewrote
-- 113,350 case rows this way, and its WAL went from 401 MB without the key to 1,200 MB with it (measured on
-- the same database, docs/PERFORMANCE.md "w12"). The key added nothing the data does not already hold:
-- an alert is only ever inserted from its case's facts, read in the same transaction, and a case whose steps
-- raised one cannot be deleted (case_steps is append-only and refers to its case). The agency's key stays:
-- agencies are few rows.
ALTER TABLE supervision_alerts DROP CONSTRAINT supervision_alerts_case_id_fkey;
