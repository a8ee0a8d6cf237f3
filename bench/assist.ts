// Similar-case search at scale on PostgreSQL (issue 13): N decided cases with a discretion record, then
// `rankSimilar` (SQL candidates + BM25 in Node, scoped to a supervisor's jurisdiction) for random
// queries (the labelled fixture's facts). Baseline in the same run: a `SELECT 1` round trip.
// Data is written by INSERT … SELECT over generate_series, 50,000 rows a statement: minimal case rows
// (marked 合成, empty state; the search reads only their number and title) and discretion records whose
// facts are a mix of the violation's own words and general words of facts and law (the library's
// keywords and names, the fixture's and the provisions' jieba tokens), drawn with a skew so that a few
// words are in most cases, as in real files.
// Size: BENCH_ASSIST_CASES (default 100000). BENCH_ASSIST_URL: a database of your own to use instead of
// a scratch one; it is kept, and a second run of the same size reuses its data.
// Runs alone too: `node --import tsx bench/assist.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/actor.ts';
import type { AppContext } from '../src/platform/context.ts';
import { generate } from '../src/seed/generate.ts';
import { rankSimilar } from '../src/assist/assistance.ts';
import { tokenize } from '../src/assist/text.ts';
import { PROVISIONS, VIOLATIONS } from '../src/assist/library.ts';
import { createRng } from '../src/registry/fake.ts';
import { scratchPostgres, summarize } from './lib.ts';

type Summary = ReturnType<typeof summarize>;
export interface AssistBench { cases: number; generatedSeconds: number | null; search: Summary; selectOne: Summary }

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const CHUNK = 50_000;
type Fixture = { text: string; code: string }[];

/** Writes n synthetic decided cases and their discretion records; returns the seconds it took. */
async function generateDecided(ctx: AppContext, n: number, fixture: Fixture): Promise<number> {
  const t0 = performance.now();
  const rng = createRng('assist-bench');
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  // Each violation's words, its keywords first (drawn most often), then its name's and its facts' tokens.
  const own = VIOLATIONS.map((v) => [...new Set([...v.keywords, ...shuffle([...tokenize(v.name), ...fixture.filter((f) => f.code === v.code).flatMap((f) => tokenize(f.text))])])]);
  const general = shuffle([...new Set([...fixture, ...PROVISIONS].flatMap((x) => tokenize(x.text)))]);
  const { rows: agencies } = await ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies ORDER BY id`);
  await ctx.db.exec(`DROP TABLE IF EXISTS bench_vocab; CREATE TABLE bench_vocab (i integer PRIMARY KEY, code text NOT NULL, words text[] NOT NULL)`);
  await ctx.db.query(`INSERT INTO bench_vocab SELECT i - 1, code, ARRAY(SELECT jsonb_array_elements_text(w)) FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY t(code, w, i)`,
    [VIOLATIONS.map((v) => v.code), own.map((w) => JSON.stringify(w))]);
  const ids = agencies.map((a) => a.id);
  const regions = agencies.map((a) => a.region_code);
  for (let lo = 1; lo <= n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK - 1);
    await ctx.db.query(
      `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type, state, status)
       SELECT md5('assist-bench-' || g)::uuid, ($1::uuid[])[1 + g % $2], 'bench', 1, 'penalty', '合成案〔' || g || '〕号', '合成案件' || g, '合成', '合成', '合成当事人' || (g % 50000), 'organisation', 'other', '{}', 'archived'
         FROM generate_series($3::int, $4::int) g`,
      [ids, ids.length, lo, hi],
    );
    // Words per case: 4–8 of its violation's, 3–8 general ones; power(random(), 2) skews towards the first words.
    await ctx.db.query(
      `INSERT INTO case_discretion (case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount, facts_text, facts_tokens, explanation, decided_on)
       SELECT md5('assist-bench-' || g)::uuid, ($1::uuid[])[1 + g % $2], ($5::text[])[1 + g % $2], 'bench' || (g % 50000), v.code, 'bench', 1, '[]',
              (ARRAY['从轻', '一般', '一般', '从重'])[1 + floor(random() * 4)::int], round(random() * 100000), replace(w.words, ' ', ''), to_tsvector('simple', w.words), '',
              date '2023-12-01' + floor(random() * 1096)::int
         FROM generate_series($3::int, $4::int) g
         JOIN bench_vocab v ON v.i = (g::bigint * 7919) % ${VIOLATIONS.length}
         CROSS JOIN LATERAL (
           SELECT string_agg(x, ' ') AS words FROM (
             SELECT v.words[1 + floor(power(random(), 2) * array_length(v.words, 1))::int] AS x FROM generate_series(1, 4 + g % 5)
             UNION ALL SELECT ($6::text[])[1 + floor(power(random(), 2) * $7)::int] FROM generate_series(1, 3 + (g * 31) % 6)) t) w`,
      [ids, ids.length, lo, hi, regions, general, general.length],
    );
    if (process.env.BENCH_VERBOSE) console.error(`assist: ${hi} cases, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const sql of ['DROP TABLE bench_vocab', 'VACUUM ANALYZE']) await ctx.db.exec(sql);
  return (performance.now() - t0) / 1000;
}

export async function assistBench(n = Number(process.env.BENCH_ASSIST_CASES ?? 100_000)): Promise<AssistBench | null> {
  const own = process.env.BENCH_ASSIST_URL;
  const pg = own ? { url: own, drop: async () => {} } : await scratchPostgres();
  if (!pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-assist-'));
  const ctx: AppContext = await openContext(loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  try {
    const fixture = JSON.parse(fs.readFileSync(new URL('../test/fixtures/assist-suggest.json', import.meta.url), 'utf8')) as Fixture;
    const have = Number((await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM case_discretion WHERE benchmark_id = 'bench'`)).rows[0]!.n);
    let generatedSeconds: number | null = null;
    if (have !== n) {
      await ctx.db.exec(`DELETE FROM case_discretion WHERE benchmark_id = 'bench'; DELETE FROM cases WHERE procedure_id = 'bench'`);
      await generate(ctx, { officers: 2_000, seed: 1 });
      generatedSeconds = await generateDecided(ctx, n, fixture);
    }
    const rng = createRng('assist-bench-queries');
    const { rows: cases } = await ctx.db.query<{ id: string; agency_id: string; region_code: string }>(
      `SELECT d.case_id AS id, d.agency_id, a.region_code FROM case_discretion d JOIN agencies a ON a.id = d.agency_id WHERE d.benchmark_id = 'bench' ORDER BY d.case_id LIMIT 1000`);
    const supervisor: Actor = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'bench', role: 'supervisor', agencyId: cases[0]!.agency_id, jurisdiction: cases[0]!.region_code.slice(0, 4), scopes: [] };
    const levels = ['从轻', '一般', '从重'];
    const search: number[] = [];
    for (let i = 0; i < 100; i++) {
      const f = fixture[i % fixture.length]!;
      const c = cases[Math.floor(rng.next() * cases.length)]!;
      const level = levels[i % 3]!;
      search.push(await time(() => rankSimilar(ctx.db, supervisor, c.id, f.text, f.code, level, { limit: 10 })));
    }
    const selectOne: number[] = [];
    for (let i = 0; i < 200; i++) selectOne.push(await time(() => ctx.db.query('SELECT 1')));
    return { cases: have === n ? have : n, generatedSeconds, search: summarize(search), selectOne: summarize(selectOne) };
  } finally {
    await ctx.db.close();
    await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function assistMarkdown(r: AssistBench): string[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  const gen = r.generatedSeconds === null ? 'data reused from an earlier run' : `generated in ${f(r.generatedSeconds, 0)} s (${Math.round(r.cases / r.generatedSeconds).toLocaleString('en')} cases/s)`;
  return [
    '## Similar-case search (issue 13)',
    '',
    `Data: ${r.cases.toLocaleString('en')} decided cases with a discretion record on PostgreSQL (${gen}); 100 queries (the labelled facts), a city supervisor's scope, top 10. Load average at the end: ${os.loadavg().map((x) => f(x, 2)).join(', ')}.`,
    '',
    '| operation | p50 | p95 | ratio (p95) | target |',
    '|---|---|---|---|---|',
    `| similar cases (newest 500 text matches ∪ newest 500 of the violation, BM25 in Node) | ${f(r.search.p50)} ms | ${f(r.search.p95)} ms | ${f(r.search.p95 / r.selectOne.p95, 0)}× SELECT 1 (p95 ${f(r.selectOne.p95, 2)} ms) | < 100 ms at 1 M |`,
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await assistBench();
  console.log(r ? assistMarkdown(r).join('\n') : 'no PostgreSQL server reachable');
}
