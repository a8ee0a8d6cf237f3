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
    const f = (r.json() as { fields: Record<string, unknown> }).fields;
    // R-R02: the structured decision, filled from the case: party with ID and address, officers, amount, payment.
    expect(f.party).toMatchObject({ type: 'individual', name: '李某', idNumber: '33010619900101123X', address: '演示市西湖区文三路1号' });
    expect(f.facts).toContain('当事人未按规定明码标价');
    expect(f.penalties).toEqual([{ kind: '罚款', amount: 50 }]);
    expect(f.payment).toMatchObject({ deadlineDays: 15 });
    expect((f.officers as { name: string }[]).map((o) => o.name).sort()).toEqual(w.officers.filter((x) => pair.includes(x.id)).map((o) => o.name).sort());
    // What the case does not know is never invented: the provisions, what the party said, what was told on the spot (R-P09).
    for (const k of ['violatedProvisions', 'penaltyBasis', 'statementHeard', 'reasonsTold', 'rightsTold']) expect(f).not.toHaveProperty(k);
    const fields = {
      ...f, violatedProvisions: '《中华人民共和国价格法》第十三条第一款', penaltyBasis: '《中华人民共和国价格法》第四十二条', statementHeard: '当事人未提出陈述、申辩。',
      remedies: { reviewBody: '演示市人民政府', court: '演示市西湖区人民法院' }, decidedAt: `${ON}T10:00`, reasonsTold: true, rightsTold: true, certificateShown: true,
    };
    // R-P09: a decision saying the party was not told the reasons and rights on the spot is refused.
    const untold = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'onsite_decision', on: ON, officerIds: pair, facts: { penaltyKind: 'fine', fineAmount: 50 }, documents: [{ type: 'onsite_penalty_decision', fields: { ...fields, rightsTold: false } }] });
    expect((expectProblem(untold, 400) as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('documents.0.fields.rightsTold');
    const decision = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, {
      step: 'onsite_decision', on: ON, officerIds: pair, facts: { penaltyKind: 'fine', fineAmount: 50 },
      documents: [{ type: 'onsite_penalty_decision', fields }],
    });
    expect(decision.statusCode, decision.body).toBe(201);
    // R-P16: the 当场处罚 is a penalty figure of the annual report, its kind and fine taken from the facts.
    const { rows } = await w.app.ctx.db.query<{ kind: string; fine: string }>(
      `SELECT f.kind, f.fine_yuan::text AS fine FROM case_penalty_figures f JOIN case_documents d ON d.id = f.document_id WHERE d.case_id = $1 AND d.type = 'onsite_penalty_decision'`, [caseId]);
    expect(rows).toEqual([{ kind: '罚款', fine: '50' }]);
  });

  it('writes the receipt naming the decision number, on the ground of art. 68(1) for 100 yuan or less, and a resend makes no second step', async () => {
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json() as { documents: { type: string; number: string }[] };
    const number = view.documents.find((d) => d.type === 'onsite_penalty_decision')!.number;
    expect(number).toMatch(/简罚/);
    const r = await w.api.officer('GET', `/api/v1/cases/${caseId}/document-prefill?type=fine_receipt&on=${ON}&officerIds=${pair.join(',')}`);
    const f = (r.json() as { fields: { decisionNumber: string; ground: string; amount: number } }).fields;
    expect(f.decisionNumber).toBe(number);
    expect(f.amount).toBe(50);
    expect(f.ground).toContain('第六十八条第一项（依法给予一百元以下罚款）');
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
