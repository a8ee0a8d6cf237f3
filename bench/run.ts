// npm run bench: runs every benchmark and rewrites docs/PERFORMANCE.md with the figures of this run.
// Figures are reported as ratios against baselines measured in the same run (see each section).
// A quick run can pick sections: BENCH_ONLY=foundation,documents npm run bench (with BENCH_OUT=<file>
// so that the partial report does not replace docs/PERFORMANCE.md)
import fs from 'node:fs';
import os from 'node:os';
import { foundationBench } from './foundation.ts';
import { ledgerBench, ledgerMarkdown } from './ledger.ts';
import { blobsBench, blobsMarkdown, resumableBench, resumableMarkdown } from './blobs.ts';
import { documentsBench } from './documents.ts';
import { casesBench, casesMarkdown } from './cases.ts';
import { inputBench, inputMarkdown } from './input.ts';
import { browserBench, drawBench, inspectionsMarkdown } from './inspections.ts';

import { publicityBench, publicityMarkdown, type PublicityBench } from './publicity.ts';

import { supervisionBench, supervisionMarkdown } from './supervision.ts';
import { assistBench, assistMarkdown } from './assist.ts';
import { deskBench, deskMarkdown } from './desk.ts';
import { annualBench, annualMarkdown } from './annual.ts';

const officers = Number(process.env.BENCH_OFFICERS ?? 100_000);
const only = new Set((process.env.BENCH_ONLY ?? 'foundation,ledger,blobs,blobs-resumable,documents,cases,input,inspections,publicity,supervision,assist,desk').split(','));
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function foundationSection(): Promise<string[]> {
  const f = await foundationBench(officers);
  const bare = median(f.bareStartMs);
  return [
    '## Foundation (issue 2)',
    '',
    `Data: ${officers.toLocaleString('en')} synthetic officers (\`sanxiang seed --scale ${officers}\`) over the agencies of one city and its counties.`,
    '',
    '### Start to first /healthz on existing data',
    '',
    `Baseline: a bare \`node:http\` server answering /healthz, started the same way: median ${fmt(bare, 0)} ms.`,
    '',
    '| engine | restarts (ms) | median | ratio to bare Node | target |',
    '|---|---|---|---|---|',
    ...f.engines.map((e) => `| ${e.engine} | ${e.restartMs.map((x) => fmt(x, 0)).join(', ')} | ${fmt(median(e.restartMs), 0)} ms | ${fmt(median(e.restartMs) / bare, 1)}× | < 3000 ms |`),
    '',
    '### Idle resident memory',
    '',
    '| engine | RSS after start, idle 3 s | target |',
    '|---|---|---|',
    ...f.engines.map((e) => `| ${e.engine} | ${fmt(e.idleRssMb, 0)} MB | ${e.engine === 'pglite' ? '< 800 MB' : '—'} |`),
    '',
    '### Officer search latency (`GET /api/v1/public/officers?q=`, over HTTP, one client)',
    '',
    'Queries: one third full names, one third a surname alone (thousands of hits, counted), one third the first 12 characters of a certificate number. Baseline: `GET /healthz` on the same server (HTTP + one `SELECT 1`).',
    '',
    '| engine | search p50 | search p95 | search p99 | /healthz p95 | p95 ratio to /healthz | target p95 |',
    '|---|---|---|---|---|---|---|',
    ...f.engines.map((e) => `| ${e.engine} | ${fmt(e.search.p50)} ms | ${fmt(e.search.p95)} ms | ${fmt(e.search.p99)} ms | ${fmt(e.healthz.p95)} ms | ${fmt(e.search.p95 / e.healthz.p95)}× | ${e.engine === 'pglite' ? '< 100 ms' : '< 30 ms'} |`),
    '',
    '| engine | seed time for the data set (one event and ledger entry per officer) |',
    '|---|---|',
    ...f.engines.map((e) => `| ${e.engine} | ${fmt(e.seedSeconds)} s |`),
    '',
  ];
}

async function documentsSection(): Promise<string[]> {
  const d = await documentsBench();
  return [
    '## Case documents (issue 4)',
    '',
    `${d.documents} documents of mixed types, each with its own characters (a fresh font subset each). Baseline: pdfkit rendering the same layouts with its built-in Helvetica and ASCII text, in the same run.`,
    '',
    '| what | p50 | p95 | p95 ratio to baseline | target |',
    '|---|---|---|---|---|',
    `| PDF, Chinese, fresh subset | ${fmt(d.pdf.p50)} ms | ${fmt(d.pdf.p95)} ms | ${fmt(d.pdf.p95 / d.helveticaBaseline.p95, 2)}× | < 100 ms |`,
    `| PDF, Chinese, cached subset | ${fmt(d.pdfCached.p50)} ms | ${fmt(d.pdfCached.p95)} ms | ${fmt(d.pdfCached.p95 / d.helveticaBaseline.p95, 2)}× | |`,
    `| baseline: Helvetica, ASCII | ${fmt(d.helveticaBaseline.p50)} ms | ${fmt(d.helveticaBaseline.p95)} ms | 1× | |`,
    `| DOCX draft | ${fmt(d.docx.p50)} ms | ${fmt(d.docx.p95)} ms | | |`,
    '',
    `Once per process: font load ${fmt(d.fontLoadMs, 0)} ms (after the port opens), first document ${fmt(d.firstDocumentMs, 0)} ms. Mean PDF size ${fmt(d.meanPdfBytes / 1024)} KiB.`,
    '',
  ];
}

const started = new Date();
const lines: string[] = [
  '# 性能测量 / Performance',
  '',
  `Measured by \`npm run bench\` on ${started.toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  'Every figure is set against a baseline measured in the same run on the same machine; the ratio is what to compare across machines.',
  'This machine is a shared 2-core VM whose disk speed varies from minute to minute; absolute figures move between runs, ratios much less.',
  '',
];
if (only.has('foundation')) lines.push(...(await foundationSection()));
if (only.has('ledger')) lines.push(...ledgerMarkdown(await ledgerBench()), '');
if (only.has('blobs')) lines.push(...blobsMarkdown(await blobsBench()), '');
if (only.has('blobs-resumable')) lines.push(...resumableMarkdown(await resumableBench()), '');
if (only.has('documents')) lines.push(...(await documentsSection()));
if (only.has('cases')) {
  // Needs PostgreSQL (BENCH_DATABASE_URL or the local server); skipped with a note when there is none.
  const c = await casesBench();
  lines.push(...(c ? casesMarkdown(c) : ['## Cases (issue 4)', '', 'Skipped: no PostgreSQL server reachable.']), '');
}

if (only.has('input')) lines.push(...inputMarkdown(inputBench()), '');
if (only.has('inspections')) {
  // BENCH_DRAW_SIZES: candidate counts (comma-separated); BENCH_DRAW_INSPECTORS: M; BENCH_DRAW_BROWSER: candidates for the Chromium run (0 skips).
  const sizes = (process.env.BENCH_DRAW_SIZES ?? '100000,300000,1000000').split(',').map(Number);
  const m = Number(process.env.BENCH_DRAW_INSPECTORS ?? 10_000);
  const rows = [];
  for (const n of sizes) rows.push(await drawBench(n, m));
  const b = Number(process.env.BENCH_DRAW_BROWSER ?? 100_000);
  lines.push(...inspectionsMarkdown(rows, b > 0 ? await browserBench(b) : null), '');
}
if (only.has('publicity')) {
  // Sizes: BENCH_PUBLICATIONS (PostgreSQL), BENCH_PUBLICATIONS_PGLITE; PostgreSQL is skipped without a server.
  // BENCH_PUBLICITY_ENGINES: postgres,pglite (default both).
  const engines = (process.env.BENCH_PUBLICITY_ENGINES ?? 'postgres,pglite').split(',');
  const rs = [
    engines.includes('postgres') ? await publicityBench('postgres', Number(process.env.BENCH_PUBLICATIONS ?? 200_000)) : null,
    engines.includes('pglite') ? await publicityBench('pglite', Number(process.env.BENCH_PUBLICATIONS_PGLITE ?? 50_000)) : null,
  ];
  lines.push(...publicityMarkdown(rs.filter((x): x is PublicityBench => x !== null)), '');
}
if (only.has('supervision')) {
  const s = await supervisionBench();
  lines.push(...(s ? supervisionMarkdown(s) : ['## Supervision alerts (issue 12)', '', 'Skipped: no PostgreSQL server reachable.']), '');
}
if (only.has('assist')) {
  const r = await assistBench();
  lines.push(...(r ? assistMarkdown(r) : ['## Similar-case search (issue 13)', '', 'Skipped: no PostgreSQL server reachable.']), '');
}
if (only.has('desk')) {
  const r = await deskBench();
  lines.push(...(r ? deskMarkdown(r) : ['## Desks: GET /api/v1/me/work (issue 9)', '', 'Skipped: no PostgreSQL server reachable.']), '');
}
// Issue 10: the annual report (BENCH_ANNUAL_CASES in the city, BENCH_ANNUAL_OTHER in four other cities) and the guide and matter pages; part of every full run.
if (!process.env.BENCH_ONLY) only.add('annual');
if (only.has('annual')) {
  const r = await annualBench(undefined, undefined, (s) => console.error(s));
  lines.push(...(r ? annualMarkdown(r) : ['## Annual report and before-enforcement pages (issue 10)', '', 'Skipped: no PostgreSQL server reachable.']), '');
}

fs.mkdirSync('docs', { recursive: true });
// BENCH_OUT lets a partial run (BENCH_ONLY) write elsewhere instead of replacing the full report.
fs.writeFileSync(process.env.BENCH_OUT ?? 'docs/PERFORMANCE.md', lines.join('\n'));
console.log(lines.join('\n'));
