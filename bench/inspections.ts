// sanxiang-draw/v1 at scale (issue 11, R-D02). What the server computes when it runs a draw
// (ceremony.ts computeDraw, the code runDraw calls): from the committed candidate lists, officer pool and
// the seed, one key per candidate and the q lowest per class, then a team of two per selected object
// from the officers eligible for it, in worker threads. The candidates' Merkle roots are computed when
// the lists are committed, before the draw, and are timed apart (commitTask's merkleRoot). The database
// reads and writes around the draw are not in these numbers. Set against SHA-256 (node:crypto) of byte
// strings of the same sizes, as many as the draw hashes, in a plain loop in the same run. Optionally the
// in-browser recomputation of the public page (static/draw-verify.js) in Chromium.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeCreditCode } from '../src/registry/fake.ts';
import { canonicalCodes, drawSeed, merkleRoot, rankOfficers, selectObjects, toHex, type Sha256 } from '../src/inspections/draw.ts';
import { assignTeams, conflictDigest, type ObjectInfo } from '../src/inspections/ceremony.ts';
import { DrawWorkers, selectObjectsFast } from '../src/inspections/parallel.ts';
import type { CommitmentDocument, PoolDocument } from '../src/inspections/store.ts';

const sha: Sha256 = (d) => crypto.hash('sha256', d, 'buffer');
const te = new TextEncoder();
const CLASSES = [['A', 0.55, 300], ['B', 0.3, 500], ['C', 0.12, 1500], ['D', 0.03, 5000]] as const;
const REGIONS = 100;
const region = (r: number) => `3301${String(r).padStart(2, '0')}`;

export interface DrawBenchRow {
  candidates: number;
  inspectors: number;
  threads: number;
  selected: number;
  rankedPerObject: number;
  rootsMs: number;
  rootsBaselineMs: number;
  selectMs: number;
  teamsMs: number;
  drawMs: number;
  oneThreadMs: number;
  /** The code before issue 11's bench work (draw.ts selectObjects and rankOfficers, one thread), when run. */
  referenceMs: number | null;
  baselineMs: number;
  hashes: number;
}

function world(n: number) {
  const byClass = new Map<string, string[]>(CLASSES.map(([c]) => [c, []]));
  const regionOf = new Map<string, ObjectInfo>();
  for (let i = 0; i < n; i++) {
    const x = (i * 2654435761) % 1000 / 1000;
    const cls = x < 0.55 ? 'A' : x < 0.85 ? 'B' : x < 0.97 ? 'C' : 'D';
    const code = fakeCreditCode(region(i % REGIONS), Math.floor(i / REGIONS), '91');
    byClass.get(cls)!.push(code);
    regionOf.set(code, { region: region(i % REGIONS) });
  }
  return { byClass, regionOf };
}

/** M inspectors of one agency spread over the REGIONS areas (so each object ranks M / REGIONS), with some declared conflicts. */
function officerPool(m: number, codes: string[]): PoolDocument {
  const officers = Array.from({ length: m }, (_, i) => ({
    officerId: crypto.randomUUID(), certificateNumber: `浙${String(330100900000000 + i)}`, categories: ['市场监管'], areas: [region(i % REGIONS)], unit: '执法大队',
    available: true, workloadCap: 60, load: i % 7,
  }));
  const conflicts = Array.from({ length: Math.min(m, codes.length) }, (_, i) => conflictDigest(officers[i]!.officerId, codes[(i * 7919) % codes.length]!)).sort();
  return { departments: [{ departmentId: crypto.randomUUID(), officers }], conflicts, recent: {} };
}

async function timedDraw(threads: number, seed: Uint8Array, lists: { class: string; creditCodes: string[] }[], quotas: number[], pool: PoolDocument, document: CommitmentDocument, regionOf: Map<string, ObjectInfo>) {
  const t0 = performance.now();
  // As computeDraw: workers for the whole draw when it is large enough.
  const workers = DrawWorkers.forWork(Infinity, { threads });
  try {
    const selected = await selectObjectsFast(workers, seed, lists.map((l, i) => ({ cls: l.class, quota: quotas[i]!, creditCodes: l.creditCodes })));
    const t1 = performance.now();
    const objects = new Map(selected.map((s) => [s.creditCode, regionOf.get(s.creditCode)!]));
    const teams = await assignTeams(seed, selected, objects, pool, document, workers);
    const t2 = performance.now();
    return { selected, teams, selectMs: t1 - t0, teamsMs: t2 - t1, totalMs: t2 - t0 };
  } finally {
    await workers.close();
  }
}

export async function drawBench(n: number, m: number): Promise<DrawBenchRow> {
  const { byClass, regionOf } = world(n);
  const lists = CLASSES.map(([c]) => ({ class: c as string, creditCodes: canonicalCodes(byClass.get(c)!) }));
  const quotas = lists.map((l, i) => Math.ceil((l.creditCodes.length * CLASSES[i]![2]) / 10_000));
  const pool = officerPool(m, lists.flatMap((l) => l.creditCodes.slice(0, 1000)));
  const document: CommitmentDocument = {
    algorithm: 'sanxiang-draw/v1', task: 'bench', classes: lists.map((l, i) => ({ class: l.class, count: l.creditCodes.length, quota: quotas[i]!, root: '' })), sources: [],
    matterCategory: '市场监管', inspectionDate: '2026-06-01', teamSize: 2, rotationDays: 365, pool: '',
  };
  // At commit time (commitTask), before any randomness: the roots of the committed lists.
  const r0 = performance.now();
  const roots = lists.map((l) => toHex(merkleRoot(sha, l.creditCodes)));
  const rootsMs = performance.now() - r0;
  const seed = drawSeed(sha, sha(te.encode(roots.join(''))), [crypto.randomBytes(32), crypto.randomBytes(32)]);
  const threads = Number(process.env.SANXIANG_DRAW_THREADS) || os.availableParallelism();
  const parallel = await timedDraw(threads, seed, lists, quotas, pool, document, regionOf);
  const single = await timedDraw(1, seed, lists, quotas, pool, document, regionOf);
  if (JSON.stringify(single.teams) !== JSON.stringify(parallel.teams) || JSON.stringify(single.selected) !== JSON.stringify(parallel.selected)) throw new Error('parallel and single-thread draws differ');
  // Spot check against the reference implementation (draw.ts) on the smallest class.
  const d = lists.length - 1;
  const ref = selectObjects(sha, seed, [{ cls: lists[d]!.class, quota: quotas[d]!, creditCodes: lists[d]!.creditCodes }]);
  if (JSON.stringify(ref) !== JSON.stringify(parallel.selected.filter((s) => s.class === lists[d]!.class))) throw new Error('fast selection differs from draw.ts');
  // The reference path as runDraw computed it before: draw.ts keys and sort, every eligible officer ranked per object.
  let referenceMs: number | null = null;
  if (n <= Number(process.env.BENCH_DRAW_REFERENCE_MAX ?? 300_000)) {
    const byRegion = new Map<string, string[]>();
    for (const o of pool.departments[0]!.officers) (byRegion.get(o.areas[0]!) ?? byRegion.set(o.areas[0]!, []).get(o.areas[0]!)!).push(o.certificateNumber);
    const x0 = performance.now();
    const sel = selectObjects(sha, seed, lists.map((l, i) => ({ cls: l.class, quota: quotas[i]!, creditCodes: l.creditCodes })));
    for (const s of sel) rankOfficers(sha, seed, s.creditCode, byRegion.get(regionOf.get(s.creditCode)!.region)!).slice(0, 2).map((r) => r.key);
    referenceMs = performance.now() - x0;
  }
  const perRegion = m / REGIONS;
  const ranked = parallel.selected.length * perRegion;
  // Baselines: node:crypto SHA-256 over inputs of the keys' sizes (79-byte object key input, 96-byte officer key input), and the roots' (19- and 65-byte).
  const objIn = new Uint8Array(79).fill(7), offIn = new Uint8Array(96).fill(7), leafIn = new Uint8Array(19).fill(7), nodeIn = new Uint8Array(65).fill(7);
  const b0 = performance.now();
  for (let i = 0; i < n; i++) sha(objIn);
  for (let i = 0; i < ranked; i++) sha(offIn);
  const b1 = performance.now();
  for (let i = 0; i < n; i++) sha(leafIn);
  for (let i = 0; i < n; i++) sha(nodeIn);
  const b2 = performance.now();
  return {
    candidates: n, inspectors: m, threads, selected: parallel.selected.length, rankedPerObject: perRegion, rootsMs, rootsBaselineMs: b2 - b1,
    selectMs: parallel.selectMs, teamsMs: parallel.teamsMs, drawMs: parallel.totalMs, oneThreadMs: single.totalMs, referenceMs, baselineMs: b1 - b0, hashes: n + ranked,
  };
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
  const { byClass } = world(n);
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
    'The draw as the server runs it (`bench/inspections.ts`, calling `selectObjectsFast` and `assignTeams` as `computeDraw` in `runDraw` does): from the committed candidate lists, officer pool and seed, one key per candidate and the q lowest per class, then a team of two per selected object ranked over the inspectors eligible for it (M inspectors spread over 100 areas, so each object ranks M/100), in worker threads. Quotas A 3 %, B 5 %, C 15 %, D 50 % of a 55/30/12/3 % class mix. Not included: the database reads and writes around the draw. The candidates’ Merkle roots are computed when the lists are committed, before any randomness exists, and are shown apart. Baseline: SHA-256 (node:crypto, `crypto.hash`) of byte strings of the keys’ sizes, as many as the draw hashes (N + selected × ranked), in a plain loop, in the same run.',
    '',
    '| candidates N | inspectors M | selected | ranked per object | roots (at commit) | keys + selection | teams | draw (threads) | draw, 1 thread | before: draw.ts, 1 thread | baseline (same hash count) | ratio | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.candidates.toLocaleString('en')} | ${r.inspectors.toLocaleString('en')} | ${r.selected.toLocaleString('en')} | ${f(r.rankedPerObject)} | ${f(r.rootsMs)} ms (baseline ${f(r.rootsBaselineMs)} ms) | ${f(r.selectMs)} ms | ${f(r.teamsMs)} ms | **${f(r.drawMs)} ms** (${r.threads}) | ${f(r.oneThreadMs)} ms | ${r.referenceMs === null ? 'not run' : `${f(r.referenceMs)} ms`} | ${f(r.baselineMs)} ms (${r.hashes.toLocaleString('en')}) | ${(r.drawMs / r.baselineMs).toFixed(2)}× | ${r.candidates >= 1_000_000 ? '< 5 s' : ''} |`),
    '',
    ...(browserRow
      ? [
        '### In-browser recomputation (public task page, Chromium)',
        '',
        `\`draw-verify.js\` (SHA-256 in the script, checked against WebCrypto first) recomputing roots, seed and selection of a ${browserRow.candidates.toLocaleString('en')}-candidate task in headless Chromium: ${f(browserRow.ms)} ms (${browserRow.match ? 'matches' : 'DOES NOT MATCH'}). Baseline: ${(3 * browserRow.candidates).toLocaleString('en')} \`crypto.subtle.digest\` calls on the same page: ${f(browserRow.baselineMs)} ms; ratio ${(browserRow.ms / browserRow.baselineMs).toFixed(2)}×. Target: < 10 s for 100,000 candidates.`,
        '',
      ]
      : ['In-browser recomputation: skipped (no Chromium).', '']),
  ];
}
