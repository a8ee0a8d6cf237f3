-- The sequencer's scan bound becomes a (xid, id) pair instead of an xid alone, so that a backlog
-- written by one big transaction (demo data, an import) is scanned once, not once per batch:
-- every pending row at or below (pending_horizon, pending_horizon_id) in (xid, id) order was
-- integrated by that batch or before it, and no new one can appear there (see sequencer.ts).
-- A constant default adds the column without rewriting or updating rows (the table refuses UPDATE).
ALTER TABLE ledger_checkpoints ADD COLUMN pending_horizon_id bigint NOT NULL DEFAULT 0;
