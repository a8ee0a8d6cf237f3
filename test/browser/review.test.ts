// Issue 9, legal review end to end in Chromium, one window per person: the officer's desk shows the
// demo case whose first review (孙法审) found problems (R-L07); the officer answers each problem and
// resubmits; 孙法审, who meanwhile made a record of the case, is refused as its reviewer with the
// reason, both when the officer assigns him and when he gives an opinion (R-L03); 王法审 passes round 2;
// the head approves the decision (R-L09) and the case's 责任追溯 tab shows steps, rounds and approval.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { approveStep, choose, fillRemaining, fine, openCase, performStep, signIn, submitDialog, todayInChina } from './case-walk.ts';

let h: Harness;
const windows: Record<'officer' | 'head' | 'reviewer' | 'reviewer2', Page> = {} as never;

beforeAll(async () => {
  h = await startHarness();
  const users = { officer: 'scjg_officer', head: 'scjg_head', reviewer: 'scjg_reviewer', reviewer2: 'scjg_reviewer2' } as const;
  for (const [who, username] of Object.entries(users) as [keyof typeof users, string][]) {
    const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    windows[who] = await ctx.newPage();
    await signIn(windows[who], h.baseUrl, username);
  }
});
afterAll(() => h?.close());

async function reviewsTab(page: Page, url: string) {
  await openCase(page, h.baseUrl, url);
  await page.getByRole('tab', { name: /法制审核/ }).click();
  await page.getByRole('region', { name: '法制审核', exact: true }).waitFor();
}

describe('a review returned with problems, answered, passed by another reviewer, decided and accounted for', () => {
  it('goes from the officer’s desk to the accountability page; a reviewer who handled the case is refused with the reason (R-L03, R-L07, R-L09)', async () => {
    const today = todayInChina();
    const { officer: o, head, reviewer: sun, reviewer2: wang } = windows;

    // The desk: the demo case whose first review came back with problems, one click from its review tab.
    await o.bringToFront();
    await o.goto(`${h.baseUrl}/admin/`);
    const desk = o.getByRole('region', { name: '我的待办' });
    const item = desk.locator('a[data-kind="review_returned"]', { hasText: '经营超过保质期的食品案（听证、法制审核）' }).first();
    await item.waitFor();
    expect(await item.textContent()).toMatch(/第 1 次法制审核退回补正/);
    await o.screenshot({ path: path.join(SHOTS, 'review-desk.png'), fullPage: true });
    await item.click();
    await o.waitForURL(/\/admin\/cases\/[0-9a-f-]{36}\?tab=reviews$/);
    const url = new URL(o.url()).pathname;
    const reviews = o.getByRole('region', { name: '法制审核', exact: true });
    await reviews.waitFor();
    expect(await reviews.innerText()).toMatch(/第 1 次报送[\s\S]*存在问题，退回补正[\s\S]*证据链不完整/);

    // 孙法审, who gave the first opinion, writes down for the unit what the supplier said: now he handled the case.
    await openCase(sun, h.baseUrl, url);
    await sun.getByRole('tab', { name: /记录与调阅/ }).click();
    await sun.getByRole('button', { name: '登记记录', exact: true }).click();
    const record = sun.getByRole('dialog', { name: '登记执法记录' });
    await choose(sun, record.getByLabel('记录类型', { exact: true }), '文字记录');
    await record.getByLabel('记录名称').fill('供货商情况说明');
    await record.getByLabel('文字说明').fill('电话向供货商核实进货时间和批次');
    await record.getByLabel('记录正文').fill('供货商称上述批次食品于保质期届满前一个月供货，当事人此后未退货。');
    await record.getByLabel('开始时间（北京时间）').fill(`${today}T09:00`);
    await record.getByLabel('结束时间（北京时间）').fill(`${today}T09:20`);
    await record.getByLabel('地点').fill('市市场监管局法规科');
    await record.getByLabel('保管人').fill('法规科 孙法审');
    await submitDialog(record, '登记');

    // The officer corrects (the step the procedure asks for, when the demo stopped before it) and resubmits.
    await openCase(o, h.baseUrl, url);
    if (await o.getByRole('button', { name: '办理 按审核意见补正', exact: true }).count()) await performStep(o, '按审核意见补正', { on: today, officers: 2 });
    await o.getByRole('tab', { name: /法制审核/ }).click();
    await o.getByRole('button', { name: '报送法制审核' }).click();
    const submit = o.getByRole('dialog', { name: '报送法制审核' });
    await submit.getByLabel('报送日期').fill(today);
    await submit.getByRole('textbox', { name: '案件情况说明' }).first().fill('当事人经营超过保质期的食品，已补充调取进货台账和销售记录，证据链完整。');
    await submit.getByRole('textbox', { name: '拟作出的执法决定' }).first().fill('没收超过保质期的食品，罚款六万元。');
    // R-L07: each problem of round 1 is answered point by point.
    const answer = submit.getByLabel('第 1 次审核问题 1：证据链不完整');
    await answer.fill('已补充调取进货台账、销售记录及供货商询问笔录，证明当事人明知食品超过保质期仍予销售。');
    const notes: Record<string, string> = {
      案件情况说明: '见调查终结报告及补充调查报告',
      证据材料: '现场检查笔录、询问笔录、进货台账、销售记录、执法记录仪录像',
      法律依据: '《中华人民共和国食品安全法》第三十四条、第一百二十四条',
      拟作出的执法决定: '没收超过保质期的食品，罚款六万元',
      '当事人陈述、申辩意见': '当事人申请听证，听证意见已在听证报告中载明',
      执法过程记录: '立案审批表、行政处罚事先告知书、听证通知书',
    };
    for (const [label, note] of Object.entries(notes)) await submit.getByLabel(`${label}：说明`).fill(note);
    // The case was heard: the final hearing transcript goes with it (R-L06).
    await submit.getByRole('checkbox', { name: '听证笔录', exact: true }).check();
    await choose(o, submit.getByLabel('听证笔录：所附文书', { exact: true }), /^听证笔录/);
    await o.keyboard.press('Escape');
    await submit.getByLabel('本单位对报送材料的真实性、完整性负责').check();

    // R-L03: the officer assigns 孙法审 again; he made a record of the case, so he is refused with the reason.
    await choose(o, submit.getByLabel('指派审核人员', { exact: true }), '孙法审');
    await submit.getByRole('button', { name: '报送', exact: true }).click();
    await submit.getByText(/该审核人员参与过本案办理（记录“供货商情况说明”）/).first().waitFor();
    expect(await submit.innerText()).toMatch(/审核人员与承办人员应当分离（R-L03）/);
    await submit.getByLabel('指派审核人员', { exact: true }).scrollIntoViewIfNeeded();
    await o.screenshot({ path: path.join(SHOTS, 'review-assign-refused.png') });
    // A different reviewer of the body: 王法审.
    await choose(o, submit.getByLabel('指派审核人员', { exact: true }), '王法审');
    await o.screenshot({ path: path.join(SHOTS, 'review-resubmit.png'), fullPage: true });
    await submit.getByRole('button', { name: '报送', exact: true }).click();
    await submit.waitFor({ state: 'detached' });
    const round2 = o.getByRole('region', { name: '法制审核', exact: true });
    await expect.poll(async () => round2.innerText()).toMatch(/第 2 次报送[\s\S]*待审核[\s\S]*指派：王法审/);

    // 孙法审 is of the body and may open the opinion form, but signing it is refused with the reason.
    await reviewsTab(sun, url);
    await sun.getByRole('button', { name: '出具审核意见' }).click();
    const refused = sun.getByRole('dialog', { name: '出具审核意见（第 2 次报送）' });
    await refused.getByLabel('审核日期').fill(today);
    await refused.getByLabel('书面审核意见', { exact: true }).fill('证据已补充完整，同意。');
    await refused.getByRole('button', { name: '出具意见', exact: true }).click();
    const reason = refused.getByRole('alert').filter({ hasText: '参与过本案办理' });
    await reason.waitFor();
    expect(await reason.innerText()).toMatch(/该审核人员参与过本案办理（记录“供货商情况说明”），不得担任本案的法制审核人员/);
    await reason.scrollIntoViewIfNeeded();
    await sun.screenshot({ path: path.join(SHOTS, 'review-reviewer-refused.png') });
    await refused.getByRole('button', { name: '取消', exact: true }).click();

    // 王法审 passes round 2.
    await reviewsTab(wang, url);
    await wang.getByRole('button', { name: '出具审核意见' }).click();
    const opinion = wang.getByRole('dialog', { name: '出具审核意见（第 2 次报送）' });
    await opinion.getByLabel('审核日期').fill(today);
    await opinion.getByLabel('书面审核意见', { exact: true }).fill('补充证据已形成完整证据链，事实清楚，适用依据正确，程序合法，同意。');
    await submitDialog(opinion, '出具意见');
    const passed = wang.getByRole('region', { name: '法制审核', exact: true });
    await expect.poll(async () => passed.innerText()).toMatch(/第 2 次报送[\s\S]*审核通过[\s\S]*法制审核员（二）/);
    // The rounds side by side: the answer beside round 2, the reviewers of both rounds.
    // The comparison loads on its own after the opinion; wait for round 2's result in it.
    const table = wang.getByRole('table', { name: '各轮审核对照' });
    await expect.poll(async () => table.innerText()).toMatch(/审核通过（市市场监管局 法制审核员（二））/);
    const compare = await table.innerText();
    expect(compare).toContain('证据链不完整：已补充调取进货台账');
    expect(compare).toMatch(/存在问题，退回补正（市市场监管局 法制审核员）/);
    await wang.screenshot({ path: path.join(SHOTS, 'review-round2-passed.png'), fullPage: true });

    // The head decides: approves the penalty decision; the officer issues it with what the review passed.
    await openCase(head, h.baseUrl, url);
    await approveStep(head, '作出行政处罚决定', today);
    await openCase(o, h.baseUrl, url);
    await performStep(o, '作出行政处罚决定', {
      on: today, officers: 2, numbers: { 决定的罚款金额: 60000 }, facts: { 宣告决定时当事人在场: '当事人不在场' },
      before: async (d) => {
        await fine(o, d, 60000);
        await d.getByLabel('缴款方式', { exact: true }).fill('持本决定书到指定银行缴纳或通过非税收入电子缴款系统缴纳');
      },
    });

    // R-L09: the accountability tab shows all of it.
    await o.getByRole('tab', { name: '责任追溯' }).click();
    const account = o.getByRole('region', { name: '责任追溯' });
    await account.getByRole('table', { name: '各环节承办与批准' }).waitFor();
    const decision = await account.locator('.ant-descriptions').first().innerText();
    expect(decision).toMatch(/行政处罚决定[\s\S]*市市场监管局 局长（/);
    const steps = await account.getByRole('table', { name: '各环节承办与批准' }).innerText();
    expect(steps).toContain('按审核意见补正');
    expect(steps).toMatch(/作出行政处罚决定[^\n]*\n?[\s\S]*市市场监管局 局长/);
    const rounds = await account.locator('[aria-label="法制审核各轮"]').innerText();
    expect(rounds).toMatch(/第 1 次报送[\s\S]*存在问题，退回补正[\s\S]*审核人员 市市场监管局 法制审核员，[\s\S]*存在的问题：证据链不完整/);
    expect(rounds).toMatch(new RegExp(`第 2 次报送[\\s\\S]*审核通过[\\s\\S]*${today} 市市场监管局 执法人员 报送；审核人员 市市场监管局 法制审核员（二），${today} 出具意见`));
    await o.screenshot({ path: path.join(SHOTS, 'review-accountability.png'), fullPage: true });
  }, 600_000);
});
