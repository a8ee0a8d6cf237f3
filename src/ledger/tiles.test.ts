// C2SP tlog-tiles arithmetic and the tile-based tree: paths exactly as the spec spells them, roots
// and proofs from tiles equal to those from the plain RFC 6962 definition.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashLeaf, memoryHashReader, proveConsistency, proveInclusion, rootOfLeafHashes, treeRoot } from './merkle.ts';
import {
  MemoryTiles,
  TreeBuilder,
  decodeEntryBundle,
  encodeEntryBundle,
  formatTileIndex,
  parseTilePath,
  partialTiles,
  tilePath,
  tileWidth,
} from './tiles.ts';

describe('tile paths (C2SP tlog-tiles)', () => {
  it('formats indices in 3-digit elements with x prefixes', () => {
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(5)).toBe('005');
    expect(formatTileIndex(1234)).toBe('x001/234');
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(tilePath({ level: 0, index: 1234, width: 5 })).toBe('tile/0/x001/234.p/5');
    expect(tilePath({ level: 'entries', index: 7, width: 256 })).toBe('tile/entries/007');
  });

  it('parses canonical paths and refuses every other spelling', () => {
    expect(parseTilePath('tile/0/x001/234.p/5')).toEqual({ level: 0, index: 1234, width: 5 });
    expect(parseTilePath('tile/entries/x001/x234/067')).toEqual({ level: 'entries', index: 1234067, width: 256 });
    expect(parseTilePath('tile/63/000')).toEqual({ level: 63, index: 0, width: 256 });
    for (const bad of ['tile/64/000', 'tile/01/000', 'tile/0/5', 'tile/0/x000/005', 'tile/0/001/234', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/05', 'tile/0/000.p/', 'tile/-1/000', 'tile/0/x1/000', 'tile/0/000/']) {
      expect(parseTilePath(bad), bad).toBeNull();
    }
  });

  it('round-trips random coordinates', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant<'entries'>('entries'), fc.integer({ min: 0, max: 63 })), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 256 }), (level, index, width) => {
        expect(parseTilePath(tilePath({ level, index, width }))).toEqual({ level, index, width });
      }),
    );
  });

  it('names the tiles of the spec example (size 70,000)', () => {
    expect(partialTiles(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
    expect(tileWidth(0, 272, 70_000)).toBe(256);
    expect(tileWidth(1, 0, 70_000)).toBe(256);
    expect(partialTiles(256)).toEqual([{ level: 1, index: 0, width: 1 }]);
    expect(partialTiles(0)).toEqual([]);
  });

  it('bundles entries with uint16 length prefixes', () => {
    const entries = [Buffer.from(''), Buffer.from('a'), Buffer.alloc(65535, 7)];
    expect(decodeEntryBundle(encodeEntryBundle(entries))).toEqual(entries);
    expect(() => encodeEntryBundle([Buffer.alloc(65536)])).toThrow();
    expect(() => decodeEntryBundle(Buffer.from([0, 5, 1]))).toThrow();
  });
});

describe('tree from tiles', () => {
  it('TreeBuilder root equals RFC 6962 MTH at every size, across tile boundaries', () => {
    const leaves = Array.from({ length: 70_000 }, (_, i) => hashLeaf(Buffer.from(String(i))));
    const b = TreeBuilder.empty();
    const check = new Set([1, 2, 3, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, 70_000]);
    for (let i = 0; i < leaves.length; i++) {
      b.append(leaves[i]!);
      if (check.has(i + 1)) expect(b.root().equals(rootOfLeafHashes(leaves.slice(0, i + 1))), `size ${i + 1}`).toBe(true);
    }
  });

  it('emits full tiles whose hashes the level above holds', () => {
    const b = TreeBuilder.empty();
    const tiles = [];
    for (let i = 0; i < 256 * 256 + 1; i++) tiles.push(...b.append(hashLeaf(Buffer.from(String(i)))));
    expect(tiles.filter((t) => t.level === 0)).toHaveLength(256);
    const top = tiles.find((t) => t.level === 1)!;
    expect(top.index).toBe(0);
    expect(top.hashes.subarray(0, 32).equals(tiles[0]!.root)).toBe(true);
    expect(top.root.equals(rootOfLeafHashes(Array.from({ length: 65536 }, (_, i) => hashLeaf(Buffer.from(String(i))))))).toBe(true);
  });

  it('restores from partial tiles and continues identically', () => {
    const full = TreeBuilder.empty();
    const mem = new MemoryTiles();
    for (let i = 0; i < 1000; i++) {
      const h = hashLeaf(Buffer.from(String(i)));
      full.append(h);
      mem.append(h);
    }
    const restored = TreeBuilder.restore(1000, [full.partialRow(0), full.partialRow(1)]);
    expect(restored.root().equals(full.root())).toBe(true);
    expect(() => TreeBuilder.restore(1000, [full.partialRow(0)])).toThrow();
    const h = hashLeaf(Buffer.from('next'));
    restored.append(h);
    full.append(h);
    expect(restored.root().equals(full.root())).toBe(true);
  });

  it('proofs from tiles equal proofs from the definition, for any earlier size', async () => {
    const leaves = Array.from({ length: 1500 }, (_, i) => hashLeaf(Buffer.from(`e${i}`)));
    const mem = new MemoryTiles();
    for (const l of leaves) mem.append(l);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1500 }).chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: size - 1 }), fc.integer({ min: 1, max: size }))), async ([size, index, old]) => {
        const fromTiles = mem.reader(size);
        const plain = memoryHashReader(leaves.slice(0, size));
        expect((await treeRoot(size, fromTiles)).equals(rootOfLeafHashes(leaves.slice(0, size)))).toBe(true);
        expect(await proveInclusion(index, size, fromTiles)).toEqual(await proveInclusion(index, size, plain));
        expect(await proveConsistency(old, size, fromTiles)).toEqual(await proveConsistency(old, size, plain));
      }),
      { numRuns: 150 },
    );
  });
});
