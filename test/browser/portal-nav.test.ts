// The public portal's main navigation on a phone (390 px): every public area linked, the links wrap
// instead of overflowing, and each lands on its page.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 200_000);
afterAll(async () => {
  await h?.close();
});

describe('portal navigation', () => {
  it('links every public area (decisions, inspections, complaints, matters, guides, annual reports, benchmarks) and fits a 390 px phone', async () => {
    const context = await h.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/`);
    const nav = page.getByRole('navigation', { name: '主导航' });
    const links = await nav.getByRole('link').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href'), right: a.getBoundingClientRect().right })));
    for (const [text, href] of [['执法决定', '/decisions'], ['双随机抽查', '/inspections'], ['投诉举报', '/complaints'], ['事项清单', '/matters'], ['办事指南', '/guides'], ['统计年报', '/annual-reports'], ['裁量基准', '/benchmarks']]) expect(links).toContainEqual(expect.objectContaining({ text, href }));
    for (const l of links) expect(l.right, l.text!).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'portal-nav-390.png'), fullPage: false });
    for (const [text, heading] of [['双随机抽查', /抽查/], ['投诉举报', /投诉|举报/]] as const) {
      await page.goto(`${h.baseUrl}/`);
      await Promise.all([page.waitForURL(/\/(inspections|complaints)$/), nav.getByRole('link', { name: text }).tap()]);
      expect(await page.locator('h1').first().textContent()).toMatch(heading);
    }
    await context.close();
  }, 120_000);
});
