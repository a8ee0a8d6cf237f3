-- 统计年报 (R-P16): a report for a year and an agency or a jurisdiction (region prefix), drafted from the
-- data, checked and published by the head with its narrative. Published figures are frozen here and
-- committed to the ledger; a redraft before publication recomputes them.
CREATE TABLE annual_reports (
  id              uuid PRIMARY KEY,
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  agency_id       uuid REFERENCES agencies(id),
  region          text NOT NULL CHECK (region ~ '^[0-9]{2,6}$'),
  owner_agency_id uuid NOT NULL REFERENCES agencies(id),   -- who publishes: the agency, or the bureau of the jurisdiction
  status          text NOT NULL CHECK (status IN ('draft', 'published')),
  figures         jsonb NOT NULL,
  narrative       text NOT NULL DEFAULT '',
  drafted_by      uuid,
  published_by    uuid,
  published_on    date,
  content_sha256  text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX annual_reports_one_published ON annual_reports (year, coalesce(agency_id::text, region)) WHERE status = 'published';
CREATE INDEX annual_reports_public ON annual_reports (status, year, agency_id);
