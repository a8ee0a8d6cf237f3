-- R-R10: the province-unified AV-record list and conduct-language guide, published at provincial level
-- (by the two-digit province code) and adopted by its agencies, whose own lists may only be stricter.
-- Versions are never changed, like an agency's list.
CREATE TABLE av_province_lists (
  id              uuid PRIMARY KEY,
  province        text NOT NULL CHECK (province ~ '^[1-9][0-9]$'),
  version         integer NOT NULL CHECK (version >= 1),
  effective_from  date NOT NULL,
  rules           jsonb NOT NULL,
  note            text NOT NULL DEFAULT '',
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (province, version)
);
CREATE INDEX av_province_lists_effective ON av_province_lists (province, effective_from DESC, version DESC);
CREATE TRIGGER av_province_lists_append_only BEFORE UPDATE OR DELETE ON av_province_lists FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER av_province_lists_no_truncate BEFORE TRUNCATE ON av_province_lists FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- R-R05: hand-over to storage right after the activity. The upload time is the evidence file's arrival
-- in the store; the limit is the AV list's in force when the record was registered; late is decided then
-- and kept with the (append-only) record.
ALTER TABLE case_records ADD COLUMN uploaded_at timestamptz;
ALTER TABLE case_records ADD COLUMN handover_limit_hours integer;
ALTER TABLE case_records ADD COLUMN handover_late boolean;
CREATE INDEX case_records_device ON case_records (agency_id, device_id) WHERE device_id IS NOT NULL;
