// Supervision demo (issue 12): historical cases taken over from before the platform that trip every
// computable alert rule (the live demo cases run through the engine, which refuses most of these), a full
// recomputation (which also raises 零执法 and whatever the live cases trip), some alerts answered and
// resolved, complaints at each stage, and matters at each stage with one objection.
import type { Actor, Role } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { addDays } from '../platform/calendar/index.ts';
import { jurisdictionPrefix } from '../platform/jurisdiction.ts';
import { todayInShanghai } from '../platform/validation.ts';
import type { ClockState } from '../cases/procedures/index.ts';
import { importHistoricalCase, type HistoricalCase } from '../cases/historical.ts';
import { answerAlert, listAlerts, recomputeAlerts, resolveAlert } from './alerts.ts';
import { closeComplaint, decideComplaint, enterComplaint } from './complaints.ts';
import { assignTask, importTasks, reportTask } from './tasks.ts';
import { SEED_TASKS, SEED_TASK_SOURCE } from './task-seed.ts';
import { createReviewPlan, getReviewFile, scoreReviewFile } from './reviews.ts';
import { closeMatter, explainMatter, issueInstrument, objectToInstrument, openMatter, reportCorrection } from './matters.ts';

async function actor(ctx: AppContext, username: string): Promise<Actor> {
  const { rows } = await ctx.db.query<{ id: string; display_name: string; role: Role; agency_id: string; region_code: string }>(
    `SELECT u.id, u.display_name, u.role, u.agency_id, a.region_code FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username = $1`, [username]);
  const u = rows[0]!;
  return { kind: 'user', id: u.id, name: u.display_name, role: u.role, agencyId: u.agency_id, jurisdiction: u.role === 'supervisor' ? jurisdictionPrefix(u.region_code) : null, scopes: [] };
}

const clock = (key: string, startedOn: string, stoppedOn: string | null = null): ClockState => ({
  key, startedOn, startedBySeq: 2, status: stoppedOn ? 'stopped' : 'running', stoppedOn, stoppedBySeq: stoppedOn ? 3 : null, stopReason: stoppedOn ? 'step' : null, pauses: [], extensions: [],
});

/** The demo agencies by their key in src/seed/demo.ts, found by their (fixed) demo names. */
async function demoAgencies(ctx: AppContext): Promise<Map<string, string>> {
  const names: Record<string, string> = { city_scjg: '演示市市场监督管理局', xh_zhzf: '演示市西湖区综合行政执法局', city_sthj: '演示市生态环境局' };
  const { rows } = await ctx.db.query<{ id: string; name: string }>(`SELECT id, name FROM agencies WHERE name = ANY($1::text[])`, [Object.values(names)]);
  return new Map(Object.entries(names).map(([k, n]) => [k, rows.find((r) => r.name === n)!.id]));
}

export async function loadSupervisionDemo(ctx: AppContext) {
  const ids = await demoAgencies(ctx);
  const today = todayInShanghai();
  const d = (n: number) => addDays(today, -n);
  const { rows: officers } = await ctx.db.query<{ id: string; name: string; certificate_number: string; agency_id: string; valid_to: string }>(
    `SELECT id, name, certificate_number, agency_id, valid_to FROM officers WHERE agency_id = ANY($1::uuid[]) ORDER BY certificate_number`, [[ids.get('city_scjg'), ids.get('xh_zhzf')]]);
  const of = (agency: string) => officers.filter((o) => o.agency_id === ids.get(agency) && o.valid_to >= '2029-01-01').map((o) => ({ id: o.id, name: o.name, certificateNumber: o.certificate_number }));
  const expired = officers.find((o) => o.agency_id === ids.get('city_scjg') && o.valid_to < today)!;
  const pair = of('city_scjg').slice(0, 2);
  const xhPair = of('xh_zhzf').slice(0, 2);
  const party = { name: '演示某某商贸有限公司', type: 'organisation' as const, idType: 'credit_code' as const, idNumber: '91330100MA2H0000X1', address: '演示市上城区某路 1 号' };
  const citizen = { name: '孙某某', type: 'citizen' as const, idType: 'id_card' as const, idNumber: null, address: '演示市西湖区某街道' };
  const matter = { category: '市场监管', area: '演示市' };
  const st = (seq: number, step: string, on: string, o = pair, extra: Partial<HistoricalCase['steps'][number]> = {}) => ({ seq, step, on, officers: o, facts: {}, av: null, ...extra });
  const scjg = ids.get('city_scjg')!;
  const historical: HistoricalCase[] = [
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）销售过期食品案', matter, party, facts: { filed: true }, steps: [st(1, 'intake', d(160)), st(2, 'filing', d(150))], clocks: [clock('decision_limit', d(150))], majorDecision: false, finished: false },
    { agencyId: scjg, procedureId: 'coercion-seizure', title: '（历史导入）扣押涉嫌假冒商品', matter, party, facts: {}, steps: [st(1, 'measure_proposal', d(46)), st(2, 'seizure', d(45), pair, { av: { requirement: 'mandatory', present: true } })], clocks: [clock('seizure_limit', d(45))], majorDecision: false, finished: false },
    { agencyId: scjg, procedureId: 'licensing', title: '（历史导入）食品经营许可申请', matter, party, facts: {}, steps: [st(1, 'application', d(62)), st(2, 'acceptance', d(60))], clocks: [clock('decision_limit', d(60))], majorDecision: false, finished: false },
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）无证经营大额罚款案', matter, party, facts: { filed: true, proposedOutcome: 'penalty', fineAmount: 300000 }, steps: [st(1, 'filing', d(70)), st(2, 'prior_notice', d(50)), st(3, 'penalty_decision', d(40))], clocks: [clock('decision_limit', d(70), d(40))], majorDecision: true, finished: true },
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）一名执法人员现场检查案', matter, party, facts: { filed: true }, steps: [st(1, 'filing', d(31)), st(2, 'inspection', d(30), pair.slice(0, 1))], clocks: [clock('decision_limit', d(31))], majorDecision: false, finished: false },
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）执法证过期仍检查案', matter, party, facts: { filed: true }, steps: [st(1, 'filing', d(21)), st(2, 'inspection', d(20), [pair[0]!, { id: expired.id, name: expired.name, certificateNumber: expired.certificate_number }])], clocks: [clock('decision_limit', d(21))], majorDecision: false, finished: false },
    { agencyId: scjg, procedureId: 'penalty-summary', title: '（历史导入）当场罚款五百元', matter, party: citizen, facts: { partyType: 'citizen', fineAmount: 500 }, steps: [st(1, 'onsite_notice', d(15)), st(2, 'onsite_decision', d(15), pair, { facts: { fineAmount: 500 } })], clocks: [], majorDecision: false, finished: true },
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）未告知听证权利吊销许可案', matter, party, facts: { filed: true, hearingEligible: true, proposedOutcome: 'penalty' }, steps: [st(1, 'filing', d(60)), st(2, 'penalty_decision', d(25))], clocks: [clock('decision_limit', d(60), d(25))], majorDecision: false, finished: true },
    { agencyId: scjg, procedureId: 'coercion-seizure', title: '（历史导入）查封无执法记录仪录像', matter, party, facts: {}, steps: [st(1, 'measure_proposal', d(13)), st(2, 'seizure', d(12), pair, { av: { requirement: 'mandatory', present: false } }), st(3, 'release', d(5))], clocks: [clock('seizure_limit', d(12), d(5))], majorDecision: false, finished: true },
    { agencyId: scjg, procedureId: 'penalty-general', title: '（历史导入）超过追诉时效处罚案', matter, party, facts: { filed: true, violationDate: d(365 * 3), proposedOutcome: 'penalty' }, steps: [st(1, 'filing', d(80)), st(2, 'prior_notice', d(50)), st(3, 'penalty_decision', d(35))], clocks: [clock('decision_limit', d(80), d(35))], majorDecision: false, finished: true },
    { agencyId: ids.get('xh_zhzf')!, procedureId: 'penalty-general', title: '（历史导入）占道经营一人检查案', matter: { category: '综合行政执法', area: '演示市西湖区' }, party: citizen, facts: { filed: true }, steps: [st(1, 'filing', d(120), xhPair), st(2, 'inspection', d(118), xhPair.slice(0, 1))], clocks: [clock('decision_limit', d(120))], majorDecision: false, finished: false },
  ];
  const caseIds: string[] = [];
  for (const h of historical) caseIds.push((await importHistoricalCase(ctx, null, h)).id);
  await recomputeAlerts(ctx, { from: '2000-01-01' });

  const sfj = await actor(ctx, 'sfj');
  const xhsfj = await actor(ctx, 'xhsfj');
  const head = await actor(ctx, 'scjg_head');
  const alerts = (await listAlerts(ctx, sfj, { limit: 200 })).items.filter((a) => a.agency.id === scjg);
  const byKind = (k: string) => alerts.find((a) => a.kind === k);
  for (const k of ['single_officer', 'summary_limit']) {
    const a = byKind(k);
    if (a) await answerAlert(ctx, null, head, a.id, k === 'single_officer' ? '该案系平台上线前办理，已组织全员学习第四十二条，今后检查一律两人以上。' : '当事人现场缴纳，已退还超出部分并改为普通程序。');
  }
  const s = byKind('summary_limit');
  if (s) await resolveAlert(ctx, null, sfj, s.id, '说明成立，已整改到位。');
  const c = byKind('certificate_invalid');
  if (c) await resolveAlert(ctx, null, sfj, c.id, '过期证件持有人已调离执法岗位，予以办结。');

  // Complaints at each stage.
  const base = { subjectKind: 'agency_act' as const, realName: false };
  const c1 = await enterComplaint(ctx, null, xhsfj, { ...base, channel: 'hotline', hotlineTicket: '12345-20261120-0315', agencyId: ids.get('xh_zhzf')!, summary: '同一商户一周内被检查三次', content: '商户反映综合执法队一周内三次上门检查，影响经营。' });
  await enterComplaint(ctx, null, sfj, { ...base, channel: 'letter', agencyId: scjg, summary: '罚款未出具统一票据', content: '来信反映执法人员当场收缴罚款未出具省财政统一票据。', realName: true, name: '钱某某', phone: '13700000001' });
  const c3 = await enterComplaint(ctx, null, sfj, { ...base, channel: 'phone', agencyId: scjg, summary: '处罚决定未公示', content: '来电反映某处罚决定作出一个月仍未在网站公示。' });
  await decideComplaint(ctx, null, sfj, c3.id, { action: 'accept' });
  const c4 = await enterComplaint(ctx, null, sfj, { ...base, channel: 'visit', agencyId: scjg, summary: '检查时未出示执法证', content: '来访人反映检查人员未出示执法证件。' });
  await decideComplaint(ctx, null, sfj, c4.id, { action: 'accept' });
  await closeComplaint(ctx, null, sfj, c4.id, '经调取执法记录仪录像，执法人员已出示证件，已向您说明。');
  await decideComplaint(ctx, null, xhsfj, c1.id, { action: 'guide', reason: '对检查行为不服的，可依法申请行政复议。' });
  const c6 = await enterComplaint(ctx, null, sfj, { ...base, channel: 'hotline', hotlineTicket: '12345-20261118-0102', agencyId: scjg, summary: '扣押物品超期未处理', content: '当事人反映被扣押货物四十余日未作处理。' });
  await decideComplaint(ctx, null, sfj, c6.id, { action: 'accept' });

  // Matters at each stage, one with an objection.
  const m = (title: string, facts: string, extra: Partial<Parameters<typeof openMatter>[3]> = {}) =>
    openMatter(ctx, null, sfj, { agencyId: scjg, source: 'own', mode: 'routine', listed: false, escalated: false, title, facts, disputeStatus: 'none', ...extra });
  await m('案件超期未决定', '预警显示 1 件普通程序案件立案逾 150 日未作出决定。', { source: 'alert', caseId: caseIds[0], mode: 'key', listed: true });
  const m2 = await m('扣押期限届满未处理', '12345 转来线索：扣押物品超过三十日未作处理。', { source: 'complaint', sourceId: c6.id, caseId: caseIds[1] });
  await explainMatter(ctx, null, head, m2.id, '因送检等待检测报告，检测期间不计入扣押期限，已补办相关手续。');
  const m3 = await m('重大处罚未经法制审核', '30 万元罚款决定作出前未进行法制审核。', { source: 'alert', caseId: caseIds[3], mode: 'key' });
  await issueInstrument(ctx, null, sfj, m3.id, { kind: 'opinion', findings: '30 万元罚款属重大执法决定，作出前未经法制审核。', requirements: '依法重新审查该决定，并完善重大执法决定法制审核目录清单。' });
  const m4 = await m('处罚信息公示不及时', '抽查发现部分行政处罚决定未在 7 个工作日内公示。', { mode: 'special' });
  await issueInstrument(ctx, null, sfj, m4.id, { kind: 'urging_letter', findings: '部分行政处罚决定未在 7 个工作日内公示。', requirements: '立即补充公示并建立公示台账。' });
  await objectToInstrument(ctx, null, head, m4.id, '所列 3 件中 2 件属依法不予公开情形，已履行审批手续。');
  const m5 = await m('简易程序超限额罚款', '当场对公民罚款 500 元，超过第五十一条限额。', { source: 'alert', caseId: caseIds[6] });
  await issueInstrument(ctx, null, sfj, m5.id, { kind: 'opinion', findings: '当场对公民处以 500 元罚款，超过法定限额。', requirements: '撤销该决定，依普通程序重新处理。' });
  await reportCorrection(ctx, null, head, m5.id, '已撤销原决定并退还罚款，按普通程序重新立案。');
  const m6 = await m('执法人员一人检查', '预警显示 1 件案件现场检查仅 1 名执法人员。', { source: 'alert', caseId: caseIds[4] });
  await explainMatter(ctx, null, head, m6.id, '系平台上线前办理，已组织整改学习。');
  await closeMatter(ctx, null, sfj, m6.id, '说明属实，已整改，予以办结。');
  await openMatter(ctx, null, xhsfj, { agencyId: ids.get('xh_zhzf')!, source: 'alert', caseId: caseIds[10], mode: 'routine', listed: false, escalated: false, title: '占道经营检查一人执法', facts: '预警显示现场检查仅 1 名执法人员。', disputeStatus: 'none' });

  // A completed 案卷评查: a reproducible sample, scored by the reviewing agencies from the pre-filled checks.
  const plan = await createReviewPlan(ctx, null, sfj, {
    title: '2026 年度行政处罚案卷评查', standard: 'penalty-general', from: d(400), to: today, procedures: ['penalty-general', 'penalty-summary', 'coercion-seizure'],
    samplePerAgency: 4, seed: 'demo-2026', reviewerAgencyIds: [ids.get('city_sthj')!, scjg],
  });
  const reviewers = new Map([[ids.get('city_sthj')!, await actor(ctx, 'sthj_officer')], [scjg, await actor(ctx, 'scjg_officer')]]);
  for (const f of plan.files) {
    const r = reviewers.get(f.reviewer.id);
    if (!r) continue;
    const file = await getReviewFile(ctx, r, f.id);
    await scoreReviewFile(ctx, null, r, f.id, { vetoes: file.prefill.vetoes, deductions: [...file.prefill.deductions, { code: 'form_filling', times: 1 }] });
  }

  // The seeds' task table, in progress: executing agencies' rows assigned to the market regulator.
  const tasks = await importTasks(ctx, null, sfj, SEED_TASK_SOURCE, SEED_TASKS);
  for (const [i, id] of tasks.ids.entries()) {
    if (!SEED_TASKS[i]!.responsible.includes('执法机关')) continue;
    await assignTask(ctx, null, sfj, id, [scjg]);
    if (i % 3 === 0) await reportTask(ctx, null, head, id, '已完成并报送相关制度文件。', true);
    else if (i % 3 === 1) await reportTask(ctx, null, head, id, '正在推进，已形成初稿。', false);
  }
}
