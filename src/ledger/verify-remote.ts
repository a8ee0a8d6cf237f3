// `sanxiang verify <url>`: an auditor's verifier that needs nothing but the log's public key and
// the C2SP tlog-tiles HTTP resources. It checks the checkpoint signature, re-hashes every entry and
// tile it has not seen before, recomputes the root, and proves with a consistency proof (built from
// the tiles, not asked of the server) that the log only grew since the checkpoint it remembers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entryVersion, formatFindingsText, noteEntryFormat, type FormatFindings } from './entry.ts';
import { hashLeaf, perfectRoot, proveConsistency, treeRoot, verifyConsistency } from './merkle.ts';
import { ed25519Verifier, openNote, parseCheckpoint, parseVerifierKey } from './note.ts';
import { TILE_WIDTH, decodeEntryBundle, hashesAtLevel, splitHashes, tileHashReader, tilePath, tileWidth, type TileCoord } from './tiles.ts';

export interface VerifyState {
  origin: string;
  key: string;
  size: number;
  /** base64 root of `size`. */
  root: string;
  /** The signed checkpoint as fetched: evidence if the log ever contradicts it. */
  checkpoint: string;
  verifiedAt: string;
  /** Index of the first version-2 (blinded) entry, once seen: a version-1 entry after it is reported. */
  blindedFrom?: number;
}

export interface VerifyOptions {
  /** Log prefix, e.g. https://example.gov.cn/ledger (the site root also works). */
  url: string;
  /** Verifier key `<name>+<id>+<base64>`; without it, the remembered one, else trust on first use. */
  key?: string;
  /** State file; default ~/.sanxiang-verify/<origin>.json. */
  statePath?: string;
  fetch?: typeof fetch;
  /** Progress lines in Chinese. */
  say?: (line: string) => void;
  /** Parallel tile downloads. */
  concurrency?: number;
}

export interface VerifyResult {
  ok: boolean;
  origin?: string;
  size?: number;
  root?: string;
  previousSize?: number;
  entriesChecked: number;
  tilesChecked: number;
  statePath?: string;
  error?: string;
  /** The key was taken from the server itself (first run without --key). */
  trustedOnFirstUse?: boolean;
  /** The format rules of docs/LEDGER.md §1.1 over the entries checked by this run (reported, not failed). */
  format?: FormatFindings;
}

export class VerifyError extends Error {}

export function defaultStatePath(origin: string): string {
  return path.join(os.homedir(), '.sanxiang-verify', `${origin.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

function readState(file: string): VerifyState | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as VerifyState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VerifyError(`无法读取状态文件 ${file}：${(err as Error).message}`);
  }
}

function writeState(file: string, state: VerifyState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function verifyRemoteLog(opts: VerifyOptions): Promise<VerifyResult> {
  const say = opts.say ?? (() => {});
  const doFetch = opts.fetch ?? fetch;
  const result: VerifyResult = { ok: false, entriesChecked: 0, tilesChecked: 0 };
  // When one check fails, the tiles still being fetched in parallel are abandoned: cancel them, or their
  // unread responses keep connections (and the server's shutdown) waiting.
  const inFlight = new AbortController();
  try {
    let prefix = opts.url.replace(/\/+$/, '');
    const get = async (p: string): Promise<Response> => doFetch(`${prefix}/${p}`, { headers: { 'accept-encoding': 'gzip, identity' }, signal: inFlight.signal });
    let res = await get('checkpoint');
    if (res.status === 404 && !prefix.endsWith('/ledger')) {
      prefix = `${prefix}/ledger`;
      res = await get('checkpoint');
    }
    if (!res.ok) throw new VerifyError(`获取检查点失败：${prefix}/checkpoint 返回 ${res.status}`);
    const note = await res.text();

    // Which key: the one given, the one remembered, or (first run only) the server's, said aloud.
    const unverifiedOrigin = note.split('\n', 1)[0] ?? '';
    const statePath = opts.statePath ?? defaultStatePath(opts.key ? parseVerifierKey(opts.key).name : unverifiedOrigin);
    result.statePath = statePath;
    const state = readState(statePath);
    let key = opts.key?.trim() ?? state?.key;
    if (opts.key && state && state.key !== opts.key.trim()) throw new VerifyError('给定的公钥与上次验证时记录的公钥不同；若日志确实更换了密钥，请使用新的状态文件');
    if (!key) {
      const k = await get('key');
      if (!k.ok) throw new VerifyError('未给定公钥，且无法从服务器获取');
      key = (await k.text()).trim();
      result.trustedOnFirstUse = true;
      say(`警告：未给定公钥，首次使用服务器提供的公钥 ${key}；请与机关正式公布的公钥核对`);
    }

    const opened = openNote(note, [ed25519Verifier(key)]);
    const cp = parseCheckpoint(opened.text);
    if (cp.origin !== parseVerifierKey(key).name) throw new VerifyError(`检查点来源 ${cp.origin} 与公钥名称不符`);
    result.origin = cp.origin;
    result.size = cp.size;
    result.root = cp.root.toString('base64');
    say(`检查点签名有效：${cp.origin}，树大小 ${cp.size}`);
    const others = opened.signatures.filter((s) => s.name !== cp.origin).map((s) => s.name);
    if (others.length) say(`检查点另有签名：${[...new Set(others)].join('、')}（未验证）`);

    const prevSize = state?.size ?? 0;
    result.previousSize = prevSize;
    if (cp.size < prevSize) throw new VerifyError(`日志变短了：上次 ${prevSize}，现在 ${cp.size}`);

    // Tiles, fetched once each. A partial tile that has since become full may be gone (tlog-tiles
    // allows deleting it): fall back to the full tile and take its prefix.
    const tileCache = new Map<string, Promise<Buffer>>();
    const fetchTile = (coord: TileCoord): Promise<Buffer> => {
      const key2 = tilePath(coord);
      let p = tileCache.get(key2);
      if (!p) {
        p = (async () => {
          let r = await get(key2);
          if (r.status === 404 && coord.width < TILE_WIDTH) {
            r = await get(tilePath({ ...coord, width: TILE_WIDTH }));
            if (r.ok) return Buffer.from(await r.arrayBuffer()).subarray(0, coord.level === 'entries' ? undefined : coord.width * 32);
          }
          if (!r.ok) throw new VerifyError(`获取 ${prefix}/${key2} 失败：${r.status}`);
          return Buffer.from(await r.arrayBuffer());
        })();
        tileCache.set(key2, p);
      }
      return p;
    };

    // 1. Every entry not yet verified hashes to its level-0 tile. Its format is noted too: an entry in
    // the old format (kind and linkable subject in the clear) after blinded ones is reported (§1.1).
    const versions: Array<[number, 1 | 2 | null]> = [];
    const fullRoots = new Map<string, Buffer>(); // `${level}/${index}` → root of a verified full tile
    const firstTile = Math.floor(prevSize / TILE_WIDTH);
    const level0 = Array.from({ length: Math.ceil(cp.size / TILE_WIDTH) - firstTile }, (_, i) => firstTile + i);
    await mapLimit(level0, opts.concurrency ?? 8, async (index) => {
      const width = tileWidth(0, index, cp.size);
      const [tile, bundle] = await Promise.all([fetchTile({ level: 0, index, width }), fetchTile({ level: 'entries', index, width })]);
      let entries = decodeEntryBundle(bundle);
      if (entries.length > width) entries = entries.slice(0, width); // full bundle used as fallback
      const hashes = splitHashes(tile);
      if (entries.length !== width || hashes.length !== width) throw new VerifyError(`瓦片 ${index} 的条目数不对`);
      entries.forEach((e, i) => {
        const at = index * TILE_WIDTH + i;
        if (!hashLeaf(e).equals(hashes[i]!)) throw new VerifyError(`第 ${at} 条与第 0 层瓦片中的哈希不符`);
        if (at >= prevSize) versions.push([at, entryVersion(e)]);
      });
      if (width === TILE_WIDTH) fullRoots.set(`0/${index}`, perfectRoot(hashes));
      result.entriesChecked += width;
      result.tilesChecked++;
    });
    const format: FormatFindings = { blindedFrom: state?.blindedFrom ?? null, malformed: 0, plainAfterBlinded: 0, first: null };
    for (const [at, version] of versions.sort((a, b) => a[0] - b[0])) noteEntryFormat(format, at, version);
    result.format = format;
    const finding = formatFindingsText(format);
    if (finding) say(finding);
    // 2. Every new hash of the upper levels is the root of the full tile below it.
    for (let level = 1; hashesAtLevel(level, cp.size) > 0; level++) {
      const start = Math.floor(hashesAtLevel(level, prevSize) / TILE_WIDTH);
      const end = Math.ceil(hashesAtLevel(level, cp.size) / TILE_WIDTH);
      for (let index = start; index < end; index++) {
        const width = tileWidth(level, index, cp.size);
        const hashes = splitHashes(await fetchTile({ level, index, width }));
        hashes.forEach((h, i) => {
          const child = fullRoots.get(`${level - 1}/${index * TILE_WIDTH + i}`);
          // Children older than the remembered checkpoint are covered by the consistency proof below.
          if (child && !child.equals(h)) throw new VerifyError(`第 ${level} 层瓦片 ${index} 的第 ${i} 个哈希与下层瓦片不符`);
          if (!child && (index * TILE_WIDTH + i + 1) * TILE_WIDTH ** level > prevSize) throw new VerifyError(`第 ${level} 层瓦片 ${index} 的第 ${i} 个哈希无法核对`);
        });
        if (width === TILE_WIDTH) fullRoots.set(`${level}/${index}`, perfectRoot(hashes));
        result.tilesChecked++;
      }
    }
    // 3. The tiles give the signed root.
    const reader = tileHashReader(cp.size, (level, index, width) => fetchTile({ level, index, width }));
    if (!(await treeRoot(cp.size, reader)).equals(cp.root)) throw new VerifyError('由瓦片重算的根哈希与签名检查点不符');
    say(`已核对 ${result.entriesChecked} 条新条目和 ${result.tilesChecked} 个瓦片，根哈希一致`);
    // 4. The remembered checkpoint is a prefix of this one.
    if (state && prevSize > 0) {
      const proof = await proveConsistency(prevSize, cp.size, reader);
      try {
        verifyConsistency(prevSize, cp.size, proof, Buffer.from(state.root, 'base64'), cp.root);
      } catch (err) {
        throw new VerifyError(`与上次记住的大小为 ${prevSize} 的检查点不一致（${(err as Error).message}）：日志被改写或分叉，请保留状态文件作为证据`);
      }
      say(`一致性证明有效：大小 ${prevSize} 的检查点是当前日志的前缀`);
    }
    writeState(statePath, {
      origin: cp.origin, key, size: cp.size, root: cp.root.toString('base64'), checkpoint: note, verifiedAt: new Date().toISOString(),
      ...(format.blindedFrom !== null ? { blindedFrom: format.blindedFrom } : {}),
    });
    result.ok = true;
    return result;
  } catch (err) {
    result.error = (err as Error).message;
    return result;
  } finally {
    inFlight.abort();
  }
}
