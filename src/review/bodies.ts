// Who reviews (R-L02, R-L03) and under which rules (R-L08): the review body a submission is routed to,
// the review rules in force for it as versioned data, and whether a roster member may review a case
// (never one who handled it; a first-time reviewer holds the legal professional qualification).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { REVIEW_MATERIALS, type ReviewMaterial } from '../cases/schema.ts';
import type { ReviewBodyInput, ReviewRules, ReviewRuleSetInput } from './schema.ts';

export type Route = 'own' | 'named' | 'entrusting' | 'justice_bureau';
export const ROUTE_LABELS: Record<Route, string> = {
  own: '本机关法制审核机构',
  named: '本机关指定的审核机构',
  entrusting: '委托机关的法制审核机构（受委托组织的决定）',
  justice_bureau: '本级司法行政部门（政府自身的决定）',
};

export interface ReviewBody {
  bodyAgencyId: string;
  bodyAgencyName: string;
  unitName: string;
  route: Route;
  justiceBureauId: string | null;
}

interface AgencyRow { id: string; name: string; kind: string; region_code: string; legal_status: string; entrusting_agency_id: string | null; review_unit: string }
const agencyRow = async (q: Queryable, id: string) =>
  (await q.query<AgencyRow>(`SELECT id, name, kind, region_code, legal_status, entrusting_agency_id, review_unit FROM agencies WHERE id = $1`, [id])).rows[0];

/** The justice bureau of the agency's region (the one it registers its review body with). */
async function justiceBureauOf(q: Queryable, a: AgencyRow): Promise<AgencyRow | undefined> {
  if (a.kind === 'justice_bureau') return a;
  return (await q.query<AgencyRow>(
    `SELECT id, name, kind, region_code, legal_status, entrusting_agency_id, review_unit FROM agencies WHERE kind = 'justice_bureau' AND region_code = $1 ORDER BY created_at LIMIT 1`,
    [a.region_code],
  )).rows[0];
}

/**
 * R-L02: where a decision of this agency is reviewed. An entrusted organisation decides in the name of
 * the entrusting agency, so that agency's body reviews; a government's own decisions go to its justice
 * bureau; otherwise the agency's registered body (its legal unit, or another named unit).
 */
export async function reviewBodyFor(q: Queryable, agencyId: string): Promise<ReviewBody> {
  let a = await agencyRow(q, agencyId);
  if (!a) throw notFound('执法主体');
  let entrusted = false;
  if (a.legal_status === 'entrusted' && a.entrusting_agency_id) {
    a = (await agencyRow(q, a.entrusting_agency_id))!;
    entrusted = true;
  }
  const jb = await justiceBureauOf(q, a);
  const { rows } = await q.query<{ body_agency_id: string; unit_name: string; justice_bureau_id: string; body_name: string }>(
    `SELECT b.body_agency_id, b.unit_name, b.justice_bureau_id, g.name AS body_name FROM review_bodies b JOIN agencies g ON g.id = b.body_agency_id WHERE b.agency_id = $1`, [a.id],
  );
  const named = rows[0];
  if (named) {
    return { bodyAgencyId: named.body_agency_id, bodyAgencyName: named.body_name, unitName: named.unit_name, route: entrusted ? 'entrusting' : named.body_agency_id === a.id ? 'own' : 'named', justiceBureauId: named.justice_bureau_id };
  }
  if (a.kind === 'government') {
    if (!jb) throw new AppError('invalid_state', { detail: `${a.name}所在地没有登记司法行政部门，政府自身的执法决定无法报送法制审核（R-L02）。` });
    return { bodyAgencyId: jb.id, bodyAgencyName: jb.name, unitName: jb.review_unit || jb.name, route: 'justice_bureau', justiceBureauId: jb.id };
  }
  return { bodyAgencyId: a.id, bodyAgencyName: a.name, unitName: a.review_unit || `${a.name}法制审核机构`, route: entrusted ? 'entrusting' : 'own', justiceBureauId: jb?.id ?? null };
}

/**
 * R-L02: registering an agency's review body is the justice bureau's act (it decides who reviews), so
 * the agency's own administrator cannot set it: a system administrator, or an administrator of the
 * justice bureau it registers with.
 */
export async function setReviewBody(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, input: ReviewBodyInput) {
  const a = await agencyRow(ctx.db, agencyId);
  if (!a) throw notFound('执法主体');
  const jb = await justiceBureauOf(ctx.db, a);
  const allowed = actor.kind === 'user' && (actor.role === 'system_admin' || (actor.role === 'agency_admin' && !!jb && actor.agencyId === jb.id && jb.id !== a.id));
  if (!allowed) {
    await audit(ctx.db, req, { action: 'review.body_set', outcome: 'denied', ...actorAudit(actor), detail: { subject: agencyId } });
    throw new AppError('forbidden', { detail: '法制审核机构由司法行政部门登记，执法机关不能自行设定（R-L02）。' });
  }
  if (!jb) throw new AppError('invalid_state', { detail: '该机关所在地没有登记司法行政部门，无法登记法制审核机构。' });
  const body = await agencyRow(ctx.db, input.bodyAgencyId);
  if (!body) throw new AppError('validation', { detail: '审核机构所在单位不存在。', errors: [{ field: 'bodyAgencyId', message: '单位不存在' }] });
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, {
      kind: 'review.body_registered', agencyId, subjectType: 'agency', subjectId: agencyId, actorId: actor.kind === 'user' ? actor.id : null,
      data: { agencyId, bodyAgencyId: body.id, unitName: input.unitName, justiceBureauId: jb.id, registeredOn: input.registeredOn },
    });
    await tx.query(
      `INSERT INTO review_bodies (agency_id, body_agency_id, unit_name, justice_bureau_id, registered_on, event_id) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (agency_id) DO UPDATE SET body_agency_id = EXCLUDED.body_agency_id, unit_name = EXCLUDED.unit_name, justice_bureau_id = EXCLUDED.justice_bureau_id,
         registered_on = EXCLUDED.registered_on, event_id = EXCLUDED.event_id, updated_at = now()`,
      [agencyId, body.id, input.unitName, jb.id, input.registeredOn, eventId],
    );
  });
  return getReviewBody(ctx, agencyId);
}

/** The body a decision of the agency goes to (public within the platform: who reviews is no secret). */
export async function getReviewBody(ctx: AppContext, agencyId: string) {
  const b = await reviewBodyFor(ctx.db, agencyId);
  return { agencyId, ...b, routeLabel: ROUTE_LABELS[b.route], rules: await rulesInForce(ctx.db, b.bodyAgencyId, todayInShanghai()) };
}

// ---- review rules (R-L08) ------------------------------------------------------------------------

const GUIDE = '国办发〔2018〕118号《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》第四部分（明确审核时限、送审材料、审核意见格式）';

/** Rules of an agency that has published none: five working days, warned two days ahead. */
export const DEFAULT_REVIEW_RULES: ReviewRules = {
  timeLimitWorkingDays: 5,
  warnWorkingDaysBefore: 2,
  requiredMaterials: ['case_summary', 'evidence', 'legal_basis', 'proposed_decision', 'statements', 'process_records'],
  opinion: { noteOnFailedPoint: false },
  assignment: 'head',
  basis: GUIDE,
};

export interface RulesInForce extends ReviewRules { setId: string | null; version: number | null }

export async function rulesInForce(q: Queryable, bodyAgencyId: string, on: string): Promise<RulesInForce> {
  const { rows } = await q.query<{ id: string; version: number; rules: ReviewRules }>(
    `SELECT id, version, rules FROM review_rule_sets WHERE agency_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC, version DESC LIMIT 1`, [bodyAgencyId, on],
  );
  const r = rows[0];
  return r ? { ...DEFAULT_REVIEW_RULES, ...r.rules, setId: r.id, version: r.version } : { ...DEFAULT_REVIEW_RULES, setId: null, version: null };
}

export async function listReviewRules(ctx: AppContext, agencyId: string) {
  if (!(await agencyRow(ctx.db, agencyId))) throw notFound('执法主体');
  const today = todayInShanghai();
  const current = await rulesInForce(ctx.db, agencyId, today);
  const { rows } = await ctx.db.query<{ id: string; version: number; effective_from: string; rules: ReviewRules; note: string }>(
    `SELECT id, version, effective_from, rules, note FROM review_rule_sets WHERE agency_id = $1 ORDER BY version DESC`, [agencyId],
  );
  return { inForce: current, defaults: DEFAULT_REVIEW_RULES, versions: rows.map((r) => ({ id: r.id, version: r.version, effectiveFrom: r.effective_from, note: r.note, inForce: r.id === current.setId, rules: r.rules })) };
}

/** A new version of the review body's rules, published by its own administrator (earlier versions stay). */
export async function publishReviewRules(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, input: ReviewRuleSetInput) {
  if (!(await agencyRow(ctx.db, agencyId))) throw notFound('执法主体');
  if (!(actor.kind === 'user' && (actor.role === 'system_admin' || (actor.role === 'agency_admin' && actor.agencyId === agencyId)))) {
    await audit(ctx.db, req, { action: 'review.rules_publish', outcome: 'denied', ...actorAudit(actor), detail: { subject: agencyId } });
    throw new AppError('forbidden', { detail: '只有本机关的管理员可以发布法制审核规则。' });
  }
  if (input.rules.warnWorkingDaysBefore >= input.rules.timeLimitWorkingDays) {
    throw new AppError('validation', { detail: '预警提前天数应少于审核时限。', errors: [{ field: 'rules.warnWorkingDaysBefore', message: '应少于审核时限' }] });
  }
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('review_rule_sets:' || $1))`, [agencyId]);
    const version = (await tx.query<{ v: number }>(`SELECT COALESCE(max(version), 0)::int + 1 AS v FROM review_rule_sets WHERE agency_id = $1`, [agencyId])).rows[0]!.v;
    const { eventId } = await recordChange(tx, {
      kind: 'review.rules_published', agencyId, subjectType: 'agency', subjectId: agencyId, actorId: actor.kind === 'user' ? actor.id : null,
      data: { id, version, effectiveFrom: input.effectiveFrom, rules: input.rules, note: input.note },
    });
    await tx.query(`INSERT INTO review_rule_sets (id, agency_id, version, effective_from, rules, note, created_by, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [id, agencyId, version, input.effectiveFrom, JSON.stringify(input.rules), input.note, actor.kind === 'user' ? actor.id : null, eventId]);
  });
  return listReviewRules(ctx, agencyId);
}

export const requiredMaterials = (r: ReviewRules): ReviewMaterial[] => r.requiredMaterials.filter((m): m is ReviewMaterial => (REVIEW_MATERIALS as readonly string[]).includes(m));

// ---- the clock (R-L08) ---------------------------------------------------------------------------

export async function reviewClock(db: AppContext['db'], on: string, rules: ReviewRules) {
  const cal = await getCalendar(db);
  const due = cal.addWorkingDays(on, rules.timeLimitWorkingDays);
  const warn = cal.addWorkingDays(on, Math.max(0, rules.timeLimitWorkingDays - rules.warnWorkingDaysBefore));
  return { dueOn: due.deadline, warnOn: warn.deadline, provisional: due.provisional };
}

export type ClockStatus = 'running' | 'warning' | 'overdue' | 'done' | 'done_late';
export const CLOCK_LABELS: Record<ClockStatus, string> = { running: '审核中', warning: '临近审核时限', overdue: '已超审核时限', done: '已按时出具意见', done_late: '超时出具意见' };

export function clockStatus(dueOn: string, warnOn: string, openedOn: string | null, asOf: string): ClockStatus {
  if (openedOn) return openedOn > dueOn ? 'done_late' : 'done';
  if (asOf > dueOn) return 'overdue';
  return asOf >= warnOn ? 'warning' : 'running';
}

// ---- who may review (R-L03) ------------------------------------------------------------------------

/**
 * What the user did in the case, if anything: a step they performed or were named on, a document they
 * drafted or finalised, a record they made. Review acts themselves (opinions, coordination) do not count.
 */
export async function handledBy(q: Queryable, caseId: string, userId: string): Promise<string | null> {
  const { rows } = await q.query<{ what: string }>(
    `SELECT '环节“' || s.step || '”（第 ' || s.seq || ' 步）' AS what FROM case_steps s
      WHERE s.case_id = $1 AND s.step <> 'legal_review' AND (s.actor_id = $2 OR EXISTS (
        SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.record->'officers') = 'array' THEN s.record->'officers' ELSE '[]'::jsonb END) o
          JOIN officers f ON f.id::text = o->>'id' WHERE f.user_id = $2))
     UNION ALL
     SELECT '文书“' || d.title || '”' FROM case_documents d
      WHERE d.case_id = $1 AND d.type NOT IN ('review_opinion', 'review_coordination_record') AND (d.created_by = $2 OR d.finalised_by = $2)
     UNION ALL
     SELECT '记录“' || r.title || '”' FROM case_records r WHERE r.case_id = $1 AND (r.recorder_id = $2 OR r.created_by = $2)
     LIMIT 1`,
    [caseId, userId],
  );
  return rows[0]?.what ?? null;
}

/** Refusals for a roster member reviewing this case: handled it, or first review without the qualification. */
export async function reviewerRefusal(q: Queryable, caseId: string, entry: { id: string; userId: string | null }): Promise<string | null> {
  if (entry.userId) {
    const did = await handledBy(q, caseId, entry.userId);
    if (did) return `该审核人员参与过本案办理（${did}），不得担任本案的法制审核人员：审核人员与承办人员应当分离（R-L03）。`;
  }
  const { rows } = await q.query<{ done: number; qual: string }>(
    `SELECT (SELECT count(*)::int FROM legal_review_opinions WHERE roster_id = r.id) AS done, r.legal_qualification_no AS qual FROM reviewers r WHERE r.id = $1`, [entry.id],
  );
  const r = rows[0];
  if (r && r.done === 0 && !r.qual.trim()) {
    return '初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格（《行政处罚法》第五十八条第二款）；名单上未登记该人员的法律职业资格证书。';
  }
  return null;
}

/** Open reviews per roster entry of the body (workload shown with the assignees, used by round-robin). */
export async function workload(q: Queryable, rosterIds: readonly string[]): Promise<Map<string, number>> {
  if (!rosterIds.length) return new Map();
  const { rows } = await q.query<{ roster_id: string; n: number }>(
    `SELECT x.roster_id, count(*)::int AS n FROM legal_review_assignments x
       LEFT JOIN legal_review_opinions o ON o.review_id = x.review_id
      WHERE x.roster_id = ANY($1::uuid[]) AND o.review_id IS NULL GROUP BY x.roster_id`, [rosterIds],
  );
  return new Map(rows.map((r) => [r.roster_id, r.n]));
}

/** R-L02: a reviewer of the body a submission of this case was routed to (another agency's) reads the case. */
export async function routedToReviewer(q: Queryable, caseId: string, userId: string): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM legal_review_routes t JOIN users u ON u.agency_id = t.body_agency_id AND u.role = 'reviewer' WHERE t.case_id = $1 AND u.id = $2 LIMIT 1`, [caseId, userId],
  );
  return rows.length > 0;
}
