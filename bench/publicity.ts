// Publicity (issue 8): portal search and decision page latency over generated publications, the 双公示
// CSV export's rate and memory, and the time from a head's confirmation to the portal. Sizes are
// parameters: BENCH_PUBLICATIONS (PostgreSQL, default 200000) and BENCH_PUBLICATIONS_PGLITE (default
// 50000). Alone: `node --import tsx bench/publicity.ts`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openContext } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Actor } from '../src/platform/actor.ts';
import type { AppContext } from '../src/platform/context.ts';
import { getCalendar } from '../src/platform/calendar/index.ts';
import { todayInShanghai } from '../src/platform/validation.ts';
import { generate } from '../src/seed/generate.ts';
import { EXPORT_BATCH, PENALTY_FIELDS, RANK_WINDOW, csvCopy, csvStream, getPublic, mapRows, penaltyRow, publicRows, searchDecisions, DecisionQuery, type SearchTuning } from '../src/publicity/public.ts';
import { confirmAndPublish, draftFromDecision, searchTokens } from '../src/publicity/service.ts';
import { PROVISIONS, VIOLATIONS } from '../src/assist/library.ts';
import { createRng } from '../src/registry/fake.ts';
import { scratchPostgres, summarize } from './lib.ts';

export interface QueryClass {
  name: string;
  queries: number;
  hits: { min: number; median: number; max: number };
  p95: number;
}

export interface PublicityBench {
  engine: string;
  n: number;
  genSeconds: number | null;
  indexSeconds: number | null;
  selectOne: ReturnType<typeof summarize>;
  search: ReturnType<typeof summarize>;
  classes: QueryClass[];
  searchFiltered: ReturnType<typeof summarize>;
  filteredHits: { min: number; median: number; max: number };
  filterDates: string;
  substring: ReturnType<typeof summarize>;
  detail: ReturnType<typeof summarize>;
  export?: { path: 'copy' | 'keyset'; rows: number; seconds: number; rssGrowthMb: number; rssIdleMb: number; samples: MemorySample[] };
  serverExport?: ServerExport;
  visibleMs: number;
}

const time = async (fn: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const TEMPLATE = '经查，当事人{v}。{w}。依据有关规定，决定给予行政处罚。';
/** Distinct texts the rows draw from; each row adds its own 文号, party and agency. */
const POOL = 50_000;
/** Publication dates: three years up to the bench's "today", in id order like real publication. */
const FIRST_DAY = '2023-12-01';
const DAYS = 1096;
const CHUNK = 200_000;

/**
 * The corpus's words ranked by how often they occur in real-looking legal text (the similar-case
 * fixture, the provisions, the violation names), drawn with Zipf weights 1/rank: a few words are in
 * most decisions, most words in few, as in real files.
 */
function vocabulary(): { words: string[]; weights: number[]; violations: typeof VIOLATIONS } {
  const fixture = JSON.parse(fs.readFileSync(new URL('../test/fixtures/assist-suggest.json', import.meta.url), 'utf8')) as { text: string }[];
  const counts = new Map<string, number>();
  for (const t of [...fixture.map((f) => f.text), ...PROVISIONS.map((p) => p.text), ...VIOLATIONS.flatMap((v) => [v.name, ...v.keywords])]) {
    for (const w of searchTokens(t).split(' ')) if (w.length >= 2 && !/^\d+$/.test(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  return { words, weights: words.map((_, r) => 1 / (r + 1)), violations: VIOLATIONS };
}

function drawer(weights: number[], rng: { next(): number }) {
  const cum: number[] = [];
  let sum = 0;
  for (const w of weights) cum.push((sum += w));
  return () => {
    const x = rng.next() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The text pool (bench_pub_pool): a violation's name and 12–35 Zipf-drawn words, jieba-tokenized as publishing does. */
async function makePool(ctx: AppContext) {
  const { words, weights, violations } = vocabulary();
  const rng = createRng('publicity-bench');
  const word = drawer(weights, rng);
  const violation = drawer(violations.map((_, i) => 1 / (i + 1)), rng);
  const texts: string[] = [];
  const tokens: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const v = violations[violation()]!;
    const k = 12 + Math.floor(rng.next() * 24);
    const ws: string[] = [];
    for (let j = 0; j < k; j++) ws.push(words[word()]!);
    const text = TEMPLATE.replace('{v}', v.name).replace('{w}', ws.join('，'));
    texts.push(text);
    tokens.push(searchTokens(`${v.name}\n${text}`));
    names.push(v.name);
  }
  await ctx.db.exec(`DROP TABLE IF EXISTS bench_pub_pool; CREATE TABLE bench_pub_pool (i integer PRIMARY KEY, body text NOT NULL, violation text NOT NULL, tsv tsvector NOT NULL)`);
  for (let i = 0; i < POOL; i += 5000) {
    await ctx.db.query(`INSERT INTO bench_pub_pool SELECT i - 1 + $4, b, v, to_tsvector('simple', t) FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY x(b, v, t, i)`,
      [texts.slice(i, i + 5000), names.slice(i, i + 5000), tokens.slice(i, i + 5000), i]);
  }
  await ctx.db.exec('ANALYZE bench_pub_pool');
  return words;
}

// Pseudo-random but repeatable per row: multiplicative hashes of the row number, one per attribute.
const h = (g: string, m: number) => `((${g}::bigint * ${m}) % 4294967296)`;
const u01 = (g: string, m: number) => `(${h(g, m)}::float8 / 4294967296)`;

/**
 * Loads n publications set-based (INSERT … SELECT per 200,000) with the table's secondary indexes
 * dropped; `buildIndexes` puts them back. Dates rise with the row number as in real publication;
 * 60 % penalties; agencies skewed (a few publish most); 1 % withdrawn. Resumes after rows already there.
 */
async function loadRows(ctx: AppContext, n: number, log: (s: string) => void) {
  const t0 = Date.now();
  const have = await benchCount(ctx);
  if (have === 0) await makePool(ctx);
  await ctx.db.exec(`CREATE TABLE IF NOT EXISTS bench_pub_indexes (name text PRIMARY KEY, def text NOT NULL)`);
  const { rows: idx } = await ctx.db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'publications' AND indexname <> 'publications_pkey'`);
  for (const r of idx) {
    await ctx.db.query(`INSERT INTO bench_pub_indexes VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [r.indexname, r.indexdef]);
    await ctx.db.exec(`DROP INDEX ${r.indexname}`);
  }
  const { rows: agencies } = await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE kind = 'enforcement' ORDER BY id`);
  const regions = ['华东', '西湖', '钱塘', '之江', '云栖', '望江', '临平', '滨江', '余杭', '富阳', '萧山', '桐庐'];
  const trades = ['食品', '商贸', '餐饮', '医药', '建材', '物流', '科技', '五金', '服饰', '农业'];
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const chunk = async (from: number) => {
    const to = Math.min(n, from + CHUNK) - 1;
    await ctx.db.query(
      `INSERT INTO publications (id, agency_id, kind, status, document_number, title, party_display, party_type, decided_on, deadline, publicity_months, public_until, rule_set_version, rule_key,
                                 summary, exchange, source_text, public_text, content_sha256, search, search_text, published_on, withdrawn_on, withdrawal_reason, updated_at)
       SELECT gen_random_uuid(), ag.id, r.kind, CASE WHEN g % 97 = 0 THEN 'withdrawn' ELSE 'published' END,
              r.num, '行政处罚决定书', r.party, CASE WHEN r.person THEN 'citizen' ELSE 'organisation' END,
              r.pub - 1 - (g % 9), r.pub - 1 - (g % 9) + 10, 36, (r.pub + interval '36 months')::date, 0, 'bench',
              jsonb_build_object('violation', t.violation, 'content', '罚款'), jsonb_build_object('fine', 1000 + g % 200000, 'penaltyKinds', jsonb_build_array('罚款')),
              '', t.body, md5(g::text) || md5((g + 1)::text),
              t.tsv || to_tsvector('simple', r.num_tokens || ' ' || r.party || ' ' || ag.name) || array_to_tsvector(ARRAY[publication_week_lexeme(r.pub), publication_agency_lexeme(ag.id)]),
              r.num || ' ' || r.party || ' ' || ag.name || ' 行政处罚决定书 ' || t.violation,
              r.pub, CASE WHEN g % 97 = 0 THEN r.pub + 30 END, CASE WHEN g % 97 = 0 THEN '行政复议决定撤销' END, now()
         FROM generate_series($1::int, $2::int) AS g
         CROSS JOIN LATERAL (SELECT
              (DATE '${FIRST_DAY}' + (g::bigint * ${DAYS} / $3)::int) AS pub,
              CASE WHEN ${u01('g', 2246822519)} < 0.6 THEN 'penalty' WHEN ${u01('g', 2246822519)} < 0.85 THEN 'licensing' WHEN ${u01('g', 2246822519)} < 0.9 THEN 'coercion'
                   WHEN ${u01('g', 2246822519)} < 0.97 THEN 'inspection' ELSE 'other' END AS kind,
              '合成罚〔' || (2023 + (g::bigint * ${DAYS} / $3 + 334) / 365) || '〕' || g || '号' AS num,
              '罚 ' || (2023 + (g::bigint * ${DAYS} / $3 + 334) / 365) || ' ' || g || ' 号' AS num_tokens,
              ${u01('g', 3266489917)} < 0.3 AS person,
              CASE WHEN ${u01('g', 3266489917)} < 0.3 THEN ($6::text[])[1 + g % 10] || '某某'
                   ELSE ($4::text[])[1 + g % 12] || ($5::text[])[1 + (g / 12) % 10] || (g % 5000) || '有限公司' END AS party) r
         JOIN bench_pub_pool t ON t.i = ${h('g', 2654435761)} % ${POOL}
         JOIN agencies ag ON ag.id = ($7::uuid[])[1 + floor(power(${u01('g', 668265263)}, 2) * $8)::int]`,
      [from, to, n, regions, trades, surnames, agencies.map((a) => a.id), agencies.length],
    );
    log(`  ${to + 1} publications, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };
  // Two loaders on PostgreSQL (one connection each); BENCH_PUBLICITY_MAX_SECONDS ends a hold of the lock
  // after the chunks under way, and the next run resumes.
  const budget = Number(process.env.BENCH_PUBLICITY_MAX_SECONDS ?? Infinity) * 1000;
  let next = have;
  const loader = async () => {
    while (next < n && Date.now() - t0 < budget) {
      const from = next;
      next += CHUNK;
      await chunk(from);
    }
  };
  await Promise.all(ctx.db.engine === 'postgres' ? [loader(), loader()] : [loader()]);
  return (Date.now() - t0) / 1000;
}

/** Builds the dropped indexes again (sorted builds, far faster than row by row), then VACUUM ANALYZE. */
async function buildIndexes(ctx: AppContext, log: (s: string) => void) {
  const t0 = Date.now();
  await ctx.db.exec(`CREATE TABLE IF NOT EXISTS bench_pub_indexes (name text PRIMARY KEY, def text NOT NULL)`);
  const { rows } = await ctx.db.query<{ name: string; def: string }>(`SELECT name, def FROM bench_pub_indexes ORDER BY name`);
  const build = async (r: { name: string; def: string }) => {
    const t = Date.now();
    await ctx.db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL maintenance_work_mem = '${ctx.db.engine === 'postgres' ? '1GB' : '256MB'}'`);
      await tx.exec(r.def.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
      await tx.query(`DELETE FROM bench_pub_indexes WHERE name = $1`, [r.name]);
    });
    log(`  index ${r.name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  };
  // The two GIN builds (single-threaded each) side by side on PostgreSQL, then the b-trees.
  const gin = rows.filter((r) => /USING gin/i.test(r.def));
  if (ctx.db.engine === 'postgres') await Promise.all(gin.map(build));
  for (const r of rows) if (ctx.db.engine !== 'postgres' || !gin.includes(r)) await build(r);
  await ctx.db.exec('VACUUM ANALYZE publications');
  return (Date.now() - t0) / 1000;
}

const benchCount = async (ctx: AppContext) => {
  const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM publications WHERE rule_key = 'bench'`).catch(() => ({ rows: [{ n: 0 }] }));
  return rows[0]!.n;
};

/** Two-word queries by how common their words are (ranks in the vocabulary), with their hit counts. */
export async function queries(ctx: AppContext, n: number, seed: string) {
  const { words } = vocabulary();
  // Only words jieba keeps whole in the pool (a query word split differently would match nothing).
  const { rows } = await ctx.db.query<{ w: string; docs: number }>(
    `SELECT word AS w, ndoc AS docs FROM ts_stat('SELECT tsv FROM bench_pub_pool') WHERE length(word) >= 2 ORDER BY ndoc DESC, word`);
  // Not the template's words (every row has them), only words jieba keeps whole in the pool.
  const template = new Set(searchTokens(TEMPLATE.replace('{v}', '').replace('{w}', '')).split(' '));
  const inPool = rows.filter((r) => words.includes(r.w) && !template.has(r.w)).map((r) => r.w);
  const rng = createRng(seed);
  const pick = (lo: number, hi: number) => inPool[lo + Math.floor(rng.next() * (Math.min(hi, inPool.length) - lo))]!;
  const classes: { name: string; make: () => string }[] = [
    { name: 'common (both words among the 20 most frequent)', make: () => `${pick(0, 20)} ${pick(0, 20)}` },
    { name: 'medium (ranks 20–150)', make: () => `${pick(20, 150)} ${pick(20, 150)}` },
    { name: 'rare (ranks 150–600)', make: () => `${pick(150, 600)} ${pick(150, 600)}` },
  ];
  const out: { q: string; cls: string; hits: number }[] = [];
  for (let i = 0; i < 99; i++) {
    const c = classes[i % 3]!;
    let q = c.make();
    while (q.split(' ')[0] === q.split(' ')[1]) q = c.make();
    out.push({ q, cls: c.name, hits: 0 });
  }
  // Hits estimated from the pool: matching pool texts × rows per pool text (each row draws one text).
  for (const x of out) {
    const { rows: m } = await ctx.db.query<{ k: number }>(`SELECT count(*)::int AS k FROM bench_pub_pool WHERE tsv @@ plainto_tsquery('simple', $1)`, [searchTokens(x.q)]);
    x.hits = Math.round((m[0]!.k * n) / POOL);
  }
  return { list: out, classes: classes.map((c) => c.name) };
}

const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
};

/**
 * Steps (BENCH_PUBLICITY_STEPS, default all): rows, indexes, measure, so that a large load and the
 * measurement can run in separate holds of the bench lock. BENCH_PUBLICITY_URL: a PostgreSQL database of
 * your own (kept); BENCH_PUBLICITY_PGLITE_DIR: a PGlite folder (kept). Otherwise scratch, dropped after.
 */
export async function publicityBench(engine: 'postgres' | 'pglite', n: number, log = (s: string) => console.error(s)): Promise<PublicityBench | null> {
  const steps = new Set((process.env.BENCH_PUBLICITY_STEPS ?? 'rows,indexes,measure').split(','));
  const ownUrl = engine === 'postgres' ? process.env.BENCH_PUBLICITY_URL : undefined;
  const ownDir = engine === 'pglite' ? process.env.BENCH_PUBLICITY_PGLITE_DIR : undefined;
  const pg = engine === 'postgres' ? (ownUrl ? { url: ownUrl, drop: async () => {} } : await scratchPostgres()) : null;
  if (engine === 'postgres' && !pg) return null;
  const dataDir = ownDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-pub-'));
  const ctx = await openContext(loadConfig({ ...(pg ? { DATABASE_URL: pg.url } : {}), LOG_LEVEL: 'silent', DATA_DIR: dataDir }));
  try {
    let genSeconds: number | null = null;
    let indexSeconds: number | null = null;
    if (steps.has('rows')) {
      if ((await benchCount(ctx)) === 0) await generate(ctx, { officers: 200, seed: 1 });
      genSeconds = await loadRows(ctx, n, log);
    }
    if (steps.has('indexes')) indexSeconds = await buildIndexes(ctx, log);
    // The export step alone: the server's 双公示 CSV export over HTTP, appended to BENCH_OUT.
    if (steps.has('export') && pg) {
      const x = await exportFromServer(pg.url, log);
      if (process.env.BENCH_OUT) fs.appendFileSync(process.env.BENCH_OUT, `\n<!-- ${new Date().toISOString()} load ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} -->\n${serverExportMarkdown(x).join('\n')}\n`);
    }
    if (!steps.has('measure')) return null;
    n = await benchCount(ctx);
    const { rows: agencies } = await ctx.db.query<{ id: string }>(`SELECT id FROM agencies a WHERE kind = 'enforcement' AND EXISTS (SELECT 1 FROM publications p WHERE p.agency_id = a.id) ORDER BY id`);
    const q = (over: Partial<DecisionQuery>) => DecisionQuery.parse({ limit: 20, ...over });
    const selectOne: number[] = [];
    for (let i = 0; i < 300; i++) selectOne.push(await time(() => ctx.db.query('SELECT 1')));
    const run = async (mk: (i: number) => DecisionQuery, k = 99, tuning: SearchTuning = {}) => {
      for (let i = 0; i < 10; i++) await searchDecisions(ctx.db, mk(i + 1000), tuning);
      const xs: number[] = [];
      for (let i = 0; i < k; i++) xs.push(await time(() => searchDecisions(ctx.db, mk(i), tuning)));
      return xs;
    };
    const qs = await queries(ctx, n, 'publicity-bench-queries');
    const warm = await queries(ctx, n, 'publicity-bench-warm-up');
    // Warm-up calls (i >= 1000) use other words than the measured ones.
    const word = (i: number) => (i >= 1000 ? warm.list[(i - 1000) % warm.list.length]! : qs.list[i % qs.list.length]!).q;
    const all = await run((i) => q({ q: word(i) }));
    const classes = qs.classes.map((name) => {
      const idx = qs.list.map((x, i) => (x.cls === name ? i : -1)).filter((i) => i >= 0);
      return { name, queries: idx.length, hits: spread(idx.map((i) => qs.list[i]!.hits)), p95: summarize(idx.map((i) => all[i]!)).p95 };
    });
    // Decision dates of the filter: the ten months before the last month of the data.
    const { rows: last } = await ctx.db.query<{ from: string; to: string }>(`SELECT (max(published_on) - 330)::text AS from, (max(published_on) - 30)::text AS to FROM publications WHERE rule_key = 'bench'`);
    const { from, to } = last[0]!;
    const filtered = (i: number) => q({ q: word(i), kind: 'penalty', agency: agencies[(i * 7) % agencies.length]!.id, from, to });
    // BENCH_PUBLICITY_FILTERED_SHARE: the search's commonShare for the filtered queries only (0: date probes
    // always, Infinity: week probes through GIN always), to compare the plans on the same data.
    const filteredShare = process.env.BENCH_PUBLICITY_FILTERED_SHARE;
    const searchFiltered = await run(filtered, 99, filteredShare ? { commonShare: Number(filteredShare) } : {});
    const filteredClasses = qs.classes.map((name) => `${name} ${summarize(qs.list.flatMap((x, i) => (x.cls === name && i < searchFiltered.length ? [searchFiltered[i]!] : []))).p95.toFixed(1)}`).join(' / ');
    log(`  ${engine} ${n}: SELECT 1 p95 ${summarize(selectOne).p95.toFixed(2)} ms; two-word p50/p95 ${summarize(all).p50.toFixed(1)}/${summarize(all).p95.toFixed(1)} ms; filtered ${summarize(searchFiltered).p50.toFixed(1)}/${summarize(searchFiltered).p95.toFixed(1)} ms (by class p95 ${filteredClasses}); ${classes.map((c) => `${c.name} hits≈${c.hits.median} p95 ${c.p95.toFixed(1)}`).join('; ')}`);
    const filteredHits: number[] = [];
    for (let i = 0; i < 10; i++) filteredHits.push((await searchDecisions(ctx.db, { ...filtered(i), limit: 100 })).rows.length);
    const substring = await run((i) => q({ q: `〔2026〕${1000 + ((i * 7919) % Math.max(1, n - 1000))}号` }));
    const { rows: ids } = await ctx.db.query<{ id: string }>(`SELECT id FROM publications TABLESAMPLE SYSTEM (1) WHERE rule_key = 'bench' AND status = 'published' AND public_until >= $1 LIMIT 110`, [todayInShanghai()]);
    for (const r of ids.slice(100)) await getPublic(ctx, r.id);
    const dx: number[] = [];
    for (const r of ids.slice(0, 100)) dx.push(await time(() => getPublic(ctx, r.id)));

    let exp: PublicityBench['export'];
    // BENCH_PUBLICITY_EXPORT=0 leaves the exports out (a search-only run).
    if ((engine === 'postgres' || process.env.BENCH_PUBLICITY_EXPORT_PGLITE) && process.env.BENCH_PUBLICITY_EXPORT !== '0') {
      global.gc?.();
      const idle = process.memoryUsage().rss;
      let peak = idle;
      let rows = 0;
      // Every 250,000 rows: resident memory and V8's heap, to tell heap growth from a leak.
      const samples: MemorySample[] = [];
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const t = Date.now();
      const count = (r: Parameters<typeof penaltyRow>[0]) => {
        if (++rows % 250_000 === 0) samples.push(memorySample(rows, idle));
        return penaltyRow(r);
      };
      // What the route serves: PostgreSQL's COPY where the database has it, else the keyset stream.
      const copied = csvCopy(ctx.db, 'penalty');
      const countLines = new Writable({
        write: (c: Buffer, _e, cb) => {
          for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) if (++rows % 250_000 === 0) samples.push(memorySample(rows, idle));
          cb();
        },
      });
      if (copied) await pipeline(copied, countLines);
      else await pipeline(csvStream(mapRows(publicRows(ctx.db, 'penalty', { text: false, batch: EXPORT_BATCH }), count), PENALTY_FIELDS), new Writable({ write: (_c, _e, cb) => cb() }));
      clearInterval(sample);
      // The COPY's count includes its header line.
      exp = { path: copied ? 'copy' : 'keyset', rows: copied ? rows - 1 : rows, seconds: (Date.now() - t) / 1000, rssGrowthMb: (peak - idle) / 2 ** 20, rssIdleMb: idle / 2 ** 20, samples };
    }
    const serverExport = engine === 'postgres' && pg && process.env.BENCH_PUBLICITY_EXPORT !== '0' ? await exportFromServer(pg.url, log) : undefined;

    // From the head's confirmation to the portal search finding it.
    const cal = await getCalendar(ctx.db);
    const agencyId = agencies[0]!.id;
    const number = `测速罚〔2026〕${Date.now()}号`;
    const d = await ctx.db.transaction((tx) => draftFromDecision(tx, cal, {
      agencyId, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn: '2026-11-20', documentNumber: number, title: '测速', text: '当事人测速某某公司销售过期食品，罚款。',
      party: { name: '测速某某公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 200000, violation: '违规', content: '罚款', basis: '依据', actorId: null,
    }));
    const t1 = Date.now();
    const head: Actor = { kind: 'user', id: crypto.randomUUID(), name: 'bench', role: 'agency_head', agencyId, jurisdiction: null, scopes: [] };
    await confirmAndPublish(ctx, null, head, d.id, { redactions: [] });
    let seen = false;
    while (!seen && Date.now() - t1 < 10_000) seen = (await searchDecisions(ctx.db, q({ q: number }))).rows.some((r) => r.id === d.id);
    const visibleMs = Date.now() - t1;
    return {
      engine, n, genSeconds, indexSeconds, selectOne: summarize(selectOne), search: summarize(all), classes, searchFiltered: summarize(searchFiltered), filteredHits: spread(filteredHits), filterDates: `${from}…${to}`,
      substring: summarize(substring), detail: summarize(dx), export: exp, serverExport, visibleMs,
    };
  } finally {
    await ctx.db.close();
    if (!ownUrl) await pg?.drop();
    if (!ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface MemorySample {
  rows: number;
  rssOverIdleMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

const mb = (x: number) => x / 2 ** 20;

function memorySample(rows: number, idleRss: number): MemorySample {
  const m = process.memoryUsage();
  return { rows, rssOverIdleMb: mb(m.rss - idleRss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}

export interface ServerExport {
  command: string;
  rows: number;
  seconds: number;
  rssIdleMb: number;
  rssPeakMb: number;
  /** Resident memory over idle at every 250,000 rows received. */
  samples: { rows: number; rssOverIdleMb: number }[];
}

const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/**
 * The 双公示 CSV export as deployed: the server started the way `npm start` starts it (bin/sanxiang.js
 * serve, the same node flags), one client downloading penalties.csv over HTTP; the server's resident
 * memory read from /proc every 100 ms, idle being after start-up has settled.
 */
async function exportFromServer(databaseUrl: string, log: (s: string) => void): Promise<ServerExport> {
  const { spawn } = await import('node:child_process');
  const start = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const args = start.split(/\s+/).slice(1).filter((a) => a !== '--demo');
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-bench-serve-'));
  const child = spawn(process.execPath, args, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/healthz`).then((r) => r.ok, () => false))) break;
      if (i > 600) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Idle: after start-up's font loading and first jobs; the lowest of 5 s of readings.
    let idle = Infinity;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      idle = Math.min(idle, residentMb(child.pid!));
    }
    let peak = idle;
    const timer = setInterval(() => (peak = Math.max(peak, residentMb(child.pid!))), 100);
    const samples: ServerExport['samples'] = [];
    let rows = -1;
    const t = Date.now();
    const res = await fetch(`${base}/api/v1/public/exports/penalties.csv`);
    if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
    for await (const chunk of Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
        if (++rows > 0 && rows % 250_000 === 0) samples.push({ rows, rssOverIdleMb: residentMb(child.pid!) - idle });
      }
    }
    clearInterval(timer);
    const out = { command: `node ${args.join(' ')}`, rows, seconds: (Date.now() - t) / 1000, rssIdleMb: idle, rssPeakMb: peak, samples };
    log(`  server export (${out.command}): ${rows} rows in ${out.seconds.toFixed(1)} s; RSS idle ${idle.toFixed(0)} MB, peak +${(peak - idle).toFixed(1)} MB; over idle every 250,000 rows: ${samples.map((m) => m.rssOverIdleMb.toFixed(0)).join(', ')}`);
    return out;
  } finally {
    // A scheduled job may hold the server a while after SIGTERM; the bench does not wait for it.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(grace);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (x: number, d = 1) => x.toFixed(d);

function serverExportMarkdown(x: ServerExport): string[] {
  return [
    '',
    `双公示 CSV export from the server (\`${x.command}\`, GET /api/v1/public/exports/penalties.csv over HTTP): ${x.rows.toLocaleString('en')} rows in ${fmt(x.seconds)} s = ${fmt(x.rows / x.seconds, 0)} rows/s; server RSS idle ${fmt(x.rssIdleMb, 0)} MB, peak **+${fmt(x.rssPeakMb - x.rssIdleMb)} MB** over idle.`,
    `- RSS over idle every 250,000 rows (MB): ${x.samples.map((m) => fmt(m.rssOverIdleMb, 0)).join(', ')}`,
  ];
}

export function publicityMarkdown(rs: PublicityBench[]): string[] {
  const out = [
    '## Publicity of decisions (issue 8)',
    '',
    `Synthetic publications (bench/publicity.ts): dates rising with the id over three years, texts drawn from ${POOL.toLocaleString('en')} pool texts of Zipf-weighted legal words (jieba tokens, \`simple\` tsvector), a unique 文号 per row; loaded set-based with the secondary indexes built afterwards. Service calls in process (\`searchDecisions\`, \`getPublic\`), 10 warm-up and 99 measured two-word queries in three classes by word frequency (hits estimated from the pool); baseline: \`SELECT 1\` on the same connection, same run. Keyword search ranks the newest ${RANK_WINDOW} matches.`,
    '',
    '| engine | publications | rows / indexes built in | SELECT 1 p95 | two-word search p50 / p95 | with filters p50 / p95 | 文号 substring p95 | decision page p95 | search p95 ÷ SELECT 1 | served → on the portal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const secs = (x: number | null) => (x === null ? '—' : `${fmt(x, 0)} s`);
  for (const r of rs) {
    out.push(`| ${r.engine} | ${r.n.toLocaleString('en')} | ${secs(r.genSeconds)} / ${secs(r.indexSeconds)} | ${fmt(r.selectOne.p95, 2)} ms | ${fmt(r.search.p50)} / ${fmt(r.search.p95)} ms | ${fmt(r.searchFiltered.p50)} / ${fmt(r.searchFiltered.p95)} ms | ${fmt(r.substring.p95)} ms | ${fmt(r.detail.p95)} ms | ${fmt(r.search.p95 / r.selectOne.p95, 0)}× | ${r.visibleMs} ms |`);
  }
  for (const r of rs) {
    out.push('', `${r.engine}, ${r.n.toLocaleString('en')}: two-word query classes (hits min / median / max → p95):`);
    for (const c of r.classes) out.push(`- ${c.name}: ${c.queries} queries, hits ${c.hits.min.toLocaleString('en')} / ${c.hits.median.toLocaleString('en')} / ${c.hits.max.toLocaleString('en')} → p95 ${fmt(c.p95)} ms`);
    out.push(`- with filters (penalty, one agency, decided ${r.filterDates}): first 100 results of 10 queries min / median / max ${r.filteredHits.min} / ${r.filteredHits.median} / ${r.filteredHits.max}`);
    if (r.export) {
      out.push('', `双公示 CSV export in the bench process (${r.engine}, penalties of ${r.n.toLocaleString('en')}): ${r.export.rows.toLocaleString('en')} rows in ${fmt(r.export.seconds)} s = ${fmt(r.export.rows / r.export.seconds, 0)} rows/s; resident memory grew ${fmt(r.export.rssGrowthMb)} MB over ${fmt(r.export.rssIdleMb, 0)} MB before the export (${r.export.path === 'copy' ? 'COPY … TO STDOUT as the route serves it on PostgreSQL, bytes streamed' : `keyset batches of ${EXPORT_BATCH} as the route reads them on PGlite, without the decision text, streamed`}).`);
      out.push(`- every 250,000 rows, RSS over idle / heap used / heap total / external (MB): ${r.export.samples.map((m) => `${fmt(m.rssOverIdleMb, 0)}/${fmt(m.heapUsedMb, 0)}/${fmt(m.heapTotalMb, 0)}/${fmt(m.externalMb, 0)}`).join(', ')}`);
    }
    if (r.serverExport) out.push(...serverExportMarkdown(r.serverExport));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // BENCH_PUBLICITY_ENGINES: postgres,pglite (default both).
  const engines = (process.env.BENCH_PUBLICITY_ENGINES ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
  const rs: PublicityBench[] = [];
  for (const e of engines) {
    const r = await publicityBench(e, Number((e === 'postgres' ? process.env.BENCH_PUBLICATIONS : process.env.BENCH_PUBLICATIONS_PGLITE) ?? (e === 'postgres' ? 200_000 : 50_000)));
    if (r) rs.push(r);
  }
  const md = publicityMarkdown(rs).join('\n');
  if (process.env.BENCH_OUT && rs.length) fs.appendFileSync(process.env.BENCH_OUT, `\n<!-- ${new Date().toISOString()} load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} -->\n${md}\n`);
  console.log(md);
}
