// What the annual statistics report (R-P16, src/annual/) reads of random inspections (双随机): results
// recorded in the period, one per object inspected, counted apart from the agency's other inspections.
import type { Queryable } from '../platform/db.ts';

type Scope = { from: string; to: string; agencyId?: string | null; regionPrefix?: string | null };

function where(s: Scope, params: unknown[]): string {
  const parts: string[] = [];
  if (s.agencyId) parts.push(`t.agency_id = $${params.push(s.agencyId)}::uuid`);
  if (s.regionPrefix) parts.push(`t.agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $${params.push(s.regionPrefix)} || '%')`);
  return parts.length ? ' AND ' + parts.join(' AND ') : '';
}

export async function randomInspections(q: Queryable, s: Scope): Promise<{ caseId: string | null }[]> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ case_id: string | null }>(
    `SELECT r.case_id FROM inspection_results r JOIN inspection_tasks t ON t.id = r.task_id WHERE r.inspected_on BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id }));
}

/** The same as a count computed in the database (the report's figure). */
export async function randomInspectionCount(q: Queryable, s: Scope): Promise<number> {
  const params: unknown[] = [s.from, s.to];
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM inspection_results r JOIN inspection_tasks t ON t.id = r.task_id WHERE r.inspected_on BETWEEN $1::date AND $2::date${where(s, params)}`,
    params,
  );
  return rows[0]!.n;
}
