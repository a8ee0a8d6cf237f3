// Document numbers (文号) per agency, year and kind: no gaps, no repeats, even under concurrency, and a
// rolled-back transaction leaves no gap (R-R02). Runs on PGlite, and on PostgreSQL when DATABASE_URL
// is set, where twenty transactions race for numbers.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../platform/db.ts';
import { engine, scratchDatabase, type TestDb } from '../../../test/helpers/db.ts';
import { formatDocumentNumber, lastDocumentSeq, nextDocumentNumber, parseDocumentNumber } from './numbering.ts';

let t: TestDb;
let agency: string;
let other: string;

async function addAgency(name: string): Promise<string> {
  const id = crypto.randomUUID();
  await t.db.query(
    `INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status) VALUES ($1, $2, $3, 'enforcement', 'county', '330106', 'statutory')`,
    [id, name, `TEST${crypto.randomBytes(7).toString('hex').toUpperCase()}`],
  );
  return id;
}

beforeAll(async () => {
  t = await scratchDatabase();
  agency = await addAgency('杭州市西湖区市场监督管理局');
  other = await addAgency('杭州市拱墅区市场监督管理局');
});
afterAll(async () => {
  await t?.drop();
});

/** A pool of 20 connections, so that all twenty transactions are open at once. */
async function withPool20<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_POOL_SIZE;
  process.env.DATABASE_POOL_SIZE = '20';
  const db = await openDatabase({ databaseUrl: t.url! });
  if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
  else process.env.DATABASE_POOL_SIZE = saved;
  try {
    return await fn(db);
  } finally {
    await db.close();
    // pg's pool.end() resolves before its sockets have closed; let the server see them go before
    // the scratch database is dropped WITH (FORCE), which would otherwise kill them mid-close.
    await new Promise((r) => setTimeout(r, 300));
  }
}

const req = (over: Partial<Parameters<typeof nextDocumentNumber>[1]> = {}) => ({
  agencyId: agency,
  agencyAbbreviation: '西湖市监',
  kindAbbreviation: '处罚',
  year: 2026,
  ...over,
});

describe('document numbers', () => {
  it('formats and parses X市监处罚〔2026〕12号', () => {
    expect(formatDocumentNumber({ agencyAbbreviation: 'X市监', kindAbbreviation: '处罚', year: 2026, seq: 12 })).toBe('X市监处罚〔2026〕12号');
    expect(parseDocumentNumber('X市监处罚〔2026〕12号')).toEqual({ prefix: 'X市监处罚', year: 2026, seq: 12 });
    expect(parseDocumentNumber('X市监处罚[2026]12号')).toBeNull();
    expect(parseDocumentNumber('X市监处罚〔2026〕012号')).toBeNull();
  });

  it('counts from 1 per agency, year and kind, in sequence', async () => {
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push((await t.db.transaction((tx) => nextDocumentNumber(tx, req()))).number);
    expect(got).toEqual(['西湖市监处罚〔2026〕1号', '西湖市监处罚〔2026〕2号', '西湖市监处罚〔2026〕3号', '西湖市监处罚〔2026〕4号', '西湖市监处罚〔2026〕5号']);
    // Another kind, another year, another agency: their own counters.
    expect(await t.db.transaction((tx) => nextDocumentNumber(tx, req({ kindAbbreviation: '罚告' })))).toEqual({ seq: 1, number: '西湖市监罚告〔2026〕1号' });
    expect(await t.db.transaction((tx) => nextDocumentNumber(tx, req({ year: 2027 })))).toEqual({ seq: 1, number: '西湖市监处罚〔2027〕1号' });
    expect(await t.db.transaction((tx) => nextDocumentNumber(tx, req({ agencyId: other, agencyAbbreviation: '拱墅市监' })))).toEqual({ seq: 1, number: '拱墅市监处罚〔2026〕1号' });
    expect(await lastDocumentSeq(t.db, { agencyId: agency, year: 2026, kindAbbreviation: '处罚' })).toBe(5);
  });

  it('a rolled-back transaction gives no number and leaves no gap', async () => {
    const kind = '不罚';
    const first = await t.db.transaction((tx) => nextDocumentNumber(tx, req({ kindAbbreviation: kind })));
    expect(first.seq).toBe(1);
    let taken: number | undefined;
    await expect(
      t.db.transaction(async (tx) => {
        taken = (await nextDocumentNumber(tx, req({ kindAbbreviation: kind }))).seq;
        throw new Error('保存文书失败');
      }),
    ).rejects.toThrow('保存文书失败');
    expect(taken).toBe(2);
    // The number 2 was never committed, so the next document gets it.
    expect(await t.db.transaction((tx) => nextDocumentNumber(tx, req({ kindAbbreviation: kind })))).toEqual({ seq: 2, number: '西湖市监不罚〔2026〕2号' });
    // Also when the very first number of a counter is rolled back.
    await expect(
      t.db.transaction(async (tx) => {
        await nextDocumentNumber(tx, req({ kindAbbreviation: '强制' }));
        throw new Error('回滚');
      }),
    ).rejects.toThrow('回滚');
    expect((await t.db.transaction((tx) => nextDocumentNumber(tx, req({ kindAbbreviation: '强制' })))).seq).toBe(1);
  });

  it('the counter only steps forward: lowering, skipping or deleting it is refused', async () => {
    await t.db.transaction((tx) => nextDocumentNumber(tx, req({ kindAbbreviation: '听通' })));
    await expect(t.db.query(`UPDATE document_counters SET last = last - 1 WHERE kind = '听通'`)).rejects.toThrow(/文号计数器只能逐一递增/);
    await expect(t.db.query(`UPDATE document_counters SET last = last + 2 WHERE kind = '听通'`)).rejects.toThrow(/文号计数器只能逐一递增/);
    await expect(t.db.query(`DELETE FROM document_counters WHERE kind = '听通'`)).rejects.toThrow(/文号计数器不得删除/);
    await expect(t.db.query('TRUNCATE document_counters')).rejects.toThrow(/文号计数器不得删除/);
    expect(await lastDocumentSeq(t.db, { agencyId: agency, year: 2026, kindAbbreviation: '听通' })).toBe(1);
  });

  it('refuses malformed requests in Chinese', async () => {
    await expect(nextDocumentNumber(t.db, req({ agencyId: 'x' }))).rejects.toThrow(/执法主体编号格式不正确/);
    await expect(nextDocumentNumber(t.db, req({ kindAbbreviation: '处罚〔' }))).rejects.toThrow(/文书类别字应为 1–20 个字/);
    await expect(nextDocumentNumber(t.db, req({ agencyAbbreviation: '' }))).rejects.toThrow(/机关代字应为/);
    await expect(nextDocumentNumber(t.db, req({ year: 26 }))).rejects.toThrow(/年份应为四位整数/);
  });

  it.runIf(engine === 'pglite')('PGlite: 20 transactions started at once, a third rolled back, give 1..13 without gaps or repeats', async () => {
    // PGlite runs one transaction at a time, so this checks the rollback path under a queue of
    // transactions, not a race; PostgreSQL races them below. Only the planned rollback is tolerated.
    const kind = '先登保';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db
          .transaction(async (tx) => {
            const n = await nextDocumentNumber(tx, req({ kindAbbreviation: kind }));
            if (i % 3 === 0) throw new Error('rollback');
            return n.seq;
          })
          .catch((err: Error) => {
            if (err.message !== 'rollback') throw err;
            return null;
          }),
      ),
    );
    const committed = results.filter((x): x is number => x !== null).sort((a, b) => a - b);
    expect(committed).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(await lastDocumentSeq(t.db, { agencyId: agency, year: 2026, kindAbbreviation: kind })).toBe(13);
  });

  it.runIf(engine === 'postgres')('PostgreSQL: 20 concurrent transactions, a third rolled back, give 1..n without gaps or repeats', async () => {
    const kind = '并发';
    const start = Date.now();
    const one = (db: Db, i: number) =>
      db
        .transaction(async (tx) => {
          // Hold other transactions back a little before and after taking the number.
          await tx.query('SELECT pg_sleep($1)', [(i % 5) * 0.01]);
          const n = await nextDocumentNumber(tx, req({ kindAbbreviation: kind }));
          await tx.query('SELECT pg_sleep(0.02)');
          if (i % 3 === 0) throw new Error('rollback');
          return n.seq;
        })
        .catch((err: Error) => {
          if (err.message !== 'rollback') throw err;
          return null;
        });
    const results = await withPool20((db) => Promise.all(Array.from({ length: 20 }, (_, i) => one(db, i))));
    const committed = results.filter((x): x is number => x !== null).sort((a, b) => a - b);
    expect(committed.length).toBe(13);
    expect(committed).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(await lastDocumentSeq(t.db, { agencyId: agency, year: 2026, kindAbbreviation: kind })).toBe(13);
    expect(Date.now() - start).toBeLessThan(20_000);
  });

  it.runIf(engine === 'postgres')('PostgreSQL: 20 concurrent first numbers of a new counter', async () => {
    const year = 2030;
    const results = await withPool20((db) => Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => nextDocumentNumber(tx, req({ year, kindAbbreviation: '新' }))))));
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.number)).size).toBe(20);
  });
});
