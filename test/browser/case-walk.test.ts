// Whole cases through the back office in Chromium, one window per person (officer, head, legal
// reviewer): a general-procedure penalty case from registration to archive, and a seizure that the
// engine refuses until its whole-process video is uploaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { openCase, signIn, walkPenaltyCase, walkSeizure, type Actors } from './case-walk.ts';

/** Some twenty forms filled and submitted one after another. */
const WALK_TIMEOUT = 600_000;
let h: Harness;
let a: Actors;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-walk-'));
/** A small MP4-looking file; two megabytes so that the upload reports progress more than once. */
const video = path.join(tmp, '执法记录仪.mp4');

beforeAll(async () => {
  h = await startHarness();
  fs.writeFileSync(video, Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), Buffer.alloc(2 * 1024 * 1024, 7)]));
  const windowFor = async (username: string): Promise<Page> => {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, username);
    return page;
  };
  a = { officer: await windowFor('scjg_officer'), head: await windowFor('scjg_head'), reviewer: await windowFor('scjg_reviewer'), baseUrl: h.baseUrl };
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a case through the back office', () => {
  it('walks a general-procedure penalty case from registration to archive (R-R01, R-L01, R-L09, R-R07)', async () => {
    const url = await walkPenaltyCase(a, video);
    const o = a.officer;
    await openCase(o, h.baseUrl, url);
    await o.getByText('已归档', { exact: true }).first().waitFor();

    await o.getByRole('tab', { name: /办理环节/ }).click();
    const steps = await o.getByRole('region', { name: '办理环节', exact: true }).innerText();
    for (const name of ['案源登记', '立案', '现场检查（勘验）', '法制审核', '作出行政处罚决定', '送达', '结案', '立卷归档']) expect(steps).toContain(name);
    // R-L09: the head's approval is printed with the step it allowed.
    expect(steps).toMatch(/批准：市市场监管局 局长/);

    await o.getByRole('tab', { name: /执法文书/ }).click();
    const documents = o.getByRole('table', { name: '执法文书' });
    const decision = documents.getByRole('row').filter({ hasText: '行政处罚决定书' });
    expect(await decision.innerText()).toMatch(/演示市监处罚〔\d{4}〕\d+号/);
    const allDocuments = await o.getByRole('region', { name: '执法文书', exact: true }).innerText();
    expect(allDocuments).toContain('案卷封面');
    expect(allDocuments).toContain('卷内文件目录');
    // The receipt drafted ahead was used by the 送达 step, not written a second time.
    expect(allDocuments.match(/送达回证/g)).toHaveLength(1);
    // Preview: the PDF opens inline in the page, not as a download.
    await decision.getByRole('button', { name: '预览 行政处罚决定书' }).click();
    const iframe = o.locator('iframe[title="行政处罚决定书 预览"]');
    const pdf = await o.request.get(`${h.baseUrl}${await iframe.getAttribute('src')}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(pdf.headers()['content-disposition']).toBe('inline');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await o.waitForTimeout(1500);
    await o.screenshot({ path: path.join(SHOTS, 'case-decision-preview.png') });
    await o.keyboard.press('Escape');

    await o.getByRole('tab', { name: /法制审核/ }).click();
    expect(await o.getByRole('region', { name: '法制审核', exact: true }).innerText()).toMatch(/审核通过[\s\S]*事实清楚/);

    // R-R06: viewing the video needs a reason, and the access is logged on the case.
    await o.getByRole('tab', { name: /记录与调阅/ }).click();
    await o.getByRole('button', { name: '查看 执法记录仪录像' }).first().click();
    await o.getByLabel('调阅事由').fill('核对现场检查过程');
    const [viewer] = await Promise.all([o.context().waitForEvent('page'), o.getByRole('button', { name: '查看', exact: true }).click()]);
    await viewer.waitForLoadState();
    await viewer.close();
    await o.getByRole('button', { name: '刷新案件' }).click();
    await o.getByRole('tab', { name: /记录与调阅/ }).click();
    await expect.poll(async () => o.getByRole('table', { name: '调阅日志' }).innerText()).toContain('核对现场检查过程');
    await o.screenshot({ path: path.join(SHOTS, 'case-archived.png'), fullPage: true });
  }, WALK_TIMEOUT);

  it('refuses a seizure without a whole-process video and takes it once the video is uploaded (R-R04)', async () => {
    const url = await walkSeizure(a, video);
    const o = a.officer;
    await openCase(o, h.baseUrl, url);
    await o.getByRole('tab', { name: /办理环节/ }).click();
    expect(await o.getByRole('region', { name: '办理环节', exact: true }).innerText()).toContain('实施查封、扣押');
    await o.getByRole('tab', { name: /记录与调阅/ }).click();
    const records = await o.getByRole('table', { name: '文字和音像记录' }).innerText();
    expect(records).toContain('录像');
    expect(records).toContain('DSJ-2026-001');
    // The seizure's clock (行政强制法第二十五条: thirty days) runs from today.
    expect(await o.getByRole('region', { name: '期限', exact: true }).innerText()).toContain('查封扣押期限');
    await o.screenshot({ path: path.join(SHOTS, 'case-seizure.png'), fullPage: true });
  }, WALK_TIMEOUT);
});
