-- Entries written in domain transactions, waiting for the sequencer to give them a log index.
-- Nothing is deleted here: an integrated row is marked by the row in ledger_entries that names it
-- (ledger_entries.pending_id). 0010_ledger.sql adds the writer's transaction id and explains the
-- order in which the sequencer takes these rows.
CREATE TABLE ledger_pending (
  id     bigserial PRIMARY KEY,
  entry  bytea NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER ledger_pending_append_only BEFORE UPDATE OR DELETE ON ledger_pending FOR EACH ROW EXECUTE FUNCTION refuse_change();
