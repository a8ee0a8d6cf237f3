-- Issue 9, the desks (/api/v1/me/work): each person's items are found through these, never by scanning
-- an agency's cases (bench/desk.ts: an officer of an agency with 100,000 cases).
CREATE INDEX cases_created_by_open ON cases (created_by, next_deadline) WHERE status = 'open';
CREATE INDEX case_documents_drafts_by ON case_documents (created_by, created_at) WHERE status = 'draft';
CREATE INDEX case_records_created_by ON case_records (created_by, created_at) WHERE step_seq IS NULL;
CREATE INDEX legal_reviews_submitted_by ON legal_reviews (submitted_by);
