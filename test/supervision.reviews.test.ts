// 案卷评查 (R-R07): a reproducible per-agency random sample, reviewers never from the file's agency,
// automatic checks pre-filled, scores and grades with the veto, the per-agency results; scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { loadSupervisionDemo } from '../src/supervision/demo.ts';

let w: CaseWorld;
let plan: { id: string; seed: string; files: { id: string; caseId: string; agency: { id: string }; reviewer: { id: string }; prefill: { vetoes: string[] }; case: { title: string } }[] };
const body = () => ({ title: '2026 年度行政处罚案卷评查', from: '2025-11-01', to: '2026-11-25', procedures: ['penalty-general', 'penalty-summary', 'coercion-seizure'], samplePerAgency: 3, seed: 'pc-2026', reviewerAgencyIds: [w.ids.get('city_sthj'), w.ids.get('city_scjg')] });

beforeAll(async () => {
  w = await caseWorld();
  await loadSupervisionDemo(w.app.ctx);
});
afterAll(async () => {
  await w?.app.close();
});

describe('案卷评查 (R-R07)', () => {
  it('draws up to n files per agency, reproducibly for the same seed, never reviewed by their own agency', async () => {
    const r = await w.api.citySupervisor('POST', '/api/v1/supervision/review-plans', body());
    expect(r.statusCode, r.body).toBe(201);
    plan = r.json();
    const scjg = plan.files.filter((f) => f.agency.id === w.ids.get('city_scjg'));
    expect(scjg).toHaveLength(3);
    for (const f of plan.files) expect(f.reviewer.id).not.toBe(f.agency.id);
    expect(scjg.every((f) => f.reviewer.id === w.ids.get('city_sthj'))).toBe(true);
    const again = (await w.api.citySupervisor('POST', '/api/v1/supervision/review-plans', body())).json();
    expect(again.files.map((f: { caseId: string }) => f.caseId).sort()).toEqual(plan.files.map((f) => f.caseId).sort());
    const other = (await w.api.citySupervisor('POST', '/api/v1/supervision/review-plans', { ...body(), seed: 'another-seed', samplePerAgency: 1 })).json();
    expect(other.files.filter((f: { agency: { id: string } }) => f.agency.id === w.ids.get('city_scjg'))).toHaveLength(1);
  });

  it('scopes: only supervisors over it see the plan; the reviewing agency sees its files, the file’s agency does not', async () => {
    expect((await w.api.countySupervisor('GET', `/api/v1/supervision/review-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await w.api.officer('GET', `/api/v1/supervision/review-plans/${plan.id}`)).statusCode).toBe(403);
    const file = plan.files.find((f) => f.agency.id === w.ids.get('city_scjg'))!;
    expect((await w.api.officer('GET', `/api/v1/supervision/review-files/${file.id}`)).statusCode).toBe(404);
    expect((await w.api.otherOfficer('GET', `/api/v1/supervision/review-files/${file.id}`)).statusCode).toBe(200);
  });

  it('pre-fills what the data can tell; a veto fails the file, a clean one is 优秀; results per agency', async () => {
    const files = plan.files.filter((f) => f.agency.id === w.ids.get('city_scjg'));
    for (const f of files) {
      const detail = (await w.api.otherOfficer('GET', `/api/v1/supervision/review-files/${f.id}`)).json();
      const r = await w.api.otherOfficer('POST', `/api/v1/supervision/review-files/${f.id}/score`, { vetoes: detail.prefill.vetoes, deductions: detail.prefill.deductions });
      expect(r.statusCode, r.body).toBe(200);
      const scored = r.json();
      if (detail.prefill.vetoes.length) expect(scored).toMatchObject({ score: 0, grade: 'fail', correctionRequired: true });
      else expect(scored.score).toBeGreaterThan(0);
    }
    const one = (await w.api.officer('POST', `/api/v1/supervision/review-files/${files[0]!.id}/score`, { vetoes: [], deductions: [] })).statusCode;
    expect(one).toBe(404);
    const result = (await w.api.citySupervisor('GET', `/api/v1/supervision/review-plans/${plan.id}`)).json().results.find((x: { agency: { id: string } }) => x.agency.id === w.ids.get('city_scjg'));
    expect(result).toMatchObject({ files: 3, scored: 3 });
    expect(result.passRate).toBeGreaterThanOrEqual(0);
    expect((await w.api.otherOfficer('POST', `/api/v1/supervision/review-files/${files[0]!.id}/score`, { vetoes: ['no_such_item'], deductions: [] })).statusCode).toBe(400);
  });

  it('a single-officer file is pre-filled with the veto 执法人员少于两人', async () => {
    const all = (await w.api.citySupervisor('POST', '/api/v1/supervision/review-plans', { ...body(), samplePerAgency: 100 })).json();
    const file = all.files.find((f: { case: { title: string } }) => f.case.title.includes('一名执法人员'));
    expect(file.prefill.vetoes).toContain('fewer_than_two');
    const clean = all.files.find((f: { case: { title: string } }) => f.case.title.includes('扣押涉嫌假冒商品'));
    expect(clean.prefill.vetoes).toEqual([]);
  });
});
