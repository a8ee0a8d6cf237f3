// Whole-process records (R-R01 … R-R06): text and AV records attached to a step, the file in the
// evidence store by its SHA-256, with recorder, device, times, place, officers present, the written
// description and the custodian. Records are never edited or deleted (R-R05; triggers refuse it); a
// correction is a new record pointing at the one it corrects. AV records are viewed only by the roles
// the agency's AV-record list allows, every view, download and export is logged and shown on the case,
// and giving records to anyone outside needs the head's approval (R-R06).
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange, type Change } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { claimBlob, evidenceStorage, parseRange, type RangeResult } from '../blobs/service.ts';
import { actorUserId, agencyRef, denied, loadCase, loadCaseForWork, officerCredentials, refuseIfArchived } from './access.ts';
import { defaultAvRule, ruleFor, avRuleKeys } from './av-rules.ts';
import { deviceForRecord } from '../devices/service.ts';
import type { Queryable } from '../platform/db.ts';
import { definitionOf } from './definitions.ts';
import { minimiseFor } from './minimise.ts';
import * as policy from './policy.ts';
import * as recordsRepo from './records-store.ts';
import * as rulesRepo from './rules-store.ts';
import { AV_KINDS, RECORD_KIND_LABELS, type AvRule, type RecordInput, type RecordKind } from './schema.ts';
import * as casesRepo from './store.ts';

export function recordOut(r: recordsRepo.RecordRow) {
  return {
    id: r.id, kind: r.kind, kindLabel: RECORD_KIND_LABELS[r.kind], step: r.step, stepSeq: r.step_seq ?? r.claimed_seq, title: r.title, description: r.description,
    hasContent: r.content !== null, blobSha256: r.blob_sha256, size: r.size === null ? null : Number(r.size), mediaType: r.media_type, recorder: r.recorder_name,
    deviceId: r.device_id, startedAt: r.started_at, endedAt: r.ended_at, place: r.place, officersPresent: r.officers_present, custodian: r.custodian,
    corrects: r.corrects, correctionReason: r.correction_reason, correctedBy: r.corrected_by, createdAt: r.created_at, handover: handoverOut(r),
  };
}

/** R-R05: from the recording's end to its arrival in the evidence store, against the AV list's limit. */
function handoverOut(r: { ended_at: Date; uploaded_at: Date | null; handover_limit_hours: number | null; handover_late: boolean | null }) {
  if (!r.uploaded_at) return null;
  return { endedAt: r.ended_at, uploadedAt: r.uploaded_at, delaySeconds: handoverSeconds(r.ended_at, r.uploaded_at), limitHours: r.handover_limit_hours, late: r.handover_late };
}

/**
 * Whole seconds from the recording's end to its upload, in natural (elapsed) time: the footage sits on the
 * device through nights and holidays alike, so the clock does not stop. A hand-over is late when this
 * exceeds the limit; exactly the limit is on time. Negative (uploaded before the stated end) counts as 0.
 */
export function handoverSeconds(endedAt: Date, uploadedAt: Date): number {
  return Math.max(0, Math.floor((uploadedAt.getTime() - endedAt.getTime()) / 1000));
}

/** The records a device made (R-R10), for the device register. */
export async function recordsByDevice(q: Queryable, agencyId: string, serial: string) {
  return (await recordsRepo.recordsByDevice(q, agencyId, serial)).map((r) => ({
    id: r.id, caseId: r.case_id, caseNumber: r.case_number, caseTitle: r.case_title, kind: r.kind, kindLabel: RECORD_KIND_LABELS[r.kind as RecordKind], step: r.step, title: r.title,
    startedAt: r.started_at, endedAt: r.ended_at, recorder: r.recorder_name, custodian: r.custodian, createdAt: r.created_at, handover: handoverOut(r),
  }));
}

const MEDIA_PREFIX: Partial<Record<RecordKind, string[]>> = { video: ['video/'], audio: ['audio/'], photo: ['image/'] };

export async function addRecord(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: RecordInput) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.record_add');
  refuseIfArchived(row);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const field = (f: string, message: string) => new AppError('validation', { detail: message, errors: [{ field: f, message }] });
  const step = def.steps.find((s) => s.key === input.step);
  if (!step) throw field('step', `程序中没有环节“${input.step}”`);
  if (input.stepSeq !== undefined) {
    const done = row.state.steps.find((s) => s.seq === input.stepSeq);
    if (!done || done.step !== input.step) throw field('stepSeq', `本案第 ${input.stepSeq} 个环节不是「${step.name}」`);
  }
  if (input.corrects) {
    const old = await recordsRepo.getRecord(ctx.db, caseId, input.corrects);
    if (!old) throw field('corrects', '被更正的记录不属于本案');
  }
  const officers = await officerCredentials(ctx, actor, row.agency_id, input.officerIds);
  // R-R10: an AV record names a device of the agency's register; R-R05: its hand-over limit comes from the AV list.
  const deviceId = input.deviceId ? await deviceForRecord(ctx.db, row.agency_id, input.deviceId) : null;
  const handoverLimitHours = step.av
    ? ruleFor(step.av.rule, step.av.minimum, await rulesRepo.effective<Record<string, AvRule>>(ctx.db, 'av_rule_sets', row.agency_id, todayInShanghai())).rule.retention.handoverHours
    : defaultAvRule('', 'optional').retention.handoverHours;
  const recorderName = input.recorderName ?? (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  const id = crypto.randomUUID();
  const officersPresent = officers.map((o) => ({ id: o.id, name: o.name, certificateNumber: o.certificate.number }));
  await ctx.db.transaction(async (tx) => {
    // R-R06: a record may reference only a file its own agency handed in (a hash seen in the ledger
    // opens nothing); attaching it takes it out of reach by hash, in this transaction.
    let blob: { size: number; mediaType: string; uploadedAt: Date } | null = null;
    if (input.blobSha256) {
      blob = await claimBlob(tx, input.blobSha256, { agencyId: row.agency_id, by: actorUserId(actor), purpose: 'record' });
      if (!blob) throw field('blobSha256', '本机关的证据库中没有该文件，请先上传（POST /api/v1/evidence）');
      const prefixes = MEDIA_PREFIX[input.kind];
      if (prefixes && !prefixes.some((p) => blob!.mediaType.startsWith(p))) throw field('kind', `文件类型 ${blob.mediaType} 与记录类型“${RECORD_KIND_LABELS[input.kind]}”不符`);
    }
    const av = AV_KINDS.includes(input.kind) && blob;
    const handover = av ? { uploadedAt: blob!.uploadedAt, limitHours: handoverLimitHours, late: handoverSeconds(new Date(input.endedAt), blob!.uploadedAt) > handoverLimitHours * 3600 } : null;
    // R-R05: the ledger commits to the file's hash and size and to the custody data, in the same transaction.
    const change: Change = {
      kind: 'cases.record_added',
      agencyId: row.agency_id,
      subjectType: 'case',
      subjectId: caseId,
      actorId: actorUserId(actor),
      data: {
        caseId, recordId: id, kind: input.kind, step: input.step, stepSeq: input.stepSeq ?? null, title: input.title, description: input.description,
        contentSha256: input.content ? crypto.createHash('sha256').update(input.content, 'utf8').digest('hex') : null,
        blobSha256: input.blobSha256 ?? null, size: blob?.size ?? null, mediaType: blob?.mediaType ?? null, recorder: recorderName, deviceId,
        startedAt: input.startedAt, endedAt: input.endedAt, place: input.place, officersPresent, custodian: input.custodian,
        corrects: input.corrects ?? null, correctionReason: input.correctionReason ?? null, handover,
      },
      // Whoever holds the file can find it in the log by its hash (/ledger/verify).
      ...(input.blobSha256 ? { publicDigest: input.blobSha256 } : {}),
    };
    const { eventId } = await recordChange(tx, change);
    await recordsRepo.insertRecord(tx, {
      id, caseId, agencyId: row.agency_id, kind: input.kind, step: input.step, stepSeq: input.stepSeq ?? null, title: input.title, description: input.description,
      content: input.content ?? null, blobSha256: input.blobSha256 ?? null, size: blob?.size ?? null, mediaType: blob?.mediaType ?? null, recorderId: actorUserId(actor),
      recorderName, deviceId, startedAt: input.startedAt, endedAt: input.endedAt, place: input.place, officersPresent,
      custodian: input.custodian, corrects: input.corrects ?? null, correctionReason: input.correctionReason ?? null, createdBy: actorUserId(actor), eventId,
      uploadedAt: handover?.uploadedAt ?? null, handoverLimitHours: handover?.limitHours ?? null, handoverLate: handover?.late ?? null,
    });
    if (input.stepSeq !== undefined) await recordsRepo.claimRecords(tx, caseId, input.stepSeq, [id]);
  });
  return recordOut((await recordsRepo.getRecord(ctx.db, caseId, id))!);
}

/** R-R05: there is nothing to edit or delete; the database refuses it too. */
export async function refuseRecordChange(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, recordId: string, what: 'update' | 'delete'): Promise<never> {
  await loadCase(ctx.db, actor, caseId);
  if (!(await recordsRepo.getRecord(ctx.db, caseId, recordId))) throw notFound('记录');
  await audit(ctx.db, req, { action: `cases.record_${what}`, outcome: 'denied', ...actorAudit(actor), detail: { caseId, recordId } });
  throw new AppError('invalid_state', {
    detail: '执法记录只允许追加，任何人不得修改、删除（R-R05）；记录有误的，请提交一条新的更正记录并注明被更正的记录和理由。',
    extra: { refusals: [{ code: 'record_immutable', reason: '执法记录不得修改或删除' }] },
  });
}

/** The AV rule of a record's step in force when it was made, for the viewing roles (R-R06). */
async function viewRule(ctx: AppContext, row: casesRepo.CaseRow, r: recordsRepo.RecordRow): Promise<AvRule | null> {
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const step = def.steps.find((s) => s.key === r.step);
  const key = step?.av?.rule;
  const set = await rulesRepo.effective<Record<string, AvRule>>(ctx.db, 'av_rule_sets', row.agency_id, todayInShanghai());
  if (key) return ruleFor(key, step!.av!.minimum, set).rule;
  // A step without an AV rule: the strictest viewing roles of the agency's list apply to its AV records.
  const keys = avRuleKeys();
  const rules = [...keys.values()].map((k) => ruleFor(k.key, k.minimum, set).rule);
  return rules.reduce<AvRule | null>((acc, x) => (!acc || x.viewRoles.length < acc.viewRoles.length ? x : acc), null);
}

async function loadForAccess(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, recordId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  const r = await recordsRepo.getRecord(ctx.db, caseId, recordId);
  if (!r) throw notFound('记录');
  const isAv = AV_KINDS.includes(r.kind);
  const rule = isAv ? await viewRule(ctx, row, r) : null;
  if (!policy.canViewRecord(actor, agencyRef(row), rule?.viewRoles ?? [], isAv)) {
    await denied(ctx, req, actor, 'cases.record_view', isAv ? '音像记录清单未允许该角色调阅此类记录（R-R06）。' : '无权调阅该记录。', recordId);
  }
  return { row, r };
}

/**
 * R-R06: may this AV record leave the platform with this actor (in an archive package)? The same rule
 * as recordContent: a role the agency's AV-record list allows to view it takes it (`disclosureId` null);
 * any other role only under an approved, unexpired disclosure that names it. Null: withheld.
 */
export async function avRelease(ctx: AppContext, actor: Actor, row: casesRepo.CaseRow, r: recordsRepo.RecordRow, disclosures: readonly recordsRepo.DisclosureRow[]): Promise<{ disclosureId: string | null } | null> {
  const rule = await viewRule(ctx, row, r);
  if (policy.canViewRecord(actor, agencyRef(row), rule?.viewRoles ?? [], true)) return { disclosureId: null };
  const today = todayInShanghai();
  const d = disclosures.find((x) => x.approved === true && x.record_ids.includes(r.id) && (!x.valid_until || x.valid_until >= today));
  return d ? { disclosureId: d.id } : null;
}

export interface RecordContent {
  record: ReturnType<typeof recordOut>;
  text?: string;
  stream?: Readable;
  range?: RangeResult;
  size?: number;
  mediaType?: string;
}

/**
 * View or download a record's content (R-R06). Every access is logged with its reason; a seek in a
 * video (a Range not starting at 0) is part of the same viewing. An export to an outsider needs an
 * approved disclosure that names the record and has not expired.
 */
export async function recordContent(
  ctx: AppContext,
  req: FastifyRequest | null,
  actor: Actor,
  caseId: string,
  recordId: string,
  q: { reason: string; action: 'view' | 'download' | 'export'; disclosureId?: string },
  rangeHeader?: string,
): Promise<RecordContent> {
  const { row, r } = await loadForAccess(ctx, req, actor, caseId, recordId);
  let disclosureId: string | null = null;
  if (q.action === 'export') {
    const d = q.disclosureId ? await recordsRepo.getDisclosure(ctx.db, caseId, q.disclosureId) : undefined;
    if (!d || d.approved !== true || !d.record_ids.includes(recordId) || (d.valid_until && d.valid_until < todayInShanghai())) {
      await denied(ctx, req, actor, 'cases.record_export', '向外部提供音像记录须经机关负责人批准，且在批准的范围和期限内（R-R06）。', recordId);
    }
    disclosureId = d!.id;
  }
  const range = r.blob_sha256 ? parseRange(rangeHeader, Number(r.size)) : ({ kind: 'full' } as const);
  // A player's later range requests belong to the viewing already logged; a range with no viewing
  // logged in the last hour is a viewing of its own (no way around the log by starting mid-file).
  // Players also ask again from byte 0 right after opening (Chromium does): within seconds, the same viewing (R-R06).
  const continuing = range.kind === 'partial' && (await recordsRepo.recentAccess(ctx.db, recordId, actorUserId(actor), range.start > 0 ? 3600 : 10));
  if (range.kind !== 'unsatisfiable' && !continuing) {
    await recordsRepo.logAccess(ctx.db, {
      caseId, recordId, action: q.action, userId: actorUserId(actor), username: (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name, role: actor.role,
      reason: q.reason, disclosureId, requestId: req?.id ?? null,
    });
  }
  // R-P14: a text record read outside the agency has the party's ID number and address withheld.
  if (!r.blob_sha256) return { record: recordOut(r), text: minimiseFor(actor, row).value(r.content ?? '') };
  if (range.kind === 'unsatisfiable') return { record: recordOut(r), range, size: Number(r.size), mediaType: r.media_type ?? 'application/octet-stream' };
  const storage = evidenceStorage(ctx);
  const stream = range.kind === 'partial' ? storage.read(r.blob_sha256, { start: range.start, end: range.end }) : storage.read(r.blob_sha256);
  return { record: recordOut(r), stream, range, size: Number(r.size), mediaType: r.media_type ?? 'application/octet-stream' };
}

export async function requestDisclosure(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: { recordIds: string[]; recipient: string; purpose: string }) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.disclosure_request');
  for (const [i, id] of input.recordIds.entries()) {
    if (!(await recordsRepo.getRecord(ctx.db, caseId, id))) throw new AppError('validation', { detail: '所选记录不属于本案。', errors: [{ field: `recordIds.${i}`, message: '记录不属于本案' }] });
  }
  const id = crypto.randomUUID();
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.disclosure_requested', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: { caseId, disclosureId: id, ...input },
    });
    await recordsRepo.insertDisclosure(tx, { id, caseId, recordIds: input.recordIds, recipient: input.recipient, purpose: input.purpose, by: actorUserId(actor), name, eventId });
  });
  return disclosureOut((await recordsRepo.getDisclosure(ctx.db, caseId, id))!);
}

export async function decideDisclosure(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, disclosureId: string, input: { approved: boolean; opinion: string; validUntil?: string }) {
  const row = await loadCase(ctx.db, actor, caseId);
  if (!policy.canApprove(actor, agencyRef(row))) await denied(ctx, req, actor, 'cases.disclosure_decide', '向外部提供执法记录须由机关负责人批准（R-R06）。', disclosureId);
  const d = await recordsRepo.getDisclosure(ctx.db, caseId, disclosureId);
  if (!d) throw notFound('提供申请');
  if (d.approved !== null) throw new AppError('invalid_state', { detail: '该申请已审批。' });
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.disclosure_decided', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actor.id,
      data: { caseId, disclosureId, ...input },
    });
    await recordsRepo.insertDisclosureDecision(tx, { id: disclosureId, approved: input.approved, by: actor.id, name, role: actor.role, opinion: input.opinion, validUntil: input.validUntil ?? null, eventId });
  });
  return disclosureOut((await recordsRepo.getDisclosure(ctx.db, caseId, disclosureId))!);
}

export function disclosureOut(d: recordsRepo.DisclosureRow) {
  return {
    id: d.id, recordIds: d.record_ids, recipient: d.recipient, purpose: d.purpose, requestedBy: d.requester_name, requestedAt: d.created_at,
    status: d.approved === null ? 'pending' : d.approved ? 'approved' : 'rejected', decidedBy: d.decider_name, opinion: d.opinion, validUntil: d.valid_until, decidedAt: d.decided_at,
  };
}
