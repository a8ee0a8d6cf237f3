// Issue 9, legal review as a domain: routing to the review body (R-L02), independent and qualified
// reviewers (R-L03, 行政处罚法第五十八条), review rules with a working-day clock (R-L08), point-by-point
// answers and rounds side by side (R-L07), coordination of a disagreement recorded in the case file (R-L08).
import fs from 'node:fs';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login } from './helpers/app.ts';
import { DEMO_PASSWORD } from '../src/seed/demo.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { REVIEW_POINTS } from '../src/cases/schema.ts';
import { accountabilityLines } from '../src/cases/accountability.ts';
import { DAILY_JOBS, runDueJobs } from '../src/jobs/service.ts';
import { caseFactsBatch, caseFactsOf } from '../src/cases/supervision-facts.ts';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let reviewer2: ReturnType<typeof as>;
const checklist = (ok = true) => Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: ok || p !== 'evidence_sufficient', note: ok ? '' : '证据链不完整' }]));
const materials = ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'].map((kind) => ({ kind, note: '见卷' }));
const opinion = (on: string, extra: Record<string, unknown> = {}) => ({ on, result: 'passed', checklist: checklist(), opinion: '事实清楚，证据充分，同意移送。', ...extra });

/** A case of 市市场监管局 at legal review (a transfer with several legal relations: major, R-L04). */
async function caseAtReview(title: string, on = '2026-10-08') {
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY, profile: { flags: ['complex_relations'], penaltyKinds: [] } })).json();
  const info = caseInfo(c, w.officers);
  const step = async (key: string, extra: Record<string, unknown>, types: string[]) => {
    const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: key, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, on, info), ...extra });
    expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
  };
  await step('intake', { facts: { partyType: 'legal_person' } }, ['case_source_record']);
  expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on, opinion: '同意。' })).statusCode).toBe(201);
  await step('filing', {}, ['filing_approval']);
  await step('investigation_report', { facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false } }, ['investigation_report']);
  const sub = await w.api.officer('POST', `/api/v1/cases/${c.id}/reviews`, { on, summary: '涉嫌犯罪，拟移送', proposedDecision: '移送公安机关', materials, declaration: true });
  expect(sub.statusCode, sub.body).toBe(201);
  return { caseId: c.id as string, reviewId: sub.json().id as string };
}

/** A reviewer account of 市市场监管局 bound to a new roster entry, with or without the qualification. */
async function newReviewer(username: string, name: string, qualificationNo: string) {
  const db = w.app.ctx.db;
  const userId = crypto.randomUUID();
  await db.query(`INSERT INTO users (id, username, display_name, agency_id, role, password_hash) VALUES ($1,$2,$3,$4,'reviewer',$5)`, [userId, username, name, w.ids.get('city_scjg'), await hashPassword(DEMO_PASSWORD)]);
  const rosterId = crypto.randomUUID();
  await db.query(`INSERT INTO reviewers (id, agency_id, name, role, user_id, legal_qualification_no) VALUES ($1,$2,$3,'reviewer',$4,$5)`, [rosterId, w.ids.get('city_scjg'), name, userId, qualificationNo]);
  return { api: as(w.app, await login(w.app, username, DEMO_PASSWORD)), rosterId };
}

beforeAll(async () => {
  w = await caseWorld();
  reviewer2 = as(w.app, await login(w.app, 'scjg_reviewer2', DEMO_PASSWORD));
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('who reviews (R-L02)', () => {
  it('an entrusted organisation’s decisions go to the entrusting agency’s review body', async () => {
    const r = await w.api.officer('GET', `/api/v1/agencies/${w.ids.get('xh_jd')}/review-body`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ route: 'entrusting', bodyAgencyId: w.ids.get('xh_zhzf'), bodyAgencyName: '演示市西湖区综合行政执法局' });
  });

  it('a government’s own decisions go to its justice bureau', async () => {
    const r = (await w.api.officer('GET', `/api/v1/agencies/${w.ids.get('city_gov')}/review-body`)).json();
    expect(r).toMatchObject({ route: 'justice_bureau', bodyAgencyId: w.ids.get('city_sfj'), bodyAgencyName: '演示市司法局' });
  });

  it('the body is registered by the justice bureau’s side, not by the agency itself; a submission is routed to it', async () => {
    const body = { bodyAgencyId: w.ids.get('city_scjg'), unitName: '政策法规处', registeredOn: '2026-02-01' };
    expectProblem(await w.api.admin('PUT', `/api/v1/agencies/${w.ids.get('city_scjg')}/review-body`, body), 403);
    const { caseId } = await caseAtReview('路由测试案');
    const rounds = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-rounds`)).json();
    expect(rounds.rounds[0].route).toMatchObject({ route: 'own', bodyAgencyId: w.ids.get('city_scjg'), unitName: '法规科', rulesVersion: 1 });
  });
});

describe('the reviewer (R-L03)', () => {
  it('a first-time reviewer without the legal professional qualification is refused with the reason', async () => {
    const fresh = await newReviewer('scjg_reviewer_new', '新法审', '');
    const { caseId, reviewId } = await caseAtReview('初次审核资格测试案');
    const r = expectProblem(await fresh.api('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion('2026-10-09')), 403);
    expect(r.detail).toContain('第五十八条第二款');
    const assignees = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-assignees`)).json();
    expect(assignees.items.find((i: { name: string }) => i.name === '新法审')).toMatchObject({ eligible: false, openReviews: 0 });
    // With the certificate recorded, the same person may review.
    await w.app.ctx.db.query(`UPDATE reviewers SET legal_qualification_no = 'A20243301060001' WHERE id = $1`, [fresh.rosterId]);
    expect((await fresh.api('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion('2026-10-09'))).statusCode).toBe(201);
  });

  it('a reviewer who handled the case (drafted a document of it) is refused with the reason, and cannot be assigned', async () => {
    const { caseId, reviewId } = await caseAtReview('审核回避测试案');
    const draft = await reviewer2('POST', `/api/v1/cases/${caseId}/documents`, { type: 'inquiry_record', fields: {} });
    expect(draft.statusCode, draft.body).toBe(201);
    const r = expectProblem(await reviewer2('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion('2026-10-09')), 403);
    expect(r.detail).toContain('参与过本案办理');
    const roster = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM reviewers WHERE name = '王法审'`)).rows[0]!.id;
    const assign = await w.api.head('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/assign`, { rosterId: roster });
    expect(expectProblem(assign, 400).detail).toContain('参与过本案办理');
    const item = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-assignees`)).json().items.find((i: { name: string }) => i.name === '王法审');
    expect(item.eligible).toBe(false);
    expect(item.refusal).toContain('参与过本案办理');
    // The body's head assigns an eligible member instead; the officer cannot assign.
    const sun = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM reviewers WHERE name = '孙法审'`)).rows[0]!.id;
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/assign`, { rosterId: sun }), 403);
    expect((await w.api.head('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/assign`, { rosterId: sun })).statusCode).toBe(201);
  });
});

describe('rules, clock, rounds and coordination (R-L07, R-L08)', () => {
  it('the review clock counts working days across 国庆 2026 and the overdue review is shown as such', async () => {
    const { caseId } = await caseAtReview('国庆审核时限测试案', '2026-09-30');
    const round = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-rounds`)).json().rounds[0];
    // 7 working days (the regulator's rules v1) from 2026-09-30: 10-01…10-07 off, 10-10 (Saturday) worked.
    expect(round.clock).toMatchObject({ dueOn: '2026-10-15', warnOn: '2026-10-13', status: 'overdue' });
    // The overdue review reaches the supervisor as an alert (R-L08).
    expect((await w.api.citySupervisor('POST', '/api/v1/supervision/alerts/recompute', { from: '2026-01-01' })).statusCode).toBe(200);
    const alerts = (await w.api.citySupervisor('GET', `/api/v1/supervision/alerts?kind=review_overdue&agency=${w.ids.get('city_scjg')}&limit=200`)).json();
    expect(alerts.items.find((a: { caseId: string }) => a.caseId === caseId)).toMatchObject({ kind: 'review_overdue', status: 'open' });
  });

  it('problems answered point by point, resubmitted, a different reviewer passes round 2; rounds side by side', async () => {
    const { caseId, reviewId } = await caseAtReview('两轮审核测试案');
    const r1 = await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion('2026-10-09', { result: 'problems', checklist: checklist(false), opinion: '证据不足，退回补正。', problems: ['缺少涉案物品价值鉴定', '未附当事人陈述'] }));
    expect(r1.statusCode, r1.body).toBe(201);
    const step = await w.api.officer('POST', `/api/v1/cases/${caseId}/steps`, { step: 'review_resubmission', on: '2026-10-10', officerIds: w.officers.slice(0, 2).map((o) => o.id) });
    expect(step.statusCode, step.body).toBe(201);
    const again = { on: '2026-10-12', summary: '已补充价值鉴定及当事人陈述，涉嫌犯罪，拟移送', proposedDecision: '移送公安机关', materials, declaration: true };
    const partial = expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, { ...again, answers: [{ problem: 0, answer: '已委托价格认定' }] }), 409, ['problem_unanswered']);
    expect(partial.refusals!.map((x) => x.reason).join()).toContain('未附当事人陈述');
    const sub2 = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews`, { ...again, answers: [{ problem: 0, answer: '已委托价格认定，附认定书' }, { problem: 1, answer: `已补充陈述笔录，于${PARTY.address}送达` }] });
    expect(sub2.statusCode, sub2.body).toBe(201);
    const pass = await reviewer2('POST', `/api/v1/cases/${caseId}/reviews/${sub2.json().id}/opinion`, opinion('2026-10-13'));
    expect(pass.statusCode, pass.body).toBe(201);
    expect(pass.json().opinion.reviewer).toBe('市市场监管局 法制审核员（二）');
    const { rounds } = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-rounds`)).json();
    expect(rounds.map((x: { result: string }) => x.result)).toEqual(['problems', 'passed']);
    expect(rounds[1].answers.map((a: { problemText: string }) => a.problemText)).toEqual(['缺少涉案物品价值鉴定', '未附当事人陈述']);
    expect(rounds[1].changes).toEqual([{ field: 'summary', label: '案件情况说明', before: '涉嫌犯罪，拟移送', after: again.summary }]);
    // What the alert rules read of the reviews (R-R08's review_missing and review_overdue), the same in the
    // recomputation's batch as case by case: round 1's opinion on 10-09 did not pass, round 2's on 10-13 did.
    const db = w.app.ctx.db;
    const batch = (await caseFactsBatch(db, { afterId: null, limit: 100_000, from: '2000-01-01' })).find((f) => f.id === caseId)!;
    const [single] = await caseFactsOf(db, [caseId], { unchangedBefore: '2100-01-01' });
    for (const f of [batch, single!]) {
      expect(f.passedReviews).toEqual(['2026-10-13']);
      expect(f.reviewClocks!.map((c) => [c.round, c.openedOn])).toEqual([[1, '2026-10-09'], [2, '2026-10-13']]);
    }
  });

  it('the accountability account gives each round’s answers, problem → answer, minimised like the case (R-L09, R-L07, R-P14)', async () => {
    const caseId = (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM cases WHERE title = '两轮审核测试案'`)).rows[0]!.id;
    const a = (await w.api.officer('GET', `/api/v1/cases/${caseId}/accountability`)).json();
    expect(a.reviews.map((r: { round: number; answers: unknown[] }) => [r.round, r.answers.length])).toEqual([[1, 0], [2, 2]]);
    expect(a.reviews[1].answers).toEqual([
      { problem: 0, problemText: '缺少涉案物品价值鉴定', answer: '已委托价格认定，附认定书' },
      { problem: 1, problemText: '未附当事人陈述', answer: `已补充陈述笔录，于${PARTY.address}送达` },
    ]);
    // The supervisor reads the case without the party's address, here as everywhere: in the account, its
    // PDF's text and the review tab alike.
    const s = (await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}/accountability`)).json();
    expect(s.reviews[1].answers[1].answer).toBe('已补充陈述笔录，于（已隐去）送达');
    expect(JSON.stringify(s)).not.toContain(PARTY.address);
    expect(accountabilityLines(a).join('\n')).toContain(`逐项说明 问题 2（未附当事人陈述）：已补充陈述笔录，于${PARTY.address}送达`);
    expect(accountabilityLines(s).join('\n')).not.toContain(PARTY.address);
    expect((await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}/accountability/pdf`)).statusCode).toBe(200);
    const tab = (await w.api.citySupervisor('GET', `/api/v1/cases/${caseId}/review-rounds`)).json();
    expect(tab.rounds[1].answers[1].answer).toBe('已补充陈述笔录，于（已隐去）送达');
    expect((await w.api.officer('GET', `/api/v1/cases/${caseId}/review-rounds`)).json().rounds[1].answers[1].answer).toContain(PARTY.address);
  });

  it('a disagreement is escalated and settled by collective discussion; the outcome is a document in the case file', async () => {
    const { caseId, reviewId } = await caseAtReview('分歧协调测试案');
    await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion('2026-10-09', { result: 'problems', checklist: checklist(false), opinion: '不宜移送。', problems: ['尚不构成犯罪'] }));
    const raised = await w.api.officer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/coordination`, { on: '2026-10-10', reason: '承办机构认为涉案金额已达立案追诉标准。' });
    expect(raised.statusCode, raised.body).toBe(201);
    const outcome = { on: '2026-10-12', method: 'collective', participants: ['局长', '副局长', '法规科科长'], conclusion: '经集体讨论，同意移送公安机关。' };
    expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/coordinations/${raised.json().id}/outcome`, outcome), 403);
    expectProblem(await w.api.head('POST', `/api/v1/cases/${caseId}/coordinations/${raised.json().id}/outcome`, { ...outcome, participants: ['局长'] }), 400);
    const settled = await w.api.head('POST', `/api/v1/cases/${caseId}/coordinations/${raised.json().id}/outcome`, outcome);
    expect(settled.statusCode, settled.body).toBe(201);
    expect(settled.json()).toMatchObject({ status: 'settled', method: 'collective', participants: outcome.participants, conclusion: outcome.conclusion });
    const file = await w.api.officer('GET', `/api/v1/cases/${caseId}`);
    const doc = file.json().documents.find((d: { type: string }) => d.type === 'review_coordination_record');
    expect(doc).toMatchObject({ id: settled.json().documentId, status: 'final' });
  });
});

describe('the daily job judges open reviews against their clock (R-L08)', () => {
  it('a review due right after the 中秋 holiday weekend raises review_overdue on the run for the day after the deadline, not before', async () => {
    // Submitted Thursday 2026-09-17; 7 working days: 09-20 (Sunday) is worked, 09-25…09-27 are off.
    const { caseId } = await caseAtReview('中秋审核时限巡检案', '2026-09-17');
    const round = (await w.api.officer('GET', `/api/v1/cases/${caseId}/review-rounds`)).json().rounds[0];
    expect(round.clock.dueOn).toBe('2026-09-28');
    // Nobody touches the case after submitting it: only the clock moves.
    await w.app.ctx.db.query(`UPDATE cases SET updated_at = '2026-09-17T10:00:00+08:00' WHERE id = $1`, [caseId]);
    const jobs = DAILY_JOBS.filter((j) => j.name === 'supervision.recompute');
    const alert = async () =>
      (await w.app.ctx.db.query<{ raised_on: string; status: string }>(`SELECT raised_on::text, status FROM supervision_alerts WHERE kind = 'review_overdue' AND case_id = $1`, [caseId])).rows;
    expect((await runDueJobs(w.app.ctx, { today: '2026-09-26', jobs })).map((r) => `${r.day}:${r.status}`)).toEqual(['2026-09-26:done']);
    // The holiday weekend and the deadline day itself (a naive 7 calendar days would have ended on 09-24).
    expect((await runDueJobs(w.app.ctx, { today: '2026-09-28', jobs })).map((r) => `${r.day}:${r.status}`)).toEqual(['2026-09-27:done', '2026-09-28:done']);
    expect(await alert()).toEqual([]);
    expect((await runDueJobs(w.app.ctx, { today: '2026-09-29', jobs })).map((r) => `${r.day}:${r.status}`)).toEqual(['2026-09-29:done']);
    expect(await alert()).toEqual([{ raised_on: '2026-09-29', status: 'open' }]);
  });
});
