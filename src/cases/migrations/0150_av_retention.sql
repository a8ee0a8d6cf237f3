-- R-R10 (issue 16): retention periods from the AV list applied to what the archive keeps. At archive,
-- every AV record of the case gets the retention period and method of the AV-list entry its step ran
-- under (the list version pinned on the step) and the date until which it is kept, counted from the
-- archive date (NULL: permanent, or no period because the step is not in the list). Written once with
-- its ledger event, never changed: the records themselves stay append-only (R-R05), nothing is disposed of.
CREATE TABLE case_av_retention (
  record_id            uuid PRIMARY KEY REFERENCES case_records(id),
  case_id              uuid NOT NULL REFERENCES cases(id),
  rule                 text,
  av_rule_set_id       uuid REFERENCES av_rule_sets(id),
  av_rule_set_version  integer,
  period               text,
  years                integer CHECK (years >= 0),
  method               text,
  archived_on          date NOT NULL,
  retain_until         date,
  event_id             bigint NOT NULL REFERENCES events(id),
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_av_retention_case ON case_av_retention (case_id);
CREATE TRIGGER case_av_retention_append_only BEFORE UPDATE OR DELETE ON case_av_retention FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_av_retention_no_truncate BEFORE TRUNCATE ON case_av_retention FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
