// sanxiang-draw/v1 at scale (issue 11, R-D02): the draw's whole computation (candidate Merkle roots as
// committed, seed, one key per candidate and the sort, then a team of two per selected object from the
// eligible inspectors) over N candidates and M inspectors, in process, set against SHA-256 of the same
// bytes in a loop (the hashing the draw cannot avoid), measured in the same run. Optionally the
// in-browser recomputation of the public page (static/draw-verify.js, WebCrypto) in Chromium.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fakeCreditCode } from '../src/registry/fake.ts';
import { canonicalCodes, drawSeed, merkleRoot, rankOfficers, selectObjects, toHex, type Sha256 } from '../src/inspections/draw.ts';

const sha: Sha256 = (d) => crypto.hash('sha256', d, 'buffer');
const te = new TextEncoder();
const CLASSES = [['A', 0.55, 300], ['B', 0.3, 500], ['C', 0.12, 1500], ['D', 0.03, 5000]] as const;
const REGIONS = 100;

export interface DrawBenchRow {
  candidates: number;
  inspectors: number;
  selected: number;
  rankedPerObject: number;
  rootsMs: number;
  selectMs: number;
  teamsMs: number;
  totalMs: number;
  baselineMs: number;
  hashes: number;
}

function world(n: number) {
  const byClass = new Map<string, string[]>(CLASSES.map(([c]) => [c, []]));
  for (let i = 0; i < n; i++) {
    const x = (i * 2654435761) % 1000 / 1000;
    const cls = x < 0.55 ? 'A' : x < 0.85 ? 'B' : x < 0.97 ? 'C' : 'D';
    byClass.get(cls)!.push(fakeCreditCode(`3301${String(i % 100).padStart(2, '0')}`, Math.floor(i / 100), '91'));
  }
  return byClass;
}

export function drawBench(n: number, m: number): DrawBenchRow {
  const byClass = world(n);
  const officers = Array.from({ length: m }, (_, i) => ({ id: `浙${String(330100900000000 + i)}`, region: i % REGIONS }));
  const byRegion = new Map<number, string[]>();
  for (const o of officers) (byRegion.get(o.region) ?? byRegion.set(o.region, []).get(o.region)!).push(o.id);
  const t0 = performance.now();
  const lists = CLASSES.map(([c]) => ({ cls: c, codes: canonicalCodes(byClass.get(c)!) }));
  const roots = lists.map((l) => toHex(merkleRoot(sha, l.codes)));
  const t1 = performance.now();
  const seed = drawSeed(sha, sha(te.encode(roots.join(''))), [crypto.randomBytes(32), crypto.randomBytes(32)]);
  const selected = selectObjects(sha, seed, lists.map((l, i) => ({ cls: l.cls, quota: Math.ceil((l.codes.length * CLASSES[i]![2]) / 10_000), creditCodes: l.codes })));
  const t2 = performance.now();
  // Eligibility by area: an object's inspectors are those of its region (officers spread over REGIONS areas).
  let ranked = 0;
  for (const s of selected) {
    const pool = byRegion.get(Number(s.creditCode.slice(6, 8)) % REGIONS) ?? [];
    ranked += pool.length;
    rankOfficers(sha, seed, s.creditCode, pool).slice(0, 2);
  }
  const t3 = performance.now();
  // Baseline: SHA-256 over byte strings of the same sizes, as many as the draw hashed, in a plain loop.
  const hashes = 2 * n + n + ranked;
  const sample = te.encode('sanxiang-draw/v1 obj' + 'x'.repeat(32) + '\0\0\0\u0001A\0\0\0\u001291330106MA0000001X');
  const b0 = performance.now();
  for (let i = 0; i < hashes; i++) sha(sample);
  const b1 = performance.now();
  return { candidates: n, inspectors: m, selected: selected.length, rankedPerObject: ranked / Math.max(1, selected.length), rootsMs: t1 - t0, selectMs: t2 - t1, teamsMs: t3 - t2, totalMs: t3 - t0, baselineMs: b1 - b0, hashes };
}

export interface BrowserBenchRow {
  candidates: number;
  ms: number;
  baselineMs: number;
  match: boolean;
}

/** The public page's recomputation (draw-verify.js) in Chromium, against WebCrypto SHA-256 of the same count of byte strings in the same page. */
export async function browserBench(n: number): Promise<BrowserBenchRow | null> {
  const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(exe)) return null;
  const { chromium } = await import('playwright-core');
  const byClass = world(n);
  const lists = CLASSES.map(([c]) => ({ class: c as string, creditCodes: canonicalCodes(byClass.get(c)!) }));
  const leaf = sha(te.encode('bench'));
  const values = [crypto.randomBytes(32), crypto.randomBytes(32)];
  const seed = drawSeed(sha, leaf, values);
  const classes = lists.map((l, i) => ({ class: l.class, count: l.creditCodes.length, quota: Math.ceil((l.creditCodes.length * CLASSES[i]![2]) / 10_000), root: toHex(merkleRoot(sha, l.creditCodes)) }));
  const selected = selectObjects(sha, seed, lists.map((l, i) => ({ cls: l.class, quota: classes[i]!.quota, creditCodes: l.creditCodes })));
  const task = { algorithm: 'sanxiang-draw/v1', commitment: { leafHash: toHex(leaf), ledgerIndex: 0 }, classes, randomness: values.map((v, i) => ({ source: `p${i}`, value: toHex(v) })), seed: toHex(seed), selected };
  const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // WebCrypto needs a secure context: an empty page answered for http://localhost (no server).
    await page.route('http://localhost/bench', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }));
    await page.goto('http://localhost/bench');
    await page.addScriptTag({ content: fs.readFileSync(path.resolve('src/inspections/static/draw-verify.js'), 'utf8') });
    const r = await page.evaluate(async ({ task, candidates, n }) => {
      const w = window as unknown as { sanxiangVerifyDraw(t: unknown, c: unknown): Promise<string[]> };
      const t0 = performance.now();
      const problems = await w.sanxiangVerifyDraw(task, candidates);
      const t1 = performance.now();
      const buf = new TextEncoder().encode('sanxiang-draw/v1 obj' + 'x'.repeat(64));
      const hashes: Promise<ArrayBuffer>[] = [];
      for (let i = 0; i < 3 * n; i++) hashes.push(crypto.subtle.digest('SHA-256', buf));
      await Promise.all(hashes);
      const t2 = performance.now();
      return { ms: t1 - t0, baselineMs: t2 - t1, match: problems.length === 0 };
    }, { task, candidates: { classes: lists }, n });
    return { candidates: n, ...r };
  } finally {
    await browser.close();
  }
}

export function inspectionsMarkdown(rows: DrawBenchRow[], browserRow: BrowserBenchRow | null): string[] {
  const f = (x: number, d = 0) => x.toFixed(d);
  return [
    '## Random inspection draws (issue 11)',
    '',
    'The whole `sanxiang-draw/v1` computation in process (`bench/inspections.ts`): RFC 6962 roots over each class’s candidates (as committed), the seed, one key per candidate and the sort, then a team of two per selected object ranked over the inspectors eligible by area (M inspectors spread over 100 areas, so each object ranks M/100). Quotas A 3 %, B 5 %, C 15 %, D 50 % of a 55/30/12/3 % class mix. Baseline: SHA-256 (node:crypto) of a byte string of the same size, as many times as the draw hashes, in a plain loop, in the same run.',
    '',
    '| candidates N | inspectors M | selected | ranked per object | roots | keys + sort | teams | total | baseline (same hash count) | ratio | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.candidates.toLocaleString('en')} | ${r.inspectors.toLocaleString('en')} | ${r.selected.toLocaleString('en')} | ${f(r.rankedPerObject)} | ${f(r.rootsMs)} ms | ${f(r.selectMs)} ms | ${f(r.teamsMs)} ms | ${f(r.totalMs)} ms | ${f(r.baselineMs)} ms | ${(r.totalMs / r.baselineMs).toFixed(2)}× | ${r.candidates >= 1_000_000 ? '< 5 s' : ''} |`),
    '',
    rows.length > 1 ? `Scaling: total time per candidate ${rows.map((r) => `${(r.totalMs * 1000 / r.candidates).toFixed(2)} µs at ${r.candidates.toLocaleString('en')}`).join(', ')}; the work is linear in N plus N log N for the sort, and linear in (selected × eligible inspectors per object) for the teams.` : '',
    '',
    ...(browserRow
      ? [
        '### In-browser recomputation (public task page, Chromium, WebCrypto)',
        '',
        `\`draw-verify.js\` recomputing roots, seed and selection of a ${browserRow.candidates.toLocaleString('en')}-candidate task in headless Chromium: ${f(browserRow.ms)} ms (${browserRow.match ? 'matches' : 'DOES NOT MATCH'}). Baseline: ${(3 * browserRow.candidates).toLocaleString('en')} \`crypto.subtle.digest\` calls on the same page: ${f(browserRow.baselineMs)} ms; ratio ${(browserRow.ms / browserRow.baselineMs).toFixed(2)}×. Target: < 10 s for 100,000 candidates.`,
        '',
      ]
      : ['In-browser recomputation: skipped (no Chromium).', '']),
  ];
}
