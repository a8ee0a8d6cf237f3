// The 双公示 CSV written by PostgreSQL's COPY (issue 8, R-P17): on PostgreSQL the export's rows never
// become JavaScript objects, so its memory stays flat at millions of rows. It must be the same file,
// byte for byte, as the keyset export (penaltyRow / licenceRow through csvStream) that PGlite still uses:
// this test holds the two equal on rows chosen to differ where SQL and JavaScript format differently
// (empty vs NULL, quotes, commas, line breaks, amounts in 万元, dates, withdrawn notes, missing fields).
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCopy, csvStream, EXPORT_BATCH, LICENCE_FIELDS, licenceRow, mapRows, PENALTY_FIELDS, penaltyRow, publicRows } from '../src/publicity/public.ts';
import { engine, scratchDatabase, type TestDb } from './helpers/db.ts';

let t: TestDb;
let agencyId: string;

interface Row {
  kind: string;
  status: string;
  party: string;
  partyType?: string;
  number?: string;
  decidedOn?: string;
  publishedOn?: string;
  publicUntil?: string | null;
  summary?: Record<string, unknown>;
  exchange?: Record<string, unknown>;
  reason?: string | null;
}

const ROWS: Row[] = [
  {
    kind: 'penalty', status: 'published', party: '杭州某某食品有限公司', number: '杭西市监罚〔2026〕101号', publicUntil: null,
    summary: { violation: '销售"过期"食品, 且拒不改正', basis: '《中华人民共和国食品安全法》\n第一百二十四条', content: '' },
    exchange: { partyCreditCode: '91330106MA2XXXXX1K', legalRepresentative: '李某', penaltyKinds: ['警告', '罚款', '没收违法所得'], fine: 5000, confiscated: 1234.56 },
  },
  { kind: 'penalty', status: 'published', party: '王某某', partyType: 'citizen', summary: {}, exchange: { fine: 0 }, number: '' },
  { kind: 'penalty', status: 'withdrawn', party: '张某某', partyType: 'citizen', reason: '行政复议决定撤销，原决定书文号：杭西市监罚〔2026〕7号, 见"复议决定"', exchange: { fine: 200, penaltyKinds: [] } },
  { kind: 'penalty', status: 'withdrawn', party: ' 前后有空格的商行 ', reason: null, exchange: { fine: 100000, confiscated: '500', partyCreditCode: null } },
  { kind: 'penalty', status: 'published', party: '某某科技有限公司', summary: { violation: '未按规定\r\n公示信息', content: '罚款12345678.9元' }, exchange: { fine: 12345678.9, confiscated: 0.01 } },
  { kind: 'penalty', status: 'published', party: '同日甲', publishedOn: '2026-03-02', exchange: { fine: 3000, penaltyKinds: ['罚款'] } },
  { kind: 'penalty', status: 'published', party: '同日乙', publishedOn: '2026-03-02', exchange: { fine: 1 } },
  { kind: 'licensing', status: 'published', party: '杭州某某药房有限公司', exchange: { documentTitle: '药品经营许可证核发决定书', licenceCategory: '核准', validTo: '2031-05-01', partyCreditCode: '91330106MA2YYYYY2L' } },
  { kind: 'licensing', status: 'withdrawn', party: '赵某某', partyType: 'citizen', reason: '许可被依法撤销', exchange: { validTo: '' } },
  { kind: 'licensing', status: 'published', party: '某某餐饮店', summary: { content: '准予"食品经营许可", 主体业态：餐饮服务' }, exchange: { validTo: null } },
  // Not public: a draft, an entry past its publicity period, an excluded one, and a kind of its own.
  { kind: 'penalty', status: 'draft', party: '草稿不应出现' },
  { kind: 'penalty', status: 'published', party: '公示期满不应出现', publicUntil: '2020-01-01' },
  { kind: 'penalty', status: 'excluded', party: '不予公示不应出现' },
  { kind: 'coercion', status: 'published', party: '强制措施不应出现' },
];

beforeAll(async () => {
  t = await scratchDatabase();
  agencyId = crypto.randomUUID();
  await t.db.query(`INSERT INTO agencies (id, name, credit_code, kind, level, region_code, legal_status) VALUES ($1, '杭州市西湖区市场监督管理局', '11330106MB1234567X', 'enforcement', 'county', '330106', 'statutory')`, [agencyId]);
  let i = 0;
  for (const r of ROWS) {
    i++;
    const decided = r.decidedOn ?? `2026-0${1 + (i % 9)}-1${i % 10}`;
    await t.db.query(
      `INSERT INTO publications (id, agency_id, kind, status, document_number, party_display, party_type, decided_on, public_until, rule_set_version, summary, exchange,
         published_on, withdrawn_on, withdrawal_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, $13, $14)`,
      [crypto.randomUUID(), agencyId, r.kind, r.status, r.number ?? `杭西市监〔2026〕${i}号`, r.party, r.partyType ?? 'organisation', decided,
        r.publicUntil === undefined ? '2029-12-31' : r.publicUntil, JSON.stringify(r.summary ?? { violation: '一般违法行为', content: '罚款' }), JSON.stringify(r.exchange ?? {}),
        r.status === 'draft' || r.status === 'excluded' ? null : (r.publishedOn ?? decided), r.status === 'withdrawn' ? decided : null, r.status === 'withdrawn' ? (r.reason ?? null) : null],
    );
  }
}, 60_000);
afterAll(async () => {
  await t?.drop();
});

const text = async (s: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
};
const keysetCsv = (kind: 'penalty' | 'licensing') =>
  text(kind === 'penalty'
    ? csvStream(mapRows(publicRows(t.db, kind, { text: false, batch: EXPORT_BATCH }), penaltyRow), PENALTY_FIELDS)
    : csvStream(mapRows(publicRows(t.db, kind, { text: false, batch: EXPORT_BATCH }), licenceRow), LICENCE_FIELDS));

describe.runIf(engine === 'postgres')('双公示 CSV by COPY (PostgreSQL)', () => {
  it.each(['penalty', 'licensing'] as const)('writes the same bytes as the keyset export: %s', async (kind) => {
    const copied = await text(csvCopy(t.db, kind)!);
    const expected = await keysetCsv(kind);
    expect(copied).toBe(expected);
    // The rows the comparison is about are there, formatted as the standard asks.
    if (kind === 'penalty') {
      expect(copied.startsWith(`\uFEFF${PENALTY_FIELDS.join(',')}\n`)).toBe(true);
      expect(copied).toContain('"销售""过期""食品, 且拒不改正"');
      expect(copied).toContain(',0.5,0.123456,');
      expect(copied).toContain(',1234.56789,0.000001,');
      expect(copied).toContain('已撤回：行政复议决定撤销');
      expect(copied).not.toContain('不应出现');
    } else {
      expect(copied).toContain('2031/05/01');
      expect(copied).toContain('2099/12/31');
    }
  });

  it('gives the connection back after a copy read to its end and after one given up', async () => {
    // More copies than the pool has slots for copies, each given up after its first chunk: a leaked
    // connection or slot would make later copies null or hang.
    for (let i = 0; i < 6; i++) {
      const s = csvCopy(t.db, 'penalty');
      expect(s).not.toBeNull();
      for await (const _chunk of s!) break;
    }
    expect(await text(csvCopy(t.db, 'penalty')!)).toBe(await keysetCsv('penalty'));
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT%' AND state = 'active'`);
    expect(rows[0]!.n).toBe(0);
  });

  it('answers null when every copy slot is taken, and a slot again once a copy ends', async () => {
    const open: Readable[] = [];
    for (let s = csvCopy(t.db, 'licensing'); s; s = csvCopy(t.db, 'licensing')) {
      open.push(s);
      expect(open.length).toBeLessThan(10);
    }
    expect(open.length).toBe(2);
    await text(open.shift()!);
    const again = csvCopy(t.db, 'licensing');
    expect(again).not.toBeNull();
    for (const s of [...open, again!]) s.destroy();
  });
});

describe.runIf(engine === 'pglite')('双公示 CSV on PGlite', () => {
  it('has no COPY stream, so the export streams by keyset', async () => {
    expect(csvCopy(t.db, 'penalty')).toBeNull();
    const csv = await keysetCsv('penalty');
    expect(csv).toContain('"销售""过期""食品, 且拒不改正"');
    expect(csv).not.toContain('不应出现');
  });
});
