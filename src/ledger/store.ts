// Ledger queries, one plain function per question (imported as `store`), so a reader sees at the call
// site that the database is asked. Works on PGlite and PostgreSQL alike.
import type { Queryable } from '../platform/db.ts';
import { TILE_WIDTH, hashesAtLevel, type FullTile } from './tiles.ts';

/** PGlite returns bytea as Uint8Array, node-postgres as Buffer: always hand out Buffers (no copy). */
export const buf = (v: Uint8Array): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));

export interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  pendingHorizon: PendingCursor;
  createdAt: Date;
}

/** Position in (xid, id) order up to which every pending row is integrated (see 0010_ledger.sql). */
export interface PendingCursor {
  xid: string;
  id: number;
}

const CHECKPOINT_COLUMNS = 'size, root, note, pending_horizon::text AS horizon, pending_horizon_id AS horizon_id, created_at';
type RawCheckpoint = { size: number; root: Uint8Array; note: string; horizon: string; horizon_id: number; created_at: Date | string };
const toCheckpoint = (r: RawCheckpoint): CheckpointRow => ({
  size: Number(r.size),
  root: buf(r.root),
  note: r.note,
  pendingHorizon: { xid: r.horizon, id: Number(r.horizon_id) },
  createdAt: new Date(r.created_at),
});

export async function latestCheckpoint(q: Queryable): Promise<CheckpointRow | null> {
  const { rows } = await q.query<RawCheckpoint>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`);
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

export async function checkpointAt(q: Queryable, size: number): Promise<CheckpointRow | null> {
  const { rows } = await q.query<RawCheckpoint>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE size = $1`, [size]);
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** Checkpoints in size order, a page at a time (fsck walks them all). */
export async function checkpointsAfter(q: Queryable, afterSize: number, limit: number): Promise<CheckpointRow[]> {
  const { rows } = await q.query<RawCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE size > $1 ORDER BY size LIMIT $2`,
    [afterSize, limit],
  );
  return rows.map(toCheckpoint);
}

export async function insertCheckpoint(q: Queryable, cp: { size: number; root: Buffer; note: string; horizon: PendingCursor }): Promise<void> {
  await q.query('INSERT INTO ledger_checkpoints (size, root, note, pending_horizon, pending_horizon_id) VALUES ($1, $2, $3, $4::xid8, $5)', [cp.size, cp.root, cp.note, cp.horizon.xid, cp.horizon.id]);
}

export interface PendingRow {
  id: number;
  xid: string;
  entry: Buffer;
}

/**
 * Visible pending rows after `from` without an index, oldest writer first, and the xid horizon of the
 * very same snapshot (one statement, so no row can commit between reading the horizon and the rows).
 */
export async function readPendingBatch(q: Queryable, from: PendingCursor, limit: number): Promise<{ horizon: string; rows: PendingRow[] }> {
  const { rows } = await q.query<{ horizon: string; id: number | null; xid: string | null; entry: Uint8Array | null }>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
     SELECT h.horizon::text AS horizon, b.id, b.xid::text AS xid, b.entry
       FROM h LEFT JOIN LATERAL (
         SELECT p.id, p.xid, p.entry FROM ledger_pending p
          WHERE (p.xid, p.id) > ($1::xid8, $2::int8)
            AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.pending_id = p.id)
          ORDER BY p.xid, p.id
          LIMIT $3
       ) b ON true`,
    [from.xid, from.id, limit],
  );
  return {
    horizon: rows[0]!.horizon,
    rows: rows.filter((r) => r.id !== null).map((r) => ({ id: Number(r.id), xid: r.xid!, entry: buf(r.entry!) })),
  };
}

/** Committed pending rows that have no index yet (fsck, flush). */
export async function countUnintegrated(q: Queryable, from: PendingCursor = { xid: '0', id: 0 }): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ledger_pending p
      WHERE (p.xid, p.id) > ($1::xid8, $2::int8) AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.pending_id = p.id)`,
    [from.xid, from.id],
  );
  return Number(rows[0]!.n);
}

export interface EntryRow {
  idx: number;
  pendingId: number;
  entry: Buffer;
  leafHash: Buffer;
  commitment: Buffer | null;
  content: Buffer | null;
}

export async function insertEntries(q: Queryable, rows: readonly EntryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO ledger_entries (idx, pending_id, entry, leaf_hash, commitment, content)
     SELECT * FROM unnest($1::int8[], $2::int8[], $3::bytea[], $4::bytea[], $5::bytea[], $6::bytea[])`,
    [rows.map((r) => r.idx), rows.map((r) => r.pendingId), rows.map((r) => r.entry), rows.map((r) => r.leafHash), rows.map((r) => r.commitment), rows.map((r) => r.content)],
  );
}

export async function insertTiles(q: Queryable, tiles: readonly FullTile[]): Promise<void> {
  if (tiles.length === 0) return;
  await q.query(
    `INSERT INTO ledger_tiles (level, idx, hashes, root) SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[], $4::bytea[])`,
    [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes), tiles.map((t) => t.root)],
  );
}

export async function readLeafHashes(q: Queryable, from: number, to: number): Promise<Buffer[]> {
  if (to <= from) return [];
  const { rows } = await q.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [from, to]);
  return rows.map((r) => buf(r.leaf_hash));
}

export async function readTileRoots(q: Queryable, level: number, from: number, to: number): Promise<Buffer[]> {
  if (to <= from) return [];
  const { rows } = await q.query<{ root: Uint8Array }>('SELECT root FROM ledger_tiles WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx', [level, from, to]);
  return rows.map((r) => buf(r.root));
}

export async function readFullTile(q: Queryable, level: number, index: number): Promise<Buffer | null> {
  const { rows } = await q.query<{ hashes: Uint8Array }>('SELECT hashes FROM ledger_tiles WHERE level = $1 AND idx = $2', [level, index]);
  return rows[0] ? buf(rows[0].hashes) : null;
}

export async function readFullTiles(q: Queryable, level: number, from: number, to: number): Promise<Array<{ index: number; hashes: Buffer; root: Buffer }>> {
  const { rows } = await q.query<{ idx: number; hashes: Uint8Array; root: Uint8Array }>(
    'SELECT idx, hashes, root FROM ledger_tiles WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx',
    [level, from, to],
  );
  return rows.map((r) => ({ index: Number(r.idx), hashes: buf(r.hashes), root: buf(r.root) }));
}

/**
 * `width` hashes of tile (level, index): a stored full tile, or for a partial tile the leaf hashes
 * (level 0) or the roots of the full tiles one level down. Null when the tree does not have them.
 */
export async function readTile(q: Queryable, level: number, index: number, width: number): Promise<Buffer | null> {
  if (width === TILE_WIDTH) {
    const full = await readFullTile(q, level, index);
    if (full) return full;
  }
  const from = index * TILE_WIDTH;
  const hashes = level === 0 ? await readLeafHashes(q, from, from + width) : await readTileRoots(q, level - 1, from, from + width);
  return hashes.length === width ? Buffer.concat(hashes) : null;
}

/** The hashes of each level's partial tile for a tree of `size` (the sequencer's restart state). */
export async function readPartialRows(q: Queryable, size: number): Promise<Buffer[][]> {
  const rows: Buffer[][] = [];
  for (let level = 0; hashesAtLevel(level, size) > 0; level++) {
    const count = hashesAtLevel(level, size);
    const start = count - (count % TILE_WIDTH);
    rows.push(level === 0 ? await readLeafHashes(q, start, count) : await readTileRoots(q, level - 1, start, count));
  }
  return rows;
}

type RawEntry = { idx: number; pending_id: number; entry: Uint8Array; leaf_hash: Uint8Array; commitment: Uint8Array | null; content: Uint8Array | null };
const ENTRY_COLUMNS = 'idx, pending_id, entry, leaf_hash, commitment, content';
const toEntry = (r: RawEntry): EntryRow => ({
  idx: Number(r.idx),
  pendingId: Number(r.pending_id),
  entry: buf(r.entry),
  leafHash: buf(r.leaf_hash),
  commitment: r.commitment ? buf(r.commitment) : null,
  content: r.content ? buf(r.content) : null,
});

export async function readEntries(q: Queryable, from: number, to: number): Promise<EntryRow[]> {
  if (to <= from) return [];
  const { rows } = await q.query<RawEntry>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [from, to]);
  return rows.map(toEntry);
}

/** Entries whose commitment or content digest is `digest`, below `size` (both columns are indexed). */
export async function findEntriesByDigest(q: Queryable, digest: Buffer, size: number, limit = 100): Promise<EntryRow[]> {
  const { rows } = await q.query<RawEntry>(
    `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE (commitment = $1 OR content = $1) AND idx < $2 ORDER BY idx LIMIT $3`,
    [digest, size, limit],
  );
  return rows.map(toEntry);
}

export interface CosignatureRow {
  witnessName: string;
  keyId: number;
  signedAt: number;
  line: string;
}

export async function cosignaturesFor(q: Queryable, size: number): Promise<CosignatureRow[]> {
  const { rows } = await q.query<{ witness_name: string; key_id: number; signed_at: number; line: string }>(
    'SELECT witness_name, key_id, signed_at, line FROM ledger_cosignatures WHERE checkpoint_size = $1 ORDER BY witness_name, key_id',
    [size],
  );
  return rows.map((r) => ({ witnessName: r.witness_name, keyId: Number(r.key_id), signedAt: Number(r.signed_at), line: r.line }));
}

export async function insertCosignature(q: Queryable, size: number, c: CosignatureRow): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO ledger_cosignatures (checkpoint_size, witness_name, key_id, signed_at, line) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (checkpoint_size, witness_name, key_id) DO NOTHING`,
    [size, c.witnessName, c.keyId, c.signedAt, c.line],
  );
  return r.affectedRows > 0;
}
