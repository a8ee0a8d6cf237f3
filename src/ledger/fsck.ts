// `sanxiang ledger fsck`: re-hash every entry and every stored tile, rebuild the tree from scratch
// and check it against every signed checkpoint, up to the latest. Stops at the first divergence and
// says exactly where it is (R-R05: an alteration is not prevented by trust but found by arithmetic).
import type { Queryable } from '../platform/db.ts';
import { entryDigests, entryVersion, noteEntryFormat, type FormatFindings } from './entry.ts';
import { hashLeaf } from './merkle.ts';
import { NoteError, openNote, parseCheckpoint, type NoteVerifier } from './note.ts';
import * as store from './store.ts';
import { TreeBuilder, type FullTile } from './tiles.ts';

export type DivergenceKind =
  | 'checkpoint_signature'
  | 'checkpoint_body'
  | 'checkpoint_root'
  | 'entry_missing'
  | 'entry_hash'
  | 'entry_digest'
  | 'tile_missing'
  | 'tile_hash'
  | 'beyond_checkpoint';

export interface Divergence {
  kind: DivergenceKind;
  /** Entry index, tile index or checkpoint size, depending on `kind`. */
  at: number;
  level?: number;
  detail: string;
}

export interface FsckReport {
  ok: boolean;
  /** Size of the latest checkpoint (0 when the log is empty or has none). */
  size: number;
  entriesChecked: number;
  tilesChecked: number;
  checkpointsChecked: number;
  /** Committed pending entries without an index yet (normal while a sequencer is catching up). */
  pending: number;
  divergence: Divergence | null;
  format: FormatFindings;
}

const CHUNK = 4096;

export async function fsckLedger(q: Queryable, verifiers: readonly NoteVerifier[], origin: string): Promise<FsckReport> {
  const latest = await store.latestCheckpoint(q);
  const report: FsckReport = { ok: true, size: latest?.size ?? 0, entriesChecked: 0, tilesChecked: 0, checkpointsChecked: 0, pending: await store.countUnintegrated(q), divergence: null, format: { blindedFrom: null, malformed: 0, plainAfterBlinded: 0, first: null } };
  const fail = (d: Divergence): FsckReport => ({ ...report, ok: false, divergence: d });
  if (!latest) return report;

  // Checkpoints are read a page at a time: a quiet log has one per entry.
  let cps: store.CheckpointRow[] = [];
  let cpAt = 0;
  let lastCpSize = -1;
  const nextCheckpoint = async (): Promise<store.CheckpointRow | null> => {
    if (cpAt >= cps.length) {
      cps = await store.checkpointsAfter(q, lastCpSize, 1000);
      cpAt = 0;
      if (cps.length === 0) return null;
    }
    const cp = cps[cpAt++]!;
    lastCpSize = cp.size;
    return cp;
  };
  const checkSigned = (cp: store.CheckpointRow): Divergence | null => {
    try {
      const body = parseCheckpoint(openNote(cp.note, verifiers).text);
      if (body.origin !== origin || body.size !== cp.size || !body.root.equals(cp.root)) {
        return { kind: 'checkpoint_body', at: cp.size, detail: `大小为 ${cp.size} 的检查点正文与其存储的大小或根哈希不符` };
      }
      return null;
    } catch (err) {
      if (err instanceof NoteError) return { kind: 'checkpoint_signature', at: cp.size, detail: `大小为 ${cp.size} 的检查点签名无效：${err.message}` };
      throw err;
    }
  };

  const builder = TreeBuilder.empty();
  let cp = await nextCheckpoint();
  const matchCheckpoints = (): Divergence | null => {
    if (!cp || cp.size !== builder.size) return null;
    const bad = checkSigned(cp);
    if (bad) return bad;
    if (!builder.root().equals(cp.root)) {
      return { kind: 'checkpoint_root', at: cp.size, detail: `按条目重算的大小 ${cp.size} 的根哈希与已签名检查点不符` };
    }
    report.checkpointsChecked++;
    return null;
  };
  // The empty-tree checkpoint, if there is one.
  {
    const bad = matchCheckpoints();
    if (bad) return fail(bad);
    if (cp && cp.size === 0) cp = await nextCheckpoint();
  }

  // A tile is compared as soon as it completes, so a forged entry is reported at its tile before
  // any checkpoint above it. Level-0 tiles of a chunk are fetched in one query.
  const checkTile = async (t: FullTile, prefetched: Map<number, { hashes: Buffer; root: Buffer }>): Promise<Divergence | null> => {
    const s = t.level === 0 ? prefetched.get(t.index) : (await store.readFullTiles(q, t.level, t.index, t.index + 1))[0];
    if (!s) return { kind: 'tile_missing', at: t.index, level: t.level, detail: `缺少第 ${t.level} 层第 ${t.index} 号完整瓦片` };
    if (!s.hashes.equals(t.hashes) || !s.root.equals(t.root)) {
      return { kind: 'tile_hash', at: t.index, level: t.level, detail: `第 ${t.level} 层第 ${t.index} 号瓦片与按条目重算的不符` };
    }
    report.tilesChecked++;
    return null;
  };
  const same = (a: Buffer | null, b: Buffer | null) => (a === null ? b === null : b !== null && a.equals(b));

  for (let from = 0; from < latest.size; from += CHUNK) {
    const to = Math.min(latest.size, from + CHUNK);
    const rows = await store.readEntries(q, from, to);
    const prefetched = new Map((await store.readFullTiles(q, 0, Math.floor(from / 256), Math.ceil(to / 256))).map((t) => [t.index, t]));
    for (let i = 0; i < to - from; i++) {
      const row = rows[i];
      const idx = from + i;
      if (!row || row.idx !== idx) return fail({ kind: 'entry_missing', at: idx, detail: `缺少第 ${idx} 条（或序号不连续）` });
      const leaf = hashLeaf(row.entry);
      if (!leaf.equals(row.leafHash)) return fail({ kind: 'entry_hash', at: idx, detail: `第 ${idx} 条的内容与存储的叶子哈希不符` });
      const d = entryDigests(row.entry);
      if (!same(d.commitment, row.commitment) || !same(d.content, row.content)) {
        return fail({ kind: 'entry_digest', at: idx, detail: `第 ${idx} 条的查询索引列与条目内容不符` });
      }
      noteEntryFormat(report.format, idx, entryVersion(row.entry));
      for (const t of builder.append(leaf)) {
        const bad = await checkTile(t, prefetched);
        if (bad) return fail(bad);
      }
      report.entriesChecked++;
      if (cp && cp.size === builder.size) {
        const bad = matchCheckpoints();
        if (bad) return fail(bad);
        cp = await nextCheckpoint();
      }
    }
  }
  if (cp) return fail({ kind: 'beyond_checkpoint', at: cp.size, detail: `检查点 ${cp.size} 不在条目范围内` });
  const extra = await q.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_entries WHERE idx >= $1', [latest.size]);
  if (Number(extra.rows[0]!.n) > 0) return fail({ kind: 'beyond_checkpoint', at: latest.size, detail: '存在超出最新检查点的条目' });
  const tiles = await q.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_tiles');
  if (Number(tiles.rows[0]!.n) !== report.tilesChecked) return fail({ kind: 'beyond_checkpoint', at: latest.size, detail: '存在不属于最新检查点所覆盖的树的瓦片' });
  return report;
}
