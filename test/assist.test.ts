// Issue 13 through the API: the public benchmarks' exact contract, the decision refused outside the
// legal range and outside the band until the head approves the deviation, 首违 against the party's
// record just inside and just outside 24 months, the benchmark version pinned at filing, suggestions,
// similar cases within the reader's scope, the pre-check and the all-or-nothing XLSX import (R-I03).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, type CaseWorld } from './cases.fixtures.ts';
import type { DemoCaseInfo } from '../src/cases/demo-content.ts';
import { loadAssistDemo } from '../src/assist/demo.ts';

let w: CaseWorld;
const PARTY13 = { name: '演示某某水果经营部', type: 'organisation', idType: 'credit_code', idNumber: '92330106MA2J8K1Q50', address: '演示市西湖区学院路 8 号' } as const;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

async function openCase(on: string, title = '涉嫌不按规定明码标价案'): Promise<{ id: string; info: DemoCaseInfo }> {
  const r = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY13 });
  expect(r.statusCode, r.body).toBe(201);
  const c = r.json() as { id: string; number: string; title: string };
  const info = { ...caseInfo(c, w.officers), party: { ...PARTY13 } } as DemoCaseInfo;
  const s = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: 'intake', on, officerIds: w.officers.slice(0, 2).map((o) => o.id), facts: { partyType: 'legal_person' }, documents: docs(['case_source_record'], on, info) });
  expect(s.statusCode, s.body).toBe(201);
  return { id: c.id, info };
}

async function step(caseId: string, info: DemoCaseInfo, key: string, on: string, extra: Record<string, unknown> = {}, types: string[] = []) {
  return w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: key, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, on, info), ...extra });
}
async function approve(caseId: string, key: string, on: string) {
  const r = await w.api.head('POST', `/api/v1/cases/${caseId}/approvals`, { purpose: 'step', step: key, on, opinion: '同意。' });
  expect(r.statusCode, r.body).toBe(201);
}
/** Filing to the notice, ready for the decision. */
async function toDecision(caseId: string, info: DemoCaseInfo, fine: number) {
  await approve(caseId, 'filing', '2026-11-02');
  for (const [key, on, extra, types] of [
    ['filing', '2026-11-02', {}, ['filing_approval']],
    ['inspection', '2026-11-03', {}, ['inspection_record']],
    ['investigation_report', '2026-11-04', { facts: { proposedOutcome: 'penalty', hearingEligible: false, collectiveDiscussionRequired: false } }, ['investigation_report']],
    ['prior_notice', '2026-11-05', { facts: { proposedFine: fine, hearingEligible: false } }, ['prior_notice']],
  ] as const) {
    const r = await step(caseId, info, key, on, extra, [...types]);
    expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
  }
  await approve(caseId, 'penalty_decision', '2026-11-12');
}

let first: { id: string; info: DemoCaseInfo };

describe('published benchmarks (行政处罚法第三十四条)', () => {
  it('lists and answers the exact contract, anonymously', async () => {
    const list = await w.app.server.inject({ method: 'GET', url: `/api/v1/public/benchmarks?q=${encodeURIComponent('明码标价')}` });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { id: string }[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    const r = await w.app.server.inject({ method: 'GET', url: '/api/v1/public/benchmarks/demo-city.JG-42.v1' });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(Object.keys(b)).toEqual(['id', 'version', 'issuer', 'effectiveFrom', 'violation', 'legalRange', 'levels']);
    expect(Object.keys(b.violation)).toEqual(['code', 'name', 'violated', 'penalty']);
    expect(Object.keys(b.legalRange)).toEqual(['kind', 'min', 'max', 'base']);
    for (const l of b.levels) expect(Object.keys(l)).toEqual(['level', 'circumstances', 'min', 'max']);
    expect(b).toMatchObject({ version: 1, violation: { code: 'JG-42', penalty: '《中华人民共和国价格法》第四十二条' }, legalRange: { kind: 'maxOnly', min: 0, max: 5000, base: null } });
    expect(b.levels.find((l: { level: string }) => l.level === '从轻')).toEqual({ level: '从轻', circumstances: ['M1', 'M2', 'M3', 'M4', 'M5'], min: 0, max: 500 });
    const mult = (await w.app.server.inject({ method: 'GET', url: '/api/v1/public/benchmarks/demo-prov.SP-124-5B.v1' })).json();
    expect(mult.legalRange).toEqual({ kind: 'multiple', min: 10, max: 20, base: '货值金额' });
    expectProblem(await w.app.server.inject({ method: 'GET', url: '/api/v1/public/benchmarks/nothing.v9' }), 404);
    const page = await w.app.server.inject({ method: 'GET', url: '/benchmarks' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('行政处罚裁量基准');
    expect(page.body).toContain('不按规定明码标价');
  });
});

describe('discretion at the decision', () => {
  it('proposes the level and band, quoting the provision and the benchmark version', async () => {
    first = await openCase('2026-11-02');
    const r = await w.api.officer('POST', `/api/v1/cases/${first.id}/discretion/proposal`, { violationCode: 'JG-42', circumstances: ['M1', 'M3'] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ benchmark: { id: 'demo-city.JG-42.v1', version: 1 }, violation: { penalty: '《中华人民共和国价格法》第四十二条' }, proposal: { level: '从轻', min: 0, max: 500 } });
  });

  it('refuses an amount outside the legal range; outside the band needs a reason, then the head’s approval', async () => {
    await toDecision(first.id, first.info, 800);
    const base = { violationCode: 'JG-42', circumstances: ['M1', 'M3'], level: '从轻', factsText: '当事人经营的水果店部分商品未标价，未按规定明码标价。' };
    const over = await w.api.officer('PUT', `/api/v1/cases/${first.id}/discretion`, { ...base, amount: 6000 });
    expect(over.statusCode, over.body).toBe(422);
    expect(over.json().refusals.map((x: { code: string }) => x.code)).toEqual(['outside_legal_range']);
    expectProblem(await w.api.officer('PUT', `/api/v1/cases/${first.id}/discretion`, { ...base, amount: 800 }), 400);
    const rec = await w.api.officer('PUT', `/api/v1/cases/${first.id}/discretion`, { ...base, amount: 800, deviationReason: '当事人经营面积较大、涉及商品品种较多', suggestion: { code: 'JG-42', rank: 1, terms: ['明码标价'] } });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().record).toMatchObject({ outsideBand: true, deviation: { status: 'pending' }, suggestion: { code: 'JG-42', rank: 1 } });
    const refused = await step(first.id, first.info, 'penalty_decision', '2026-11-12', { facts: { fineAmount: 800, partyPresent: false } }, ['penalty_decision']);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().refusals.map((x: { code: string }) => x.code)).toEqual(['deviation_not_approved']);
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${first.id}/discretion/deviation-approval`, { mode: 'head', opinion: '同意', on: '2026-11-12' }), 403);
    const ok = await w.api.head('POST', `/api/v1/cases/${first.id}/discretion/deviation-approval`, { mode: 'head', opinion: '同意调整适用。', on: '2026-11-12' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().record.deviation).toMatchObject({ status: 'approved', mode: 'head' });
    expect(ok.json().record.explanation).toContain('经本机关主要负责人批准');
    // The draft decision carries the generated 裁量说明.
    const pre = await w.api.officer('GET', `/api/v1/cases/${first.id}/document-prefill?type=penalty_decision&on=2026-11-12`);
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json().fields.discretion).toContain('演示市市场监督管理局发布，第 1 版');
    expect(pre.json().fields.penaltyBasis).toBe('《中华人民共和国价格法》第四十二条');
    const diff = await step(first.id, first.info, 'penalty_decision', '2026-11-12', { facts: { fineAmount: 700, partyPresent: false } }, ['penalty_decision']);
    expect(diff.json().refusals.map((x: { code: string }) => x.code)).toEqual(['amount_differs']);
    const done = await step(first.id, first.info, 'penalty_decision', '2026-11-12', { facts: { fineAmount: 800, partyPresent: false } }, ['penalty_decision']);
    expect(done.statusCode, done.body).toBe(201);
    expect((await w.api.officer('GET', `/api/v1/cases/${first.id}/discretion`)).json().record.decidedOn).toBe('2026-11-12');
    const events = await w.app.ctx.db.query(`SELECT kind FROM events WHERE subject_id = $1 AND kind LIKE 'assist.%' ORDER BY id`, [first.id]);
    expect(events.rows.map((r) => r.kind)).toEqual(['assist.discretion_recorded', 'assist.deviation_approved']);
  });

  it('首违: a prior same-kind violation just inside 24 months refuses the claim; just outside allows it', async () => {
    const second = await openCase('2026-11-20');
    const claim = { violationCode: 'JG-42', circumstances: ['F1', 'F2', 'F3'], level: '不予处罚', amount: 0, firstOffenseClaim: true };
    await w.app.ctx.db.query(`UPDATE case_discretion SET decided_on = '2024-11-26' WHERE case_id = $1`, [first.id]);
    const inside = await w.api.officer('PUT', `/api/v1/cases/${second.id}/discretion`, claim);
    expect(inside.statusCode, inside.body).toBe(422);
    expect(inside.json().refusals.map((x: { code: string }) => x.code)).toEqual(['first_offense_prior']);
    const prop = (await w.api.officer('POST', `/api/v1/cases/${second.id}/discretion/proposal`, { violationCode: 'JG-42', circumstances: ['F1', 'F2', 'F3'] })).json();
    expect(prop.firstOffense).toMatchObject({ eligible: false, prior: { decidedOn: '2024-11-26' } });
    expect(prop.proposal.level).not.toBe('不予处罚');
    await w.app.ctx.db.query(`UPDATE case_discretion SET decided_on = '2024-11-25' WHERE case_id = $1`, [first.id]);
    const outside = await w.api.officer('PUT', `/api/v1/cases/${second.id}/discretion`, claim);
    expect(outside.statusCode, outside.body).toBe(200);
    expect(outside.json().record.explanation).toContain('不予行政处罚');
    await w.app.ctx.db.query(`UPDATE case_discretion SET decided_on = '2026-11-12' WHERE case_id = $1`, [first.id]);
  });

  it('pins the benchmark version in force when the case started', async () => {
    const old = await openCase('2026-10-20', '涉嫌经营超过保质期的食品案');
    const fresh = await openCase('2026-11-20', '涉嫌经营超过保质期的食品案');
    const p = async (id: string) => (await w.api.officer('POST', `/api/v1/cases/${id}/discretion/proposal`, { violationCode: 'SP-124-5A', circumstances: ['M1'] })).json();
    expect((await p(old.id))).toMatchObject({ benchmark: { version: 1 }, proposal: { level: '从轻', min: 50000, max: 65000 } });
    expect((await p(fresh.id))).toMatchObject({ benchmark: { version: 2 }, proposal: { level: '从轻', min: 50000, max: 60000 } });
    const rec = await w.api.officer('PUT', `/api/v1/cases/${old.id}/discretion`, { violationCode: 'SP-124-5A', circumstances: ['M1'], level: '从轻', amount: 64000 });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().record).toMatchObject({ benchmark: { id: 'demo-prov.SP-124-5A.v1', version: 1 }, outsideBand: false });
  });
});

describe('assistance', () => {
  it('suggests violations from the facts with the matched terms', async () => {
    const r = await w.api.officer('POST', `/api/v1/cases/${first.id}/suggestions`, { text: '当事人销售的苹果、香蕉未标价，未按规定明码标价。' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items[0]).toMatchObject({ code: 'JG-42', rank: 1 });
    expect(r.json().items[0].terms).toContain('明码标价');
  });

  it('lists similar decided cases with reasons, within the reader’s scope only', async () => {
    const other = await openCase('2026-11-21');
    await w.api.officer('PUT', `/api/v1/cases/${other.id}/discretion`, { violationCode: 'JG-42', circumstances: ['M1'], level: '从轻', amount: 300, factsText: '当事人超市部分商品未明码标价。' });
    const r = await w.api.officer('GET', `/api/v1/cases/${other.id}/similar`);
    expect(r.statusCode, r.body).toBe(200);
    const hit = r.json().items.find((x: { caseId: string }) => x.caseId === first.id);
    expect(hit.reason.fields).toEqual(['违法行为相同', '裁量阶次相同']);
    expect(hit.reason.terms).toContain('明码标价');
    expectProblem(await w.api.otherOfficer('GET', `/api/v1/cases/${other.id}/similar`), 404);
  });

  it('pre-checks a case file before archiving', async () => {
    const r = await w.api.officer('GET', `/api/v1/cases/${first.id}/precheck`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().ok).toBe(false);
    expect(r.json().items.map((i: { code: string }) => i.code)).toContain('missing');
  });
});

describe('demo', () => {
  it('the demo holds a decided case with an approved deviation whose decision carries the 裁量说明', async () => {
    await loadAssistDemo(w.app.ctx);
    const { rows } = await w.app.ctx.db.query<{ case_id: string; explanation: string; decided_on: string | null; deviation_approved_by: string | null }>(
      `SELECT d.case_id, d.explanation, d.decided_on, d.deviation_approved_by FROM case_discretion d JOIN cases c ON c.id = d.case_id WHERE c.title LIKE '不按规定明码标价案%'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ decided_on: expect.any(String), deviation_approved_by: expect.any(String) });
    const doc = await w.app.ctx.db.query<{ discretion: string }>(`SELECT fields->>'discretion' AS discretion FROM case_documents WHERE case_id = $1 AND type = 'penalty_decision'`, [rows[0]!.case_id]);
    expect(doc.rows[0]!.discretion).toBe(rows[0]!.explanation);
    expect(rows[0]!.explanation).toContain('调整适用');
    const decided = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_discretion WHERE decided_on IS NOT NULL`);
    expect(decided.rows[0]!.n).toBeGreaterThanOrEqual(2);
  });
});

describe('library import (whole file or nothing)', () => {
  async function xlsx(rows: (string | number)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('违法行为');
    ws.addRow(['编码', '名称', '违则', '罚则', '幅度类型', '下限', '上限', '倍数基数', '关键词']);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  function post(session: 'admin' | 'officer', buf: Buffer) {
    const boundary = 'sxassist';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lib.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`), buf, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const s = w.s[session];
    return w.app.server.inject({ method: 'POST', url: '/api/v1/assist/library/import', payload: body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  }
  it('names every bad row and writes nothing; a valid file is imported', async () => {
    const good = ['ZJ-001', '未按规定公示食品经营许可证', '《食品经营许可和备案管理办法》相关条款', '《食品经营许可和备案管理办法》相关条款', '数额幅度', 1000, 10000, '', '许可证、公示'];
    const bad = await post('admin', await xlsx([good, ['JG-42', '重复', 'a', 'b', '倍数', 1, 2, '', ''], ['ZJ-002', '坏行', 'a', 'b', '数额幅度', 5000, 100, '', '']]));
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['违法行为.3', '违法行为.4']));
    expect(bad.json().errors.some((e: { field: string }) => e.field === '违法行为.2')).toBe(false);
    expect((await w.app.ctx.db.query(`SELECT count(*)::int AS n FROM assist_violations`)).rows[0]).toEqual({ n: 0 });
    expectProblem(await post('officer', await xlsx([good])), 403);
    const ok = await post('admin', await xlsx([good]));
    expect(ok.statusCode, ok.body).toBe(201);
    const lib = (await w.api.officer('GET', `/api/v1/assist/library?q=${encodeURIComponent('公示食品经营许可证')}`)).json();
    expect(lib.violations.map((v: { code: string }) => v.code)).toEqual(['ZJ-001']);
  });
});
