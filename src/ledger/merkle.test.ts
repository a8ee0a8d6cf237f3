// RFC 6962 / RFC 9162 proofs against the shared vectors (every negative case must be rejected) and
// property tests: honest proofs from random trees verify, any single flipped bit is caught (R-R05).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EMPTY_ROOT,
  ProofError,
  consistencyRanges,
  hashChildren,
  hashLeaf,
  inclusionRanges,
  memoryHashReader,
  proveConsistency,
  proveInclusion,
  rootOfLeafHashes,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type HashReader,
} from './merkle.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/rfc6962');

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? jsonFiles(p) : d.name.endsWith('.json') ? [p] : [];
  });
}

const b64 = (s: string) => Buffer.from(s, 'base64');
const accepts = (fn: () => void) => {
  try {
    fn();
    return true;
  } catch (err) {
    if (!(err instanceof ProofError)) throw err;
    return false;
  }
};

describe('RFC 6962 vectors (transparency-dev/merkle testdata)', () => {
  const inclusion = jsonFiles(path.join(FIXTURES, 'inclusion'));
  const consistency = jsonFiles(path.join(FIXTURES, 'consistency'));

  it('has the vectors', () => {
    expect(inclusion.length).toBeGreaterThan(50);
    expect(consistency.length).toBeGreaterThan(50);
  });

  it.each(inclusion.map((f) => [path.relative(FIXTURES, f), f]))('inclusion %s', (_name, file) => {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean };
    const ok = accepts(() => verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), (v.proof ?? []).map(b64), b64(v.root)));
    expect(ok).toBe(!v.wantErr);
  });

  it.each(consistency.map((f) => [path.relative(FIXTURES, f), f]))('consistency %s', (_name, file) => {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean };
    const ok = accepts(() => verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2)));
    expect(ok).toBe(!v.wantErr);
  });
});

describe('RFC 6962 reference tree', () => {
  // The eight leaves of RFC 6962's test inputs; roots as published by the vectors above.
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => hashLeaf(Buffer.from(h, 'hex')));
  it('computes the known roots', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootOfLeafHashes(leaves).toString('base64')).toBe('XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=');
    expect(rootOfLeafHashes(leaves.slice(0, 6)).toString('base64')).toBe('duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=');
  });
  it('generates the vector proofs', async () => {
    const reader = memoryHashReader(leaves);
    expect((await proveInclusion(0, 8, reader)).map((h) => h.toString('base64'))).toEqual([
      'lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=',
      'Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=',
      'a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=',
    ]);
    expect((await proveConsistency(6, 8, reader)).map((h) => h.toString('base64'))).toEqual([
      'DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=',
      'yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=',
      '037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=',
    ]);
  });
});

function flipBit(buf: Uint8Array, bit: number): Buffer {
  const out = Buffer.from(buf);
  out[Math.floor(bit / 8) % out.length]! ^= 1 << bit % 8;
  return out;
}

const leavesFor = (n: number, seed: number) => Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf ${seed} ${i}`)));

describe('property: honest proofs verify, mutated ones fail', () => {
  const tree = fc.integer({ min: 1, max: 300 }).chain((size) => fc.record({ size: fc.constant(size), seed: fc.nat(), index: fc.nat({ max: size - 1 }), old: fc.integer({ min: 1, max: size }) }));

  it('inclusion: every index of random trees', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.nat(), async ({ size, seed, index }, bit) => {
        const leaves = leavesFor(size, seed);
        const reader = memoryHashReader(leaves);
        const root = rootOfLeafHashes(leaves);
        expect((await treeRoot(size, reader)).equals(root)).toBe(true);
        const proof = await proveInclusion(index, size, reader);
        verifyInclusion(index, size, leaves[index]!, proof, root);
        // Any single flipped bit in the proof, the leaf or the root is caught.
        const totalBits = (proof.length + 2) * 256;
        const b = bit % totalBits;
        const part = Math.floor(b / 256);
        const mutated = proof.map((p, i) => (i === part ? flipBit(p, b % 256) : p));
        const leaf = part === proof.length ? flipBit(leaves[index]!, b % 256) : leaves[index]!;
        const r = part === proof.length + 1 ? flipBit(root, b % 256) : root;
        expect(accepts(() => verifyInclusion(index, size, leaf, mutated, r))).toBe(false);
        // Wrong index, dropped or extra component. (A wrong size is not always detectable from the
        // proof alone — index 0 has the same path in trees of 6 and 7 — the checkpoint's root binds it.)
        if (size > 1) expect(accepts(() => verifyInclusion((index + 1) % size, size, leaves[index]!, proof, root))).toBe(false);
        if (proof.length > 0) expect(accepts(() => verifyInclusion(index, size, leaves[index]!, proof.slice(1), root))).toBe(false);
        expect(accepts(() => verifyInclusion(index, size, leaves[index]!, [...proof, root], root))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('consistency: random old and new sizes', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.nat(), async ({ size, seed, old }, bit) => {
        const leaves = leavesFor(size, seed);
        const reader = memoryHashReader(leaves);
        const root1 = rootOfLeafHashes(leaves.slice(0, old));
        const root2 = rootOfLeafHashes(leaves);
        const proof = await proveConsistency(old, size, reader);
        verifyConsistency(old, size, proof, root1, root2);
        if (old === size) return;
        const totalBits = (proof.length + 2) * 256;
        const b = bit % totalBits;
        const part = Math.floor(b / 256);
        const mutated = proof.map((p, i) => (i === part ? flipBit(p, b % 256) : p));
        const r1 = part === proof.length ? flipBit(root1, b % 256) : root1;
        const r2 = part === proof.length + 1 ? flipBit(root2, b % 256) : root2;
        expect(accepts(() => verifyConsistency(old, size, mutated, r1, r2))).toBe(false);
        expect(accepts(() => verifyConsistency(old, size, proof, root2, root1))).toBe(false);
        expect(accepts(() => verifyConsistency(old, size, proof.slice(0, -1), root1, root2))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  // Sizes far beyond memory: a tree whose leaves are all equal has one hash per height, so proofs
  // for indices past 2^32 can be checked — this is where 32-bit shifts would have gone wrong.
  it('works beyond 2^32 leaves', async () => {
    const leaf = hashLeaf(Buffer.from('same'));
    const perfect: Buffer[] = [leaf];
    for (let h = 1; h <= 53; h++) perfect.push(hashChildren(perfect[h - 1]!, perfect[h - 1]!));
    const reader: HashReader = { readHashes: async (nodes) => nodes.map((n) => perfect[n.height]!) };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2 ** 32, max: 2 ** 52 }), fc.double({ min: 0, max: 1, noNaN: true }), async (size, f) => {
        const index = Math.min(size - 1, Math.floor(f * size));
        const root = await treeRoot(size, reader);
        verifyInclusion(index, size, leaf, await proveInclusion(index, size, reader), root);
        const old = Math.max(1, Math.floor(f * size));
        verifyConsistency(old, size, await proveConsistency(old, size, reader), await treeRoot(old, reader), root);
        expect(inclusionRanges(index, size).length).toBeLessThanOrEqual(53);
        if (old < size) expect(consistencyRanges(old, size).length).toBeLessThanOrEqual(2 * 53);
      }),
      { numRuns: 100 },
    );
  });
});

describe('argument checks', () => {
  it('refuses impossible requests', async () => {
    const reader = memoryHashReader(leavesFor(4, 1));
    await expect(proveInclusion(4, 4, reader)).rejects.toThrow(ProofError);
    await expect(proveConsistency(0, 4, reader)).rejects.toThrow(ProofError);
    await expect(proveConsistency(5, 4, reader)).rejects.toThrow(ProofError);
    await expect(proveInclusion(0, 5, reader)).rejects.toThrow(ProofError);
  });
});
