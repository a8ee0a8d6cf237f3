// 同案不同罚 (R-R08, issue 12) through the real engine and database: the decision step's incremental
// evaluation reads assist's applied discretion and peers. A fine outside its band raises the alert (the
// assist demo's approved deviation); an in-band fine above P90 of five same-level peers raises it; an
// in-band fine among the peers does not, and the full recomputation agrees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInfo, caseWorld, docs, MATTER, type CaseWorld } from './cases.fixtures.ts';
import type { DemoCaseInfo } from '../src/cases/demo-content.ts';
import { loadAssistDemo } from '../src/assist/demo.ts';
import { recomputeAlerts } from '../src/supervision/alerts.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

const PARTY = { name: '演示某某百货商行', type: 'organisation', idType: 'credit_code', idNumber: '92330106MA2J8K1Q50', address: '演示市西湖区文三路 1 号' } as const;

async function openCase(title: string): Promise<{ id: string; info: DemoCaseInfo }> {
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY });
  expect(r.statusCode, r.body).toBe(201);
  const c = r.json() as { id: string; number: string; title: string };
  return { id: c.id, info: { ...caseInfo(c, w.officers), party: { ...PARTY } } as DemoCaseInfo };
}
const step = (c: { id: string; info: DemoCaseInfo }, key: string, on: string, extra: Record<string, unknown>, types: string[]) =>
  w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: key, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, on, c.info), ...extra });

/** A 明码标价 case decided at `fine` in the 一般 level (city band 2 000–3 000 yuan). */
async function decide(title: string, fine: number) {
  const c = await openCase(title);
  const approve = async (key: string, on: string) => expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: key, on, opinion: '同意。' })).statusCode).toBe(201);
  const run = async (key: string, on: string, extra: Record<string, unknown>, types: string[]) => {
    const r = await step(c, key, on, extra, types);
    expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
  };
  await run('intake', '2026-11-02', { facts: { partyType: 'legal_person' } }, ['case_source_record']);
  await approve('filing', '2026-11-02');
  await run('filing', '2026-11-02', {}, ['filing_approval']);
  await run('inspection', '2026-11-03', {}, ['inspection_record']);
  await run('investigation_report', '2026-11-04', { facts: { proposedOutcome: 'penalty', hearingEligible: false, collectiveDiscussionRequired: false } }, ['investigation_report']);
  const rec = await w.api.officer('PUT', `/api/v1/cases/${c.id}/discretion`, { violationCode: 'JG-42', circumstances: [], level: '一般', amount: fine, factsText: '当事人经营的商行部分商品未标价。' });
  expect(rec.statusCode, rec.body).toBe(200);
  await run('prior_notice', '2026-11-05', { facts: { proposedFine: fine, hearingEligible: false } }, ['prior_notice']);
  await approve('penalty_decision', '2026-11-12');
  await run('penalty_decision', '2026-11-12', { facts: { fineAmount: fine, partyPresent: false } }, ['penalty_decision']);
  return c.id;
}

async function outlierOf(caseId: string) {
  const list = (await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?kind=discretion_outlier&limit=100')).json();
  const item = list.items.find((i: { caseId: string }) => i.caseId === caseId);
  if (!item) return null;
  return (await w.api.citySupervisor('GET', `/api/v1/supervision/alerts/${item.id}`)).json();
}

describe('discretion_outlier (同案不同罚)', () => {
  it('a decided fine outside its band raises the alert in the decision step (the demo’s approved deviation)', async () => {
    await loadAssistDemo(w.app.ctx);
    const { rows } = await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM cases WHERE title = '不按规定明码标价案（调整适用经负责人批准）'`);
    const a = await outlierOf(rows[0]!.id);
    expect(a).toMatchObject({ kind: 'discretion_outlier', severity: 'low', rule: { code: 'discretion_outlier', version: 2 }, status: 'open', detail: { trigger: 'band', value: 1500, deviationApproved: true, band: { min: 3500, max: 5000 } } });
    expect(a.basis).toContain('第三十四条');
  });

  it('a peer outlier in band raises it; a fine among its peers does not; recomputation agrees', async () => {
    // Five earlier same-violation, same-level decisions in the city (the peers, as assist records them).
    const { rows: agency } = await w.app.ctx.db.query<{ region_code: string }>(`SELECT region_code FROM agencies WHERE id = $1`, [w.ids.get('city_scjg')]);
    for (const [i, amount] of [2000, 2050, 2100, 2150, 2200].entries()) {
      const c = await openCase(`同级案件 ${i}`);
      await w.app.ctx.db.query(
        `INSERT INTO case_discretion (case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount, explanation, decided_on)
         VALUES ($1, $2, $3, $4, 'JG-42', 'demo-city.JG-42.v1', 1, '[]'::jsonb, '一般', $5, '一般阶次', '2026-10-0${i + 1}')`,
        [c.id, w.ids.get('city_scjg'), agency[0]!.region_code, `p${i}`, amount],
      );
    }
    const high = await decide('不按规定明码标价案（同级偏高）', 2950);
    const usual = await decide('不按规定明码标价案（同级居中）', 2100);
    const a = await outlierOf(high);
    expect(a?.detail).toMatchObject({ trigger: 'peers', value: 2950, peers: 5, percentiles: [10, 90] });
    expect(a.detail.range[1]).toBeCloseTo(2180);
    expect(await outlierOf(usual)).toBeNull();
    await recomputeAlerts(w.app.ctx, { from: '2026-01-01' });
    expect((await outlierOf(high))?.status).toBe('open');
    expect(await outlierOf(usual)).toBeNull();
  });
});
