// What the supervision domain reads of cases (issue 12): a case's facts as the alert rules need them
// (engine state, definition, passed legal reviews, the certificates of the officers named in its steps),
// and per-agency activity counts. Supervision never queries cases tables itself; it calls these.
import type { Db, Queryable } from '../platform/db.ts';
import { caseAvRetention } from './av-retention.ts';
import { archivedOn } from './case-file.ts';
import { definitionOf } from './definitions.ts';
import { listRecords } from './records-store.ts';
import * as casesRepo from './store.ts';
import type { ProcedureDefinition, ProcedureState, StepRecord } from './procedures/index.ts';
import type { OfficerRef } from './procedures/state.ts';

export interface CertificateSpan {
  validFrom: string;
  validTo: string;
  status: string;
}

/**
 * What the alert rules read of a case's state (R-R08), and all that `cases.rule_state` keeps (migration
 * 0172 writes it with every change of the state, in 0174's compact form): a rule that reads more does not
 * typecheck against it.
 */
export interface RuleState {
  facts: ProcedureState['facts'];
  clocks: ProcedureState['clocks'];
  steps: (Pick<StepRecord, 'seq' | 'step' | 'on' | 'av' | 'facts'> & { officers: Pick<OfficerRef, 'id' | 'certificateNumber'>[] })[];
}

/** A case's facts with its whole state (one case) or with only what the rules read (`RuleFacts`, the full recomputation's batches). */
export interface CaseFacts<S extends RuleState = ProcedureState> {
  id: string;
  agencyId: string;
  regionCode: string;
  number: string;
  procedureId: string;
  caseType: string;
  status: string;
  partyType: string;
  majorDecision: boolean | null;
  state: S;
  def: ProcedureDefinition;
  /** Days on which a legal review opinion 'passed' was given. */
  passedReviews: string[];
  /** Legal review clocks (src/review): each round's due day and the day its opinion came, if it came. */
  reviewClocks?: { round: number; dueOn: string; openedOn: string | null }[];
  /**
   * Certificates by officer id, of at least the officers named in the case's steps (those of the cases read
   * with it: one map per read, not one per case). A Map: a plain object keyed by officer UUIDs made V8
   * build a hidden class per key sequence, a quarter of a million-case pass's time.
   */
  certificates: ReadonlyMap<string, CertificateSpan>;
}

export type RuleFacts = CaseFacts<RuleState>;

type RuleStep = RuleState['steps'][number];

/** `cases.rule_state` as stored (migration 0174): the case's officers once, each step an array naming them by index. */
export interface StoredRuleState {
  facts: RuleState['facts'];
  clocks: RuleState['clocks'];
  officers: [id: string, certificateNumber: string][];
  steps: [seq: number, step: string, on: string, av: RuleStep['av'], facts: RuleStep['facts'], officers: number[]][];
}

/** The stored compact form back as RuleState; the steps share one object per officer. */
export function decodeRuleState(stored: StoredRuleState): RuleState {
  const officers = stored.officers.map(([id, certificateNumber]) => ({ id, certificateNumber }));
  return {
    facts: stored.facts, clocks: stored.clocks,
    steps: stored.steps.map(([seq, step, on, av, facts, named]) => ({ seq, step, on, av, facts, officers: named.map((k) => officers[k]!) })),
  };
}

interface Row {
  id: string; agency_id: string; region_code: string; number: string; procedure_id: string; procedure_version: number;
  case_type: string; status: string; party_type: string; major_decision: boolean | null; state: ProcedureState;
}

const SELECT = `SELECT c.id, c.agency_id, a.region_code, c.number, c.procedure_id, c.procedure_version, c.case_type, c.status,
  c.party_type, c.major_decision, c.state FROM cases c JOIN agencies a ON a.id = c.agency_id`;

type ReviewClock = { round: number; dueOn: string; openedOn: string | null };

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * What src/review's tables tell the rules about these cases (passed opinions' days, each round's clock) and
 * the certificates of the officers named in their steps: three queries for any number of cases. The
 * reviews were a sub-select per case in the recomputation's batch query before, which cost its query five
 * times as much at a million cases that mostly have no review.
 */
async function relatedFacts(q: Queryable, ids: readonly string[], states: readonly RuleState[]) {
  const named = new Set<string>();
  for (const state of states) for (const st of state.steps) for (const o of st.officers) named.add(o.id);
  const officerIds = [...named].filter((id) => UUID.test(id));
  const clocks = await q.query<{ case_id: string; round: number; due_on: string; opinion_on: string | null }>(
    `SELECT r.case_id, r.round, t.due_on, o.on_date AS opinion_on FROM legal_reviews r JOIN legal_review_routes t ON t.review_id = r.id
       LEFT JOIN legal_review_opinions o ON o.review_id = r.id WHERE r.case_id = ANY($1::uuid[]) ORDER BY r.round`, [ids],
  );
  const passed = await q.query<{ case_id: string; on_date: string }>(`SELECT case_id, on_date FROM legal_review_opinions WHERE case_id = ANY($1::uuid[]) AND result = 'passed'`, [ids]);
  const certs = officerIds.length
    ? await q.query<{ id: string; valid_from: string; valid_to: string; status: string }>(`SELECT id, valid_from, valid_to, status FROM officers WHERE id = ANY($1::uuid[])`, [officerIds])
    : { rows: [] as { id: string; valid_from: string; valid_to: string; status: string }[] };
  const reviews = new Map<string, { passed: string[]; clocks: ReviewClock[] }>();
  const of = (id: string) => {
    let r = reviews.get(id);
    if (!r) reviews.set(id, (r = { passed: [], clocks: [] }));
    return r;
  };
  for (const c of clocks.rows) of(c.case_id).clocks.push({ round: c.round, dueOn: c.due_on, openedOn: c.opinion_on });
  for (const p of passed.rows) of(p.case_id).passed.push(p.on_date);
  const certificates: ReadonlyMap<string, CertificateSpan> = new Map(certs.rows.map((c) => [c.id, { validFrom: c.valid_from, validTo: c.valid_to, status: c.status }]));
  return { reviews, certificates };
}

/** The facts of rows read with their states, each definition looked up once (a batch has a handful of procedure versions). */
async function assemble<S extends RuleState>(q: Queryable, rows: readonly Omit<Row, 'state'>[], states: readonly S[]): Promise<CaseFacts<S>[]> {
  if (!rows.length) return [];
  const { reviews, certificates } = await relatedFacts(q, rows.map((r) => r.id), states);
  const defs = new Map<string, ProcedureDefinition>();
  const out: CaseFacts<S>[] = [];
  for (const [i, r] of rows.entries()) {
    const key = `${r.procedure_id}@${r.procedure_version}`;
    let def = defs.get(key);
    if (!def) defs.set(key, (def = await definitionOf(q, r.procedure_id, r.procedure_version)));
    const review = reviews.get(r.id);
    out.push({
      id: r.id, agencyId: r.agency_id, regionCode: r.region_code, number: r.number, procedureId: r.procedure_id,
      caseType: r.case_type, status: r.status, partyType: r.party_type, majorDecision: r.major_decision, state: states[i]!,
      def, passedReviews: review?.passed ?? [], reviewClocks: review?.clocks ?? [], certificates,
    });
  }
  return out;
}

function complete(q: Queryable, rows: Row[]): Promise<CaseFacts[]> {
  return assemble(q, rows, rows.map((r) => r.state));
}

/** One case's facts, read in the caller's transaction (the step that just changed it is visible). */
export async function caseFacts(q: Queryable, caseId: string): Promise<CaseFacts | undefined> {
  const { rows } = await q.query<Row>(`${SELECT} WHERE c.id = $1`, [caseId]);
  return (await complete(q, rows))[0];
}

/** Which cases a recomputation batch reads: a range of the table's physical pages, or ids in order after `afterId`. */
export type CaseBatch = { pages: readonly [from: number, to: number] } | { afterId: string | null; beforeId?: string | null; limit: number };

type BatchRow = Omit<Row, 'state'> & { rule_state: StoredRuleState | null; state: RuleState | null };

/**
 * The full recomputation's batch, with the same facts as `caseFacts` gives case by case: cases created or
 * changed on/after `from` (and on/after the timestamp `changedSince`, for the pass's catch-up), then their
 * reviews and their officers' certificates (relatedFacts). By pages (`ctid` ranges): a full pass reads the
 * table in physical order, without an index scan per batch. The state is read as its `rule_state` (what
 * the rules read, about half the JSON to parse), or whole for a row not filled yet.
 */
export async function caseFactsBatch(q: Queryable, opts: CaseBatch & { from: string; changedSince?: string; regionPrefix?: string | null }): Promise<RuleFacts[]> {
  const params: unknown[] = [opts.from];
  let cond = '';
  let tail = '';
  if ('pages' in opts) {
    cond += ` AND c.ctid >= format('(%s,0)', $${params.push(opts.pages[0])}::int)::tid AND c.ctid < format('(%s,0)', $${params.push(opts.pages[1])}::int)::tid`;
  } else {
    cond += ` AND c.id > $${params.push(opts.afterId ?? '00000000-0000-0000-0000-000000000000')}::uuid`;
    if (opts.beforeId) cond += ` AND c.id < $${params.push(opts.beforeId)}::uuid`;
    tail = ` ORDER BY c.id LIMIT $${params.push(opts.limit)}`;
  }
  if (opts.changedSince) cond += ` AND c.updated_at >= $${params.push(opts.changedSince)}::timestamptz`;
  if (opts.regionPrefix) cond += ` AND a.region_code LIKE $${params.push(opts.regionPrefix)} || '%'`;
  const { rows } = await q.query<BatchRow>(
    `SELECT c.id, c.agency_id, a.region_code, c.number, c.procedure_id, c.procedure_version, c.case_type, c.status,
        c.party_type, c.major_decision, c.rule_state, CASE WHEN c.rule_state IS NULL THEN c.state END AS state
       FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.updated_at >= $1::date${cond}${tail}`,
    params,
  );
  return assemble(q, rows, rows.map((r) => (r.rule_state ? decodeRuleState(r.rule_state) : r.state!)));
}

/**
 * Fills `rule_state` of the rows written with triggers off (a bulk load as the session_replication_role
 * replica), `batch` rows a transaction; updated_at stays, the case did not change. The column alone is set:
 * rewriting the state to fire the trigger, as this did before, ran at about 350 rows/s. Answers how many it filled.
 */
export async function fillRuleStates(db: Db, batch = 5000): Promise<number> {
  let filled = 0;
  for (;;) {
    const { affectedRows } = await db.query(
      `UPDATE cases SET rule_state = case_rule_state(state) WHERE id IN (SELECT id FROM cases WHERE rule_state IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)`, [batch]);
    filled += affectedRows;
    if (affectedRows < batch) return filled;
  }
}

/** The cases table's size in pages now and its rows per page (planner statistics, else counted), to split a pass into page ranges. */
export async function casePages(q: Queryable): Promise<{ pages: number; rowsPerPage: number }> {
  const { rows } = await q.query<{ pages: number; relpages: number; reltuples: number }>(
    `SELECT (pg_relation_size('cases') / current_setting('block_size')::int)::int AS pages, relpages, reltuples::float8 AS reltuples FROM pg_class WHERE oid = 'cases'::regclass`);
  const { pages, relpages, reltuples } = rows[0]!;
  if (relpages > 0 && reltuples > 0) return { pages, rowsPerPage: reltuples / relpages };
  const { rows: counted } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
  return { pages, rowsPerPage: pages ? counted[0]!.n / pages : 0 };
}

/**
 * A time no later than the start of any transaction open now (the app's sessions, one database role):
 * a case changed by a transaction that commits after this has `updated_at` (its transaction's `now()`)
 * at or after it, so a pass that re-reads the cases changed since then misses no concurrent step.
 */
export async function casesChangedSinceMark(q: Queryable): Promise<string> {
  const { rows } = await q.query<{ t: string }>(
    `SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database()))::text AS t`);
  return rows[0]!.t;
}

/**
 * These cases' facts, leaving out those changed on/after `unchangedBefore` (the full recomputation has
 * judged them already), within `regionPrefix` when given.
 */
export async function caseFactsOf(q: Queryable, ids: readonly string[], opts: { unchangedBefore: string; regionPrefix?: string | null }): Promise<CaseFacts[]> {
  if (!ids.length) return [];
  const { rows } = await q.query<Row>(
    `${SELECT} WHERE c.id = ANY($1::uuid[]) AND c.updated_at < $2::date AND ($3::text IS NULL OR a.region_code LIKE $3 || '%') ORDER BY c.id`,
    [ids, opts.unchangedBefore, opts.regionPrefix ?? null],
  );
  return complete(q, rows);
}

export interface AgencyActivity {
  agencyId: string;
  agencyName: string;
  regionCode: string;
  validOfficers: number;
  /** Whether it started a case in the period. */
  startedCases: boolean;
}

/**
 * Enforcement agencies with their certified officers and whether they started a case in [from, to] (零执法):
 * one probe of cases_agency_first_step per agency (migration 0173), the first case found is enough.
 */
export async function agencyActivity(q: Queryable, from: string, to: string): Promise<AgencyActivity[]> {
  const { rows } = await q.query<{ id: string; name: string; region_code: string; officers: number; started: boolean }>(
    `SELECT a.id, a.name, a.region_code,
        (SELECT count(*) FROM officers o WHERE o.agency_id = a.id AND o.status = 'valid' AND o.valid_from <= $2::date AND o.valid_to >= $1::date)::int AS officers,
        EXISTS (SELECT 1 FROM cases c WHERE c.agency_id = a.id AND (c.state->'steps'->0->>'on') BETWEEN $1::text AND $2::text) AS started
       FROM agencies a WHERE a.kind = 'enforcement' ORDER BY a.id`,
    [from, to],
  );
  return rows.map((r) => ({ agencyId: r.id, agencyName: r.name, regionCode: r.region_code, validOfficers: r.officers, startedCases: r.started }));
}

/** Number and title of cases (no party data), for showing alerts beside their case. */
export async function caseLabels(q: Queryable, ids: readonly string[]): Promise<Map<string, { number: string; title: string; agencyId: string }>> {
  if (!ids.length) return new Map();
  const { rows } = await q.query<{ id: string; number: string; title: string; agency_id: string }>(`SELECT id, number, title, agency_id FROM cases WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, { number: r.number, title: r.title, agencyId: r.agency_id }]));
}

/** Cases of a period (first step in [from, to]) in a region, for a case-file review sample (R-R07). */
export async function casesForReview(q: Queryable, opts: { regionPrefix: string | null; from: string; to: string; procedureIds: readonly string[] }): Promise<{ id: string; agencyId: string; regionCode: string }[]> {
  const { rows } = await q.query<{ id: string; agency_id: string; region_code: string }>(
    `SELECT c.id, c.agency_id, a.region_code FROM cases c JOIN agencies a ON a.id = c.agency_id
      WHERE ($1::text IS NULL OR a.region_code LIKE $1 || '%') AND c.procedure_id = ANY($4::text[])
        AND (c.state->'steps'->0->>'on') BETWEEN $2::text AND $3::text`,
    [opts.regionPrefix, opts.from, opts.to, opts.procedureIds],
  );
  return rows.map((r) => ({ id: r.id, agencyId: r.agency_id, regionCode: r.region_code }));
}

/** Per agency for a period: cases started, cases finished, major decisions and those with a passed review (考核, R-S02). */
export async function assessmentCaseCounts(q: Queryable, from: string, to: string): Promise<Map<string, { cases: number; closed: number; major: number; reviewed: number }>> {
  const { rows } = await q.query<{ agency_id: string; cases: number; closed: number; major: number; reviewed: number }>(
    `SELECT c.agency_id, count(*)::int AS cases, count(*) FILTER (WHERE c.status <> 'open')::int AS closed,
        count(*) FILTER (WHERE c.major_decision)::int AS major,
        count(*) FILTER (WHERE c.major_decision AND EXISTS (SELECT 1 FROM legal_review_opinions o WHERE o.case_id = c.id AND o.result = 'passed'))::int AS reviewed
       FROM cases c WHERE (c.state->'steps'->0->>'on') BETWEEN $1::text AND $2::text GROUP BY c.agency_id`,
    [from, to],
  );
  return new Map(rows.map((r) => [r.agency_id, { cases: r.cases, closed: r.closed, major: r.major, reviewed: r.reviewed }]));
}

/**
 * R-R10 for 案卷评查's automatic checks: the case's AV records that lack a retention period or method
 * (as fixed at archive, else as the AV list gives them for the step's pinned list version).
 */
export async function avRecordsWithoutRetention(q: Queryable, caseId: string): Promise<{ recordId: string; title: string; problem: string }[]> {
  const row = await casesRepo.getCase(q, caseId);
  if (!row) return [];
  const def = await definitionOf(q, row.procedure_id, row.procedure_version);
  const retention = await caseAvRetention(q, def, await listRecords(q, caseId), await casesRepo.listSteps(q, caseId), archivedOn(row));
  return retention
    .filter((x) => !x.period || !x.method || x.years === null)
    .map((x) => ({ recordId: x.recordId, title: x.title, problem: x.problem ?? '未确定保存期限或保存方式' }));
}
