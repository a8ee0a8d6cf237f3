// R-R08 over publicity (issues 8 × 12): 公示超期 and 撤回超期 raised inside publicity's own transactions
// (draft made, published, withdrawn after a remedy) and by the full recomputation, on the working-day
// calendar, listed with the jurisdiction scoping of every alert; 公示及时率 in the yearly assessment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar, type WorkingCalendar } from '../src/platform/calendar/index.ts';
import { draftFromDecision, type DecisionInput, type PublicationFacts } from '../src/publicity/service.ts';
import { evaluatePublication } from '../src/supervision/rules.ts';
import { recomputeAlerts } from '../src/supervision/alerts.ts';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let cal: WorkingCalendar;
const ids = { late: '', onTime: '', county: '' };

const input = (decidedOn: string, agency: string): DecisionInput => ({
  agencyId: w.ids.get(agency)!, caseId: null, procedureId: 'penalty-general', kind: 'penalty', decidedOn, documentNumber: `演示罚〔2026〕${decidedOn}-${agency}号`, title: '测试案',
  text: '当事人某某公司违反规定。', party: { name: '某某公司', type: 'organisation', idNumber: null }, penaltyKinds: ['罚款'], fineAmount: 200000,
  violation: '违规', content: '罚款', basis: '依据', actorId: null,
});
const make = async (decidedOn: string, agency = 'city_scjg') => (await w.app.ctx.db.transaction((tx) => draftFromDecision(tx, cal, input(decidedOn, agency)))).id;
const alertsOf = async (kind: string, api: CaseWorld['api'][keyof CaseWorld['api']] = w.api.citySupervisor) => {
  const r = await api('GET', `/api/v1/supervision/alerts?kind=${kind}&limit=100`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as { id: string; raisedOn: string; agency: { id: string }; rule: { code: string; version: number } }[];
};
const detail = async (id: string) => (await w.api.citySupervisor('GET', `/api/v1/supervision/alerts/${id}`)).json() as { detail: { publicationId: string } };
const alertFor = async (kind: string, publicationId: string) => {
  for (const a of await alertsOf(kind)) if ((await detail(a.id)).detail.publicationId === publicationId) return a;
  return undefined;
};

beforeAll(async () => {
  w = await caseWorld();
  cal = await getCalendar(w.app.ctx.db);
});
afterAll(async () => {
  await w?.app.close();
});

describe('publication_overdue on the working-day calendar (R-P11, R-R08)', () => {
  const draft = (id: string, decidedOn: string, deadline: string): PublicationFacts => ({
    id, agencyId: 'a', regionCode: '330100', caseId: null, documentNumber: id, status: 'draft', decidedOn, deadline, publishedOn: null, withdrawnOn: null, withdrawals: [],
  });

  it('across 国庆 2026: a decision of 09-28 is due 10-13 and overdue on 10-14; one of 09-29 is due 10-14 and not yet overdue then', () => {
    expect(cal.addWorkingDays('2026-09-28', 7).deadline).toBe('2026-10-13');
    expect(cal.addWorkingDays('2026-09-29', 7).deadline).toBe('2026-10-14');
    const trips = evaluatePublication(draft('p1', '2026-09-28', '2026-10-13'), '2026-10-14', cal);
    expect(trips.map((f) => [f.kind, f.raisedOn])).toEqual([['publication_overdue', '2026-10-14']]);
    expect(evaluatePublication(draft('p2', '2026-09-29', '2026-10-14'), '2026-10-14', cal)).toEqual([]);
    // A deadline on Friday 10-09 is overdue on the next working day, Saturday 10-10 (调休上班), not on Monday.
    expect(evaluatePublication(draft('p3', '2026-09-25', '2026-10-09'), '2026-10-10', cal).map((f) => f.raisedOn)).toEqual(['2026-10-10']);
    expect(evaluatePublication({ ...draft('p4', '2026-09-28', '2026-10-13'), status: 'excluded' }, '2026-10-20', cal)).toEqual([]);
  });

  it('a draft made after its deadline raises at once; one due today does not, nor when published today', async () => {
    ids.late = await make('2026-11-13'); // due 11-24 (7 working days), overdue on 11-25
    ids.onTime = await make('2026-11-16'); // due 11-25 = today
    ids.county = await make('2026-11-02', 'xh_zhzf'); // due 11-11
    const late = await alertFor('publication_overdue', ids.late);
    expect(late).toMatchObject({ raisedOn: '2026-11-25', rule: { code: 'publication_overdue', version: 1 }, agency: { id: w.ids.get('city_scjg') } });
    expect(await alertFor('publication_overdue', ids.onTime)).toBeUndefined();
    const pub = await w.api.head('POST', `/api/v1/publications/${ids.onTime}/publish`, { redactions: [] });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(await alertFor('publication_overdue', ids.onTime)).toBeUndefined();
    // Publishing the late one keeps its single alert (one per publication and rule).
    expect((await w.api.head('POST', `/api/v1/publications/${ids.late}/publish`, { redactions: [] })).statusCode).toBe(200);
    const all = (await alertsOf('publication_overdue')).filter((a) => a.id === late!.id);
    expect(all).toHaveLength(1);
  });

  it('the alert list scopes them like every alert: the 西湖区 supervisor and another agency do not see the city agency’s', async () => {
    const late = (await alertFor('publication_overdue', ids.late))!;
    const county = await alertsOf('publication_overdue', w.api.countySupervisor);
    expect(county.map((a) => a.id)).not.toContain(late.id);
    expect(county.some((a) => a.agency.id === w.ids.get('xh_zhzf'))).toBe(true);
    expect((await w.api.countySupervisor('GET', `/api/v1/supervision/alerts/${late.id}`)).statusCode).toBe(404);
    expect((await alertsOf('publication_overdue', w.api.otherOfficer)).map((a) => a.id)).not.toContain(late.id);
    expect((await alertsOf('publication_overdue', w.api.officer)).map((a) => a.id)).toContain(late.id);
  });
});

describe('withdrawal_overdue after a revoking remedy (R-P12, R-R08)', () => {
  it('a remedy of 11-21 (withdraw by 11-24) withdrawn today trips it; one of 11-22 (by 11-25) does not', async () => {
    const late = await w.api.head('POST', `/api/v1/publications/${ids.onTime}/remedies`, { kind: 'reconsideration', outcome: 'revoked', decidedOn: '2026-11-21', body: '演示市人民政府' });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json()).toMatchObject({ withdrawBy: '2026-11-24', late: true });
    const ok = await w.api.head('POST', `/api/v1/publications/${ids.late}/remedies`, { kind: 'litigation', outcome: 'revoked', decidedOn: '2026-11-22', body: '演示市西湖区人民法院' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ withdrawBy: '2026-11-25', late: false });
    expect(await alertFor('withdrawal_overdue', ids.onTime)).toMatchObject({ raisedOn: '2026-11-25', rule: { code: 'withdrawal_overdue', version: 1 } });
    expect(await alertFor('withdrawal_overdue', ids.late)).toBeUndefined();
    expect((await alertsOf('withdrawal_overdue', w.api.countySupervisor))).toEqual([]);
  });

  it('a publication still public after withdrawBy trips it in the pure rule', () => {
    const p: PublicationFacts = {
      id: 'p', agencyId: 'a', regionCode: '330100', caseId: null, documentNumber: 'x', status: 'published', decidedOn: '2026-09-01', deadline: '2026-09-10', publishedOn: '2026-09-09', withdrawnOn: null,
      withdrawals: [{ remedyId: 'r', decidedOn: '2026-11-20', withdrawBy: '2026-11-23' }],
    };
    expect(evaluatePublication(p, '2026-11-23', cal)).toEqual([]);
    expect(evaluatePublication(p, '2026-11-24', cal).map((f) => [f.kind, f.raisedOn])).toEqual([['withdrawal_overdue', '2026-11-24']]);
  });
});

describe('the full recomputation and the assessment', () => {
  it('recomputation finds the same alerts without duplicating them and keeps case alerts apart', async () => {
    const before = (await alertsOf('publication_overdue')).length + (await alertsOf('withdrawal_overdue')).length;
    const r = await recomputeAlerts(w.app.ctx, { from: '2000-01-01' });
    expect(r.publications).toBeGreaterThanOrEqual(3);
    expect(r.raised).toBe(0);
    expect(r.closed).toBe(0);
    expect((await alertsOf('publication_overdue')).length + (await alertsOf('withdrawal_overdue')).length).toBe(before);
  });

  it('公示及时率 = published on time / published in the year, hand-counted: 市场监管局 1 of 2, 西湖区 none published', async () => {
    const r = await w.api.citySupervisor('GET', '/api/v1/supervision/assessment?year=2026');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const item = body.scheme.items.find((i: { code: string }) => i.code === 'publicity');
    expect(item.waiting).toBeUndefined();
    const scjg = body.agencies.find((a: { agency: { id: string } }) => a.agency.id === w.ids.get('city_scjg'));
    expect(scjg.indicators.publicity).toEqual({ numerator: 1, denominator: 2, value: 0.5, drill: `/publicity?agencyId=${w.ids.get('city_scjg')}&publishedYear=2026` });
    // The drill-down lists exactly what the indicator counts.
    const drill = await w.api.citySupervisor('GET', `/api/v1/publications?agencyId=${w.ids.get('city_scjg')}&publishedYear=2026`);
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().items.map((i: { id: string }) => i.id).sort()).toEqual([ids.late, ids.onTime].sort());
    expect((await w.api.citySupervisor('GET', '/api/v1/publications?publishedYear=1999')).statusCode).toBe(400);
    const xh = body.agencies.find((a: { agency: { id: string } }) => a.agency.id === w.ids.get('xh_zhzf'));
    expect(xh.indicators.publicity).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });
});
