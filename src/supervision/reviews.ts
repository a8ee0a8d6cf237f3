// 案卷评查 plans and scoring (R-R07): a reproducible random sample per agency (ordered by SHA-256 of the
// plan's seed and the case id, so the same seed over the same cases draws the same files), reviewers
// assigned round-robin from the plan's reviewing agencies and never the file's own agency, automatic
// checks pre-filled, the reviewer's score and grade under the plan's standard version, per-agency
// results (优秀率, 合格率) as the 评查通报 data; a 不合格 file is marked for correction.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { avRecordsWithoutRetention, caseFacts, caseLabels, casesForReview } from '../cases/supervision-facts.ts';
import { automaticChecks, GRADE_LABELS, REVIEW_STANDARDS, scoreFile, standardInForce, type Grade, type Hits } from './review-standards.ts';
import type { ReviewPlanInput } from './schema.ts';

interface PlanRow { id: string; bureau_id: string; region_code: string; title: string; standard_code: string; standard_version: number; period_from: string; period_to: string; procedures: string[]; sample_per_agency: number; seed: string; created_at: Date }
interface FileRow { id: string; plan_id: string; case_id: string; agency_id: string; agency_name: string; region_code: string; reviewer_agency_id: string; reviewer_agency_name: string; prefill: Hits & { notes: string[] }; status: string; hits: Hits | null; score: number | null; grade: Grade | null; correction_required: boolean }

const isSupervisor = (a: Actor) => a.kind === 'user' && (a.role === 'supervisor' || a.role === 'system_admin');
const covers = (a: Actor, region: string) => a.role === 'system_admin' || (!!a.jurisdiction && region.startsWith(a.jurisdiction));
const order = (seed: string, id: string) => crypto.createHash('sha256').update(`${seed}:${id}`).digest('hex');

export async function createReviewPlan(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: ReviewPlanInput) {
  if (!isSupervisor(actor)) {
    await audit(ctx.db, req, { action: 'supervision.review_plan', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw forbidden('只有执法监督人员可以制定评查方案。');
  }
  const today = todayInShanghai();
  const std = standardInForce(input.standard, today);
  if (!std) throw new AppError('validation', { detail: '评查标准不存在。', errors: [{ field: 'standard', message: '评查标准不存在' }] });
  const region = actor.role === 'system_admin' ? '' : actor.jurisdiction!;
  const { rows: reviewers } = await ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies WHERE id = ANY($1::uuid[])`, [input.reviewerAgencyIds]);
  if (reviewers.length !== input.reviewerAgencyIds.length || reviewers.some((r) => !r.region_code.startsWith(region))) {
    throw new AppError('validation', { detail: '评查机关不存在或不在本辖区。', errors: [{ field: 'reviewerAgencyIds', message: '评查机关不存在或不在本辖区' }] });
  }
  const procedures = input.procedures.filter((p) => std.procedures.includes(p));
  const cases = await casesForReview(ctx.db, { regionPrefix: region || null, from: input.from, to: input.to, procedureIds: procedures });
  const seed = input.seed ?? crypto.randomBytes(8).toString('hex');
  const byAgency = new Map<string, typeof cases>();
  for (const c of cases) byAgency.set(c.agencyId, [...(byAgency.get(c.agencyId) ?? []), c]);
  const sample = [...byAgency.values()].flatMap((list) => list.sort((a, b) => order(seed, a.id).localeCompare(order(seed, b.id))).slice(0, input.samplePerAgency));
  sample.sort((a, b) => order(seed, a.id).localeCompare(order(seed, b.id)));
  const cal = await getCalendar(ctx.db);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO review_plans (id, bureau_id, region_code, title, standard_code, standard_version, period_from, period_to, procedures, sample_per_agency, seed, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [id, actor.agencyId, region, input.title, std.code, std.version, input.from, input.to, procedures, input.samplePerAgency, seed, actor.id],
    );
    let turn = 0;
    for (const c of sample) {
      // Round-robin over the reviewing agencies, skipping the file's own (R-R07: never self-review in the spot check).
      const candidates = input.reviewerAgencyIds.filter((r) => r !== c.agencyId);
      if (!candidates.length) continue;
      const reviewer = candidates[turn++ % candidates.length]!;
      const facts = await caseFacts(tx, c.id);
      const prefill = facts ? automaticChecks(facts, today, cal, std, await avRecordsWithoutRetention(tx, c.id)) : { vetoes: [], deductions: [], notes: [] };
      await tx.query(
        `INSERT INTO review_files (id, plan_id, case_id, agency_id, region_code, reviewer_agency_id, prefill, status) VALUES ($1,$2,$3,$4,$5,$6,$7,'assigned')`,
        [crypto.randomUUID(), id, c.id, c.agencyId, c.regionCode, reviewer, JSON.stringify(prefill)],
      );
    }
    await recordChange(tx, { kind: 'supervision.review_plan_created', agencyId: actor.agencyId, subjectType: 'review_plan', subjectId: id, actorId: actor.id, data: { planId: id, seed, standard: { code: std.code, version: std.version }, files: sample.map((c) => c.id) } });
  });
  return getReviewPlan(ctx, actor, id);
}

const FILE_SELECT = `SELECT f.*, a.name AS agency_name, r.name AS reviewer_agency_name FROM review_files f JOIN agencies a ON a.id = f.agency_id JOIN agencies r ON r.id = f.reviewer_agency_id`;

async function loadPlan(q: Queryable, actor: Actor, id: string): Promise<PlanRow> {
  if (!isSupervisor(actor)) throw forbidden('只有执法监督人员可以查看评查方案。');
  const { rows } = await q.query<PlanRow>(`SELECT * FROM review_plans WHERE id = $1`, [id]);
  const p = rows[0];
  if (!p || !covers(actor, p.region_code)) throw notFound('评查方案');
  return p;
}

function fileView(f: FileRow, labels: Map<string, { number: string; title: string }>) {
  const l = labels.get(f.case_id);
  return {
    id: f.id, caseId: f.case_id, case: l ? { number: l.number, title: l.title } : null, agency: { id: f.agency_id, name: f.agency_name },
    reviewer: { id: f.reviewer_agency_id, name: f.reviewer_agency_name }, status: f.status, prefill: f.prefill, hits: f.hits, score: f.score, grade: f.grade,
    gradeLabel: f.grade ? GRADE_LABELS[f.grade] : null, correctionRequired: f.correction_required,
  };
}

export async function getReviewPlan(ctx: AppContext, actor: Actor, id: string) {
  const p = await loadPlan(ctx.db, actor, id);
  const { rows } = await ctx.db.query<FileRow>(`${FILE_SELECT} WHERE f.plan_id = $1 ORDER BY a.name, f.id`, [id]);
  const labels = await caseLabels(ctx.db, rows.map((r) => r.case_id));
  const agencies = new Map<string, { agency: { id: string; name: string }; files: number; scored: number; excellent: number; pass: number }>();
  for (const f of rows) {
    const a = agencies.get(f.agency_id) ?? { agency: { id: f.agency_id, name: f.agency_name }, files: 0, scored: 0, excellent: 0, pass: 0 };
    a.files++;
    if (f.grade) {
      a.scored++;
      if (f.grade === 'excellent') a.excellent++;
      if (f.grade !== 'fail') a.pass++;
    }
    agencies.set(f.agency_id, a);
  }
  return {
    id: p.id, title: p.title, standard: { code: p.standard_code, version: p.standard_version }, period: { from: p.period_from, to: p.period_to }, procedures: p.procedures,
    samplePerAgency: p.sample_per_agency, seed: p.seed, files: rows.map((f) => fileView(f, labels)),
    // 评查通报: per agency, rates over the files scored.
    results: [...agencies.values()].map((a) => ({ ...a, excellentRate: a.scored ? a.excellent / a.scored : null, passRate: a.scored ? a.pass / a.scored : null })),
  };
}

export async function listReviewPlans(ctx: AppContext, actor: Actor) {
  if (!isSupervisor(actor)) throw forbidden('只有执法监督人员可以查看评查方案。');
  const params: unknown[] = [];
  const where = actor.role === 'system_admin' ? 'TRUE' : `(region_code LIKE $${params.push(actor.jurisdiction)} || '%')`;
  const { rows } = await ctx.db.query<PlanRow & { files: number; scored: number }>(
    `SELECT p.*, (SELECT count(*)::int FROM review_files f WHERE f.plan_id = p.id) AS files, (SELECT count(*)::int FROM review_files f WHERE f.plan_id = p.id AND f.status = 'scored') AS scored
       FROM review_plans p WHERE ${where} ORDER BY created_at DESC LIMIT 100`, params);
  return { items: rows.map((p) => ({ id: p.id, title: p.title, period: { from: p.period_from, to: p.period_to }, standard: { code: p.standard_code, version: p.standard_version }, files: p.files, scored: p.scored })) };
}

/** A file is seen by the supervisors over it and by the staff of its reviewing agency (never the file's own). */
async function loadFile(q: Queryable, actor: Actor, id: string, forUpdate = false): Promise<FileRow> {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const { rows } = await q.query<FileRow>(`${FILE_SELECT} WHERE f.id = $1${forUpdate ? ' FOR UPDATE OF f' : ''}`, [id]);
  const f = rows[0];
  const sees = f && ((isSupervisor(actor) && covers(actor, f.region_code)) || actor.agencyId === f.reviewer_agency_id);
  if (!sees) throw notFound('评查案卷');
  return f;
}

export async function getReviewFile(ctx: AppContext, actor: Actor, id: string) {
  const f = await loadFile(ctx.db, actor, id);
  const { rows } = await ctx.db.query<{ standard_code: string; standard_version: number }>(`SELECT standard_code, standard_version FROM review_plans WHERE id = $1`, [f.plan_id]);
  const std = REVIEW_STANDARDS.find((s) => s.code === rows[0]!.standard_code && s.version === rows[0]!.standard_version)!;
  return { ...fileView(f, await caseLabels(ctx.db, [f.case_id])), standard: std };
}

export async function scoreReviewFile(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, hits: Hits) {
  const pre = await loadFile(ctx.db, actor, id);
  if (actor.agencyId === pre.agency_id) {
    await audit(ctx.db, req, { action: 'supervision.review_score', outcome: 'denied', ...actorAudit(actor), detail: { fileId: id } });
    throw forbidden('不能评查本机关的案卷。');
  }
  await ctx.db.transaction(async (tx) => {
    const f = await loadFile(tx, actor, id, true);
    const { rows } = await tx.query<{ standard_code: string; standard_version: number }>(`SELECT standard_code, standard_version FROM review_plans WHERE id = $1`, [f.plan_id]);
    const std = REVIEW_STANDARDS.find((s) => s.code === rows[0]!.standard_code && s.version === rows[0]!.standard_version)!;
    let r;
    try {
      r = scoreFile(std, hits);
    } catch (e) {
      throw new AppError('validation', { detail: (e as Error).message, errors: [{ field: 'vetoes', message: (e as Error).message }] });
    }
    await tx.query(`UPDATE review_files SET status = 'scored', hits = $2, score = $3, grade = $4, correction_required = $5, scored_by = $6, scored_at = now() WHERE id = $1`,
      [id, JSON.stringify(hits), r.score, r.grade, r.grade === 'fail', actor.id]);
    await recordChange(tx, { kind: 'supervision.review_scored', agencyId: f.agency_id, subjectType: 'review_file', subjectId: id, actorId: actor.id, data: { fileId: id, caseId: f.case_id, hits, score: r.score, grade: r.grade } });
  });
  return getReviewFile(ctx, actor, id);
}
