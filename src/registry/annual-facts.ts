// What the annual statistics report (R-P16, src/annual/) reads of the registry: certified officers and
// rostered legal reviewers at the end of the period (持证率, 法制审核人员比例), for an agency or a region.
import type { Queryable } from '../platform/db.ts';

export async function staffAt(q: Queryable, s: { to: string; agencyId?: string | null; regionPrefix?: string | null }): Promise<{ certifiedOfficers: number; reviewers: number }> {
  const params: unknown[] = [s.to];
  const parts: string[] = [];
  if (s.agencyId) parts.push(`agency_id = $${params.push(s.agencyId)}::uuid`);
  if (s.regionPrefix) parts.push(`agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $${params.push(s.regionPrefix)} || '%')`);
  const w = parts.length ? ' AND ' + parts.join(' AND ') : '';
  const { rows } = await q.query<{ officers: number; reviewers: number }>(
    `SELECT (SELECT count(*) FROM officers WHERE status = 'valid' AND valid_from <= $1::date AND valid_to >= $1::date${w})::int AS officers,
            (SELECT count(*) FROM reviewers WHERE active${w})::int AS reviewers`,
    params,
  );
  return { certifiedOfficers: rows[0]!.officers, reviewers: rows[0]!.reviewers };
}
