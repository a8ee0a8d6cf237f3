// R-R10 in 案卷评查 (R-R07): the automatic checks flag a case file whose AV records have no retention
// period or method under the AV list; a file whose AV records all have one is not flagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAvRecord, caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

/** A filed case with an inspection video (covered by the AV list) and, if asked, a photo at filing (not covered). */
async function caseWithRecords(title: string, photoAtFiling: boolean) {
  const c = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY });
  expect(c.statusCode, c.body).toBe(201);
  const caseId = c.json().id as string;
  const info = caseInfo(c.json(), w.officers);
  const step = async (key: string, on: string, types: string[], extra: Record<string, unknown> = {}) => {
    const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: key, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, on, info), ...extra });
    expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
    return r.json() as { seq: number };
  };
  await step('intake', '2026-09-01', ['case_source_record'], { facts: { partyType: 'legal_person' } });
  expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: 'filing', on: '2026-09-01', opinion: '同意' })).statusCode).toBe(201);
  const filed = await step('filing', '2026-09-01', ['filing_approval']);
  if (photoAtFiling) await addAvRecord(w, caseId, 'filing', '2026-09-01', 'photo', filed.seq);
  await addAvRecord(w, caseId, 'inspection', '2026-09-02');
  await step('inspection', '2026-09-02', ['inspection_record']);
  return caseId;
}

describe('案卷评查 automatic checks: AV retention (R-R10, R-R07)', () => {
  it('R-R10: a file with an AV record the list gives no retention is pre-filled with the deduction; a file whose records all have one is not', async () => {
    const without = await caseWithRecords('评查保存期限：立案照片无保存期限', true);
    const covered = await caseWithRecords('评查保存期限：音像记录均有保存期限', false);
    const r = await w.api.citySupervisor('POST', '/api/v1/supervision/review-plans', {
      title: '音像记录保存期限评查', from: '2026-08-01', to: '2026-11-25', procedures: ['penalty-general'], samplePerAgency: 100, seed: 'r-r10', reviewerAgencyIds: [w.ids.get('city_sthj')],
    });
    expect(r.statusCode, r.body).toBe(201);
    type File = { id: string; caseId: string; prefill: { vetoes: string[]; deductions: { code: string; times: number }[]; notes: string[] } };
    const plan = r.json() as { standard: { version: number }; files: File[] };
    expect(plan.standard.version).toBe(2);
    const flagged = plan.files.find((f) => f.caseId === without)!;
    const clean = plan.files.find((f) => f.caseId === covered)!;
    expect(flagged.prefill.deductions).toContainEqual({ code: 'av_retention', times: 1 });
    expect(flagged.prefill.notes.some((n) => n.includes('R-R10') && n.includes('filing'))).toBe(true);
    expect(clean.prefill.deductions.map((d) => d.code)).not.toContain('av_retention');
    expect(clean.prefill.notes.some((n) => n.includes('R-R10'))).toBe(false);

    // The reviewer confirms the pre-fill: the standard's item costs one point in 内容.
    const scored = await w.api.otherOfficer('POST', `/api/v1/supervision/review-files/${flagged.id}/score`, { vetoes: flagged.prefill.vetoes, deductions: flagged.prefill.deductions });
    expect(scored.statusCode, scored.body).toBe(200);
    const base = await w.api.otherOfficer('POST', `/api/v1/supervision/review-files/${flagged.id}/score`, { vetoes: flagged.prefill.vetoes, deductions: flagged.prefill.deductions.filter((d) => d.code !== 'av_retention') });
    expect(scored.json().score).toBe(base.json().score - 1);
  }, 300_000);
});
