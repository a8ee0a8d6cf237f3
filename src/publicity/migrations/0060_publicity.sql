-- Publicity of decisions (issue 8, R-P11 … R-P14, R-P17): publication rule sets as data, publications
-- (draft → published → withdrawn / expired, new versions pointing at the old), remedies, correction
-- requests from the public. The decision text with personal data stays in `source_text` (staff only);
-- everything public is read from `public_text` and the summary, through one projection (public.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Versioned per-agency rule sets (append-only); the built-in default lives in code (rules.ts).
CREATE TABLE publication_rule_sets (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  version         integer NOT NULL CHECK (version >= 1),
  effective_from  date NOT NULL,
  rules           jsonb NOT NULL,
  note            text NOT NULL DEFAULT '',
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, version)
);
CREATE TRIGGER publication_rule_sets_append_only BEFORE UPDATE OR DELETE ON publication_rule_sets FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE publications (
  id                uuid PRIMARY KEY,
  agency_id         uuid NOT NULL REFERENCES agencies(id),
  case_id           uuid REFERENCES cases(id),
  kind              text NOT NULL CHECK (kind IN ('penalty', 'licensing', 'coercion', 'inspection', 'other')),
  status            text NOT NULL CHECK (status IN ('draft', 'excluded', 'published', 'withdrawn', 'superseded', 'expired')),
  version           integer NOT NULL DEFAULT 1,
  previous_id       uuid REFERENCES publications(id),
  document_number   text NOT NULL DEFAULT '',
  title             text NOT NULL DEFAULT '',
  party_display     text NOT NULL DEFAULT '',     -- already redacted (surname + 某某 for a natural person)
  party_type        text NOT NULL DEFAULT 'organisation',
  decided_on        date NOT NULL,
  deadline          date,                          -- publish by (working days on the calendar, R-P11)
  publicity_months  integer,                       -- 公示期限
  public_until      date,
  rule_set_id       uuid,                          -- null: the built-in default
  rule_set_version  integer NOT NULL,              -- which version decided (0 = built-in default)
  rule_key          text NOT NULL DEFAULT '',
  exclusion         text,                          -- why not published (excluded)
  source_text       text NOT NULL DEFAULT '',      -- the decision as served: personal data, staff only
  summary           jsonb NOT NULL DEFAULT '{}',   -- redacted summary (文号, 当事人, 违法行为类型, 处罚内容, 机关, 日期)
  exchange          jsonb NOT NULL DEFAULT '{}',   -- 双公示 fields (amounts, kinds, validity), no personal data
  redactions        jsonb NOT NULL DEFAULT '[]',   -- [{start, end, rule, label, by}] over source_text
  public_text       text,                          -- the exact published text
  content_sha256    text CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  search            tsvector,
  search_text       text NOT NULL DEFAULT '',
  confirmed_by      uuid,
  confirmed_at      timestamptz,
  published_on      date,
  withdrawn_on      date,
  withdrawal_reason text,
  withdrawal_basis  text,
  expired_on        date,
  expiry_reason     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publications_agency_status ON publications (agency_id, status, deadline);
CREATE INDEX publications_public ON publications (published_on DESC, id DESC) WHERE status IN ('published', 'withdrawn');
CREATE INDEX publications_updated ON publications (updated_at, id);
CREATE INDEX publications_case ON publications (case_id);
CREATE INDEX publications_search ON publications USING gin (search);
CREATE INDEX publications_trgm ON publications USING gin (search_text gin_trgm_ops);

-- 行政复议 / 行政诉讼 and their outcome (R-P12).
CREATE TABLE publication_remedies (
  id              uuid PRIMARY KEY,
  publication_id  uuid NOT NULL REFERENCES publications(id),
  kind            text NOT NULL CHECK (kind IN ('reconsideration', 'litigation')),
  outcome         text NOT NULL CHECK (outcome IN ('upheld', 'changed', 'revoked', 'annulled', 'confirmed_illegal', 'dismissed')),
  decided_on      date NOT NULL,
  withdraw_by     date,
  body            text NOT NULL,                  -- 复议机关 / 法院
  note            text NOT NULL DEFAULT '',
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER publication_remedies_append_only BEFORE UPDATE OR DELETE ON publication_remedies FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- 更正 requests from the public (R-P13). The contact is personal data: staff of the agency only.
CREATE TABLE publication_corrections (
  id               uuid PRIMARY KEY,
  tracking_number  text NOT NULL UNIQUE,
  publication_id   uuid NOT NULL REFERENCES publications(id),
  agency_id        uuid NOT NULL REFERENCES agencies(id),
  contact          text NOT NULL,
  request_text     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'corrected', 'refused')),
  due_on           date NOT NULL,
  answer           text,
  answered_on      date,
  new_publication_id uuid REFERENCES publications(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publication_corrections_agency ON publication_corrections (agency_id, status, due_on);
-- Exports read one kind in publication order, in keyset batches.
CREATE INDEX publications_public_kind ON publications (kind, published_on, id) WHERE status IN ('published', 'withdrawn');
