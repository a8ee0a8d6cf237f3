// The publicity walk of issue 8 in Chromium: the draft of a served penalty decision appears with its
// redactions highlighted, the head confirms it, it is found on the portal by a two-word Chinese search
// and checked against the ledger, a 复议 revocation withdraws it and the notice shows; a correction
// request is filed from the portal and answered. axe-core checks every portal page of publicity.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { signIn, todayInChina } from './case-walk.ts';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
let h: Harness;
let head: Page;
let officer: Page;
let visitor: Page;

async function axe(page: Page, name: string) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
  expect(result, `axe on ${name}`).toEqual([]);
}

beforeAll(async () => {
  h = await startHarness();
  const windowFor = async (username: string | null, mobile = false, timezoneId?: string) => {
    // bypassCSP: the checker is injected as a script; /ledger/verify's CSP would keep it out.
    const ctx = await h.browser.newContext({ viewport: mobile ? { width: 390, height: 844 } : { width: 1366, height: 900 }, locale: 'zh-CN', bypassCSP: true, timezoneId });
    const page = await ctx.newPage();
    if (username) await signIn(page, h.baseUrl, username);
    return page;
  };
  // The head's browser runs 20 hours behind Beijing, so its own day differs from China's for most of the day:
  // a date picker that bounds by the browser's day refuses China's today (the CI failure of stop 22).
  head = await windowFor('scjg_head', false, 'Etc/GMT+12');
  officer = await windowFor('scjg_officer');
  visitor = await windowFor(null, true);
});
afterAll(async () => {
  await h?.close();
});

describe('publicity walk', () => {
  it('draft → head confirms → portal search → ledger → 复议 revocation → withdrawal notice; correction filed and answered', async () => {
    // The head's list of drafts: the served decision stands there with its deadline (the demo leaves one overdue).
    await head.goto(`${h.baseUrl}/admin/publicity`);
    await head.getByRole('tab', { name: '待确认' }).click();
    const row = head.getByRole('row').filter({ hasText: '待确认' }).first();
    await row.waitFor();
    const number = (await row.getByRole('button').first().innerText()).trim();
    await row.getByRole('button').first().click();
    const source = head.getByTestId('source-text');
    await source.waitFor();
    const marks = await source.locator('mark').count();
    expect(marks).toBeGreaterThan(0);
    // The head adds a redaction of his own, then confirms.
    const text = await source.innerText();
    const extra = text.split('\n').find((l) => l.length > 12 && !l.includes('［'))!.slice(0, 4);
    await head.getByLabel('需要另外隐去的文字').fill(extra);
    await head.getByRole('button', { name: '增加隐去' }).click();
    expect(await source.locator('mark').count()).toBeGreaterThan(marks);
    await head.screenshot({ path: path.join(SHOTS, 'publicity-confirm.png') });
    await head.getByRole('button', { name: '确认并发布' }).click();
    await head.getByText('已确认发布').waitFor();

    // The portal: a two-word Chinese search finds it; the page verifies against the ledger.
    const id = await (async () => {
      const r = await visitor.request.get(`${h.baseUrl}/api/v1/public/decisions?q=${encodeURIComponent(number)}`);
      return ((await r.json()) as { items: { id: string }[] }).items[0]!.id;
    })();
    const detail = (await (await visitor.request.get(`${h.baseUrl}/api/v1/public/decisions/${id}`)).json()) as { text: string; summary: { violation: string } };
    const words = ['处罚', '当事人'];
    await visitor.goto(`${h.baseUrl}/decisions?q=${encodeURIComponent(words.join(' '))}`);
    expect(await visitor.locator('ol.results li').count()).toBeGreaterThan(0);
    expect(await visitor.locator('mark').count()).toBeGreaterThan(0);
    await visitor.screenshot({ path: path.join(SHOTS, 'publicity-search-phone.png'), fullPage: true });
    await axe(visitor, '/decisions');
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await visitor.goto(`${h.baseUrl}/decisions/${id}`);
      found = (await visitor.getByText(/已记入存证账本第/).count()) > 0;
      if (!found) await visitor.waitForTimeout(500);
    }
    expect(found).toBe(true);
    const shown = (await visitor.locator('pre.decision-text').innerText()).trim();
    expect(shown).toBe(detail.text.trim());
    const digest = crypto.createHash('sha256').update(detail.text, 'utf8').digest('hex');
    expect(await visitor.locator('code.hash').innerText()).toBe(digest);
    expect(shown).not.toContain(extra);
    await visitor.screenshot({ path: path.join(SHOTS, 'publicity-decision-phone.png'), fullPage: true });
    await axe(visitor, '/decisions/<id>');

    // A 复议 revocation recorded by the head withdraws it; the page becomes the withdrawal notice.
    await head.getByRole('button', { name: '登记' }).scrollIntoViewIfNeeded();
    await head.getByLabel('复议机关或法院').fill('演示市人民政府');
    await head.getByLabel('结果日期').fill(todayInChina());
    // Enter picks the date and submits the form; the button is there for a mouse.
    await head.keyboard.press('Enter');
    const submit = head.getByRole('button', { name: '登记', exact: true });
    if (await submit.isVisible()) await submit.click({ timeout: 5000 }).catch(() => undefined);
    for (let i = 0; i < 20 && !(await visitor.goto(`${h.baseUrl}/decisions/${id}`).then(() => visitor.getByRole('heading', { name: '撤回公告' }).count())); i++) await visitor.waitForTimeout(300);
    await visitor.getByRole('heading', { name: '撤回公告' }).waitFor();
    expect(await visitor.locator('pre.decision-text').count()).toBe(0);
    await axe(visitor, '/decisions/<id> withdrawn');

    // A correction request from the portal on another decision, followed and answered.
    const other = ((await (await visitor.request.get(`${h.baseUrl}/api/v1/public/decisions?kind=licensing`)).json()) as { items: { id: string; status: string }[] }).items.find((i) => i.status === 'published')!;
    await visitor.goto(`${h.baseUrl}/decisions/${other.id}`);
    await visitor.getByLabel(/联系方式/).fill('13900002222');
    await visitor.getByLabel(/需要更正的内容/).fill('许可内容中的经营项目表述不完整，请核实。');
    await visitor.getByRole('button', { name: '提交更正申请' }).click();
    await visitor.getByRole('heading', { name: '更正申请办理情况' }).waitFor();
    expect(await visitor.getByText('办理中').count()).toBe(1);
    const trackingUrl = visitor.url();
    await axe(visitor, 'correction tracking page');
    await officer.goto(`${h.baseUrl}/admin/publicity`);
    await officer.getByRole('tab', { name: '更正申请' }).click();
    await officer.getByRole('row').filter({ hasText: '13900002222' }).getByRole('button', { name: /答复不予更正/ }).click();
    await officer.getByText('已答复').waitFor();
    await visitor.goto(trackingUrl);
    await visitor.getByText('不予更正', { exact: true }).waitFor();
    await visitor.screenshot({ path: path.join(SHOTS, 'publicity-correction-answered.png'), fullPage: true });
  });

  it('every portal page passes axe-core (WCAG 2.1 AA)', async () => {
    for (const url of ['/', '/agencies', '/officers', '/procedures', '/ledger/verify', '/decisions', '/decisions?q=%E8%BF%87%E6%9C%9F']) {
      await visitor.goto(`${h.baseUrl}${url}`);
      await axe(visitor, url);
    }
  });
});
