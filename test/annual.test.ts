// 统计年报 (R-P16, issue 10): each figure against a hand-counted fixture (combined penalties counted once
// under the heaviest kind, a case spanning two years counted in the year of its decision, drafts and
// exclusions left out), jurisdiction scoping of agency and region reports, drill-down for those allowed,
// publication by the head with the ledger entry, and the public API / XLSX / portal page with SVG charts.
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordChange } from '../src/platform/changes.ts';
import { compute, computeFigures, heaviestKind } from '../src/annual/figures.ts';
import { PENALTY_KINDS } from '../src/cases/documents/index.ts';
import { penaltyDecisions } from '../src/cases/annual-facts.ts';
import { recordPenaltyFigures } from '../src/cases/store.ts';
import { caseInfo, caseWorld, docs, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let doc: (caseId: string, agencyId: string, type: string, issuedOn: string | null, fields?: Record<string, unknown>) => Promise<string>;
let scjg: string;
let xh: string;
const caseNo = new Map<string, string>();

async function fixture() {
  const db = w.app.ctx.db;
  const ev = async () => (await recordChange(db, { kind: 'test.fixture', agencyId: null, subjectType: 'fixture', subjectId: crypto.randomUUID(), actorId: null, data: {} })).eventId;
  const sha = () => crypto.randomBytes(32).toString('hex');
  const mkCase = async (key: string, agencyId: string, procedureId: string, facts: Record<string, unknown> = {}) => {
    const id = crypto.randomUUID();
    const number = `年报测试〔2024〕${caseNo.size + 1}号`;
    await db.query(
      `INSERT INTO cases (id, agency_id, procedure_id, procedure_version, case_type, number, title, matter_category, matter_area, party_name, party_type, party_id_type, state, status)
       VALUES ($1,$2,$3,1,$3,$4,$5,'市场监管','演示市','某公司','organisation','credit_code',$6::jsonb,'finished')`,
      [id, agencyId, procedureId, number, `年报测试案件 ${key}`, JSON.stringify({ steps: [], facts })],
    );
    caseNo.set(key, id);
    return id;
  };
  let docSeq = 0;
  doc = async (caseId: string, agencyId: string, type: string, issuedOn: string | null, fields: Record<string, unknown> = {}) => {
    const final = issuedOn !== null;
    const id = crypto.randomUUID();
    await db.query(
      `INSERT INTO case_documents (id, case_id, agency_id, type, title, status, fields, number, issued_on, pdf_sha256, event_id) VALUES ($1,$2,$3,$4,'文书',$5,$6::jsonb,$7,$8,$9,$10)`,
      [id, caseId, agencyId, type, final ? 'final' : 'draft', JSON.stringify(fields), final ? `年报文书${++docSeq}号` : null, issuedOn, final ? sha() : null, final ? await ev() : null],
    );
    // What finalisation writes beside the decision (a draft writes nothing).
    await recordPenaltyFigures(db, [id]);
    return id;
  };
  let seq = 0;
  const step = async (caseId: string, name: string, on: string) => {
    await db.query(`INSERT INTO case_steps (case_id, seq, step, stage, kind, on_date, actor_role, record, event_id) VALUES ($1,$2,$3,$3,'main',$4,'officer','{}'::jsonb,$5)`, [caseId, ++seq, name, on, await ev()]);
  };
  const review = async (caseId: string, round: number, result: 'passed' | 'problems', on: string) => {
    const id = crypto.randomUUID();
    await db.query(`INSERT INTO legal_reviews (id, case_id, round, submitter_name, on_date, summary, proposed_decision, materials, declaration, event_id) VALUES ($1,$2,$3,'承办人',$4,'摘要','拟决定','[]'::jsonb,true,$5)`, [id, caseId, round, on, await ev()]);
    await db.query(`INSERT INTO legal_review_opinions (review_id, case_id, reviewer_id, reviewer_name, checklist, result, opinion, on_date, event_id) VALUES ($1,$2,$3,'审核员','{}'::jsonb,$4,'意见',$5,$6)`, [id, caseId, crypto.randomUUID(), result, on, await ev()]);
  };
  const publication = async (caseId: string, agencyId: string, status: string, deadline: string, publishedOn: string | null) => {
    await db.query(`INSERT INTO publications (id, agency_id, case_id, kind, status, decided_on, deadline, rule_set_version, published_on) VALUES ($1,$2,$3,'penalty',$4,$5,$5,0,$6)`, [crypto.randomUUID(), agencyId, caseId, status, deadline, publishedOn]);
  };

  // 市市场监管局 (330100), 2024.
  const a = await mkCase('A', scjg, 'penalty-general');
  await doc(a, scjg, 'penalty_decision', '2024-03-10', { penalties: [{ kind: '警告' }, { kind: '罚款', amount: 5000 }] }); // combined → 罚款
  const b = await mkCase('B', scjg, 'penalty-general');
  await doc(b, scjg, 'penalty_decision', '2024-06-01', { penalties: [{ kind: '罚款', amount: 20000 }, { kind: '没收违法所得', amount: 3000 }, { kind: '吊销许可证件', detail: '食品经营许可证' }] }); // → 吊销许可证件
  const c = await mkCase('C', scjg, 'penalty-general'); // began in 2023, decided in 2024: counts in 2024
  await step(c, 'filing', '2023-12-20');
  await doc(c, scjg, 'penalty_decision', '2024-01-15', { penalties: [{ kind: '罚款', amount: 1000 }] });
  const d = await mkCase('D', scjg, 'penalty-general'); // began in 2024, decided in 2025: not in 2024
  await step(d, 'filing', '2024-11-20');
  await doc(d, scjg, 'penalty_decision', '2025-01-05', { penalties: [{ kind: '警告' }] });
  const e = await mkCase('E', scjg, 'penalty-summary', { penaltyKind: 'warning_and_fine', fineAmount: 200 }); // 当场处罚 → 罚款 200
  await doc(e, scjg, 'onsite_penalty_decision', '2024-05-05', { body: '当场处罚' });
  const f = await mkCase('F', scjg, 'penalty-general'); // a draft decision is not a decision
  await doc(f, scjg, 'penalty_decision', null, { penalties: [{ kind: '罚款', amount: 99999 }] });
  const l1 = await mkCase('L1', scjg, 'licensing');
  await step(l1, 'application', '2024-02-01');
  await step(l1, 'acceptance', '2024-02-03');
  await doc(l1, scjg, 'licence_decision', '2024-02-20');
  const l2 = await mkCase('L2', scjg, 'licensing'); // applied in 2024, accepted in 2025
  await step(l2, 'application', '2024-12-28');
  await step(l2, 'acceptance', '2025-01-02');
  const l3 = await mkCase('L3', scjg, 'licensing');
  await step(l3, 'application', '2024-04-01');
  await doc(l3, scjg, 'licence_refusal', '2024-04-20');
  for (const [k, on] of [['I1', '2024-07-01'], ['I2', '2024-07-02'], ['I3', '2023-07-02']] as const) await step(await mkCase(k, scjg, 'inspection'), 'on_site_inspection', on);
  await review(a, 1, 'problems', '2024-03-01');
  await review(a, 2, 'passed', '2024-03-05');
  await review(b, 1, 'passed', '2024-05-25');
  await publication(a, scjg, 'published', '2024-03-17', '2024-03-15'); // on time
  await publication(b, scjg, 'published', '2024-06-08', '2024-06-20'); // late
  await publication(c, scjg, 'draft', '2024-01-22', null); // never published: late
  await publication(e, scjg, 'excluded', '2024-05-12', null); // excluded by the rules: not due

  // 西湖区综合行政执法局 (330106), 2024.
  const x = await mkCase('X', xh, 'penalty-general');
  await doc(x, xh, 'penalty_decision', '2024-08-01', { penalties: [{ kind: '罚款', amount: 8000 }, { kind: '责令停产停业' }] }); // → 责令停产停业
}

beforeAll(async () => {
  w = await caseWorld();
  scjg = w.ids.get('city_scjg')!;
  xh = w.ids.get('xh_zhzf')!;
  await fixture();
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

describe('counting rules (R-P16)', () => {
  it('a combined penalty counts under its heaviest 第九条 kind', () => {
    expect(heaviestKind(['警告', '罚款'])).toBe('罚款');
    expect(heaviestKind(['罚款', '没收违法所得', '吊销许可证件'])).toBe('吊销许可证件');
    expect(heaviestKind(['法律、行政法规规定的其他行政处罚', '警告'])).toBe('警告');
    expect(heaviestKind(['行政拘留', '罚款'])).toBe('行政拘留');
  });
});

describe('penalty figures stored at finalisation (R-P16)', () => {
  const stored = async (documentId: string) =>
    (await w.app.ctx.db.query<{ kind: string; fine: string | null; confiscation: string | null; issued_on: string }>(
      `SELECT kind, fine_yuan::text AS fine, confiscation_yuan::text AS confiscation, issued_on::text FROM case_penalty_figures WHERE document_id = $1`, [documentId])).rows[0];

  it('a decision finalised through the API stores the heaviest kind and the amounts its document states', async () => {
    const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '年报测试：并处', matter: MATTER, party: PARTY })).json() as { id: string; number: string; title: string };
    const penalties = [{ kind: '警告' }, { kind: '罚款', amount: 5000 }, { kind: '没收违法所得', amount: 1200 }];
    const fields = { ...docs(['penalty_decision'], '2026-11-20', caseInfo(c, w.officers))[0]!.fields, penalties };
    const draft = await w.api.officer('POST', `/api/v1/cases/${c.id}/documents`, { type: 'penalty_decision', fields });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id as string;
    expect(await stored(id)).toBeUndefined();
    const fin = await w.api.officer('POST', `/api/v1/cases/${c.id}/documents/${id}/finalise`, { issuedOn: '2026-11-20' });
    expect(fin.statusCode, fin.body).toBe(200);
    expect(await stored(id)).toEqual({ kind: '没收违法所得', fine: '5000', confiscation: '1200', issued_on: '2026-11-20' });
    // The same as reading the document itself.
    const [read] = (await penaltyDecisions(w.app.ctx.db, { from: '2026-11-20', to: '2026-11-20', agencyId: w.ids.get('city_scjg')! })).filter((d) => d.caseId === c.id);
    expect(read!.penalties).toEqual(penalties);
    expect(heaviestKind(read!.penalties.map((p) => p.kind))).toBe('没收违法所得');
  });

  it('every 第九条 kind outranks the lighter ones as heaviestKind says, 其他 ranks lowest, unknown kinds are ignored', async () => {
    const a = caseNo.get('A')!;
    for (const [i, kind] of PENALTY_KINDS.entries()) {
      const lighter = PENALTY_KINDS[Math.max(0, i - 1)]!;
      const id = await doc(a, scjg, 'penalty_decision', '2019-01-01', { penalties: [{ kind }, { kind: lighter }, { kind: '不存在的种类' }] });
      expect((await stored(id))?.kind, kind).toBe(heaviestKind([kind, lighter]));
    }
    expect(await stored(await doc(a, scjg, 'penalty_decision', '2019-01-01', { penalties: [{ kind: '不存在的种类' }] }))).toBeUndefined();
  });
});

describe('figures counted in the database (what drafting runs)', () => {
  it('equal the figures counted over the case ids (drill-down), for agencies, years and regions', async () => {
    const scopes = [
      { year: 2024, agencyId: scjg, regionPrefix: null }, { year: 2025, agencyId: scjg, regionPrefix: null }, { year: 2023, agencyId: scjg, regionPrefix: null },
      { year: 2024, agencyId: null, regionPrefix: '3301' }, { year: 2024, agencyId: null, regionPrefix: '330106' }, { year: 2024, agencyId: xh, regionPrefix: null },
    ];
    for (const s of scopes) expect(await computeFigures(w.app.ctx.db, s), JSON.stringify(s)).toEqual((await compute(w.app.ctx.db, s)).figures);
    // Not vacuous: the city's 2024 figures hold combined penalties, a 当场处罚, licences and reviews.
    const city = await computeFigures(w.app.ctx.db, scopes[3]!);
    expect([city.penalties.total, city.penalties.fineYuan, city.licences.applied, city.reviews.rounds]).toEqual([5, 34200, 3, 3]);
  });
});

let agencyReport: string;
describe('agency report', () => {
  it('every figure matches the hand count', async () => {
    const r = await w.api.head('POST', '/api/v1/annual-reports', { year: 2024, agencyId: scjg });
    expect(r.statusCode, r.body).toBe(201);
    const { figures: f, id } = r.json();
    agencyReport = id;
    expect(f.penalties.total).toBe(4);
    expect(f.penalties.byKind['罚款']).toBe(3);
    expect(f.penalties.byKind['吊销许可证件']).toBe(1);
    expect(f.penalties.byKind['警告']).toBe(0);
    expect(Object.keys(f.penalties.byKind)).toHaveLength(14);
    expect(f.penalties.fineYuan).toBe(26200);
    expect(f.penalties.confiscationYuan).toBe(3000);
    expect(f.licences).toEqual({ applied: 3, accepted: 1, granted: 1, refused: 1, revoked: 0 });
    expect(f.inspections.total).toBe(2);
    expect(f.reviews).toEqual({ total: 2, rounds: 3, passedFirstTime: 1 });
    expect(f.publications).toEqual({ onTime: 1, total: 3 });
    const next = (await w.api.head('POST', '/api/v1/annual-reports', { year: 2025, agencyId: scjg })).json();
    expect(next.figures.penalties.total).toBe(1);
    expect(next.figures.penalties.byKind['警告']).toBe(1);
    expect(next.figures.licences.accepted).toBe(1);
  });

  it('the current year cannot be reported yet', async () => {
    expect((await w.api.head('POST', '/api/v1/annual-reports', { year: 2026, agencyId: scjg })).statusCode).toBe(400);
  });

  it('drill-down names the counted cases to those allowed, and nobody else sees the report', async () => {
    const r = await w.api.head('GET', `/api/v1/annual-reports/${agencyReport}/cases?figure=penalties.total`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((i: { id: string }) => i.id).sort()).toEqual(['A', 'B', 'C', 'E'].map((k) => caseNo.get(k)).sort());
    expect((await w.api.citySupervisor('GET', `/api/v1/annual-reports/${agencyReport}/cases?figure=licences.applied`)).json().total).toBe(3);
    expect((await w.api.otherOfficer('GET', `/api/v1/annual-reports/${agencyReport}`)).statusCode).toBe(404);
    expect((await w.api.countySupervisor('GET', `/api/v1/annual-reports/${agencyReport}`)).statusCode).toBe(404);
    expect((await w.api.head('GET', `/api/v1/annual-reports/${agencyReport}/cases?figure=nonsense`)).statusCode).toBe(400);
  });

  it('only the head publishes (R-P01); the figures go to the ledger and the public API answers the contract', async () => {
    const denied = await w.api.officer('POST', `/api/v1/annual-reports/${agencyReport}/publish`, { narrative: '说明' });
    expect(denied.statusCode).toBe(403);
    expect((await w.app.server.inject({ method: 'GET', url: `/api/v1/public/annual-reports/${agencyReport}` })).statusCode).toBe(404);
    const ok = await w.api.head('POST', `/api/v1/annual-reports/${agencyReport}/publish`, { narrative: '一、总体情况。\n二、存在问题。' });
    expect(ok.statusCode, ok.body).toBe(200);
    const { rows } = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE kind = 'annual.published' AND subject_id = $1`, [agencyReport]);
    expect(rows[0]!.n).toBe(1);
    expect((await w.api.head('POST', `/api/v1/annual-reports/${agencyReport}/publish`, { narrative: '再次' })).statusCode).toBe(409);
    const pub = await w.app.server.inject({ method: 'GET', url: `/api/v1/public/annual-reports/${agencyReport}` });
    expect(pub.statusCode).toBe(200);
    const body = pub.json();
    expect(Object.keys(body).sort()).toEqual(['agency', 'figures', 'id', 'publishedOn', 'region', 'year']);
    expect(body.agency).toEqual({ id: scjg, name: '演示市市场监督管理局' });
    expect(body.region).toBe('330100');
    expect(body.publishedOn).toBe('2026-11-25');
    const list = (await w.app.server.inject({ method: 'GET', url: `/api/v1/public/annual-reports?year=2024&agency=${scjg}` })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([agencyReport]);

    // XLSX: the same dotted keys and values as the API.
    const x = await w.app.server.inject({ method: 'GET', url: `/annual-reports/${agencyReport}.xlsx` });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const cells = new Map<string, number>();
    wb.worksheets[0]!.eachRow((row) => {
      const v = row.values as unknown[];
      if (typeof v[3] === 'number') cells.set(String(v[1]), v[3]);
    });
    for (const key of ['penalties.total', 'penalties.fineYuan', 'licences.applied', 'licences.granted', 'inspections.total', 'reviews.total', 'publications.onTime', 'publications.total']) {
      expect(cells.get(key), key).toBe(key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], body.figures));
    }
    expect(cells.get('penalties.byKind.吊销许可证件')).toBe(1);

    // The portal page: charts as inline SVG, no script needed; the PDF is a PDF.
    const page = await w.app.server.inject({ method: 'GET', url: `/annual-reports/${agencyReport}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('吊销许可证件');
    expect(page.body).not.toContain('<script');
    const pdf = await w.app.server.inject({ method: 'GET', url: `/annual-reports/${agencyReport}.pdf` });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});

describe('jurisdiction reports', () => {
  it('a county report counts only its agencies; the city report counts both', async () => {
    const county = await w.api.countySupervisor('POST', '/api/v1/annual-reports', { year: 2024, region: '330106' });
    expect(county.statusCode, county.body).toBe(201);
    const cf = county.json().figures;
    expect(cf.penalties.total).toBe(1);
    expect(cf.penalties.byKind['责令停产停业']).toBe(1);
    expect(cf.penalties.fineYuan).toBe(8000);
    expect(cf.licences.applied).toBe(0);
    const city = (await w.api.citySupervisor('POST', '/api/v1/annual-reports', { year: 2024, region: '3301' })).json();
    expect(city.figures.penalties.total).toBe(5);
    expect(city.figures.penalties.fineYuan).toBe(34200);
    expect(city.agency).toBeNull();
    // The county bureau cannot report on the city, nor see the city report.
    expect((await w.api.countySupervisor('POST', '/api/v1/annual-reports', { year: 2024, region: '3301' })).statusCode).toBe(400);
    expect((await w.api.countySupervisor('GET', `/api/v1/annual-reports/${city.id}`)).statusCode).toBe(404);
    // An agency head cannot draft a region report.
    expect((await w.api.head('POST', '/api/v1/annual-reports', { year: 2024, region: '330100' })).statusCode).toBe(400);
  });

  it('the supervisor’s page lists agencies without a published report as overdue after 31 January', async () => {
    const r = await w.api.citySupervisor('GET', '/api/v1/annual-reports?year=2024');
    expect(r.statusCode, r.body).toBe(200);
    const rows = r.json().agencies as { agency: { id: string }; status: string; overdue: boolean }[];
    expect(rows.find((x) => x.agency.id === scjg)).toMatchObject({ status: 'published', overdue: false });
    expect(rows.find((x) => x.agency.id === xh)).toMatchObject({ status: 'missing', overdue: true });
    expect(r.json().regional.length).toBeGreaterThanOrEqual(1);
  });
});
