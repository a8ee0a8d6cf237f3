// 执法事项清单 (R-P04) and its publicity workflow (R-P01), issue 10: draft → review → publish by the head
// with the responsible person and the ledger digest, versioning with effective dates and change reasons,
// the public API contract and cursor, the portal page with history, and the XLSX import (whole file or
// nothing, every bad row named).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWorld, type CaseWorld } from './cases.fixtures.ts';
import { MATTER_COLUMNS, parseLegalBasis } from '../src/registry/matters.ts';

let w: CaseWorld;
let scjg: string;
const pub = (url: string) => w.app.server.inject({ method: 'GET', url });
const input = (over: Record<string, unknown> = {}) => ({
  agencyId: scjg, code: 'T-XK-001', name: '测试食品经营许可', kind: '许可', duty: '实施食品经营许可',
  legalBasis: [{ law: '中华人民共和国食品安全法', article: '第三十五条', paragraph: '第一款' }], procedureId: 'licensing', level: '市级', effectiveFrom: '2025-01-01', ...over,
});

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('清单');
  ws.addRow([...MATTER_COLUMNS]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function multipart(buf: Buffer, filename: string) {
  const boundary = '----mattertest';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    buf, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: w.s.admin.cookie, 'x-csrf-token': w.s.admin.csrf } };
}

beforeAll(async () => {
  w = await caseWorld();
  scjg = w.ids.get('city_scjg')!;
}, 300_000);
afterAll(async () => {
  await w?.app.close();
});

describe('publicity workflow (R-P01, R-P04)', () => {
  let v1: string;
  it('a draft is not public; the head publishes it after review, named as responsible, with its digest in the ledger', async () => {
    const r = await w.api.admin('POST', '/api/v1/matters', input());
    expect(r.statusCode, r.body).toBe(201);
    v1 = r.json().id;
    expect(r.json()).toMatchObject({ version: 1, status: 'draft' });
    expect((await pub('/api/v1/public/matters?q=测试食品')).json().items).toHaveLength(0);
    // Publishing skips no step: a draft must be reviewed first.
    expect((await w.api.head('POST', `/api/v1/matter-versions/${v1}/publish`, { responsible: '张局长' })).statusCode).toBe(409);
    expect((await w.api.admin('POST', `/api/v1/matter-versions/${v1}/submit`)).statusCode).toBe(200);
    // The administrator drafts; only the head publishes (谁执法谁公示); another agency does not see it.
    expect((await w.api.admin('POST', `/api/v1/matter-versions/${v1}/publish`, { responsible: '管理员' })).statusCode).toBe(403);
    expect((await w.api.otherOfficer('GET', `/api/v1/matter-versions/${v1}`)).statusCode).toBe(404);
    const p = await w.api.head('POST', `/api/v1/matter-versions/${v1}/publish`, { responsible: '张局长' });
    expect(p.statusCode, p.body).toBe(200);
    const { rows } = await w.app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE kind = 'registry.matter_published' AND subject_id = $1`, [v1]);
    expect(rows[0]!.n).toBe(1);
    const list = (await pub(`/api/v1/public/matters?agency=${scjg}&kind=许可&q=测试食品`)).json();
    expect(Object.keys(list).sort()).toEqual(['items', 'nextCursor']);
    expect(list.items).toHaveLength(1);
    expect(Object.keys(list.items[0]).sort()).toEqual(['agency', 'code', 'effectiveFrom', 'kind', 'legalBasis', 'name', 'procedureId', 'version'].sort());
    expect(list.items[0]).toMatchObject({ code: 'T-XK-001', kind: '许可', agency: { id: scjg, name: '演示市市场监督管理局' }, procedureId: 'licensing', version: 1, effectiveFrom: '2025-01-01' });
    expect(list.items[0].legalBasis[0]).toMatchObject({ law: '中华人民共和国食品安全法', article: '第三十五条' });
  });

  it('a change is a new version with its reason; the old one stays in force until the new one takes effect, and history is kept', async () => {
    expect((await w.api.admin('POST', '/api/v1/matters', input({ name: '测试食品经营许可（调整）' }))).statusCode).toBe(400); // no reason
    const today = await w.api.admin('POST', '/api/v1/matters', input({ name: '测试食品经营许可（调整）', effectiveFrom: '2026-06-01', changeReason: '上位法修改' }));
    expect(today.statusCode, today.body).toBe(201);
    expect(today.json().version).toBe(2);
    // One open version per matter.
    expect((await w.api.admin('POST', '/api/v1/matters', input({ changeReason: '再改' }))).statusCode).toBe(409);
    await w.api.admin('POST', `/api/v1/matter-versions/${today.json().id}/submit`);
    expect((await w.api.head('POST', `/api/v1/matter-versions/${today.json().id}/publish`, { responsible: '张局长' })).statusCode).toBe(200);
    const future = await w.api.admin('POST', '/api/v1/matters', input({ name: '测试食品经营许可（明年版）', effectiveFrom: '2027-01-01', changeReason: '机构改革职责调整' }));
    await w.api.admin('POST', `/api/v1/matter-versions/${future.json().id}/submit`);
    await w.api.head('POST', `/api/v1/matter-versions/${future.json().id}/publish`, { responsible: '张局长' });
    const items = (await pub('/api/v1/public/matters?q=测试食品')).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ version: 2, name: '测试食品经营许可（调整）', effectiveFrom: '2026-06-01' });
    const page = await pub(`/matters/${scjg}/T-XK-001`);
    expect(page.statusCode).toBe(200);
    for (const s of ['第 3 版（待施行）', '第 2 版（现行）', '第 1 版', '上位法修改', '机构改革职责调整', '张局长']) expect(page.body).toContain(s);
    expect((await pub('/matters?kind=许可')).body).toContain('测试食品经营许可（调整）');
  });

  it('validates filters and follows the cursor', async () => {
    for (const code of ['T-CF-001', 'T-CF-002', 'T-CF-003']) {
      const r = await w.api.head('POST', '/api/v1/matters', input({ code, name: `测试处罚${code}`, kind: '处罚', procedureId: 'penalty-general' }));
      await w.api.head('POST', `/api/v1/matter-versions/${r.json().id}/submit`);
      await w.api.head('POST', `/api/v1/matter-versions/${r.json().id}/publish`, { responsible: '张局长' });
    }
    const first = (await pub('/api/v1/public/matters?kind=处罚&q=测试处罚&limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await pub(`/api/v1/public/matters?kind=处罚&q=测试处罚&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((i: { code: string }) => i.code)).toEqual(['T-CF-003']);
    expect(second.nextCursor).toBeNull();
    expect((await pub('/api/v1/public/matters?kind=奖励')).statusCode).toBe(400);
    expect((await pub('/api/v1/public/matters?cursor=bm90LWpzb24')).statusCode).toBe(400);
    expect((await w.api.head('POST', '/api/v1/matters', input({ code: 'T-X', procedureId: 'no-such-procedure' }))).statusCode).toBe(400);
  });
});

describe('XLSX import of the 权责清单 (whole file or nothing)', () => {
  it('parses written-out legal bases', () => {
    expect(parseLegalBasis('《中华人民共和国食品安全法》第一百二十四条第一款；《中华人民共和国行政处罚法》第28条')).toEqual([
      { law: '中华人民共和国食品安全法', article: '第一百二十四条', paragraph: '第一款' }, { law: '中华人民共和国行政处罚法', article: '第28条' },
    ]);
    expect(parseLegalBasis('食品安全法124条')).toBeNull();
  });

  it('names every bad row and imports nothing; a good file becomes drafts', async () => {
    const good = ['I-JC-001', '食品生产监督检查', '检查', '监督检查', '《中华人民共和国食品安全法》第一百一十条', 'inspection', '行政复议、行政诉讼', '市级', '2025-01-01', ''];
    const bad = await xlsx([
      good,
      ['I-JC-002', '无依据事项', '检查', '', '食品安全法', 'inspection', '', '市级', '2025-01-01', ''],
      ['I-JC-003', '错误类别', '奖励', '', '《中华人民共和国食品安全法》第五条', '', '', '市级', '2025-01-01', ''],
      ['I-JC-001', '重复编码', '检查', '', '《中华人民共和国食品安全法》第五条', '', '', '市级', '20250101', ''],
    ]);
    const r = await w.app.server.inject({ method: 'POST', url: `/api/v1/imports/matters?agencyId=${scjg}`, ...multipart(bad, 'list.xlsx') });
    expect(r.statusCode, r.body).toBe(422);
    const fields = (r.json().errors as { field: string }[]).map((e) => e.field).join(' ');
    for (const s of ['第3行.法律依据', '第4行.kind', '第5行.effectiveFrom']) expect(fields).toContain(s);
    expect((await w.api.admin('GET', `/api/v1/matters?agencyId=${scjg}&status=draft`)).json().items.some((i: { code: string }) => i.code.startsWith('I-JC'))).toBe(false);
    const ok = await w.app.server.inject({ method: 'POST', url: `/api/v1/imports/matters?agencyId=${scjg}`, ...multipart(await xlsx([good]), 'list.xlsx') });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().imported).toBe(1);
    const drafts = (await w.api.admin('GET', `/api/v1/matters?agencyId=${scjg}&status=draft`)).json().items;
    expect(drafts.find((i: { code: string }) => i.code === 'I-JC-001')).toMatchObject({ remedies: ['行政复议', '行政诉讼'], procedureId: 'inspection' });
    // Another agency's list cannot be imported into.
    const foreign = await w.app.server.inject({ method: 'POST', url: `/api/v1/imports/matters?agencyId=${w.ids.get('city_sthj')}`, ...multipart(await xlsx([good]), 'list.xlsx') });
    expect(foreign.statusCode).toBe(400);
  });
});

describe('service guides (R-P07)', () => {
  it('a guide missing an R-P07 field cannot be published; a complete one answers every field under its English key', async () => {
    const { GUIDE_FIELDS } = await import('../src/guides/service.ts');
    const { DEMO_GUIDE_FIELDS } = await import('../src/guides/demo.ts');
    // Only for a licensing matter in force of the agency's own list.
    expect((await w.api.head('POST', '/api/v1/guides', { agencyId: scjg, matterCode: 'T-CF-001', fields: {} })).statusCode).toBe(400);
    const partial = await w.api.admin('POST', '/api/v1/guides', { agencyId: scjg, matterCode: 'T-XK-001', fields: { phone: '0571-1234567' } });
    expect(partial.statusCode, partial.body).toBe(201);
    const id = partial.json().id;
    expect(partial.json().matterName).toBe('测试食品经营许可（调整）'); // taken from the version in force
    const refused = await w.api.head('POST', `/api/v1/guides/${id}/publish`, { responsible: '张局长' });
    expect(refused.statusCode).toBe(400);
    expect((refused.json().errors as { field: string }[]).map((e) => e.field)).toContain('fields.conditions');
    expect(refused.json().detail).toContain('申请条件');
    await w.api.admin('POST', '/api/v1/guides', { agencyId: scjg, matterCode: 'T-XK-001', fields: DEMO_GUIDE_FIELDS });
    expect((await w.api.admin('POST', `/api/v1/guides/${id}/publish`, { responsible: '管理员' })).statusCode).toBe(403);
    expect((await w.api.head('POST', `/api/v1/guides/${id}/publish`, { responsible: '张局长' })).statusCode).toBe(200);
    const g = (await pub(`/api/v1/public/guides/${id}`)).json();
    for (const k of Object.keys(GUIDE_FIELDS)) expect(g[k], k).toBeTruthy();
    expect(g.materials.length).toBeGreaterThan(0);
    expect(g.basis).toContain('中华人民共和国食品安全法');
    expect((await pub(`/api/v1/public/guides?agency=${scjg}`)).json().items.map((x: { id: string }) => x.id)).toContain(id);
    const page = await pub(`/guides/${id}`);
    expect(page.body).toContain('申请材料');
    expect(page.body).toContain('食品经营许可申请书');
  });
});
