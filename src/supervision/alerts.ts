// R-R08: supervision alerts. Raised incrementally in the transaction of every case step (evaluateCaseAlerts,
// called by src/cases/perform-step.ts) and by a full recomputation for a period (recomputeAlerts, which
// also closes alerts whose problem is no longer found and runs the agency-level rule 零执法). The two
// publicity rules are evaluated per publication: in publicity's own transactions (draft, publication,
// withdrawal: evaluatePublicationAlerts) and in the full recomputation, reading publicity's service only.
// An alert is never deleted: the agency answers it, a supervisor resolves it with a reason.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange, recordChanges } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { addDays, getCalendar } from '../platform/calendar/index.ts';
import type { ProcedureCalendar } from '../cases/procedures/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { agencyActivity, caseFacts, caseFactsOf, casePages, casesChangedSinceMark, fillRuleStates } from '../cases/supervision-facts.ts';
import { casesWithReviewPastDue } from '../review/service.ts';
import { publicationFacts, type PublicationFacts } from '../publicity/service.ts';
import type { WorkingCalendar } from '../platform/calendar/index.ts';
import { ALERT_RULES, PUBLICATION_KINDS, evaluatePublication, ruleInForce, type AlertKind, type Finding } from './rules.ts';
import { judgeBatch, judgeCases, raise, raisedEvent, retried, type PassOptions } from './judge.ts';
import { judgePagesOnThreads, recomputeThreads } from './recompute-threads.ts';
import { canAnswer, canSee, canSupervise, supervisionScope } from './policy.ts';
import * as repo from './store.ts';

/**
 * Incremental evaluation: the case's facts as the caller's transaction now sees them, against the rules
 * in force today. Called inside the step's transaction, so the alert commits with the step or not at all.
 */
export async function evaluateCaseAlerts(tx: Queryable, caseId: string, cal: ProcedureCalendar, asOf = todayInShanghai()): Promise<number> {
  const f = await caseFacts(tx, caseId);
  if (!f) return 0;
  return raise(tx, [f], asOf, cal);
}

export interface RecomputeResult {
  cases: number;
  raised: number;
  closed: number;
  publications: number;
  agencies: number;
  /** Batches run at once (connections): 1 on PGlite, which has one. */
  workers: number;
  /** Threads the pages were judged on (recompute-threads.ts): 1 below THREADS_MIN_CASES and on PGlite. */
  threads: number;
}

/**
 * Full recomputation over the cases changed since `from` and those with a legal review past its clock
 * (within `regionPrefix` when given): raises what is new, closes open alerts of those cases whose problem
 * is gone (resolved_by null, with the reason), and evaluates 零执法 for each enforcement agency over the rule's months up to `asOf`.
 * The cases are read in physical order, a range of pages per batch; on PostgreSQL `workers` batches
 * (default 4) run at once on their own connections, one batch's rules running while another's is read or
 * written, and a pass over THREADS_MIN_CASES cases or more spreads them over `threads` worker threads
 * (default one per core; recompute-threads.ts). A case changed while the pass runs may be read before its change or move to a page already
 * read, so the pass ends with the cases changed since it began, in id order. Each batch is one transaction.
 * `onBatch` is called after each committed batch of cases (progress).
 */
export async function recomputeAlerts(ctx: AppContext, opts: { from: string; asOf?: string; regionPrefix?: string | null; batch?: number; workers?: number; threads?: number; threadsMinCases?: number; onBatch?: (done: number) => Promise<void> | void }): Promise<RecomputeResult> {
  const asOf = opts.asOf ?? todayInShanghai();
  const cal = await getCalendar(ctx.db);
  const batch = opts.batch ?? 500;
  const workers = ctx.db.engine === 'postgres' ? Math.max(1, opts.workers ?? 4) : 1;
  const regionPrefix = opts.regionPrefix ?? null;
  const pass: PassOptions = { asOf, from: opts.from, regionPrefix };
  const out: RecomputeResult = { cases: 0, raised: 0, closed: 0, publications: 0, agencies: 0, workers, threads: 1 };
  // Counted only once a transaction commits: a batch retried after a deadlock is not counted twice.
  const count = async (r: { cases: number; raised: number; closed: number }) => {
    out.cases += r.cases;
    out.raised += r.raised;
    out.closed += r.closed;
    await opts.onBatch?.(out.cases);
  };
  // Cases written with triggers off get their stored rule_state first (a no-op once filled), before the
  // pass counts its pages: filling rewrites rows without touching updated_at, so not while the pass reads.
  await fillRuleStates(ctx.db);
  const since = await casesChangedSinceMark(ctx.db);
  const { pages, rowsPerPage } = await casePages(ctx.db);
  const span = Math.max(1, Math.floor(batch / Math.max(rowsPerPage, 1)));
  // Threads need a server each can connect to on its own (PGlite is one connection in this process).
  const url = ctx.db.url;
  out.threads = url ? Math.min(workers, recomputeThreads(pages * rowsPerPage, opts.threads, opts.threadsMinCases)) : 1;
  if (url && out.threads > 1) {
    await judgePagesOnThreads({ databaseUrl: url, pass, pages, span, concurrency: Math.max(1, Math.round(workers / out.threads)) }, out.threads, count);
  } else {
    let next = 0;
    await Promise.all(Array.from({ length: workers }, async () => {
      while (next < pages) {
        const first = next;
        next += span;
        const r = await judgeBatch(ctx.db, cal, pass, { pages: [first, next] });
        if (r) await count(r);
      }
    }));
  }
  // The catch-up: cases changed since the pass began (a change committed after its page was read, or a case
  // that moved to a page already read or beyond the pages counted).
  for (let after: string | null = null; ;) {
    const r = await judgeBatch(ctx.db, cal, pass, { afterId: after, limit: batch, changedSince: since });
    if (!r) break;
    await count(r);
    after = r.last;
    if (r.cases < batch) break;
  }
  // R-L08: a review clock runs out with nobody touching the case, so the cases with a submission past its
  // clock are judged too (review_overdue), those not already judged above as changed since `from`.
  let after: string | null = null;
  for (;;) {
    const ids = await casesWithReviewPastDue(ctx.db, asOf, after, batch);
    if (!ids.length) break;
    after = ids[ids.length - 1]!;
    const r = await retried(() => ctx.db.transaction(async (tx) => {
      const facts = await caseFactsOf(tx, ids, { unchangedBefore: opts.from, regionPrefix });
      return facts.length ? judgeCases(tx, facts, asOf, cal) : null;
    }));
    if (r) await count(r);
    if (ids.length < batch) break;
  }
  out.publications = await recomputePublications(ctx, asOf, cal, regionPrefix, batch, out);
  out.agencies = await zeroEnforcement(ctx, asOf, regionPrefix);
  return out;
}

function newPublicationAlert(p: PublicationFacts, x: Finding): repo.NewAlert {
  return {
    id: crypto.randomUUID(), subjectKey: `${x.kind}:${p.id}`, kind: x.kind, ruleCode: x.rule.code, ruleVersion: x.rule.version, severity: x.rule.severity,
    basis: x.rule.basis, agencyId: p.agencyId, regionCode: p.regionCode, caseId: p.caseId, raisedOn: x.raisedOn, detail: x.detail,
  };
}

/** Raises the new publicity alerts of these publications; closes the open ones whose problem is gone when `close`. */
async function raisePublications(tx: Queryable, pubs: PublicationFacts[], asOf: string, cal: Pick<WorkingCalendar, 'addWorkingDays'>, close: boolean): Promise<{ raised: number; closed: number }> {
  const candidates = pubs.flatMap((p) => evaluatePublication(p, asOf, cal).map((x) => newPublicationAlert(p, x)));
  const existing = await repo.existingKeys(tx, candidates.map((c) => c.subjectKey));
  const fresh = candidates.filter((c) => !existing.has(c.subjectKey));
  if (fresh.length) {
    await repo.insertAlerts(tx, fresh);
    await recordChanges(tx, fresh.map(raisedEvent));
  }
  if (!close || !pubs.length) return { raised: fresh.length, closed: 0 };
  const keys = pubs.flatMap((p) => PUBLICATION_KINDS.map((k) => `${k}:${p.id}`));
  const { rows: stale } = await tx.query<{ id: string; agency_id: string }>(
    `SELECT id, agency_id FROM supervision_alerts WHERE subject_key = ANY($1::text[]) AND status <> 'resolved' AND NOT (subject_key = ANY($2::text[]))`,
    [keys, candidates.map((c) => c.subjectKey)],
  );
  const closed = await repo.resolveAlerts(tx, stale.map((s) => s.id), null, '重新计算时问题已不存在，系统自动关闭');
  await recordChanges(tx, closed.map((s) => ({ kind: 'supervision.alert_closed', agencyId: s.agency_id, subjectType: 'supervision_alert', subjectId: s.id, actorId: null, data: { alertId: s.id, reason: 'recomputed' } })));
  return { raised: fresh.length, closed: closed.length };
}

/**
 * Incremental evaluation of publications inside publicity's transaction (draft made, published,
 * withdrawn): the alert commits with the change or not at all. Raises only; closing is the recomputation's.
 */
export async function evaluatePublicationAlerts(tx: Queryable, publicationIds: readonly string[], cal: Pick<WorkingCalendar, 'addWorkingDays'>, asOf = todayInShanghai()): Promise<number> {
  const pubs = await publicationFacts(tx, { ids: publicationIds });
  return (await raisePublications(tx, pubs, asOf, cal, false)).raised;
}

/** Every publication with a deadline or a withdrawing remedy (a draft becomes overdue with time alone). */
async function recomputePublications(ctx: AppContext, asOf: string, cal: ProcedureCalendar, regionPrefix: string | null, batch: number, out: RecomputeResult): Promise<number> {
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const done: boolean = await ctx.db.transaction(async (tx) => {
      const pubs = await publicationFacts(tx, { regionPrefix, afterId: after, limit: batch });
      if (!pubs.length) return true;
      after = pubs[pubs.length - 1]!.id;
      n += pubs.length;
      const r = await raisePublications(tx, pubs, asOf, cal, true);
      out.raised += r.raised;
      out.closed += r.closed;
      return pubs.length < batch;
    });
    if (done) return n;
  }
}

/** 零执法: an enforcement agency with certified officers and no case started in the rule's months up to asOf. */
async function zeroEnforcement(ctx: AppContext, asOf: string, regionPrefix: string | null): Promise<number> {
  const rule = ruleInForce('zero_enforcement', asOf);
  if (!rule) return 0;
  const months = rule.params.months as number;
  const from = `${Number(asOf.slice(0, 4)) - Math.floor(months / 12)}${asOf.slice(4)}`;
  const period = `${from}~${asOf.slice(0, 7)}`;
  return ctx.db.transaction(async (tx) => {
    const activity = (await agencyActivity(tx, addDays(from, 1), asOf)).filter((a) => !regionPrefix || a.regionCode.startsWith(regionPrefix));
    const hits = activity.filter((a) => a.validOfficers > 0 && !a.startedCases);
    const alerts = hits.map((a) => ({
      id: crypto.randomUUID(), subjectKey: `zero_enforcement:${a.agencyId}:${asOf.slice(0, 7)}`, kind: 'zero_enforcement', ruleCode: rule.code, ruleVersion: rule.version,
      severity: rule.severity, basis: rule.basis, agencyId: a.agencyId, regionCode: a.regionCode, caseId: null, raisedOn: asOf,
      detail: { period, validOfficers: a.validOfficers, cases: 0 },
    }));
    const existing = await repo.existingKeys(tx, alerts.map((a) => a.subjectKey));
    const fresh = alerts.filter((a) => !existing.has(a.subjectKey));
    await repo.insertAlerts(tx, fresh);
    await recordChanges(tx, fresh.map(raisedEvent));
    return fresh.length;
  });
}

// ---- reading ----

export interface AlertListQuery {
  kind?: AlertKind;
  agency?: string;
  status?: 'open' | 'answered' | 'resolved';
  cursor?: string;
  limit: number;
}

const encodeCursor = (r: { raised_on: string; id: string }) => Buffer.from(`${r.raised_on}|${r.id}`, 'utf8').toString('base64url');
function decodeCursor(c: string): { raisedOn: string; id: string } {
  const [raisedOn, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  if (!raisedOn || !id || !/^\d{4}-\d{2}-\d{2}$/.test(raisedOn) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new AppError('validation', { detail: '分页游标无效。', errors: [{ field: 'cursor', message: '分页游标无效' }] });
  }
  return { raisedOn, id };
}

/** The scope condition on supervision_alerts s (supervisor: region prefix; staff: own agency). */
export function alertScopeSql(actor: Actor, params: unknown[]): string {
  const scope = supervisionScope(actor);
  if (!scope) throw forbidden('API 令牌无权访问执法监督数据。');
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'region') {
    params.push(scope.prefix);
    return `s.region_code LIKE $${params.length} || '%'`;
  }
  params.push(scope.agencyId);
  return `s.agency_id = $${params.length}`;
}

export function alertView(r: repo.AlertRow) {
  return {
    id: r.id, kind: r.kind, severity: r.severity, agency: { id: r.agency_id, name: r.agency_name }, caseId: r.case_id, raisedOn: r.raised_on,
    status: r.status, rule: { code: r.rule_code, version: r.rule_version }, basis: r.basis,
  };
}

export async function listAlerts(ctx: AppContext, actor: Actor, q: AlertListQuery) {
  const params: unknown[] = [];
  const conds = [alertScopeSql(actor, params)];
  if (q.kind) conds.push(`s.kind = $${params.push(q.kind)}`);
  if (q.agency) conds.push(`s.agency_id = $${params.push(q.agency)}`);
  if (q.status) conds.push(`s.status = $${params.push(q.status)}`);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const { rows, total } = await repo.listAlerts(ctx.db, conds.join(' AND '), params, after, q.limit);
  const page = rows.slice(0, q.limit);
  return { items: page.map(alertView), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null, total };
}

async function loadAlert(q: Queryable, actor: Actor, id: string, forUpdate = false) {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const row = await repo.getAlert(q, id, { forUpdate });
  if (!row || !canSee(actor, { id: row.agency_id, region_code: row.region_code })) throw notFound('预警');
  return row;
}

async function detailOf(q: Queryable, actor: Actor, id: string) {
  const r = await loadAlert(q, actor, id);
  const rule = ALERT_RULES.find((x) => x.code === r.rule_code && x.version === r.rule_version);
  return {
    ...alertView(r), detail: r.detail, answer: r.answer, answeredAt: r.answered_at, resolution: r.resolution, resolvedBy: r.resolved_by, resolvedAt: r.resolved_at,
    ruleParams: rule?.params ?? null,
  };
}

export async function getAlertDetail(ctx: AppContext, actor: Actor, id: string) {
  return detailOf(ctx.db, actor, id);
}

type Act = 'answer' | 'resolve';
const ACTS: Record<Act, { may: typeof canAnswer; refusal: string }> = {
  answer: { may: canAnswer, refusal: '只有被预警机关的负责人或管理员可以答复预警。' },
  resolve: { may: canSupervise, refusal: '只有本辖区的执法监督人员可以办结预警。' },
};

/** Checked before the transaction, so that the audit row of a refusal is not rolled back with it. */
async function authorise(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, act: Act) {
  const r = await loadAlert(ctx.db, actor, id);
  if (!ACTS[act].may(actor, { id: r.agency_id, region_code: r.region_code })) {
    await audit(ctx.db, req, { action: `supervision.alert_${act}`, outcome: 'denied', ...actorAudit(actor), detail: { alertId: id } });
    throw forbidden(ACTS[act].refusal);
  }
}

/** The agency answers its alert (explanation, or the correction made). */
export async function answerAlert(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, answer: string) {
  await authorise(ctx, req, actor, id, 'answer');
  return ctx.db.transaction(async (tx) => {
    const r = await loadAlert(tx, actor, id, true);
    if (r.status === 'resolved') throw new AppError('invalid_state', { detail: '预警已办结，不能再答复。' });
    await repo.answerAlert(tx, id, actor.id, answer);
    await recordChange(tx, { kind: 'supervision.alert_answered', agencyId: r.agency_id, subjectType: 'supervision_alert', subjectId: id, actorId: actor.id, data: { alertId: id, answer } });
    return detailOf(tx, actor, id);
  });
}

/** A supervisor of the jurisdiction resolves the alert with the reason (R-R08: never deleted). */
export async function resolveAlert(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, resolution: string) {
  await authorise(ctx, req, actor, id, 'resolve');
  return ctx.db.transaction(async (tx) => {
    const r = await loadAlert(tx, actor, id, true);
    if (r.status === 'resolved') throw new AppError('invalid_state', { detail: '预警已办结。' });
    await repo.resolveAlert(tx, id, actor.id, resolution);
    await recordChange(tx, { kind: 'supervision.alert_resolved', agencyId: r.agency_id, subjectType: 'supervision_alert', subjectId: id, actorId: actor.id, data: { alertId: id, resolution } });
    return detailOf(tx, actor, id);
  });
}

/** Recomputation on demand: a supervisor for its jurisdiction, the system administrator for all. */
export async function recomputeFor(ctx: AppContext, req: FastifyRequest | null, actor: Actor, from: string) {
  if (actor.kind !== 'user' || (actor.role !== 'supervisor' && actor.role !== 'system_admin')) {
    await audit(ctx.db, req, { action: 'supervision.recompute', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw forbidden('只有执法监督人员可以重新计算预警。');
  }
  const prefix = actor.role === 'supervisor' ? actor.jurisdiction : null;
  if (actor.role === 'supervisor' && !prefix) throw forbidden();
  return recomputeAlerts(ctx, { from, regionPrefix: prefix });
}

export { ALERT_RULES };
