// Supervision matters (《行政执法监督条例》第26–33条): notice and explanation clocks, a 监督意见书 with
// its 文号 and PDF in the ledger, the correction report, the objection branch (15 days, extended once),
// 第33条 (no second supervision of a dispute in 复议/诉讼), and jurisdiction scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let matter: string;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
});

const open = (over: Record<string, unknown> = {}) =>
  w.api.citySupervisor('POST', '/api/v1/supervision/matters', { agencyId: w.ids.get('city_scjg'), source: 'own', mode: 'key', listed: true, title: '食品抽检案件超期办理', facts: '2026 年第三季度 4 件案件超过 90 日未作出决定。', ...over });

describe('supervision matters', () => {
  it('opens with the explanation clock (10 days, 四川 第32条); a dispute in 复议 is not supervised twice (第33条)', async () => {
    const refused = await open({ disputeStatus: 'reconsideration' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('第三十三条');
    const r = await open();
    expect(r.statusCode, r.body).toBe(201);
    const m = r.json();
    matter = m.id;
    expect(m).toMatchObject({ status: 'notified', mode: 'key', listed: true, openedOn: '2026-11-25', number: '演示司监〔2026〕1号' });
    // 10 days end on Saturday 2026-12-05: the last day moves to the next working day.
    expect(m.clocks).toEqual([{ label: '书面说明', due: '2026-12-07', running: true, overdue: false }]);
    expect((await w.api.officer('POST', '/api/v1/supervision/matters', { agencyId: w.ids.get('city_scjg'), source: 'own', mode: 'key', title: 'x', facts: 'y' })).statusCode).toBe(403);
  });

  it('the 西湖区 supervisor neither sees nor acts on a city matter; the agency sees its own', async () => {
    expect((await w.api.countySupervisor('GET', `/api/v1/supervision/matters/${matter}`)).statusCode).toBe(404);
    expect((await w.api.countySupervisor('GET', '/api/v1/supervision/matters')).json().items.map((i: { id: string }) => i.id)).not.toContain(matter);
    expect((await w.api.countySupervisor('POST', `/api/v1/supervision/matters/${matter}/close`, { text: 'x' })).statusCode).toBe(404);
    expect((await w.api.officer('GET', `/api/v1/supervision/matters/${matter}`)).statusCode).toBe(200);
    expect((await w.api.otherOfficer('GET', `/api/v1/supervision/matters/${matter}`)).statusCode).toBe(404);
  });

  it('explanation, 监督意见书 with 文号 and PDF, objection 15 + 15 days, rejected, correction report, closed', async () => {
    expect((await w.api.officer('POST', `/api/v1/supervision/matters/${matter}/explanation`, { text: '说明' })).statusCode).toBe(403);
    const ex = await w.api.head('POST', `/api/v1/supervision/matters/${matter}/explanation`, { text: '超期系送检等待结果，已补办延期审批。' });
    expect(ex.statusCode, ex.body).toBe(200);
    expect((await w.api.head('POST', `/api/v1/supervision/matters/${matter}/instruments`, { kind: 'opinion', findings: 'x', requirements: 'y' })).statusCode).toBe(403);
    const ins = await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${matter}/instruments`, { kind: 'opinion', findings: '4 件案件超过法定期限且无延期审批。', requirements: '逐案补正并建立期限预警提醒制度。' });
    expect(ins.statusCode, ins.body).toBe(201);
    const m = ins.json();
    expect(m).toMatchObject({ status: 'instrument_issued', instrument: 'opinion', instrumentName: '行政执法监督意见书', instrumentNumber: '演示司执监意〔2026〕1号' });
    expect(m.clocks.find((c: { label: string }) => c.label === '整改报告')).toMatchObject({ due: '2026-12-25', running: true });
    const step = m.steps.find((s: { action: string }) => s.action === 'instrument_issued');
    expect(step.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    const blob = await w.app.ctx.db.query(`SELECT 1 FROM blob_attachments WHERE sha256 = $1 AND agency_id = $2`, [step.pdfSha256, w.ids.get('city_sfj')]);
    expect(blob.rows).toHaveLength(1);
    const ledger = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE subject_type = 'supervision_matter' AND subject_id = $1`, [matter]);
    expect(ledger.rows[0]!.n).toBe(3);

    const obj = await w.api.head('POST', `/api/v1/supervision/matters/${matter}/objection`, { text: '其中 2 件已依法中止，不应计入超期。' });
    expect(obj.statusCode, obj.body).toBe(200);
    expect(obj.json().clocks.find((c: { label: string }) => c.label === '异议复查')).toMatchObject({ due: '2026-12-10', running: true });
    const ext = await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${matter}/objection-extension`, { text: '需调阅中止审批材料' });
    expect(ext.json().clocks.find((c: { label: string }) => c.label === '异议复查').due).toBe('2026-12-25');
    expect((await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${matter}/objection-extension`, { text: '再延' })).statusCode).toBe(409);
    const dec = await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${matter}/objection-decision`, { upheld: false, text: '中止审批晚于期限届满，异议不成立。' });
    expect(dec.json().status).toBe('instrument_issued');
    const rep = await w.api.head('POST', `/api/v1/supervision/matters/${matter}/correction-report`, { text: '已逐案补正，制定《办案期限管理规定》。' });
    expect(rep.json().status).toBe('corrected');
    const closed = await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${matter}/close`, { text: '整改到位，予以办结。' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedOn: '2026-11-25', conclusion: '整改到位，予以办结。' });
    expect(closed.json().steps.map((s: { action: string }) => s.action)).toEqual(['opened', 'explained', 'instrument_issued', 'objected', 'objection_extended', 'objection_rejected', 'corrected', 'closed']);
  });

  it('an upheld objection withdraws the instrument; a decision is issued in the government’s name', async () => {
    const m = (await open({ title: '第二事项' })).json();
    await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${m.id}/instruments`, { kind: 'urging_letter', findings: '未按期公示', requirements: '立即公示' });
    await w.api.head('POST', `/api/v1/supervision/matters/${m.id}/objection`, { text: '已于法定期限内公示' });
    const up = (await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${m.id}/objection-decision`, { upheld: true, text: '经核实已按期公示。' })).json();
    expect(up.status).toBe('closed');
    expect(up.conclusion).toContain('异议成立');
    const m3 = (await open({ title: '第三事项' })).json();
    const d = await w.api.citySupervisor('POST', `/api/v1/supervision/matters/${m3.id}/instruments`, { kind: 'decision', findings: '拒不整改', requirements: '责令履行' });
    expect(d.statusCode, d.body).toBe(201);
    expect(d.json().instrumentNumber).toBe('演示人民政府执监决〔2026〕1号');
  });
});
