// What the annual statistics report (统计年报, R-P16, src/annual/) reads of cases: the decisions,
// applications, inspections, hearings and legal reviews of a period, for an agency or a region prefix,
// each with its case id so that a figure can be drilled down to the cases it counts. No party data.
import type { Queryable } from '../platform/db.ts';

export interface Scope {
  from: string;
  to: string;
  agencyId?: string | null;
  regionPrefix?: string | null;
}

function where(s: Scope, params: unknown[], caseAlias = 'c'): string {
  const parts: string[] = [];
  if (s.agencyId) parts.push(`${caseAlias}.agency_id = $${params.push(s.agencyId)}::uuid`);
  if (s.regionPrefix) parts.push(`${caseAlias}.agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $${params.push(s.regionPrefix)} || '%')`);
  return parts.length ? ' AND ' + parts.join(' AND ') : '';
}

export interface PenaltyDecision {
  caseId: string;
  issuedOn: string;
  penalties: { kind: string; amount?: number }[];
}

const SUMMARY_KINDS: Record<string, { kind: string }[]> = { warning: [{ kind: '警告' }], fine: [{ kind: '罚款' }], warning_and_fine: [{ kind: '警告' }, { kind: '罚款' }] };

/**
 * Penalty decisions made in the period (the decision's date decides the year, whenever the case began):
 * the 决定书's penalties; a 当场处罚 decision (free text) takes its kind and amount from the case facts.
 */
export async function penaltyDecisions(q: Queryable, s: Scope): Promise<PenaltyDecision[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ case_id: string; issued_on: string; type: string; penalties: unknown; kind: string | null; amount: string | null }>(
    `SELECT d.case_id, d.issued_on::text AS issued_on, d.type, d.fields->'penalties' AS penalties, c.state->'facts'->>'penaltyKind' AS kind, c.state->'facts'->>'fineAmount' AS amount
       FROM case_documents d JOIN cases c ON c.id = d.case_id
      WHERE d.type IN ('penalty_decision', 'onsite_penalty_decision') AND d.status = 'final' AND d.issued_on BETWEEN $1::date AND $2::date${where(s, params, 'd')}`,
    params,
  );
  return rows.map((r) => {
    let penalties: { kind: string; amount?: number }[] = [];
    if (Array.isArray(r.penalties)) penalties = (r.penalties as { kind?: unknown; amount?: unknown }[]).filter((p) => typeof p.kind === 'string').map((p) => ({ kind: p.kind as string, ...(typeof p.amount === 'number' ? { amount: p.amount } : {}) }));
    else if (r.kind && SUMMARY_KINDS[r.kind]) penalties = SUMMARY_KINDS[r.kind]!.map((p) => (p.kind === '罚款' && r.amount ? { kind: '罚款', amount: Number(r.amount) } : p));
    return { caseId: r.case_id, issuedOn: r.issued_on, penalties };
  });
}

/** Final documents of the given types issued in the period, one row per document. */
export async function documentsIssued(q: Queryable, s: Scope, types: readonly string[]): Promise<{ caseId: string; type: string }[]> {
  const params: unknown[] = [s.from, s.to, types];
  const { rows } = await q.query<{ case_id: string; type: string }>(
    `SELECT d.case_id, d.type FROM case_documents d WHERE d.type = ANY($3::text[]) AND d.status = 'final' AND d.issued_on BETWEEN $1::date AND $2::date${where(s, params, 'd')}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, type: r.type }));
}

/** Cases that took one of the steps in the period (main line), once per case and step. */
export async function stepsTaken(q: Queryable, s: Scope, procedureIds: readonly string[], steps: readonly string[]): Promise<{ caseId: string; step: string }[]> {
  const params: unknown[] = [s.from, s.to, procedureIds, steps];
  const { rows } = await q.query<{ case_id: string; step: string }>(
    `SELECT DISTINCT st.case_id, st.step FROM case_steps st JOIN cases c ON c.id = st.case_id
      WHERE c.procedure_id = ANY($3::text[]) AND st.step = ANY($4::text[]) AND st.on_date BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, step: r.step }));
}

/** Legal review opinions given in the period, with the round they answered. */
export async function reviewOpinions(q: Queryable, s: Scope): Promise<{ caseId: string; round: number; passed: boolean }[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ case_id: string; round: number; result: string }>(
    `SELECT o.case_id, r.round, o.result FROM legal_review_opinions o JOIN legal_reviews r ON r.id = o.review_id JOIN cases c ON c.id = o.case_id
      WHERE o.on_date BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, round: r.round, passed: r.result === 'passed' }));
}

/** Number and title of cases (no party data), for a figure's drill-down. */
export async function caseLabels(q: Queryable, ids: readonly string[]): Promise<{ id: string; number: string; title: string; agencyId: string }[]> {
  if (!ids.length) return [];
  const { rows } = await q.query<{ id: string; number: string; title: string; agency_id: string }>(`SELECT id, number, title, agency_id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY number`, [ids]);
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, agencyId: r.agency_id }));
}

// ---- Totals computed in the database (the report's figures; the functions above keep the case ids for drill-down) ----

/**
 * Penalty decisions of the period counted once under their heaviest kind, with the fine and confiscation
 * amounts: one row per heaviest kind. Read from `case_penalty_figures`, written at finalisation from the
 * same reading of the decision as `penaltyDecisions` (a 当场处罚 takes its kind and amount from the facts).
 */
export async function penaltyTotals(q: Queryable, s: Scope): Promise<{ kind: string; decisions: number; fineYuan: number; confiscationYuan: number }[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ kind: string; decisions: number; fine: string; confiscation: string }>(
    `SELECT d.kind, count(*)::int AS decisions, coalesce(sum(d.fine_yuan), 0)::text AS fine, coalesce(sum(d.confiscation_yuan), 0)::text AS confiscation
       FROM case_penalty_figures d WHERE d.issued_on BETWEEN $1::date AND $2::date${where(s, params, 'd')}
      GROUP BY d.kind`,
    params,
  );
  return rows.map((r) => ({ kind: r.kind, decisions: r.decisions, fineYuan: Number(r.fine), confiscationYuan: Number(r.confiscation) }));
}

/** How many cases took each of the steps in the period (main line), as `stepsTaken` lists them. */
export async function stepCounts(q: Queryable, s: Scope, procedureIds: readonly string[], steps: readonly string[]): Promise<Record<string, number>> {
  const params: unknown[] = [s.from, s.to, procedureIds, steps];
  const { rows } = await q.query<{ step: string; n: number }>(
    `SELECT st.step, count(DISTINCT st.case_id)::int AS n FROM case_steps st JOIN cases c ON c.id = st.case_id
      WHERE c.procedure_id = ANY($3::text[]) AND st.step = ANY($4::text[]) AND st.on_date BETWEEN $1::date AND $2::date${where(s, params)} GROUP BY st.step`,
    params,
  );
  return Object.fromEntries(steps.map((k) => [k, rows.find((r) => r.step === k)?.n ?? 0]));
}

/** Final documents of each type issued in the period, as `documentsIssued` lists them. */
export async function documentCounts(q: Queryable, s: Scope, types: readonly string[]): Promise<Record<string, number>> {
  const params: unknown[] = [s.from, s.to, types];
  const { rows } = await q.query<{ type: string; n: number }>(
    `SELECT d.type, count(*)::int AS n FROM case_documents d WHERE d.type = ANY($3::text[]) AND d.status = 'final' AND d.issued_on BETWEEN $1::date AND $2::date${where(s, params, 'd')} GROUP BY d.type`,
    params,
  );
  return Object.fromEntries(types.map((k) => [k, rows.find((r) => r.type === k)?.n ?? 0]));
}

/** Legal review opinions of the period: cases reviewed, rounds answered, cases passed at the first round. */
export async function reviewCounts(q: Queryable, s: Scope): Promise<{ cases: number; rounds: number; passedFirstTime: number }> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ cases: number; rounds: number; passed: number }>(
    `SELECT count(DISTINCT o.case_id)::int AS cases, count(*)::int AS rounds, count(DISTINCT o.case_id) FILTER (WHERE r.round = 1 AND o.result = 'passed')::int AS passed
       FROM legal_review_opinions o JOIN legal_reviews r ON r.id = o.review_id JOIN cases c ON c.id = o.case_id
      WHERE o.on_date BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return { cases: rows[0]!.cases, rounds: rows[0]!.rounds, passedFirstTime: rows[0]!.passed };
}
