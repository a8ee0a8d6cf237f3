-- The Merkle log (R-R05, R-R01): integrated entries, full tiles, signed checkpoints and witness
-- cosignatures. Every table is append-only: UPDATE, DELETE and TRUNCATE are refused by trigger, and
-- `sanxiang ledger fsck` re-hashes everything against the latest checkpoint.

-- Integration order. bigserial ids are handed out at INSERT and become visible at COMMIT, so a row
-- with a smaller id can appear after larger ones were integrated. The sequencer therefore never asks
-- "id > last": it takes every visible pending row that has no ledger_entries row yet (anti-join on
-- pending_id, UNIQUE below, so no row gets two indices), and bounds that scan with the writers'
-- transaction ids: once pg_snapshot_xmin() has passed a transaction id, that transaction has ended
-- and all its rows are visible, so older rows need not be scanned again (see sequencer.ts).
ALTER TABLE ledger_pending ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX ledger_pending_order ON ledger_pending (xid, id);
CREATE TRIGGER ledger_pending_no_truncate BEFORE TRUNCATE ON ledger_pending FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE ledger_entries (
  idx         bigint PRIMARY KEY CHECK (idx >= 0),
  pending_id  bigint NOT NULL UNIQUE REFERENCES ledger_pending (id),
  -- Canonical JSON of the entry (src/ledger/entry.ts); ≤ 65535 bytes for the entry bundles.
  entry       bytea NOT NULL CHECK (octet_length(entry) BETWEEN 1 AND 65535),
  -- SHA-256(0x00 ‖ entry), RFC 6962 §2.1.
  leaf_hash   bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
  -- Copies of the entry's digests for /api/v1/ledger/entries/by-commitment (fsck checks them).
  commitment  bytea CHECK (octet_length(commitment) = 32),
  content     bytea CHECK (octet_length(content) = 32)
);
CREATE INDEX ledger_entries_commitment ON ledger_entries (commitment);
CREATE INDEX ledger_entries_content ON ledger_entries (content) WHERE content IS NOT NULL;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Full tiles only (C2SP tlog-tiles): 256 hashes each; partial tiles are computed from ledger_entries
-- (level 0) or from the roots of full tiles one level down (level ≥ 1).
CREATE TABLE ledger_tiles (
  level   smallint NOT NULL CHECK (level BETWEEN 0 AND 63),
  idx     bigint NOT NULL CHECK (idx >= 0),
  hashes  bytea NOT NULL CHECK (octet_length(hashes) = 8192),
  -- MTH of the 256 hashes: the hash the level above holds for this tile.
  root    bytea NOT NULL CHECK (octet_length(root) = 32),
  PRIMARY KEY (level, idx)
);
CREATE TRIGGER ledger_tiles_append_only BEFORE UPDATE OR DELETE ON ledger_tiles FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_tiles_no_truncate BEFORE TRUNCATE ON ledger_tiles FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- One signed checkpoint per integrated batch. `note` is the signed note exactly as served (the
-- log's own signatures); witness cosignatures are kept apart and appended when serving.
CREATE TABLE ledger_checkpoints (
  size        bigint PRIMARY KEY CHECK (size >= 0),
  root        bytea NOT NULL CHECK (octet_length(root) = 32),
  note        text NOT NULL,
  -- Internal, not signed: every pending row of a transaction older than this was integrated by
  -- this batch or before it, so the next scan may start here.
  pending_horizon xid8 NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- C2SP tlog-cosignature lines from configured witnesses (LEDGER_WITNESSES), verified before insert.
CREATE TABLE ledger_cosignatures (
  checkpoint_size  bigint NOT NULL REFERENCES ledger_checkpoints (size),
  witness_name     text NOT NULL,
  key_id           bigint NOT NULL,
  signed_at        bigint NOT NULL,          -- the cosignature's own POSIX timestamp
  line             text NOT NULL,            -- "— <name> <base64>" as received
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (checkpoint_size, witness_name, key_id)
);
CREATE TRIGGER ledger_cosignatures_append_only BEFORE UPDATE OR DELETE ON ledger_cosignatures FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_cosignatures_no_truncate BEFORE TRUNCATE ON ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
