// The annual statistics report and the before-enforcement pages at scale on PostgreSQL (issue 10): the
// report's figures (src/annual/figures.ts `compute`, what drafting a report runs) for a city holding
// BENCH_ANNUAL_CASES cases and for its province (the city plus BENCH_ANNUAL_OTHER cases in four other
// cities), and p95 of the service-guide and matter-list pages and their public API. Baselines in the same
// run: `SELECT count(*)` over the same cases of the city (resp. the province) for the report, and
// GET /healthz through the same server for the pages. Runs alone too: `node --import tsx bench/annual.ts`.
//
// The cases are written by INSERT … SELECT over generate_series, with the rows the report reads: penalty
// decisions (combined, fines, confiscations, 当场处罚), licensing applications, acceptances, grants and
// refusals, inspections, legal reviews and publications. They are committed to the ledger as one event
// per batch, like the case generator (src/cases/generate.ts), and marked 合成.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { recordChange } from '../src/platform/changes.ts';
import type { AppContext } from '../src/platform/context.ts';
import { generate } from '../src/seed/generate.ts';
import { loadMattersDemo } from '../src/registry/matters-demo.ts';
import { loadGuidesDemo } from '../src/guides/demo.ts';
import { computeFigures } from '../src/annual/figures.ts';
import { scratchPostgres, summarize } from './lib.ts';

type Summary = ReturnType<typeof summarize>;
export interface AnnualBench {
  cityCases: number;
  provinceCases: number;
  fillSeconds: number;
  generatedBatches: number;
  /** The penalty figure of the city read from each decision's JSON (before migration 0151) and from case_penalty_figures (after). */
  penaltyBeforeMs: number;
  penaltyAfterMs: number;
  city: { ms: number[]; baselineMs: number[]; penalties: number };
  province: { ms: number[]; baselineMs: number[]; penalties: number };
  pages: { name: string; s: Summary }[];
  healthz: Summary;
  load: number[];
}

const YEAR = 2025;
const BATCH = 500_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

/**
 * Cases from..to-1 over the given agencies, each with the rows one of ten kinds of case leaves behind.
 * Fast enough for ten million cases: one statement per table and batch; ids ordered by i (the first 8 hex
 * digits name the table and the batch's tag) so every primary key grows at its right edge instead of
 * writing random pages; foreign-key and append-only triggers off for the generating session only
 * (`session_replication_role = replica`, the rows are consistent by construction).
 */
export async function fill(ctx: AppContext, agencyIds: string[], from: number, to: number, tag: string, log: (s: string) => void = () => undefined) {
  const t = tag === 'c' ? '1' : '2';
  const id = (table: string, i = 'i') => `('${table}${t}000000' || lpad(to_hex(${i}), 24, '0'))::uuid`;
  for (let lo = from; lo < to; lo += BATCH) {
    const hi = Math.min(to, lo + BATCH) - 1;
    const t0 = performance.now();
    await ctx.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      const { eventId } = await recordChange(tx, { kind: 'cases.generated', agencyId: null, subjectType: 'case_batch', subjectId: `${tag}-${lo}`, actorId: null, data: { count: hi - lo + 1, bench: 'annual', from: lo, to: hi } });
      // Named parameters (:agencies, :lo, :hi, :event, :year), numbered per statement: each binds only what it uses.
      const run = (sql: string) => {
        const values: Record<string, unknown> = { agencies: agencyIds, lo, hi, event: eventId, year: YEAR };
        const names: string[] = [];
        const text = sql.replace(/:(agencies|lo|hi|event|year)\b/g, (_, k: string) => `$${(names.includes(k) ? names.indexOf(k) : names.push(k) - 1) + 1}`);
        return tx.query(text, names.map((k) => values[k]));
      };
      // k = i % 10: 0–3 general penalties (0 warning + fine, 1 fine, 2 confiscation + fine, 3 warning),
      // 4–6 licences (4–5 granted, 6 refused), 7–8 inspections, 9 当场处罚 (fine from the case's facts).
      const series = `FROM generate_series(:lo::int, :hi::int) AS i`;
      const caseId = id('a');
      const agency = `(:agencies::uuid[])[1 + i % array_length(:agencies::uuid[], 1)]`;
      const day = `(make_date(:year::int, 1, 1) + (i % 365))`;
      await run(
        `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type, state, status, stage, created_at)
         SELECT ${caseId}, ${agency},
                (ARRAY['penalty-general','penalty-general','penalty-general','penalty-general','licensing','licensing','licensing','inspection','inspection','penalty-summary'])[1 + i % 10], 1,
                'synthetic', '合成案〔' || :year::int || '〕' || '${tag}' || i || '号', '合成案件' || i, '合成', '合成', '合成当事人' || i, 'organisation', 'credit_code',
                CASE WHEN i % 10 = 9 THEN jsonb_build_object('facts', jsonb_build_object('penaltyKind', 'fine', 'fineAmount', 200 + i % 300)) ELSE '{"facts":{}}'::jsonb END,
                'finished', 'closed', ${day}::timestamptz
         ${series}`);
      await run(
        `INSERT INTO case_documents (id, case_id, agency_id, type, title, status, fields, issued_on, pdf_sha256, event_id)
         SELECT ${id('d')}, ${caseId}, ${agency},
                CASE WHEN i % 10 < 4 THEN 'penalty_decision' WHEN i % 10 IN (4, 5) THEN 'licence_decision' WHEN i % 10 = 6 THEN 'licence_refusal' ELSE 'onsite_penalty_decision' END,
                '合成文书', 'final',
                CASE i % 10 WHEN 0 THEN jsonb_build_object('penalties', jsonb_build_array(jsonb_build_object('kind', '警告'), jsonb_build_object('kind', '罚款', 'amount', 1000 + i % 5000)))
                            WHEN 1 THEN jsonb_build_object('penalties', jsonb_build_array(jsonb_build_object('kind', '罚款', 'amount', 2000 + i % 9000)))
                            WHEN 2 THEN jsonb_build_object('penalties', jsonb_build_array(jsonb_build_object('kind', '没收违法所得', 'amount', 500 + i % 700), jsonb_build_object('kind', '罚款', 'amount', 3000)))
                            WHEN 3 THEN jsonb_build_object('penalties', jsonb_build_array(jsonb_build_object('kind', '警告')))
                            ELSE '{}'::jsonb END,
                ${day}, 'a7f3c2d1e0b9a8f7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3', :event
         ${series} WHERE i % 10 NOT IN (7, 8)`);
      // What finalisation writes beside each penalty decision, read from the documents just written by the
      // same view finalisation uses (src/cases/store.ts recordPenaltyFigures): a range of the ordered ids.
      await run(
        `INSERT INTO case_penalty_figures (document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan)
         SELECT document_id, case_id, agency_id, issued_on, kind, fine_yuan, confiscation_yuan FROM case_penalty_figures_source
          WHERE document_id BETWEEN ${id('d', ':lo::int')} AND ${id('d', ':hi::int')}`);
      await run(
        `INSERT INTO case_steps (case_id, seq, step, stage, kind, on_date, actor_role, record, event_id)
         SELECT ${caseId}, s.seq, s.step, 'intake', 'main', ${day}, 'officer', '{}'::jsonb, :event
         ${series} CROSS JOIN LATERAL (VALUES (1, CASE WHEN i % 10 IN (7, 8) THEN 'on_site_inspection' ELSE 'application' END), (2, 'acceptance')) AS s(seq, step)
         WHERE i % 10 IN (4, 5, 6, 7, 8) AND (s.seq = 1 OR i % 10 IN (4, 5, 6))`);
      // Legal reviews of a fifth of the cases (the fined ones); every fifth review needed a second round.
      const reviewId = id('b', '2 * i + r');
      await run(
        `INSERT INTO legal_reviews (id, case_id, round, submitter_name, on_date, summary, proposed_decision, materials, declaration, event_id)
         SELECT ${reviewId}, ${caseId}, r, '合成承办人', ${day}, '合成', '合成', '[]'::jsonb, true, :event
         ${series} CROSS JOIN generate_series(1, 2) AS r WHERE i % 10 IN (0, 1) AND (r = 1 OR i % 50 = 0)`);
      await run(
        `INSERT INTO legal_review_opinions (review_id, case_id, reviewer_id, reviewer_name, checklist, result, opinion, on_date, event_id)
         SELECT ${reviewId}, ${caseId}, '00000000-0000-4000-8000-000000000001', '合成审核员', '{}'::jsonb,
                CASE WHEN r = 1 AND i % 50 = 0 THEN 'problems' ELSE 'passed' END, '合成', ${day}, :event
         ${series} CROSS JOIN generate_series(1, 2) AS r WHERE i % 10 IN (0, 1) AND (r = 1 OR i % 50 = 0)`);
      // Publication of every penalty decision: due 7 days on, late for one in twenty.
      await run(
        `INSERT INTO publications (id, agency_id, case_id, kind, status, decided_on, deadline, rule_set_version, published_on)
         SELECT ${id('e')}, ${agency}, ${caseId}, 'penalty', 'published', ${day}, ${day} + 7, 0,
                ${day} + CASE WHEN i % 20 = 0 THEN 9 ELSE 3 END
         ${series} WHERE i % 10 < 4 OR i % 10 = 9`);
    });
    log(`${tag}: cases ${lo}..${hi} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

export async function annualBench(
  n = Number(process.env.BENCH_ANNUAL_CASES ?? 1_000_000), other = Number(process.env.BENCH_ANNUAL_OTHER ?? 0), log: (s: string) => void = () => undefined,
): Promise<AnnualBench | null> {
  // BENCH_ANNUAL_URL: a database of your own, kept afterwards; its cases are generated once (resumably: each
  // batch is one ledger event, BENCH_ANNUAL_MAX_SECONDS ends generation early, BENCH_ANNUAL_GENERATE_ONLY
  // stops before measuring) so that generating ten million and measuring can be held apart.
  const own = process.env.BENCH_ANNUAL_URL;
  const pg = own ? { url: own, drop: async () => {} } : await scratchPostgres();
  if (!pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-annual-'));
  const app = await createApp(loadConfig({ DATABASE_URL: pg.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  const { ctx } = app;
  try {
    const fresh = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM officers`)).rows[0]!.n === 0;
    if (fresh) {
      await generate(ctx, { officers: 2_000, seed: 1 });
      await loadMattersDemo(ctx);
    }
    const { rows: city } = await ctx.db.query<{ id: string; region_code: string; name: string }>(`SELECT id, region_code, name FROM agencies WHERE kind = 'enforcement' AND name NOT LIKE '%（比照第%' ORDER BY region_code, name`);
    const cityPrefix = city[0]!.region_code.slice(0, 4);
    if (fresh) {
      const food = (await ctx.db.query<{ agency_id: string }>(`SELECT agency_id FROM enforcement_matter_versions WHERE code = 'SC-XK-001' AND status = 'published' ORDER BY agency_id LIMIT 1`)).rows[0]!.agency_id;
      await loadGuidesDemo(ctx, food);
      // Four other cities of the province: the city's agencies again under other region codes.
      for (let k = 2; k <= 5; k++) {
        await ctx.db.query(
          `INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status, fields, duties, legal_basis, review_unit, address, phone)
           SELECT gen_random_uuid(), name || '（比照第' || $2 || '市）', 'B' || $2 || substr(credit_code, 3), kind, level, substr(region_code, 1, 2) || lpad($2::text, 2, '0') || substr(region_code, 5),
                  legal_status, fields, duties, legal_basis, review_unit, address, phone
             FROM agencies WHERE kind = 'enforcement' AND region_code LIKE $1 || '%'`, [cityPrefix, k]);
      }
    }
    const others = (await ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE name LIKE '%（比照第%' ORDER BY region_code, name`)).rows.map((r) => r.id);
    const done = new Set((await ctx.db.query<{ subject_id: string }>(`SELECT subject_id FROM events WHERE kind = 'cases.generated' AND subject_type = 'case_batch'`)).rows.map((r) => r.subject_id));
    const deadline = performance.now() + Number(process.env.BENCH_ANNUAL_MAX_SECONDS ?? Infinity) * 1000;
    const t0 = performance.now();
    const batches = [
      ...Array.from({ length: Math.ceil(n / BATCH) }, (_, b) => ({ tag: 'c', agencies: city.filter((a) => a.region_code.startsWith(cityPrefix)).map((a) => a.id), lo: b * BATCH, to: n })),
      ...Array.from({ length: Math.ceil(other / BATCH) }, (_, b) => ({ tag: 'o', agencies: others, lo: b * BATCH, to: other })),
    ].filter((b) => !done.has(`${b.tag}-${b.lo}`));
    // Secondary indexes are dropped while generating and built again afterwards (a sorted build instead of
    // ten million scattered inserts each); their definitions wait in bench_annual_indexes meanwhile.
    const TABLES = ['cases', 'case_documents', 'case_penalty_figures', 'case_steps', 'legal_reviews', 'legal_review_opinions', 'publications'];
    if (batches.length) {
      await ctx.db.transaction(async (tx) => {
        await tx.query(`CREATE TABLE IF NOT EXISTS bench_annual_indexes (name text PRIMARY KEY, def text NOT NULL)`);
        const { rows } = await tx.query<{ name: string; def: string }>(
          `INSERT INTO bench_annual_indexes SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY($1::text[]) AND NOT i.indisunique AND NOT i.indisprimary ON CONFLICT DO NOTHING RETURNING name, def`, [TABLES]);
        for (const r of rows) await tx.query(`DROP INDEX ${r.name}`);
      });
    }
    let written = 0;
    for (const b of batches) {
      if (performance.now() > deadline) {
        log(`stopped generating at the time limit (measuring what there is); run again to go on`);
        break;
      }
      await fill(ctx, b.agencies, b.lo, Math.min(b.to, b.lo + BATCH), b.tag, log);
      written++;
    }
    if ((await ctx.db.query(`SELECT 1 FROM pg_class WHERE relname = 'bench_annual_indexes'`)).rows.length) {
      for (const r of (await ctx.db.query<{ name: string; def: string }>(`SELECT name, def FROM bench_annual_indexes ORDER BY name`)).rows) {
        const t1 = performance.now();
        await ctx.db.transaction(async (tx) => {
          await tx.query(`SET LOCAL maintenance_work_mem = '512MB'`);
          await tx.query(r.def.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
          await tx.query(`DELETE FROM bench_annual_indexes WHERE name = $1`, [r.name]);
        });
        log(`index ${r.name} built in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      }
      await ctx.db.exec(`DROP TABLE bench_annual_indexes`);
    }
    // Visibility map and statistics (index-only scans); quick when nothing changed since the last run.
    await ctx.db.exec('VACUUM ANALYZE cases, case_documents, case_penalty_figures, case_steps, legal_reviews, legal_review_opinions, publications, agencies');
    const fillSeconds = (performance.now() - t0) / 1000;
    log(`generated ${written} batches (of ${n + other} cases) and vacuumed in ${fillSeconds.toFixed(0)} s`);
    if (process.env.BENCH_ANNUAL_GENERATE_ONLY) return null;
    // The cases there are (a generation stopped at the time limit measures what it wrote).
    const count = async (tag: string) =>
      Number((await ctx.db.query<{ n: string }>(`SELECT coalesce(sum((data->>'count')::int), 0) AS n FROM events WHERE kind = 'cases.generated' AND subject_type = 'case_batch' AND subject_id LIKE $1 || '-%'`, [tag])).rows[0]!.n);
    const [cityCases, otherCases] = [await count('c'), await count('o')];

    const measure = async (prefix: string) => {
      const ms: number[] = [];
      const baselineMs: number[] = [];
      let penalties = 0;
      await computeFigures(ctx.db, { year: YEAR, agencyId: null, regionPrefix: prefix }); // warm
      for (let i = 0; i < 3; i++) {
        baselineMs.push(await time(() => ctx.db.query(`SELECT count(*) FROM cases c WHERE c.agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $1 || '%')`, [prefix])));
        ms.push(await time(async () => {
          penalties = (await computeFigures(ctx.db, { year: YEAR, agencyId: null, regionPrefix: prefix })).penalties.total;
        }));
      }
      log(`${prefix}: report median ${median(ms).toFixed(0)} ms, count(*) median ${median(baselineMs).toFixed(0)} ms, penalties ${penalties}`);
      return { ms, baselineMs, penalties };
    };
    const cityRun = await measure(cityPrefix);
    const provinceRun = await measure(cityPrefix.slice(0, 2));
    // Before and after storing the penalty figures, same run: the city's penalty figure read from every
    // decision's JSON (the view finalisation writes from, what the report summed before) and from the table.
    const scopeSql = `issued_on BETWEEN make_date($2::int, 1, 1) AND make_date($2::int, 12, 31) AND agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $1 || '%') GROUP BY kind`;
    const penaltyBeforeMs = await time(() => ctx.db.query(`SELECT kind, count(*), sum(fine_yuan), sum(confiscation_yuan) FROM case_penalty_figures_source WHERE ${scopeSql}`, [cityPrefix, YEAR]));
    const penaltyAfterMs = median(await (async () => {
      const xs: number[] = [];
      for (let i = 0; i < 3; i++) xs.push(await time(() => ctx.db.query(`SELECT kind, count(*), sum(fine_yuan), sum(confiscation_yuan) FROM case_penalty_figures WHERE ${scopeSql}`, [cityPrefix, YEAR])));
      return xs;
    })());
    log(`city penalty figure: from the documents ${penaltyBeforeMs.toFixed(0)} ms, from case_penalty_figures ${penaltyAfterMs.toFixed(0)} ms`);

    const guideId = (await ctx.db.query<{ id: string }>(`SELECT id FROM service_guides WHERE status = 'published' LIMIT 1`)).rows[0]!.id;
    const matter = encodeURIComponent('食品经营许可');
    const urls: [string, string][] = [
      ['portal /guides', '/guides'], ['portal /guides/{id}', `/guides/${guideId}`], ['portal /matters', '/matters'], [`portal /matters?q=食品经营许可`, `/matters?q=${matter}`],
      ['GET /api/v1/public/guides/{id}', `/api/v1/public/guides/${guideId}`], ['GET /api/v1/public/matters', '/api/v1/public/matters'],
    ];
    // Over the real HTTP stack: the server listens, a client fetches one request at a time.
    const address = await app.server.listen({ port: 0, host: '127.0.0.1' });
    const get = async (url: string) => {
      const t = performance.now();
      const r = await fetch(`${address}${url}`);
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
      return performance.now() - t;
    };
    for (const [, u] of urls) for (let i = 0; i < 20; i++) await get(u);
    const samples = new Map<string, number[]>(urls.map(([k]) => [k, []]));
    const healthz: number[] = [];
    // Interleaved, so that a noisy minute on the shared machine hits every page and the baseline alike.
    for (let round = 0; round < 200; round++) {
      healthz.push(await get('/healthz'));
      for (const [k, u] of urls) samples.get(k)!.push(await get(u));
    }
    return {
      cityCases, provinceCases: cityCases + otherCases, fillSeconds, generatedBatches: written, penaltyBeforeMs, penaltyAfterMs, city: cityRun, province: provinceRun,
      pages: urls.map(([k]) => ({ name: k, s: summarize(samples.get(k)!) })), healthz: summarize(healthz), load: os.loadavg(),
    };
  } finally {
    await app.close();
    await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function annualMarkdown(r: AnnualBench): string[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  const row = (what: string, cases: number, x: AnnualBench['city'], target: string) =>
    `| ${what} | ${cases.toLocaleString('en')} | ${f(median(x.ms) / 1000, 2)} s (${x.ms.map((m) => f(m / 1000, 2)).join(', ')}) | ${f(median(x.baselineMs), 0)} ms | ${f(median(x.ms) / median(x.baselineMs), 1)}× | ${x.penalties.toLocaleString('en')} | ${target} |`;
  return [
    '## Annual report and before-enforcement pages (issue 10)',
    '',
    `Data: synthetic cases on PostgreSQL written by INSERT … SELECT (bench/annual.ts), each with the rows the report reads (penalty decisions including combined ones, licence applications, acceptances, grants and refusals, inspections, legal reviews, publications), all in ${YEAR}; ${r.generatedBatches ? `${r.generatedBatches} batches of up to ${BATCH.toLocaleString('en')} cases written, indexes built and vacuumed in ${f(r.fillSeconds, 0)} s` : 'generated by an earlier run on the same database (BENCH_ANNUAL_URL)'}. Load average after the run: ${r.load.map((x) => f(x, 2)).join(' / ')} (1/5/15 min; 2 cores shared with other sessions).`,
    '',
    '### The report\'s figures (`computeFigures`, what drafting a report runs), median of 3 after one warm-up',
    '',
    'Baseline: `SELECT count(*)` over the same cases (agencies of the region) in the same run.',
    '',
    '| jurisdiction | cases | report (runs) | baseline count(*) | ratio | penalties counted | target |',
    '|---|---|---|---|---|---|---|',
    row('a city', r.cityCases, r.city, '< 10 s with 1 million'),
    row('its province', r.provinceCases, r.province, '< 60 s with 10 million'),
    '',
    `The penalty figure alone, same run, city: read from every decision's JSON (before migration 0151) ${f(r.penaltyBeforeMs / 1000, 2)} s; from \`case_penalty_figures\` (after) ${f(r.penaltyAfterMs / 1000, 2)} s.`,
    '',
    '### Guide and matter pages, over HTTP (one client, 200 rounds interleaved with the baseline)',
    '',
    `Baseline: GET /healthz on the same server (p95 ${f(r.healthz.p95, 2)} ms).`,
    '',
    '| page | p50 | p95 | p95 ratio to /healthz | target p95 |',
    '|---|---|---|---|---|',
    ...r.pages.map((p) => `| ${p.name} | ${f(p.s.p50, 2)} ms | ${f(p.s.p95, 2)} ms | ${f(p.s.p95 / r.healthz.p95, 1)}× | < 20 ms |`),
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await annualBench(undefined, undefined, (s) => console.error(s));
  if (!r) console.log('PostgreSQL not reachable (BENCH_DATABASE_URL): skipped');
  else console.log(annualMarkdown(r).join('\n'));
}
