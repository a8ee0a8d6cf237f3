// Who may and who may not, for the case routes (OpenCRVS's *.scopes.test.ts habit): officers of
// agency A cannot read or change agency B's cases (404, existence not revealed); supervisors read
// within their jurisdiction and cannot write (403); heads approve, reviewers review, administrators
// publish rules; the public sees nothing of cases, only the procedures' flowcharts (R-P06).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { as, login } from './helpers/app.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let caseId: string;
let recordId: string;
let documentId: string;
/** The administrator of another agency (演示市西湖区综合行政执法局). */
let otherAdmin: ReturnType<typeof as>;

beforeAll(async () => {
  w = await caseWorld();
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '权限测试案', matter: MATTER, party: PARTY })).json();
  caseId = c.id;
  const r = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'intake', on: '2026-10-08', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(['case_source_record'], '2026-10-08', caseInfo(c, w.officers)) });
  expect(r.statusCode, r.body).toBe(201);
  recordId = (await addAvRecord(w, caseId, 'inspection', '2026-10-09')).id;
  documentId = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json().documents.find((d: { type: string; status: string }) => d.type === 'case_source_record' && d.status === 'final').id;
  otherAdmin = as(w.app, await login(w.app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
});

/** Denials in the audit log for an action by a user, newest first. */
async function deniedAudits(action: string, username: string) {
  const { rows } = await w.app.ctx.db.query<{ detail: { subject: string | null } }>(
    `SELECT detail FROM audit_log WHERE action = $1 AND username = $2 AND outcome = 'denied' ORDER BY id DESC`,
    [action, username],
  );
  return rows;
}
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('agency isolation', () => {
  // The case's real final document and record: the agency's own officer reads them (200), so a
  // missing check would show 200 to agency B too, not the 404 of a path that does not exist.
  const reads = () => ['', '/file', `/documents/${documentId}/pdf`, `/documents/${documentId}/docx`, `/records/${recordId}/content?reason=${encodeURIComponent('核对')}`];

  it('an officer and the administrator of agency B cannot read agency A’s case, its final PDF or its record: 404 problem+json, and their lists do not show it', async () => {
    expect((await w.api.officer('GET', `/api/v1/cases/${caseId}/documents/${documentId}/pdf`)).statusCode).toBe(200);
    expect((await w.api.officer('GET', `/api/v1/cases/${caseId}/records/${recordId}/content?reason=${encodeURIComponent('核对')}`)).statusCode).toBe(200);
    for (const [who, api] of [['sthj_officer', w.api.otherOfficer], ['xhzf_admin', otherAdmin]] as const) {
      const r = await api('GET', `/api/v1/cases/${caseId}`);
      expectProblem(r, 404);
      expect(r.json().detail).toBe('案件不存在或无权查看。');
      for (const path of reads()) expect((await api('GET', `/api/v1/cases/${caseId}${path}`)).statusCode, `${who} GET ${path}`).toBe(404);
      const list = (await api('GET', '/api/v1/cases?pageSize=200')).json();
      expect(list.items.some((c: { id: string }) => c.id === caseId)).toBe(false);
    }
    // The same answer as for a case that does not exist.
    expect((await w.api.otherOfficer('GET', '/api/v1/cases/00000000-0000-4000-8000-000000000000')).json().detail).toBe('案件不存在或无权查看。');
    // No viewing by agency B reached the record's access log (R-R06).
    const { rows } = await w.app.ctx.db.query<{ username: string }>(`SELECT u.username FROM record_access_log l JOIN users u ON u.id = l.user_id WHERE l.record_id = $1`, [recordId]);
    expect(rows.map((r) => r.username)).toEqual(['scjg_officer']);
  });

  it('an officer and the administrator of agency B cannot change agency A’s case: 404 for every write, nothing written', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', 'steps', { step: 'filing', on: '2026-10-09' }],
      ['POST', 'documents', { type: 'inquiry_record', fields: {} }],
      ['POST', 'records', { kind: 'text', step: 'inquiry', title: 'x', description: 'x', content: 'x', startedAt: '2026-10-09T09:00:00+08:00', endedAt: '2026-10-09T09:10:00+08:00', place: 'x', custodian: 'x' }],
      ['POST', 'approvals', { purpose: 'step', step: 'filing', on: '2026-10-09', opinion: '同意' }],
      ['POST', 'archive', { on: '2026-10-09' }],
      ['PUT', 'profile', { flags: ['public_interest'] }],
      ['DELETE', `records/${recordId}`, undefined],
    ];
    const events = async () => (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE subject_id = $1`, [caseId])).rows[0]!.n;
    const before = await events();
    for (const api of [w.api.otherOfficer, otherAdmin]) {
      for (const [method, path, body] of writes) {
        const r = await api(method as 'POST', `/api/v1/cases/${caseId}/${path}`, body);
        expect(r.statusCode, `${method} ${path}: ${r.body}`).toBe(404);
      }
    }
    expect(await events()).toBe(before);
  });

  it('an officer cannot open a case for another agency (403, audited)', async () => {
    const agencyId = w.ids.get('city_sthj')!;
    const cases = async () => (await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE agency_id = $1`, [agencyId])).rows[0]!.n;
    const before = { cases: await cases(), denied: (await deniedAudits('cases.create', 'scjg_officer')).length };
    const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', agencyId, title: 'x', matter: MATTER, party: PARTY });
    expectProblem(r, 403);
    expect(await cases()).toBe(before.cases);
    const audits = await deniedAudits('cases.create', 'scjg_officer');
    expect(audits.length).toBe(before.denied + 1);
    expect(audits[0]!.detail.subject).toBe(agencyId);
  });
});

describe('supervisors', () => {
  it('the city justice bureau reads the city agency’s case without the party’s ID number, and cannot write', async () => {
    const r = await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().party).not.toHaveProperty('idNumber');
    expect(r.body).not.toContain(PARTY.idNumber);
    expectProblem(await w.api.citySupervisor('POST', `/api/v1/cases/${caseId}/steps`, { step: 'filing', on: '2026-10-09' }), 403);
    const list = (await w.api.citySupervisor('GET', '/api/v1/cases?pageSize=200')).json();
    expect(list.items.some((c: { id: string }) => c.id === caseId)).toBe(true);
  });

  it('a county justice bureau does not see a city agency’s case', async () => {
    expectProblem(await w.api.countySupervisor('GET', `/api/v1/cases/${caseId}`), 404);
    expect((await w.api.countySupervisor('GET', '/api/v1/cases')).json().items).toEqual([]);
  });
});

describe('roles inside the agency', () => {
  it('only the head approves; a reviewer does not', async () => {
    for (const who of ['officer', 'reviewer', 'admin'] as const) {
      expectProblem(await w.api[who]('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: 'filing', on: '2026-10-09', opinion: '同意' }), 403);
    }
    expect((await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: 'filing', on: '2026-10-09', opinion: '同意' })).statusCode).toBe(201);
  });

  it('R-L04: the agency administrator publishes rules; officers, heads and other agencies’ administrators do not (403, audited, nothing published)', async () => {
    const agencyId = w.ids.get('city_scjg')!;
    const catalog = (await w.api.officer('GET', `/api/v1/major-decision-catalogs?agencyId=${agencyId}`)).json();
    const body = { agencyId, effectiveFrom: '2026-11-01', entries: catalog.defaults };
    const avDefaults = (await w.api.officer('GET', `/api/v1/av-rule-sets?agencyId=${agencyId}`)).json().defaults;
    const avBody = { agencyId, effectiveFrom: '2026-11-01', rules: { inquiry: { ...avDefaults.inquiry, requirement: 'mandatory', forms: ['video'] } } };
    const versions = async () => (await w.app.ctx.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM major_decision_catalogs WHERE agency_id = $1) + (SELECT count(*) FROM av_rule_sets WHERE agency_id = $1) AS n`, [agencyId])).rows[0]!.n;
    const published = await versions();
    for (const [username, api] of [['scjg_officer', w.api.officer], ['scjg_head', w.api.head], ['xhzf_admin', otherAdmin]] as const) {
      expectProblem(await api('POST', '/api/v1/major-decision-catalogs', body), 403);
      expectProblem(await api('POST', '/api/v1/av-rule-sets', avBody), 403);
      expect((await deniedAudits('cases.catalog_publish', username))[0]?.detail.subject, username).toBe(agencyId);
      expect((await deniedAudits('cases.av_rules_publish', username))[0]?.detail.subject, username).toBe(agencyId);
    }
    expect(Number(await versions())).toBe(Number(published));
    // Another agency's administrator does not even read them.
    expect((await otherAdmin('GET', `/api/v1/major-decision-catalogs?agencyId=${agencyId}`)).statusCode).toBe(404);
    const ok = await w.api.admin('POST', '/api/v1/major-decision-catalogs', body);
    expect(ok.statusCode, ok.body).toBe(201);
    // R-L04: a catalog missing a required kind of major decision is refused.
    const partial = await w.api.admin('POST', '/api/v1/major-decision-catalogs', { ...body, entries: catalog.defaults.slice(0, 2) });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().detail).toContain('经过听证程序作出');
    expect((await w.api.otherOfficer('GET', `/api/v1/major-decision-catalogs?agencyId=${agencyId}`)).statusCode).toBe(404);
  });
});

describe('the public', () => {
  it('sees nothing of cases', async () => {
    for (const url of ['/api/v1/cases', `/api/v1/cases/${caseId}`, `/api/v1/cases/${caseId}/file`, `/api/v1/cases/${caseId}/records/${recordId}/content?reason=xx`, `/api/v1/av-rule-sets?agencyId=${w.ids.get('city_scjg')}`]) {
      const r = await w.app.server.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(401);
      expect(r.json().type).toBe('urn:sanxiang:problem:unauthenticated');
    }
    expect((await w.app.server.inject({ method: 'POST', url: '/api/v1/cases', payload: {} })).statusCode).toBe(401);
  });

  it('sees every procedure and its flowchart (R-P06), with no case data', async () => {
    const list = await w.app.server.inject({ method: 'GET', url: '/api/v1/procedures' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual(['penalty-general', 'penalty-summary', 'inspection', 'coercion-seizure', 'licensing']);
    const svg = await w.app.server.inject({ method: 'GET', url: '/api/v1/procedures/coercion-seizure/flowchart.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('实施查封、扣押');
    const def = await w.app.server.inject({ method: 'GET', url: '/api/v1/procedures/penalty-general?version=1' });
    expect(def.json().definition).toMatchObject({ id: 'penalty-general', version: 1 });
    const page = await w.app.server.inject({ method: 'GET', url: '/procedures' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('行政处罚普通程序');
    const detail = await w.app.server.inject({ method: 'GET', url: '/procedures/penalty-general' });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('/api/v1/procedures/penalty-general/flowchart.svg?version=1');
    expect(detail.body).toContain('作出处罚决定期限');
    expect(detail.body).not.toContain(PARTY.name);
    expect((await w.app.server.inject({ method: 'GET', url: '/procedures/no-such' })).statusCode).toBe(404);
  });
});
