// Publicity (issue 8): portal search and decision page latency over generated publications, the 双公示
// CSV export's rate and memory, and the time from a head's confirmation to the portal. Sizes are
// parameters: BENCH_PUBLICATIONS (PostgreSQL, default 200000) and BENCH_PUBLICATIONS_PGLITE (default
// 50000). Alone: `node --import tsx bench/publicity.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { AppContext } from '../src/platform/context.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { generate } from '../src/seed/generate.ts';
import { PENALTY_FIELDS, csvStream, getPublic, mapRows, penaltyRow, publicRows, searchDecisions, DecisionQuery } from '../src/publicity/public.ts';
import { confirmAndPublish, draftFromDecision, searchTokens } from '../src/publicity/service.ts';
import { scratchPostgres, summarize } from './lib.ts';

const WORDS = ['销售', '过期', '食品', '未取得', '许可', '经营', '虚假', '宣传', '广告', '价格', '欺诈', '计量', '器具', '无证', '药品', '医疗', '器械', '化妆品', '特种', '设备', '消防', '安全', '生产', '环境', '污染', '排放', '噪声', '餐饮', '卫生', '标签'];
const COMPANIES = ['华东', '西湖', '钱塘', '之江', '云栖', '望江', '临平', '滨江', '余杭', '富阳'];

export interface PublicityBench {
  engine: string;
  n: number;
  genSeconds: number;
  selectOne: ReturnType<typeof summarize>;
  search: ReturnType<typeof summarize>;
  searchFiltered: ReturnType<typeof summarize>;
  substring: ReturnType<typeof summarize>;
  detail: ReturnType<typeof summarize>;
  export?: { rows: number; seconds: number; rssGrowthMb: number; rssIdleMb: number };
  visibleMs: number;
}

const time = async (fn: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** Synthetic published decisions in one INSERT … SELECT per batch: tokens from word pairs, unique 文号. */
async function fill(ctx: AppContext, n: number, log: (s: string) => void) {
  const { rows: agencies } = await ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE kind = 'enforcement' ORDER BY id`);
  const pairs: string[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < WORDS.length; i++) for (let j = 0; j < WORDS.length; j++) if (i !== j) {
    const t = `当事人${COMPANIES[(i + j) % COMPANIES.length]}某某有限公司${WORDS[i]}${WORDS[j]}，违反有关规定，决定罚款。`;
    pairs.push(t);
    tokens.push(searchTokens(t));
  }
  const batch = 20_000;
  for (let from = 0; from < n; from += batch) {
    const size = Math.min(batch, n - from);
    await ctx.db.query(
      `INSERT INTO publications (id, agency_id, kind, status, document_number, title, party_display, party_type, decided_on, deadline, publicity_months, public_until, rule_set_version, rule_key,
                                 summary, exchange, public_text, content_sha256, search, search_text, published_on, updated_at)
       SELECT gen_random_uuid(), ($1::uuid[])[1 + g % array_length($1::uuid[], 1)], (ARRAY['penalty','licensing','coercion','inspection','other'])[1 + g % 5], 'published',
              '合成罚〔2026〕' || g || '号', '合成案件', (ARRAY['华东','西湖','钱塘','之江','云栖'])[1 + g % 5] || '某某有限公司' || (g % 997), 'organisation',
              DATE '2026-01-01' + (g % 320), DATE '2026-01-10' + (g % 320), 36, DATE '2029-01-01' + (g % 320), 0, 'penalty.general',
              jsonb_build_object('violation', '违反有关规定', 'content', '罚款'), jsonb_build_object('fine', 10000 + g % 90000, 'penaltyKinds', jsonb_build_array('罚款')),
              ($2::text[])[1 + g % array_length($2::text[], 1)], md5(g::text) || md5((g + 1)::text),
              to_tsvector('simple', ($3::text[])[1 + g % array_length($3::text[], 1)] || ' 合成罚 ' || g),
              '合成罚〔2026〕' || g || '号 ' || (ARRAY['华东','西湖','钱塘','之江','云栖'])[1 + g % 5] || '某某有限公司' || (g % 997),
              DATE '2026-01-10' + (g % 320), now()
         FROM generate_series($4::int, $5::int) AS g`,
      [agencies.map((a) => a.id), pairs, tokens, from, from + size - 1],
    );
    if ((from + size) % 100_000 === 0) log(`  ${from + size} publications`);
  }
  await ctx.db.exec('ANALYZE publications');
  return agencies;
}

export async function publicityBench(engine: 'postgres' | 'pglite', n: number, log = (s: string) => console.error(s)): Promise<PublicityBench | null> {
  const pg = engine === 'postgres' ? await scratchPostgres() : null;
  if (engine === 'postgres' && !pg) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-pub-'));
  const ctx = await openContext(loadConfig({ ...(pg ? { DATABASE_URL: pg.url } : {}), LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  try {
    await generate(ctx, { officers: 200, seed: 1 });
    const t0 = Date.now();
    const agencies = await fill(ctx, n, log);
    const genSeconds = (Date.now() - t0) / 1000;
    const q = (over: Partial<DecisionQuery>) => DecisionQuery.parse({ limit: 20, ...over });
    const selectOne: number[] = [];
    for (let i = 0; i < 300; i++) selectOne.push(await time(() => ctx.db.query('SELECT 1')));
    const run = async (mk: (i: number) => DecisionQuery, k = 100) => {
      for (let i = 0; i < 10; i++) await searchDecisions(ctx.db, mk(i));
      const xs: number[] = [];
      for (let i = 0; i < k; i++) xs.push(await time(() => searchDecisions(ctx.db, mk(i))));
      return summarize(xs);
    };
    const two = (i: number) => `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length]}`;
    const search = await run((i) => q({ q: two(i) }));
    const searchFiltered = await run((i) => q({ q: two(i), kind: 'penalty', agency: agencies[i % agencies.length]!.id, from: '2026-03-01', to: '2026-10-31' }));
    const substring = await run((i) => q({ q: `〔2026〕${1000 + ((i * 7919) % Math.max(1, n - 1000))}号` }));
    const { rows: ids } = await ctx.db.query<{ id: string }>(`SELECT id FROM publications ORDER BY random() LIMIT 100`);
    for (const r of ids.slice(0, 10)) await getPublic(ctx, r.id);
    const dx: number[] = [];
    for (const r of ids) dx.push(await time(() => getPublic(ctx, r.id)));

    let exp: PublicityBench['export'];
    if (engine === 'postgres') {
      global.gc?.();
      const idle = process.memoryUsage().rss;
      let peak = idle;
      let rows = 0;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const t = Date.now();
      await pipeline(csvStream(mapRows(publicRows(ctx.db, 'penalty', 2000), (r) => (rows++, penaltyRow(r))), PENALTY_FIELDS), new Writable({ write: (_c, _e, cb) => cb() }));
      clearInterval(sample);
      exp = { rows, seconds: (Date.now() - t) / 1000, rssGrowthMb: (peak - idle) / 2 ** 20, rssIdleMb: idle / 2 ** 20 };
    }

    // From the head's confirmation to the portal search finding it.
    const cal = await getCalendar(ctx.db);
    const { rows: users } = await ctx.db.query<{ id: string }>(`SELECT gen_random_uuid() AS id`);
    const agencyId = agencies[0]!.id;
    const d = await ctx.db.transaction((tx) => draftFromDecision(tx, cal, {
      agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: '测速罚〔2026〕1号', title: '测速', text: '当事人测速某某公司销售过期食品，罚款。',
      party: { name: '测速某某公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 200000, violation: '违规', content: '罚款', basis: '依据', actorId: null,
    }));
    const t1 = Date.now();
    await confirmAndPublish(ctx, null, { kind: 'user', id: users[0]!.id, name: 'bench', role: 'agency_head', agencyId, jurisdiction: null, scopes: [] }, d.id, { redactions: [] });
    let seen = false;
    while (!seen && Date.now() - t1 < 10_000) seen = (await searchDecisions(ctx.db, q({ q: '测速罚' }))).rows.length > 0;
    const visibleMs = Date.now() - t1;
    return { engine, n, genSeconds, selectOne: summarize(selectOne), search, searchFiltered, substring, detail: summarize(dx), export: exp, visibleMs };
  } finally {
    await ctx.db.close();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (x: number, d = 1) => x.toFixed(d);

export function publicityMarkdown(rs: PublicityBench[]): string[] {
  const out = [
    '## Publicity of decisions (issue 8)',
    '',
    'Synthetic published decisions (one `INSERT … SELECT` per 20,000, jieba tokens of 870 word-pair texts in the `simple` tsvector, unique 文号 in the pg_trgm column). Service calls in process (`searchDecisions`, `getPublic`), 10 warm-up and 100 measured queries each; baseline: `SELECT 1` round trip on the same connection.',
    '',
    '| engine | publications | generated in | SELECT 1 p95 | two-word search p50 / p95 | with filters p50 / p95 | 文号 substring p95 | decision page p95 | search p95 ÷ SELECT 1 | served → on the portal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rs) {
    out.push(`| ${r.engine} | ${r.n.toLocaleString('en')} | ${fmt(r.genSeconds, 0)} s | ${fmt(r.selectOne.p95, 2)} ms | ${fmt(r.search.p50)} / ${fmt(r.search.p95)} ms | ${fmt(r.searchFiltered.p50)} / ${fmt(r.searchFiltered.p95)} ms | ${fmt(r.substring.p95)} ms | ${fmt(r.detail.p95)} ms | ${fmt(r.search.p95 / r.selectOne.p95, 0)}× | ${r.visibleMs} ms |`);
  }
  for (const r of rs) {
    if (r.export) out.push('', `双公示 CSV export (${r.engine}, penalties of ${r.n.toLocaleString('en')}): ${r.export.rows.toLocaleString('en')} rows in ${fmt(r.export.seconds)} s = ${fmt(r.export.rows / r.export.seconds, 0)} rows/s; resident memory grew ${fmt(r.export.rssGrowthMb)} MB over ${fmt(r.export.rssIdleMb, 0)} MB before the export (keyset batches of 2,000, streamed).`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rs = [await publicityBench('postgres', Number(process.env.BENCH_PUBLICATIONS ?? 200_000)), await publicityBench('pglite', Number(process.env.BENCH_PUBLICATIONS_PGLITE ?? 50_000))].filter((x): x is PublicityBench => x !== null);
  console.log(publicityMarkdown(rs).join('\n'));
}
