// Ledger use cases behind the HTTP routes: what the public may ask of the log. Reads only the
// integrated tree below the latest signed checkpoint, so every answer can be checked against it.
import type { AppContext } from '../platform/context.ts';
import type { Db, Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { loadLedgerConfig } from './config.ts';
import { decodeEntry, type LedgerEntry } from './entry.ts';
import { loadLogIdentity, type LogIdentity } from './identity.ts';
import { ProofError, proveConsistency, proveInclusion, type HashReader } from './merkle.ts';
import { NoteError, cosignatureVerifier, parseCheckpoint, parseNote, type CosignatureVerifier } from './note.ts';
import * as store from './store.ts';
import { TILE_WIDTH, encodeEntryBundle, tileHashReader, tileWidth, type TileCoord } from './tiles.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'log'>;

const identities = new WeakMap<Db, Promise<LogIdentity>>();

/** The log identity of this database (created on first use; the sequencer shares it). */
export function logIdentity(ctx: Ctx): Promise<LogIdentity> {
  let p = identities.get(ctx.db);
  if (!p) {
    p = loadLogIdentity(ctx.db, loadLedgerConfig(ctx.config), ctx.log);
    p.catch(() => identities.delete(ctx.db));
    identities.set(ctx.db, p);
  }
  return p;
}

async function head(q: Queryable): Promise<store.CheckpointRow> {
  const cp = await store.latestCheckpoint(q);
  if (!cp) throw new AppError('not_found', { detail: '账本尚未签发检查点（排序器尚未启动）。' });
  return cp;
}

/** The latest checkpoint as served: the log's signed note plus every witness cosignature on it. */
export async function servedCheckpoint(q: Queryable): Promise<{ size: number; text: string }> {
  const cp = await head(q);
  const cosigs = await store.cosignaturesFor(q, cp.size);
  return { size: cp.size, text: cp.note + cosigs.map((c) => `${c.line}\n`).join('') };
}

// Full tiles never change, so every process keeps the most recently used ones (8 KiB each).
const FULL_TILE_CACHE = 1024;
const fullTiles = new WeakMap<Db, Map<string, Buffer>>();

async function tileBytes(db: Db, level: number, index: number, width: number): Promise<Buffer | null> {
  if (width !== TILE_WIDTH) return store.readTile(db, level, index, width);
  let cache = fullTiles.get(db);
  if (!cache) fullTiles.set(db, (cache = new Map()));
  const key = `${level}/${index}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const bytes = await store.readTile(db, level, index, width);
  if (bytes) {
    cache.set(key, bytes);
    if (cache.size > FULL_TILE_CACHE) cache.delete(cache.keys().next().value!);
  }
  return bytes;
}

function dbReader(db: Db, size: number): HashReader {
  return tileHashReader(size, async (level, index, width) => {
    const bytes = await tileBytes(db, level, index, width);
    if (!bytes) throw new Error(`账本缺少瓦片 ${level}/${index}（宽 ${width}）；请运行 sanxiang ledger fsck`);
    return bytes;
  });
}

/**
 * A tile or entry bundle as C2SP tlog-tiles serves it. Only what the latest checkpoint covers is
 * served: a full tile once the tree has it, a partial tile of any width the tree has reached.
 */
export async function tileResource(db: Db, coord: TileCoord): Promise<Buffer> {
  const cp = await head(db);
  const level = coord.level === 'entries' ? 0 : coord.level;
  const available = tileWidth(level, coord.index, cp.size);
  if (coord.width > available) throw new AppError('not_found', { detail: '该瓦片尚不存在（超出最新检查点）。' });
  if (coord.level === 'entries') {
    const from = coord.index * TILE_WIDTH;
    const rows = await store.readEntries(db, from, from + coord.width);
    if (rows.length !== coord.width) throw new AppError('internal', { detail: '账本条目缺失，请运行 sanxiang ledger fsck。' });
    return encodeEntryBundle(rows.map((r) => r.entry));
  }
  const bytes = await tileBytes(db, coord.level, coord.index, coord.width);
  if (!bytes) throw new AppError('internal', { detail: '账本瓦片缺失，请运行 sanxiang ledger fsck。' });
  return bytes;
}

const outOfRange = (field: string, message: string) => new AppError('validation', { detail: message, errors: [{ field, message }] });

export async function inclusionProof(db: Db, index: number, size: number) {
  const cp = await head(db);
  if (size > cp.size) throw outOfRange('size', `树的大小 ${size} 超出最新检查点（${cp.size}）`);
  if (index >= size) throw outOfRange('index', `序号 ${index} 必须小于树的大小 ${size}`);
  const reader = dbReader(db, size);
  const [leaf] = await reader.readHashes([{ height: 0, index }]);
  const proof = await proveInclusion(index, size, reader);
  return { index, size, leafHash: Buffer.from(leaf!).toString('base64'), proof: proof.map((h) => h.toString('base64')) };
}

export async function consistencyProof(db: Db, from: number, to: number) {
  const cp = await head(db);
  if (to > cp.size) throw outOfRange('to', `树的大小 ${to} 超出最新检查点（${cp.size}）`);
  if (from > to) throw outOfRange('from', `旧树大小 ${from} 不能大于新树大小 ${to}`);
  if (from === 0) throw outOfRange('from', '与空树的一致性证明没有意义，from 至少为 1');
  try {
    const proof = await proveConsistency(from, to, dbReader(db, to));
    return { from, to, proof: proof.map((h) => h.toString('base64')) };
  } catch (err) {
    if (err instanceof ProofError) throw new AppError('bad_request', { detail: err.message });
    throw err;
  }
}

export interface FoundEntry {
  index: number;
  /** base64 of the entry bytes: the leaf hash is SHA-256(0x00 ‖ these bytes). */
  entry: string;
  leafHash: string;
  decoded: LedgerEntry | null;
}

/** Where the log holds a commitment or a content digest (hex SHA-256). */
export async function entriesByDigest(db: Db, hex: string) {
  const cp = await head(db);
  const rows = await store.findEntriesByDigest(db, Buffer.from(hex, 'hex'), cp.size);
  return {
    digest: hex,
    checkpointSize: cp.size,
    entries: rows.map<FoundEntry>((r) => ({ index: r.idx, entry: r.entry.toString('base64'), leafHash: r.leafHash.toString('base64'), decoded: decodeEntry(r.entry) })),
  };
}

let witnessCache: { raw: string; verifiers: CosignatureVerifier[] } | null = null;

/** LEDGER_WITNESSES parsed once; a malformed key is a configuration error, reported loudly. */
export function configuredWitnesses(ctx: Pick<AppContext, 'config'>): CosignatureVerifier[] {
  const cfg = loadLedgerConfig(ctx.config);
  const raw = cfg.witnesses.join(',');
  if (witnessCache?.raw !== raw) {
    witnessCache = {
      raw,
      verifiers: cfg.witnesses.map((k) => {
        try {
          return cosignatureVerifier(k);
        } catch (err) {
          throw new AppError('internal', { detail: `LEDGER_WITNESSES 中的见证者公钥无效（${k}）：${(err as Error).message}` });
        }
      }),
    };
  }
  return witnessCache.verifiers;
}

/** Cosignatures may carry a time slightly ahead of ours; beyond this they are refused. */
const MAX_CLOCK_SKEW_SECONDS = 600;

/**
 * A witness submits a checkpoint of ours with its cosignature line(s) appended (C2SP
 * tlog-cosignature). Lines from keys not in LEDGER_WITNESSES are ignored; a known key's line must verify.
 */
export async function submitCosignature(ctx: Ctx, noteText: string) {
  const witnesses = configuredWitnesses(ctx);
  if (witnesses.length === 0) throw new AppError('invalid_state', { detail: '本平台未配置见证者（LEDGER_WITNESSES），不接收联署。' });
  let text: string;
  let signatures: ReturnType<typeof parseNote>['signatures'];
  let size: number;
  try {
    ({ text, signatures } = parseNote(noteText));
    const cp = parseCheckpoint(text);
    const identity = await logIdentity(ctx);
    if (cp.origin !== identity.origin) throw new NoteError(`检查点来源（${cp.origin}）不是本日志（${identity.origin}）`);
    size = cp.size;
  } catch (err) {
    if (err instanceof NoteError) throw new AppError('validation', { detail: err.message, errors: [{ field: 'note', message: err.message }] });
    throw err;
  }
  const stored = await store.checkpointAt(ctx.db, size);
  if (!stored) throw new AppError('not_found', { detail: `本日志没有签发过大小为 ${size} 的检查点。` });
  if (parseNote(stored.note).text !== text) {
    ctx.log.warn({ size }, '见证者提交的检查点与本日志签发的不一致');
    throw new AppError('conflict', { detail: `提交的检查点与本日志在大小 ${size} 签发的检查点不一致。` });
  }
  const now = Math.floor(Date.now() / 1000);
  const accepted: Array<{ witness: string; timestamp: number; stored: boolean }> = [];
  for (const sig of signatures) {
    const w = witnesses.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!w) continue;
    const timestamp = w.verifyTimestamped(text, sig.signature);
    if (timestamp === null) throw new AppError('validation', { detail: `见证者 ${w.name} 的联署签名验证失败。` });
    if (timestamp > now + MAX_CLOCK_SKEW_SECONDS) throw new AppError('validation', { detail: `见证者 ${w.name} 的联署时间晚于当前时间。` });
    const isNew = await store.insertCosignature(ctx.db, size, { witnessName: w.name, keyId: w.keyId, signedAt: timestamp, line: sig.line });
    accepted.push({ witness: w.name, timestamp, stored: isNew });
  }
  if (accepted.length === 0) throw new AppError('validation', { detail: '笔记中没有来自已配置见证者的联署。' });
  return { size, accepted };
}
