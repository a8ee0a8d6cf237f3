-- R-R05/R-R06: a hash is never a capability. Who handed a file in is what decides who may read it
-- by its hash (the uploader, while the file is attached to nothing), so an API token's uploads are
-- told apart too: its id is not a user's.
ALTER TABLE blob_uploads ADD COLUMN token_id uuid;
CREATE INDEX blob_uploads_uploader ON blob_uploads (sha256, uploaded_by, token_id);

-- A stored file taken into a domain (a case record, a final document) by an agency: from then on it
-- is read only through that domain (the case's record or document routes), never by its hash.
-- Append-only like the store itself.
CREATE TABLE blob_attachments (
  sha256       text NOT NULL REFERENCES blobs (sha256),
  agency_id    uuid NOT NULL,
  attached_by  uuid,                                        -- the user, null for the platform or a token
  purpose      text NOT NULL,                               -- what took it in: 'record', 'document'
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, agency_id)
);
CREATE TRIGGER blob_attachments_append_only BEFORE UPDATE OR DELETE ON blob_attachments FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER blob_attachments_no_truncate BEFORE TRUNCATE ON blob_attachments FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
