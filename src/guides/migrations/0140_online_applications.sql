-- 网上受理 (R-P07, R-I04): an application made online from a published service guide. It becomes a
-- licensing case at once (case_id); the applicant follows it by tracking number plus the last four digits
-- of the phone given, so numbers cannot be enumerated. Materials are evidence-store hashes, attached to
-- the agency (R-R06: read through the case only).
CREATE TABLE online_applications (
  id               uuid PRIMARY KEY,
  tracking_number  text NOT NULL UNIQUE CHECK (tracking_number ~ '^SQ[0-9]{8}[0-9A-HJKMNP-TV-Z]{8}$'),
  guide_id         uuid NOT NULL REFERENCES service_guides(id),
  agency_id        uuid NOT NULL REFERENCES agencies(id),
  case_id          uuid NOT NULL UNIQUE,
  applicant_type   text NOT NULL CHECK (applicant_type IN ('citizen', 'organisation')),
  applicant_name   text NOT NULL,
  id_number        text NOT NULL,
  phone            text NOT NULL,
  materials        jsonb NOT NULL,
  submitted_on     date NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX online_applications_agency ON online_applications (agency_id, submitted_on);
