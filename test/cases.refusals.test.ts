// Every refusal of the case API answers RFC 9457 problem+json with the engine's reasons: one officer
// only and an expired certificate (R-P08), a deadline passed, an incomplete file at archive (R-R07),
// editing or deleting a record (R-R05, refused by the database too), the wrong role, a future date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

async function filedCase(on = '2026-09-01') {
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌无照经营案', matter: MATTER, party: PARTY })).json();
  const info = caseInfo(c, w.officers);
  const two = w.officers.slice(0, 2).map((o) => o.id);
  const post = (body: Record<string, unknown>) => w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { officerIds: two, ...body });
  expect((await post({ step: 'intake', on, documents: docs(['case_source_record'], on, info) })).statusCode).toBe(201);
  expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on, opinion: '同意立案' })).statusCode).toBe(201);
  const f = await post({ step: 'filing', on, documents: docs(['filing_approval'], on, info) });
  expect(f.statusCode, f.body).toBe(201);
  return { id: c.id as string, info, post };
}

describe('R-P08: officers on the scene', () => {
  it('one officer only is refused with the reason', async () => {
    const c = await filedCase();
    const r = await c.post({ step: 'inspection', on: '2026-09-02', officerIds: [w.officers[0]!.id], documents: docs(['inspection_record'], '2026-09-02', c.info) });
    const body = expectProblem(r, 409, ['officers_insufficient']);
    expect(body.type).toBe('urn:sanxiang:problem:invalid_state');
    expect(body.detail).toContain('两名以上持有效执法证的执法人员');
  });

  it('an expired certificate is refused, naming the officer', async () => {
    const c = await filedCase();
    const r = await c.post({ step: 'inquiry', on: '2026-09-02', officerIds: [w.officers[0]!.id, w.expired.id], documents: docs(['inquiry_record'], '2026-09-02', c.info) });
    const body = expectProblem(r, 409, ['certificate_invalid']);
    expect(body.refusals!.find((x) => x.code === 'certificate_invalid')!.reason).toContain(`执法人员${w.expired.name}的执法证（${w.expired.certificateNumber}）已于`);
    // Nothing was written: the number the inline document took is free again.
    const view = (await w.api.officer('GET', `/api/v1/cases/${c.id}`)).json();
    expect(view.steps.map((s: { step: string }) => s.step)).toEqual(['intake', 'filing']);
    expect(view.documents.some((d: { type: string }) => d.type === 'inquiry_record')).toBe(false);
  });

  it('an officer of another agency cannot be named', async () => {
    const c = await filedCase();
    const other = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 LIMIT 1`, [w.ids.get('city_sthj')])).rows[0]!;
    const r = await c.post({ step: 'inquiry', on: '2026-09-02', officerIds: [w.officers[0]!.id, other.id] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('officerIds.1');
  });
});

describe('deadlines', () => {
  it('a hearing request after the five working days is refused (deadline_passed)', async () => {
    const c = await filedCase('2026-09-01');
    expect((await c.post({ step: 'investigation_report', on: '2026-09-01', facts: { proposedOutcome: 'penalty', hearingEligible: true, collectiveDiscussionRequired: false }, documents: docs(['investigation_report'], '2026-09-01', c.info) })).statusCode).toBe(201);
    expect((await c.post({ step: 'prior_notice', on: '2026-09-01', facts: { proposedFine: 20000, hearingEligible: true }, documents: docs(['prior_notice'], '2026-09-01', c.info) })).statusCode).toBe(201);
    const r = await c.post({ step: 'hearing_request', on: '2026-09-10', documents: docs(['hearing_application'], '2026-09-10', c.info) });
    const body = expectProblem(r, 409, ['deadline_passed']);
    expect(body.detail).toContain('已超过申请听证期限（5个工作日，至 2026-09-08 届满）');
  });

  it('a step dated in the future is refused', async () => {
    const c = await filedCase();
    expectProblem(await c.post({ step: 'inspection', on: '2099-01-01', documents: docs(['inspection_record'], '2026-09-02', c.info) }), 409, ['date_invalid']);
  });
});

describe('roles and reserved steps', () => {
  it('a reviewer may not file a case: 403, audited', async () => {
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '角色测试', matter: MATTER, party: PARTY })).json();
    const r = await w.api.reviewer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'intake', on: '2026-09-01', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['case_source_record'], '2026-09-01', caseInfo(c, w.officers)) });
    expectProblem(r, 403, ['role_not_allowed']);
    const { rows } = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'cases.step' AND outcome = 'denied'`);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('R-L01: the legal review is not a step an officer can tick', async () => {
    const c = await filedCase();
    expectProblem(await c.post({ step: 'legal_review', on: '2026-09-02', facts: { reviewPassed: true } }), 409, ['step_reserved']);
    const create = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: 'x', matter: MATTER, party: PARTY, facts: { majorDecision: false } });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors[0].field).toBe('facts.majorDecision');
  });
});

describe('R-R07: an incomplete file is not archived', () => {
  it('lists what is missing', async () => {
    const c = await filedCase();
    const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/archive`, { on: '2026-09-03' });
    const body = expectProblem(r, 409, ['file_incomplete']);
    expect(body.detail).toContain('程序尚未办结');
    const file = (await w.api.officer('GET', `/api/v1/cases/${c.id}/file`)).json();
    expect(file.complete).toBe(false);
    expect(file.missing.length).toBeGreaterThan(0);
  });
});

describe('R-R05: records and final documents cannot be changed', () => {
  it('refuses editing and deleting a record through the API and in the database; a correction is a new record', async () => {
    const c = await filedCase();
    const rec = await addAvRecord(w, c.id, 'inspection', '2026-09-02');
    for (const method of ['PATCH', 'DELETE'] as const) {
      const r = await w.api.officer(method, `/api/v1/cases/${c.id}/records/${rec.id}`, method === 'PATCH' ? { title: '改过的' } : undefined);
      expectProblem(r, 409, ['record_immutable']);
    }
    await expect(w.app.ctx.db.query(`UPDATE case_records SET title = '改过的' WHERE id = $1`, [rec.id])).rejects.toThrow(/只允许追加/);
    await expect(w.app.ctx.db.query(`DELETE FROM case_records WHERE id = $1`, [rec.id])).rejects.toThrow(/只允许追加/);
    await expect(w.app.ctx.db.query(`DELETE FROM case_steps WHERE case_id = $1`, [c.id])).rejects.toThrow(/只允许追加/);

    const corr = await w.api.officer('POST', `/api/v1/cases/${c.id}/records`, {
      kind: 'text', step: 'inspection', title: '更正说明', description: '原记录的地点门牌号有误', content: '地点应为文三路 102 号', startedAt: '2026-09-02T10:00:00+08:00',
      endedAt: '2026-09-02T10:05:00+08:00', place: '演示市西湖区文三路 102 号', custodian: '周某', corrects: rec.id, correctionReason: '门牌号笔误',
    });
    expect(corr.statusCode, corr.body).toBe(201);
    const view = (await w.api.officer('GET', `/api/v1/cases/${c.id}`)).json();
    expect(view.records.find((r: { id: string }) => r.id === rec.id).correctedBy).toBe(corr.json().id);
  });

  it('refuses changing a final document, in the API and in the database', async () => {
    const c = await filedCase();
    const doc = (await w.api.officer('GET', `/api/v1/cases/${c.id}`)).json().documents.find((d: { type: string }) => d.type === 'filing_approval');
    expectProblem(await w.api.officer('PATCH', `/api/v1/cases/${c.id}/documents/${doc.id}`, { fields: {} }), 409);
    await expect(w.app.ctx.db.query(`UPDATE case_documents SET number = 'x' WHERE id = $1`, [doc.id])).rejects.toThrow(/已定稿的文书/);
    await expect(w.app.ctx.db.query(`DELETE FROM case_documents WHERE id = $1`, [doc.id])).rejects.toThrow(/已定稿的文书/);
  });

  it('a draft that does not pass its form is not finalised, with every field named', async () => {
    const c = await filedCase();
    const d = await w.api.officer('POST', `/api/v1/cases/${c.id}/documents`, { type: 'prior_notice', fields: { facts: '……' } });
    expect(d.statusCode).toBe(201);
    const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/documents/${d.json().id}/finalise`, { issuedOn: '2026-09-02' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['party', 'proposedPenalties']));
  });
});
