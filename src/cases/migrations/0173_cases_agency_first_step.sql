-- 零执法 (issue 12, R-R08) asks, per enforcement agency, whether it started any case in the rule's months
-- (the day of its first step). Without an index the full recomputation answered it by reading every case's
-- whole state: 19.5 s of a 1 M-case pass. With this one each agency is one index probe.
CREATE INDEX cases_agency_first_step ON cases (agency_id, ((state->'steps'->0->>'on')));
