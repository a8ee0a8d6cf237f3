-- 执法事项清单 (R-P04, R-P01): every version of every matter of an agency, as drafted, reviewed and
-- published. A change of law or mandate is a new version with its reason; the version in force for a
-- code is the newest published one whose effective_from has come. Published versions are never edited.
CREATE TABLE enforcement_matter_versions (
  id               uuid PRIMARY KEY,
  agency_id        uuid NOT NULL REFERENCES agencies(id),
  code             text NOT NULL,
  version          integer NOT NULL CHECK (version >= 1),
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('许可', '处罚', '强制', '检查', '征收', '确认', '其他')),
  duty             text NOT NULL DEFAULT '',
  legal_basis      jsonb NOT NULL,                 -- [{law, article, paragraph?}]
  procedure_id     text,                           -- src/cases/procedures definition (its flowchart)
  remedies         jsonb NOT NULL DEFAULT '[]',    -- ["行政复议", "行政诉讼", …]
  level            text NOT NULL,
  effective_from   date NOT NULL,
  change_reason    text NOT NULL DEFAULT '',
  status           text NOT NULL CHECK (status IN ('draft', 'review', 'published', 'superseded')),
  drafted_by       uuid,
  submitted_by     uuid,
  published_by     uuid,
  responsible      text,                           -- 谁执法谁公示: the person named on publication
  published_on     date,
  content_sha256   text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, code, version)
);
CREATE INDEX enforcement_matter_versions_public ON enforcement_matter_versions (status, agency_id, code);
