// Performing a step (DESIGN §2): the engine decides on a request built from the registry (officers and
// their certificates, R-P08), the head's approval, the documents the step makes (R-R02), the AV records
// attached for it under the agency's AV-record list (R-R03/R-R04) and the catalog's answer (R-L04).
// A refusal answers problem+json with every reason the engine found. Allowed, the step record, the
// new state, its documents and records and the ledger commitment are written in ONE transaction.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { canonicalJson, recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { actorUserId, applyCatalog, loadCaseForWork, officerCredentials, summarise } from './access.ts';
import { avPresent, ruleFor } from './av-rules.ts';
import { issueInTx, storeIssuedPdfs, type IssuedPdf } from './case-documents.ts';
import { definitionOf } from './definitions.ts';
import { publicationHook } from './publication-hook.ts';
import {
  applyStep, checkStep, refusalError,
  type OfficerCredential, type ProcedureCalendar, type ProcedureDefinition, type Refusal, type StepRequest,
} from './procedures/index.ts';
import * as recordsRepo from './records-store.ts';
import * as rulesRepo from './rules-store.ts';
import type { AvRule, RecordKind, StepInput } from './schema.ts';
import * as casesRepo from './store.ts';
import { decisionRefusals } from '../review/gate.ts';
import { evaluateCaseAlerts } from '../supervision/alerts.ts';
import { discretionAtDecision } from '../assist/discretion.ts';

export type StepCommand = StepInput;

/** What is read outside the transaction (registry, calendar, definition). */
export interface StepEnv {
  def: ProcedureDefinition;
  cal: ProcedureCalendar;
  today: string;
  officers: OfficerCredential[];
}

export interface StepOptions {
  /** legal_review and archive are done through their own use cases (reviews.ts, case-file.ts). */
  reserved?: boolean;
  /** Documents already issued in this transaction by the calling use case. */
  issued?: { documentId: string; type: string }[];
}

export interface StepOutcome {
  seq: number;
  step: string;
  warnings: Refusal[];
  clockChanges: unknown[];
  pdfs: IssuedPdf[];
}

const RESERVED: Record<string, string> = {
  legal_review: '法制审核环节由法制审核人员提交书面审核意见办理（POST /api/v1/cases/{id}/reviews/{reviewId}/opinion）',
  archive: '立卷归档须先检查案卷完整性（POST /api/v1/cases/{id}/archive）',
};

export async function prepareStep(ctx: AppContext, actor: Actor, row: casesRepo.CaseRow, input: Pick<StepInput, 'officerIds'>): Promise<StepEnv> {
  const [def, cal, officers] = await Promise.all([
    definitionOf(ctx.db, row.procedure_id, row.procedure_version),
    getCalendar(ctx.db),
    officerCredentials(ctx, actor, row.agency_id, input.officerIds),
  ]);
  return { def, cal, today: todayInShanghai(), officers };
}

export async function performStep(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: StepCommand): Promise<StepOutcome> {
  const pre = await loadCaseForWork(ctx, req, actor, caseId, 'cases.step');
  const env = await prepareStep(ctx, actor, pre, input);
  let out: StepOutcome;
  try {
    out = await ctx.db.transaction((tx) => performStepInTx(tx, ctx, actor, caseId, env, input));
  } catch (err) {
    // R-L09: a refused attempt by someone without the role is a denied write, audited like any other.
    if (err instanceof AppError && err.code === 'forbidden') await audit(ctx.db, req, { action: 'cases.step', outcome: 'denied', ...actorAudit(actor), detail: { caseId, step: input.step } });
    throw err;
  }
  await storeIssuedPdfs(ctx, actor, out.pdfs);
  return out;
}

export async function performStepInTx(tx: Queryable, ctx: AppContext, actor: Actor, caseId: string, env: StepEnv, input: StepCommand, opts: StepOptions = {}): Promise<StepOutcome> {
  const { def, cal, today } = env;
  // The caller checked who may act (performStep, giveOpinion, archiveCase); the engine checks the step's roles.
  const row = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
  if (input.clientKey) {
    // The same submission sent again: answer with the step it made, under the case's lock (no double step).
    const done = await casesRepo.stepByClientKey(tx, caseId, input.clientKey);
    if (done && done.step !== input.step) throw new AppError('validation', { detail: '该提交编号已用于其他环节。', errors: [{ field: 'clientKey', message: '提交编号已用于其他环节' }] });
    if (done) return { seq: done.seq, step: done.step, warnings: done.warnings as Refusal[], clockChanges: done.clock_changes, pdfs: [] };
  }
  if (!opts.reserved && RESERVED[input.step]) throw refusalError([{ code: 'step_reserved', reason: RESERVED[input.step]!, step: input.step }]);
  const stepDef = def.steps.find((s) => s.key === input.step);
  const seq = row.state.steps.length + 1;

  // R-L04: the catalog in force on the day of the act decides majorDecision before the engine checks.
  const profile = row.profile;
  const before = await applyCatalog(tx, def, { agencyId: row.agency_id, caseType: row.case_type, profile }, row.state, input.on);

  // The head's approval given for this step and not used yet; a head doing the step approves it himself.
  let approval = stepDef?.approval ? await casesRepo.unusedApproval(tx, caseId, 'step', input.step) : undefined;
  if (stepDef?.approval && !approval && actor.kind === 'user' && stepDef.approval.roles.includes(actor.role) && stepDef.roles.includes(actor.role)) {
    approval = await selfApproval(tx, actor, row, input.step, input.on);
  }

  // Documents: final ones named by id, and the ones drafted inline, issued on the day of the step.
  const refusals: Refusal[] = [];
  const produced = new Set((stepDef?.produces ?? []).map((p) => p.document));
  const documents: { documentId: string; type: string; number: string | null; pdfSha256: string | null }[] = [];
  const pdfs: IssuedPdf[] = [];
  if (input.documentIds.length) {
    const used = await casesRepo.usedDocumentIds(tx, caseId);
    for (const id of input.documentIds) {
      const d = await casesRepo.getDocument(tx, caseId, id);
      if (!d) refusals.push({ code: 'document_unknown', reason: `文书 ${id} 不属于本案`, step: input.step, document: id });
      else if (d.status !== 'final') refusals.push({ code: 'document_not_final', reason: `${d.title}尚未定稿，定稿（编号、生成 PDF）后才能作为本环节的文书`, step: input.step, document: d.type });
      else if (used.has(id)) refusals.push({ code: 'document_used', reason: `${d.number ?? d.title}已由其他环节使用`, step: input.step, document: d.type });
      else documents.push({ documentId: d.id, type: d.type, number: d.number, pdfSha256: d.pdf_sha256 });
    }
  }
  for (const d of opts.issued ?? []) documents.push({ documentId: d.documentId, type: d.type, number: null, pdfSha256: null });
  for (const d of [...documents, ...input.documents]) {
    if (stepDef && !produced.has(d.type)) refusals.push({ code: 'document_not_for_step', reason: `「${stepDef.name}」不制作${d.type}类文书`, step: input.step, document: d.type });
  }

  // R-R03/R-R04: the rule of the agency's AV-record list in force that day, and the records made for this step.
  let av: StepRequest['av'];
  let avInfo: { rule: string; requirement: string; setId: string | null; setVersion: number | null; present: boolean } | null = null;
  const pending = await recordsRepo.pendingRecords(tx, caseId, input.step);
  if (stepDef?.av) {
    const set = await rulesRepo.effective<Record<string, AvRule>>(tx, 'av_rule_sets', row.agency_id, input.on);
    const eff = ruleFor(stepDef.av.rule, stepDef.av.minimum, set);
    const present = avPresent(eff.rule, pending.map((r) => r.kind as RecordKind));
    av = { requirement: eff.rule.requirement, present };
    avInfo = { rule: stepDef.av.rule, requirement: eff.rule.requirement, setId: eff.setId, setVersion: eff.setVersion, present };
  }

  const request: StepRequest = {
    step: input.step,
    on: input.on,
    actor: { id: actor.id, role: actor.role },
    officers: env.officers,
    ...(approval ? { approval: { by: approval.approved_by, name: approval.approver_name, role: approval.approver_role as Actor['role'], on: approval.on_date } } : {}),
    ...(input.presidedBy ? { presidedBy: input.presidedBy } : {}),
    facts: input.facts,
    documents: documents.map((d) => ({ type: d.type, ref: d.documentId })),
    ...(av ? { av } : {}),
    ...(input.pauseReason ? { pauseReason: input.pauseReason } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
  // R-L01: a decision keeps what the legal review passed; the review domain answers (src/review/gate.ts).
  if (stepDef?.requiresReview) {
    refusals.push(...(await decisionRefusals(tx, caseId, input.step, { facts: input.facts, penaltyKinds: row.profile.penaltyKinds ?? [], documents: input.documents })));
  }
  // The engine decides before any inline document takes a number or is rendered.
  const pre = checkStep(def, before.state, { ...request, documents: [...request.documents!, ...input.documents.map((d, i) => ({ type: d.type, ref: `inline-${i}` }))] }, { calendar: cal, today });
  if (!pre.ok || refusals.length) throw refusalError([...refusals, ...pre.refusals]);
  for (const [i, d] of input.documents.entries()) {
    const issued = await issueInTx(tx, ctx, actor, row, def, { ...d, issuedOn: input.on }).catch((e: unknown) => {
      throw inDocument(e, i);
    });
    pdfs.push(issued);
    documents.push({ documentId: issued.documentId, type: issued.type, number: issued.number, pdfSha256: issued.sha256 });
  }
  request.documents = documents.map((d) => ({ type: d.type, ref: d.documentId }));
  const result = applyStep(def, before.state, request, { calendar: cal, today });
  if (!result.ok) throw refusalError(result.refusals);

  // The catalog again: the step may have set what it looks at (the notified fine, a hearing).
  const after = await applyCatalog(tx, def, { agencyId: row.agency_id, caseType: row.case_type, profile }, result.state, input.on);
  const summary = summarise(def, after.state, cal, today, after);
  const { eventId } = await recordChange(tx, {
    kind: 'cases.step_performed',
    agencyId: row.agency_id,
    subjectType: 'case',
    subjectId: caseId,
    actorId: actorUserId(actor),
    data: {
      caseId, seq, step: input.step, on: input.on, record: result.record, documents, approvalId: approval?.id ?? null,
      records: pending.map((r) => ({ id: r.id, kind: r.kind, blobSha256: r.blob_sha256 })), av: avInfo,
      catalog: { id: after.catalogId, version: after.catalogVersion, major: after.major, matched: after.matched },
      stateSha256: crypto.createHash('sha256').update(canonicalJson(after.state)).digest('hex'),
    },
  });
  await casesRepo.insertStep(tx, {
    caseId, seq, step: input.step, stage: stepDef!.stage, kind: stepDef!.kind, on: input.on, actorId: actorUserId(actor), actorRole: actor.role,
    approvalId: approval?.id ?? null, record: result.record, clockChanges: result.clockChanges, warnings: result.warnings, documentIds: documents.map((d) => d.documentId),
    avRuleSetId: avInfo?.setId ?? null, avRequirement: avInfo?.requirement ?? null, majorCatalogId: after.catalogId, majorCatalogVersion: after.catalogVersion, eventId,
    clientKey: input.clientKey ?? null,
  });
  await recordsRepo.claimRecords(tx, caseId, seq, pending.map((r) => r.id));
  await casesRepo.updateCaseState(tx, caseId, after.state, summary, { archived: summary.status === 'archived' });
  // A 当场处罚 decision takes its kind and amount from the facts this step has just set.
  await casesRepo.recordPenaltyFigures(tx, documents.map((d) => d.documentId));
  // Issue 13: the decided fine against the case's discretion record (range, band, approved deviation).
  await discretionAtDecision(tx, row, input.step, after.state.facts.fineAmount, input.on);
  await publicationHook(tx, cal, actor, row, input.step);
  // R-R08: supervision alerts follow each step in its own transaction (incremental evaluation, issue 12).
  await evaluateCaseAlerts(tx, caseId, cal, today);
  return { seq, step: input.step, warnings: result.warnings, clockChanges: result.clockChanges, pdfs };
}

/** A head who does a step that needs the head's approval approves it in the same act. */
async function selfApproval(tx: Queryable, actor: Actor, row: casesRepo.CaseRow, step: string, on: string): Promise<casesRepo.ApprovalRow> {
  const id = crypto.randomUUID();
  const name = (await casesRepo.userName(tx, actor.id)) ?? actor.name;
  const { eventId } = await recordChange(tx, {
    kind: 'cases.approval_given', agencyId: row.agency_id, subjectType: 'case', subjectId: row.id, actorId: actor.id,
    data: { caseId: row.id, approvalId: id, purpose: 'step', step, on, by: actor.id, role: actor.role, opinion: '负责人办理并批准' },
  });
  await casesRepo.insertApproval(tx, { id, caseId: row.id, purpose: 'step', step, clock: null, days: null, by: actor.id, name, role: actor.role, on, opinion: '负责人办理并批准', eventId });
  return (await casesRepo.getApproval(tx, row.id, id))!;
}

/** Field errors of a document drafted with the step name it, as the request does: documents.<i>.fields.<path>. */
function inDocument(e: unknown, index: number): unknown {
  if (!(e instanceof AppError) || !e.errors?.length) return e;
  return new AppError(e.code, { detail: e.detail, errors: e.errors.map((x) => ({ ...x, field: `documents.${index}.fields.${x.field}` })), extra: e.extra });
}
