// Issue 10 in Chromium, 网上受理 (R-P07, R-I04): a citizen finds a guide on the portal, applies online
// with an upload, follows the progress with the tracking number and the phone's last four digits, and
// the city market regulator's officer sees the case in its acceptance stage in the back office. The
// post board (R-P10) of the same window shows the version in force. axe-core checks every portal page.
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { signIn } from './case-walk.ts';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
async function axe(page: Page, name: string) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
  expect(result, `axe on ${name}`).toEqual([]);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 300_000);
afterAll(async () => {
  await h?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('online application', () => {
  it('a citizen finds a guide, applies online with an upload, follows progress, and the officer sees the case in acceptance', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const p = await ctx.newPage();
    await p.goto(`${h.baseUrl}/`);
    await p.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办事指南' }).click();
    await axe(p, '/guides');
    await p.getByRole('link', { name: '食品经营许可' }).first().click();
    await p.getByRole('link', { name: '网上申请' }).click();
    await p.getByRole('heading', { name: /网上申请：/ }).waitFor();
    await axe(p, '/guides/<id>/apply');

    // A wrong 统一社会信用代码 first: the form comes back with the check-digit error and the values kept.
    await p.getByLabel('申请人类型').selectOption('organisation');
    await p.getByLabel('申请人姓名或名称').fill('演示浏览器测试餐饮有限公司');
    await p.getByLabel('身份证号码或统一社会信用代码').fill('91330106MA2H3K7Q4A');
    await p.getByLabel('联系电话（查询进度时需要后四位）').fill('13700004321');
    await p.getByLabel('法定代表人（负责人）（企业或其他组织填写）').fill('孙某某');
    await p.getByLabel('食品经营许可申请书（原件1份）').setInputFiles({ name: '申请书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await p.getByRole('button', { name: '提交申请' }).click();
    await p.getByRole('alert').getByText(/统一社会信用代码校验位/).waitFor();
    await p.screenshot({ path: path.join(SHOTS, 'apply-error-phone.png'), fullPage: true });
    expect(await p.getByLabel('申请人姓名或名称').inputValue()).toBe('演示浏览器测试餐饮有限公司');

    await p.getByLabel('身份证号码或统一社会信用代码').fill('91330106MA2H3K7Q4Q');
    await p.getByLabel('食品经营许可申请书（原件1份）').setInputFiles({ name: '申请书.pdf', mimeType: 'application/pdf', buffer: PDF });
    await p.getByRole('button', { name: '提交申请' }).click();
    const tracking = (await p.locator('#tracking').textContent({ timeout: 30_000 }))!.trim();
    expect(tracking).toMatch(/^SQ\d{8}[0-9A-Z]{8}$/);
    await p.screenshot({ path: path.join(SHOTS, 'apply-submitted-phone.png'), fullPage: true });
    await axe(p, 'application submitted');

    // Progress: the number alone is not enough.
    await p.getByRole('link', { name: '查询办理进度' }).click();
    expect(await p.getByLabel('受理编号').inputValue()).toBe(tracking);
    await p.getByLabel('申请时所留电话的后四位').fill('0000');
    await p.getByRole('button', { name: '查询进度' }).click();
    await p.getByRole('alert').getByText('没有找到对应的申请').waitFor();
    await p.getByLabel('申请时所留电话的后四位').fill('4321');
    await p.getByRole('button', { name: '查询进度' }).click();
    expect(await p.locator('#stage').textContent()).toBe('受理');
    await p.screenshot({ path: path.join(SHOTS, 'apply-progress-phone.png'), fullPage: true });
    await axe(p, '/applications/track');
    expect(await p.locator('main').textContent()).not.toMatch(/网上受理|执法人员|备注/);

    // The post board of the window, in force with its date and the progress QR.
    await p.goto(`${h.baseUrl}/boards`);
    await axe(p, '/boards');
    await p.getByRole('link', { name: 'A12 窗口' }).click();
    await p.getByText(/现行第 2 版/).waitFor();
    await p.screenshot({ path: path.join(SHOTS, 'post-board-phone.png'), fullPage: true });
    await axe(p, '/boards/<id>');
    await ctx.close();

    // The officer of the agency finds the case in its acceptance stage.
    const office = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const o = await office.newPage();
    await signIn(o, h.baseUrl, 'scjg_officer');
    await o.goto(`${h.baseUrl}/admin/cases?q=${encodeURIComponent('演示浏览器测试餐饮')}`);
    const row = o.getByRole('row', { name: /演示浏览器测试餐饮有限公司/ });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.textContent()).toContain('受理');
    await o.screenshot({ path: path.join(SHOTS, 'apply-officer-cases.png'), fullPage: true });
    await office.close();
  }, 300_000);
});
