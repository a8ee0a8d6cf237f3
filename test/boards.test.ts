// 岗位信息公示牌 (R-P10) and its publicity workflow (R-P01), issue 10: draft → review → publish by the
// head with the responsible person, the published digest in the ledger, history kept, the portal page
// showing the version in force and its date, the A4 PDF, and scoping to the agency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { DEMO_BOARD } from '../src/boards/demo.ts';

let w: CaseWorld;
let scjg: string;
const pub = (url: string) => w.app.server.inject({ method: 'GET', url });

beforeAll(async () => {
  w = await caseWorld();
  scjg = w.ids.get('city_scjg')!;
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

describe('post boards (R-P10, R-P01)', () => {
  let v1: string;
  let v2: string;
  it('validates every R-P10 field in Chinese', async () => {
    const { staffName: _, ...missing } = DEMO_BOARD;
    const r = await w.api.admin('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B1', fields: missing });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toContain('fields.staffName');
    const none = await w.api.admin('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B1', fields: { ...DEMO_BOARD, sampleMaterials: [] } });
    expect(none.json().detail).toContain('请至少列出一项示范材料');
  });

  it('a draft is not public; the head publishes it after review, named as responsible, its digest in the ledger', async () => {
    const d = await w.api.admin('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B1', fields: DEMO_BOARD });
    expect(d.statusCode, d.body).toBe(201);
    v1 = d.json().id;
    expect(d.json()).toMatchObject({ version: 1, status: 'draft' });
    expect((await pub(`/api/v1/public/post-boards/${v1}`)).statusCode).toBe(404);
    // No step is skipped: a draft is reviewed first; the administrator does not publish (谁执法谁公示).
    expect((await w.api.head('POST', `/api/v1/post-boards/${v1}/publish`, { responsible: '张局长' })).statusCode).toBe(409);
    expect((await w.api.admin('POST', `/api/v1/post-boards/${v1}/submit`)).statusCode).toBe(200);
    expect((await w.api.admin('POST', `/api/v1/post-boards/${v1}/publish`, { responsible: '管理员' })).statusCode).toBe(403);
    // Another agency's officer neither sees nor drafts it.
    expect((await w.api.otherOfficer('GET', `/api/v1/post-boards/${v1}`)).statusCode).toBe(404);
    expect((await w.api.officer('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B9', fields: DEMO_BOARD })).statusCode).toBe(403);
    const p = await w.api.head('POST', `/api/v1/post-boards/${v1}/publish`, { responsible: '张局长' });
    expect(p.statusCode, p.body).toBe(200);
    const digest = p.json().contentSha256;
    const { rows } = await w.app.ctx.db.query<{ d: string }>(`SELECT data->>'contentSha256' AS d FROM events WHERE kind = 'boards.published' AND subject_id = $1`, [v1]);
    expect(rows.map((r) => r.d)).toEqual([digest]);
    // The content digest is committed to the ledger (pending integration or already in the tree).
    const ledger = await w.app.ctx.db.query(`SELECT 1 FROM ledger_pending WHERE position(convert_to($1, 'UTF8') in entry) > 0 UNION ALL SELECT 1 FROM ledger_entries WHERE content = decode($1, 'hex')`, [digest]);
    expect(ledger.rows.length).toBeGreaterThan(0);
    const b = (await pub(`/api/v1/public/post-boards/${v1}`)).json();
    expect(b).toMatchObject({ window: 'B1', version: 1, responsible: '张局长', inForce: true, staffName: DEMO_BOARD.staffName, consultation: DEMO_BOARD.consultation });
  });

  it('a new version supersedes the old one; the portal shows the version in force, its date and the history', async () => {
    const d = await w.api.admin('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B1', fields: { ...DEMO_BOARD, staffName: '赵敏' } });
    v2 = d.json().id;
    expect(d.json().version).toBe(2);
    await w.api.admin('POST', `/api/v1/post-boards/${v2}/submit`);
    // Under review the draft cannot be rewritten behind the reviewer's back.
    expect((await w.api.admin('POST', '/api/v1/post-boards', { agencyId: scjg, window: 'B1', fields: DEMO_BOARD })).statusCode).toBe(409);
    expect((await w.api.head('POST', `/api/v1/post-boards/${v2}/publish`, { responsible: '张局长' })).statusCode).toBe(200);
    const list = (await pub(`/api/v1/public/post-boards?agency=${scjg}`)).json().items.filter((x: { window: string }) => x.window === 'B1');
    expect(list.map((x: { id: string }) => x.id)).toEqual([v2]);
    const old = (await pub(`/api/v1/public/post-boards/${v1}`)).json();
    expect(old.inForce).toBe(false);
    expect(old.history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    const page = await pub(`/boards/${v2}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('赵敏');
    expect(page.body).toMatch(/现行第 2 版 · \d{4}-\d{2}-\d{2} 公布/);
    expect(page.body).toContain('<svg');
    expect((await pub(`/boards/${v1}`)).body).toContain('已被替代');
  });

  it('prints as an A4 PDF with the Chinese face', async () => {
    const r = await pub(`/boards/${v2}/pdf`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.rawPayload.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });
});
