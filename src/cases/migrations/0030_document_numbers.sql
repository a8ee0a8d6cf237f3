-- Document numbers (文号) per agency, year and kind, e.g. X市监处罚〔2026〕12号 (issue 4, R-R02).
-- One counter row per (agency, year, kind). A number is taken by
--   INSERT … ON CONFLICT DO UPDATE SET last = document_counters.last + 1 RETURNING last
-- inside the transaction that issues the document: the row lock serialises concurrent issuers, and a
-- transaction that rolls back takes its increment with it, so numbers have neither gaps nor repeats.
CREATE TABLE document_counters (
  agency_id uuid    NOT NULL REFERENCES agencies(id),
  year      integer NOT NULL CHECK (year BETWEEN 1949 AND 9999),
  kind      text    NOT NULL CHECK (kind <> '' AND length(kind) <= 20),  -- 文号的类别字，如 处罚、罚告、强制
  last      integer NOT NULL CHECK (last >= 1),
  PRIMARY KEY (agency_id, year, kind)
);

-- A counter only ever steps forward by one and is never removed: anything else would give a number twice.
CREATE FUNCTION document_counters_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION '文号计数器不得删除（否则文号会重复）' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.agency_id <> OLD.agency_id OR NEW.year <> OLD.year OR NEW.kind <> OLD.kind OR NEW.last <> OLD.last + 1 THEN
    RAISE EXCEPTION '文号计数器只能逐一递增（原为 %，改为 %）', OLD.last, NEW.last USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER document_counters_forward_only BEFORE UPDATE OR DELETE ON document_counters
  FOR EACH ROW EXECUTE FUNCTION document_counters_guard();
CREATE TRIGGER document_counters_no_truncate BEFORE TRUNCATE ON document_counters
  FOR EACH STATEMENT EXECUTE FUNCTION document_counters_guard();
