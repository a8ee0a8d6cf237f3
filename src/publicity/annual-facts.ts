// What the annual statistics report (R-P16, src/annual/) reads of decision publicity: the decisions whose
// publication deadline fell in the period and whether they went out by it (R-P11), and the 复议/诉讼
// outcomes recorded against publications. Counts with case ids for drill-down; no personal data.
import type { Queryable } from '../platform/db.ts';

export interface Scope {
  from: string;
  to: string;
  agencyId?: string | null;
  regionPrefix?: string | null;
}

function where(s: Scope, params: unknown[]): string {
  const parts: string[] = [];
  if (s.agencyId) parts.push(`p.agency_id = $${params.push(s.agencyId)}::uuid`);
  if (s.regionPrefix) parts.push(`p.agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $${params.push(s.regionPrefix)} || '%')`);
  return parts.length ? ' AND ' + parts.join(' AND ') : '';
}

/**
 * First versions of decisions due for publication in the period (exclusions under the rules are not
 * due); on time when published on or before the deadline. A correction's later version is not counted again.
 */
export async function publicationTimeliness(q: Queryable, s: Scope): Promise<{ caseId: string | null; onTime: boolean }[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ case_id: string | null; on_time: boolean }>(
    `SELECT p.case_id, (p.published_on IS NOT NULL AND p.published_on <= p.deadline) AS on_time FROM publications p
      WHERE p.previous_id IS NULL AND p.status <> 'excluded' AND p.deadline BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, onTime: r.on_time }));
}

/** 复议 and 诉讼 outcomes decided in the period. */
export async function remedyOutcomes(q: Queryable, s: Scope): Promise<{ caseId: string | null; kind: string; outcome: string }[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ case_id: string | null; kind: string; outcome: string }>(
    `SELECT p.case_id, r.kind, r.outcome FROM publication_remedies r JOIN publications p ON p.id = r.publication_id
      WHERE r.decided_on BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, kind: r.kind, outcome: r.outcome }));
}

/** `publicationTimeliness` and `remedyOutcomes` as totals computed in the database (the report's figures). */
export async function publicationCounts(q: Queryable, s: Scope): Promise<{ total: number; onTime: number }> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ total: number; on_time: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE p.published_on IS NOT NULL AND p.published_on <= p.deadline)::int AS on_time FROM publications p
      WHERE p.previous_id IS NULL AND p.status <> 'excluded' AND p.deadline BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return { total: rows[0]!.total, onTime: rows[0]!.on_time };
}

export async function remedyCounts(q: Queryable, s: Scope): Promise<{ reconsideration: number; litigation: number; corrected: number }> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ reconsideration: number; litigation: number; corrected: number }>(
    `SELECT count(*) FILTER (WHERE r.kind = 'reconsideration')::int AS reconsideration, count(*) FILTER (WHERE r.kind = 'litigation')::int AS litigation,
            count(*) FILTER (WHERE r.outcome NOT IN ('upheld', 'dismissed'))::int AS corrected
       FROM publication_remedies r JOIN publications p ON p.id = r.publication_id
      WHERE r.decided_on BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows[0]!;
}
