-- Whole-process records (R-R01 … R-R06): text and AV records of the steps of a case, with the data
-- evidence rules ask for; append-only (a correction is a new record pointing at the one it corrects,
-- R-R05); every view, download and export logged; records given to outsiders only with an approval.

CREATE TABLE case_records (
  id                 uuid PRIMARY KEY,
  case_id            uuid NOT NULL REFERENCES cases(id),
  agency_id          uuid NOT NULL REFERENCES agencies(id),
  kind               text NOT NULL CHECK (kind IN ('text', 'video', 'audio', 'photo', 'electronic')),
  step               text NOT NULL,                      -- the step it records
  step_seq           integer,                            -- set when recorded for a step already done
  title              text NOT NULL,
  description        text NOT NULL,                      -- written description made to evidence standards (R-R05)
  content            text,                               -- a text record typed in
  blob_sha256        text REFERENCES blobs(sha256),      -- the file in the evidence store
  size               bigint,
  media_type         text,
  recorder_id        uuid,
  recorder_name      text NOT NULL,
  device_id          text,
  started_at         timestamptz NOT NULL,
  ended_at           timestamptz NOT NULL,
  place              text NOT NULL,
  officers_present   jsonb NOT NULL,
  custodian          text NOT NULL,                      -- named custodian (R-R05)
  corrects           uuid REFERENCES case_records(id),
  correction_reason  text,
  created_by         uuid,
  event_id           bigint NOT NULL REFERENCES events(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at >= started_at),
  CHECK (kind = 'text' OR blob_sha256 IS NOT NULL),
  CHECK (content IS NOT NULL OR blob_sha256 IS NOT NULL),
  CHECK ((corrects IS NULL) = (correction_reason IS NULL))
);
CREATE INDEX case_records_case ON case_records (case_id, created_at);
CREATE INDEX case_records_blob ON case_records (blob_sha256);
CREATE TRIGGER case_records_append_only BEFORE UPDATE OR DELETE ON case_records FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_records_no_truncate BEFORE TRUNCATE ON case_records FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Which step performance a record belongs to (a record is claimed once).
CREATE TABLE case_step_records (
  record_id  uuid PRIMARY KEY REFERENCES case_records(id),
  case_id    uuid NOT NULL,
  seq        integer NOT NULL,
  FOREIGN KEY (case_id, seq) REFERENCES case_steps (case_id, seq)
);
CREATE INDEX case_step_records_step ON case_step_records (case_id, seq);
CREATE TRIGGER case_step_records_append_only BEFORE UPDATE OR DELETE ON case_step_records FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_step_records_no_truncate BEFORE TRUNCATE ON case_step_records FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- R-R06: giving AV records to anyone outside (a court, another authority, a party's lawyer) needs an approval.
CREATE TABLE record_disclosures (
  id             uuid PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES cases(id),
  record_ids     uuid[] NOT NULL,
  recipient      text NOT NULL,
  purpose        text NOT NULL,
  requested_by   uuid,
  requester_name text NOT NULL,
  event_id       bigint NOT NULL REFERENCES events(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_disclosures_case ON record_disclosures (case_id);
CREATE TABLE record_disclosure_decisions (
  disclosure_id  uuid PRIMARY KEY REFERENCES record_disclosures(id),
  approved       boolean NOT NULL,
  decided_by     uuid NOT NULL,
  decider_name   text NOT NULL,
  decider_role   text NOT NULL,
  opinion        text NOT NULL,
  valid_until    date,
  event_id       bigint NOT NULL REFERENCES events(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER record_disclosures_append_only BEFORE UPDATE OR DELETE ON record_disclosures FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_disclosures_no_truncate BEFORE TRUNCATE ON record_disclosures FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_disclosure_decisions_append_only BEFORE UPDATE OR DELETE ON record_disclosure_decisions FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_disclosure_decisions_no_truncate BEFORE TRUNCATE ON record_disclosure_decisions FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Every view, download and export of a record (R-R06: access is supervised), shown on the case.
CREATE TABLE record_access_log (
  id             bigserial PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES cases(id),
  record_id      uuid NOT NULL REFERENCES case_records(id),
  action         text NOT NULL CHECK (action IN ('view', 'download', 'export')),
  user_id        uuid,
  username       text NOT NULL,
  role           text NOT NULL,
  reason         text NOT NULL,
  disclosure_id  uuid REFERENCES record_disclosures(id),
  request_id     text,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_access_log_case ON record_access_log (case_id, at DESC);
CREATE TRIGGER record_access_log_append_only BEFORE UPDATE OR DELETE ON record_access_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER record_access_log_no_truncate BEFORE TRUNCATE ON record_access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
