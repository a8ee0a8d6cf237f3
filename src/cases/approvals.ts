// The head's approvals (R-L09: the head answers first): of a step that needs one (立案、先行登记保存、
// 查封扣押、决定、结案…), of a clock extension (行政强制法第二十五条、行政许可法第四十二条), and the
// case's decision profile that the major-decision catalog weighs (R-L04).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { actorUserId, agencyRef, applyCatalog, denied, loadCase, loadCaseForWork, summarise } from './access.ts';
import { definitionOf } from './definitions.ts';
import { extendClock, refusalError, type Refusal } from './procedures/index.ts';
import * as policy from './policy.ts';
import type { ApprovalInput, CaseProfile, ExtensionInput } from './schema.ts';
import * as casesRepo from './store.ts';

export function approvalOut(a: casesRepo.ApprovalRow) {
  return {
    id: a.id, purpose: a.purpose, step: a.step, clock: a.clock, days: a.days, approvedBy: a.approver_name, role: a.approver_role, on: a.on_date,
    opinion: a.opinion, usedByStep: a.used_by_seq, usedByExtension: a.used_by_extension, createdAt: a.created_at,
  };
}

export async function grantApproval(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: ApprovalInput) {
  const row = await loadCase(ctx.db, actor, caseId);
  if (!policy.canApprove(actor, agencyRef(row))) await denied(ctx, req, actor, 'cases.approve', '只有本机关负责人可以批准（R-L09）。', caseId);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  if (input.on > todayInShanghai()) throw new AppError('validation', { detail: '批准日期不能晚于今天。', errors: [{ field: 'on', message: '批准日期不能晚于今天' }] });
  if (input.purpose === 'step') {
    const s = def.steps.find((x) => x.key === input.step);
    if (!s) throw new AppError('validation', { detail: `程序中没有环节“${input.step}”。`, errors: [{ field: 'step', message: '环节不存在' }] });
    if (!s.approval) throw new AppError('validation', { detail: `「${s.name}」不需要批准。`, errors: [{ field: 'step', message: '该环节不需要批准' }] });
  } else {
    const c = def.clocks.find((x) => x.key === input.clock);
    if (!c) throw new AppError('validation', { detail: `程序中没有期限“${input.clock}”。`, errors: [{ field: 'clock', message: '期限不存在' }] });
    if (!c.extension) throw refusalError([{ code: 'extension_not_allowed', reason: `${c.name}依法不能延长`, basis: c.basis, clock: c.key }]);
  }
  const id = crypto.randomUUID();
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.approval_given', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actor.id,
      data: { caseId, approvalId: id, purpose: input.purpose, step: input.step ?? null, clock: input.clock ?? null, days: input.days ?? null, on: input.on, by: actor.id, role: actor.role, opinion: input.opinion },
    });
    await casesRepo.insertApproval(tx, {
      id, caseId, purpose: input.purpose, step: input.step ?? null, clock: input.clock ?? null, days: input.days ?? null, by: actor.id, name, role: actor.role, on: input.on, opinion: input.opinion, eventId,
    });
  });
  return approvalOut((await casesRepo.getApproval(ctx.db, caseId, id))!);
}

/** Extends a running clock with the head's approval and, where the law asks, a written notice to the party. */
export async function extendCaseClock(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: ExtensionInput) {
  const pre = await loadCaseForWork(ctx, req, actor, caseId, 'cases.extend');
  const def = await definitionOf(ctx.db, pre.procedure_id, pre.procedure_version);
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  return ctx.db.transaction(async (tx) => {
    const row = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
    const refusals: Refusal[] = [];
    let approval = input.approvalId ? await casesRepo.getApproval(tx, caseId, input.approvalId) : await casesRepo.unusedApproval(tx, caseId, 'extension', input.clock);
    if (input.approvalId && !approval) refusals.push({ code: 'approval_required', reason: '所引用的批准不属于本案', clock: input.clock });
    if (approval && (approval.purpose !== 'extension' || approval.clock !== input.clock)) refusals.push({ code: 'approval_required', reason: '所引用的批准不是对该期限延长的批准', clock: input.clock });
    if (approval && (approval.used_by_extension || approval.used_by_seq)) refusals.push({ code: 'approval_required', reason: '所引用的批准已经使用过', clock: input.clock });
    if (approval?.days && input.days > approval.days) refusals.push({ code: 'approval_required', reason: `负责人批准延长 ${approval.days} 日，申请延长 ${input.days} 日`, clock: input.clock });
    // The head extending it himself approves in the same act (R-L09).
    if (!approval && actor.kind === 'user' && actor.role === 'agency_head') {
      const id = crypto.randomUUID();
      const { eventId } = await recordChange(tx, {
        kind: 'cases.approval_given', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actor.id,
        data: { caseId, approvalId: id, purpose: 'extension', clock: input.clock, days: input.days, on: input.on, by: actor.id, role: actor.role, opinion: input.reason },
      });
      await casesRepo.insertApproval(tx, { id, caseId, purpose: 'extension', step: null, clock: input.clock, days: input.days, by: actor.id, name, role: actor.role, on: input.on, opinion: input.reason, eventId });
      approval = (await casesRepo.getApproval(tx, caseId, id))!;
    }
    let document: { type: string; ref: string } | undefined;
    if (input.documentId) {
      const d = await casesRepo.getDocument(tx, caseId, input.documentId);
      if (!d) refusals.push({ code: 'document_unknown', reason: '所引用的文书不属于本案', clock: input.clock });
      else if (d.status !== 'final') refusals.push({ code: 'document_not_final', reason: `${d.title}尚未定稿`, clock: input.clock });
      else document = { type: d.type, ref: d.id };
    }
    if (!approval) {
      const c = def.clocks.find((x) => x.key === input.clock);
      refusals.push({ code: 'approval_required', reason: `延长${c?.name ?? input.clock}须经机关负责人批准`, ...(c?.extension ? { basis: c.extension.basis } : {}), clock: input.clock });
    }
    if (refusals.length || !approval) throw refusalError(refusals);
    const r = extendClock(def, row.state, {
      clock: input.clock, on: input.on, days: input.days, actor: { id: actor.id, role: actor.role },
      approval: { by: approval.approved_by, name: approval.approver_name, role: approval.approver_role as Actor['role'], on: approval.on_date },
      reason: input.reason, ...(document ? { document } : {}),
    }, { calendar: cal, today });
    if (!r.ok) throw refusalError(r.refusals);
    const cat = { major: row.major_decision, catalogId: row.major_catalog_id, catalogVersion: row.major_catalog_version, matched: row.major_entries };
    const summary = summarise(def, r.state, cal, today, cat);
    const id = crypto.randomUUID();
    const { eventId } = await recordChange(tx, {
      kind: 'cases.clock_extended', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: { caseId, extensionId: id, clock: input.clock, days: input.days, on: input.on, reason: input.reason, approvalId: approval.id, documentId: input.documentId ?? null, change: r.clockChange },
    });
    await casesRepo.insertExtension(tx, { id, caseId, clock: input.clock, days: input.days, reason: input.reason, on: input.on, approvalId: approval.id, documentId: input.documentId ?? null, actorId: actorUserId(actor), deadline: r.clockChange.deadline, eventId });
    await casesRepo.updateCaseState(tx, caseId, r.state, summary);
    return { id, clock: input.clock, days: input.days, deadline: r.clockChange.deadline, approvalId: approval.id };
  });
}

/** R-L04: what the catalog weighs besides the facts; a change re-evaluates it at once. */
export async function updateProfile(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, profile: CaseProfile) {
  const pre = await loadCaseForWork(ctx, req, actor, caseId, 'cases.profile');
  const def = await definitionOf(ctx.db, pre.procedure_id, pre.procedure_version);
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const row = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
    if (row.status !== 'open') throw new AppError('invalid_state', { detail: '案件已办结，不能再修改。' });
    const cat = await applyCatalog(tx, def, { agencyId: row.agency_id, caseType: row.case_type, profile }, row.state, today);
    const summary = summarise(def, cat.state, cal, today, cat);
    await recordChange(tx, {
      kind: 'cases.profile_updated', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: { caseId, profile, catalog: { id: cat.catalogId, version: cat.catalogVersion, major: cat.major, matched: cat.matched } },
    });
    await casesRepo.updateCaseState(tx, caseId, cat.state, summary, { profile });
    return { profile, majorDecision: cat.major, catalog: cat.catalogId ? { id: cat.catalogId, version: cat.catalogVersion } : null, matched: cat.matched };
  });
}
