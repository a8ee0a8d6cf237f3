// Cases at scale on PostgreSQL (issue 4): an agency's filtered case list p50/p95 with N synthetic cases
// (target p95 < 50 ms at 1M), and step-transition throughput through the real use case (registry
// lookups, catalog, AV rule, engine, event + ledger entry, all in one transaction). Baselines measured
// in the same run: a `SELECT 1` round trip for the list, a transaction holding only recordChange for
// the steps. Runs alone too: `node --import tsx bench/cases.ts` (BENCH_CASES, default 200000).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/actor.ts';
import type { AppContext } from '../src/platform/context.ts';
import { recordChange } from '../src/platform/changes.ts';
import { generate } from '../src/seed/generate.ts';
import { generateCases } from '../src/cases/generate.ts';
import { createCase } from '../src/cases/create-case.ts';
import { performStep } from '../src/cases/perform-step.ts';
import { listCases } from '../src/cases/view.ts';
import { demoDocumentFields } from '../src/cases/demo-content.ts';
import { todayInShanghai } from '../src/platform/validation.ts';
import type { CaseListQuery } from '../src/cases/schema.ts';
import { scratchPostgres, summarize } from './lib.ts';

type Summary = ReturnType<typeof summarize>;

export interface CasesBench {
  engine: 'postgres';
  cases: number;
  agencies: number;
  generateSeconds: number;
  agencyCases: number;
  selectOne: Summary;
  list: { filter: string; summary: Summary }[];
  listAll: Summary;
  steps: {
    sequential: { n: number; perSecond: number; summary: Summary };
    concurrent: { n: number; workers: number; perSecond: number };
    withPdf: { n: number; perSecond: number; summary: Summary };
    recordChangeBaseline: { n: number; perSecond: number; summary: Summary };
  };
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const PARTY = { name: '合成某某商贸有限公司', type: 'organisation' as const, idType: 'credit_code' as const, idNumber: '91330106MA2H3K7Q4Q', address: '合成地址' };

export async function casesBench(n = Number(process.env.BENCH_CASES ?? 200_000), log: (s: string) => void = () => undefined): Promise<CasesBench | null> {
  const pg = await scratchPostgres();
  if (!pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-cases-'));
  const ctx: AppContext = await openContext(loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  try {
    await generate(ctx, { officers: 20_000, seed: 1 });
    // One busy agency (a city market regulator) holds 15 % of all cases; the rest spread over the others.
    const { rows: busy } = await ctx.db.query<{ id: string }>(
      `SELECT a.id FROM agencies a JOIN officers o ON o.agency_id = a.id WHERE a.kind = 'enforcement' AND a.level = 'city' GROUP BY a.id ORDER BY count(*) DESC LIMIT 1`,
    );
    const agencyId = busy[0]!.id;
    const t0 = performance.now();
    const own = Math.round(n * 0.15);
    const genBusy = await generateCases(ctx, { cases: own, seed: 2, batch: 5000, agencyIds: [agencyId] });
    const gen = await generateCases(ctx, { cases: n - own, seed: 1, batch: 5000, onBatch: (d) => d % 100_000 === 0 && log(`  ${d + own} cases`) });
    gen.cases += genBusy.cases;
    const generateSeconds = (performance.now() - t0) / 1000;
    await ctx.db.exec('VACUUM ANALYZE cases');
    log(`generated ${gen.cases} cases over ${gen.agencies} agencies in ${generateSeconds.toFixed(0)} s`);

    // That agency, and two of its officers whose certificates are valid today.
    const today = todayInShanghai();
    const { rows: top } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE agency_id = $1`, [agencyId]);
    const actor: Actor = { kind: 'user', id: crypto.randomUUID(), name: '压测执法人员', role: 'officer', agencyId, jurisdiction: null, scopes: [] };

    // ---- list latency ----
    const selectOne: number[] = [];
    for (let i = 0; i < 500; i++) selectOne.push(await time(() => ctx.db.query('SELECT 1')));
    const { rows: sample } = await ctx.db.query<{ number: string }>(`SELECT number FROM cases WHERE agency_id = $1 ORDER BY random() LIMIT 50`, [agencyId]);
    const filters: [string, (i: number) => Partial<CaseListQuery>][] = [
      ['all (newest first)', () => ({})],
      ['status=open', () => ({ status: 'open' })],
      ['stage=investigate', () => ({ stage: 'investigate' })],
      ['procedure=penalty-general & status=open', () => ({ procedureId: 'penalty-general', status: 'open' })],
      ['clock=overdue', () => ({ clock: 'overdue' })],
      ['clock=warning', () => ({ clock: 'warning' })],
      ['q=<case number>', (i) => ({ q: sample[i % sample.length]!.number })],
    ];
    const list: CasesBench['list'] = [];
    const all: number[] = [];
    for (const [name, f] of filters) {
      for (let i = 0; i < 10; i++) await listCases(ctx, actor, { page: 1, pageSize: 20, ...f(i) } as CaseListQuery); // warm
      const xs: number[] = [];
      for (let i = 0; i < 100; i++) xs.push(await time(() => listCases(ctx, actor, { page: 1 + (i % 3), pageSize: 20, ...f(i) } as CaseListQuery)));
      list.push({ filter: name, summary: summarize(xs) });
      all.push(...xs);
      log(`list ${name}: p50 ${summarize(xs).p50.toFixed(1)} ms, p95 ${summarize(xs).p95.toFixed(1)} ms`);
    }

    // ---- step transitions ----
    const { rows: officers } = await ctx.db.query<{ id: string; category: string; area: string }>(
      `SELECT id, category, area FROM officers WHERE agency_id = $1 AND status = 'valid' AND valid_from <= $2 AND valid_to >= $2 ORDER BY id LIMIT 2`,
      [agencyId, today],
    );
    const matter = { category: officers[0]!.category, area: officers[0]!.area };
    const officerIds = officers.filter((o) => o.category === matter.category && o.area === matter.area).map((o) => o.id);
    if (officerIds.length < 2) throw new Error('压测机关缺少两名执法类别和区域相同的有效执法人员');
    const fresh = async (k: number) => {
      const ids: string[] = [];
      for (let i = 0; i < k; i++) ids.push((await createCase(ctx, null, actor, { procedureId: 'penalty-summary', title: '压测当场处罚', matter, party: PARTY, profile: { penaltyKinds: [], flags: [] }, facts: {} })).id);
      return ids;
    };
    const notice = (id: string) =>
      performStep(ctx, null, actor, id, { step: 'onsite_notice', on: today, officerIds, facts: { partyType: 'legal_person', factsConfirmed: true, penaltyKind: 'fine', fineAmount: 1000 }, documentIds: [], documents: [] });
    const seqIds = await fresh(200);
    const seq: number[] = [];
    for (const id of seqIds) seq.push(await time(() => notice(id)));
    const seqSum = seq.reduce((a, b) => a + b, 0);
    log(`steps sequential: ${(seqIds.length / (seqSum / 1000)).toFixed(0)}/s`);

    const conIds = await fresh(400);
    const workers = 8;
    let next = 0;
    const tc = await time(() => Promise.all(Array.from({ length: workers }, async () => {
      while (next < conIds.length) await notice(conIds[next++]!);
    })));
    log(`steps ${workers} workers: ${(conIds.length / (tc / 1000)).toFixed(0)}/s`);

    // With the decision document issued inside the step: 文号, PDF with QR code, stored in the evidence store.
    const pdfIds = seqIds.slice(0, 60);
    const pdf: number[] = [];
    for (const id of pdfIds) {
      const c = (await ctx.db.query<{ number: string }>(`SELECT number FROM cases WHERE id = $1`, [id])).rows[0]!;
      const fields = demoDocumentFields('onsite_penalty_decision', today, { number: c.number, title: '压测当场处罚', party: PARTY, officers: [] });
      pdf.push(await time(() => performStep(ctx, null, actor, id, { step: 'onsite_decision', on: today, officerIds, facts: { penaltyKind: 'fine', fineAmount: 1000 }, documentIds: [], documents: [{ type: 'onsite_penalty_decision', fields }] })));
    }
    log(`steps with PDF: ${(pdf.length / (pdf.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)}/s`);

    const base: number[] = [];
    for (let i = 0; i < 200; i++) {
      base.push(await time(() => ctx.db.transaction((tx) => recordChange(tx, { kind: 'bench.baseline', agencyId, subjectType: 'case', subjectId: seqIds[i]!, actorId: null, data: { i, state: { note: 'x'.repeat(2000) } } }))));
    }
    const perSecond = (xs: number[]) => xs.length / (xs.reduce((a, b) => a + b, 0) / 1000);
    return {
      engine: 'postgres', cases: gen.cases, agencies: gen.agencies, generateSeconds, agencyCases: top[0]!.n, selectOne: summarize(selectOne), list, listAll: summarize(all),
      steps: {
        sequential: { n: seq.length, perSecond: perSecond(seq), summary: summarize(seq) },
        concurrent: { n: conIds.length, workers, perSecond: conIds.length / (tc / 1000) },
        withPdf: { n: pdf.length, perSecond: perSecond(pdf), summary: summarize(pdf) },
        recordChangeBaseline: { n: base.length, perSecond: perSecond(base), summary: summarize(base) },
      },
    };
  } finally {
    await ctx.db.close();
    await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The section of docs/PERFORMANCE.md. */
export function casesMarkdown(r: CasesBench): string[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    '## Cases (issue 4)',
    '',
    `Data: ${r.cases.toLocaleString('en')} synthetic cases (\`generateCases\`, every procedure and stage, open and finished, some overdue) over ${r.agencies} agencies on PostgreSQL; generated in ${f(r.generateSeconds, 0)} s. The agency measured has ${r.agencyCases.toLocaleString('en')} cases.`,
    '',
    '### An agency’s filtered case list (service call: page of 20 + capped count), 100 queries per filter',
    '',
    `Baseline: \`SELECT 1\` round trip on the same pool: p50 ${f(r.selectOne.p50, 2)} ms, p95 ${f(r.selectOne.p95, 2)} ms.`,
    '',
    '| filter | p50 | p95 | p99 | target p95 |',
    '|---|---|---|---|---|',
    ...r.list.map((l) => `| ${l.filter} | ${f(l.summary.p50)} ms | ${f(l.summary.p95)} ms | ${f(l.summary.p99)} ms | < 50 ms |`),
    `| **all filters** | ${f(r.listAll.p50)} ms | ${f(r.listAll.p95)} ms | ${f(r.listAll.p99)} ms | < 50 ms |`,
    '',
    '### Step transitions (performStep: registry, catalog, AV rule, engine, event + ledger entry, one transaction)',
    '',
    '| | n | per second | p50 | p95 |',
    '|---|---|---|---|---|',
    `| baseline: transaction with recordChange only | ${r.steps.recordChangeBaseline.n} | ${f(r.steps.recordChangeBaseline.perSecond, 0)} | ${f(r.steps.recordChangeBaseline.summary.p50)} ms | ${f(r.steps.recordChangeBaseline.summary.p95)} ms |`,
    `| 表明身份并告知 (no document), sequential | ${r.steps.sequential.n} | ${f(r.steps.sequential.perSecond, 0)} | ${f(r.steps.sequential.summary.p50)} ms | ${f(r.steps.sequential.summary.p95)} ms |`,
    `| same, ${r.steps.concurrent.workers} concurrent workers | ${r.steps.concurrent.n} | ${f(r.steps.concurrent.perSecond, 0)} | — | — |`,
    `| 当场处罚决定 with its 文号 and PDF issued in the step | ${r.steps.withPdf.n} | ${f(r.steps.withPdf.perSecond, 0)} | ${f(r.steps.withPdf.summary.p50)} ms | ${f(r.steps.withPdf.summary.p95)} ms |`,
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await casesBench(undefined, (s) => console.error(s));
  if (!r) console.log('PostgreSQL not reachable (BENCH_DATABASE_URL): skipped');
  else console.log(casesMarkdown(r).join('\n'));
}
