// Similar-case search at scale on PostgreSQL (issue 13): N decided cases with a discretion record and
// facts built from the labelled fixture's phrases, then `rankSimilar` (GIN candidate lookup + BM25 in
// Node, scoped to a supervisor's jurisdiction) for random queries. Baseline in the same run: a
// `SELECT 1` round trip. Size: BENCH_ASSIST_CASES (default 10000; the 1 million was out of reach
// here). Runs alone too: `node --import tsx bench/assist.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/actor.ts';
import type { AppContext } from '../src/platform/context.ts';
import { generate } from '../src/seed/generate.ts';
import { generateCases } from '../src/cases/generate.ts';
import { rankSimilar } from '../src/assist/assistance.ts';
import { tokenize } from '../src/assist/text.ts';
import { VIOLATIONS } from '../src/assist/library.ts';
import { createRng } from '../src/registry/fake.ts';
import { scratchPostgres, summarize } from './lib.ts';

type Summary = ReturnType<typeof summarize>;
export interface AssistBench { cases: number; search: Summary; selectOne: Summary }

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

export async function assistBench(n = Number(process.env.BENCH_ASSIST_CASES ?? 10_000)): Promise<AssistBench | null> {
  const pg = await scratchPostgres();
  if (!pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-assist-'));
  const ctx: AppContext = await openContext(loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  try {
    await generate(ctx, { officers: 2_000, seed: 1 });
    await generateCases(ctx, { cases: n, seed: 5, batch: 5000 });
    const fixture = JSON.parse(fs.readFileSync(new URL('../test/fixtures/assist-suggest.json', import.meta.url), 'utf8')) as { text: string; code: string }[];
    const rng = createRng('assist-bench');
    const { rows: cases } = await ctx.db.query<{ id: string; agency_id: string; region_code: string }>(`SELECT c.id, c.agency_id, a.region_code FROM cases c JOIN agencies a ON a.id = c.agency_id`);
    for (let i = 0; i < cases.length; i += 2000) {
      const chunk = cases.slice(i, i + 2000).map((c) => {
        const f = fixture[Math.floor(rng.next() * fixture.length)]!;
        const text = `${f.text}${VIOLATIONS[Math.floor(rng.next() * VIOLATIONS.length)]!.keywords[0]}`;
        return { ...c, code: f.code, text, tokens: tokenize(text).join(' '), amount: Math.round(rng.next() * 100000) };
      });
      await ctx.db.query(
        `INSERT INTO case_discretion (case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount, facts_text, facts_tokens, explanation, decided_on)
         SELECT id, agency_id, region_code, 'bench', code, 'bench', 1, '[]', '一般', amount, text, to_tsvector('simple', tokens), '', '2026-06-01'
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS t(id, agency_id, region_code, code, amount, text, tokens)`,
        [chunk.map((c) => c.id), chunk.map((c) => c.agency_id), chunk.map((c) => c.region_code), chunk.map((c) => c.code), chunk.map((c) => c.amount), chunk.map((c) => c.text), chunk.map((c) => c.tokens)],
      );
    }
    await ctx.db.exec('VACUUM ANALYZE case_discretion');
    const supervisor: Actor = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'bench', role: 'supervisor', agencyId: cases[0]!.agency_id, jurisdiction: cases[0]!.region_code.slice(0, 4), scopes: [] };
    const search: number[] = [];
    for (let i = 0; i < 100; i++) {
      const f = fixture[i % fixture.length]!;
      const c = cases[Math.floor(rng.next() * cases.length)]!;
      search.push(await time(() => rankSimilar(ctx.db, supervisor, c.id, f.text, f.code, '一般', { limit: 10 })));
    }
    const selectOne: number[] = [];
    for (let i = 0; i < 200; i++) selectOne.push(await time(() => ctx.db.query('SELECT 1')));
    return { cases: cases.length, search: summarize(search), selectOne: summarize(selectOne) };
  } finally {
    await ctx.db.close();
    await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function assistMarkdown(r: AssistBench): string[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    '## Similar-case search (issue 13)',
    '',
    `Data: ${r.cases.toLocaleString('en')} decided cases with a discretion record on PostgreSQL; 100 queries (the labelled facts), a city supervisor's scope, top 10.`,
    '',
    '| operation | p50 | p95 | ratio (p95) | target |',
    '|---|---|---|---|---|',
    `| similar cases (GIN candidates ≤ 500 + BM25 in Node) | ${f(r.search.p50)} ms | ${f(r.search.p95)} ms | ${f(r.search.p95 / r.selectOne.p95, 0)}× SELECT 1 (p95 ${f(r.selectOne.p95, 2)} ms) | < 100 ms at 1 M |`,
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await assistBench();
  console.log(r ? assistMarkdown(r).join('\n') : 'no PostgreSQL server reachable');
}
