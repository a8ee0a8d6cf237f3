-- Complaints about enforcement (issue 12, R-S03): from the portal (anonymous or real-name) or entered
-- by staff for phone, letter, visit and the 12345 hotline. Routed to the supervising justice bureau
-- (an agency's act) or to the officer's agency watched by the bureau (an officer's conduct). The
-- complainant's identity is confidential (only the bureau's supervisors read it) and the public
-- follows the complaint by its tracking number: status, dates and the reply only.
CREATE TABLE complaints (
  id                 uuid PRIMARY KEY,
  tracking_number    text NOT NULL UNIQUE,
  channel            text NOT NULL CHECK (channel IN ('website', 'phone', 'letter', 'visit', 'hotline')),
  subject_kind       text NOT NULL CHECK (subject_kind IN ('agency_act', 'officer_conduct')),
  subject_agency_id  uuid NOT NULL REFERENCES agencies(id),
  subject_officer    text,
  region_code        text NOT NULL,                  -- the subject agency's, for jurisdiction
  bureau_id          uuid NOT NULL REFERENCES agencies(id),   -- the supervising justice bureau
  handler_id         uuid NOT NULL REFERENCES agencies(id),   -- who handles: the bureau, or the officer's agency
  summary            text NOT NULL,
  content            text NOT NULL,
  happened_on        date,
  real_name          boolean NOT NULL,
  complainant_name   text,                           -- confidential (R-S03)
  complainant_phone  text,                           -- confidential
  evidence           text[] NOT NULL DEFAULT '{}',   -- SHA-256 of files claimed for the bureau
  hotline_ticket     text,
  status             text NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'transferred', 'guided', 'matter', 'closed')),
  received_on        date NOT NULL,
  accept_by          date NOT NULL,
  accepted_on        date,
  close_by           date,
  extended           boolean NOT NULL DEFAULT false,
  extension_reason   text,
  decision_reason    text,                           -- not accepted / transferred / guided: why, where
  reply              text,
  closed_on          date,
  matter_id          uuid,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT real_name OR complainant_name IS NOT NULL)
);
CREATE INDEX complaints_region ON complaints (region_code text_pattern_ops, received_on DESC, id);
CREATE INDEX complaints_handler ON complaints (handler_id, status, received_on DESC);
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER complaints_no_truncate BEFORE TRUNCATE ON complaints FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
