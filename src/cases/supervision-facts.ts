// What the supervision domain reads of cases (issue 12): a case's facts as the alert rules need them
// (engine state, definition, passed legal reviews, the certificates of the officers named in its steps),
// and per-agency activity counts. Supervision never queries cases tables itself; it calls these.
import type { Queryable } from '../platform/db.ts';
import { caseAvRetention } from './av-retention.ts';
import { archivedOn } from './case-file.ts';
import { definitionOf } from './definitions.ts';
import { listRecords } from './records-store.ts';
import * as casesRepo from './store.ts';
import type { ProcedureDefinition, ProcedureState } from './procedures/index.ts';

export interface CertificateSpan {
  validFrom: string;
  validTo: string;
  status: string;
}

export interface CaseFacts {
  id: string;
  agencyId: string;
  agencyName: string;
  regionCode: string;
  number: string;
  procedureId: string;
  caseType: string;
  status: string;
  partyType: string;
  majorDecision: boolean | null;
  state: ProcedureState;
  def: ProcedureDefinition;
  /** Days on which a legal review opinion 'passed' was given. */
  passedReviews: string[];
  /** Legal review clocks (src/review): each round's due day and the day its opinion came, if it came. */
  reviewClocks?: { round: number; dueOn: string; openedOn: string | null }[];
  /** Certificates of the officers named in the case's steps, by officer id. */
  certificates: Record<string, CertificateSpan>;
}

interface Row {
  id: string; agency_id: string; agency_name: string; region_code: string; number: string; procedure_id: string; procedure_version: number;
  case_type: string; status: string; party_type: string; major_decision: boolean | null; state: ProcedureState;
}

const SELECT = `SELECT c.id, c.agency_id, a.name AS agency_name, a.region_code, c.number, c.procedure_id, c.procedure_version, c.case_type, c.status,
  c.party_type, c.major_decision, c.state FROM cases c JOIN agencies a ON a.id = c.agency_id`;

async function complete(q: Queryable, rows: Row[]): Promise<CaseFacts[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const officerIds = [...new Set(rows.flatMap((r) => r.state.steps.flatMap((s) => s.officers.map((o) => o.id))))].filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  const clocks = await q.query<{ case_id: string; round: number; due_on: string; opinion_on: string | null }>(
    `SELECT r.case_id, r.round, t.due_on, o.on_date AS opinion_on FROM legal_reviews r JOIN legal_review_routes t ON t.review_id = r.id
       LEFT JOIN legal_review_opinions o ON o.review_id = r.id WHERE r.case_id = ANY($1::uuid[]) ORDER BY r.round`, [ids],
  );
  const [reviews, certs] = await Promise.all([
    q.query<{ case_id: string; on_date: string }>(`SELECT case_id, on_date FROM legal_review_opinions WHERE case_id = ANY($1::uuid[]) AND result = 'passed'`, [ids]),
    officerIds.length
      ? q.query<{ id: string; valid_from: string; valid_to: string; status: string }>(`SELECT id, valid_from, valid_to, status FROM officers WHERE id = ANY($1::uuid[])`, [officerIds])
      : Promise.resolve({ rows: [] as { id: string; valid_from: string; valid_to: string; status: string }[] }),
  ]);
  const certificates = Object.fromEntries(certs.rows.map((c) => [c.id, { validFrom: c.valid_from, validTo: c.valid_to, status: c.status }]));
  const out: CaseFacts[] = [];
  for (const r of rows) {
    out.push({
      id: r.id, agencyId: r.agency_id, agencyName: r.agency_name, regionCode: r.region_code, number: r.number, procedureId: r.procedure_id,
      caseType: r.case_type, status: r.status, partyType: r.party_type, majorDecision: r.major_decision, state: r.state,
      def: await definitionOf(q, r.procedure_id, r.procedure_version),
      passedReviews: reviews.rows.filter((x) => x.case_id === r.id).map((x) => x.on_date),
      reviewClocks: clocks.rows.filter((x) => x.case_id === r.id).map((x) => ({ round: x.round, dueOn: x.due_on, openedOn: x.opinion_on })),
      certificates,
    });
  }
  return out;
}

/** One case's facts, read in the caller's transaction (the step that just changed it is visible). */
export async function caseFacts(q: Queryable, caseId: string): Promise<CaseFacts | undefined> {
  const { rows } = await q.query<Row>(`${SELECT} WHERE c.id = $1`, [caseId]);
  return (await complete(q, rows))[0];
}

/**
 * The full recomputation's batch: cases in id order after `afterId` (and before `beforeId`, one id range
 * of a parallel pass), created or changed on/after `from`, with their passed reviews, review clocks and
 * officers' certificates, in ONE query: the recomputation read three more per batch before, and the
 * round trips weighed as much as the rules. Same facts as `caseFacts` (only the case's own officers).
 * The officers are looked up by `= ANY(ARRAY(…))`: with `IN (subquery)` PostgreSQL hashed the case's ids
 * and scanned the whole officers table once per case (1.8 s of a 1,000-case batch, 5,000 officers).
 */
export async function caseFactsBatch(q: Queryable, opts: { afterId: string | null; beforeId?: string | null; limit: number; from: string; regionPrefix?: string | null }): Promise<CaseFacts[]> {
  const params: unknown[] = [opts.afterId ?? '00000000-0000-0000-0000-000000000000', opts.limit, opts.from];
  let cond = '';
  if (opts.beforeId) cond += ` AND c.id < $${params.push(opts.beforeId)}::uuid`;
  if (opts.regionPrefix) cond += ` AND a.region_code LIKE $${params.push(opts.regionPrefix)} || '%'`;
  const { rows } = await q.query<Row & { passed: string[]; clocks: { round: number; dueOn: string; openedOn: string | null }[]; certs: Record<string, CertificateSpan> }>(
    `SELECT c.id, c.agency_id, a.name AS agency_name, a.region_code, c.number, c.procedure_id, c.procedure_version, c.case_type, c.status,
        c.party_type, c.major_decision, c.state,
        coalesce((SELECT json_agg(o.on_date) FROM legal_review_opinions o WHERE o.case_id = c.id AND o.result = 'passed'), '[]') AS passed,
        coalesce((SELECT json_agg(json_build_object('round', r.round, 'dueOn', t.due_on, 'openedOn', o.on_date) ORDER BY r.round)
           FROM legal_reviews r JOIN legal_review_routes t ON t.review_id = r.id LEFT JOIN legal_review_opinions o ON o.review_id = r.id WHERE r.case_id = c.id), '[]') AS clocks,
        coalesce((SELECT json_object_agg(f.id, json_build_object('validFrom', f.valid_from, 'validTo', f.valid_to, 'status', f.status)) FROM officers f
           WHERE f.id = ANY(ARRAY(SELECT DISTINCT x::uuid FROM jsonb_path_query(c.state, '$.steps[*].officers[*].id') AS p(j), LATERAL (SELECT p.j #>> '{}' AS x) v
                           WHERE x ~* '^[0-9a-f-]{36}$'))), '{}') AS certs
       FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.id > $1 AND c.updated_at >= $3::date${cond} ORDER BY c.id LIMIT $2`,
    params,
  );
  const out: CaseFacts[] = [];
  for (const r of rows) {
    out.push({
      id: r.id, agencyId: r.agency_id, agencyName: r.agency_name, regionCode: r.region_code, number: r.number, procedureId: r.procedure_id,
      caseType: r.case_type, status: r.status, partyType: r.party_type, majorDecision: r.major_decision, state: r.state,
      def: await definitionOf(q, r.procedure_id, r.procedure_version), passedReviews: r.passed, reviewClocks: r.clocks, certificates: r.certs,
    });
  }
  return out;
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
  cases: number;
}

/** Enforcement agencies with their certified officers and the cases they started in [from, to] (零执法). */
export async function agencyActivity(q: Queryable, from: string, to: string): Promise<AgencyActivity[]> {
  const { rows } = await q.query<{ id: string; name: string; region_code: string; officers: number; cases: number }>(
    `SELECT a.id, a.name, a.region_code,
        (SELECT count(*) FROM officers o WHERE o.agency_id = a.id AND o.status = 'valid' AND o.valid_from <= $2::date AND o.valid_to >= $1::date)::int AS officers,
        (SELECT count(*) FROM cases c WHERE c.agency_id = a.id AND (c.state->'steps'->0->>'on') BETWEEN $1::text AND $2::text)::int AS cases
       FROM agencies a WHERE a.kind = 'enforcement' ORDER BY a.id`,
    [from, to],
  );
  return rows.map((r) => ({ agencyId: r.id, agencyName: r.name, regionCode: r.region_code, validOfficers: r.officers, cases: r.cases }));
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
