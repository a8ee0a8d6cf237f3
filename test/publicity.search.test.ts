// Keyword search order and paging (R-P17, issue 8): the newest RANK_WINDOW matches by relevance, then
// every older match newest first; walking the cursors returns each match once. Runs on PGlite and
// PostgreSQL (the same SQL and the same order on both).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionQuery, RANK_WINDOW, searchDecisions } from '../src/publicity/public.ts';
import { searchTokens } from '../src/publicity/service.ts';
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
  for (const name of ['杭州市西湖区市场监督管理局', '杭州市上城区市场监督管理局']) {
    const id = crypto.randomUUID();
    await t.db.query(`INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status) VALUES ($1, $2, $3, 'enforcement', 'county', '330106', 'statutory')`,
      [id, name, `TEST${crypto.randomBytes(7).toString('hex').toUpperCase()}`]);
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
     SELECT x.id, ($4::uuid[])[1 + (x.i::int % 2)], 'penalty', CASE WHEN x.i % 17 = 0 THEN 'withdrawn' ELSE 'published' END, '测罚〔2026〕' || x.i || '号', x.d::date, DATE '2030-01-01', 0,
            x.t, to_tsvector('simple', x.tok), '测罚〔2026〕' || x.i || '号', x.d::date
       FROM unnest($1::uuid[], $2::text[], $3::text[], $5::text[]) WITH ORDINALITY AS x(id, d, t, tok, i)`,
    [ids, dates, texts, agencies, texts.map((s) => searchTokens(s))],
  );
  ids = ids.slice(0, MATCHES);
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

// fewMatches 0 makes every search take the date probes that large registers use (the data here is small).
const all = async (over: Partial<DecisionQuery>, limit: number, fewMatches?: number) => {
  const seen: { id: string; published_on: string | null; rank?: number }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await searchDecisions(t.db, DecisionQuery.parse({ q: '过期 食品', limit, ...over, ...(cursor ? { cursor } : {}) }), { fewMatches });
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

  it('refuses a forged cursor with problem details, not a server error', async () => {
    const forged = Buffer.from(JSON.stringify({ p: '2026-13-99', i: 'x' })).toString('base64url');
    await expect(searchDecisions(t.db, DecisionQuery.parse({ q: '过期 食品', cursor: forged }))).rejects.toMatchObject({ code: 'validation' });
  });
});
