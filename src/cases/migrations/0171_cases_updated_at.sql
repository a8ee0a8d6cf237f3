-- The full alert recomputation (issue 12) walks the cases table in physical order and then re-reads the
-- cases changed while it ran (updated_at at or after its start): this index finds those few without a scan.
CREATE INDEX cases_updated_at ON cases (updated_at);
