-- Files that case records and final documents referenced before blob_attachments existed are
-- attached now: from here on they are read only through their case (R-R06).
INSERT INTO blob_attachments (sha256, agency_id, attached_by, purpose)
SELECT DISTINCT r.blob_sha256, r.agency_id, NULL::uuid, 'record'
  FROM case_records r JOIN blobs b ON b.sha256 = r.blob_sha256
 WHERE r.blob_sha256 IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO blob_attachments (sha256, agency_id, attached_by, purpose)
SELECT DISTINCT d.pdf_sha256, d.agency_id, NULL::uuid, 'document'
  FROM case_documents d JOIN blobs b ON b.sha256 = d.pdf_sha256
 WHERE d.status = 'final'
ON CONFLICT DO NOTHING;
