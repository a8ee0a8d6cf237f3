// In the browser, as people use it: the public portal on a phone, and an administrator who signs in
// with the second factor, registers an officer and opens the certificate's public page.
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('public portal', () => {
  it('shows the officer list on a phone and a certificate verdict, with Chinese drawn', async () => {
    const page = await h.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(`${h.baseUrl}/`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('演示环境');
    await page.screenshot({ path: path.join(SHOTS, 'portal-home-phone.png'), fullPage: true });
    await page.getByLabel('姓名或执法证号', { exact: false }).first().fill('王');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/\/officers\?q=/);
    const first = page.locator('table tbody tr').first();
    await expect.poll(() => first.textContent()).toContain('王');
    await page.screenshot({ path: path.join(SHOTS, 'portal-officers-phone.png'), fullPage: true });
    await first.getByRole('link').click();
    await page.waitForURL(/\/verify\/officer\//);
    expect(await page.locator('.verdict .big').textContent()).toMatch(/证件有效|证件已暂扣|证件已吊销|证件已过期/);
    await page.screenshot({ path: path.join(SHOTS, 'portal-verify-phone.png'), fullPage: true });
    await page.close();
  });
});

describe('back office', () => {
  it('an administrator signs in with TOTP, adds an officer, and opens its QR page', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/admin/`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.screenshot({ path: path.join(SHOTS, 'admin-login.png') });
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    await page.getByLabel('动态验证码').fill(code);
    await page.getByRole('button', { name: '验证', exact: true }).click();
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'admin-home.png'), fullPage: true });

    await page.getByRole('navigation', { name: '主菜单' }).getByText('执法人员', { exact: true }).click();
    await page.getByRole('button', { name: '新增执法人员' }).click();
    await page.getByLabel('所属执法主体').click();
    await page.keyboard.type('市场监督');
    await page.getByTitle('演示市市场监督管理局', { exact: true }).click();
    await page.getByLabel('姓名', { exact: true }).fill('浏览器测试员');
    await page.getByLabel('执法证件号').fill('BROWSER0001');
    await page.getByLabel('执法类别').fill('市场监管');
    await page.getByLabel('执法区域').fill('演示市');
    for (const [label, value] of [['有效期起', '2025-01-01'], ['有效期止', '2030-12-31'], ['考试合格日期', '2024-11-01']] as const) {
      await page.getByLabel(label).fill(value);
      await page.getByLabel(label).press('Tab');
    }
    await page.screenshot({ path: path.join(SHOTS, 'admin-officer-form.png'), fullPage: true });
    await page.getByRole('button', { name: '保存', exact: true }).click();

    const qr = page.getByAltText('执法证二维码：BROWSER0001');
    await qr.waitFor();
    // The image decodes after it is attached: poll, or a busy machine reads 0.
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(50);
    await page.screenshot({ path: path.join(SHOTS, 'admin-officer-detail.png'), fullPage: true });

    const [verify] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: '打开公开核验页' }).click()]);
    await verify.waitForLoadState();
    expect(verify.url()).toContain('/verify/officer/BROWSER0001');
    expect(await verify.locator('.verdict .big').textContent()).toBe('证件有效');
    expect(await verify.locator('dl.kv').textContent()).toContain('浏览器测试员');
    await verify.screenshot({ path: path.join(SHOTS, 'verify-new-officer.png'), fullPage: true });

    // R-L03: the roster keeper shares an entry with other units; the roster then shows it as shared.
    // Back to the back office's tab: in a background tab Chromium runs no animation frames, and antd's
    // dialogs would stay at opacity 0 (as a person never sees them).
    await page.bringToFront();
    await page.getByRole('navigation', { name: '主菜单' }).getByText('法制审核人员', { exact: true }).click();
    await page.getByRole('button', { name: '调整 钱法审 的签署账号与共享' }).click();
    const modal = page.getByRole('dialog', { name: '调整审核人员：钱法审' });
    await modal.getByLabel('跨单位共享').click();
    await page.screenshot({ path: path.join(SHOTS, 'admin-roster-entry.png') });
    await modal.getByRole('button', { name: '保存' }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('row').filter({ hasText: '钱法审' }).textContent()).toContain('共享');
    await context.close();
  });
});

describe('a new account', () => {
  it('signs in with its temporary password and must set its own before anything else (issue 15 defect 6)', async () => {
    // The agency administrator creates the account through the API, as the users page does.
    const api = (path: string, init: { body?: unknown; cookie?: string; csrf?: string } = {}) =>
      fetch(`${h.baseUrl}${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    const cookieOf = (r: Response) => r.headers.getSetCookie().find((c) => c.startsWith('sx_session='))!.split(';')[0]!;
    const signIn = await api('/api/v1/auth/login', { body: { username: 'scjg_admin', password: DEMO_PASSWORD } });
    const pending = { cookie: cookieOf(signIn), csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    const second = await api('/api/v1/auth/totp', { body: { code }, ...pending });
    expect(second.status).toBe(200);
    const admin = { cookie: cookieOf(second), csrf: ((await second.json()) as { csrfToken: string }).csrfToken };
    const me = (await (await api('/api/v1/auth/session', admin)).json()) as { user: { agencyId: string } };
    const created = await api('/api/v1/users', { body: { username: 'browser.newcomer', displayName: '新来的执法员', agencyId: me.user.agencyId, role: 'officer' }, ...admin });
    expect(created.status).toBe(201);
    const { temporaryPassword } = (await created.json()) as { temporaryPassword: string };

    const page = await h.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(`${h.baseUrl}/admin/`);
    await page.getByLabel('用户名').fill('browser.newcomer');
    await page.getByLabel('密码').fill(temporaryPassword);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('修改临时密码').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'login-change-temporary-password-phone.png'), fullPage: true });
    await page.getByLabel('临时密码').fill(temporaryPassword);
    await page.getByLabel('新密码', { exact: true }).fill('Newcomer-Passw0rd');
    await page.getByLabel('确认新密码').fill('Newcomer-Passw0rd');
    await page.getByRole('button', { name: '修改密码并进入系统' }).click();
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    // The temporary password is gone: only the new one signs in.
    expect((await api('/api/v1/auth/login', { body: { username: 'browser.newcomer', password: temporaryPassword } })).status).toBe(401);
    expect((await api('/api/v1/auth/login', { body: { username: 'browser.newcomer', password: 'Newcomer-Passw0rd' } })).status).toBe(200);
    await page.close();
  });
});
