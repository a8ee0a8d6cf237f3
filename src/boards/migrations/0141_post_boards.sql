-- 岗位信息公示牌 (R-P10), one per service window: every version kept; drafted by the agency's
-- administrator, submitted for review, published by its head with the responsible person (R-P01);
-- the published content's digest is committed to the ledger. Published versions are never edited.
CREATE TABLE post_boards (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  window_code     text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  status          text NOT NULL CHECK (status IN ('draft', 'review', 'published', 'superseded')),
  fields          jsonb NOT NULL,
  drafted_by      uuid,
  submitted_by    uuid,
  published_by    uuid,
  responsible     text,
  published_on    date,
  content_sha256  text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, window_code, version)
);
CREATE INDEX post_boards_public ON post_boards (status, agency_id);
