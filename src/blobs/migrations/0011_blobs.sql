-- Evidence store (R-R05: records handed over for storage right after the activity, kept unaltered).
-- Files live in the blob storage under their SHA-256; these tables say what is stored and who
-- handed what in. Both are append-only: nothing is deleted through the application, and a
-- correction is a new record pointing at the old one.
CREATE TABLE blobs (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  sm3         text CHECK (sm3 ~ '^[0-9a-f]{64}$'),          -- 国密 digest when EVIDENCE_SM3/LEDGER_SM2 is on
  size        bigint NOT NULL CHECK (size > 0),
  media_type  text NOT NULL,
  stored_by   uuid,                                         -- first uploader
  agency_id   uuid,
  event_id    bigint NOT NULL REFERENCES events (id),       -- the blobs.stored event, committed to the ledger
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER blobs_append_only BEFORE UPDATE OR DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER blobs_no_truncate BEFORE TRUNCATE ON blobs FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Every submission, duplicates included: who handed in which bytes under which name, and when (custody).
CREATE TABLE blob_uploads (
  id           bigserial PRIMARY KEY,
  sha256       text NOT NULL REFERENCES blobs (sha256),
  filename     text,
  media_type   text NOT NULL,
  uploaded_by  uuid,
  agency_id    uuid,
  duplicate    boolean NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blob_uploads_sha256 ON blob_uploads (sha256, id);
CREATE TRIGGER blob_uploads_append_only BEFORE UPDATE OR DELETE ON blob_uploads FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER blob_uploads_no_truncate BEFORE TRUNCATE ON blob_uploads FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
