-- R-L03: a reviewer shared from another unit's roster (a justice bureau's legal adviser) serves on the
-- submissions the handling agency assigns to them. The assignment is what lets them read that case and
-- give its opinion, and nothing else of the agency (src/cases/access.ts). Append-only like the reviews.
CREATE TABLE legal_review_assignments (
  review_id   uuid PRIMARY KEY REFERENCES legal_reviews(id),
  case_id     uuid NOT NULL REFERENCES cases(id),
  roster_id   uuid NOT NULL REFERENCES reviewers(id),
  assigned_by uuid,
  event_id    bigint NOT NULL REFERENCES events(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legal_review_assignments_case ON legal_review_assignments (case_id, roster_id);
CREATE TRIGGER legal_review_assignments_append_only BEFORE UPDATE OR DELETE ON legal_review_assignments FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER legal_review_assignments_no_truncate BEFORE TRUNCATE ON legal_review_assignments FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
