// Issue 15, defect 7: review attribution. R-L03 (reviewers on a roster, legal advisers shared across a
// system) and R-L07 (the review ends in a written opinion, signed): an opinion is attributed to the
// roster entry of the user who signs it, and a shared reviewer of the justice bureau reads and reviews
// the case assigned to them and nothing else of the agency.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login } from './helpers/app.ts';
import { DEMO_PASSWORD } from '../src/seed/demo.ts';
import { REVIEW_POINTS } from '../src/cases/schema.ts';
import { caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;
let adviser: ReturnType<typeof as>;
const roster = new Map<string, string>();

const checklist = Object.fromEntries(REVIEW_POINTS.map((p) => [p, { ok: true, note: '' }]));
const materials = ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'].map((kind) => ({ kind, note: '见卷' }));
const opinion = (extra: Record<string, unknown> = {}) => ({ on: '2026-10-09', result: 'passed', checklist, opinion: '事实清楚，证据充分，同意移送。', ...extra });

/** A case of 市市场监管局 standing at legal review (a transfer with several legal relations: major, R-L04). */
async function caseAtReview(title: string, reviewerId?: string, status = 201) {
  const c = (await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY, profile: { flags: ['complex_relations'], penaltyKinds: [] } })).json();
  const info = caseInfo(c, w.officers);
  const step = async (key: string, extra: Record<string, unknown>, types: string[]) => {
    const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/steps`, { step: key, on: '2026-10-08', officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(types, '2026-10-08', info), ...extra });
    expect(r.statusCode, `${key}: ${r.body}`).toBe(201);
  };
  await step('intake', { facts: { partyType: 'legal_person' } }, ['case_source_record']);
  expect((await w.api.head('POST', `/api/v1/cases/${c.id}/approvals`, { purpose: 'step', step: 'filing', on: '2026-10-08', opinion: '同意。' })).statusCode).toBe(201);
  await step('filing', {}, ['filing_approval']);
  await step('investigation_report', { facts: { proposedOutcome: 'transfer', collectiveDiscussionRequired: false } }, ['investigation_report']);
  const sub = await w.api.officer('POST', `/api/v1/cases/${c.id}/reviews`, { on: '2026-10-08', summary: '涉嫌犯罪，拟移送', proposedDecision: '移送公安机关', materials, declaration: true, ...(reviewerId ? { reviewerId } : {}) });
  expect(sub.statusCode, sub.body).toBe(status);
  return { caseId: c.id as string, reviewId: sub.json().id as string, sub };
}

beforeAll(async () => {
  w = await caseWorld();
  adviser = as(w.app, await login(w.app, 'sfj_reviewer', DEMO_PASSWORD));
  const { rows } = await w.app.ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM reviewers`);
  for (const r of rows) roster.set(r.name, r.id);
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('defect 7: review attribution (R-L03, R-L07)', () => {
  it('an opinion naming another roster entry than the signer’s is refused (403, audited); without one it is attributed to the signer’s entry', async () => {
    const { caseId, reviewId } = await caseAtReview('署名测试案');
    // scjg_reviewer is 孙法审 on the roster; 钱法审 is a colleague.
    for (const other of ['钱法审', '郑顾问']) {
      expectProblem(await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion({ rosterId: roster.get(other) })), 403);
    }
    const audited = await w.app.ctx.db.query(`SELECT 1 FROM audit_log WHERE action = 'cases.review_opinion' AND outcome = 'denied' AND username = 'scjg_reviewer'`);
    expect(audited.rows).toHaveLength(2);
    const r = await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion());
    expect(r.statusCode, r.body).toBe(201);
    const stored = await w.app.ctx.db.query<{ roster_id: string }>(`SELECT roster_id FROM legal_review_opinions WHERE review_id = $1`, [reviewId]);
    expect(stored.rows[0]!.roster_id).toBe(roster.get('孙法审'));
  });

  it('a reviewer who is on no roster entry cannot sign (R-L03)', async () => {
    const { caseId, reviewId } = await caseAtReview('名单外审核测试案');
    await w.app.ctx.db.query(`UPDATE reviewers SET user_id = NULL WHERE id = $1`, [roster.get('孙法审')]);
    try {
      expectProblem(await w.api.reviewer('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion()), 403);
    } finally {
      await w.app.ctx.db.query(`UPDATE reviewers SET user_id = (SELECT id FROM users WHERE username = 'scjg_reviewer') WHERE id = $1`, [roster.get('孙法审')]);
    }
  });

  it('the handling unit sees whom it may assign: its own bound entries, then shared advisers; the assignee is shown on the submission (R-L03)', async () => {
    const { caseId } = await caseAtReview('指派名单测试案', roster.get('郑顾问'));
    const r = await w.api.officer('GET', `/api/v1/cases/${caseId}/review-assignees`);
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as { rosterId: string; name: string; own: boolean; shared: boolean }[];
    expect(items[0]).toMatchObject({ rosterId: roster.get('孙法审'), own: true });
    expect(items.find((i) => i.name === '郑顾问')).toMatchObject({ own: false, shared: true });
    // Entries without an account cannot sign, so they are not offered.
    expect(items.some((i) => i.name === '钱法审')).toBe(false);
    expectProblem(await w.api.reviewer('GET', `/api/v1/cases/${caseId}/review-assignees`), 403);
    const view = (await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.reviews.at(-1).assignedTo).toMatchObject({ rosterId: roster.get('郑顾问'), name: '郑顾问', agencyName: '演示市司法局' });
  });

  it('a shared justice-bureau reviewer assigned to a case reads it and gives the opinion, and gets 404 on another case of the same agency', async () => {
    const other = await caseAtReview('未指派的案件');
    const { caseId, reviewId } = await caseAtReview('指派市司法局法律顾问审核的案件', roster.get('郑顾问'));

    const view = await adviser('GET', `/api/v1/cases/${caseId}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().party).not.toHaveProperty('idNumber');
    const r = await adviser('POST', `/api/v1/cases/${caseId}/reviews/${reviewId}/opinion`, opinion());
    expect(r.statusCode, r.body).toBe(201);
    const stored = await w.app.ctx.db.query<{ roster_id: string }>(`SELECT roster_id FROM legal_review_opinions WHERE review_id = $1`, [reviewId]);
    expect(stored.rows[0]!.roster_id).toBe(roster.get('郑顾问'));

    // Nothing more: the other case of the same agency, its opinion, the list, and writing on the assigned case.
    expectProblem(await adviser('GET', `/api/v1/cases/${other.caseId}`), 404);
    expectProblem(await adviser('POST', `/api/v1/cases/${other.caseId}/reviews/${other.reviewId}/opinion`, opinion()), 404);
    const list = (await adviser('GET', '/api/v1/cases?pageSize=200')).json();
    expect(list.items.some((c: { id: string }) => c.id === other.caseId)).toBe(false);
    // The assigned case is on the adviser's desk, so they can find what they may open.
    expect(list.items.some((c: { id: string }) => c.id === caseId)).toBe(true);
    expectProblem(await adviser('POST', `/api/v1/cases/${caseId}/steps`, { step: 'transfer', on: '2026-10-10', officerIds: [] }), 403);
    expectProblem(await adviser('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-10-10' }), 403);
  });

  it('a roster entry is bound only to a reviewer account of its own unit, one entry per account, by those who keep the roster', async () => {
    const userId = async (username: string) => (await w.app.ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username])).rows[0]!.id;
    const bind = (api: ReturnType<typeof as>, name: string, username: string) => userId(username).then((id) => api('PATCH', `/api/v1/reviewers/${roster.get(name)}`, { userId: id }));
    const before = (await w.app.ctx.db.query(`SELECT id, user_id FROM reviewers ORDER BY id`)).rows;
    expectProblem(await bind(w.api.admin, '钱法审', 'sfj_reviewer'), 400); // another unit's account
    expectProblem(await bind(w.api.admin, '钱法审', 'scjg_officer'), 400); // not a reviewer
    expectProblem(await bind(w.api.admin, '钱法审', 'scjg_reviewer'), 409); // already 孙法审's
    expectProblem(await bind(w.api.reviewer, '钱法审', 'scjg_reviewer'), 403); // the reviewer does not keep the roster
    expectProblem(await bind(w.api.admin, '郑顾问', 'scjg_reviewer'), 404); // another unit's roster
    expect((await w.app.ctx.db.query(`SELECT id, user_id FROM reviewers ORDER BY id`)).rows).toEqual(before);
    // Which account signs as an entry is shown to those who keep the roster only.
    const entryAs = async (api: ReturnType<typeof as>) => (await api('GET', '/api/v1/reviewers')).json().items.find((r: { name: string }) => r.name === '孙法审');
    expect(await entryAs(w.api.admin)).toMatchObject({ bound: true, username: 'scjg_reviewer' });
    expect(await entryAs(w.api.officer)).toMatchObject({ bound: true, username: null, userId: null });
  });

  it('only an active entry with an account, of the agency or shared, can be assigned; an unshared entry loses the grant', async () => {
    const c = await caseAtReview('共享撤回测试案', roster.get('郑顾问'));
    // 周法审 is on 市生态环境局's roster, not shared; 钱法审 has no account to sign with.
    for (const name of ['周法审', '钱法审']) {
      const { sub } = await caseAtReview(`指派${name}测试案`, roster.get(name), 400);
      expect(sub.json().errors).toEqual([expect.objectContaining({ field: 'reviewerId' })]);
    }
    const system = w.api.system;
    expect((await system('PATCH', `/api/v1/reviewers/${roster.get('郑顾问')}`, { shared: false })).statusCode).toBe(200);
    expectProblem(await adviser('GET', `/api/v1/cases/${c.caseId}`), 404);
    expect((await system('PATCH', `/api/v1/reviewers/${roster.get('郑顾问')}`, { shared: true })).statusCode).toBe(200);
    expect((await adviser('GET', `/api/v1/cases/${c.caseId}`)).statusCode).toBe(200);
  });
});
