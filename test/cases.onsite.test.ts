// Issue 14 on the server: the summary procedure (当场处罚) with the texts the case writes itself, the
// receipt naming the decision's number, the signed-in officer's own registry entry, and a step sent
// twice after a network cut made once.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, expectProblem, MATTER, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
const ON = '2026-11-20';
const CITIZEN = { name: '李某', type: 'citizen', idType: 'id_card', idNumber: '33010619900101123X', address: '演示市西湖区文三路1号' } as const;

beforeAll(async () => {
  w = await caseWorld();
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('the signed-in officer (GET /api/v1/me/officer)', () => {
  it('is their linked registry entry with the signed URL of its QR (R-P08), null for an account that is no officer', async () => {
    const mine = (await w.api.officer('GET', '/api/v1/me/officer')).json() as { officer: { id: string; agencyId: string; effectiveStatus: string }; verifyUrl: string };
    expect(mine.officer.agencyId).toBe(w.ids.get('city_scjg'));
    expect(mine.officer.effectiveStatus).toBe('valid');
    expect(mine.verifyUrl).toMatch(/\/verify\/officer\/.+\?d=.+&s=/);
    expect((await w.api.head('GET', '/api/v1/me/officer')).json()).toEqual({ officer: null, verifyUrl: null });
  });
});

describe('当场处罚 (penalty-summary)', () => {
  let caseId: string;
  let pair: string[];
  it('writes the decision from the case: party with ID and address, officers, amount, payment, remedies', async () => {
    const me = ((await w.api.officer('GET', '/api/v1/me/officer')).json() as { officer: { id: string } }).officer.id;
    pair = [me, w.officers.find((o) => o.id !== me)!.id];
    const c = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-summary', title: '涉嫌未按规定明码标价案', matter: MATTER, party: CITIZEN });
    expect(c.statusCode, c.body).toBe(201);
    caseId = (c.json() as { id: string }).id;
    const notice = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'onsite_notice', on: ON, officerIds: pair, facts: { factsConfirmed: true, penaltyKind: 'fine', fineAmount: 50 } });
    expect(notice.statusCode, notice.body).toBe(201);
    const r = await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=onsite_penalty_decision&on=${ON}&officerIds=${pair.join(',')}`);
    const f = (r.json() as { fields: { party: string; body: string } }).fields;
    expect(f.party).toBe('李某，居民身份证号码：33010619900101123X，住址：演示市西湖区文三路1号');
    expect(f.body).toContain('二〇二六年十一月二十日');
    expect(f.body).toContain('当事人未按规定明码标价');
    expect(f.body).toContain('罚款人民币50元（伍拾元整）');
    expect(f.body).toContain('十五日内缴纳罚款');
    expect(f.body).toContain('六十日内依法申请行政复议');
    expect(f.body).toContain('六个月内依法向人民法院提起行政诉讼');
    for (const o of w.officers.filter((x) => pair.includes(x.id))) expect(f.body).toContain(`${o.name}（执法证号：${o.certificateNumber}）`);

    const decision = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, {
      step: 'onsite_decision', on: ON, officerIds: pair, facts: { penaltyKind: 'fine', fineAmount: 50 },
      documents: [{ type: 'onsite_penalty_decision', fields: { ...f, basis: '《中华人民共和国价格法》第十三条第一款、第四十二条' } }],
    });
    expect(decision.statusCode, decision.body).toBe(201);
  });

  it('writes the receipt naming the decision number, on the ground of art. 68(1) for 100 yuan or less, and a resend makes no second step', async () => {
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json() as { documents: { type: string; number: string }[] };
    const number = view.documents.find((d) => d.type === 'onsite_penalty_decision')!.number;
    expect(number).toMatch(/简罚/);
    const r = await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=fine_receipt&on=${ON}&officerIds=${pair.join(',')}`);
    const f = (r.json() as { fields: { body: string } }).fields;
    expect(f.body).toContain(`执行${number}当场行政处罚决定书`);
    expect(f.body).toContain('第六十八条第一项（依法给予一百元以下罚款）');
    // 第六十八条第一项: at 50 yuan the other grounds stay unanswered (false) and collection is allowed.
    const send = () => w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, {
      step: 'onsite_collection', on: ON, officerIds: pair, facts: { hardToEnforceLater: false, remoteArea: false }, documents: [{ type: 'fine_receipt', fields: f }], clientKey: 'phone-0001-collection',
    });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const again = await send();
    expect(again.statusCode, again.body).toBe(201);
    expect((again.json() as { seq: number }).seq).toBe((first.json() as { seq: number }).seq);
    const after = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json() as { steps: { step: string }[]; documents: { type: string }[] };
    expect(after.steps.map((s) => s.step)).toEqual(['onsite_notice', 'onsite_decision', 'onsite_collection']);
    expect(after.documents.filter((d) => d.type === 'fine_receipt')).toHaveLength(1);
    // The same key for another step is a mistake, not a replay.
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'remittance', on: ON, officerIds: pair, clientKey: 'phone-0001-collection' }), 400);
  });
});
