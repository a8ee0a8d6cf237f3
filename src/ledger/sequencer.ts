// The sequencer gives pending entries their log index, hashes them into the tree, writes the tiles
// that became full and signs a new checkpoint — all in one transaction per batch, so the tree, the
// tiles and the checkpoint that covers them commit together or not at all (R-R05).
//
// One sequencer at a time: each batch first takes a transaction-level advisory lock
// (pg_try_advisory_xact_lock). A session lock would need a connection of its own, which the Db
// interface does not lend out (PGlite has one connection, the pg pool hands out any); a lock per
// batch gives the same guarantee — no two batches interleave — and lets any app process take over
// when another dies, with nothing to release. Each process re-reads the head checkpoint per batch,
// so a process that lost the lock to another one never extends a stale tree.
//
// No committed entry is skipped or indexed twice:
// - every batch takes the visible pending rows that have no ledger_entries row (anti-join); the
//   UNIQUE (pending_id) constraint makes a second index for one row impossible even if this logic erred;
// - the scan starts at a cursor W in (xid, id) order instead of at the start: W only moves to the
//   pg_snapshot_xmin() H of a snapshot in which all rows below it were read (same statement) — by
//   then every transaction older than H has ended, so no row below can still appear — or, after a
//   full batch, to its last row when that row's transaction is older than H (a transaction's rows
//   become visible all at once, so its remaining rows all lie after that row). A long transaction
//   holds W back (the scan grows), it never blocks or hides newer entries.
import type { AppContext } from '../platform/context.ts';
import type { Db } from '../platform/db.ts';
import type { Logger } from '../platform/log.ts';
import { loadLedgerConfig } from './config.ts';
import { entryDigests } from './entry.ts';
import type { LogIdentity } from './identity.ts';
import { EMPTY_ROOT, hashLeaf } from './merkle.ts';
import { formatCheckpoint, signNote } from './note.ts';
import { logIdentity } from './service.ts';
import * as store from './store.ts';
import { TreeBuilder, type FullTile } from './tiles.ts';

/** Advisory lock key of the sequencer (the migration lock is 727_001). */
export const SEQUENCER_LOCK = 727_010;

export interface BatchInfo {
  /** Tree size after the batch. */
  size: number;
  /** Pending row ids integrated by this batch, in index order. */
  pendingIds: number[];
  committedAt: number;
}

export interface SequencerOptions {
  batchSize: number;
  intervalMs: number;
  /** Called after each committed batch that integrated entries (benchmarks measure latency with it). */
  onBatch?: (info: BatchInfo) => void;
}

export interface SequencerHandle {
  stop(): Promise<void>;
  /** Resolves once every entry committed before the call is integrated and covered by a checkpoint. */
  flush(timeoutMs?: number): Promise<void>;
}

interface TreeState {
  size: number;
  root: Buffer;
  /** Every pending row at or below this (xid, id) is integrated. */
  horizon: store.PendingCursor;
  builder: TreeBuilder;
}

const START: store.PendingCursor = { xid: '0', id: 0 };

export interface BatchResult {
  locked: boolean;
  integrated: number;
  size: number;
}

const xidLess = (a: string, b: string) => BigInt(a) < BigInt(b);

export class Sequencer {
  private state: TreeState | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private identityPromise: Promise<LogIdentity> | null = null;

  constructor(
    private readonly db: Db,
    private readonly identity: () => Promise<LogIdentity>,
    private readonly opts: SequencerOptions,
    private readonly log?: Logger,
  ) {}

  /** Runs one batch after any batch already queued in this process. */
  integrateBatch(): Promise<BatchResult> {
    const run = this.chain.then(() => this.runBatch());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async runBatch(): Promise<BatchResult> {
    this.identityPromise ??= this.identity();
    const identity = await this.identityPromise;
    type Outcome = BatchResult & { next?: TreeState; pendingIds?: number[] };
    const result = await this.db.transaction(async (tx): Promise<Outcome> => {
      const lock = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [SEQUENCER_LOCK]);
      if (!lock.rows[0]?.ok) return { locked: true, integrated: 0, size: this.state?.size ?? 0 };

      const head = await store.latestCheckpoint(tx);
      let state = this.state;
      if (!state || !head || state.size !== head.size || !state.root.equals(head.root)) state = await loadState(tx, head);

      let batch = await store.readPendingBatch(tx, state.horizon, this.opts.batchSize);
      if (xidLess(batch.horizon, state.horizon.xid)) {
        // Transaction ids went backwards: the database was restored logically into a new cluster.
        // Scan from the start once; correctness never depended on the horizon, only speed does.
        this.log?.warn({ stored: state.horizon, current: batch.horizon }, '账本待处理水位高于当前事务号，改为全量扫描');
        state = { ...state, horizon: START };
        batch = await store.readPendingBatch(tx, START, this.opts.batchSize);
      }

      if (batch.rows.length === 0) {
        if (!head) {
          // The first checkpoint, of the empty tree, so that /ledger/checkpoint answers from the start.
          const note = signNote(formatCheckpoint({ origin: identity.origin, size: 0, root: EMPTY_ROOT, extensions: [] }), identity.signers);
          await store.insertCheckpoint(tx, { size: 0, root: EMPTY_ROOT, note, horizon: { xid: batch.horizon, id: 0 } });
        }
        return { locked: false, integrated: 0, size: state.size, next: { ...state, horizon: { xid: batch.horizon, id: 0 } } };
      }

      const builder = state.builder.clone();
      const entries: store.EntryRow[] = [];
      const tiles: FullTile[] = [];
      for (const row of batch.rows) {
        const leafHash = hashLeaf(row.entry);
        entries.push({ idx: builder.size, pendingId: row.id, entry: row.entry, leafHash, ...entryDigests(row.entry) });
        tiles.push(...builder.append(leafHash));
      }
      const root = builder.root();
      // A batch that was not full read every visible row: the next scan starts at the horizon. A full
      // one may have left rows behind; its last row bounds them when its transaction has ended.
      const last = batch.rows[batch.rows.length - 1]!;
      const full = batch.rows.length >= this.opts.batchSize;
      const horizon: store.PendingCursor = !full ? { xid: batch.horizon, id: 0 } : xidLess(last.xid, batch.horizon) ? { xid: last.xid, id: last.id } : { xid: batch.horizon, id: 0 };
      const note = signNote(formatCheckpoint({ origin: identity.origin, size: builder.size, root, extensions: [] }), identity.signers);
      await store.insertEntries(tx, entries);
      await store.insertTiles(tx, tiles);
      await store.insertCheckpoint(tx, { size: builder.size, root, note, horizon });
      return {
        locked: false,
        integrated: entries.length,
        size: builder.size,
        next: { size: builder.size, root, horizon, builder },
        pendingIds: entries.map((e) => e.pendingId),
      };
    });
    // Only a committed batch moves the in-memory tree forward.
    if (result.next) this.state = result.next;
    if (result.pendingIds) this.opts.onBatch?.({ size: result.size, pendingIds: result.pendingIds, committedAt: performance.now() });
    return { locked: result.locked, integrated: result.integrated, size: result.size };
  }

  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.integrateBatch();
      // A batch that was not full took every row visible to it, so everything committed before flush().
      if (!r.locked && r.integrated < this.opts.batchSize) return;
      if (r.locked && (await store.countUnintegrated(this.db, this.state?.horizon ?? START)) === 0) return;
      if (Date.now() > deadline) throw new Error('账本排序器未能在限定时间内处理完积压条目');
      if (r.locked) await new Promise((res) => setTimeout(res, 20));
    }
  }
}

async function loadState(tx: Parameters<typeof store.latestCheckpoint>[0], head: store.CheckpointRow | null): Promise<TreeState> {
  if (!head) return { size: 0, root: EMPTY_ROOT, horizon: START, builder: TreeBuilder.empty() };
  const builder = TreeBuilder.restore(head.size, await store.readPartialRows(tx, head.size));
  // Never extend a tree whose stored hashes do not give the root we signed: fsck must look first.
  if (!builder.root().equals(head.root)) {
    throw new Error(`账本存储与大小为 ${head.size} 的最新检查点不一致，已停止追加；请运行 sanxiang ledger fsck`);
  }
  return { size: head.size, root: head.root, horizon: head.pendingHorizon, builder };
}

type SequencerContext = Pick<AppContext, 'db' | 'config' | 'log'>;

/** Starts the background sequencer of this process (one batch at a time across all processes). */
export function startSequencer(ctx: SequencerContext, overrides: Partial<SequencerOptions> = {}): SequencerHandle & { sequencer: Sequencer } {
  const cfg = loadLedgerConfig(ctx.config);
  const opts: SequencerOptions = { batchSize: cfg.batchSize, intervalMs: cfg.intervalMs, ...overrides };
  const sequencer = new Sequencer(ctx.db, () => logIdentity(ctx), opts, ctx.log);
  let stopped = false;
  let wake: (() => void) | null = null;
  let failures = 0;

  const loop = (async () => {
    while (!stopped) {
      let delay = opts.intervalMs;
      try {
        const r = await sequencer.integrateBatch();
        failures = 0;
        if (r.integrated >= opts.batchSize) delay = 0;
      } catch (err) {
        failures++;
        delay = Math.min(10_000, opts.intervalMs * 2 ** Math.min(failures, 6));
        ctx.log.error({ err }, '账本排序器批次失败，稍后重试');
      }
      if (stopped) break;
      if (delay === 0) await new Promise((res) => setImmediate(res));
      else
        await new Promise<void>((res) => {
          const t = setTimeout(res, delay);
          wake = () => {
            clearTimeout(t);
            res();
          };
        });
      wake = null;
    }
  })();

  return {
    sequencer,
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
    flush: (timeoutMs?: number) => sequencer.flush(timeoutMs),
  };
}
