-- Supervision matters (监督事项, issue 12, 《行政执法监督条例》第26–33条): opened from an alert, a
-- complaint, a 12345 lead, a case-file review finding or on the bureau's own initiative; the agency is
-- notified and explains; the bureau issues a 督办函, 监督意见书 or (via the government) 监督决定书 with its
-- 文号 and PDF; the agency reports its correction or objects; clocks per province (clocks.ts).
CREATE TABLE supervision_matters (
  id                uuid PRIMARY KEY,
  number            text NOT NULL UNIQUE,             -- 监督事项编号
  bureau_id         uuid NOT NULL REFERENCES agencies(id),
  agency_id         uuid NOT NULL REFERENCES agencies(id),   -- the supervised agency
  region_code       text NOT NULL,
  case_id           uuid REFERENCES cases(id),
  source            text NOT NULL CHECK (source IN ('alert', 'complaint', 'hotline', 'review', 'own')),
  source_id         uuid,
  mode              text NOT NULL CHECK (mode IN ('routine', 'key', 'special')),
  listed            boolean NOT NULL DEFAULT false,   -- 挂牌督办
  escalated         boolean NOT NULL DEFAULT false,   -- 提级监督
  title             text NOT NULL,
  facts             text NOT NULL,
  status            text NOT NULL CHECK (status IN ('notified', 'explained', 'instrument_issued', 'objected', 'corrected', 'closed')),
  instrument        text CHECK (instrument IN ('urging_letter', 'opinion', 'decision')),
  instrument_number text,
  opened_on         date NOT NULL,
  explanation_due   date,
  correction_due    date,
  objection_due     date,
  objection_extended boolean NOT NULL DEFAULT false,
  closed_on         date,
  conclusion        text,
  created_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_matters_region ON supervision_matters (region_code text_pattern_ops, opened_on DESC, id);
CREATE INDEX supervision_matters_agency ON supervision_matters (agency_id, status);
-- 第33条: one running matter per case.
CREATE UNIQUE INDEX supervision_matters_case_open ON supervision_matters (case_id) WHERE case_id IS NOT NULL AND status <> 'closed';
CREATE TRIGGER supervision_matters_no_delete BEFORE DELETE ON supervision_matters FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER supervision_matters_no_truncate BEFORE TRUNCATE ON supervision_matters FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- What happened to a matter, in order (append-only): each act with who, when, the text, and the
-- instrument's 文号 and PDF when one was issued.
CREATE TABLE supervision_matter_steps (
  matter_id    uuid NOT NULL REFERENCES supervision_matters(id),
  seq          integer NOT NULL CHECK (seq >= 1),
  action       text NOT NULL,
  on_date      date NOT NULL,
  actor_id     uuid,
  actor_name   text NOT NULL,
  text         text NOT NULL DEFAULT '',
  document_number text,
  pdf_sha256   text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  event_id     bigint NOT NULL REFERENCES events(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (matter_id, seq)
);
CREATE TRIGGER supervision_matter_steps_append_only BEFORE UPDATE OR DELETE ON supervision_matter_steps FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER supervision_matter_steps_no_truncate BEFORE TRUNCATE ON supervision_matter_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
