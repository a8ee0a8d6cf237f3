// Queries of the publicity domain, imported as a namespace (publicityRepo.…).
import type { Queryable } from '../platform/db.ts';

export interface PublicationRow {
  id: string;
  agency_id: string;
  agency_name: string;
  agency_region: string;
  agency_credit_code: string;
  case_id: string | null;
  kind: string;
  status: string;
  version: number;
  previous_id: string | null;
  document_number: string;
  title: string;
  party_display: string;
  party_type: string;
  decided_on: string;
  deadline: string | null;
  publicity_months: number | null;
  public_until: string | null;
  rule_set_id: string | null;
  rule_set_version: number;
  rule_key: string;
  exclusion: string | null;
  source_text: string;
  summary: Record<string, string>;
  exchange: Record<string, unknown>;
  redactions: { start: number; end: number; rule: string; label: string; replacement: string; by: string }[];
  public_text: string | null;
  content_sha256: string | null;
  confirmed_by: string | null;
  published_on: string | null;
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  withdrawal_basis: string | null;
  expired_on: string | null;
  expiry_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export const COLUMNS = `p.*, a.name AS agency_name, a.region_code AS agency_region, a.credit_code AS agency_credit_code`;
export const FROM = `publications p JOIN agencies a ON a.id = p.agency_id`;
/** What the public projection reads: never the source text, the redaction spans or the search vector. */
export const PUBLIC_COLUMNS = `p.id, p.agency_id, p.kind, p.status, p.version, p.previous_id, p.document_number, p.title, p.party_display, p.party_type, p.decided_on, p.deadline,
  p.public_until, p.summary, p.exchange, p.public_text, p.content_sha256, p.published_on, p.withdrawn_on, p.withdrawal_reason, p.updated_at,
  a.name AS agency_name, a.region_code AS agency_region, a.credit_code AS agency_credit_code`;

export async function get(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<PublicationRow | undefined> {
  const { rows } = await db.query<PublicationRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1${opts.forUpdate ? ' FOR UPDATE OF p' : ''}`, [id]);
  return rows[0];
}

export async function insert(db: Queryable, r: Partial<PublicationRow> & { id: string; agency_id: string; kind: string; status: string; decided_on: string; rule_set_version: number }) {
  const cols = Object.keys(r).filter((k) => (r as Record<string, unknown>)[k] !== undefined);
  const vals = cols.map((k) => {
    const v = (r as Record<string, unknown>)[k];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  });
  await db.query(`INSERT INTO publications (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, vals);
}

export async function update(db: Queryable, id: string, set: Record<string, unknown>) {
  const cols = Object.keys(set);
  const vals = cols.map((k) => {
    const v = set[k];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  });
  await db.query(`UPDATE publications SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = clock_timestamp() WHERE id = $1`, [id, ...vals]);
}

/** The search vector: the text's tokens, the publication week's lexeme (0162) and the agency's (0164), which bound the search's probes. */
export async function setSearch(db: Queryable, id: string, tokens: string, text: string) {
  await db.query(
    `UPDATE publications SET search = to_tsvector('simple', $2) || array_to_tsvector(array_remove(ARRAY[publication_week_lexeme(published_on), publication_agency_lexeme(agency_id)], NULL)), search_text = $3 WHERE id = $1`,
    [id, tokens, text],
  );
}

export interface RuleSetRow {
  id: string;
  agency_id: string;
  version: number;
  effective_from: string;
  rules: unknown;
  note: string;
  created_at: Date;
}

export async function effectiveRuleSet(db: Queryable, agencyId: string, on: string): Promise<RuleSetRow | undefined> {
  const { rows } = await db.query<RuleSetRow>(`SELECT * FROM publication_rule_sets WHERE agency_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC, version DESC LIMIT 1`, [agencyId, on]);
  return rows[0];
}

export async function ruleSets(db: Queryable, agencyId: string): Promise<RuleSetRow[]> {
  return (await db.query<RuleSetRow>(`SELECT * FROM publication_rule_sets WHERE agency_id = $1 ORDER BY version DESC`, [agencyId])).rows;
}

export async function nextRuleVersion(db: Queryable, agencyId: string): Promise<number> {
  const { rows } = await db.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int + 1 AS v FROM publication_rule_sets WHERE agency_id = $1`, [agencyId]);
  return rows[0]!.v;
}

export async function agency(db: Queryable, id: string): Promise<{ id: string; name: string; region_code: string; credit_code: string } | undefined> {
  return (await db.query<{ id: string; name: string; region_code: string; credit_code: string }>(`SELECT id, name, region_code, credit_code FROM agencies WHERE id = $1`, [id])).rows[0];
}

export interface CorrectionRow {
  id: string;
  tracking_number: string;
  publication_id: string;
  agency_id: string;
  contact: string;
  request_text: string;
  status: string;
  due_on: string;
  answer: string | null;
  answered_on: string | null;
  new_publication_id: string | null;
  evidence_sha256: string | null;
  evidence_filename: string | null;
  evidence_media_type: string | null;
  evidence_size: number | null;
  created_at: Date;
}

export async function correctionByTracking(db: Queryable, tracking: string): Promise<CorrectionRow | undefined> {
  return (await db.query<CorrectionRow>(`SELECT * FROM publication_corrections WHERE tracking_number = $1`, [tracking])).rows[0];
}

export async function correction(db: Queryable, id: string, forUpdate = false): Promise<CorrectionRow | undefined> {
  return (await db.query<CorrectionRow>(`SELECT * FROM publication_corrections WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id])).rows[0];
}

/** A correction's evidence with the handling agency's region (for the reader's scope). */
export async function correctionEvidenceRow(db: Queryable, id: string) {
  const { rows } = await db.query<{ agency_id: string; region_code: string; evidence_sha256: string | null; evidence_filename: string | null; evidence_media_type: string | null; evidence_size: number | null }>(
    `SELECT c.agency_id, a.region_code, c.evidence_sha256, c.evidence_filename, c.evidence_media_type, c.evidence_size
       FROM publication_corrections c JOIN agencies a ON a.id = c.agency_id WHERE c.id = $1`,
    [id],
  );
  return rows[0];
}
