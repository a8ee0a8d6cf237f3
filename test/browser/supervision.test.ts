// The justice bureau's desk in Chromium (issue 12): the supervisor opens an alert from the cockpit,
// raises a 监督意见书, the agency head answers with a correction report, the supervisor closes the
// matter; a complaint filed on the portal is accepted, routed and answered, and the portal shows it; a
// supervisor draws a 案卷评查 sample, scores a file on the standard's sheet and the grade reaches the
// yearly assessment.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SHOTS, type Harness } from './harness.ts';
import { choose, signIn } from './case-walk.ts';

let h: Harness;
const windowFor = async (username: string): Promise<Page> => {
  const ctx = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await signIn(page, h.baseUrl, username);
  return page;
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('supervision desk', () => {
  it('alert → 监督意见书 → correction report → closed', async () => {
    const sup = await windowFor('sfj');
    await sup.getByRole('heading', { name: '执法监督驾驶舱' }).waitFor();
    await sup.getByRole('img', { name: '按类型统计的预警' }).waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-cockpit.png'), fullPage: true });
    // Drill down from the cockpit's link for one kind.
    await sup.getByRole('link', { name: /^听证权利未告知 \d+$/ }).click();
    await sup.getByRole('heading', { name: '执法监督预警' }).waitFor();
    expect(new URL(sup.url()).searchParams.get('kind')).toBe('hearing_notice_missing');
    await sup.getByRole('button', { name: '听证权利未告知' }).first().click();
    const drawer = sup.getByRole('dialog');
    await drawer.getByText('行政处罚法》第六十三条', { exact: false }).waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-alert.png') });
    await drawer.getByRole('button', { name: '立案监督' }).click();
    await sup.waitForURL(/\/supervision\/matters\?open=/);
    const matterUrl = new URL(sup.url());
    const m = sup.getByRole('dialog');
    await m.getByTestId('matter-status').getByText('已通知，待说明').waitFor();
    await m.getByRole('radio', { name: '监督意见书' }).check();
    await m.getByLabel('发现的问题 / 意见').fill('作出吊销许可决定前未告知当事人听证权利。');
    await m.getByLabel('整改要求').fill('撤销原决定，依法告知听证权利后重新作出。');
    await m.getByRole('button', { name: '制发文书' }).click();
    await m.getByTestId('matter-status').getByText('已发文书，待整改').waitFor();
    await m.getByText(/行政执法监督意见书 演示司执监意〔\d{4}〕\d+号/).waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-matter-opinion.png') });

    const head = await windowFor('scjg_head');
    await head.getByRole('link', { name: /^办理中的监督事项 \d+$/ }).waitFor();
    await head.goto(`${h.baseUrl}/admin${matterUrl.pathname.replace('/admin', '')}${matterUrl.search}`);
    const hm = head.getByRole('dialog');
    await hm.getByTestId('matter-status').getByText('已发文书，待整改').waitFor();
    await hm.getByLabel('内容').fill('已撤销原决定，重新告知听证权利，当事人已申请听证。');
    await hm.getByRole('button', { name: '报告整改情况' }).click();
    await hm.getByTestId('matter-status').getByText('已报告整改，待审核').waitFor();

    await sup.reload();
    const sm = sup.getByRole('dialog');
    await sm.getByTestId('matter-status').getByText('已报告整改，待审核').waitFor();
    await sm.getByLabel('发现的问题 / 意见').fill('整改到位，予以办结。');
    await sm.getByRole('button', { name: '办结' }).click();
    await sm.getByTestId('matter-status').getByText('已办结').waitFor();
    await sm.getByText('报告整改').first().waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-matter-closed.png') });
  });

  it('a complaint filed on the portal is accepted, routed and answered', async () => {
    const ctx = await h.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const pub = await ctx.newPage();
    await pub.goto(`${h.baseUrl}/complaints`);
    await pub.getByLabel('被投诉的执法机关').selectOption({ label: '演示市市场监督管理局' });
    await pub.getByLabel('投诉事项（一句话）').fill('检查时要求停业整顿但未出具文书');
    await pub.getByLabel('具体情况').fill('执法人员口头要求停业三天，没有任何书面决定。');
    await pub.screenshot({ path: path.join(SHOTS, 'supervision-portal-complaint.png'), fullPage: true });
    await pub.getByRole('button', { name: '提交投诉' }).click();
    const tracking = (await pub.locator('#tracking').innerText()).trim();
    expect(tracking).toMatch(/^TS\d{8}[0-9A-Z]{8}$/);

    const sup = await windowFor('sfj');
    await sup.goto(`${h.baseUrl}/admin/supervision/complaints?status=submitted`);
    await sup.getByRole('button', { name: tracking }).click();
    const d = sup.getByRole('dialog');
    await d.getByText('监督机关：演示市司法局；承办：演示市司法局').waitFor();
    await d.getByRole('button', { name: '受理', exact: true }).click();
    await d.getByTestId('complaint-status').getByText('已受理，办理中').waitFor();
    await d.getByLabel('办理意见').fill('经调查，已责令该局依法出具书面决定并向您说明。');
    await d.getByRole('button', { name: '办结并答复' }).click();
    await d.getByTestId('complaint-status').getByText('已办结').waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-complaint.png') });

    await pub.goto(`${h.baseUrl}/complaints/track?n=${tracking}`);
    await pub.getByText('已办结').first().waitFor();
    await pub.getByText('经调查，已责令该局依法出具书面决定并向您说明。').waitFor();
    await pub.screenshot({ path: path.join(SHOTS, 'supervision-portal-track.png'), fullPage: true });
  });

  it('shows the seeds’ task table in progress and the yearly assessment', async () => {
    const sup = await windowFor('sfj');
    await sup.goto(`${h.baseUrl}/admin/supervision/tasks`);
    await sup.getByText('制定出台行政执法公示实施办法').first().waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-tasks.png'), fullPage: true });
    await sup.goto(`${h.baseUrl}/admin/supervision/assessment`);
    await sup.getByRole('cell', { name: '演示市市场监督管理局' }).waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-assessment.png'), fullPage: true });
  });

  it('案卷评查: a sampled file is scored on the standard’s items and the grade reaches the yearly assessment (R-R07, R-S02)', async () => {
    const sup = await windowFor('sfj');
    const agency = '演示市市场监督管理局';
    // The agency's 案卷评查合格率 cell: 「x%（passed/scored）」, or — when nothing is scored.
    const passCell = async () => {
      await sup.goto(`${h.baseUrl}/admin/supervision/assessment`);
      await sup.getByRole('cell', { name: agency, exact: true }).waitFor();
      const headers = await sup.getByRole('columnheader').allInnerTexts();
      const col = headers.findIndex((t) => t.startsWith('案卷评查合格率'));
      expect(col).toBeGreaterThan(0);
      const row = sup.getByRole('row').filter({ has: sup.getByRole('cell', { name: agency, exact: true }) });
      return (await row.getByRole('cell').nth(col).innerText()).trim();
    };
    const scored = (text: string) => Number(/\/(\d+)）/.exec(text)?.[1] ?? 0);
    const before = await passCell();

    await sup.getByRole('menuitem', { name: '案卷评查' }).click();
    await sup.getByRole('heading', { name: '案卷评查' }).waitFor();
    await sup.getByRole('button', { name: '制定评查方案' }).click();
    const plan = sup.getByRole('dialog');
    await plan.getByLabel('方案名称').fill('2026 年度第二批行政处罚案卷评查');
    await plan.getByLabel('每个机关抽取案卷数').fill('1');
    await plan.getByLabel('随机种子').fill('browser-2026');
    await choose(sup, plan.getByLabel('评查机关', { exact: true }), '演示市生态环境局');
    await plan.getByLabel('评查机关', { exact: true }).press('Escape');
    await plan.getByRole('button', { name: '抽取案卷' }).click();
    await sup.getByRole('heading', { name: '2026 年度第二批行政处罚案卷评查' }).waitFor();
    const fileRow = sup.getByRole('region', { name: '评查方案' }).getByRole('row').filter({ hasText: agency }).filter({ hasText: '待评查' }).first();
    await fileRow.getByRole('button', { name: /^评查 / }).click();

    const sheet = sup.getByRole('dialog');
    await sheet.getByText('否决项（任一项即不合格）').waitFor();
    await sheet.getByText('执法人员少于两人').waitFor();
    await sheet.getByLabel('卷宗封面不规范').fill('1');
    await sheet.getByLabel('文书填写不规范').fill('2');
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-review-sheet.png'), fullPage: true });
    await sheet.getByRole('button', { name: '提交评分' }).click();
    await sheet.getByTestId('review-grade').getByText(/^\d+ 分 (优秀|合格|不合格)$/).waitFor();
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-review-scored.png'), fullPage: true });

    const after = await passCell();
    expect(after).not.toBe(before);
    expect(scored(after)).toBe(scored(before) + 1);
    await sup.screenshot({ path: path.join(SHOTS, 'supervision-assessment-after-review.png'), fullPage: true });
  });
});
