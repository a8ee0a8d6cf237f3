// An officer finds overdue cases and opens one: clocks, steps and the procedure's flowchart (R-R01, R-P06).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('cases in the back office', () => {
  it('lists overdue cases and opens a case workspace with its clocks and steps', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${h.baseUrl}/admin/`);
    await page.getByLabel('用户名').fill('scjg_officer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('navigation', { name: '主菜单' }).getByText('案件', { exact: true }).click();
    await page.getByLabel('按期限筛选').click();
    await page.getByTitle('已逾期', { exact: true }).click();
    const open = page.getByRole('link', { name: /^查看 / }).first();
    await open.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'cases-overdue.png'), fullPage: true });
    await open.click();
    await page.getByRole('region', { name: '期限', exact: true }).waitFor();
    expect(await page.getByRole('region', { name: '期限', exact: true }).textContent()).toMatch(/届满/);
    expect(await page.getByRole('region', { name: '办理环节', exact: true }).textContent()).toMatch(/\d{4}-\d{2}-\d{2}.*执法人员/);
    await page.screenshot({ path: path.join(SHOTS, 'case-workspace.png'), fullPage: true });
    const [chart] = await Promise.all([page.context().waitForEvent('page').catch(() => null), page.getByRole('link', { name: '查看流程图' }).click()]);
    const target = chart ?? page;
    await target.waitForLoadState();
    expect(target.url()).toMatch(/\/procedures\/[a-z-]+/);
    expect(await target.locator('h1').textContent()).toMatch(/\p{Script=Han}/u);
    await page.close();
  });
});
