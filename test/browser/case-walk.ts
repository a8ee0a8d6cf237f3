// What an officer, the head and a legal reviewer do in the back office to carry a case through its
// steps: every action goes through the screens (drawers, forms, buttons), nothing through the API.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';
import { SHOTS } from './harness.ts';

export function todayInChina(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').waitFor();
}

export async function openCase(page: Page, baseUrl: string, caseUrl: string): Promise<void> {
  await page.bringToFront();
  await page.goto(`${baseUrl}${caseUrl}`);
  await page.getByRole('region', { name: '可办理环节' }).waitFor();
}

/**
 * The dropdown of one antd Select: the combobox names its list (aria-controls), so a dropdown still
 * fading out from an earlier choice is never mistaken for it.
 */
async function dropdownOf(page: Page, combobox: Locator): Promise<Locator> {
  const list = (await combobox.getAttribute('aria-controls')) ?? (await combobox.getAttribute('aria-owns'));
  return page.locator(".ant-select-dropdown", { has: page.locator(`[id="${list}"]`) }).last();
}

/**
 * Clicks a combobox until its list is open: under load a click can land before the select is ready and
 * open nothing, and a list that is not open has no id to find it by (a CI failure of this stop).
 */
async function openDropdown(page: Page, combobox: Locator): Promise<Locator> {
  const expanded = combobox.and(page.locator('[aria-expanded="true"]'));
  for (let attempt = 0; attempt < 3 && !(await expanded.count()); attempt++) {
    await combobox.click();
    await expanded.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  return dropdownOf(page, combobox);
}

/** Picks an antd Select option by its text, with the keyboard (↓ until it is highlighted, then Enter). */
export async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  const dropdown = await openDropdown(page, select);
  await dropdown.locator('.ant-select-item-option').first().waitFor();
  const matches = (t: string) => (typeof option === 'string' ? t === option : option.test(t));
  for (let i = 0; i < 40; i++) {
    const active = dropdown.locator('.ant-select-item-option-active');
    if ((await active.count()) && matches((await active.first().innerText()).trim())) {
      await select.press('Enter');
      return;
    }
    await select.press('ArrowDown');
  }
  throw new Error(`选项“${String(option)}”不在列表中`);
}

async function pickOfficers(page: Page, scope: Locator, label: string, count: number): Promise<void> {
  const select = scope.getByLabel(label, { exact: true });
  const holder = select.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]');
  // The form may start with the officers already there (the last step's pair, or the signed-in officer).
  const chosen = () => holder.locator('.ant-select-selection-item').count();
  if ((await chosen()) >= count) return;
  const dropdown = await openDropdown(page, select);
  await dropdown.locator('.ant-select-item-option').first().waitFor();
  // By keyboard, as a clerk would: ↓ moves to the next person, Enter takes one not yet chosen.
  for (let i = 0; i < 40 && (await chosen()) < count; i++) {
    const active = dropdown.locator('.ant-select-item-option-active');
    if ((await active.count()) && !(await active.first().getAttribute('class'))?.includes('ant-select-item-option-selected')) await select.press('Enter');
    else await select.press('ArrowDown');
  }
  await select.press('Escape');
}

/**
 * Fills what the prefill could not know, the way an officer types it: every required text left empty
 * gets a sentence, dates the step's date, choices their first option. Fields that matter to the case
 * (facts, amounts) are set by the caller before this runs.
 */
export async function fillRemaining(page: Page, drawer: Locator, on: string): Promise<void> {
  // Yes/no questions left open: what the law requires done (告知, 出示证件, 知悉后果, 承诺真实) is answered 是,
  // as an officer who did it would; the rest (e.g. 是否申请回避) gets the plain answer 否.
  const items = drawer.locator('.ant-form-item:has(.ant-form-item-required):has(.ant-radio-group)');
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    const g = item.locator('.ant-radio-group').first();
    if (!(await g.isVisible()) || (await g.locator('input:checked').count()) > 0) continue;
    const label = (await item.locator('.ant-form-item-label').first().textContent()) ?? '';
    const answer = /告知|出示|知悉|承诺|真实/.test(label) ? '是' : '否';
    const radio = g.getByRole('radio', { name: answer, exact: true });
    await ((await radio.count()) ? radio : g.getByRole('radio').first()).check();
  }
  const required = drawer.locator('[aria-required="true"]');
  const n = await required.count();
  for (let i = 0; i < n; i++) {
    const el = required.nth(i);
    if (!(await el.isVisible())) continue;
    const role = await el.getAttribute('role');
    const type = await el.getAttribute('type');
    const tag = await el.evaluate((e) => e.tagName.toLowerCase());
    if (role === 'combobox') {
      const holder = el.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]');
      // antd shows its placeholder only while nothing is chosen.
      if ((await holder.locator('[class*="placeholder"]:visible').count()) === 0) continue;
      if ((await holder.getAttribute('class'))?.includes('ant-select-multiple')) {
        // A list of sentences (mode tags): type one and press Enter.
        await el.fill('现场检查笔录、询问笔录及现场照片（浏览器测试）');
        await el.press('Enter');
        continue;
      }
      // Checked and retried: a click that lands while the list is still opening chooses nothing (the
      // CI failure of stop 22: 执行方式 left empty).
      const placeholder = holder.locator('[class*="placeholder"]:visible');
      for (let attempt = 0; attempt < 3 && (await placeholder.count()) > 0; attempt++) {
        await (await openDropdown(page, el)).locator('.ant-select-item-option').first().click();
        await placeholder.first().waitFor({ state: 'detached', timeout: 3000 }).catch(() => undefined);
      }
      continue;
    }
    if (tag !== 'input' && tag !== 'textarea') continue;
    if ((await el.inputValue()) !== '') continue;
    if (type === 'date') await el.fill(on);
    else if (type === 'datetime-local') await el.fill(`${on}T09:30`);
    else if ((await el.getAttribute('class'))?.includes('ant-input-number-input')) await el.fill('1');
    else {
      const label = (await el.getAttribute('aria-label')) ?? '内容';
      await el.fill(`经查，${label}如实记载（浏览器测试）。`);
    }
  }
}

/** Presses a dialog's button and waits for it to close; a refusal shown in it fails with its text. */
export async function submitDialog(dialog: Locator, button: string): Promise<void> {
  await dialog.getByRole('button', { name: button, exact: true }).click();
  const outcome = await Promise.race([
    dialog.waitFor({ state: 'detached', timeout: 60_000 }).then(() => 'closed' as const),
    dialog.getByRole('alert').first().waitFor({ timeout: 60_000 }).then(() => 'refused' as const),
  ]);
  if (outcome === 'refused') throw new Error(`「${button}」未成功：${await dialog.getByRole('alert').first().innerText()}`);
}

export interface StepPlan {
  on: string;
  officers?: number;
  /** Fact labels to the option text to pick. */
  facts?: Record<string, string>;
  numbers?: Record<string, number>;
  presider?: boolean;
  /** Called with the drawer before the generic filling, for list items and chosen values. */
  before?: (drawer: Locator) => Promise<void>;
  /** The step is expected to be refused with this text. */
  refusedWith?: RegExp;
}

/**
 * Waits until no prefill is in flight: a prefill answer that arrives after the generic filling replaces
 * every document field (the CI failure of stop 19: the seizure's 强制措施 chosen, then wiped by a late
 * answer). Checked twice, as the drawer's own prefill may start after the officer lookup returns.
 */
async function prefillSettled(page: Page, drawer: Locator): Promise<void> {
  const busy = drawer.locator('button.ant-btn-loading', { hasText: '重新预填' });
  for (let settled = 0; settled < 2; ) {
    await page.waitForTimeout(300);
    if (await busy.count()) {
      settled = 0;
      await busy.waitFor({ state: 'detached', timeout: 60_000 });
    } else settled++;
  }
}

/** Opens 办理 on one available step, fills the form and submits it; returns the drawer's outcome. */
export async function performStep(page: Page, stepName: string, plan: StepPlan): Promise<void> {
  await page.getByRole('button', { name: `办理 ${stepName}`, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: `办理：${stepName}` });
  await drawer.waitFor();
  await drawer.getByLabel('办理日期').fill(plan.on);
  if (plan.officers) await pickOfficers(page, drawer, '执法人员', plan.officers);
  if (plan.presider) {
    await choose(page, drawer.getByLabel('主持人', { exact: true }), /（/);
  }
  for (const [label, option] of Object.entries(plan.facts ?? {})) {
    const group = drawer.getByRole('radiogroup', { name: label, exact: true });
    if (await group.count()) await group.getByRole('radio', { name: option, exact: true }).check();
    else await choose(page, drawer.getByLabel(label, { exact: true }), option);
  }
  for (const [label, value] of Object.entries(plan.numbers ?? {})) await drawer.getByLabel(label, { exact: true }).fill(String(value));
  if (plan.officers || plan.on) {
    await drawer.getByRole('button', { name: '按案件信息和所选人员重新预填' }).click().catch(() => undefined);
    await prefillSettled(page, drawer);
  }
  await plan.before?.(drawer);
  await fillRemaining(page, drawer, plan.on);
  // Again, for anything a late re-render emptied; what is filled is left alone.
  await fillRemaining(page, drawer, plan.on);
  if (plan.refusedWith) {
    await drawer.getByRole('button', { name: '确认办理' }).click();
    const refused = drawer.getByRole('alert').filter({ hasText: plan.refusedWith });
    const invalid = drawer.locator('.ant-form-item-explain-error').first();
    await refused.or(invalid).first().waitFor();
    if (!(await refused.count())) throw new Error(`「${stepName}」未到服务器：${(await drawer.locator('.ant-form-item-explain-error').allInnerTexts()).join('；')}`);
    return;
  }
  await confirmStep(page, stepName);
}

/** Presses 确认办理 and waits until the step is done; a refusal or a form error fails with its text. */
export async function confirmStep(page: Page, stepName: string): Promise<void> {
  const drawer = page.getByRole('dialog', { name: `办理：${stepName}` });
  await drawer.getByRole('button', { name: '确认办理' }).click();
  const outcome = await Promise.race([
    drawer.waitFor({ state: 'detached', timeout: 60_000 }).then(() => 'done' as const),
    drawer.getByRole('alert').waitFor({ timeout: 60_000 }).then(() => 'refused' as const),
    drawer.locator('.ant-form-item-explain-error').first().waitFor({ timeout: 60_000 }).then(() => 'invalid' as const),
  ]);
  if (outcome !== 'done') {
    await page.screenshot({ path: path.join(SHOTS, `refused-${stepName}.png`), fullPage: true });
    const text = outcome === 'refused' ? await drawer.getByRole('alert').first().innerText() : (await drawer.locator('.ant-form-item-explain-error').allInnerTexts()).join('；');
    throw new Error(`「${stepName}」未能办理：${text}`);
  }
  await page.getByRole('region', { name: '可办理环节' }).waitFor();
}

/** The head approves a step that needs approval (R-L09). */
export async function approveStep(page: Page, stepName: string, on: string): Promise<void> {
  await page.getByRole('button', { name: `批准办理 ${stepName}` }).click();
  const modal = page.getByRole('dialog', { name: `批准办理：${stepName}` });
  await modal.getByLabel('批准日期').fill(on);
  await submitDialog(modal, '批准');
}

/** Registers an AV record of a step with a file uploaded through the evidence upload (with progress). */
export async function recordAv(page: Page, opener: Locator, file: string, on: string): Promise<void> {
  await opener.click();
  const drawer = page.getByRole('dialog', { name: '登记执法记录' });
  await drawer.waitFor();
  await drawer.getByLabel('记录名称').fill('执法记录仪录像');
  await drawer.getByLabel('文字说明').fill('执法人员出示证件、告知权利并全程录像，画面连续无中断。');
  await drawer.getByLabel('选择记录文件').setInputFiles(file);
  await drawer.getByLabel('记录设备编号').fill('DSJ-2026-001');
  await drawer.getByLabel('开始时间（北京时间）').fill(`${on}T09:00`);
  await drawer.getByLabel('结束时间（北京时间）').fill(`${on}T09:40`);
  await drawer.getByLabel('地点').fill('演示市西湖区文三路 100 号');
  await pickOfficers(page, drawer, '在场执法人员', 2);
  await drawer.getByLabel('保管人').fill('证据保管员 周某');
  await submitDialog(drawer, '登记');
}

/** Writes a fine into the document's list of penalties (the amount the step's fact also states). */
export async function fine(page: Page, drawer: Locator, amount: number): Promise<void> {
  if ((await drawer.getByLabel('处罚种类', { exact: true }).count()) === 0) await drawer.getByRole('button', { name: /^添加/ }).first().click();
  await choose(page, drawer.getByLabel('处罚种类', { exact: true }).first(), '罚款');
  await drawer.getByLabel('金额', { exact: true }).first().fill(String(amount));
}

export interface Actors {
  officer: Page;
  head: Page;
  reviewer: Page;
  baseUrl: string;
}

async function reload(page: Page): Promise<void> {
  // Each person has a window; the one in front runs its animations (background windows throttle them).
  await page.bringToFront();
  await page.getByRole('button', { name: '刷新案件' }).click();
  await page.getByRole('region', { name: '可办理环节' }).waitFor();
}

/** The officer registers a case through 登记案件 and lands in its workspace; returns its URL path. */
export async function registerCase(page: Page, procedure: string, title: string): Promise<string> {
  await page.getByRole('navigation', { name: '主菜单' }).getByText('案件', { exact: true }).click();
  await page.getByRole('button', { name: '登记案件' }).click();
  const d = page.getByRole('dialog', { name: '登记案件' });
  await choose(page, d.getByLabel('程序', { exact: true }), procedure);
  await d.getByLabel('案由（案件名称）').fill(title);
  await d.getByLabel('执法区域').fill('演示市西湖区');
  await d.getByLabel('当事人名称').fill('演示某某食品贸易有限公司');
  await d.getByLabel('证件号码').fill('91330106MA2H3K7Q4Q');
  await d.getByLabel('住所（住址）').fill('演示市西湖区文三路 100 号');
  await d.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByRole('region', { name: '可办理环节' }).waitFor();
  return new URL(page.url()).pathname;
}

/**
 * 行政处罚普通程序 from registration to archive (R-R01): filing and decision approved by the head
 * (R-L09), an AV record uploaded at the inspection (R-R03), a 60,000 yuan fine that the catalog makes a
 * major decision, so the legal reviewer's passed opinion comes before the decision (R-L01, R-L05).
 */
export async function walkPenaltyCase(a: Actors, video: string): Promise<string> {
  // Every step today: the demo's certificates are valid today, and waiving the hearing ends its window.
  const today = todayInChina();
  const o = a.officer;
  await o.bringToFront();
  const url = await registerCase(o, '行政处罚普通程序', '涉嫌经营超过保质期的食品案');
  await performStep(o, '案源登记', { on: today, officers: 2 });

  await openCase(a.head, a.baseUrl, url);
  await approveStep(a.head, '立案', today);
  await reload(o);
  // Written once on the filing form; later documents take it from there.
  await performStep(o, '立案', { on: today, officers: 2, before: (d) => d.getByLabel('法定代表人（负责人）').first().fill('王某某') });

  await recordAv(o, o.getByRole('button', { name: '登记音像：现场检查（勘验）' }), video, today);
  await performStep(o, '现场检查（勘验）', { on: today, officers: 2 });
  await performStep(o, '询问', {
    on: today,
    officers: 2,
    before: async (drawer) => {
      await drawer.getByRole('button', { name: /^添加问答/ }).click();
    },
  });
  await performStep(o, '调查终结', {
    on: today,
    officers: 2,
    facts: { 拟处理意见: '给予行政处罚', [HEARING_LABEL]: '属于听证范围', '情节复杂或者重大违法行为，须负责人集体讨论': '无须集体讨论' },
  });
  await performStep(o, '行政处罚事先告知', { on: today, officers: 2, numbers: { 事先告知的罚款金额: 60000 }, before: (d) => fine(o, d, 60000) });
  await performStep(o, '当事人放弃听证', { on: today, officers: 2 });

  // 法制审核: the officer submits, the reviewer passes it (R-L05, R-L06).
  await o.getByRole('tab', { name: /法制审核/ }).click();
  await o.getByRole('button', { name: '报送法制审核' }).click();
  const submit = o.getByRole('dialog', { name: '报送法制审核' });
  await submit.getByLabel('报送日期').fill(today);
  await submit.getByRole('textbox', { name: '案件情况说明' }).first().fill('当事人经营超过保质期的食品，货值金额五千余元，事实清楚。');
  await submit.getByRole('textbox', { name: '拟作出的执法决定' }).first().fill('没收超过保质期的食品，罚款六万元。');
  const notes: Record<string, string> = {
    案件情况说明: '见调查终结报告',
    证据材料: '现场检查笔录、询问笔录、执法记录仪录像',
    法律依据: '《中华人民共和国食品安全法》第三十四条、第一百二十四条',
    拟作出的执法决定: '没收超过保质期的食品，罚款六万元',
    '当事人陈述、申辩意见': '当事人放弃听证，未提出陈述申辩',
    执法过程记录: '立案审批表、行政处罚事先告知书',
  };
  for (const [label, note] of Object.entries(notes)) await submit.getByLabel(`${label}：说明`).fill(note);
  // R-L03: assigned to the agency's own reviewer; the list also offers the justice bureau's shared adviser.
  await submit.getByLabel('指派审核人员').click();
  await o.getByTitle('郑顾问（演示市司法局）').waitFor();
  await o.getByTitle('孙法审', { exact: true }).click();
  await submit.getByLabel('本单位对报送材料的真实性、完整性负责').check();
  await o.screenshot({ path: path.join(SHOTS, 'case-review-submit.png'), fullPage: true });
  await submitDialog(submit, '报送');

  await openCase(a.reviewer, a.baseUrl, url);
  await a.reviewer.getByRole('tab', { name: /法制审核/ }).click();
  await a.reviewer.getByText('指派：孙法审（演示市市场监督管理局）').waitFor();
  await a.reviewer.getByRole('button', { name: '出具审核意见' }).click();
  const opinion = a.reviewer.getByRole('dialog', { name: /出具审核意见/ });
  await opinion.getByLabel('审核日期').fill(today);
  await opinion.getByLabel('书面审核意见', { exact: true }).fill('事实清楚，证据确凿，适用依据正确，程序合法，同意。');
  await a.reviewer.screenshot({ path: path.join(SHOTS, 'case-review-opinion.png'), fullPage: true });
  await submitDialog(opinion, '出具意见');

  await reload(a.head);
  await approveStep(a.head, '作出行政处罚决定', today);
  await reload(o);
  await performStep(o, '作出行政处罚决定', { on: today, officers: 2, numbers: { 决定的罚款金额: 60000 }, facts: { 宣告决定时当事人在场: '当事人不在场' }, before: async (d) => {
    await fine(o, d, 60000);
    await d.getByLabel('缴款方式', { exact: true }).fill('持本决定书到指定银行缴纳或通过非税收入电子缴款系统缴纳');
  } });
  // The service receipt is drafted ahead in 执法文书, saved, reopened, finalised, then used by the step.
  await o.getByRole('tab', { name: /执法文书/ }).click();
  await o.getByRole('button', { name: '起草文书' }).click();
  const draft = o.getByRole('dialog', { name: '起草文书' });
  await choose(o, draft.getByLabel('文书', { exact: true }), '送达回证');
  await draft.getByLabel('送达方式', { exact: true }).waitFor();
  await fillRemaining(o, draft, today);
  await submitDialog(draft, '保存草稿');
  await o.getByRole('button', { name: '修改 送达回证 草稿' }).click();
  await submitDialog(o.getByRole('dialog', { name: '修改草稿：送达回证' }), '定稿');
  await performStep(o, '送达', { on: today, officers: 2 });
  await performStep(o, '执法决定公示', { on: today, officers: 2 });
  await performStep(o, '执行完毕', { on: today, officers: 2 });
  await reload(a.head);
  await approveStep(a.head, '结案', today);
  await reload(o);
  await performStep(o, '结案', { on: today, officers: 2 });

  await o.getByRole('tab', { name: '案卷' }).click();
  await o.getByRole('button', { name: '立卷归档', exact: true }).click();
  const archive = o.getByRole('dialog', { name: '立卷归档' });
  await archive.getByLabel('归档日期').fill(today);
  await submitDialog(archive, '归档');
  return url;
}

const HEARING_LABEL = '拟处罚属于听证范围（较大数额罚款、没收较大数额违法所得或非法财物、降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等）';

/**
 * 查封、扣押 (行政强制法第十八条, R-R04): the head approves, the officer tries to seize without AV and the
 * engine refuses; the whole-process video is uploaded through the record form and the seizure goes through.
 */
export async function walkSeizure(a: Actors, video: string): Promise<string> {
  const today = todayInChina();
  const o = a.officer;
  await o.bringToFront();
  const url = await registerCase(o, '行政强制措施（查封、扣押）', '扣押涉嫌超过保质期的食品');
  // The approval form names the things to be seized (对象清单, at least one row).
  const addRows = async (d: Locator) => {
    for (const add of await d.getByRole('button', { name: /^添加/ }).all()) await add.click();
    for (const rep of await d.getByLabel('法定代表人（负责人）').all()) await rep.fill('王某某');
    const measure = d.getByRole('radiogroup', { name: '拟采取的措施', exact: true });
    if (await measure.count()) await measure.getByRole('radio', { name: '扣押', exact: true }).check();
    else await choose(o, d.getByLabel('拟采取的措施', { exact: true }), '扣押');
  };
  await performStep(o, '报请实施强制措施', { on: today, officers: 2, before: addRows, facts: { 强制措施种类: '扣押财物', '情况紧急，需要当场实施': '非紧急情况' } });
  await openCase(a.head, a.baseUrl, url);
  await approveStep(a.head, '实施查封、扣押', today);
  await reload(o);
  const items = async (d: Locator) => {
    for (const add of await d.getByRole('button', { name: /^添加/ }).all()) await add.click();
    for (const rep of await d.getByLabel('法定代表人（负责人）').all()) await rep.fill('王某某');
    // 行政强制法第十八条: the party is present and told the reasons, the basis and its rights on the spot.
    for (const q of ['当事人是否到场', '是否当场告知理由、依据、权利和救济途径']) {
      await d.locator('.ant-form-item', { hasText: q }).last().getByRole('radio', { name: '是', exact: true }).check();
    }
  };
  await performStep(o, '实施查封、扣押', { on: today, officers: 2, before: items, refusedWith: /全程音像记录/ });
  await o.screenshot({ path: path.join(SHOTS, 'case-seizure-refused.png'), fullPage: true });
  const drawer = o.getByRole('dialog', { name: '办理：实施查封、扣押' });
  await recordAv(o, drawer.getByRole('button', { name: '登记音像记录' }), video, today);
  await drawer.getByRole('alert').waitFor({ state: 'detached' });
  await confirmStep(o, '实施查封、扣押');
  return url;
}
