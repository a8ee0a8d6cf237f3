// The archive package's pieces: the ustar writer (read back by the system's tar and by the offline
// verifier), the verifier's RFC 8785 canonical JSON (the same bytes as the platform's) and its
// RFC 6962 inclusion check (against the ledger's own Merkle code and the shared test vectors).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson as platformCanonical } from '../../platform/changes.ts';
import { hashLeaf, memoryHashReader, proveInclusion, rootOfLeafHashes } from '../../ledger/merkle.ts';
import { tarHeader, tarStream } from './tar.ts';
import { canonicalJson, rootFromInclusionProof } from './verify-archive.mjs';

async function collect(it: AsyncIterable<Buffer>) {
  const out: Buffer[] = [];
  for await (const b of it) out.push(b);
  return Buffer.concat(out);
}

describe('ustar writer', () => {
  it('writes files that GNU tar lists and extracts byte for byte', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-tar-'));
    const big = Buffer.alloc(70_000, 7);
    const tar = await collect(tarStream([
      { name: 'manifest.json', size: 2, data: Buffer.from('{}') },
      { name: 'documents/001-filing_approval.pdf', size: 0, data: Buffer.alloc(0) },
      { name: 'evidence/002-video.mp4', size: big.length, data: () => Readable.from([big.subarray(0, 1000), big.subarray(1000)]) },
    ]));
    expect(tar.length % 512).toBe(0);
    fs.writeFileSync(path.join(dir, 'a.tar'), tar);
    expect(execFileSync('tar', ['-tf', path.join(dir, 'a.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(['manifest.json', 'documents/001-filing_approval.pdf', 'evidence/002-video.mp4']);
    execFileSync('tar', ['-xf', path.join(dir, 'a.tar'), '-C', dir]);
    expect(fs.readFileSync(path.join(dir, 'evidence/002-video.mp4')).equals(big)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a name longer than ustar allows and a stream shorter than declared', async () => {
    expect(() => tarHeader('x'.repeat(101), 1)).toThrow(/过长/);
    await expect(collect(tarStream([{ name: 'a', size: 10, data: () => Readable.from([Buffer.alloc(3)]) }]))).rejects.toThrow(/实际 3 字节/);
  });
});

describe('offline verifier', () => {
  it('canonical JSON is byte for byte the platform’s (the commitments depend on it)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        // jsonb does not keep -0; the events table never holds it.
        const value = JSON.parse(JSON.stringify(v));
        expect(canonicalJson(value)).toBe(platformCanonical(value));
      }),
      { numRuns: 300 },
    );
    expect(canonicalJson({ b: [1, 'é', { z: null, a: 1.5e21 }], a: '罚款' })).toBe(platformCanonical({ b: [1, 'é', { z: null, a: 1.5e21 }], a: '罚款' }));
  });

  it('checks inclusion proofs as the ledger makes them', async () => {
    const leaves = Array.from({ length: 37 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const root = rootOfLeafHashes(leaves);
    for (const index of [0, 1, 17, 36]) {
      const proof = await proveInclusion(index, leaves.length, memoryHashReader(leaves));
      expect(rootFromInclusionProof(index, leaves.length, leaves[index]!, proof).equals(root)).toBe(true);
      expect(rootFromInclusionProof(index, leaves.length, leaves[(index + 1) % 37]!, proof).equals(root)).toBe(false);
    }
    const vectors = path.resolve(import.meta.dirname, '../../../test/fixtures/rfc6962/inclusion/1/happy-path.json');
    const v = JSON.parse(fs.readFileSync(vectors, 'utf8'));
    const b = (s: string) => Buffer.from(s, 'base64');
    expect(rootFromInclusionProof(v.leafIdx, v.treeSize, b(v.leafHash), v.proof.map(b)).equals(b(v.root))).toBe(true);
  });
});
