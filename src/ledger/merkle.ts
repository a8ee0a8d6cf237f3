// RFC 6962 / RFC 9162 §2.1 Merkle tree hashing, proof generation and proof verification.
// Pure code, no I/O: the same functions run in the server, in `sanxiang verify` and (as a port) in
// the browser page, so an auditor checks the log with the spec's algorithms, not with our word (R-R05).
//
// Sizes and indices are JavaScript numbers (safe integers, < 2^53). Bitwise operators work on 32 bits
// only, so every shift and parity test below is plain arithmetic: a log may pass 2^31 entries.
import crypto from 'node:crypto';

export const HASH_SIZE = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = crypto.createHash('sha256').digest();

export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}

export function hashLeaf(entry: Uint8Array): Buffer {
  return crypto.createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return crypto.createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** A perfect subtree: leaves [index·2^height, (index+1)·2^height). */
export interface NodeId {
  height: number;
  index: number;
}

/** Anything that can hand out hashes of perfect subtrees: tiles in the database, tiles over HTTP, memory. */
export interface HashReader {
  readHashes(nodes: readonly NodeId[]): Promise<Uint8Array[]>;
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new ProofError(`${what}必须是非负整数（收到 ${n}）`);
}

const half = (n: number) => Math.floor(n / 2);
const isOdd = (n: number) => n % 2 === 1;

/** Number of binary digits of n (0 for 0). */
export function bitLength(n: number): number {
  let bits = 0;
  for (let p = 1; p <= n; p *= 2) bits++;
  return bits;
}

/** Largest power of two strictly less than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** (bitLength(n) - 1) === n;
}

/**
 * The perfect subtrees that make up the range [lo, hi), left to right, as RFC 9162's MTH splits it.
 * Ranges that arise from proofs start at a multiple of a power of two ≥ their length, so each block is aligned.
 */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let pos = lo;
  let rest = hi - lo;
  for (let b = bitLength(rest) - 1; b >= 0; b--) {
    const width = 2 ** b;
    if (rest < width) continue;
    if (pos % width !== 0) throw new ProofError(`区间 [${lo}, ${hi}) 不是 Merkle 树的子树`);
    out.push({ height: b, index: pos / width });
    pos += width;
    rest -= width;
  }
  return out;
}

/** Hash of a range from the hashes of its perfect blocks (left to right): fold from the right. */
export function foldRange(blocks: readonly Uint8Array[]): Buffer {
  if (blocks.length === 0) return EMPTY_ROOT;
  let h: Buffer = Buffer.from(blocks[blocks.length - 1]!);
  for (let i = blocks.length - 2; i >= 0; i--) h = hashChildren(blocks[i]!, h);
  return h;
}

/** Root of a perfect subtree given its 2^k hashes at the bottom (k ≥ 0). */
export function perfectRoot(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0 || !isPowerOfTwo(hashes.length)) throw new ProofError('完全子树的哈希个数必须是 2 的幂');
  let row: Uint8Array[] = hashes.slice();
  while (row.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < row.length; i += 2) next.push(hashChildren(row[i]!, row[i + 1]!));
    row = next;
  }
  return Buffer.from(row[0]!);
}

/** MTH over a list of leaf hashes, straight from RFC 9162 §2.1.1 (reference for tests and small trees). */
export function rootOfLeafHashes(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return Buffer.from(leaves[0]!);
  const k = splitPoint(leaves.length);
  return hashChildren(rootOfLeafHashes(leaves.slice(0, k)), rootOfLeafHashes(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as the list of ranges whose hashes form the proof, bottom up. */
export function inclusionRanges(index: number, size: number): Array<[number, number]> {
  checkCount(index, '叶子序号');
  checkCount(size, '树的大小');
  if (index >= size) throw new ProofError(`叶子序号 ${index} 不在大小为 ${size} 的树内`);
  const out: Array<[number, number]> = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
    }
  }
  return out.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as ranges, bottom up. */
export function consistencyRanges(size1: number, size2: number): Array<[number, number]> {
  checkCount(size1, '旧树大小');
  checkCount(size2, '新树大小');
  if (size1 === 0 || size1 > size2) throw new ProofError(`无法在大小 ${size1} 与 ${size2} 之间构造一致性证明`);
  const out: Array<[number, number]> = [];
  let lo = 0;
  let hi = size2;
  let complete = true; // SUBPROOF's b: the old tree is still a complete subtree of what we look at
  for (;;) {
    const n = hi - lo;
    const m = size1 - lo;
    if (m === n) {
      if (!complete) out.push([lo, hi]);
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
      complete = false;
    }
  }
  return out.reverse();
}

async function hashRanges(ranges: ReadonlyArray<[number, number]>, reader: HashReader): Promise<Buffer[]> {
  const perRange = ranges.map(([lo, hi]) => rangeNodes(lo, hi));
  const hashes = await reader.readHashes(perRange.flat());
  let at = 0;
  return perRange.map((nodes) => {
    const blocks = hashes.slice(at, at + nodes.length);
    at += nodes.length;
    return foldRange(blocks);
  });
}

export async function proveInclusion(index: number, size: number, reader: HashReader): Promise<Buffer[]> {
  return hashRanges(inclusionRanges(index, size), reader);
}

export async function proveConsistency(size1: number, size2: number, reader: HashReader): Promise<Buffer[]> {
  if (size1 === size2) {
    checkCount(size1, '树的大小');
    return [];
  }
  return hashRanges(consistencyRanges(size1, size2), reader);
}

export async function treeRoot(size: number, reader: HashReader): Promise<Buffer> {
  checkCount(size, '树的大小');
  if (size === 0) return EMPTY_ROOT;
  return (await hashRanges([[0, size]], reader))[0]!;
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  for (const p of proof) if (p.length !== HASH_SIZE) throw new ProofError('证明中的哈希长度不是 32 字节');
}

/** RFC 9162 §2.1.3.2: the root that an inclusion proof leads to; throws when the proof cannot be right. */
export function rootFromInclusionProof(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[]): Buffer {
  checkCount(index, '叶子序号');
  checkCount(size, '树的大小');
  if (index >= size) throw new ProofError(`叶子序号 ${index} 不在大小为 ${size} 的树内`);
  if (leafHash.length !== HASH_SIZE) throw new ProofError('叶子哈希长度不是 32 字节');
  checkProofHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) throw new ProofError('包含证明过长');
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('包含证明过短');
  return r;
}

export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!computed.equals(root)) throw new ProofError('包含证明算出的根哈希与检查点不符');
}

/**
 * RFC 9162 §2.1.4.2. Beyond the RFC's steps: equal sizes need an empty proof and equal roots, and a
 * proof from the empty tree is refused (it proves nothing, and a client that asks for one has lost its state).
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  checkCount(size1, '旧树大小');
  checkCount(size2, '新树大小');
  if (size2 < size1) throw new ProofError(`新树（${size2}）比旧树（${size1}）小：日志被截短`);
  if (size1 === 0) throw new ProofError('与空树的一致性证明没有意义');
  if (size1 === size2) {
    if (proof.length !== 0) throw new ProofError('大小相同时一致性证明应为空');
    if (!Buffer.from(root1).equals(Buffer.from(root2))) throw new ProofError('大小相同但根哈希不同：日志分叉');
    return;
  }
  if (proof.length === 0) throw new ProofError('一致性证明为空');
  checkProofHashes(proof);
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofError('一致性证明过长');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('一致性证明过短');
  if (!fr.equals(Buffer.from(root1))) throw new ProofError('一致性证明与旧根哈希不符');
  if (!sr.equals(Buffer.from(root2))) throw new ProofError('一致性证明与新根哈希不符');
}

/** In-memory hash reader over all leaf hashes (tests, and trees small enough to hold). */
export function memoryHashReader(leaves: readonly Uint8Array[]): HashReader {
  const memo = new Map<string, Buffer>();
  const node = (height: number, index: number): Buffer => {
    if (height === 0) return Buffer.from(leaves[index]!);
    const key = `${height}/${index}`;
    let h = memo.get(key);
    if (!h) {
      h = hashChildren(node(height - 1, index * 2), node(height - 1, index * 2 + 1));
      memo.set(key, h);
    }
    return h;
  };
  return {
    async readHashes(nodes) {
      return nodes.map(({ height, index }) => {
        if ((index + 1) * 2 ** height > leaves.length) throw new ProofError('节点超出树的范围');
        return node(height, index);
      });
    },
  };
}
