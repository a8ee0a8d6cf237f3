-- Similar-case candidates at scale (issue 13, bench/assist.ts): the newest decided records matching the
-- facts' words, and the newest of the same violation, each read in decided order and stopped at the cap,
-- so the work no longer grows with the number of matching records (the old OR query sorted them all).
-- The tokens are not carried in the index: a b-tree entry holds at most ~2.7 kB, and the tsvector of a
-- long statement of facts (5,000 characters allowed) is larger, so every such decision would fail.
CREATE INDEX case_discretion_decided ON case_discretion (decided_on DESC, case_id)
  INCLUDE (agency_id, violation_code, level, amount) WHERE decided_on IS NOT NULL;
CREATE INDEX case_discretion_violation_decided ON case_discretion (violation_code, decided_on DESC, case_id) WHERE decided_on IS NOT NULL;
