// C2SP tlog-tiles arithmetic: which tile holds which hash, tile and entry-bundle paths, and an
// incremental tree builder that emits full tiles as they complete. Pure code, no I/O.
//
// A tile at level L, index n holds up to 256 consecutive hashes of height 8·L:
//   MTH(D[(n·256 + i)·256^L : (n·256 + i + 1)·256^L]),  i = 0…255.
// Full tiles are immutable; the rightmost tile of each level is partial (1…255 hashes) and grows.
import { HASH_SIZE, EMPTY_ROOT, ProofError, foldRange, perfectRoot, type HashReader, type NodeId } from './merkle.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_TILE_LEVEL = 63;
/** Entry bundles prefix every entry with a big-endian uint16 length. */
export const MAX_ENTRY_BYTES = 0xffff;

export interface TileCoord {
  /** A level number, or `entries` for an entry bundle. */
  level: number | 'entries';
  index: number;
  /** 256 for a full tile, 1…255 for a partial one. */
  width: number;
}

export interface FullTile {
  level: number;
  index: number;
  /** 256 × 32 bytes. */
  hashes: Buffer;
  /** MTH of the tile's hashes: the hash that the level above holds for it. */
  root: Buffer;
}

/** 256^level, exact while it stays below 2^53 (level ≤ 6 covers any log this platform will see). */
export const levelSpan = (level: number) => TILE_WIDTH ** level;

/** How many hashes of height 8·level a tree of `size` leaves has. */
export function hashesAtLevel(level: number, size: number): number {
  return Math.floor(size / levelSpan(level));
}

/** Width of tile (level, index) in a tree of `size` leaves: 256 when full, 1…255 when partial, 0 when absent. */
export function tileWidth(level: number, index: number, size: number): number {
  const w = hashesAtLevel(level, size) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, w));
}

/** Number of tile levels that hold at least one hash for a tree of `size` leaves. */
export function tileLevels(size: number): number {
  let levels = 0;
  while (levels <= MAX_TILE_LEVEL && hashesAtLevel(levels, size) > 0) levels++;
  return levels;
}

/** The partial tiles of a tree (one per level at most; C2SP: "Empty tiles MUST NOT be served"). */
export function partialTiles(size: number): TileCoord[] {
  const out: TileCoord[] = [];
  for (let level = 0; level < tileLevels(size); level++) {
    const count = hashesAtLevel(level, size);
    const width = count % TILE_WIDTH;
    if (width > 0) out.push({ level, index: Math.floor(count / TILE_WIDTH), width });
  }
  return out;
}

/** `1234067` → `x001/x234/067` (C2SP tlog-tiles: zero-padded 3-digit elements, all but the last prefixed `x`). */
export function formatTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`瓦片序号无效：${index}`);
  let n = index;
  let out = String(n % 1000).padStart(3, '0');
  n = Math.floor(n / 1000);
  while (n > 0) {
    out = `x${String(n % 1000).padStart(3, '0')}/${out}`;
    n = Math.floor(n / 1000);
  }
  return out;
}

/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, relative to the log prefix. */
export function tilePath(coord: TileCoord): string {
  const partial = coord.width < TILE_WIDTH ? `.p/${coord.width}` : '';
  return `tile/${coord.level}/${formatTileIndex(coord.index)}${partial}`;
}

const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Strict parse of a tile path; null unless it is exactly the canonical form the spec prescribes. */
export function parseTilePath(path: string): TileCoord | null {
  const m = TILE_PATH.exec(path);
  if (!m) return null;
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (typeof level === 'number' && level > MAX_TILE_LEVEL) return null;
  const index = Number(m[2]!.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index)) return null;
  // Reject non-canonical spellings such as x000/005 for 5: one resource, one name.
  if (formatTileIndex(index) !== m[2]) return null;
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (width > TILE_WIDTH - 1 && m[3] !== undefined) return null; // a partial tile has 1…255 hashes
  return { level, index, width };
}

/** Entry bundle: each entry as big-endian uint16 length ‖ bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError('日志条目超过 65535 字节');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(e.length);
    parts.push(len, Buffer.from(e.buffer, e.byteOffset, e.length));
  }
  return Buffer.concat(parts);
}

export function decodeEntryBundle(bundle: Uint8Array): Buffer[] {
  const buf = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.length);
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 2 > buf.length) throw new ProofError('条目包在长度前缀处被截断');
    const len = buf.readUInt16BE(at);
    at += 2;
    if (at + len > buf.length) throw new ProofError('条目包在条目中间被截断');
    out.push(buf.subarray(at, at + len));
    at += len;
  }
  return out;
}

export function splitHashes(tile: Uint8Array): Buffer[] {
  if (tile.length % HASH_SIZE !== 0) throw new ProofError('瓦片长度不是 32 字节的整数倍');
  const buf = Buffer.from(tile.buffer, tile.byteOffset, tile.length);
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += HASH_SIZE) out.push(buf.subarray(i, i + HASH_SIZE));
  return out;
}

/** Fetches `width` hashes of tile (level, index); must return exactly width × 32 bytes. */
export type TileFetcher = (level: number, index: number, width: number) => Promise<Uint8Array>;

/**
 * A HashReader for the tree of `size` leaves built on tiles: any perfect subtree is either one hash
 * of a tile or the root of up to 128 aligned hashes inside one tile. Tiles are fetched once per reader.
 */
export function tileHashReader(size: number, fetchTile: TileFetcher): HashReader {
  const tiles = new Map<string, Promise<Buffer[]>>();
  const tile = (level: number, index: number, width: number) => {
    const key = `${level}/${index}/${width}`;
    let p = tiles.get(key);
    if (!p) {
      p = fetchTile(level, index, width).then((bytes) => {
        if (bytes.length !== width * HASH_SIZE) throw new ProofError(`瓦片 ${tilePath({ level, index, width })} 长度不对`);
        return splitHashes(bytes);
      });
      tiles.set(key, p);
    }
    return p;
  };
  return {
    readHashes(nodes: readonly NodeId[]) {
      return Promise.all(
        nodes.map(async ({ height, index }) => {
          if ((index + 1) * 2 ** height > size) throw new ProofError(`节点 (${height}, ${index}) 超出大小为 ${size} 的树`);
          const level = Math.floor(height / TILE_HEIGHT);
          const below = height % TILE_HEIGHT;
          const count = 2 ** below;
          const first = index * count;
          const tileIndex = Math.floor(first / TILE_WIDTH);
          const pos = first % TILE_WIDTH;
          const hashes = await tile(level, tileIndex, tileWidth(level, tileIndex, size));
          return perfectRoot(hashes.slice(pos, pos + count));
        }),
      );
    },
  };
}

/**
 * Incremental tree: keeps only the partial tile of each level (≤ 255 hashes each), emits every tile
 * that becomes full, and computes the root of the current size. The sequencer, fsck and the
 * benchmarks all grow trees through it, so the root they compute is computed one way only.
 */
export class TreeBuilder {
  private constructor(
    private sizeNow: number,
    private readonly partial: Buffer[][],
  ) {}

  static empty(): TreeBuilder {
    return new TreeBuilder(0, [[]]);
  }

  /** Rebuilds from stored partial tiles; `partial[L]` must hold floor(size/256^L) mod 256 hashes. */
  static restore(size: number, partial: Buffer[][]): TreeBuilder {
    const levels = Math.max(1, tileLevels(size));
    const rows: Buffer[][] = [];
    for (let level = 0; level < levels; level++) {
      const row = partial[level] ?? [];
      const want = hashesAtLevel(level, size) % TILE_WIDTH;
      if (row.length !== want) throw new ProofError(`第 ${level} 层部分瓦片应有 ${want} 个哈希，实有 ${row.length} 个`);
      rows.push(row.slice());
    }
    return new TreeBuilder(size, rows);
  }

  get size(): number {
    return this.sizeNow;
  }

  clone(): TreeBuilder {
    return new TreeBuilder(
      this.sizeNow,
      this.partial.map((row) => row.slice()),
    );
  }

  /** Adds one leaf hash; returns the tiles that this leaf completed (level 0 first). */
  append(leafHash: Buffer): FullTile[] {
    if (leafHash.length !== HASH_SIZE) throw new ProofError('叶子哈希长度不是 32 字节');
    const done: FullTile[] = [];
    const newSize = this.sizeNow + 1;
    let h = leafHash;
    for (let level = 0; ; level++) {
      const row = (this.partial[level] ??= []);
      row.push(h);
      if (row.length < TILE_WIDTH) break;
      const root = perfectRoot(row);
      done.push({ level, index: hashesAtLevel(level + 1, newSize) - 1, hashes: Buffer.concat(row), root });
      this.partial[level] = [];
      h = root;
    }
    this.sizeNow = newSize;
    return done;
  }

  /** The partial tile hashes of a level (copies). */
  partialRow(level: number): Buffer[] {
    return (this.partial[level] ?? []).slice();
  }

  /** MTH of the whole tree: the perfect subtrees named by the bits of size, highest level first. */
  root(): Buffer {
    if (this.sizeNow === 0) return EMPTY_ROOT;
    const blocks: Buffer[] = [];
    for (let level = this.partial.length - 1; level >= 0; level--) {
      const row = this.partial[level]!;
      let pos = 0;
      for (let b = TILE_HEIGHT - 1; b >= 0; b--) {
        const width = 2 ** b;
        if (row.length - pos >= width) {
          blocks.push(perfectRoot(row.slice(pos, pos + width)));
          pos += width;
        }
      }
    }
    return foldRange(blocks);
  }
}

/** All tiles of a tree kept in memory (benchmarks, tests, the verifier's scratch space). */
export class MemoryTiles {
  readonly builder = TreeBuilder.empty();
  private readonly full = new Map<string, Buffer>();

  append(leafHash: Buffer): void {
    for (const t of this.builder.append(leafHash)) this.full.set(`${t.level}/${t.index}`, t.hashes);
  }

  get size(): number {
    return this.builder.size;
  }

  readonly fetch: TileFetcher = async (level, index, width) => this.tileBytes(level, index, width);

  tileBytes(level: number, index: number, width: number): Buffer {
    const full = this.full.get(`${level}/${index}`);
    if (full) return full.subarray(0, width * HASH_SIZE);
    const count = hashesAtLevel(level, this.size);
    if (Math.floor(count / TILE_WIDTH) !== index || width > count % TILE_WIDTH) throw new ProofError('没有这个瓦片');
    return Buffer.concat(this.builder.partialRow(level).slice(0, width));
  }

  reader(size = this.size): HashReader {
    return tileHashReader(size, this.fetch);
  }
}
