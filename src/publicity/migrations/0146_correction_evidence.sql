-- R-P13: a correction request may carry one evidence file. The file lives in the evidence store, attached
-- to the agency handling the request (never readable by its hash); the request keeps its hash and name.
ALTER TABLE publication_corrections
  ADD COLUMN evidence_sha256     text REFERENCES blobs (sha256),
  ADD COLUMN evidence_filename   text,
  ADD COLUMN evidence_media_type text,
  ADD COLUMN evidence_size       bigint;
