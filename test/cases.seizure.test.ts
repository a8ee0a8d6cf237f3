// 查封、扣押 with mandatory AV recording (R-R04): refused without a video or audio record of the whole
// process, allowed with one; the limit extended with the head's approval and a written decision
// (行政强制法第二十五条); the AV record viewed only by allowed roles, every view logged, given to a
// court only after the head's approval (R-R06); and the AV-record list can only be stricter (R-R03).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { defaultAvRules } from '../src/cases/av-rules.ts';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let caseId: string;
let info: ReturnType<typeof caseInfo>;
let video: { id: string; blobSha256: string };

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

const two = () => w.officers.slice(0, 2).map((o) => o.id);
const post = (body: Record<string, unknown>) => w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { officerIds: two(), ...body });
const approve = async (step: string, on: string) => expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step, on, opinion: '同意' })).statusCode).toBe(201);

describe('查封、扣押：全程音像记录', () => {
  it('proposes the measure', async () => {
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'coercion-seizure', title: '扣押涉嫌过期食品', matter: MATTER, party: PARTY, profile: { amountInvolved: 20000 } })).json();
    caseId = c.id;
    info = caseInfo(c, w.officers);
    expect(c.majorDecision).toMatchObject({ major: false });
    const r = await post({ step: 'measure_proposal', on: '2026-11-02', facts: { emergency: false, measureKind: 'detention' }, documents: docs(['coercion_approval'], '2026-11-02', info) });
    expect(r.statusCode, r.body).toBe(201);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    const seizure = view.available.steps.find((s: { key: string }) => s.key === 'seizure');
    expect(seizure.av).toMatchObject({ rule: 'seizure', requirement: 'mandatory', recorded: false });
  });

  it('R-R04: the seizure is refused without AV, and a photo is not a record of the whole process', async () => {
    await approve('seizure', '2026-11-02');
    const body = { step: 'seizure', on: '2026-11-02', documents: docs(['seizure_decision', 'seizure_list', 'seizure_record'], '2026-11-02', info) };
    const refused = expectProblem(await post(body), 409, ['av_required']);
    expect(refused.detail).toContain('全程音像记录');
    await addAvRecord(w, caseId, 'seizure', '2026-11-02', 'photo');
    expectProblem(await post(body), 409, ['av_required']);
    video = await addAvRecord(w, caseId, 'seizure', '2026-11-02', 'video');
    const ok = await post(body);
    expect(ok.statusCode, ok.body).toBe(201);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    const step = view.steps.find((s: { step: string }) => s.step === 'seizure');
    expect(step.av).toMatchObject({ requirement: 'mandatory' });
    expect(step.record.av).toEqual({ requirement: 'mandatory', present: true });
    expect(view.records.filter((r: { stepSeq: number }) => r.stepSeq === step.seq)).toHaveLength(2);
    // 行政强制法第二十五条: thirty days, not carried past a rest day.
    expect(view.clocks.find((c: { key: string }) => c.key === 'seizure_limit')).toMatchObject({ deadline: '2026-12-02', status: 'running' });
  });

  it('extends the limit only with the head’s approval and a written decision', async () => {
    const body = { clock: 'seizure_limit', days: 30, on: '2026-11-20', reason: '案情复杂，需进一步检验' };
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/extensions`, body), 409, ['approval_required']);
    expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'extension', clock: 'seizure_limit', days: 30, on: '2026-11-20', opinion: '同意延长三十日' })).statusCode).toBe(201);
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/extensions`, body), 409, ['document_missing']);
    const d = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents`, { type: 'seizure_extension_decision', fields: docs(['seizure_extension_decision'], '2026-11-20', caseInfo({ number: 'X', title: '扣押' }, w.officers))[0]!.fields });
    const fin = await w.api.officer('POST', `/api/v1/cases/${caseId}/documents/${d.json().id}/finalise`, { issuedOn: '2026-11-20' });
    expect(fin.statusCode, fin.body).toBe(200);
    expect(fin.json().number).toBe('演示市监延强〔2026〕1号');
    const ok = await w.api.officer('POST', `/api/v1/cases/${caseId}/extensions`, { ...body, documentId: d.json().id });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().deadline).toBe('2027-01-01');
    // Once only (行政强制法第二十五条).
    expectProblem(await w.api.head('POST', `/api/v1/cases/${caseId}/extensions`, { ...body, documentId: d.json().id }), 409, ['extension_exhausted']);
  });

  it('R-R06: AV records are viewed by allowed roles with a reason, every view logged; outsiders only with approval', async () => {
    const url = `/api/v1/cases/${caseId}/records/${video.id}/content`;
    const view = await w.api.citySupervisor('GET', `${url}?reason=${encodeURIComponent('执法监督抽查')}`);
    expect(view.statusCode).toBe(200);
    expect(view.headers['content-type']).toBe('video/mp4');
    // The player asks again from the first byte right after opening: still the same viewing.
    const again = await w.app.server.inject({ method: 'GET', url: `${url}?reason=${encodeURIComponent('执法监督抽查')}`, headers: { cookie: w.s.citySupervisor.cookie, range: 'bytes=0-' } });
    expect(again.statusCode).toBe(206);
    // A seek within the video is part of the same viewing.
    const seek = await w.app.server.inject({ method: 'GET', url: `${url}?reason=x1`, headers: { cookie: w.s.officer.cookie, range: 'bytes=100-199' } });
    expect(seek.statusCode).toBe(206);
    expect(seek.rawPayload.length).toBe(100);
    // The agency administrator is not on the list's viewing roles.
    expectProblem(await w.api.admin('GET', `${url}?reason=${encodeURIComponent('好奇')}`), 403);
    expect((await w.api.officer('GET', url)).statusCode).toBe(400);
    // Giving it to a court needs the head's approval.
    expectProblem(await w.api.officer('GET', `${url}?action=export&reason=${encodeURIComponent('法院调取')}`), 403);
    const req = await w.api.officer('POST', `/api/v1/cases/${caseId}/disclosures`, { recordIds: [video.id], recipient: '演示市西湖区人民法院', purpose: '行政诉讼举证' });
    expect(req.statusCode, req.body).toBe(201);
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/disclosures/${req.json().id}/decision`, { approved: true, opinion: '同意' }), 403);
    const dec = await w.api.head('POST', `/api/v1/cases/${caseId}/disclosures/${req.json().id}/decision`, { approved: true, opinion: '同意提供', validUntil: '2026-12-31' });
    expect(dec.json().status).toBe('approved');
    const exp = await w.api.officer('GET', `${url}?action=export&disclosureId=${req.json().id}&reason=${encodeURIComponent('法院调取')}`);
    expect(exp.statusCode).toBe(200);
    const log = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json().accessLog;
    expect(log.map((a: { action: string; role: string }) => `${a.action}:${a.role}`)).toEqual(['export:officer', 'view:officer', 'view:supervisor']);
    expect(log[0]).toMatchObject({ disclosureId: req.json().id, reason: '法院调取' });
  });

  it('R-R06: the evidence route does not hand out a case record by its hash, bypassing the case', async () => {
    // Once attached, not even its uploader reads it by hash: 404, existence not revealed.
    const r = await w.api.officer('GET', `/api/v1/evidence/${video.blobSha256}`);
    expectProblem(r, 404);
    expect(r.json().detail).toContain('请在案件中调阅');
  });

  it('disposes, closes and archives with the AV record in the file', async () => {
    await approve('disposal', '2026-11-21');
    expect((await post({ step: 'disposal', on: '2026-11-21', documents: docs(['seizure_disposal_decision'], '2026-11-21', info) })).statusCode).toBe(201);
    await approve('closing', '2026-11-21');
    expect((await post({ step: 'closing', on: '2026-11-21', documents: docs(['closing_approval'], '2026-11-21', info) })).statusCode).toBe(201);
    const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-11-23' });
    expect(r.statusCode, r.body).toBe(200);
    const file = (await w.api.officer('GET', `/api/v1/cases/${caseId}/file`)).json();
    expect(file.items.some((i: { type: string }) => i.type === 'video')).toBe(true);
  });
});

describe('R-R03: the AV-record list is the agency’s, versioned, never below the law', () => {
  it('refuses a list that lowers a statutory floor, publishes a stricter one as a new version', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    const rules = defaultAvRules();
    const low = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: { seizure: { ...rules.seizure!, requirement: 'as_needed' } } });
    expect(low.statusCode).toBe(400);
    expect(low.json().errors[0]).toMatchObject({ field: 'rules.seizure.requirement' });
    expectProblem(await w.api.officer('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', rules: {} }), 403);
    const ok = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-11-01', note: '询问一律录音录像', rules: { inquiry: { ...rules.inquiry!, requirement: 'mandatory', forms: ['video', 'audio'] } } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ version: 1, inForce: true });
    // From now on an inquiry without AV is refused for this agency.
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '询问须录像', matter: MATTER, party: PARTY })).json();
    const i2 = caseInfo(c, w.officers);
    const p = (body: Record<string, unknown>) => w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { officerIds: two(), ...body });
    expect((await p({ step: 'intake', on: '2026-11-20', documents: docs(['case_source_record'], '2026-11-20', i2) })).statusCode).toBe(201);
    expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on: '2026-11-20', opinion: '同意' })).statusCode).toBe(201);
    expect((await p({ step: 'filing', on: '2026-11-20', documents: docs(['filing_approval'], '2026-11-20', i2) })).statusCode).toBe(201);
    expectProblem(await p({ step: 'inquiry', on: '2026-11-21', documents: docs(['inquiry_record'], '2026-11-21', i2) }), 409, ['av_required']);
    const list = (await w.api.officer('GET', `/api/v1/av-rule-sets?agencyId=${agencyId}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.keys.find((k: { key: string }) => k.key === 'seizure').minimum).toBe('mandatory');
  });
});
