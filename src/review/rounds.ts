// Rounds side by side (R-L07), head assignment (R-L03) and coordination of a disagreement (R-L08).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { actorUserId, agencyRef, denied, loadCase } from '../cases/access.ts';
import { issueInTx, storeIssuedPdfs } from '../cases/case-documents.ts';
import { definitionOf } from '../cases/definitions.ts';
import { minimiseFor } from '../cases/minimise.ts';
import * as policy from '../cases/policy.ts';
import * as casesRepo from '../cases/store.ts';
import { CLOCK_LABELS, clockStatus, ROUTE_LABELS, reviewerRefusal, type Route } from './bodies.ts';
import type { CoordinationOutcome, CoordinationRaise } from './schema.ts';

interface RouteRow { review_id: string; body_agency_id: string; body_name: string; unit_name: string; route: Route; rule_set_version: number | null; due_on: string; warn_on: string; content: { fineAmount: number | null; penaltyKinds: string[]; legalBasis: string | null }; answers: { problem: number; answer: string }[] }

const routesOf = async (ctx: AppContext, caseId: string) =>
  (await ctx.db.query<RouteRow>(
    `SELECT t.review_id, t.body_agency_id, a.name AS body_name, t.unit_name, t.route, t.rule_set_version, t.due_on, t.warn_on, t.content, t.answers
       FROM legal_review_routes t JOIN agencies a ON a.id = t.body_agency_id WHERE t.case_id = $1`, [caseId],
  )).rows;

const FIELD_LABELS: Record<string, string> = { summary: '案件情况说明', proposedDecision: '拟作出的执法决定', fineAmount: '罚款金额', penaltyKinds: '处罚种类', legalBasis: '法律依据' };

/**
 * R-L07: every round with its route, clock, problems and the unit's answers, and what changed from the
 * round before (the fields whose value differs, both values given, for the side-by-side view).
 */
export async function reviewRounds(ctx: AppContext, actor: Actor, caseId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  const reviews = await casesRepo.listReviews(ctx.db, caseId);
  const routes = new Map((await routesOf(ctx, caseId)).map((r) => [r.review_id, r]));
  const today = todayInShanghai();
  const rounds = reviews.map((r) => {
    const t = routes.get(r.id);
    const values: Record<string, unknown> = { summary: r.summary, proposedDecision: r.proposed_decision, ...(t ? { fineAmount: t.content.fineAmount, penaltyKinds: t.content.penaltyKinds, legalBasis: t.content.legalBasis } : {}) };
    const status = t ? clockStatus(t.due_on, t.warn_on, r.opinion_on, today) : null;
    return {
      id: r.id, round: r.round, on: r.on_date, submittedBy: r.submitter_name, values,
      result: r.opinion_result ?? 'pending', reviewer: r.reviewer_name, opinionOn: r.opinion_on, opinion: r.opinion, problems: r.problems ?? [],
      answers: (t?.answers ?? []).map((a) => ({ ...a, problemText: null as string | null })),
      route: t ? { bodyAgencyId: t.body_agency_id, bodyAgencyName: t.body_name, unitName: t.unit_name, route: t.route, routeLabel: ROUTE_LABELS[t.route], rulesVersion: t.rule_set_version } : null,
      clock: t && status ? { dueOn: t.due_on, warnOn: t.warn_on, status, label: CLOCK_LABELS[status] } : null,
      changes: [] as { field: string; label: string; before: unknown; after: unknown }[],
    };
  });
  rounds.forEach((r, i) => {
    const prev = rounds[i - 1];
    if (!prev) return;
    for (const a of r.answers) a.problemText = prev.problems[a.problem] ?? null;
    for (const k of Object.keys(FIELD_LABELS)) {
      if (!(k in r.values) || !(k in prev.values)) continue;
      if (JSON.stringify(r.values[k]) !== JSON.stringify(prev.values[k])) r.changes.push({ field: k, label: FIELD_LABELS[k]!, before: prev.values[k], after: r.values[k] });
    }
  });
  // R-P14: summaries, answers and conclusions are free text that may repeat the party's ID number or address.
  return minimiseFor(actor, row).value({ rounds, coordinations: await coordinationsOf(ctx, caseId) });
}

/** R-L03: the review body's head assigns an unassigned submission to a member who may review the case. */
export async function assignReview(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, reviewId: string, rosterId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  const t = (await routesOf(ctx, caseId)).find((r) => r.review_id === reviewId);
  const review = (await casesRepo.listReviews(ctx.db, caseId)).find((r) => r.id === reviewId);
  if (!review) throw notFound('审核报送');
  const bodyId = t?.body_agency_id ?? row.agency_id;
  if (!(actor.kind === 'user' && actor.role === 'agency_head' && actor.agencyId === bodyId)) {
    return denied(ctx, req, actor, 'review.assign', '报送由审核机构所在机关的负责人分派（R-L03）。', caseId);
  }
  if (review.opinion_result !== null) throw new AppError('invalid_state', { detail: `第 ${review.round} 次报送已有审核意见，不能再分派。` });
  if (review.assigned_roster_id) throw new AppError('invalid_state', { detail: `第 ${review.round} 次报送已分派给${review.assigned_name}。` });
  const entry = await registry.rosterEntry(ctx.db, rosterId);
  if (!entry || !entry.active || !entry.userId || (entry.agencyId !== bodyId && !entry.shared)) {
    throw new AppError('validation', { detail: '所选人员不在审核机构名单上，也不是共享且已绑定账号的审核人员。', errors: [{ field: 'rosterId', message: '不能分派给该人员' }] });
  }
  const refusal = await reviewerRefusal(ctx.db, caseId, entry);
  if (refusal) throw new AppError('validation', { detail: refusal, errors: [{ field: 'rosterId', message: refusal }] });
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'review.assigned', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor), data: { caseId, reviewId, rosterId },
    });
    await tx.query(`INSERT INTO legal_review_assignments (review_id, case_id, roster_id, assigned_by, event_id) VALUES ($1,$2,$3,$4,$5)`, [reviewId, caseId, rosterId, actorUserId(actor), eventId]);
  });
  return (await reviewRounds(ctx, actor, caseId)).rounds.find((r) => r.id === reviewId)!;
}

// ---- coordination (R-L08) ------------------------------------------------------------------------

const METHOD_LABELS = { head: '机关负责人协调', collective: '集体讨论', experts: '专家委员会论证' } as const;

interface CoordinationRow {
  id: string; review_id: string; raised_side: 'handling_unit' | 'review_body'; reason: string; raised_on: string; method: keyof typeof METHOD_LABELS | null;
  participants: string[]; expert_advice: { expert: string; advice: string }[]; conclusion: string | null; decided_on: string | null; document_id: string | null;
}

async function coordinationsOf(ctx: AppContext, caseId: string) {
  const { rows } = await ctx.db.query<CoordinationRow>(`SELECT * FROM review_coordinations WHERE case_id = $1 ORDER BY raised_on, id`, [caseId]);
  return rows.map((c) => ({
    id: c.id, reviewId: c.review_id, raisedSide: c.raised_side, reason: c.reason, raisedOn: c.raised_on, status: c.conclusion === null ? 'open' : 'settled',
    method: c.method, methodLabel: c.method ? METHOD_LABELS[c.method] : null, participants: c.participants, expertAdvice: c.expert_advice, conclusion: c.conclusion, decidedOn: c.decided_on, documentId: c.document_id,
  }));
}

/**
 * R-L08: either side escalates a disagreement on a round with problems: the handling unit (its officer
 * or head) or the reviewer of the body it was routed to.
 */
export async function raiseCoordination(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, reviewId: string, input: CoordinationRaise) {
  const row = await loadCase(ctx.db, actor, caseId);
  const review = (await casesRepo.listReviews(ctx.db, caseId)).find((r) => r.id === reviewId);
  if (!review) throw notFound('审核报送');
  const t = (await routesOf(ctx, caseId)).find((r) => r.review_id === reviewId);
  const handling = actor.kind === 'user' && (actor.role === 'officer' || actor.role === 'agency_head') && actor.agencyId === row.agency_id;
  const reviewing = actor.kind === 'user' && actor.role === 'reviewer' && (actor.agencyId === (t?.body_agency_id ?? row.agency_id) || (review.assigned_roster_id !== null && (await registry.rosterEntryOfUser(ctx.db, actor.id))?.id === review.assigned_roster_id));
  if (!handling && !reviewing) return denied(ctx, req, actor, 'review.coordination_raise', '只有承办机构或审核机构可以提请分歧协调（R-L08）。', caseId);
  if (review.opinion_result !== 'problems') throw new AppError('invalid_state', { detail: '只有审核提出问题、双方意见不一致时才需提请协调。' });
  if (input.on < review.opinion_on!) throw new AppError('validation', { detail: '提请日期不能早于审核意见日期。', errors: [{ field: 'on', message: '不能早于审核意见日期' }] });
  const open = (await coordinationsOf(ctx, caseId)).find((c) => c.reviewId === reviewId && c.status === 'open');
  if (open) throw new AppError('invalid_state', { detail: '该次审核的分歧已提请协调，尚未形成结论。' });
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    const side = handling ? 'handling_unit' : 'review_body';
    const { eventId } = await recordChange(tx, {
      kind: 'review.coordination_raised', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor), data: { id, caseId, reviewId, side, reason: input.reason, on: input.on },
    });
    await tx.query(`INSERT INTO review_coordinations (id, case_id, review_id, raised_by, raised_side, reason, raised_on, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [id, caseId, reviewId, actorUserId(actor), side, input.reason, input.on, eventId]);
  });
  return (await coordinationsOf(ctx, caseId)).find((c) => c.id === id)!;
}

/**
 * R-L08: the agency head settles it (alone, by collective discussion with its participants, or on the
 * expert committee's written advice); the outcome is a document of the case file.
 */
export async function settleCoordination(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, coordinationId: string, input: CoordinationOutcome) {
  const row = await loadCase(ctx.db, actor, caseId);
  if (!(actor.kind === 'user' && actor.role === 'agency_head' && policy.canWorkOnCase(actor, agencyRef(row)))) {
    return denied(ctx, req, actor, 'review.coordination_settle', '分歧由本机关负责人协调决定（R-L08）。', caseId);
  }
  const c = (await coordinationsOf(ctx, caseId)).find((x) => x.id === coordinationId);
  if (!c) throw notFound('分歧协调');
  if (c.status !== 'open') throw new AppError('invalid_state', { detail: '该分歧已形成协调结论。' });
  if (input.on < c.raisedOn) throw new AppError('validation', { detail: '协调日期不能早于提请日期。', errors: [{ field: 'on', message: '不能早于提请日期' }] });
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const head = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  const body = [
    `${row.title}（${row.number}）`,
    `分歧事项（${c.raisedSide === 'handling_unit' ? '承办机构' : '法制审核机构'}于 ${c.raisedOn} 提请）：${c.reason}`,
    `协调方式：${METHOD_LABELS[input.method]}`,
    ...(input.participants.length ? [`参加人员：${input.participants.join('、')}`] : []),
    ...input.expertAdvice.map((e, i) => `专家书面意见 ${i + 1}（${e.expert}）：${e.advice}`),
    `协调结论：${input.conclusion}`,
    `机关负责人：${head}`,
  ].join('\n');
  const doc = await ctx.db.transaction(async (tx) => {
    const current = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
    const d = await issueInTx(tx, ctx, actor, current, def, { type: 'review_coordination_record', issuedOn: input.on, fields: { party: current.party_name, body } });
    const { eventId } = await recordChange(tx, {
      kind: 'review.coordination_settled', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actor.id,
      data: { caseId, coordinationId, method: input.method, participants: input.participants, expertAdvice: input.expertAdvice, conclusion: input.conclusion, on: input.on, documentId: d.documentId },
    });
    await tx.query(
      `UPDATE review_coordinations SET method = $2, participants = $3, expert_advice = $4, conclusion = $5, decided_by = $6, decided_on = $7, document_id = $8, event_id = $9 WHERE id = $1`,
      [coordinationId, input.method, JSON.stringify(input.participants), JSON.stringify(input.expertAdvice), input.conclusion, actor.id, input.on, d.documentId, eventId],
    );
    return d;
  });
  await storeIssuedPdfs(ctx, actor, [doc]);
  return (await coordinationsOf(ctx, caseId)).find((x) => x.id === coordinationId)!;
}
