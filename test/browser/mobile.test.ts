// The back office on a phone (issue 14): 390×844 with touch, as an officer in the field holds it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/seed/demo.ts';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { auditScreen } from './mobile-audit.ts';
import { fakeIdNumber } from '../../src/registry/fake.ts';
import { fillRemaining, performStep, todayInChina } from './case-walk.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale: 'zh-CN' };

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext(PHONE);
  return { context, page: await context.newPage() };
}

async function signInOnPhone(page: Page, username: string): Promise<void> {
  await page.goto(`${h.baseUrl}/admin/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).tap();
  if (['admin', 'scjg_admin', 'xhzf_admin'].includes(username)) {
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    await page.getByLabel('动态验证码').fill(code);
    await page.getByRole('button', { name: '验证', exact: true }).tap();
  }
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
}

/** Waits until a page has loaded what it shows (no spinner, no skeleton). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning, .ant-skeleton').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(300);
  // Fades and waves still running would be measured half-transparent by the contrast check.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5000 }).catch(() => undefined);
}

const ROUTES: Record<string, string[]> = {
  scjg_officer: ['/', '/agencies', '/officers', '/officers/{officer}', '/reviewers', '/cases', '/cases#登记案件', '/cases/{case}', '/cases/{case}#办理', '/onsite', '/my-certificate', '/inspections', '/publicity', '/benchmarks', '/supervision/alerts', '/cases/{case}?tab=accountability'],
  scjg_head: ['/', '/cases', '/cases/{case}', '/publicity', '/supervision/matters', '/matters', '/devices', '/devices/{device}', '/custodians'],
  scjg_reviewer: ['/', '/cases', '/reviewers'],
  scjg_admin: ['/', '/officers/new', '/imports', '/audit', '/tokens', '/agencies', '/matters', '/inspections', '/devices#登记设备'],
  sfj: ['/', '/cases', '/audit', '/officers', '/supervision/alerts', '/supervision/matters', '/supervision/complaints', '/supervision/tasks', '/supervision/assessment'],
};

describe('every back-office screen at 390×844 (issue 14)', () => {
  for (const [username, routes] of Object.entries(ROUTES)) {
    it(`as ${username}: no sideways scroll, nothing covered, targets large enough, no serious axe violation`, async () => {
      const { context, page } = await phone();
      await signInOnPhone(page, username);
      const problems: Record<string, unknown> = {};
      for (const route of routes) {
        const [target, opener] = route.split('#') as [string, string | undefined];
        let url = target;
        if (url.includes('{officer}')) {
          await page.goto(`${h.baseUrl}/admin/officers`);
          await settle(page);
          const href = await page.locator('a[href*="/admin/officers/"]').first().getAttribute('href');
          url = href!.replace('/admin', '');
        }
        if (url.includes('{device}')) {
          await page.goto(`${h.baseUrl}/admin/devices`);
          await settle(page);
          url = (await page.locator('a[href*="/admin/devices/"]').first().getAttribute('href'))!.replace('/admin', '');
        }
        if (url.includes('{case}')) {
          const suffix = url.split('{case}')[1] ?? '';
          await page.goto(`${h.baseUrl}/admin/cases`);
          await settle(page);
          const hrefs = [...new Set(await page.locator('a[href*="/admin/cases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!)))];
          url = hrefs[0]!.replace('/admin', '') + suffix;
          // For a step drawer: the first case with a step this person can do.
          for (const href of opener === '办理' ? hrefs : []) {
            await page.goto(`${h.baseUrl}${href}`);
            await settle(page);
            if (await page.getByRole('button', { name: /^办理 / }).count()) {
              url = href.replace('/admin', '');
              break;
            }
          }
        }
        await page.goto(`${h.baseUrl}/admin${url}`);
        await settle(page);
        if (opener) {
          // A drawer opened from the page: it must fit the phone with its primary action in reach.
          await page.getByRole('button', { name: new RegExp(`^${opener}( |$)`) }).first().tap();
          await page.getByRole('dialog').last().waitFor();
          await settle(page);
        }
        await page.screenshot({ path: path.join(SHOTS, `phone-${username}${route.replace(/[/{}]+/g, '-')}.png`), fullPage: true });
        const found = await auditScreen(page);
        const bad = Object.fromEntries(Object.entries(found).filter(([k, v]) => (k === 'sidewaysScroll' ? (v as number) > 0 : (v as string[]).length > 0)));
        if (Object.keys(bad).length) problems[opener ? `${url}#${opener}` : url] = bad;
      }
      await context.close();
      expect(problems).toEqual({});
    }, 300_000);
  }
});

/**
 * Every input the officer makes after signing in, counted as the issue counts them: each tap, each
 * selection and each field typed, and the characters typed.
 */
class Inputs {
  count = 0;
  typed = 0;
  readonly log: string[] = [];
  constructor(private readonly page: Page) {}
  async tap(target: Locator, what: string): Promise<void> {
    await target.tap();
    this.count++;
    this.log.push(`tap ${what}`);
  }
  async type(field: Locator, text: string, what: string): Promise<void> {
    await field.tap();
    await field.pressSequentially(text);
    this.count++;
    this.typed += [...text].length;
    this.log.push(`type ${what} (${[...text].length})`);
  }
  /** An antd Select: tapping it opens the list, tapping an option picks it (two inputs). */
  async choose(select: Locator, option: string | RegExp, what: string): Promise<void> {
    await this.tap(select, `${what} list`);
    const list = await select.getAttribute('aria-controls');
    const dropdown = this.page.locator('.ant-select-dropdown', { has: this.page.locator(`[id="${list}"]`) }).last();
    const item = dropdown.locator('.ant-select-item-option').filter({ hasText: option }).first();
    await item.waitFor();
    await this.tap(item, what);
  }
}

describe('on the spot at 390×844 (issue 14)', () => {
  it('a summary fine (citizen, 50 yuan, paid on the spot, decision and receipt issued) in at most 15 inputs and 60 typed characters (R-R01, R-P08)', async () => {
    const { context, page } = await phone();
    await signInOnPhone(page, 'scjg_officer');
    const n = new Inputs(page);
    await n.tap(page.getByRole('navigation', { name: '主菜单' }).getByRole('button', { name: '当场执法' }), '当场执法');
    await page.getByRole('heading', { name: '当场处罚' }).waitFor();
    // The signed-in officer is on the form already (linked registry entry, R-P08).
    await expect.poll(() => page.getByText('本人', { exact: true }).count()).toBe(1);
    await n.choose(page.getByLabel('同行执法人员'), /（/, '同行执法人员');
    const id = fakeIdNumber(4242, 'female');
    await n.type(page.getByLabel('身份证号码或统一社会信用代码'), id, '身份证号码');
    await page.getByText('公民（居民身份证）').waitFor();
    await n.type(page.getByLabel('姓名', { exact: true }), '李某', '姓名');
    await n.type(page.getByLabel('住址', { exact: true }), '演示市西湖区文三路1号', '住址');
    await n.choose(page.getByLabel('违法行为'), '未按规定明码标价', '违法行为');
    await n.type(page.getByLabel('罚款金额（元）'), '50', '罚款金额');
    await n.tap(page.getByRole('checkbox', { name: /违法事实确凿/ }), '违法事实确凿');
    await n.tap(page.getByText('当场缴纳', { exact: true }), '当场缴纳');
    // 第六十八条第一项: 50 yuan qualifies for collection on the spot; the other grounds are not asked.
    expect(await page.getByText('不当场收缴事后难以执行', { exact: false }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'phone-onsite-form.png'), fullPage: true });
    await n.tap(page.getByRole('button', { name: '下一步：生成决定书' }), '下一步');
    // R-R02: the structured decision, written from the case; the officer checks the wording.
    const facts = page.getByLabel('违法事实', { exact: true });
    await facts.waitFor({ timeout: 60_000 }).catch(async (e) => { await page.screenshot({ path: path.join(SHOTS, 'phone-onsite-texts-missing.png'), fullPage: true }); throw e; });
    expect(await facts.inputValue()).toContain('未按规定明码标价');
    expect(await page.getByLabel('处罚依据').inputValue()).toContain('价格法');
    await n.type(page.getByLabel('行政复议机关'), '演示市人民政府', '行政复议机关');
    await n.type(page.getByLabel('管辖人民法院'), '演示市西湖区人民法院', '管辖人民法院');
    await page.screenshot({ path: path.join(SHOTS, 'phone-onsite-texts.png'), fullPage: true });
    await n.tap(page.getByRole('button', { name: '出具决定书和罚没款票据' }), '出具');
    const issued = page.getByRole('region', { name: '已出具的文书' });
    await issued.waitFor({ timeout: 60_000 });
    const issuedText = await issued.innerText();
    expect(issuedText).toContain('当场行政处罚决定书');
    expect(issuedText).toContain('罚没款专用票据');
    await page.screenshot({ path: path.join(SHOTS, 'phone-onsite-done.png'), fullPage: true });

    // The case on the server: decision numbered, receipt naming that number, steps in order.
    const caseUrl = await page.getByRole('link', { name: '打开案件' }).getAttribute('href');
    const caseId = caseUrl!.split('/').pop()!;
    const view = (await (await page.request.get(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { steps: { step: string }[]; documents: { type: string; number: string | null; fields: Record<string, unknown> }[] };
    expect(view.steps.map((s) => s.step)).toEqual(['onsite_notice', 'onsite_decision', 'onsite_collection']);
    const decision = view.documents.find((d) => d.type === 'onsite_penalty_decision')!;
    expect(decision.number).toMatch(/简罚/);
    // The receipt names the decision it collects for (行政处罚法第六十九条; a structured field since issue 16).
    expect(view.documents.find((d) => d.type === 'fine_receipt')!.fields.decisionNumber).toBe(decision.number);

    console.log(`当场处罚：${n.count} 次输入，${n.typed} 个字符\n${n.log.join('\n')}`);
    expect(n.count).toBeLessThanOrEqual(15);
    expect(n.typed).toBeLessThanOrEqual(60);
    await context.close();
  }, 300_000);
});

/** A demo case of the officer's agency whose next step is `step`, by its id. */
async function caseAt(page: Page, procedureId: string, step: string): Promise<string> {
  return (await caseAtAny(page, procedureId, [step])).id;
}

/** A demo case whose next steps include one of `steps`: its id and that step's name. */
async function caseAtAny(page: Page, procedureId: string, steps: string[]): Promise<{ id: string; name: string }> {
  const list = (await (await page.request.get(`${h.baseUrl}/api/v1/cases?procedureId=${procedureId}&status=open&pageSize=100`)).json()) as { items: { id: string }[] };
  const views = [];
  for (const c of list.items) views.push({ id: c.id, v: (await (await page.request.get(`${h.baseUrl}/api/v1/cases/${c.id}`)).json()) as { available: { steps: { key: string; name: string; blockers: unknown[] }[] } } });
  // In the order asked for: the first step any case can do.
  for (const step of steps) {
    for (const { id, v } of views) {
      const s = v.available.steps.find((x) => x.key === step && x.blockers.length === 0);
      if (s) return { id, name: s.name };
    }
  }
  throw new Error(`没有可办理「${steps.join('、')}」的${procedureId}案件`);
}

describe('in the field at 390×844 (issue 14)', () => {
  it('an on-site inspection with a photo from the camera input: time, kind and officers filled, the description asked for (R-R03, R-R05)', async () => {
    const { context, page } = await phone();
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 30.27415, longitude: 120.15515, accuracy: 12 });
    await signInOnPhone(page, 'scjg_officer');
    const caseId = await caseAt(page, 'inspection', 'on_site_inspection');
    await page.goto(`${h.baseUrl}/admin/cases/${caseId}`);
    await page.getByRole('region', { name: '可办理环节' }).waitFor();
    await page.getByRole('button', { name: '登记音像：实施现场检查' }).tap();
    const drawer = page.getByRole('dialog', { name: '登记执法记录' });
    await drawer.waitFor();
    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sx-phone-')), 'IMG_0001.jpg');
    // A JPEG header is enough for the evidence store (it keeps bytes, it does not decode them).
    fs.writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64 * 1024, 3), Buffer.from([0xff, 0xd9])]));
    const camera = drawer.getByLabel('拍照或录像');
    expect(await camera.getAttribute('capture')).toBe('environment');
    await camera.setInputFiles(photo);
    // The description is asked for at once: the cursor is in it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id') ?? '')).toMatch(/description/);
    await expect.poll(() => drawer.getByLabel('地点').inputValue()).toContain('北纬 30.27415°');
    expect(await drawer.getByLabel('记录名称').inputValue()).toBe('现场照片（手机拍摄）');
    expect(await drawer.getByLabel('保管人').inputValue()).not.toBe('');
    await page.keyboard.type('拍摄经营场所货架，商品未标示价格');
    await page.screenshot({ path: path.join(SHOTS, 'phone-camera-record.png') });
    await drawer.getByRole('button', { name: '登记', exact: true }).tap();
    await drawer.waitFor({ state: 'detached', timeout: 60_000 });

    // The step: its officers start filled (last step's pair), the photo counts as its AV record.
    await performStep(page, '实施现场检查', { on: todayInChina(), before: (d) => d.getByLabel('法定代表人（负责人）').first().fill('王某某') });
    await page.getByRole('tab', { name: /记录与调阅/ }).tap();
    const records = await page.getByRole('table', { name: '文字和音像记录' }).innerText();
    expect(records).toContain('现场照片（手机拍摄）');
    await page.screenshot({ path: path.join(SHOTS, 'phone-inspection-done.png'), fullPage: true });
    await context.close();
  }, 300_000);

  it('puts a server field error on its field and scrolls to it (party.idNumber)', async () => {
    const { context, page } = await phone();
    await signInOnPhone(page, 'scjg_officer');
    await page.goto(`${h.baseUrl}/admin/cases`);
    await page.getByRole('button', { name: '登记案件' }).tap();
    const d = page.getByRole('dialog', { name: '登记案件' });
    const procedure = d.getByLabel('程序', { exact: true });
    await new Inputs(page).choose(procedure, /^行政处罚普通程序$/, '程序');
    await expect.poll(() => d.innerText()).toContain('行政处罚普通程序');
    await d.getByLabel('案由（案件名称）').fill('涉嫌销售不合格商品案');
    await d.getByLabel('执法区域').fill('演示市西湖区');
    await d.getByLabel('当事人名称').fill('演示某某商贸有限公司');
    // A credit code with a wrong check character: only the server's check catches it here.
    await d.getByLabel('证件号码').fill('91330106MA2H3K7Q4A');
    await d.getByLabel('住所（住址）').fill('演示市西湖区文三路 100 号');
    await d.getByRole('button', { name: '登记', exact: true }).tap();
    const item = d.locator('.ant-form-item').filter({ has: page.getByLabel('证件号码') });
    await item.locator('.ant-form-item-explain-error').waitFor().catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(SHOTS, 'phone-field-error-stuck.png'), fullPage: true });
      throw e;
    });
    expect(await item.locator('.ant-form-item-explain-error').innerText()).toMatch(/校验/);
    await expect.poll(() => page.getByLabel('证件号码').evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'phone-field-error.png') });
    await context.close();
  }, 120_000);

  it('keeps a step form through a network cut and sends it once when the network is back', async () => {
    const { context, page } = await phone();
    await signInOnPhone(page, 'scjg_officer');
    // A step with a short form: filing a summary decision (or remitting its fine), else an on-site inspection.
    const { id: caseId, name } = await caseAtAny(page, 'penalty-summary', ['onsite_filing', 'remittance']).catch(() => caseAtAny(page, 'inspection', ['on_site_inspection']));
    const before = ((await (await page.request.get(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { steps: unknown[] }).steps.length;
    await page.goto(`${h.baseUrl}/admin/cases/${caseId}`);
    await page.getByRole('region', { name: '可办理环节' }).waitFor();
    await page.getByRole('button', { name: `办理 ${name}`, exact: true }).tap();
    const drawer = page.getByRole('dialog', { name: `办理：${name}` });
    await drawer.waitFor();
    await page.waitForLoadState('networkidle');
    const representative = drawer.getByLabel('法定代表人（负责人）');
    if (await representative.count()) await representative.first().fill('王某某');
    await fillRemaining(page, drawer, todayInChina());
    await drawer.getByLabel('备注', { exact: true }).last().fill('网络中断测试：现场信号差');
    await context.setOffline(true);
    // The form survives the page going away without network (kept on the device).
    await page.reload().catch(() => undefined);
    await context.setOffline(false);
    await page.goto(`${h.baseUrl}/admin/cases/${caseId}`);
    await page.getByRole('region', { name: '可办理环节' }).waitFor();
    await page.getByRole('button', { name: `办理 ${name}`, exact: true }).tap();
    await drawer.waitFor();
    await expect.poll(() => drawer.getByLabel('备注', { exact: true }).last().inputValue()).toBe('网络中断测试：现场信号差');
    await context.setOffline(true);
    await performStepOffline(page, context, name);
    const after = (await (await page.request.get(`${h.baseUrl}/api/v1/cases/${caseId}`)).json()) as { steps: { step: string; record: { note?: string } }[] };
    expect(after.steps.length).toBe(before + 1);
    expect(after.steps.at(-1)!.record.note).toBe('网络中断测试：现场信号差');
    await context.close();
  }, 300_000);
});

/** Submits the open step form while offline, sees it wait, then brings the network back. */
async function performStepOffline(page: Page, context: BrowserContext, name: string): Promise<void> {
  const drawer = page.getByRole('dialog', { name: `办理：${name}` });
  await drawer.getByRole('button', { name: '确认办理' }).tap();
  const waiting = drawer.getByRole('status').filter({ hasText: '网络已断开' });
  const invalid = drawer.locator('.ant-form-item-explain-error').first();
  await waiting.or(invalid).first().waitFor();
  if (await invalid.isVisible()) throw new Error(`表单未填完：${(await drawer.locator('.ant-form-item-explain-error').allInnerTexts()).join('；')}`);
  await page.screenshot({ path: path.join(SHOTS, 'phone-offline-waiting.png') });
  await context.setOffline(false);
  await drawer.waitFor({ state: 'detached', timeout: 60_000 });
}
