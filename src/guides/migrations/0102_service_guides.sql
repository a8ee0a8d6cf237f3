-- 服务指南 (R-P07) for licensing matters: every version drafted and published by the agency's head
-- (R-P01); a guide missing an R-P07 field cannot be published. Published versions are never edited.
CREATE TABLE service_guides (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  matter_code     text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  status          text NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
  fields          jsonb NOT NULL,
  drafted_by      uuid,
  published_by    uuid,
  responsible     text,
  published_on    date,
  content_sha256  text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, matter_code, version)
);
CREATE INDEX service_guides_public ON service_guides (status, agency_id);
