// An officer registers an AV record naming a registered body camera; the head opens the device in the
// register and sees the record, traced to its case (R-R10). The conduct-language guide of the AV list is
// shown at the step it covers; the demo's late hand-over is flagged on the device (R-R05). The head
// downloads an archived case's package through the case file's button: it carries each document's
// electronic format (fields as JSON with its JSON Schema, R-R02) and each AV record's retention from the
// AV list (R-R10), also shown on the case file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { approveStep, openCase, performStep, recordAv, registerCase, signIn, todayInChina } from './case-walk.ts';

let h: Harness;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-devices-'));
const video = path.join(tmp, '执法记录仪.mp4');
let officer: Page;
let head: Page;

beforeAll(async () => {
  h = await startHarness();
  fs.writeFileSync(video, Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), Buffer.alloc(256 * 1024, 7)]));
  const windowFor = async (username: string): Promise<Page> => {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, username);
    return page;
  };
  officer = await windowFor('scjg_officer');
  head = await windowFor('scjg_head');
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the device register', () => {
  it('an officer records with a registered body camera; the head sees the record on the device', async () => {
    const today = todayInChina();
    await officer.bringToFront();
    const url = await registerCase(officer, '行政处罚普通程序', '设备登记簿：涉嫌销售过期食品案');
    const caseNumber = ((await (await officer.context().request.get(`${h.baseUrl}/api/v1/cases/${url.split('/').pop()}`)).json()) as { number: string }).number;
    await performStep(officer, '案源登记', { on: today, officers: 2 });
    await openCase(head, h.baseUrl, url);
    await approveStep(head, '立案', today);
    await openCase(officer, h.baseUrl, url);
    await performStep(officer, '立案', { on: today, officers: 2, before: (d) => d.getByLabel('法定代表人（负责人）').first().fill('王某某') });
    // DSJ-2026-001 is a body camera of the demo register (src/devices/demo.ts).
    await recordAv(officer, officer.getByRole('button', { name: '登记音像：现场检查（勘验）' }), video, today);
    // The AV list's conduct-language guide is shown at the step it covers.
    await performStep(officer, '现场检查（勘验）', {
      on: today,
      officers: 2,
      before: async (d) => {
        await d.getByText('执法行为用语指引和记录重点', { exact: false }).click();
        const guide = d.getByLabel('执法行为用语指引');
        await guide.waitFor();
        expect(await guide.innerText()).toContain('这是我们的执法证件');
        await officer.screenshot({ path: path.join(SHOTS, 'devices-conduct-language.png') });
      },
    });

    await head.bringToFront();
    await head.getByRole('navigation', { name: '主菜单' }).getByText('执法记录设备', { exact: true }).click();
    await head.getByRole('link', { name: 'DSJ-2026-001', exact: true }).click();
    await head.getByRole('heading', { name: '设备 DSJ-2026-001' }).waitFor();
    const records = head.locator('.ant-card', { hasText: '该设备所作的记录' });
    await records.getByRole('link', { name: caseNumber, exact: true }).first().waitFor();
    const text = await records.innerText();
    expect(text).toContain('执法记录仪录像');
    expect(text).toContain('及时');
    // The demo's record uploaded 30 hours after the recording ended is flagged.
    expect(text).toMatch(/超过 24 小时时限/);
    await head.screenshot({ path: path.join(SHOTS, 'devices-detail.png'), fullPage: true });
    await head.getByRole('link', { name: '返回设备登记簿' }).click();
    await head.getByRole('link', { name: 'DSJ-2022-009', exact: true }).waitFor();
    await head.screenshot({ path: path.join(SHOTS, 'devices-list.png'), fullPage: true });
  });

  it('the head downloads an archived case\'s package: documents as data with their schemas, AV retention from the list (R-R02, R-R10)', async () => {
    await head.bringToFront();
    // An archived demo case of the agency with AV records and final documents.
    const req = head.context().request;
    const list = (await (await req.get(`${h.baseUrl}/api/v1/cases?status=archived&pageSize=200`)).json()) as { items: { id: string; number: string }[] };
    let picked: { id: string; number: string; retention: { title: string; retainUntil: string | null; period: string | null }[] } | undefined;
    for (const c of list.items) {
      const file = (await (await req.get(`${h.baseUrl}/api/v1/cases/${c.id}/file`)).json()) as { items: { kind: string }[]; avRetention: { title: string; retainUntil: string | null; period: string | null }[] };
      if (file.avRetention.some((x) => x.retainUntil) && file.items.filter((i) => i.kind === 'document').length > 3) {
        picked = { ...c, retention: file.avRetention };
        break;
      }
    }
    expect(picked, '演示数据中应有含音像记录的已归档案件').toBeDefined();
    await head.goto(`${h.baseUrl}/admin/cases/${picked!.id}`);
    await head.getByRole('tab', { name: '案卷' }).click();
    // R-R10: the case file shows each AV record's period and the date it is kept until.
    const table = head.getByRole('table', { name: '音像记录保存期限' });
    await table.waitFor();
    const shown = await table.innerText();
    const kept = picked!.retention.find((x) => x.retainUntil)!;
    expect(shown).toContain(kept.period!);
    expect(shown).toContain(kept.retainUntil!);
    await head.screenshot({ path: path.join(SHOTS, 'devices-archive-retention.png'), fullPage: true });

    // The download a user makes: the button, the reason, 导出.
    await head.getByRole('button', { name: '导出归档包' }).click();
    const dialog = head.getByRole('dialog', { name: '导出归档包' });
    await dialog.getByLabel('导出事由').fill('移交档案室');
    const [download] = await Promise.all([head.waitForEvent('download', { timeout: 120_000 }), dialog.getByRole('button', { name: '导出' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.tar$/);
    const tar = path.join(tmp, 'package.tar');
    await download.saveAs(tar);
    const dir = path.join(tmp, 'package');
    fs.mkdirSync(dir);
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      case: { number: string };
      files: { path: string; kind: string }[];
      formats: { path: string; kind: 'fields' | 'schema'; type: string; document?: string; sha256: string }[];
      avRetention: { title: string; period: string | null; retainUntil: string | null }[];
    };
    expect(manifest.case.number).toBe(picked!.number);
    // R-R02: every final document's PDF has its data (documents/*.json) and the schema of its type, listed in manifest.formats.
    const pdfs = manifest.files.filter((f) => f.kind === 'document');
    expect(pdfs.length).toBeGreaterThan(3);
    for (const f of pdfs) {
      const data = manifest.formats.find((x) => x.kind === 'fields' && x.document === f.path);
      expect(data, f.path).toBeDefined();
      expect(data!.path).toMatch(/^documents\/.+\.json$/);
      const doc = JSON.parse(fs.readFileSync(path.join(dir, data!.path), 'utf8')) as { type: string; fields: Record<string, unknown>; schema: string; contentSha256: string };
      expect(doc.contentSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.keys(doc.fields).length).toBeGreaterThan(0);
      expect(doc.schema).toBe(`schemas/${doc.type}.schema.json`);
      expect(manifest.formats.some((x) => x.kind === 'schema' && x.path === doc.schema)).toBe(true);
      const schema = JSON.parse(fs.readFileSync(path.join(dir, doc.schema), 'utf8')) as { type: string; required?: string[] };
      expect(schema.type).toBe('object');
      for (const k of schema.required ?? []) expect(doc.fields, `${doc.type}.${k}`).toHaveProperty(k);
    }
    // R-R10: the package keeps the AV records' retention as the case file showed it.
    expect(manifest.avRetention.find((x) => x.title === kept.title)).toMatchObject({ period: kept.period, retainUntil: kept.retainUntil });
  });
});
