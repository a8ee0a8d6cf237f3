-- Cases (issue 4, DESIGN §2): one row per case holding the engine's state (a projection, updated with
-- each step), and append-only logs of what happened to it: steps, approvals, clock extensions.
-- Documents are drafts until final; a final document never changes (trigger below). Every write goes
-- with an event and a ledger entry in the same transaction (src/platform/changes.ts).

CREATE TABLE cases (
  id                  uuid PRIMARY KEY,
  agency_id           uuid NOT NULL REFERENCES agencies(id),
  procedure_id        text NOT NULL,
  procedure_version   integer NOT NULL CHECK (procedure_version >= 1),
  case_type           text NOT NULL,
  number              text NOT NULL,                 -- 案号, e.g. 西湖市监案〔2026〕12号 (documents numbering)
  title               text NOT NULL,
  matter_category     text NOT NULL,                 -- 执法类别 the certificates must cover (R-P08)
  matter_area         text NOT NULL,                 -- 执法区域
  -- The party: personal data (R-P14), never public, never in logs; the ledger holds only a salted commitment.
  party_name          text NOT NULL,
  party_type          text NOT NULL CHECK (party_type IN ('citizen', 'organisation')),
  party_id_type       text NOT NULL CHECK (party_id_type IN ('credit_code', 'id_card', 'other')),
  party_id_number     text,
  party_address       text NOT NULL DEFAULT '',
  -- What the major-decision catalog looks at besides the engine's facts (R-L04): amount involved, penalty kinds, flags.
  profile             jsonb NOT NULL DEFAULT '{}',
  state               jsonb NOT NULL,                -- ProcedureState (src/cases/procedures/state.ts)
  -- Denormalised for list filters; rewritten with every step.
  cursor              text,
  stage               text,
  status              text NOT NULL CHECK (status IN ('open', 'finished', 'archived')),
  next_deadline       date,                          -- earliest running agency deadline
  next_deadline_clock text,
  warn_from           date,                          -- from this day the case shows a warning
  step_count          integer NOT NULL DEFAULT 0,
  -- R-L09: which catalog version decided majorDecision, and which entries matched.
  major_decision      boolean,
  major_catalog_id    uuid,
  major_catalog_version integer,
  major_entries       jsonb NOT NULL DEFAULT '[]',
  created_by          uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  archived_at         timestamptz,
  UNIQUE (agency_id, number)
);
-- An agency's list, newest first, with the filters the back office offers (docs/CASES.md, bench/cases.ts).
CREATE INDEX cases_agency_created ON cases (agency_id, created_at DESC, id);
CREATE INDEX cases_agency_stage ON cases (agency_id, stage, created_at DESC);
CREATE INDEX cases_agency_status ON cases (agency_id, status, created_at DESC);
CREATE INDEX cases_agency_procedure ON cases (agency_id, procedure_id, created_at DESC);
CREATE INDEX cases_agency_procedure_status ON cases (agency_id, procedure_id, status, created_at DESC);
CREATE INDEX cases_agency_deadline ON cases (agency_id, next_deadline) WHERE status = 'open' AND next_deadline IS NOT NULL;
CREATE INDEX cases_number ON cases (number text_pattern_ops);
CREATE INDEX cases_party ON cases (party_name text_pattern_ops);
CREATE INDEX cases_title ON cases (title text_pattern_ops);

-- Approvals by the head (立案、先行登记保存、查封扣押、决定、延长期限…): given before the act, used once.
CREATE TABLE case_approvals (
  id             uuid PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES cases(id),
  purpose        text NOT NULL CHECK (purpose IN ('step', 'extension')),
  step           text,
  clock          text,
  days           integer,
  approved_by    uuid NOT NULL,
  approver_name  text NOT NULL,
  approver_role  text NOT NULL,
  on_date        date NOT NULL,
  opinion        text NOT NULL,
  event_id       bigint NOT NULL REFERENCES events(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((purpose = 'step') = (step IS NOT NULL)),
  CHECK ((purpose = 'extension') = (clock IS NOT NULL))
);
CREATE INDEX case_approvals_case ON case_approvals (case_id, created_at);

-- The steps done, in order (R-R01): the engine's record of each, the officers and approval, the AV
-- rule and catalog version that applied (R-L09), and the documents it produced.
CREATE TABLE case_steps (
  case_id          uuid NOT NULL REFERENCES cases(id),
  seq              integer NOT NULL CHECK (seq >= 1),
  step             text NOT NULL,
  stage            text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('main', 'side')),
  on_date          date NOT NULL,
  actor_id         uuid,
  actor_role       text NOT NULL,
  approval_id      uuid UNIQUE REFERENCES case_approvals(id),
  record           jsonb NOT NULL,
  clock_changes    jsonb NOT NULL DEFAULT '[]',
  warnings         jsonb NOT NULL DEFAULT '[]',
  document_ids     uuid[] NOT NULL DEFAULT '{}',
  av_rule_set_id   uuid,
  av_requirement   text,
  major_catalog_id uuid,
  major_catalog_version integer,
  event_id         bigint NOT NULL REFERENCES events(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);
CREATE TRIGGER case_steps_append_only BEFORE UPDATE OR DELETE ON case_steps FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_steps_no_truncate BEFORE TRUNCATE ON case_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_approvals_append_only BEFORE UPDATE OR DELETE ON case_approvals FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_approvals_no_truncate BEFORE TRUNCATE ON case_approvals FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Clock extensions (行政强制法第二十五条、行政许可法第四十二条), each with its approval.
CREATE TABLE case_extensions (
  id           uuid PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES cases(id),
  clock        text NOT NULL,
  days         integer NOT NULL CHECK (days >= 1),
  reason       text NOT NULL,
  on_date      date NOT NULL,
  approval_id  uuid NOT NULL UNIQUE REFERENCES case_approvals(id),
  document_id  uuid,
  actor_id     uuid,
  deadline     date NOT NULL,
  event_id     bigint NOT NULL REFERENCES events(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_extensions_case ON case_extensions (case_id);
CREATE TRIGGER case_extensions_append_only BEFORE UPDATE OR DELETE ON case_extensions FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_extensions_no_truncate BEFORE TRUNCATE ON case_extensions FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Documents (R-R02): structured fields while a draft; once final they carry their 文号, the date of
-- issue and the SHA-256 of the PDF kept in the evidence store, and never change again.
CREATE TABLE case_documents (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases(id),
  agency_id     uuid NOT NULL REFERENCES agencies(id),
  type          text NOT NULL,
  title         text NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'final')),
  fields        jsonb NOT NULL,
  number        text,
  issued_on     date,
  pdf_sha256    text CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_size      bigint,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  finalised_by  uuid,
  finalised_at  timestamptz,
  event_id      bigint REFERENCES events(id),
  CHECK (status = 'draft' OR (issued_on IS NOT NULL AND pdf_sha256 IS NOT NULL AND event_id IS NOT NULL)),
  UNIQUE (agency_id, number)
);
CREATE INDEX case_documents_case ON case_documents (case_id, created_at);

CREATE FUNCTION case_documents_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '表 case_documents 不允许清空' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION '已定稿的文书（%）不得修改或删除', coalesce(OLD.number, OLD.title) USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER case_documents_final BEFORE UPDATE OR DELETE ON case_documents FOR EACH ROW EXECUTE FUNCTION case_documents_guard();
CREATE TRIGGER case_documents_no_truncate BEFORE TRUNCATE ON case_documents FOR EACH STATEMENT EXECUTE FUNCTION case_documents_guard();
