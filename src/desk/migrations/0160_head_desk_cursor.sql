-- Issue 9, the head's desk: the open cases of an agency standing where a step needing the head's
-- approval may come next are read per cursor, newest first (src/cases/work.ts headApprovalCases),
-- from this index alone, instead of the agency's 200 newest open cases.
CREATE INDEX cases_open_cursor ON cases (agency_id, cursor, created_at DESC) INCLUDE (id) WHERE status = 'open';
