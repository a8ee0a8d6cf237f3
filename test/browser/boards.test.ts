// Issue 10 in Chromium: the 岗位信息公示牌 back office (R-P10 through the publicity workflow, R-P01). The
// agency's administrator drafts a window's board and submits it for review; the head publishes it naming
// the responsible person (谁执法谁公示); the portal lists it and shows it, and the back office gives the
// version history with links to the public page and the A4 PDF — on a desktop and on a 390 px phone.
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { signIn, signOut } from './case-walk.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 400_000);
afterAll(async () => {
  await h?.close();
});

async function signInAdmin(page: Page): Promise<void> {
  await page.goto(`${h.baseUrl}/admin/login`);
  await page.getByLabel('用户名').fill('scjg_admin');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByLabel('动态验证码').fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate());
  await page.getByRole('button', { name: '验证', exact: true }).click();
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
}

describe('post boards in the back office', () => {
  it('the administrator drafts a board, the head publishes it, the portal shows it', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });

    // An officer has no such menu entry: the API lets only the administrator and the head draft.
    await signIn(page, h.baseUrl, 'scjg_officer');
    expect(await page.getByRole('navigation', { name: '主菜单' }).getByText('岗位信息公示牌').count()).toBe(0);
    await signOut(page);

    await signInAdmin(page);
    await page.getByRole('navigation', { name: '主菜单' }).getByText('岗位信息公示牌').click();
    await page.getByRole('heading', { name: '岗位信息公示牌' }).waitFor();
    await page.getByText('A12 窗口').waitFor();
    await page.getByRole('button', { name: '新建公示牌' }).click();
    const drawer = page.getByRole('dialog', { name: '新建岗位信息公示牌' });
    try {
      await drawer.getByLabel('窗口编号').waitFor({ timeout: 20_000 });
    } finally {
      await page.screenshot({ path: path.join(SHOTS, 'boards-admin-drawer.png'), fullPage: true });
    }
    await drawer.getByLabel('窗口编号').fill('B07');
    await drawer.getByLabel('工作人员').fill('周晓晴');
    await drawer.getByLabel('所在单位').fill('市市场监督管理局行政审批处');
    await drawer.getByLabel('岗位', { exact: true }).fill('特种设备使用登记受理');
    await drawer.getByLabel('岗位类别').fill('综合受理');
    await drawer.getByLabel('岗位职责').fill('受理特种设备使用登记申请，一次性告知需补正的材料。');
    // Saving with a required field empty keeps the drawer open with the message beside the field.
    await drawer.getByRole('button', { name: '添加示范材料' }).click();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await drawer.getByText('请填写示范材料名称').first().waitFor();
    await drawer.getByLabel('材料 1 名称').fill('特种设备使用登记表');
    await drawer.getByLabel('示范内容').first().fill('按设备铭牌填写，使用单位盖章。');
    await drawer.getByRole('button', { name: '删除材料 2' }).click();
    await drawer.getByLabel('咨询渠道').fill('0571-00000007（工作日）');
    await drawer.getByLabel('投诉渠道').fill('12345 政务服务便民热线');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const row = page.getByRole('row', { name: /B07 窗口/ });
    await row.getByText('起草中', { exact: true }).waitFor();
    await row.getByRole('button', { name: '提交审核' }).click();
    await row.getByText('待审核', { exact: true }).waitFor();
    // The administrator cannot publish: only the head does.
    expect(await row.getByRole('button', { name: '审核公布' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'boards-admin-submitted.png'), fullPage: true });
    await signOut(page);

    await signIn(page, h.baseUrl, 'scjg_head');
    await page.goto(`${h.baseUrl}/admin/boards`);
    await row.getByRole('button', { name: '审核公布' }).click();
    const responsible = page.getByLabel('公示责任人');
    await responsible.fill('市市场监督管理局局长 王建国');
    await page.getByRole('button', { name: '公布', exact: true }).click();
    await row.getByText('现行', { exact: true }).waitFor();
    await row.getByText(/第 1 版 · \d{4}-\d{2}-\d{2} · 市市场监督管理局局长 王建国/).waitFor();
    // The history of a window with two versions (the demo's A12): the superseded one stays listed.
    const a12 = page.getByRole('row', { name: /A12 窗口/ });
    await a12.getByRole('button', { name: /历次版本/ }).click();
    const history = page.getByRole('region', { name: 'A12 窗口的历次版本' });
    await history.getByText('已替代', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'boards-head-published.png'), fullPage: true });
    const publicHref = await row.getByRole('link', { name: '公示页面' }).getAttribute('href');
    expect(publicHref).toMatch(/^\/boards\/[0-9a-f-]{36}$/);
    expect(await row.getByRole('link', { name: 'A4 PDF' }).getAttribute('href')).toBe(`${publicHref}/pdf`);
    const pdf = await page.request.get(`${h.baseUrl}${publicHref}/pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    // The back office on a phone: the same page, restyled.
    const phone = await h.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'zh-CN' });
    const pp = await phone.newPage();
    await signIn(pp, h.baseUrl, 'scjg_head');
    await pp.goto(`${h.baseUrl}/admin/boards`);
    await pp.getByText('B07 窗口').waitFor();
    await pp.waitForTimeout(500);
    expect(await pp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await pp.screenshot({ path: path.join(SHOTS, 'boards-backoffice-phone.png'), fullPage: true });

    // The portal, without JavaScript, on the phone: the list and the board in force.
    const portal = await h.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', javaScriptEnabled: false });
    const p = await portal.newPage();
    await p.goto(`${h.baseUrl}/boards`);
    await p.getByRole('link', { name: 'B07 窗口' }).click();
    await p.getByRole('heading', { name: /B07 窗口岗位信息公示牌/ }).waitFor();
    await p.getByText('周晓晴').waitFor();
    await p.getByText(/公示责任人 市市场监督管理局局长 王建国/).waitFor();
    await p.getByText('特种设备使用登记表').waitFor();
    expect(new URL(p.url()).pathname).toBe(publicHref);
    await p.screenshot({ path: path.join(SHOTS, 'boards-portal-phone.png'), fullPage: true });
    await Promise.all([ctx.close(), phone.close(), portal.close()]);
  }, 400_000);
});
