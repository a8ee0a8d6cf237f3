// R-R08: judging cases against the alert rules, shared by the incremental evaluation (a step's own
// transaction), the full recomputation's batches in the calling thread, and its worker threads
// (recompute-worker.ts). Kept apart from alerts.ts so that a worker thread loads only what judging needs,
// not the reading and answering side or publicity's service.
import crypto from 'node:crypto';
import { recordChanges } from '../platform/changes.ts';
import type { Db, Queryable } from '../platform/db.ts';
import type { ProcedureCalendar } from '../cases/procedures/index.ts';
import { caseFactsBatch, type CaseBatch, type RuleFacts } from '../cases/supervision-facts.ts';
import { appliedDiscretions, discretionPeers, monthsBefore, type AppliedDiscretion } from '../assist/discretion.ts';
import { PUBLICATION_KINDS, evaluateCase, ruleInForce, type AlertRule, type DiscretionFacts, type Finding, type SupervisedCase } from './rules.ts';
import * as repo from './store.ts';

const keyOf = (kind: string, caseId: string) => `${kind}:${caseId}`;

function newAlert(f: RuleFacts, x: Finding): repo.NewAlert {
  return {
    id: crypto.randomUUID(), subjectKey: keyOf(x.kind, f.id), kind: x.kind, ruleCode: x.rule.code, ruleVersion: x.rule.version, severity: x.rule.severity,
    basis: x.rule.basis, agencyId: f.agencyId, regionCode: f.regionCode, caseId: f.id, raisedOn: x.raisedOn, detail: { ...x.detail, caseNumber: f.number },
  };
}

export const raisedEvent = (a: repo.NewAlert) => ({
  kind: 'supervision.alert_raised', agencyId: a.agencyId, subjectType: 'supervision_alert', subjectId: a.id, actorId: null,
  data: { alertId: a.id, kind: a.kind, rule: { code: a.ruleCode, version: a.ruleVersion }, caseId: a.caseId, raisedOn: a.raisedOn },
});

const unit = (amount: number, base: number | null) => (base ? Math.round((amount / base) * 10000) / 10000 : amount);

const decided = (f: RuleFacts) => f.state.steps.some((s) => s.step === 'penalty_decision');

/**
 * 同案不同罚's data from assist's service for a decided case with an applied discretion record: its peers
 * (same violation and level, the rule's region prefix and months before the decision, the case itself left
 * out), one query per such case.
 */
async function discretionOf(tx: Queryable, f: RuleFacts, d: AppliedDiscretion, rule: AlertRule): Promise<DiscretionFacts> {
  const peers = await discretionPeers(tx, {
    violationCode: d.violationCode, level: d.level, regionPrefix: d.regionCode.slice(0, rule.params.peerRegionDigits as number),
    from: monthsBefore(d.decidedOn, rule.params.months as number), to: d.decidedOn,
  });
  return {
    violationCode: d.violationCode, level: d.level, value: unit(d.amount, d.baseAmount), decidedOn: d.decidedOn, benchmark: d.benchmark, band: d.band,
    outsideBand: d.outsideBand, deviationApproved: d.deviationApproved, peers: peers.filter((p) => p.case_id !== f.id).map((p) => unit(p.amount, p.base_amount)),
  };
}

/**
 * Every alert the rules find on these cases as of the day. The applied discretions are read for the batch
 * at once; only a case that has one is copied to carry its discretion facts (a copy and an await per case
 * were two seconds of a million-case pass).
 */
async function findings(tx: Queryable, facts: RuleFacts[], asOf: string, cal: ProcedureCalendar): Promise<repo.NewAlert[]> {
  const rule = ruleInForce('discretion_outlier', asOf);
  const applied = rule && !rule.waiting ? await appliedDiscretions(tx, facts.filter(decided).map((f) => f.id)) : new Map<string, AppliedDiscretion>();
  const out: repo.NewAlert[] = [];
  for (const f of facts) {
    const d = applied.get(f.id);
    const c: SupervisedCase = d && rule ? { ...f, discretion: await discretionOf(tx, f, d, rule) } : f;
    for (const x of evaluateCase(c, asOf, cal)) out.push(newAlert(f, x));
  }
  return out;
}

/** Raises the new alerts of these cases (existing ones, open or resolved, stay as they are: the insert skips them). */
export async function raise(tx: Queryable, facts: RuleFacts[], asOf: string, cal: ProcedureCalendar): Promise<number> {
  const candidates = await findings(tx, facts, asOf, cal);
  const inserted = await repo.insertAlerts(tx, candidates);
  const fresh = candidates.filter((c) => inserted.has(c.id));
  // One event per alert (what, under which rule version) goes to the ledger like any change, in one batch.
  if (fresh.length) await recordChanges(tx, fresh.map(raisedEvent));
  return fresh.length;
}

const DEADLOCK = '40P01';

/** Another transaction raised or closed one of the batch's alerts between its read and its write: the batch is judged again. */
class Raced extends Error {}

/** A batch transaction retried when PostgreSQL breaks a deadlock against a parallel batch, or when it raced another writer of its alerts. */
export async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof Raced || (err as { code?: string }).code === DEADLOCK) || attempt >= 5) throw err;
    }
  }
}

export interface Judged {
  cases: number;
  raised: number;
  closed: number;
  /** The last case's id (the id-ordered catch-up goes on after it). */
  last: string;
}

/**
 * Raises what is new among these cases and closes their open alerts whose problem is gone, from one read of
 * their alerts. The events go to the ledger first and the alert rows are written last, just before the
 * commit: writing them updates the cockpit's counter rows (0170), which parallel batches lock too, so they
 * are held for as short a time as possible. An alert another transaction raised or closed meanwhile makes
 * the batch roll back (its events with it) and be judged again.
 */
export async function judgeCases(tx: Queryable, facts: RuleFacts[], asOf: string, cal: ProcedureCalendar): Promise<Judged> {
  const existing = await repo.alertsOfCases(tx, facts.map((f) => f.id));
  const known = new Set(existing.map((x) => x.subject_key));
  const candidates = await findings(tx, facts, asOf, cal);
  const found = new Set(candidates.map((c) => c.subjectKey));
  const fresh = candidates.filter((c) => !known.has(c.subjectKey));
  // Sorted by id: the order parallel batches lock them in.
  const stale = existing.filter((x) => x.status !== 'resolved' && !found.has(x.subject_key) && !(PUBLICATION_KINDS as readonly string[]).includes(x.kind)).sort((a, b) => (a.id < b.id ? -1 : 1));
  await recordChanges(tx, [
    ...fresh.map(raisedEvent),
    ...stale.map((s) => ({ kind: 'supervision.alert_closed', agencyId: s.agency_id, subjectType: 'supervision_alert', subjectId: s.id, actorId: null, data: { alertId: s.id, reason: 'recomputed' } })),
  ]);
  const inserted = await repo.insertAlerts(tx, fresh);
  const closed = await repo.resolveAlerts(tx, stale.map((s) => s.id), null, '重新计算时问题已不存在，系统自动关闭');
  if (inserted.size !== fresh.length || closed.length !== stale.length) throw new Raced();
  return { cases: facts.length, raised: fresh.length, closed: closed.length, last: facts[facts.length - 1]!.id };
}

export interface PassOptions {
  asOf: string;
  /** Cases created or changed on/after this day. */
  from: string;
  regionPrefix: string | null;
}

/** One batch of the full recomputation (a range of pages, or ids after one), in its own transaction; null when it held no case. */
export function judgeBatch(db: Db, cal: ProcedureCalendar, pass: PassOptions, which: CaseBatch & { changedSince?: string }): Promise<Judged | null> {
  return retried(() => db.transaction(async (tx) => {
    // The batch's query is planned above jit_above_cost; compiling it cost more (~170 ms a batch) than it saved at 1,000 rows.
    // A batch's commit does not wait for its WAL flush: a crash loses the last batches whole (never half of
    // one) and the next pass judges them again, while parallel batches stop waiting on each other's flushes.
    if (db.engine === 'postgres') await tx.query('SET LOCAL jit = off; SET LOCAL synchronous_commit = off');
    const facts = await caseFactsBatch(tx, { ...which, from: pass.from, regionPrefix: pass.regionPrefix });
    return facts.length ? judgeCases(tx, facts, pass.asOf, cal) : null;
  }));
}
