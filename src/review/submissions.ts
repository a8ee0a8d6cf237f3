// Legal review (法制审核, R-L01, R-L05 … R-L07): the handling unit submits the case with the materials
// the rules list (R-L06) and declares them true and complete; a reviewer of the agency (or a shared
// reviewer of the justice bureau's roster) checks the ten points (R-L05) and gives a written opinion —
// passed, or problems found. The opinion performs the procedure's legal_review step, so `reviewPassed`
// is set by the review and nothing else; after problems, the unit corrects and resubmits until it passes.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';
import * as registry from '../registry/service.ts';
import { actorUserId, agencyRef, denied, loadCase, loadCaseForWork } from '../cases/access.ts';
import { issueInTx, storeIssuedPdfs } from '../cases/case-documents.ts';
import { definitionOf } from '../cases/definitions.ts';
import { prepareStep, performStepInTx } from '../cases/perform-step.ts';
import { availableSteps, refusalError, type Refusal } from '../cases/procedures/index.ts';
import * as policy from '../cases/policy.ts';
import * as recordsRepo from '../cases/records-store.ts';
import { REVIEW_MATERIAL_LABELS, REVIEW_POINTS, REVIEW_POINT_LABELS, type ReviewMaterial, type ReviewOpinion, type ReviewSubmission } from '../cases/schema.ts';
import * as casesRepo from '../cases/store.ts';
import { fineOf } from './catalog.ts';
import { requiredMaterials, reviewBodyFor, reviewClock, reviewerRefusal, rulesInForce, workload } from './bodies.ts';

export function reviewOut(r: casesRepo.ReviewRow) {
  return {
    id: r.id, round: r.round, submittedBy: r.submitter_name, on: r.on_date, summary: r.summary, proposedDecision: r.proposed_decision, materials: r.materials,
    status: r.opinion_result === null ? 'pending' : r.opinion_result,
    assignedTo: r.assigned_roster_id ? { rosterId: r.assigned_roster_id, name: r.assigned_name, agencyName: r.assigned_agency_name } : null,
    opinion: r.opinion_result === null ? null : { result: r.opinion_result, opinion: r.opinion, problems: r.problems, checklist: r.checklist, reviewer: r.reviewer_name, on: r.opinion_on, documentId: r.document_id, stepSeq: r.step_seq },
  };
}


export async function submitReview(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: ReviewSubmission) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.review_submit');
  if (actor.role !== 'officer' && actor.role !== 'agency_head') await denied(ctx, req, actor, 'cases.review_submit', '法制审核由承办机构报送。', caseId);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const refusals: Refusal[] = [];
  if (!availableSteps(def, row.state).steps.some((s) => s.key === 'legal_review')) {
    refusals.push({ code: 'review_not_due', reason: '案件当前不处于法制审核环节，不能报送审核' });
  }
  const reviews = await casesRepo.listReviews(ctx.db, caseId);
  const open = reviews.find((r) => r.opinion_result === null);
  if (open) refusals.push({ code: 'review_pending', reason: `第 ${open.round} 次报送尚待审核意见` });
  // R-L07: after problems were found, each problem is answered point by point before resubmitting.
  const last = reviews.at(-1);
  if (last?.opinion_result === 'problems') {
    (last.problems ?? []).forEach((p, i) => {
      if (!input.answers.some((a) => a.problem === i)) refusals.push({ code: 'problem_unanswered', reason: `第 ${last.round} 次审核提出的第 ${i + 1} 个问题（${p}）尚未逐项说明整改情况（R-L07）` });
    });
  }
  // R-L02: routed to the review body; R-L08: under that body's review rules in force on the day.
  const body = await reviewBodyFor(ctx.db, row.agency_id);
  const rules = await rulesInForce(ctx.db, body.bodyAgencyId, input.on);

  // R-L06: the materials; the hearing transcript when a hearing was held.
  const heard = row.state.facts.hearingRequested === true || row.state.facts.hearingHeld === true;
  const need: ReviewMaterial[] = heard ? [...requiredMaterials(rules), 'hearing_record'] : requiredMaterials(rules);
  const documents = await casesRepo.listDocuments(ctx.db, caseId);
  const records = await recordsRepo.listRecords(ctx.db, caseId);
  for (const k of need) {
    const m = input.materials.find((x) => x.kind === k);
    if (!m || (!m.note && !m.documentIds.length && !m.recordIds.length)) refusals.push({ code: 'material_missing', reason: `缺少报送材料：${REVIEW_MATERIAL_LABELS[k]}（R-L06）` });
  }
  if (heard && !input.materials.some((m) => m.kind === 'hearing_record' && m.documentIds.some((id) => documents.find((d) => d.id === id)?.type === 'hearing_record' && documents.find((d) => d.id === id)?.status === 'final'))) {
    refusals.push({ code: 'material_missing', reason: '举行听证的，须附已定稿的听证笔录（R-L06）' });
  }
  input.materials.forEach((m) => {
    for (const id of m.documentIds) if (!documents.some((d) => d.id === id)) refusals.push({ code: 'material_unknown', reason: `材料“${REVIEW_MATERIAL_LABELS[m.kind]}”所附文书 ${id} 不属于本案` });
    for (const id of m.recordIds) if (!records.some((r) => r.id === id)) refusals.push({ code: 'material_unknown', reason: `材料“${REVIEW_MATERIAL_LABELS[m.kind]}”所附记录 ${id} 不属于本案` });
  });
  if (refusals.length) throw refusalError(refusals);
  const assignee = input.reviewerId ? await assignable(ctx, body.bodyAgencyId, input.reviewerId, caseId) : rules.assignment === 'round_robin' ? await nextInTurn(ctx, body.bodyAgencyId, caseId) : undefined;
  const clock = await reviewClock(ctx.db, input.on, rules);
  // What the review passes: the decision must keep it (R-L01, gate.ts).
  const content = { fineAmount: fineOf(row.state.facts) ?? null, penaltyKinds: [...(row.profile.penaltyKinds ?? [])].sort(), legalBasis: input.legalBasis?.trim() || null };

  const id = crypto.randomUUID();
  const round = reviews.length + 1;
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'cases.review_submitted', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: {
        caseId, reviewId: id, round, on: input.on, summary: input.summary, proposedDecision: input.proposedDecision, materials: input.materials, declaration: true, reviewerId: assignee?.id ?? null,
        body: { agencyId: body.bodyAgencyId, unitName: body.unitName, route: body.route }, rules: { setId: rules.setId, version: rules.version }, dueOn: clock.dueOn, content, answers: input.answers,
      },
    });
    await casesRepo.insertReview(tx, { id, caseId, round, by: actorUserId(actor), name, on: input.on, summary: input.summary, proposedDecision: input.proposedDecision, materials: input.materials, eventId });
    await tx.query(
      `INSERT INTO legal_review_routes (review_id, case_id, body_agency_id, unit_name, route, rule_set_id, rule_set_version, due_on, warn_on, content, answers, event_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [id, caseId, body.bodyAgencyId, body.unitName, body.route, rules.setId, rules.version, clock.dueOn, clock.warnOn, JSON.stringify(content), JSON.stringify(input.answers), eventId],
    );
    if (assignee) {
      await tx.query(`INSERT INTO legal_review_assignments (review_id, case_id, roster_id, assigned_by, event_id) VALUES ($1,$2,$3,$4,$5)`, [id, caseId, assignee.id, actorUserId(actor), eventId]);
    }
  });
  return reviewOut((await casesRepo.listReviews(ctx.db, caseId)).find((r) => r.id === id)!);
}

/**
 * R-L03: who may be assigned a submission: an active entry with an account, of the review body's roster
 * or shared by another unit (a justice bureau's legal adviser), who did not handle the case and, on a
 * first review, holds the legal professional qualification. The assignment is what lets a shared
 * reviewer read this case (access.ts loadCase).
 */
async function assignable(ctx: AppContext, bodyAgencyId: string, rosterId: string, caseId: string) {
  const entry = await registry.rosterEntry(ctx.db, rosterId);
  if (!entry || !entry.active || !entry.userId || (entry.agencyId !== bodyAgencyId && !entry.shared)) {
    throw new AppError('validation', { detail: '所选法制审核人员不在审核机构名单上，也不是共享且已绑定账号的审核人员。', errors: [{ field: 'reviewerId', message: '不能指定该审核人员' }] });
  }
  const refusal = await reviewerRefusal(ctx.db, caseId, entry);
  if (refusal) throw new AppError('validation', { detail: refusal, errors: [{ field: 'reviewerId', message: refusal }] });
  return entry;
}

/** Round-robin (R-L08 rules say so): the eligible member of the body with the fewest open reviews. */
async function nextInTurn(ctx: AppContext, bodyAgencyId: string, caseId: string) {
  const items = (await registry.assignableReviewers(ctx.db, bodyAgencyId)).filter((i) => i.own);
  const load = await workload(ctx.db, items.map((i) => i.rosterId));
  for (const i of [...items].sort((a, b) => (load.get(a.rosterId) ?? 0) - (load.get(b.rosterId) ?? 0))) {
    const entry = (await registry.rosterEntry(ctx.db, i.rosterId))!;
    if (!(await reviewerRefusal(ctx.db, caseId, entry))) return entry;
  }
  return undefined;
}

/**
 * R-L03: the roster entries a submission of this case may be assigned to, for those who submit (the
 * handling unit's officers and head) and the review body's head: the body's own bound entries first,
 * then shared ones, each with its open reviews and, when it may not review this case, why.
 */
export async function reviewAssignees(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.review_assignees');
  if (actor.role !== 'officer' && actor.role !== 'agency_head') await denied(ctx, req, actor, 'cases.review_assignees', '法制审核由承办机构报送。', caseId);
  const body = await reviewBodyFor(ctx.db, row.agency_id);
  const items = await registry.assignableReviewers(ctx.db, body.bodyAgencyId);
  const load = await workload(ctx.db, items.map((i) => i.rosterId));
  const out = [];
  for (const i of items) {
    const refusal = await reviewerRefusal(ctx.db, caseId, (await registry.rosterEntry(ctx.db, i.rosterId))!);
    out.push({ ...i, openReviews: load.get(i.rosterId) ?? 0, eligible: !refusal, refusal });
  }
  return { items: out, body: { agencyId: body.bodyAgencyId, agencyName: body.bodyAgencyName, unitName: body.unitName, route: body.route } };
}

async function assignedRosterId(ctx: AppContext, reviewId: string): Promise<string | null> {
  const { rows } = await ctx.db.query<{ roster_id: string }>(`SELECT roster_id FROM legal_review_assignments WHERE review_id = $1`, [reviewId]);
  return rows[0]?.roster_id ?? null;
}

/** The 法制审核意见书's fields (documents/forms.ts) from the opinion given (R-L07). */
function opinionFields(o: ReviewOpinion, c: { number: string; title: string; party: string }, review: { on_date: string; round: number; proposed_decision: string }, reviewer: string) {
  return {
    caseNumber: c.number, cause: c.title, partyName: c.party, submittedOn: review.on_date, round: review.round, proposedDecision: review.proposed_decision,
    conclusion: o.result === 'passed' ? '同意（审核通过）' : '存在问题，退回补正',
    checklist: REVIEW_POINTS.map((p) => `${REVIEW_POINT_LABELS[p]}：${o.checklist[p]!.ok ? '符合' : '不符合'}${o.checklist[p]!.note ? `（${o.checklist[p]!.note}）` : ''}`),
    opinion: o.opinion,
    ...(o.problems.length ? { problems: o.problems } : {}),
    reviewer,
  };
}

/**
 * The written opinion (R-L07). In one transaction: the 法制审核意见书 (final, PDF), the legal_review step
 * with reviewPassed from the result, and the opinion row naming the document and the step.
 */
export async function giveOpinion(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, reviewId: string, input: ReviewOpinion) {
  const row = await loadCase(ctx.db, actor, caseId);
  // R-L07: the opinion is the signer's. It is attributed to the signer's own roster entry; naming another is refused.
  const entry = (actor.kind === 'user' ? await registry.rosterEntryOfUser(ctx.db, actor.id) : undefined) ?? null;
  if (input.rosterId && input.rosterId !== entry?.id) await denied(ctx, req, actor, 'cases.review_opinion', '审核意见只能以签署人本人在法制审核人员名单上的身份作出（R-L03、R-L07）。', caseId);
  const review = (await casesRepo.listReviews(ctx.db, caseId)).find((r) => r.id === reviewId);
  if (!review) throw notFound('审核报送');
  // R-L02: the reviewer belongs to the body the submission was routed to (the case's agency when none was recorded).
  const bodyAgencyId = (await ctx.db.query<{ body_agency_id: string }>(`SELECT body_agency_id FROM legal_review_routes WHERE review_id = $1`, [reviewId])).rows[0]?.body_agency_id ?? row.agency_id;
  if (!policy.canReview(actor, { ...agencyRef(row), id: bodyAgencyId }, entry, await assignedRosterId(ctx, reviewId))) {
    return denied(ctx, req, actor, 'cases.review_opinion', '法制审核意见须由名单上的本机关法制审核人员，或受指派审核本次报送的共享审核人员作出（R-L03、R-L07）。', caseId);
  }
  if (review.opinion_result !== null) throw new AppError('invalid_state', { detail: `第 ${review.round} 次报送已有审核意见；补正后请重新报送。` });
  // R-L03: never one who handled the case; a first review needs the legal professional qualification.
  const refusal = await reviewerRefusal(ctx.db, caseId, entry);
  if (refusal) await denied(ctx, req, actor, 'cases.review_opinion', refusal, caseId);
  // R-L08: the opinion format of the body's rules: a point found wanting says why.
  const rules = await rulesInForce(ctx.db, bodyAgencyId, review.on_date);
  if (rules.opinion.noteOnFailedPoint) {
    const bare = REVIEW_POINTS.filter((p) => !input.checklist[p]!.ok && !input.checklist[p]!.note.trim());
    if (bare.length) throw new AppError('validation', { detail: `审核规则要求对不符合的审核要点逐项说明：${bare.map((p) => REVIEW_POINT_LABELS[p]).join('、')}。`, errors: bare.map((p) => ({ field: `checklist.${p}.note`, message: '请说明不符合的情况' })) });
  }
  if (input.result === 'problems' && !input.problems.length) throw new AppError('validation', { detail: '审核存在问题的，应逐项列明问题，以便承办机构逐项整改说明（R-L07）。', errors: [{ field: 'problems', message: '请逐项列明存在的问题' }] });
  if (input.on < review.on_date) throw new AppError('validation', { detail: '审核日期不能早于报送日期。', errors: [{ field: 'on', message: '审核日期不能早于报送日期' }] });

  const env = await prepareStep(ctx, actor, row, { officerIds: [] });
  const def = env.def;
  const reviewerName = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;
  const out = await ctx.db.transaction(async (tx) => {
    const current = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
    const doc = await issueInTx(tx, ctx, actor, current, def, {
      type: 'review_opinion',
      issuedOn: input.on,
      fields: opinionFields(input, { number: current.number, title: current.title, party: current.party_name }, review, reviewerName),
    });
    const step = await performStepInTx(tx, ctx, actor, caseId, env, {
      step: 'legal_review', on: input.on, officerIds: [], facts: { reviewPassed: input.result === 'passed' }, documentIds: [], documents: [],
    }, { reserved: true, issued: [{ documentId: doc.documentId, type: 'review_opinion' }] });
    const { eventId } = await recordChange(tx, {
      kind: 'cases.review_opinion', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actor.id,
      data: { caseId, reviewId, round: review.round, result: input.result, checklist: input.checklist, opinion: input.opinion, problems: input.problems, on: input.on, reviewer: reviewerName, rosterId: entry.id, documentId: doc.documentId, stepSeq: step.seq },
    });
    await casesRepo.insertOpinion(tx, {
      reviewId, caseId, reviewerId: actor.id, reviewerName, rosterId: entry.id, checklist: input.checklist, result: input.result, opinion: input.opinion,
      problems: input.problems, on: input.on, documentId: doc.documentId, stepSeq: step.seq, eventId,
    });
    return { doc, step };
  });
  await storeIssuedPdfs(ctx, actor, [out.doc, ...out.step.pdfs]);
  return reviewOut((await casesRepo.listReviews(ctx.db, caseId)).find((r) => r.id === reviewId)!);
}
