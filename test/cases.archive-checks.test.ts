// R-R07: each completeness check of the case file, one case each, the case otherwise complete: a
// short case (立案前不予立案, or 撤销立案 after an inspection with its video) that archives as built,
// then with exactly one thing missing. Two of the checks (the procedure not finished, a draft left)
// are in cases.refusals.test.ts and cases.penalty.test.ts. Where the API itself refuses to make the
// gap (a document named by the case that is not in the file, a mandatory video lost), the gap is made
// beneath the application, as a damaged database or store would show it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAvRules } from '../src/cases/av-rules.ts';
import { addAvRecord, caseInfo, caseWorld, docs, expectProblem, MATTER, PARTY, type CaseWorld } from './cases.fixtures.ts';

let w: CaseWorld;

beforeAll(async () => {
  w = await caseWorld();
  // The agency makes the on-site inspection a matter of full-process recording (R-R03, R-R04).
  const agencyId = w.ids.get('city_scjg');
  const inspection = defaultAvRules().on_site_inspection!;
  const r = await w.api.admin('POST', '/api/v1/av-rule-sets', { agencyId, effectiveFrom: '2026-08-01', rules: { on_site_inspection: { ...inspection, requirement: 'mandatory', forms: ['video'] } } });
  expect(r.statusCode, r.body).toBe(201);
});
afterAll(async () => {
  await w?.app.close();
  fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true });
});

interface Built {
  id: string;
  step: (step: string, on: string, docTypes: string[], extra?: Record<string, unknown>) => Promise<void>;
  approve: (step: string, on: string) => Promise<void>;
}

async function openCase(title: string, profile?: object): Promise<Built> {
  const c = await w.api.officer('POST', '/api/v1/cases', { procedureId: 'penalty-general', title, matter: MATTER, party: PARTY, ...(profile ? { profile } : {}) });
  expect(c.statusCode, c.body).toBe(201);
  const info = caseInfo(c.json(), w.officers);
  const id = c.json().id as string;
  return {
    id,
    async step(step, on, docTypes, extra = {}) {
      const r = await w.api.officer('POST', `/api/v1/cases/${id}/steps`, { step, on, officerIds: w.officers.slice(0, 2).map((o) => o.id), documents: docs(docTypes, on, info), ...extra });
      expect(r.statusCode, `${step}: ${r.body}`).toBe(201);
    },
    async approve(step, on) {
      const r = await w.api.head('POST', `/api/v1/cases/${id}/approvals`, { purpose: 'step', step, on, opinion: '同意' });
      expect(r.statusCode, r.body).toBe(201);
    },
  };
}

/** 举报线索核查不予立案: intake, the head's approval not to file, done. */
async function notFiled(title: string, before?: (c: Built) => Promise<void>): Promise<Built> {
  const c = await openCase(title);
  await c.step('intake', '2026-09-01', ['case_source_record'], { facts: { partyType: 'citizen' } });
  await before?.(c);
  await c.approve('no_filing', '2026-09-02');
  await c.step('no_filing', '2026-09-02', ['no_filing_approval']);
  return c;
}

/** Filed, inspected on video (mandatory under the agency's list), then dismissed: returns the video. */
async function inspectedThenDismissed(title: string) {
  const c = await openCase(title);
  await c.step('intake', '2026-09-01', ['case_source_record'], { facts: { partyType: 'legal_person' } });
  await c.approve('filing', '2026-09-01');
  await c.step('filing', '2026-09-01', ['filing_approval']);
  const video = await addAvRecord(w, c.id, 'inspection', '2026-09-02');
  await c.step('inspection', '2026-09-02', ['inspection_record']);
  await c.approve('case_dismissal', '2026-09-04');
  await c.step('case_dismissal', '2026-09-04', ['case_dismissal_approval']);
  return { c, video };
}

/** What the file check finds: the reasons of GET /file and of a refused archive, which must agree. */
async function problems(caseId: string): Promise<string[]> {
  const file = (await w.api.officer('GET', `/api/v1/cases/${caseId}/file`)).json();
  expect(file.complete).toBe(false);
  const refused = expectProblem(await w.api.officer('POST', `/api/v1/cases/${caseId}/archive`, { on: '2026-09-10' }), 409);
  const reasons = file.missing.map((m: { reason: string }) => m.reason) as string[];
  for (const r of reasons) expect(refused.detail).toContain(r);
  expect((await w.api.officer('GET', `/api/v1/cases/${caseId}`)).json().status).not.toBe('archived');
  return reasons;
}

describe('R-R07: the case file check', () => {
  it('R-R07: the two cases as built are complete and archive (the control for every test below)', async () => {
    for (const c of [await notFiled('归档检查：对照（不予立案）'), (await inspectedThenDismissed('归档检查：对照（撤销立案）')).c]) {
      const file = (await w.api.officer('GET', `/api/v1/cases/${c.id}/file`)).json();
      expect(file.missing).toEqual([]);
      const r = await w.api.officer('POST', `/api/v1/cases/${c.id}/archive`, { on: '2026-09-10' });
      expect(r.statusCode, r.body).toBe(200);
    }
  });

  it('R-R07: a document the case names that is not in the file is reported', async () => {
    const c = await notFiled('归档检查：文书缺失');
    const ref = crypto.randomUUID();
    await w.app.ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{documents}', (state->'documents') || $2::jsonb) WHERE id = $1`, [
      c.id, JSON.stringify([{ type: 'inquiry_record', ref, on: '2026-09-02', seq: null }]),
    ]);
    expect(await problems(c.id)).toEqual([`案件记载的文书 inquiry_record（${ref}）不在案卷中`]);
  });

  it('R-R07: a document the case names that is not final is reported', async () => {
    const c = await notFiled('归档检查：文书未定稿');
    const draft = await w.api.officer('POST', `/api/v1/cases/${c.id}/documents`, { type: 'inquiry_record', fields: { body: '未完成' } });
    expect(draft.statusCode, draft.body).toBe(201);
    await w.app.ctx.db.query(`UPDATE cases SET state = jsonb_set(state, '{documents}', (state->'documents') || $2::jsonb) WHERE id = $1`, [
      c.id, JSON.stringify([{ type: 'inquiry_record', ref: draft.json().id, on: '2026-09-02', seq: null }]),
    ]);
    // A document not final is a draft, so the draft check names it too; the case's reference is its own reason.
    const found = await problems(c.id);
    expect(found).toHaveLength(2);
    expect(found).toEqual(expect.arrayContaining(['询问笔录尚未定稿', '询问笔录仍是草稿：请定稿或删除']));
  });

  it('R-R07: a step that had to be recorded on video without its video in the file is reported', async () => {
    const { c, video } = await inspectedThenDismissed('归档检查：音像记录丢失');
    // The engine refuses such a step (R-R04), so the video is taken away beneath it, as a damaged
    // database would show; the append-only triggers (R-R05) are what replication role set aside.
    await w.app.ctx.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`DELETE FROM case_step_records WHERE record_id = $1`, [video.id]);
      await tx.query(`DELETE FROM case_records WHERE id = $1`, [video.id]);
    });
    const seq = (await w.app.ctx.db.query<{ seq: number }>(`SELECT seq FROM case_steps WHERE case_id = $1 AND step = 'inspection'`, [c.id])).rows[0]!.seq;
    expect(await problems(c.id)).toEqual([`「现场检查（勘验）」（第 ${seq} 步）须全程音像记录，案卷中没有其录像或录音`]);
  });

  it('R-R07: an evidence file missing from the store is reported', async () => {
    const { c, video } = await inspectedThenDismissed('归档检查：证据文件缺失');
    const root = path.join(w.app.ctx.config.dataDir, 'evidence');
    const stored = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.includes(video.blobSha256));
    expect(stored).toHaveLength(1);
    fs.rmSync(path.join(stored[0]!.parentPath, stored[0]!.name));
    expect(await problems(c.id)).toEqual([`记录“inspection 执法记录仪录像”的文件在证据库中缺失或不完整（${video.blobSha256}）`]);
  });

  it('R-R07: an AV record of a step never performed is reported', async () => {
    const c = await notFiled('归档检查：音像记录未归属', async (b) => {
      await addAvRecord(w, b.id, 'inspection', '2026-09-01');
    });
    expect(await problems(c.id)).toEqual(['音像记录“inspection 执法记录仪录像”未归属任何已办理的环节（「现场检查（勘验）」尚未办理）']);
  });

  it('R-R07: a legal review submitted and never answered is reported', async () => {
    const c = await notFiled('归档检查：法制审核无意见');
    // The engine waits at the legal review until its opinion, so an unanswered submission in a
    // closed case is written beneath it (INSERT is what the append-only table allows).
    const event = (await w.app.ctx.db.query<{ id: number }>(`SELECT max(id) AS id FROM events WHERE subject_id = $1`, [c.id])).rows[0]!.id;
    await w.app.ctx.db.query(
      `INSERT INTO legal_reviews (id, case_id, round, submitter_name, on_date, summary, proposed_decision, materials, declaration, event_id)
       VALUES ($1, $2, 1, '执法人员', '2026-09-02', '案情', '不予立案', '[]', true, $3)`,
      [crypto.randomUUID(), c.id, event],
    );
    expect(await problems(c.id)).toEqual(['第 1 次法制审核报送尚无审核意见']);
  });
});
