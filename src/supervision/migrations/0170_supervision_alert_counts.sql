-- Alert counters for the supervisor's cockpit (issue 12): how many alerts per agency, kind, status and
-- month raised, so the cockpit reads O(agencies × kinds × months) rows instead of scanning every alert of
-- the jurisdiction. Kept by statement-level triggers on supervision_alerts, i.e. in the same transaction
-- as every insert and status change, whoever writes. region_code is the alert's (the jurisdiction filter).
CREATE TABLE supervision_alert_counts (
  agency_id    uuid NOT NULL REFERENCES agencies(id),
  region_code  text NOT NULL,
  kind         text NOT NULL,
  status       text NOT NULL,
  month        date NOT NULL,                     -- first day of the month the alert was raised in
  n            integer NOT NULL,                  -- no CHECK (n >= 0): it would test the negative delta of an upsert before the conflict
  PRIMARY KEY (agency_id, kind, status, month, region_code)
);
CREATE INDEX supervision_alert_counts_region ON supervision_alert_counts (region_code text_pattern_ops);

-- Adds the signed deltas grouped by key, in key order (concurrent writers lock counter rows in the same order).
CREATE OR REPLACE FUNCTION supervision_alert_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO supervision_alert_counts AS c (agency_id, region_code, kind, status, month, n)
    SELECT agency_id, region_code, kind, status, date_trunc('month', raised_on)::date, count(*)::int
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 3, 4, 5, 2
    ON CONFLICT (agency_id, kind, status, month, region_code) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO supervision_alert_counts AS c (agency_id, region_code, kind, status, month, n)
    SELECT agency_id, region_code, kind, status, month, d::int FROM (
      SELECT agency_id, region_code, kind, status, month, sum(d) AS d FROM (
        SELECT agency_id, region_code, kind, status, date_trunc('month', raised_on)::date AS month, -1 AS d FROM old_rows
        UNION ALL
        SELECT agency_id, region_code, kind, status, date_trunc('month', raised_on)::date, 1 FROM new_rows
      ) x GROUP BY 1, 2, 3, 4, 5
    ) y WHERE d <> 0 ORDER BY 1, 3, 4, 5, 2
    ON CONFLICT (agency_id, kind, status, month, region_code) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER supervision_alert_counts_insert AFTER INSERT ON supervision_alerts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION supervision_alert_counts_apply();
CREATE TRIGGER supervision_alert_counts_update AFTER UPDATE ON supervision_alerts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION supervision_alert_counts_apply();

-- Backfill from the alerts already there.
INSERT INTO supervision_alert_counts (agency_id, region_code, kind, status, month, n)
SELECT agency_id, region_code, kind, status, date_trunc('month', raised_on)::date, count(*)::int FROM supervision_alerts GROUP BY 1, 2, 3, 4, 5;
