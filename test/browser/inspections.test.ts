// 双随机一公开 in Chromium (R-D02, issue 11): the agency head makes and publishes a plan with one task,
// the two independent parties' secrets are committed by hash, revealed, and the draw runs; the public
// task page recomputes the draw in the browser (its own SHA-256, checked against WebCrypto) and says it matches, and says it does not
// once a published candidate is tampered with on the way.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { signIn } from './case-walk.ts';

let h: Harness;
let head: Page;

beforeAll(async () => {
  h = await startHarness();
  const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  head = await ctx.newPage();
  await signIn(head, h.baseUrl, 'scjg_head');
});
afterAll(async () => h?.close());

describe('a random inspection draw through the back office and the portal', () => {
  let taskId = '';

  it('publishes a plan, commits a task, takes two reveals and draws', async () => {
    const p = head;
    await p.goto(`${h.baseUrl}/admin/inspections`);
    await p.getByRole('heading', { name: '双随机抽查' }).waitFor();
    await p.getByRole('button', { name: '新建抽查计划' }).click();
    const planModal = p.locator('.ant-modal-container').filter({ hasText: '新建抽查计划' });
    await planModal.getByLabel('计划名称').fill('浏览器测试抽查计划');
    await planModal.getByRole('button', { name: '保存' }).click();
    const planRow = p.getByRole('row').filter({ hasText: '浏览器测试抽查计划' });
    await planRow.getByRole('button', { name: '新建任务' }).click();
    const taskModal = p.locator('.ant-modal-container').filter({ hasText: '新建抽查任务' });
    await taskModal.getByLabel('抽查事项（随机抽查事项清单）').click();
    await p.locator('.ant-select-item-option').filter({ hasText: '企业公示信息抽查' }).first().click();
    await taskModal.getByLabel('任务名称').fill('浏览器测试任务');
    await taskModal.getByLabel('范围：行政区划代码前缀（可空）').fill('330105');
    await taskModal.getByRole('button', { name: '保存' }).click();
    await p.getByRole('button', { name: '公布 浏览器测试抽查计划' }).click();
    await p.getByText(/已公布 \d{4}-\d{2}-\d{2}/).first().waitFor();
    await p.getByRole('button', { name: /^(抽取仪式|查看结果)：浏览器测试任务$/ }).click();

    const drawer = p.locator('.ant-drawer-body');
    await drawer.getByRole('button', { name: '为该方生成秘密值' }).first().waitFor();
    for (const b of await drawer.getByRole('button', { name: '为该方生成秘密值' }).all()) await b.click();
    await expect.poll(async () => (await drawer.getByText('请由').count())).toBe(2);
    await drawer.getByRole('button', { name: '提交承诺' }).click();
    await drawer.getByText('第二步：各方揭示秘密值，然后抽取').waitFor();
    await p.screenshot({ path: path.join(SHOTS, 'inspections-reveal.png') });
    await drawer.getByRole('button', { name: '揭示', exact: true }).first().waitFor();
    for (const b of await drawer.getByRole('button', { name: '揭示', exact: true }).all()) {
      await b.click();
      await p.waitForTimeout(300);
    }
    await expect.poll(async () => drawer.getByRole('button', { name: '抽取', exact: true }).isEnabled(), { timeout: 20_000 }).toBe(true);
    // The seed needs the commitment's leaf in the log: the sequencer integrates it within a moment.
    await expect.poll(async () => {
      await drawer.getByRole('button', { name: '抽取', exact: true }).click().catch(() => undefined);
      return drawer.getByText('种子：').count();
    }, { timeout: 30_000, interval: 1000 }).toBe(1);
    await p.screenshot({ path: path.join(SHOTS, 'inspections-drawn.png') });
    const href = await drawer.getByRole('link', { name: '公示页（可复算）' }).getAttribute('href');
    taskId = href!.split('/').pop()!;
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the public page recomputes the draw in the browser and says it matches', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${h.baseUrl}/inspections/${taskId}`);
    await page.getByRole('button', { name: '在本机重新计算抽取结果' }).click();
    const verdict = page.locator('#verify-result[data-verdict]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('match');
    expect(await verdict.innerText()).toContain('一致');
    await page.screenshot({ path: path.join(SHOTS, 'inspections-public-match.png'), fullPage: true });
    // The script runs under the page's CSP (script-src 'self'): no violation reported.
    expect(errors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([]);

    // Tampering with one published candidate on the way: the page must say it does not match.
    await page.route('**/candidates', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { classes: { class: string; creditCodes: string[] }[] };
      const cls = body.classes.find((c) => c.creditCodes.length > 1)!;
      cls.creditCodes[0] = cls.creditCodes[0]!.slice(0, -1) + (cls.creditCodes[0]!.endsWith('0') ? '1' : '0');
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    await page.getByRole('button', { name: '在本机重新计算抽取结果' }).click();
    await page.locator('#verify-result[data-verdict]').waitFor();
    expect(await page.locator('#verify-result').getAttribute('data-verdict')).toBe('mismatch');
    expect(await page.locator('#verify-result').innerText()).toContain('不一致');
    await page.screenshot({ path: path.join(SHOTS, 'inspections-public-mismatch.png'), fullPage: true });
    await ctx.close();
  });
});
