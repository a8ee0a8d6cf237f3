// The Chinese font of the documents: Noto Serif SC (思源宋体, SIL Open Font License 1.1), installed
// from npm as @expo-google-fonts/noto-serif-sc, which ships the full TrueType files. No system font
// is used at run time, so every machine renders the same bytes.
//
// A full CJK face is ~15 MB, so each document embeds a subset made by HarfBuzz (subset-font) of
// exactly the characters it prints; pdfkit then embeds only the glyphs it draws. pdf-lib's own
// subsetting is known to drop CJK glyphs, which is why it is not used. Documents are subset from a
// GB 2312 "working face" made once per weight (a few ms instead of ~20 ms from the full face), or
// from the full face when they print a character outside it. Subsets are cached by their exact
// character set, so a cache hit gives the same bytes as a fresh subset (the PDF stays
// deterministic), and the cache is bounded in bytes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

export type FontWeight = 'regular' | 'bold';

const require = createRequire(import.meta.url);
const FILES: Record<FontWeight, string> = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
};

export const FONT_PACKAGE = '@expo-google-fonts/noto-serif-sc';
export const FONT_LICENSE = 'SIL Open Font License 1.1 (font); MIT (package code)';

const faces = new Map<FontWeight, Buffer>();

function fullFace(weight: FontWeight): Buffer {
  let face = faces.get(weight);
  if (!face) {
    face = fs.readFileSync(require.resolve(FILES[weight]));
    faces.set(weight, face);
  }
  return face;
}

export interface FontSubset {
  /** A TrueType font holding exactly the requested characters that the face has. */
  data: Buffer;
  /** Requested characters the face cannot draw. */
  missing: string[];
}

const MAX_CACHE_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, Promise<FontSubset>>();
const sizes = new Map<string, number>();
let cachedBytes = 0;
let hits = 0;
let misses = 0;

/** Unique code points of text, sorted, without control characters. */
export function charset(text: string): string {
  const cps = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0)) cps.add(cp);
  }
  return String.fromCodePoint(...[...cps].sort((a, b) => a - b));
}

/** The subset of the face for the characters of text (cached by exact character set). */
export function fontSubset(weight: FontWeight, text: string): Promise<FontSubset> {
  const chars = charset(text);
  const key = `${weight}:${chars}`;
  const hit = cache.get(key);
  if (hit) {
    hits++;
    // Most recently used goes last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  misses++;
  const made = makeSubset(weight, chars).then(
    (s) => {
      if (cache.get(key) === made) {
        sizes.set(key, s.data.length);
        cachedBytes += s.data.length;
        evict();
      }
      return s;
    },
    (err) => {
      cache.delete(key);
      throw err;
    },
  );
  cache.set(key, made);
  return made;
}

function evict() {
  for (const key of cache.keys()) {
    if (cachedBytes <= MAX_CACHE_BYTES) break;
    const size = sizes.get(key);
    if (size === undefined) continue; // still being made
    cache.delete(key);
    sizes.delete(key);
    cachedBytes -= size;
  }
}

// Horizontal CJK text needs no layout features, vertical metrics or hinting; leaving them out makes
// subsets small and fast.
const SUBSET_OPTIONS = {
  targetFormat: 'truetype' as const,
  keepFeatures: [],
  noHinting: true,
  dropTables: ['GSUB', 'GPOS', 'GDEF', 'BASE', 'vhea', 'vmtx', 'VORG', 'STAT', 'gasp', 'DSIG'],
};

/**
 * The characters of GB 2312 (its 6,763 hanzi and its symbol rows), ASCII, Latin-1 and a few more that
 * documents print. Nearly every document stays within it.
 */
function workingCharset(): string {
  const gbk = new TextDecoder('gbk');
  let s = '';
  for (let cp = 0x20; cp <= 0xff; cp++) if (cp < 0x7f || cp >= 0xa0) s += String.fromCodePoint(cp);
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    if (hi > 0xa9 && hi < 0xb0) continue;
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = gbk.decode(Uint8Array.of(hi, lo));
      if (ch !== '\ufffd') s += ch;
    }
  }
  return charset(`${s}〇¥–―•※　`);
}

/**
 * A face per weight holding only the working character set (≈3.5 MB instead of 15 MB), made once.
 * Subsetting a document from it is several times faster than from the full face. Which face a
 * document is subset from depends only on its characters, so the output stays deterministic.
 */
const working = new Map<FontWeight, Promise<{ data: Buffer; has: Set<number> }>>();

function workingFace(weight: FontWeight) {
  let w = working.get(weight);
  if (!w) {
    w = subsetFont(fullFace(weight), workingCharset(), SUBSET_OPTIONS).then((data) => ({ data, has: cmapCodePoints(data) }));
    w.catch(() => working.delete(weight));
    working.set(weight, w);
  }
  return w;
}

async function makeSubset(weight: FontWeight, chars: string): Promise<FontSubset> {
  const work = await workingFace(weight);
  const inside = [...chars].every((c) => c === ' ' || work.has.has(c.codePointAt(0)!));
  const data = await subsetFont(inside ? work.data : fullFace(weight), chars, SUBSET_OPTIONS);
  const have = cmapCodePoints(data);
  const missing = [...chars].filter((c) => c !== ' ' && !have.has(c.codePointAt(0)!));
  return { data, missing };
}

export function fontCacheStats() {
  return { entries: cache.size, bytes: cachedBytes, hits, misses };
}

export function clearFontCache() {
  cache.clear();
  sizes.clear();
  cachedBytes = 0;
  hits = 0;
  misses = 0;
}

/** Loads the faces now (≈30 MB read once, working faces made) so that the first document does not pay for it. */
export async function preloadFonts() {
  await Promise.all([workingFace('regular'), workingFace('bold')]);
}

/**
 * The code points mapped by a TrueType font's cmap (formats 4 and 12), read directly so that the
 * check does not depend on a font library's internals.
 */
export function cmapCodePoints(font: Buffer): Set<number> {
  const out = new Set<number>();
  const numTables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (font.toString('latin1', rec, rec + 4) === 'cmap') cmap = font.readUInt32BE(rec + 8);
  }
  if (cmap < 0) return out;
  const n = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = font.readUInt16BE(rec);
    const off = cmap + font.readUInt32BE(rec + 4);
    if (platform !== 0 && platform !== 3) continue;
    const format = font.readUInt16BE(off);
    if (format === 12) {
      const groups = font.readUInt32BE(off + 12);
      for (let g = 0; g < groups; g++) {
        const start = font.readUInt32BE(off + 16 + g * 12);
        const end = font.readUInt32BE(off + 20 + g * 12);
        for (let cp = start; cp <= end; cp++) out.add(cp);
      }
    } else if (format === 4) {
      const segX2 = font.readUInt16BE(off + 6);
      const ends = off + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const ranges = deltas + segX2;
      for (let s = 0; s < segX2 / 2; s++) {
        const end = font.readUInt16BE(ends + s * 2);
        const start = font.readUInt16BE(starts + s * 2);
        const delta = font.readInt16BE(deltas + s * 2);
        const rangeOff = font.readUInt16BE(ranges + s * 2);
        for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
          let gid: number;
          if (rangeOff === 0) gid = (cp + delta) & 0xffff;
          else {
            const at = ranges + s * 2 + rangeOff + (cp - start) * 2;
            gid = font.readUInt16BE(at);
            if (gid !== 0) gid = (gid + delta) & 0xffff;
          }
          if (gid !== 0) out.add(cp);
        }
      }
    }
  }
  return out;
}
