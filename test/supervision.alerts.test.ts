// R-R08 through the API: alerts raised in the step's own transaction, listed with the exact contract,
// scoped to the supervisor's jurisdiction (xhsfj sees no other district's alert), answered by the agency
// and resolved by the supervisor with a reason, never deleted; a full recomputation raises 零执法.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let late: string;
let recent: string;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

async function openAndFile(on: string): Promise<string> {
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '涉嫌经营超过保质期的食品案', matter: MATTER, party: PARTY });
  expect(r.statusCode, r.body).toBe(201);
  const c = r.json() as { id: string; number: string; title: string };
  const info = caseInfo(c, w.officers);
  const officerIds = w.officers.slice(0, 2).map((o) => o.id);
  const s1 = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'intake', on, officerIds, facts: { partyType: 'legal_person' }, documents: docs(['case_source_record'], on, info) });
  expect(s1.statusCode, s1.body).toBe(201);
  expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on, opinion: '同意。' })).statusCode).toBe(201);
  const s2 = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'filing', on, officerIds, documents: docs(['filing_approval'], on, info) });
  expect(s2.statusCode, s2.body).toBe(201);
  return c.id;
}

describe('alerts raised as cases change (R-R08)', () => {
  it('a case filed more than 90 days ago without a decision raises overdue_decision at its step; a recent one does not', async () => {
    late = await openAndFile('2026-07-01'); // deadline 2026-09-29 < 2026-11-25
    recent = await openAndFile('2026-11-20');
    const r = await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?kind=overdue_decision');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor', 'total']);
    const mine = body.items.filter((i: { caseId: string }) => i.caseId === late || i.caseId === recent);
    expect(mine).toHaveLength(1);
    const a = mine[0];
    expect(Object.keys(a).sort()).toEqual(['agency', 'basis', 'caseId', 'id', 'kind', 'raisedOn', 'rule', 'severity', 'status'].sort());
    expect(a).toMatchObject({ kind: 'overdue_decision', severity: 'high', caseId: late, raisedOn: '2026-09-30', status: 'open', rule: { code: 'overdue_decision', version: 1 }, agency: { id: w.ids.get('city_scjg'), name: '演示市市场监督管理局' } });
    expect(a.basis).toContain('第六十条');
  });

  it('the 西湖区 supervisor sees no alert of another district; the agency sees its own, another agency none', async () => {
    const mine = (await w.api.citySupervisor('GET', `/api/v1/supervision/alerts?caseId=x&agency=${w.ids.get('city_scjg')}`)).json();
    const id = mine.items.find((i: { caseId: string }) => i.caseId === late).id;
    const xh = await w.api.countySupervisor('GET', '/api/v1/supervision/alerts');
    expect(xh.statusCode).toBe(200);
    for (const i of xh.json().items) expect(i.agency.id).not.toBe(w.ids.get('city_scjg'));
    expect(xh.json().items.find((i: { id: string }) => i.id === id)).toBeUndefined();
    expect((await w.api.countySupervisor('GET', `/api/v1/supervision/alerts/${id}`)).statusCode).toBe(404);
    expect((await w.api.countySupervisor('POST', `/api/v1/supervision/alerts/${id}/resolve`, { resolution: '越权办结' })).statusCode).toBe(404);
    expect((await w.api.officer('GET', `/api/v1/supervision/alerts/${id}`)).statusCode).toBe(200);
    expect((await w.api.otherOfficer('GET', `/api/v1/supervision/alerts/${id}`)).statusCode).toBe(404);
    const other = (await w.api.otherOfficer('GET', '/api/v1/supervision/alerts')).json();
    expect(other.items.every((i: { agency: { id: string } }) => i.agency.id === w.ids.get('city_sthj'))).toBe(true);
  });

  it('the agency answers, the supervisor resolves with a reason; the row is never deleted', async () => {
    const list = (await w.api.officer('GET', '/api/v1/supervision/alerts?kind=overdue_decision')).json();
    const id = list.items.find((i: { caseId: string }) => i.caseId === late).id;
    expect((await w.api.officer('POST', `/api/v1/supervision/alerts/${id}/answer`, { answer: '已作出决定' })).statusCode).toBe(403);
    const ans = await w.api.head('POST', `/api/v1/supervision/alerts/${id}/answer`, { answer: '案件因补充调查超期，已于 11 月作出处罚决定并完善延期审批制度。' });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(ans.json().status).toBe('answered');
    expect((await w.api.head('POST', `/api/v1/supervision/alerts/${id}/resolve`, { resolution: '自己办结' })).statusCode).toBe(403);
    const res = await w.api.citySupervisor('POST', `/api/v1/supervision/alerts/${id}/resolve`, { resolution: '说明理由成立，已督促整改。' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', resolution: '说明理由成立，已督促整改。' });
    expect((await w.api.citySupervisor('POST', `/api/v1/supervision/alerts/${id}/resolve`, { resolution: '再次办结' })).statusCode).toBe(409);
    await expect(w.app.ctx.db.query(`DELETE FROM supervision_alerts WHERE id = $1`, [id])).rejects.toThrow();
    const resolved = (await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?status=resolved')).json();
    expect(resolved.items.map((i: { id: string }) => i.id)).toContain(id);
    const { rows } = await w.app.ctx.db.query<{ kind: string }>(`SELECT kind FROM events WHERE subject_type = 'supervision_alert' AND subject_id = $1 ORDER BY id`, [id]);
    expect(rows.map((r) => r.kind)).toEqual(['supervision.alert_raised', 'supervision.alert_answered', 'supervision.alert_resolved']);
  });

  it('a full recomputation raises 零执法 for agencies without cases, within the caller’s jurisdiction only', async () => {
    expect((await w.api.officer('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' })).statusCode).toBe(403);
    const xh = await w.api.countySupervisor('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' });
    expect(xh.statusCode, xh.body).toBe(200);
    const xhList = (await w.api.countySupervisor('GET', '/api/v1/supervision/alerts?kind=zero_enforcement')).json();
    expect(xhList.total).toBeGreaterThan(0);
    const { rows } = await w.app.ctx.db.query<{ region_code: string }>(`SELECT region_code FROM supervision_alerts WHERE kind = 'zero_enforcement'`);
    expect(rows.every((r) => r.region_code.startsWith('330106'))).toBe(true);
    const city = await w.api.citySupervisor('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' });
    expect(city.statusCode).toBe(200);
    const zero = (await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?kind=zero_enforcement&limit=200')).json();
    expect(zero.items.map((i: { agency: { id: string } }) => i.agency.id)).toContain(w.ids.get('city_jtys'));
    expect(zero.items.map((i: { agency: { id: string } }) => i.agency.id)).not.toContain(w.ids.get('city_scjg'));
    expect(zero.items.every((i: { caseId: string | null }) => i.caseId === null)).toBe(true);
  });

  it('pages with an opaque cursor; a forged cursor is a 400', async () => {
    const first = (await w.api.citySupervisor('GET', '/api/v1/supervision/alerts?limit=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThan(1);
    const second = (await w.api.citySupervisor('GET', `/api/v1/supervision/alerts?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect((await w.api.citySupervisor('GET', `/api/v1/supervision/alerts?cursor=${Buffer.from('x|y').toString('base64url')}`)).statusCode).toBe(400);
  });
});
