// Similar-case candidates (issue 13, R-I03): the newest text matches and the newest records of the
// violation are taken separately, each up to the cap, so a same-violation case is not crowded out by
// newer text matches (the old single "newest N of text OR violation" query dropped it), and the
// ranking still names the matched terms and fields.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { generate } from '../src/seed/generate.ts';
import { rankSimilar } from '../src/assist/assistance.ts';
import { tokenize } from '../src/assist/text.ts';
import type { Actor } from '../src/platform/actor.ts';

let app: TestApp;
let agency: { id: string; region_code: string };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  app = await startTestApp();
  await generate(app.ctx, { officers: 5, seed: 1 });
  agency = (await app.ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies ORDER BY region_code LIMIT 1`)).rows[0]!;
  // 1–2: newer, price-tag facts (another violation); 3: older, the query's violation, other words; 4: the query's own case.
  const rows: [number, string, string, string][] = [
    [1, 'JG-42', '超市货架商品未标价', '2026-11-20'],
    [2, 'JG-42', '水果店商品未标价', '2026-11-19'],
    [3, 'SP-124-5A', '仓库存放饼干', '2026-10-01'],
    [4, 'SP-124-5A', '超市货架商品过期', '2026-11-25'],
    // 5: a long statement of facts (2,400 characters, ~1,500 distinct words): its tsvector is larger than a b-tree
    // entry may be, so an index carrying the tokens refused this row.
    [5, 'JG-7', Array.from({ length: 800 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000), 0x4e00 + ((i * 104729 + 13) % 20000))).join('，'), '2026-09-01'],
  ];
  for (const [n, code, facts, on] of rows) {
    await app.ctx.db.query(
      `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type, state, status)
       VALUES ($1, $2, 'penalty-general', 1, 'penalty', $3, $4, '测试', '测试', '测试当事人', 'organisation', 'other', '{}', 'archived')`,
      [id(n), agency.id, `测试案〔2026〕${n}号`, `测试案件${n}`],
    );
    await app.ctx.db.query(
      `INSERT INTO case_discretion (case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount, facts_text, facts_tokens, explanation, decided_on)
       VALUES ($1, $2, $3, 'p', $4, 'b', 1, '[]', '一般', 100, $5, to_tsvector('simple', $6), '', $7)`,
      [id(n), agency.id, agency.region_code, code, facts, tokenize(facts).join(' '), n === 4 ? null : on],
    );
  }
});
afterAll(async () => {
  await app?.close();
});

it('keeps the newest of the violation beside the newest text matches, each half up to the cap', async () => {
  const supervisor: Actor = { kind: 'user', id: id(99), name: 't', role: 'supervisor', agencyId: agency.id, jurisdiction: agency.region_code.slice(0, 4), scopes: [] };
  const r = await rankSimilar(app.ctx.db, supervisor, id(4), '超市货架商品过期', 'SP-124-5A', '一般', { cap: 1 });
  // Cap 1: the newest text match (1) and the newest of SP-124-5A (3); the old query kept only case 1.
  expect(r.map((x) => x.caseId).sort()).toEqual([id(1), id(3)]);
  const same = r.find((x) => x.caseId === id(3))!;
  expect(same).toMatchObject({ number: '测试案〔2026〕3号', title: '测试案件3', reason: { terms: [], fields: ['违法行为相同', '裁量阶次相同'] } });
  expect(r.find((x) => x.caseId === id(1))!.reason.terms).toEqual(expect.arrayContaining(['超市', '货架']));
  // Without a violation only text matches are candidates; with a larger cap both price-tag cases come.
  const text = await rankSimilar(app.ctx.db, supervisor, id(4), '超市货架商品过期', null, null, { cap: 10 });
  expect(text.map((x) => x.caseId).sort()).toEqual([id(1), id(2)]);
});
