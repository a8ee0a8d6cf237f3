-- Supervision alerts (issue 12, R-R08): raised by the versioned rules of src/supervision/rules.ts as
-- cases change (in the step's transaction) or by a full recomputation for a period. One alert per
-- problem (subject_key); an alert is answered by its agency and resolved by a supervisor (who, why),
-- or closed by the system when a recomputation no longer finds the problem; never deleted.
CREATE TABLE supervision_alerts (
  id            uuid PRIMARY KEY,
  subject_key   text NOT NULL UNIQUE,              -- kind:caseId, or kind:agencyId:period for agency-level rules
  kind          text NOT NULL,
  rule_code     text NOT NULL,
  rule_version  integer NOT NULL CHECK (rule_version >= 1),
  severity      text NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
  basis         text NOT NULL,
  agency_id     uuid NOT NULL REFERENCES agencies(id),
  region_code   text NOT NULL,                     -- the agency's, for the supervisor's jurisdiction filter
  case_id       uuid REFERENCES cases(id),
  raised_on     date NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL CHECK (status IN ('open', 'answered', 'resolved')),
  answer        text,
  answered_by   uuid,
  answered_at   timestamptz,
  resolution    text,
  resolved_by   uuid,                              -- null: closed by a recomputation (problem no longer found)
  resolved_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'resolved') = (resolution IS NOT NULL))
);
CREATE INDEX supervision_alerts_region ON supervision_alerts (region_code text_pattern_ops, raised_on DESC, id);
CREATE INDEX supervision_alerts_agency ON supervision_alerts (agency_id, status, raised_on DESC, id);
CREATE INDEX supervision_alerts_case ON supervision_alerts (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX supervision_alerts_list ON supervision_alerts (raised_on DESC, id);
CREATE TRIGGER supervision_alerts_no_delete BEFORE DELETE ON supervision_alerts FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER supervision_alerts_no_truncate BEFORE TRUNCATE ON supervision_alerts FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
