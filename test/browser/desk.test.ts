// Issue 9: an officer's desk shows the case whose legal review came back with problems (R-L07); one
// click opens it on its review tab; the case's 责任追溯 tab (R-L09) shows who handled each step, who
// approved and what the review found.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the officer’s desk', () => {
  it('shows a review returned with problems, opens it in one click, and the accountability tab names steps, approvals and the review', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${h.baseUrl}/admin/`);
    await page.getByLabel('用户名').fill('scjg_officer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const desk = page.getByRole('region', { name: '我的待办' });
    await desk.waitFor();
    // The navigation counts what waits.
    await expect.poll(async () => page.getByRole('navigation', { name: '主菜单' }).textContent()).toMatch(/首页（待办 \d+）/);
    const returned = desk.locator('a[data-kind="review_returned"]').first();
    await returned.waitFor();
    expect(await returned.textContent()).toMatch(/法制审核退回补正/);
    await page.screenshot({ path: path.join(SHOTS, 'desk-officer.png'), fullPage: true });

    await returned.click();
    await page.waitForURL(/\/admin\/cases\/[0-9a-f-]{36}\?tab=reviews$/);
    const reviews = page.getByRole('region', { name: '法制审核', exact: true });
    await reviews.waitFor();
    expect(await reviews.textContent()).toMatch(/存在问题/);

    await page.getByRole('tab', { name: '责任追溯' }).click();
    const account = page.getByRole('region', { name: '责任追溯' });
    await account.getByRole('table', { name: '各环节承办与批准' }).waitFor();
    const text = (await account.textContent()) ?? '';
    expect(text).toMatch(/立案/);
    expect(text).toMatch(/机关负责人/); // the head approved filing
    expect(text).toMatch(/第 1 次报送/);
    expect(text).toMatch(/存在问题，退回补正/);
    expect(text).toMatch(/证据链不完整/);
    expect(text).toMatch(/行政处罚（普通程序）|普通程序/);
    await page.screenshot({ path: path.join(SHOTS, 'desk-accountability.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone: the desk items wrap and the bottom tab shows the count', async () => {
    const page = await h.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await page.goto(`${h.baseUrl}/admin/`);
    await page.getByLabel('用户名').fill('scjg_officer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('region', { name: '我的待办' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'desk-phone.png'), fullPage: true });
    await page.close();
  });
});
