// Queries of the assistance domain, imported as a namespace (`repo.x`).
import type { Queryable } from '../platform/db.ts';

export interface DiscretionRow {
  case_id: string;
  agency_id: string;
  region_code: string;
  party_key: string;
  violation_code: string;
  benchmark_id: string;
  benchmark_version: number;
  circumstances: string[];
  level: string;
  amount: number;
  base_amount: number | null;
  mitigation_ground: string | null;
  first_offense_claim: boolean;
  suggestion: unknown;
  facts_text: string;
  deviation_reason: string | null;
  deviation_mode: 'head' | 'collective' | null;
  deviation_opinion: string | null;
  deviation_approved_by: string | null;
  deviation_approved_on: string | null;
  explanation: string;
  decided_on: string | null;
}

const COLS = `case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount, base_amount,
  mitigation_ground, first_offense_claim, suggestion, facts_text, deviation_reason, deviation_mode, deviation_opinion, deviation_approved_by,
  deviation_approved_on, explanation, decided_on`;

export async function getDiscretion(q: Queryable, caseId: string): Promise<DiscretionRow | undefined> {
  return (await q.query<DiscretionRow>(`SELECT ${COLS} FROM case_discretion WHERE case_id = $1`, [caseId])).rows[0];
}

/** The discretion records of several cases in one query (the supervision recomputation's batch). */
export async function getDiscretions(q: Queryable, caseIds: readonly string[]): Promise<DiscretionRow[]> {
  if (!caseIds.length) return [];
  return (await q.query<DiscretionRow>(`SELECT ${COLS} FROM case_discretion WHERE case_id = ANY($1::uuid[])`, [caseIds])).rows;
}

/** The search document: jieba tokens, space-separated, as a `simple` tsvector. */
const tsv = (tokens: readonly string[]) => tokens.join(' ');

export async function upsertDiscretion(q: Queryable, d: {
  caseId: string; agencyId: string; regionCode: string; partyKey: string; violationCode: string; benchmarkId: string; benchmarkVersion: number;
  circumstances: string[]; level: string; amount: number; baseAmount: number | null; mitigationGround: string | null; firstOffenseClaim: boolean;
  suggestion: unknown; factsText: string; tokens: string[]; deviationReason: string | null; keepApproval: boolean; explanation: string;
}) {
  await q.query(
    `INSERT INTO case_discretion (case_id, agency_id, region_code, party_key, violation_code, benchmark_id, benchmark_version, circumstances, level, amount,
       base_amount, mitigation_ground, first_offense_claim, suggestion, facts_text, facts_tokens, deviation_reason, explanation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14::jsonb, $15, to_tsvector('simple', $16), $17, $18)
     ON CONFLICT (case_id) DO UPDATE SET violation_code = EXCLUDED.violation_code, benchmark_id = EXCLUDED.benchmark_id, benchmark_version = EXCLUDED.benchmark_version,
       party_key = EXCLUDED.party_key, circumstances = EXCLUDED.circumstances, level = EXCLUDED.level, amount = EXCLUDED.amount, base_amount = EXCLUDED.base_amount,
       mitigation_ground = EXCLUDED.mitigation_ground, first_offense_claim = EXCLUDED.first_offense_claim,
       suggestion = COALESCE(EXCLUDED.suggestion, case_discretion.suggestion), facts_text = EXCLUDED.facts_text, facts_tokens = EXCLUDED.facts_tokens,
       deviation_reason = EXCLUDED.deviation_reason, explanation = EXCLUDED.explanation, updated_at = now(),
       deviation_mode = CASE WHEN $19 THEN case_discretion.deviation_mode END, deviation_opinion = CASE WHEN $19 THEN case_discretion.deviation_opinion END,
       deviation_approved_by = CASE WHEN $19 THEN case_discretion.deviation_approved_by END, deviation_approved_on = CASE WHEN $19 THEN case_discretion.deviation_approved_on END,
       deviation_event_id = CASE WHEN $19 THEN case_discretion.deviation_event_id END`,
    [d.caseId, d.agencyId, d.regionCode, d.partyKey, d.violationCode, d.benchmarkId, d.benchmarkVersion, JSON.stringify(d.circumstances), d.level, d.amount,
      d.baseAmount, d.mitigationGround, d.firstOffenseClaim, d.suggestion === null ? null : JSON.stringify(d.suggestion), d.factsText, tsv(d.tokens), d.deviationReason, d.explanation, d.keepApproval],
  );
}

export async function approveDeviation(q: Queryable, caseId: string, a: { mode: string; opinion: string; by: string; on: string; eventId: number; explanation: string }) {
  await q.query(
    `UPDATE case_discretion SET deviation_mode = $2, deviation_opinion = $3, deviation_approved_by = $4, deviation_approved_on = $5, deviation_event_id = $6, explanation = $7, updated_at = now() WHERE case_id = $1`,
    [caseId, a.mode, a.opinion, a.by, a.on, a.eventId, a.explanation],
  );
}

export async function markDecided(q: Queryable, caseId: string, on: string) {
  await q.query(`UPDATE case_discretion SET decided_on = $2, updated_at = now() WHERE case_id = $1`, [caseId, on]);
}

/** The latest same-kind violation of the party decided after `from` (exclusive) and up to `to`. */
export async function priorViolation(q: Queryable, party: string, code: string, from: string, to: string, exceptCaseId: string | null): Promise<string | null> {
  const { rows } = await q.query<{ decided_on: string }>(
    `SELECT decided_on FROM case_discretion WHERE party_key = $1 AND violation_code = $2 AND decided_on > $3 AND decided_on <= $4 AND ($5::uuid IS NULL OR case_id <> $5::uuid)
      ORDER BY decided_on DESC LIMIT 1`,
    [party, code, from, to, exceptCaseId],
  );
  return rows[0]?.decided_on ?? null;
}

export async function peers(q: Queryable, f: { violationCode: string; level: string; regionPrefix: string; from: string; to: string }) {
  const { rows } = await q.query<{ case_id: string; amount: number; base_amount: number | null; decided_on: string }>(
    `SELECT case_id, amount, base_amount, decided_on FROM case_discretion
      WHERE violation_code = $1 AND level = $2 AND region_code LIKE $3 || '%' AND decided_on BETWEEN $4 AND $5 ORDER BY decided_on, case_id`,
    [f.violationCode, f.level, f.regionPrefix, f.from, f.to],
  );
  return rows;
}

export interface SimilarRow {
  case_id: string;
  violation_code: string;
  level: string;
  amount: number;
  /** The stored `simple` tsvector as text: `'token':positions …`. */
  tokens: string | null;
  decided_on: string;
}

/**
 * Candidates for the similar-case ranking: decided records the reader may see (the scope condition on
 * agencies `a`), the newest `cap` sharing a word with the query and the newest `cap` of the violation,
 * a case in both listed twice. Each half walks an index in decided order and stops at its cap
 * (0175_assist_similar_indexes.sql), or, for rare words, the planner takes the GIN index and sorts the
 * few matches; either way the work is bounded, not the count of matching records.
 */
export async function similarCandidates(q: Queryable, scopeWhere: string, params: unknown[], f: { tsquery: string; violationCode: string | null; exceptCaseId: string; agencyId: string | null; cap: number }) {
  const p = [...params];
  const arg = (v: unknown) => {
    p.push(v);
    return `$${p.length}`;
  };
  const base = `d.decided_on IS NOT NULL AND d.case_id <> ${arg(f.exceptCaseId)}::uuid AND ${scopeWhere}${f.agencyId ? ` AND d.agency_id = ${arg(f.agencyId)}` : ''}`;
  const cap = arg(f.cap);
  const half = (cond: string) =>
    `(SELECT d.case_id, d.violation_code, d.level, d.amount, d.facts_tokens::text AS tokens, d.decided_on
        FROM case_discretion d JOIN agencies a ON a.id = d.agency_id
       WHERE ${base} AND ${cond} ORDER BY d.decided_on DESC, d.case_id LIMIT ${cap})`;
  const halves = [
    ...(f.tsquery ? [half(`d.facts_tokens @@ to_tsquery('simple', ${arg(f.tsquery)})`)] : []),
    ...(f.violationCode ? [half(`d.violation_code = ${arg(f.violationCode)}`)] : []),
  ];
  if (!halves.length) return [];
  return (await q.query<SimilarRow>(halves.join(' UNION ALL '), p)).rows;
}

/** Number, title and agency name of the cases shown. */
export async function caseHeadings(q: Queryable, ids: string[]) {
  const { rows } = await q.query<{ id: string; number: string; title: string; agency_name: string }>(
    `SELECT c.id, c.number, c.title, a.name AS agency_name FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ImportedViolation {
  code: string;
  name: string;
  violated: string;
  penalty: string;
  range_kind: string;
  range_min: number;
  range_max: number;
  range_base: string | null;
  keywords: string[];
}

export async function importedViolations(q: Queryable): Promise<ImportedViolation[]> {
  return (await q.query<ImportedViolation>(`SELECT code, name, violated, penalty, range_kind, range_min, range_max, range_base, keywords FROM assist_violations ORDER BY code`)).rows;
}

export async function importedProvisions(q: Queryable) {
  return (await q.query<{ id: string; law: string; article: number; paragraph: number | null; item: number | null; text: string; effective_from: string; effective_to: string | null; amends: string | null }>(
    `SELECT id, law, article, paragraph, item, text, effective_from, effective_to, amends FROM assist_provisions ORDER BY law, article, paragraph NULLS FIRST, item NULLS FIRST`,
  )).rows;
}
