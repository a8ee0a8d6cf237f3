// The hot loops of sanxiang-draw/v1 (docs/DRAW.md §4–5), byte-identical to the reference in draw.ts and
// plain JavaScript so that worker threads load it without a TypeScript loader (draw-worker.js).
// Every key of one class, or of one object's officers, starts with the same bytes; SHA-256 processes
// 64-byte blocks in order, so the state after the shared blocks is computed once and each key costs one
// compression of its own last block instead of a whole node:crypto call (two blocks plus the call's own
// overhead). Keys stay eight 32-bit words (big-endian, as SHA-256 produces them) and are compared as
// unsigned integers: no Buffer or hex string per key.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const W = new Int32Array(64);

/** FIPS 180-4 §6.2.2: one 64-byte block at `at` of `bytes`, from state `h` into `out` at `o` (may be `h`). */
function compress(h, bytes, at, out, o = 0) {
  for (let i = 0; i < 16; i++) {
    const j = at + 4 * i;
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15], y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (let i = 0; i < 64; i++) {
    const t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  out[o] = (h[0] + a) | 0; out[o + 1] = (h[1] + b) | 0; out[o + 2] = (h[2] + c) | 0; out[o + 3] = (h[3] + d) | 0;
  out[o + 4] = (h[4] + e) | 0; out[o + 5] = (h[5] + f) | 0; out[o + 6] = (h[6] + g) | 0; out[o + 7] = (h[7] + k) | 0;
}

const te = new TextEncoder();

/**
 * SHA-256(prefix ‖ suffix) for many suffixes after one prefix. The state after the prefix's whole blocks
 * is kept, and so is the state after the first block of the last message, reused while the next message
 * has the same first block (sorted credit codes share their first characters).
 */
export class PrefixHasher {
  constructor(prefix) {
    const whole = prefix.length - (prefix.length % 64);
    this.state = Int32Array.from(H0);
    for (let at = 0; at < whole; at += 64) compress(this.state, prefix, at, this.state);
    this.done = whole;
    this.tail = prefix.length - whole;
    this.buf = new Uint8Array(256);
    this.buf.set(prefix.subarray(whole), 0);
    this.first = new Uint8Array(64);
    this.firstState = new Int32Array(8);
    this.firstLen = -1;
    this.tmp = new Int32Array(8);
  }

  /** Writes SHA-256(prefix ‖ LP(text)) as eight words into `out` at `outAt`. */
  hashLp(text, out, outAt) {
    let buf = this.buf;
    const tail = this.tail;
    if (buf.length < tail + 4 + 3 * text.length + 72) {
      const bigger = new Uint8Array(2 * (tail + 4 + 3 * text.length + 72));
      bigger.set(buf.subarray(0, tail));
      buf = this.buf = bigger;
    }
    // ASCII (credit codes) is copied as is; anything else goes through the encoder.
    let n = 0;
    const m = text.length;
    for (let i = 0, at = tail + 4; i < m; i++) {
      const ch = text.charCodeAt(i);
      if (ch > 127) {
        n = -1;
        break;
      }
      buf[at + i] = ch;
    }
    n = n < 0 ? te.encodeInto(text, buf.subarray(tail + 4)).written : m;
    this.finish(n, out, outAt);
  }

  /** The same for text already in UTF-8 (officer ids, hashed once per selected object). */
  hashLpBytes(bytes, out, outAt) {
    const tail = this.tail;
    if (this.buf.length < tail + 4 + bytes.length + 72) {
      const bigger = new Uint8Array(2 * (tail + 4 + bytes.length + 72));
      bigger.set(this.buf.subarray(0, tail));
      this.buf = bigger;
    }
    this.buf.set(bytes, tail + 4);
    this.finish(bytes.length, out, outAt);
  }

  finish(n, out, outAt) {
    const buf = this.buf;
    const tail = this.tail;
    buf[tail] = n >>> 24; buf[tail + 1] = (n >>> 16) & 255; buf[tail + 2] = (n >>> 8) & 255; buf[tail + 3] = n & 255;
    let len = tail + 4 + n;
    const bits = (this.done + len) * 8;
    buf[len++] = 0x80;
    const blocks = Math.ceil((len + 8) / 64);
    const end = blocks * 64;
    buf.fill(0, len, end - 8);
    buf[end - 8] = 0; buf[end - 7] = 0; buf[end - 6] = 0; // bit lengths here stay under 2^40
    buf[end - 5] = Math.floor(bits / 2 ** 32) & 255;
    buf[end - 4] = bits >>> 24; buf[end - 3] = (bits >>> 16) & 255; buf[end - 2] = (bits >>> 8) & 255; buf[end - 1] = bits & 255;
    if (blocks === 1) return compress(this.state, buf, 0, out, outAt);
    let same = this.firstLen === 64;
    for (let i = tail; same && i < 64; i++) same = buf[i] === this.first[i];
    if (!same) {
      compress(this.state, buf, 0, this.firstState);
      this.first.set(buf.subarray(0, 64));
      this.firstLen = 64;
    }
    if (blocks === 2) return compress(this.firstState, buf, 64, out, outAt);
    const h = this.tmp;
    h.set(this.firstState);
    for (let at = 64; at < end - 64; at += 64) compress(h, buf, at, h);
    compress(h, buf, end - 64, out, outAt);
  }
}

function lpBytes(x) {
  const out = new Uint8Array(4 + x.length);
  new DataView(out.buffer).setUint32(0, x.length, false);
  out.set(x, 4);
  return out;
}

function concat(parts) {
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

const TAG_OBJ = te.encode('sanxiang-draw/v1 obj');
const TAG_OFF = te.encode('sanxiang-draw/v1 off');

export const objectPrefix = (seed, cls) => concat([TAG_OBJ, seed, lpBytes(te.encode(cls))]);
export const officerPrefix = (seed, creditCode) => concat([TAG_OFF, seed, lpBytes(te.encode(creditCode))]);

/** Unsigned comparison of the keys at word offsets i and j of `keys` (and `keys2`). */
export function compareKeys(keys, i, keys2, j) {
  for (let w = 0; w < 8; w++) {
    const a = keys[i + w] >>> 0, b = keys2[j + w] >>> 0;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Byte order of the UTF-8 encodings (for ASCII, every credit code, the same as string order). */
export function compareCodes(a, b) {
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = te.encode(a), y = te.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * The q lowest of the keys of `texts` after `prefix` (equal keys by text), lowest first: a max-heap of q
 * entries, so most keys cost one word comparison with the heap's top and nothing is sorted but the q kept.
 * Returns their indices into `texts` and their keys (q × 8 words).
 */
export function lowestKeys(prefix, texts, q) {
  const n = texts.length;
  q = Math.min(q, n);
  const hasher = new PrefixHasher(prefix);
  const keys = new Int32Array(8 * (q + 1));
  const idx = new Int32Array(q + 1);
  // Keys live in q + 1 slots; the heap holds slot numbers, and the one slot outside it takes the next key.
  const heap = new Int32Array(q);
  let size = 0;
  const greater = (s, t) => {
    const c = compareKeys(keys, 8 * s, keys, 8 * t);
    return c > 0 || (c === 0 && compareCodes(texts[idx[s]], texts[idx[t]]) > 0);
  };
  const siftDown = (i) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && greater(heap[l], heap[m])) m = l;
      if (r < size && greater(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i]; heap[i] = heap[m]; heap[m] = t;
      i = m;
    }
  };
  let scratch = 0;
  for (let i = 0; i < n; i++) {
    hasher.hashLp(texts[i], keys, 8 * scratch);
    idx[scratch] = i;
    if (size < q) {
      heap[size] = scratch;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!greater(heap[c], heap[p])) break;
        const t = heap[c]; heap[c] = heap[p]; heap[p] = t;
        c = p;
      }
      // Slots 0..size-1 are in the heap; the next free one is `size`, or q once the heap is full.
      scratch = size < q ? size : q;
    } else if (q > 0 && greater(heap[0], scratch)) {
      const out = heap[0];
      heap[0] = scratch;
      scratch = out;
      siftDown(0);
    }
  }
  const order = Array.from(heap.subarray(0, size));
  order.sort((s, t) => (greater(s, t) ? 1 : -1));
  const outIdx = new Int32Array(order.length);
  const outKeys = new Int32Array(8 * order.length);
  order.forEach((s, i) => {
    outIdx[i] = idx[s];
    outKeys.set(keys.subarray(8 * s, 8 * s + 8), 8 * i);
  });
  return { idx: outIdx, keys: outKeys };
}

/**
 * For each item (a selected object and the group of officer ids eligible for it before the per-pair
 * rules), the k officers with the lowest okey, lowest first: indices into `officerIds` (-1 where the
 * group has fewer) and their keys.
 */
export function rankGroups(seed, officerIds, groups, codes, groupOf, k) {
  const n = codes.length;
  const outIdx = new Int32Array(n * k).fill(-1);
  const outKeys = new Int32Array(n * k * 8);
  const keys = new Int32Array(8 * (k + 1));
  const who = new Int32Array(k + 1);
  const idBytes = new Array(officerIds.length);
  for (let i = 0; i < n; i++) {
    const hasher = new PrefixHasher(officerPrefix(seed, codes[i]));
    const group = groups[groupOf[i]];
    // Insertion into a sorted run of at most k: k is the team size plus a few spares, the groups ~100.
    let size = 0;
    for (let g = 0; g < group.length; g++) {
      const o = group[g];
      hasher.hashLpBytes(idBytes[o] ??= te.encode(officerIds[o]), keys, 8 * k);
      if (size === k && compareKeys(keys, 8 * k, keys, 8 * (k - 1)) >= 0) continue;
      let at = size < k ? size++ : k - 1;
      while (at > 0 && compareKeys(keys, 8 * k, keys, 8 * (at - 1)) < 0) {
        keys.copyWithin(8 * at, 8 * (at - 1), 8 * at);
        who[at] = who[at - 1];
        at--;
      }
      keys.copyWithin(8 * at, 8 * k, 8 * k + 8);
      who[at] = o;
    }
    outIdx.set(who.subarray(0, size), i * k);
    outKeys.set(keys.subarray(0, 8 * size), i * k * 8);
  }
  return { idx: outIdx, keys: outKeys };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Lowercase hex of the key at word offset `at`. */
export function keyHex(keys, at) {
  let s = '';
  for (let w = 0; w < 8; w++) {
    const v = keys[at + w];
    s += HEX[(v >>> 24) & 255] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255];
  }
  return s;
}
