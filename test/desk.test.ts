// Issue 9: every desk item is scoped to its person and agency (GET /api/v1/me/work), and the
// accountability account (R-L09, GET /api/v1/cases/{id}/accountability) says who handled, reviewed and
// approved a decision, to whoever may read the case and nobody else.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, login } from './helpers/app.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';
import { loadCaseDemo } from '../src/cases/demo.ts';
import { startSequencer } from '../src/ledger/sequencer.ts';
import { logIdentity } from '../src/ledger/service.ts';
import { caseWorld, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

interface Item { kind: string; title: string; caseId: string | null; due: string | null; href: string }

let w: CaseWorld;
let officerB: ReturnType<typeof as>;
let adviser: ReturnType<typeof as>;
let otherAdmin: ReturnType<typeof as>;
let userA: string;
let userB: string;

const work = async (api: ReturnType<typeof as>): Promise<Item[]> => {
  const r = await api('GET', '/api/v1/me/work');
  expect(r.statusCode, r.body).toBe(200);
  const items = r.json().items as Item[];
  for (const i of items) {
    expect(Object.keys(i).sort()).toEqual(['caseId', 'due', 'href', 'kind', 'title']);
    expect(i.href).toMatch(/^\/admin\//);
  }
  return items;
};
const caseIds = (items: Item[]) => new Set(items.map((i) => i.caseId).filter((x): x is string => !!x));
const agencyOf = async (caseIdsIn: Set<string>) =>
  new Set((await w.app.ctx.db.query<{ agency_id: string }>(`SELECT DISTINCT agency_id FROM cases WHERE id = ANY($1::uuid[])`, [[...caseIdsIn]])).rows.map((r) => r.agency_id));

beforeAll(async () => {
  w = await caseWorld();
  await loadCaseDemo(w.app.ctx, w.ids);
  // A second officer of the same agency, with the demo password.
  await w.app.ctx.db.query(
    `INSERT INTO users (id, username, display_name, agency_id, role, password_hash)
     SELECT gen_random_uuid(), 'scjg_officer2', '市市场监管局 执法人员乙', agency_id, 'officer', password_hash FROM users WHERE username = 'scjg_officer'`,
  );
  officerB = as(w.app, await login(w.app, 'scjg_officer2', DEMO_PASSWORD));
  adviser = as(w.app, await login(w.app, 'sfj_reviewer', DEMO_PASSWORD));
  otherAdmin = as(w.app, await login(w.app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
  const ids = (await w.app.ctx.db.query<{ username: string; id: string }>(`SELECT username, id FROM users WHERE username IN ('scjg_officer', 'scjg_officer2')`)).rows;
  userA = ids.find((u) => u.username === 'scjg_officer')!.id;
  userB = ids.find((u) => u.username === 'scjg_officer2')!.id;
}, 600_000);
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

describe('GET /api/v1/me/work: every item is its person’s and agency’s', () => {
  it('officer A sees their cases and the review returned with problems; officer B of the same agency sees none of them, nor A theirs', async () => {
    const b = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '乙的案件', matter: MATTER, party: PARTY });
    expect(b.statusCode, b.body).toBe(201);
    const bCase = b.json().id as string;
    await officerB('POST', '/api/v1/cases', { procedureId: 'penalty-general', title: '乙自己的案件', matter: MATTER, party: PARTY }).then((r) => expect(r.statusCode, r.body).toBe(201));

    const a = await work(w.api.officer);
    const bItems = await work(officerB);
    expect(a.some((i) => i.caseId === bCase && i.kind === 'step')).toBe(true);
    // R-L07: the demo case whose first review came back with problems is on the submitting officer's desk.
    const returned = a.filter((i) => i.kind === 'review_returned');
    expect(returned.length).toBeGreaterThan(0);
    expect(returned[0]!.href).toBe(`/admin/cases/${returned[0]!.caseId}?tab=reviews`);

    const aIds = caseIds(a);
    const bIds = caseIds(bItems);
    expect(bIds.size).toBeGreaterThan(0);
    for (const id of bIds) expect(aIds.has(id), `A sees B's case ${id}`).toBe(false);
    // Every case on B's desk is B's: registered by B.
    const owners = await w.app.ctx.db.query<{ created_by: string }>(`SELECT DISTINCT created_by FROM cases WHERE id = ANY($1::uuid[])`, [[...bIds]]);
    expect(owners.rows.map((r) => r.created_by)).toEqual([userB]);
    const aOwners = await w.app.ctx.db.query<{ created_by: string }>(`SELECT DISTINCT created_by FROM cases WHERE id = ANY($1::uuid[])`, [[...aIds]]);
    expect(aOwners.rows.map((r) => r.created_by)).toEqual([userA]);
  });

  it('an officer of another agency sees nothing of the market regulator', async () => {
    const items = await work(w.api.otherOfficer);
    const agencies = await agencyOf(caseIds(items));
    expect(agencies.has(w.ids.get('city_scjg')!)).toBe(false);
  });

  it('the head sees approvals and clocks of their own agency only', async () => {
    const items = await work(w.api.head);
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((i) => i.kind === 'approval')).toBe(true);
    expect([...(await agencyOf(caseIds(items)))]).toEqual([w.ids.get('city_scjg')]);
  });

  it('a shared reviewer sees only the submissions assigned to them; the agency reviewer the unassigned ones of the agency, not those assigned to another', async () => {
    const assigned = await w.app.ctx.db.query<{ case_id: string }>(
      `SELECT x.case_id FROM legal_review_assignments x JOIN reviewers r ON r.id = x.roster_id JOIN users u ON u.id = r.user_id
        WHERE u.username = 'sfj_reviewer' AND NOT EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.review_id = x.review_id)`,
    );
    const items = await work(adviser);
    const ids = caseIds(items);
    expect([...ids].sort()).toEqual([...new Set(assigned.rows.map((r) => r.case_id))].sort());
    expect(items.some((i) => i.kind === 'workload')).toBe(true);

    const own = await work(w.api.reviewer);
    for (const id of caseIds(own)) expect(ids.has(id), `agency reviewer sees the adviser's assignment ${id}`).toBe(false);
    expect([...(await agencyOf(caseIds(own)))].every((a) => a === w.ids.get('city_scjg'))).toBe(true);
  });

  it('an agency administrator sees certificates and users of their own agency only', async () => {
    const items = await work(w.api.admin);
    expect(items.some((i) => i.kind === 'reviewer_ratio')).toBe(true);
    expect(items.some((i) => i.kind === 'users')).toBe(true);
    const certs = items.filter((i) => i.kind === 'certificate').map((i) => i.href.split('/').pop()!);
    if (certs.length) {
      const { rows } = await w.app.ctx.db.query<{ agency_id: string }>(`SELECT DISTINCT agency_id FROM officers WHERE id = ANY($1::uuid[])`, [certs]);
      expect(rows.map((r) => r.agency_id)).toEqual([w.ids.get('city_scjg')]);
    }
    const other = await work(otherAdmin);
    const otherCerts = new Set(other.filter((i) => i.kind === 'certificate').map((i) => i.href));
    for (const c of items.filter((i) => i.kind === 'certificate')) expect(otherCerts.has(c.href)).toBe(false);
  });

  it('a supervisor has no desk items here; without signing in there is no desk (401)', async () => {
    expect(await work(w.api.citySupervisor)).toEqual([]);
    const r = await w.app.server.inject({ method: 'GET', url: '/api/v1/me/work' });
    expect(r.statusCode).toBe(401);
  });
});

describe('GET /api/v1/cases/{id}/accountability (R-L09)', () => {
  const decided = async () =>
    (await w.app.ctx.db.query<{ id: string }>(
      `SELECT c.id FROM cases c WHERE c.agency_id = $1
          AND EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.case_id = c.id AND o.result = 'problems')
          AND EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.case_id = c.id AND o.result = 'passed')
          AND EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.step = 'penalty_decision')
        ORDER BY c.step_count LIMIT 1`,
      [w.ids.get('city_scjg')],
    )).rows[0]!.id;

  it('names who handled each step, both review rounds with what they found, who approved the decision, and the rule versions', async () => {
    const id = await decided();
    const r = await w.api.officer('GET', `/api/v1/cases/${id}/accountability`);
    expect(r.statusCode, r.body).toBe(200);
    const a = r.json();
    expect(a.caseId).toBe(id);
    expect(a.decision.step).toBe('penalty_decision');
    expect(a.decision.approvedBy.role).toBe('agency_head');
    expect(a.decision.approvedBy.name).not.toBe('');
    const filing = a.steps.find((s: { step: string }) => s.step === 'filing');
    expect(filing.officers.length).toBeGreaterThanOrEqual(2);
    expect(filing.approvedBy.role).toBe('agency_head');
    expect(filing.proof.eventId).toBeGreaterThan(0);
    expect(a.reviews.map((x: { round: number; result: string }) => [x.round, x.result])).toEqual([[1, 'problems'], [2, 'passed']]);
    expect(a.reviews[0].reviewer).toBeTruthy();
    expect(a.reviews[0].problems).toEqual(['证据链不完整']);
    // R-L07: round 2 answers round 1's problem, point by point (the demo's resubmission).
    expect(a.reviews[0].answers).toEqual([]);
    expect(a.reviews[1].answers).toEqual([{ problem: 0, problemText: '证据链不完整', answer: '已补充调查取证，完善证据链（演示数据）。' }]);
    expect(a.ruleVersions.procedure.id).toBe('penalty-general');
    expect(a.ruleVersions.procedure.version).toBeGreaterThanOrEqual(1);
    expect(a.ruleVersions).toHaveProperty('catalog');
    expect(a.ruleVersions).toHaveProperty('avRuleSets');

    const pdf = await w.api.officer('GET', `/api/v1/cases/${id}/accountability/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('is answered to whoever may read the case (the city supervisor) and to nobody else (404)', async () => {
    const id = await decided();
    expect((await w.api.citySupervisor('GET', `/api/v1/cases/${id}/accountability`)).statusCode).toBe(200);
    expect((await w.api.otherOfficer('GET', `/api/v1/cases/${id}/accountability`)).statusCode).toBe(404);
    expect((await w.api.otherOfficer('GET', `/api/v1/cases/${id}/accountability/pdf`)).statusCode).toBe(404);
    expect((await w.app.server.inject({ method: 'GET', url: `/api/v1/cases/${id}/accountability` })).statusCode).toBe(401);
  });

  it('goes into the archive package as accountability.json and .pdf, and the package still verifies offline', async () => {
    const { rows } = await w.app.ctx.db.query<{ id: string }>(
      `SELECT c.id FROM cases c WHERE c.agency_id = $1 AND c.status = 'archived'
          AND EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.case_id = c.id AND o.result = 'problems') LIMIT 1`,
      [w.ids.get('city_scjg')],
    );
    const id = rows[0]!.id;
    const seq = startSequencer(w.app.ctx, { intervalMs: 20 });
    await seq.flush(60_000);
    await seq.stop();
    const r = await w.api.officer('GET', `/api/v1/cases/${id}/archive-package?reason=${encodeURIComponent('移交档案室')}`);
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    const dir = fs.mkdtempSync(path.join(w.app.ctx.config.dataDir, 'pkg-'));
    const tar = path.join(dir, 'case.tar');
    fs.writeFileSync(tar, r.rawPayload);
    const listing = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toContain('accountability.json');
    expect(listing).toContain('accountability.pdf');
    execFileSync('tar', ['-xf', tar, '-C', dir, 'accountability.json']);
    const account = JSON.parse(fs.readFileSync(path.join(dir, 'accountability.json'), 'utf8'));
    expect(account.caseId).toBe(id);
    expect(account.reviews.some((x: { result: string }) => x.result === 'problems')).toBe(true);
    expect(account.steps.every((s: { proof: { ledgerIndex: number | null } }) => s.proof.ledgerIndex !== null)).toBe(true);
    const key = (await logIdentity(w.app.ctx)).verifierKey;
    const ok = spawnSync(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), '../src/cases/archive/verify-archive.mjs'), tar, '--key', key], { encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toContain('核验通过');
    expect(ok.status).toBe(0);
  });
});
