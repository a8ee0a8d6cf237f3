-- 案卷评查 (R-R07, 条例第18条): a plan draws a reproducible random sample per agency (seed kept) from the
-- cases of a period, assigns each file to a reviewing agency that is never the file's own, pre-fills
-- what the data can tell (automatic checks) and keeps the score and grade under the standard version.
CREATE TABLE review_plans (
  id                uuid PRIMARY KEY,
  bureau_id         uuid NOT NULL REFERENCES agencies(id),
  region_code       text NOT NULL,                  -- the jurisdiction prefix the plan covers
  title             text NOT NULL,
  standard_code     text NOT NULL,
  standard_version  integer NOT NULL,
  period_from       date NOT NULL,
  period_to         date NOT NULL,
  procedures        text[] NOT NULL,
  sample_per_agency integer NOT NULL CHECK (sample_per_agency BETWEEN 1 AND 100),
  seed              text NOT NULL,
  created_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_plans_region ON review_plans (region_code text_pattern_ops, created_at DESC);

CREATE TABLE review_files (
  id                  uuid PRIMARY KEY,
  plan_id             uuid NOT NULL REFERENCES review_plans(id),
  case_id             uuid NOT NULL REFERENCES cases(id),
  agency_id           uuid NOT NULL REFERENCES agencies(id),
  region_code         text NOT NULL,
  reviewer_agency_id  uuid NOT NULL REFERENCES agencies(id),
  prefill             jsonb NOT NULL,
  status              text NOT NULL CHECK (status IN ('assigned', 'scored')),
  hits                jsonb,
  score               integer,
  grade               text CHECK (grade IN ('excellent', 'pass', 'fail')),
  correction_required boolean NOT NULL DEFAULT false,
  scored_by           uuid,
  scored_at           timestamptz,
  UNIQUE (plan_id, case_id),
  CHECK (reviewer_agency_id <> agency_id)
);
CREATE INDEX review_files_plan ON review_files (plan_id, agency_id);
CREATE INDEX review_files_reviewer ON review_files (reviewer_agency_id, status);
CREATE TRIGGER review_plans_no_delete BEFORE DELETE ON review_plans FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER review_files_no_delete BEFORE DELETE ON review_files FOR EACH ROW EXECUTE FUNCTION refuse_change();
