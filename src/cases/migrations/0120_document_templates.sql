-- Issue 16 (R-R02): the document template registry. The built-in sets (a State Council department's
-- system-wide formats, the 司法部 basic formats) are versioned data in code (src/cases/templates.ts); an
-- agency's adaptation of one document's format is a new version here, never changed. A case document
-- keeps the template version it was made under (pinned), whatever is published later.
CREATE TABLE document_templates (
  id              uuid PRIMARY KEY,
  agency_id       uuid NOT NULL REFERENCES agencies(id),
  type            text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  based_on        text NOT NULL,
  source          text NOT NULL,
  local_text      text NOT NULL DEFAULT '',
  note            text NOT NULL DEFAULT '',
  effective_from  date NOT NULL,
  created_by      uuid,
  event_id        bigint NOT NULL REFERENCES events(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, type, version)
);
CREATE INDEX document_templates_effective ON document_templates (agency_id, type, effective_from DESC, version DESC);

ALTER TABLE case_documents ADD COLUMN template jsonb;
