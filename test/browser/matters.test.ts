// Issue 10 in Chromium: the head drafts the 2024 statistics report from the data in the back office,
// writes the narrative and publishes it (R-P16, R-P01); the portal shows it with its SVG charts on a
// phone, and the matter list page shows the version in force with its history (R-P04).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { signIn } from './case-walk.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 300_000);
afterAll(async () => {
  await h?.close();
});

describe('matter list and annual report', () => {
  it('the head publishes the annual report and its charts show on a phone', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, 'scjg_head');
    await page.goto(`${h.baseUrl}/admin/matters`);
    page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
    try {
      await page.getByText('食品经营许可').first().waitFor({ timeout: 20_000 });
    } finally {
      await page.screenshot({ path: path.join(SHOTS, 'matters-backoffice-list.png'), fullPage: true });
    }
    await page.getByLabel('年度').fill('2024');
    const row = page.locator('.ant-card').filter({ hasText: '行政执法统计年报' }).getByRole('row', { name: /演示市市场监督管理局/ });
    await row.getByRole('button', { name: '按数据生成' }).click();
    await row.getByRole('button', { name: '审定公布' }).click();
    await page.getByRole('textbox', { name: '情况说明' }).fill('一、总体情况：2024 年度执法情况良好。');
    await page.getByRole('button', { name: '公布', exact: true }).click();
    await row.getByText('已公布').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'matters-backoffice.png'), fullPage: true });

    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', javaScriptEnabled: false });
    const p = await phone.newPage();
    await p.goto(`${h.baseUrl}/annual-reports?year=2024`);
    await p.getByRole('link', { name: '演示市市场监督管理局' }).click();
    await p.getByText('第二部分 情况说明').waitFor();
    expect(await p.locator('.charts svg').count()).toBe(2);
    const box = await p.locator('.charts svg').first().boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    await p.screenshot({ path: path.join(SHOTS, 'annual-report-phone.png'), fullPage: true });
    await p.goto(`${h.baseUrl}/matters?kind=${encodeURIComponent('许可')}&agency=${encodeURIComponent('演示市市场监督管理局')}`);
    await p.getByRole('link', { name: '食品经营许可' }).first().click();
    await p.getByText('第 2 版（现行）').waitFor();
    await p.screenshot({ path: path.join(SHOTS, 'matter-history-phone.png'), fullPage: true });
  }, 300_000);
});
