// sanxiang-draw/v1 (R-D02, docs/DRAW.md): the whole draw as a pure function of published data, so the
// server, the CLI (`sanxiang verify-draw`) and anyone else compute the same selection. Only SHA-256,
// length-prefixed byte strings and a byte-order sort: no modulo, no floating point, no dependence on
// list order. The SHA-256 is injected: node:crypto on the server, WebCrypto in the browser port
// (static/draw-verify.js), which the browser test proves gives the same answer.

export const ALGORITHM = 'sanxiang-draw/v1';
export const CREDIT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];

export type Sha256 = (data: Uint8Array) => Uint8Array;

const te = new TextEncoder();
const TAG_SEED = te.encode('sanxiang-draw/v1 seed');
const TAG_OBJ = te.encode('sanxiang-draw/v1 obj');
const TAG_OFF = te.encode('sanxiang-draw/v1 off');

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function toHex(u8: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u8.length; i++) s += HEX[u8[i]!];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error('不是小写十六进制');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** LP(x) = 4-byte big-endian length ‖ x. */
function lp(x: Uint8Array): Uint8Array[] {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, x.length, false);
  return [len, x];
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Credit codes in UTF-8 byte order, de-duplicated: the canonical candidate list of a class. */
export function canonicalCodes(codes: readonly string[]): string[] {
  const unique = [...new Set(codes)];
  // For ASCII (every credit code) UTF-16 order is byte order, and the engine's string sort is much faster.
  if (unique.every((c) => /^[\x00-\x7f]*$/.test(c))) return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const enc = unique.map((c) => ({ c, b: te.encode(c) }));
  enc.sort((x, y) => compareBytes(x.b, y.b));
  return enc.map((x) => x.c);
}

/** RFC 6962 Merkle tree hash over the codes as UTF-8 leaves, in the order given (callers pass canonical order). */
export function merkleRoot(sha256: Sha256, codes: readonly string[]): Uint8Array {
  if (codes.length === 0) return sha256(new Uint8Array(0));
  // One input buffer for every leaf and one for every node: the hashes are computed from views of them.
  let leafIn = new Uint8Array(64);
  let level = codes.map((c) => {
    if (leafIn.length < 1 + 3 * c.length) leafIn = new Uint8Array(2 + 6 * c.length);
    return sha256(leafIn.subarray(0, 1 + te.encodeInto(c, leafIn.subarray(1)).written));
  });
  const nodeIn = new Uint8Array(65);
  nodeIn[0] = 1;
  // Pairing left to right and promoting an odd last node gives the same tree as RFC 6962's split at the largest power of two below n.
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      nodeIn.set(level[i]!, 1);
      nodeIn.set(level[i + 1]!, 33);
      next.push(sha256(nodeIn));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** seed = SHA-256("sanxiang-draw/v1 seed" ‖ LP(commitment leaf hash) ‖ LP(value₁) ‖ …). */
export function drawSeed(sha256: Sha256, commitmentLeafHash: Uint8Array, values: readonly Uint8Array[]): Uint8Array {
  return sha256(concat([TAG_SEED, ...lp(commitmentLeafHash), ...values.flatMap(lp)]));
}

export function objectKey(sha256: Sha256, seed: Uint8Array, cls: string, creditCode: string): Uint8Array {
  return sha256(concat([TAG_OBJ, seed, ...lp(te.encode(cls)), ...lp(te.encode(creditCode))]));
}

export function officerKey(sha256: Sha256, seed: Uint8Array, creditCode: string, officerId: string): Uint8Array {
  return sha256(concat([TAG_OFF, seed, ...lp(te.encode(creditCode)), ...lp(te.encode(officerId))]));
}

/** prefix ‖ LP(text) in one allocation: the keys of one class (or one object) share their prefix. */
function withLp(prefix: Uint8Array, text: string): Uint8Array {
  const b = te.encode(text);
  const out = new Uint8Array(prefix.length + 4 + b.length);
  out.set(prefix, 0);
  new DataView(out.buffer).setUint32(prefix.length, b.length, false);
  out.set(b, prefix.length + 4);
  return out;
}

export interface ClassQuota {
  cls: string;
  quota: number;
}

export interface Selected {
  class: string;
  creditCode: string;
  key: string;
}

/**
 * Objects: in each class (in the order given, which the commitment fixes), the q candidates with the
 * smallest keys, in ascending key order. Keeping only the q best while scanning keeps memory at q keys.
 */
export function selectObjects(sha256: Sha256, seed: Uint8Array, classes: readonly { cls: string; quota: number; creditCodes: readonly string[] }[]): Selected[] {
  const out: Selected[] = [];
  for (const c of classes) {
    const q = Math.min(c.quota, c.creditCodes.length);
    if (q <= 0) continue;
    // The first 6 bytes as an exact integer sort most pairs without a byte loop; ties fall back to the whole key.
    const prefix = concat([TAG_OBJ, seed, ...lp(te.encode(c.cls))]);
    const keyed = c.creditCodes.map((code) => {
      const key = sha256(withLp(prefix, code));
      return { code, key, head: key[0]! * 2 ** 40 + key[1]! * 2 ** 32 + key[2]! * 2 ** 24 + key[3]! * 2 ** 16 + key[4]! * 2 ** 8 + key[5]! };
    });
    keyed.sort((a, b) => a.head - b.head || compareBytes(a.key, b.key) || compareBytes(te.encode(a.code), te.encode(b.code)));
    for (const k of keyed.slice(0, q)) out.push({ class: c.cls, creditCode: k.code, key: toHex(k.key) });
  }
  return out;
}

/** Officers of one team group (a department in a joint task) ranked by their key for this object, lowest first. */
export function rankOfficers(sha256: Sha256, seed: Uint8Array, creditCode: string, officerIds: readonly string[]): { officerId: string; key: string }[] {
  const prefix = concat([TAG_OFF, seed, ...lp(te.encode(creditCode))]);
  return officerIds
    .map((id) => ({ officerId: id, k: sha256(withLp(prefix, id)) }))
    .sort((a, b) => compareBytes(a.k, b.k))
    // Only the first few are used (the team, a replacement): their hex is made when asked for.
    .map((x) => ({ officerId: x.officerId, get key() { return toHex(x.k); } }));
}

/**
 * Quota of a class (R-D02, plan rule): q = clamp(round(N × ratio), min, max), never more than N.
 * The ratio is in basis points (1 = 0.01 %) so the arithmetic stays in integers; `ceil` rounds any
 * fraction up, `floor` down, `half_up` rounds .5 up.
 */
export type Rounding = 'ceil' | 'floor' | 'half_up';
export function classQuota(n: number, ratioBp: number, min: number, max: number | null, rounding: Rounding): number {
  const num = n * ratioBp;
  const den = 10_000;
  // Exact integer quotient and remainder (num < 2^53): no floating-point rounding at the boundaries.
  const rem = num % den;
  const whole = (num - rem) / den;
  let q = rounding === 'ceil' ? whole + (rem > 0 ? 1 : 0) : rounding === 'floor' ? whole : whole + (2 * rem >= den ? 1 : 0);
  if (q < min) q = min;
  if (max !== null && q > max) q = max;
  return Math.min(q, n);
}
