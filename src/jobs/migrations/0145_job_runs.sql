-- Daily jobs (publicity expiry, supervision recomputation): one row per job and day. The primary key is
-- the claim: of two processes only one inserts (or re-claims a failed or stale run), so a job never runs
-- twice for a day, and the last recorded day tells the scheduler which missed days to catch up.
CREATE TABLE job_runs (
  job          text NOT NULL,
  day          date NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  attempts     integer NOT NULL DEFAULT 1,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  result       jsonb,
  error        text,
  PRIMARY KEY (job, day)
);
