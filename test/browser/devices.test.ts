// An officer registers an AV record naming a registered body camera; the head opens the device in the
// register and sees the record, traced to its case (R-R10). The conduct-language guide of the AV list is
// shown at the step it covers; the demo's late hand-over is flagged on the device (R-R05).
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
});
