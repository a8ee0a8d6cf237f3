// Inspections and their results (R-P15): each drawn object becomes a case on the inspection procedure,
// linked to its task; a result carries the codes in use, a follow-up (order to correct, transfer to a
// penalty case linked to the finding, notice to another department) and is published, within 20
// working days of the inspection on the working-day calendar, through this domain's own public
// projection (no personal data), the published text committed to the ledger. Not (yet) through
// publicity's projection: publicity publishes only a head-confirmed draft, and the inspection case's own
// `inspection_result` step already drafts a kind-`inspection` publication there, so publishing here too
// would show the same result twice on /decisions; which of the two paths is the record is still open.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { canonicalJson, recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { AppError } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { createCase } from '../cases/create-case.ts';
import * as registry from '../registry/service.ts';
import * as policy from './policy.ts';
import { RESULT_CODES, type ResultInput } from './schema.ts';
import { loadTask, SYSTEM_READER } from './service.ts';
import * as repo from './store.ts';

/** R-P15: published within 20 working days after the inspection ends (reference §1.6, configurable here). */
export const PUBLICATION_WORKING_DAYS = 20;

const actorId = (a: Actor) => (a.kind === 'user' ? a.id : null);

async function workTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, action: string) {
  const t = await loadTask(ctx, actor, taskId);
  if (!policy.canRecordResults(actor, { id: t.agency_id, region_code: t.agency_region })) await policy.refuse(ctx, req, actor, action, '只有本机关的执法人员或负责人可以办理抽查检查。', taskId);
  if (t.status !== 'drawn') throw new AppError('invalid_state', { detail: '任务尚未抽取。' });
  return t;
}

/** Each drawn object without a case gets one on the built-in inspection procedure, linked to the task. */
export async function openInspectionCases(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string) {
  const t = await workTask(ctx, req, actor, taskId, 'inspections.cases');
  const d = (await repo.getDraw(ctx.db, t.id))!;
  const { rows: open } = await ctx.db.query<{ credit_code: string; name: string }>(
    `SELECT r.credit_code, o.name FROM inspection_results r JOIN inspection_objects o ON o.credit_code = r.credit_code WHERE r.task_id = $1 AND r.case_id IS NULL ORDER BY r.credit_code`, [t.id]);
  const created: { creditCode: string; caseId: string; number: string }[] = [];
  for (const o of open) {
    const team = d.teams.find((x) => x.creditCode === o.credit_code)!;
    const first = await registry.getOfficer(ctx, SYSTEM_READER, team.departments[0]!.officers[0]!.officerId);
    const c = await createCase(ctx, req, actor, {
      procedureId: 'inspection', title: `双随机抽查：${t.matter_name}（${o.name}）`, matter: { category: t.matter_category, area: first.area as string },
      party: { name: o.name, type: 'organisation', idType: 'credit_code', idNumber: o.credit_code, address: '' }, profile: { penaltyKinds: [], flags: [] }, facts: { inspectionSource: 'random' },
    });
    await ctx.db.transaction(async (tx) => {
      await tx.query(`UPDATE inspection_results SET case_id = $3 WHERE task_id = $1 AND credit_code = $2`, [t.id, o.credit_code, c.id]);
      await recordChange(tx, { kind: 'inspections.case_opened', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: { creditCode: o.credit_code, caseId: c.id } });
    });
    created.push({ creditCode: o.credit_code, caseId: c.id, number: c.number });
  }
  return { created };
}

/** The publication deadline on the working-day calendar (R-P15). */
export async function publicationDeadline(ctx: AppContext, inspectedOn: string) {
  return (await getCalendar(ctx.db)).addWorkingDays(inspectedOn, PUBLICATION_WORKING_DAYS);
}

export async function recordResult(ctx: AppContext, req: FastifyRequest | null, actor: Actor, taskId: string, input: ResultInput) {
  const t = await workTask(ctx, req, actor, taskId, 'inspections.result');
  const row = (await ctx.db.query<{ case_id: string | null; result_codes: string[]; name: string; region_code: string }>(
    `SELECT r.case_id, r.result_codes, o.name, o.region_code FROM inspection_results r JOIN inspection_objects o ON o.credit_code = r.credit_code WHERE r.task_id = $1 AND r.credit_code = $2`, [t.id, input.creditCode])).rows[0];
  if (!row) throw new AppError('validation', { detail: '该对象不是本任务抽中的检查对象。', errors: [{ field: 'creditCode', message: '不是抽中的对象' }] });
  if (row.result_codes.length) throw new AppError('duplicate', { detail: '该对象的检查结果已经录入并公示。' });
  const today = todayInShanghai();
  if (input.inspectedOn > today) throw new AppError('validation', { detail: '检查完成日期不能晚于今天。', errors: [{ field: 'inspectedOn', message: '晚于今天' }] });
  if (input.inspectedOn < t.inspection_date) throw new AppError('validation', { detail: '检查完成日期不能早于任务的检查日期。', errors: [{ field: 'inspectedOn', message: '早于检查日期' }] });
  if (input.followUp === 'notify' && !input.noticeTo) throw new AppError('validation', { detail: '抄告相关部门须写明部门。', errors: [{ field: 'noticeTo', message: '请填写抄告部门' }] });
  const found = !input.resultCodes.includes('1') && !input.resultCodes.includes('F');
  if (input.followUp === 'transfer' && !found) throw new AppError('validation', { detail: '未发现问题的对象不能移送立案。', errors: [{ field: 'followUp', message: '未发现问题' }] });
  const deadline = await publicationDeadline(ctx, input.inspectedOn);

  // Transfer: a penalty case linked to the finding (the inspection case and this task).
  let penaltyCaseId: string | null = null;
  if (input.followUp === 'transfer') {
    const d = (await repo.getDraw(ctx.db, t.id))!;
    const team = d.teams.find((x) => x.creditCode === input.creditCode)!;
    const first = await registry.getOfficer(ctx, SYSTEM_READER, team.departments[0]!.officers[0]!.officerId);
    const c = await createCase(ctx, req, actor, {
      procedureId: 'penalty-general', title: `双随机抽查发现问题移送：${row.name}（${input.resultCodes.map((k) => RESULT_CODES[k]).join('、')}）`,
      matter: { category: t.matter_category, area: first.area as string },
      party: { name: row.name, type: 'organisation', idType: 'credit_code', idNumber: input.creditCode, address: '' }, profile: { penaltyKinds: [], flags: [] }, facts: {},
    });
    penaltyCaseId = c.id;
  }
  const publication = {
    task: t.id, taskTitle: t.title, agency: t.agency_name, name: row.name, creditCode: input.creditCode, resultCodes: input.resultCodes,
    results: input.resultCodes.map((k) => RESULT_CODES[k]), inspectedOn: input.inspectedOn, publishedOn: today,
  };
  const digest = crypto.createHash('sha256').update(canonicalJson(publication), 'utf8').digest('hex');
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE inspection_results SET result_codes = $3, inspected_on = $4, publish_by = $5, follow_up = $6, penalty_case_id = $7, notice_to = $8, note = $9 WHERE task_id = $1 AND credit_code = $2`,
      [t.id, input.creditCode, input.resultCodes, input.inspectedOn, deadline.deadline, input.followUp, penaltyCaseId, input.noticeTo ?? null, input.note]);
    await recordChange(tx, { kind: 'inspections.result_recorded', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: { ...input, caseId: row.case_id, penaltyCaseId, publishBy: deadline.deadline } });
    await tx.query(`INSERT INTO inspection_publications (task_id, credit_code, name, agency_name, result_codes, inspected_on, published_on, digest) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [t.id, input.creditCode, row.name, t.agency_name, input.resultCodes, input.inspectedOn, today, digest]);
    // The published result itself, unsalted, so that whoever holds the text finds it in the log.
    await recordChange(tx, { kind: 'inspections.result_published', agencyId: t.agency_id, subjectType: 'inspection_task', subjectId: t.id, actorId: actorId(actor), data: publication, publicDigest: digest });
  });
  return { publishBy: deadline.deadline, provisional: deadline.provisional, publishedOn: today, late: today > deadline.deadline, penaltyCaseId, digest };
}

export async function listResults(ctx: AppContext, actor: Actor, taskId: string) {
  const t = await loadTask(ctx, actor, taskId);
  const { rows } = await ctx.db.query(`SELECT r.credit_code AS "creditCode", o.name, o.credit_class AS "creditClass", r.case_id AS "caseId", r.result_codes AS "resultCodes", r.inspected_on AS "inspectedOn",
      r.publish_by AS "publishBy", r.follow_up AS "followUp", r.penalty_case_id AS "penaltyCaseId", r.notice_to AS "noticeTo", r.note
    FROM inspection_results r JOIN inspection_objects o ON o.credit_code = r.credit_code WHERE r.task_id = $1 ORDER BY r.credit_code`, [t.id]);
  return { items: rows };
}
