// Issue 13 in Chromium: an officer describes the facts, accepts the suggested violation, ticks two
// circumstances, sees the band, types an amount above it and is asked for a deviation; the head approves
// it; the 裁量说明 names the approval and goes into the decision's draft; similar cases show their reasons.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { openCase, signIn } from './case-walk.ts';

let h: Harness;
let officer: Page;
let head: Page;

beforeAll(async () => {
  h = await startHarness();
  const windowFor = async (username: string): Promise<Page> => {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, username);
    return page;
  };
  officer = await windowFor('scjg_officer');
  head = await windowFor('scjg_head');
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('discretion in the case workspace', () => {
  it('suggestion → circumstances → band → deviation → head’s approval → explanation', async () => {
    const list = await officer.request.get(`${h.baseUrl}/api/v1/cases?q=${encodeURIComponent('销售过期酸奶案')}`);
    const caseId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;
    await openCase(officer, h.baseUrl, `/admin/cases/${caseId}`);
    await officer.getByRole('tab', { name: '裁量与辅助' }).click();
    await officer.getByLabel('违法事实').fill('当事人便利店货架陈列销售超过保质期的酸奶 12 瓶，货值金额 86 元。');
    await officer.getByRole('button', { name: '建议违法行为' }).click();
    const suggestions = officer.getByLabel('违法行为建议');
    const top = suggestions.getByRole('listitem').first();
    await expect.poll(() => top.innerText()).toContain('经营超过保质期的食品（货值金额不足一万元）');
    expect(await top.innerText()).toContain('超过保质期');
    await top.getByRole('button', { name: '采纳' }).click();
    await officer.getByLabel('主动消除或者减轻违法行为危害后果').check();
    await officer.getByLabel('主动供述行政机关尚未掌握的违法行为').check();
    await officer.getByRole('button', { name: '计算建议阶次' }).click();
    const proposal = officer.getByLabel('建议阶次');
    await expect.poll(() => proposal.innerText()).toContain('建议适用“从轻”阶次：50,000 元 至 60,000 元');
    expect(await proposal.innerText()).toContain('第 2 版');
    await officer.getByLabel('罚款金额（元）').fill('62000');
    await officer.getByText('金额超出该阶次幅度').waitFor();
    await officer.getByLabel('调整适用理由').fill('当事人为连锁门店，涉案期间较长，按从轻幅度上限处罚不足以起到警示作用');
    await officer.getByRole('button', { name: '记录裁量' }).click();
    await officer.getByText('待负责人批准').waitFor();
    await officer.screenshot({ path: path.join(SHOTS, 'assist-discretion-officer.png'), fullPage: true });

    await openCase(head, h.baseUrl, `/admin/cases/${caseId}`);
    await head.getByRole('tab', { name: '裁量与辅助' }).click();
    await head.getByRole('button', { name: '批准调整适用' }).click();
    await head.getByText(/已批准（\d{4}-\d{2}-\d{2}）/).waitFor();
    const explanation = await head.getByLabel('裁量说明').innerText();
    expect(explanation).toContain('经本机关主要负责人批准');
    expect(explanation).toContain('本机关决定罚款 62,000 元');
    const similar = await head.getByLabel('类案').innerText();
    expect(similar).toContain('违法行为相同');
    await head.screenshot({ path: path.join(SHOTS, 'assist-discretion-head.png'), fullPage: true });

    const draft = await officer.request.get(`${h.baseUrl}/api/v1/cases/${caseId}/document-prefill?type=penalty_decision&on=2026-11-25`);
    expect(((await draft.json()) as { fields: { discretion: string } }).fields.discretion).toBe(explanation);
  }, 240_000);
});
