// Keyword search order and paging (R-P17, issue 8): the newest RANK_WINDOW matches by relevance, then
// every older match newest first; walking the cursors returns each match once. Runs on PGlite and
// PostgreSQL (the same SQL and the same order on both).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyLexeme, DecisionQuery, RANK_WINDOW, searchDecisions, weekLexeme, wholeWordTokens } from '../src/publicity/public.ts';
import { searchTokens } from '../src/publicity/service.ts';
import { setSearch } from '../src/publicity/store.ts';
import { scratchDatabase, type TestDb } from './helpers/db.ts';

let t: TestDb;
const agencies: string[] = [];
// Matches of 过期 食品: one a day back from 2026-11-20 (so the date probes of 7, 30, 120 and 365 days
// all take part); every 10th repeats the words (ranks higher); one more outside the window repeats them most.
const MATCHES = RANK_WINDOW + 45;
const strongOld = RANK_WINDOW + 20;
const day = (i: number) => new Date(Date.UTC(2026, 10, 20) - i * 86_400_000).toISOString().slice(0, 10);
let ids: string[] = [];

beforeAll(async () => {
  t = await scratchDatabase();
  for (const [name, region] of [['杭州市西湖区市场监督管理局', '330106'], ['杭州市上城区市场监督管理局', '330102']] as const) {
    const id = crypto.randomUUID();
    await t.db.query(`INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status) VALUES ($1, $2, $3, 'enforcement', 'county', $4, 'statutory')`,
      [id, name, `TEST${crypto.randomBytes(7).toString('hex').toUpperCase()}`, region]);
    agencies.push(id);
  }
  const texts: string[] = [];
  const dates: string[] = [];
  for (let i = 0; i < MATCHES; i++) {
    ids.push(crypto.randomUUID());
    dates.push(day(i));
    texts.push(i === strongOld ? '销售过期食品，过期食品，过期食品，过期食品' : i % 10 === 3 ? '销售过期食品，过期食品' : `第${i}号 当事人销售过期的食品`);
  }
  // Rows that do not match, interleaved by date.
  for (let i = 0; i < 60; i++) {
    ids.push(crypto.randomUUID());
    dates.push(day(i * 4 + 1));
    texts.push('未取得许可从事经营');
  }
  await t.db.query(
    `INSERT INTO publications (id, agency_id, kind, status, document_number, decided_on, public_until, rule_set_version, public_text, search, search_text, published_on)
     SELECT x.id, a.id, 'penalty', CASE WHEN x.i % 17 = 0 THEN 'withdrawn' ELSE 'published' END, '测罚〔2026〕' || x.i || '号', x.d::date, DATE '2030-01-01', 0,
            x.t, to_tsvector('simple', x.tok) || array_to_tsvector(ARRAY[publication_week_lexeme(x.d::date), publication_agency_lexeme(a.id)]), '测罚〔2026〕' || x.i || '号', x.d::date
       FROM unnest($1::uuid[], $2::text[], $3::text[], $5::text[]) WITH ORDINALITY AS x(id, d, t, tok, i)
       CROSS JOIN LATERAL (SELECT ($4::uuid[])[1 + (x.i::int % 2)] AS id) a`,
    [ids, dates, texts, agencies, texts.map((s) => searchTokens(s))],
  );
  ids = ids.slice(0, MATCHES);
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

// fewMatches 0 makes every search take the date probes that large registers use (the data here is small);
// commonShare then picks the probes' plan: Infinity asks GIN for the probe's weeks, 0 walks the date index.
const all = async (over: Partial<DecisionQuery>, limit: number, fewMatches?: number, commonShare?: number) => {
  const seen: { id: string; published_on: string | null; rank?: number }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await searchDecisions(t.db, DecisionQuery.parse({ q: '过期 食品', limit, ...over, ...(cursor ? { cursor } : {}) }), { fewMatches, commonShare });
    seen.push(...r.rows);
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  return seen;
};

describe('keyword search order (R-P17)', () => {
  it('ranks the newest window by relevance, then lists older matches newest first, each once', async () => {
    // 30 a page: the window (200) ends inside the 7th page, which continues with the oldest matches.
    const got = await all({}, 30);
    expect(got.map((r) => r.id).sort()).toEqual([...ids].sort());
    const window = got.slice(0, RANK_WINDOW);
    expect(new Set(window.map((r) => r.id))).toEqual(new Set(ids.slice(0, RANK_WINDOW)));
    // Relevance first inside the window: the repeated-word texts lead, newest first among equals.
    const strong = ids.slice(0, RANK_WINDOW).filter((_, i) => i % 10 === 3);
    expect(window.slice(0, strong.length).map((r) => r.id)).toEqual(strong);
    for (let i = 1; i < window.length; i++) {
      const [a, b] = [window[i - 1]!, window[i]!];
      expect(a.rank! > b.rank! || (a.rank === b.rank && a.published_on! >= b.published_on!)).toBe(true);
    }
    // Past the window: newest first, so the most relevant old decision is not pulled forward.
    expect(got.slice(RANK_WINDOW).map((r) => r.id)).toEqual(ids.slice(RANK_WINDOW));
    expect(got.findIndex((r) => r.id === ids[strongOld])).toBe(strongOld);
  });

  it('gives the same order whatever the page size, and applies filters inside the window', async () => {
    const a = (await all({}, 30)).map((r) => r.id);
    const b = (await all({}, 100)).map((r) => r.id);
    expect(b).toEqual(a);
    // The date probes (7, 30, 120, 365 days back, then all) find the same matches in the same order.
    expect((await all({}, 30, 0)).map((r) => r.id)).toEqual(a);
    expect((await all({}, 100, 0)).map((r) => r.id)).toEqual(a);
    const mine = await all({ agency: agencies[1]! }, 50);
    const expected = ids.filter((_, i) => (i + 1) % 2 === 1);
    expect(mine.map((r) => r.id).sort()).toEqual([...expected].sort());
    expect((await all({ agency: agencies[1]! }, 50, 0)).map((r) => r.id)).toEqual(mine.map((r) => r.id));
  });

  it('finds by probes exactly the newest matches the plain definition gives, filtered or not', async () => {
    // The definition in plain SQL: every visible match, newest first; the window is its first RANK_WINDOW.
    const plain = async (extra: string, args: unknown[]) => (await t.db.query<{ id: string }>(
      `SELECT p.id FROM publications p WHERE p.status IN ('published', 'withdrawn') AND p.search @@ plainto_tsquery('simple', $1) ${extra}
        ORDER BY p.published_on DESC, p.id DESC`, [searchTokens('过期 食品'), ...args])).rows.map((r) => r.id);
    // Filtered by agency (its id, its name, its region, or all of a wider region): on the week path GIN
    // also takes the agencies' lexemes (0164), and the pages stay the definition's.
    const named = (await t.db.query<{ name: string }>(`SELECT name FROM agencies WHERE id = $1`, [agencies[1]!])).rows[0]!.name;
    const cases: [Partial<DecisionQuery>, string, unknown[]][] = [
      [{}, '', []],
      [{ agency: agencies[0]! }, 'AND p.agency_id = $2', [agencies[0]!]],
      [{ agency: agencies[0]!.toUpperCase() }, 'AND p.agency_id = $2', [agencies[0]!]],
      [{ agency: named, from: day(150), to: day(3) }, 'AND p.agency_id = $2 AND p.decided_on BETWEEN $3 AND $4', [agencies[1]!, day(150), day(3)]],
      [{ region: '330106' }, 'AND p.agency_id = $2', [agencies[0]!]],
      [{ region: '3301' }, '', []],
      [{ region: '330106', agency: agencies[1]! }, 'AND false', []],
      [{ from: day(150), to: day(3) }, 'AND p.decided_on BETWEEN $2 AND $3', [day(150), day(3)]],
    ];
    for (const [over, extra, args] of cases) {
      const expected = await plain(extra, args);
      const direct = await all(over, 100);
      expect(direct.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(new Set(direct.slice(0, RANK_WINDOW).map((r) => r.id))).toEqual(new Set(expected.slice(0, RANK_WINDOW)));
      expect(direct.slice(RANK_WINDOW).map((r) => r.id)).toEqual(expected.slice(RANK_WINDOW));
      // Probes by week through GIN and probes walking the date index: the very same pages.
      for (const limit of [30, 100]) {
        const ref = (await all(over, limit)).map((r) => r.id);
        expect((await all(over, limit, 0, Infinity)).map((r) => r.id)).toEqual(ref);
        expect((await all(over, limit, 0, 0)).map((r) => r.id)).toEqual(ref);
      }
    }
  });

  it('keeps the publication-week lexemes out of reach of a query', async () => {
    // The week lexeme computed here is the one the database writes (0162), across years and before 2000.
    const days = ['1999-12-31', '2000-01-02', '2000-01-03', '2000-01-09', '2000-01-10', '2024-02-29', '2026-11-20', '2027-01-01'];
    const { rows } = await t.db.query<{ l: string }>(`SELECT publication_week_lexeme(d::date) AS l FROM unnest($1::text[]) WITH ORDINALITY x(d, i) ORDER BY i`, [days]);
    expect(rows.map((r) => r.l)).toEqual(days.map(weekLexeme));
    const week = weekLexeme(day(0));
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM publications WHERE search @@ $1::tsquery`, [`'${week}'`])).rows[0]!.n).toBeGreaterThan(0);
    // Typed as a query, alone or with words, the week matches nothing and changes nothing.
    expect(searchTokens(`${week} 过期`)).not.toContain('§');
    for (const q of [week, `'${week}'`, `${week} ${week}`, `§ ${week.slice(1)}`]) {
      expect((await searchDecisions(t.db, DecisionQuery.parse({ q, limit: 100 }))).rows).toEqual([]);
    }
    const plain = (await all({}, 100)).map((r) => r.id);
    expect((await all({ q: `过期 食品 ${week}` }, 100)).map((r) => r.id)).toEqual([]);
    expect((await all({ q: '过期 § 食品' }, 100)).map((r) => r.id)).toEqual(plain);
  });

  it('writes the publication week and the agency into the search vector when a decision is published', async () => {
    const id = ids[0]!;
    await setSearch(t.db, id, searchTokens('第0号 当事人销售过期的食品'), '测罚〔2026〕1号');
    const { rows } = await t.db.query<{ week: boolean; agency: boolean; other: boolean; words: boolean }>(
      `SELECT search @@ $2::tsquery AS week, search @@ $3::tsquery AS agency, search @@ $4::tsquery AS other, search @@ plainto_tsquery('simple', $5) AS words FROM publications WHERE id = $1`,
      [id, `'${weekLexeme(day(0))}'`, `'${agencyLexeme(agencies[0]!)}'`, `'${agencyLexeme(agencies[1]!)}'`, searchTokens('过期 食品')]);
    // ids[0] is row 1 of the load, so agencies[1] published it.
    expect(rows[0]).toEqual({ week: true, agency: false, other: true, words: true });
    const { rows: sql } = await t.db.query<{ l: string }>(`SELECT publication_agency_lexeme($1::uuid) AS l`, [agencies[0]!.toUpperCase()]);
    expect(sql[0]!.l).toBe(agencyLexeme(agencies[0]!));
  });

  it('asks GIN for whole words only and finds exactly what every token of the query finds', async () => {
    // Texts holding the words, their parts alone, and the words inside longer words.
    const texts = ['未办理食品经营许可证', '许可证明码标价', '未明码标价', '不明码标价的许可', '工商行政管理部门售卖', '工商行政售卖', '行政机关售卖',
      '食品安全标准化建设', '食品标准', '安全食品标准化', '营业执照ABC123号', '营业执照 abc123'];
    const agency = agencies[0]!;
    const made: string[] = [];
    for (const [i, text] of texts.entries()) {
      const id = crypto.randomUUID();
      made.push(id);
      await t.db.query(
        `INSERT INTO publications (id, agency_id, kind, status, document_number, decided_on, public_until, rule_set_version, public_text, published_on)
         VALUES ($1, $2, 'penalty', 'published', $3, $4, DATE '2030-01-01', 0, $5, $4)`, [id, agency, `词测〔2026〕${i}号`, day(400 + i), text]);
      await setSearch(t.db, id, searchTokens(text), `词测〔2026〕${i}号`);
    }
    try {
      expect(wholeWordTokens('许可证 明码标价')).toBe('许可证 明码标价');
      expect(wholeWordTokens('营业执照 ABC123号')).toBe('营业执照 abc123 号');
      for (const q of ['许可证 明码标价', '工商行政 售卖', '食品安全 标准化', '明码 许可', '营业执照 ABC123号', '行政 售卖']) {
        const { rows } = await t.db.query<{ id: string }>(
          `SELECT p.id FROM publications p WHERE p.id = ANY($2::uuid[]) AND p.search @@ plainto_tsquery('simple', $1)`, [searchTokens(q), made]);
        const every = rows.map((r) => r.id).sort();
        expect(every.length, q).toBeGreaterThan(0);
        for (const tuning of [{}, { fewMatches: 0, commonShare: Infinity }, { fewMatches: 0, commonShare: 0 }]) {
          const got = (await searchDecisions(t.db, DecisionQuery.parse({ q, limit: 100 }), tuning)).rows.map((r) => r.id).filter((id) => made.includes(id)).sort();
          expect(got, q).toEqual(every);
        }
      }
    } finally {
      await t.db.query(`DELETE FROM publications WHERE id = ANY($1::uuid[])`, [made]);
    }
  });

  it('keeps the agency lexemes out of reach of a query', async () => {
    const lexeme = agencyLexeme(agencies[0]!);
    for (const q of [lexeme, `'${lexeme}'`, `过期 ${lexeme}`]) {
      expect((await searchDecisions(t.db, DecisionQuery.parse({ q, limit: 100 }))).rows).toEqual([]);
    }
  });

  it('refuses a forged cursor with problem details, not a server error', async () => {
    const forged = Buffer.from(JSON.stringify({ p: '2026-13-99', i: 'x' })).toString('base64url');
    await expect(searchDecisions(t.db, DecisionQuery.parse({ q: '过期 食品', cursor: forged }))).rejects.toMatchObject({ code: 'validation' });
  });
});
