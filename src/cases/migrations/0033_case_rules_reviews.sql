-- Rules as data, versioned per agency with effective dates (DESIGN §3): the AV-record list
-- (音像记录事项清单, R-R03/R-R04), the major-decision catalog (重大执法决定法制审核目录清单, R-L04),
-- agencies' adaptations of procedure definitions; and legal reviews (R-L05 … R-L07).
-- A version is never changed: a change is a new version (append-only).

CREATE TABLE av_rule_sets (
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
CREATE INDEX av_rule_sets_effective ON av_rule_sets (agency_id, effective_from DESC, version DESC);
CREATE TRIGGER av_rule_sets_append_only BEFORE UPDATE OR DELETE ON av_rule_sets FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER av_rule_sets_no_truncate BEFORE TRUNCATE ON av_rule_sets FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE major_decision_catalogs (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  version         integer NOT NULL CHECK (version >= 1),
  effective_from  date NOT NULL,
  entries         jsonb NOT NULL,
  note            text NOT NULL DEFAULT '',
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, version)
);
CREATE INDEX major_decision_catalogs_effective ON major_decision_catalogs (agency_id, effective_from DESC, version DESC);
CREATE TRIGGER major_decision_catalogs_append_only BEFORE UPDATE OR DELETE ON major_decision_catalogs FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER major_decision_catalogs_no_truncate BEFORE TRUNCATE ON major_decision_catalogs FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- An agency's derived procedure (src/cases/procedures/adapt.ts): a new id/version; running cases keep theirs.
CREATE TABLE procedure_adaptations (
  id              text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  base_id         text NOT NULL,
  base_version    integer NOT NULL,
  definition      jsonb NOT NULL,
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
CREATE INDEX procedure_adaptations_agency ON procedure_adaptations (agency_id, base_id, version DESC);
CREATE TRIGGER procedure_adaptations_append_only BEFORE UPDATE OR DELETE ON procedure_adaptations FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER procedure_adaptations_no_truncate BEFORE TRUNCATE ON procedure_adaptations FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- R-L06: the submission with its materials; the submitting unit declares them true and complete.
CREATE TABLE legal_reviews (
  id                 uuid PRIMARY KEY,
  case_id            uuid NOT NULL REFERENCES cases(id),
  round              integer NOT NULL CHECK (round >= 1),
  submitted_by       uuid,
  submitter_name     text NOT NULL,
  on_date            date NOT NULL,
  summary            text NOT NULL,
  proposed_decision  text NOT NULL,
  materials          jsonb NOT NULL,
  declaration        boolean NOT NULL CHECK (declaration),
  event_id           bigint NOT NULL REFERENCES events(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, round)
);
-- R-L05/R-L07: the written opinion with the checklist: passed, or problems found (then resubmitted).
CREATE TABLE legal_review_opinions (
  review_id      uuid PRIMARY KEY REFERENCES legal_reviews(id),
  case_id        uuid NOT NULL REFERENCES cases(id),
  reviewer_id    uuid NOT NULL,
  reviewer_name  text NOT NULL,
  roster_id      uuid REFERENCES reviewers(id),
  checklist      jsonb NOT NULL,
  result         text NOT NULL CHECK (result IN ('passed', 'problems')),
  opinion        text NOT NULL,
  problems       jsonb NOT NULL DEFAULT '[]',
  on_date        date NOT NULL,
  document_id    uuid REFERENCES case_documents(id),
  step_seq       integer,
  event_id       bigint NOT NULL REFERENCES events(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX legal_review_opinions_case ON legal_review_opinions (case_id);
CREATE TRIGGER legal_reviews_append_only BEFORE UPDATE OR DELETE ON legal_reviews FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER legal_reviews_no_truncate BEFORE TRUNCATE ON legal_reviews FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER legal_review_opinions_append_only BEFORE UPDATE OR DELETE ON legal_review_opinions FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER legal_review_opinions_no_truncate BEFORE TRUNCATE ON legal_review_opinions FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
