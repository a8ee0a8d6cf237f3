// Queries of the versioned rule tables: AV-record lists, major-decision catalogs, procedure adaptations.
// A version is never changed; the one in force on a date is the highest version effective by then.
import type { Queryable } from '../platform/db.ts';

export interface RuleSetRow<T> {
  id: string;
  agency_id: string;
  version: number;
  effective_from: string;
  note: string;
  created_by: string | null;
  created_at: Date;
  body: T;
}

type Table = 'av_rule_sets' | 'major_decision_catalogs';
const BODY: Record<Table, string> = { av_rule_sets: 'rules', major_decision_catalogs: 'entries' };

export async function effective<T>(q: Queryable, table: Table, agencyId: string, on: string): Promise<RuleSetRow<T> | undefined> {
  return (
    await q.query<RuleSetRow<T>>(
      `SELECT id, agency_id, version, effective_from, note, created_by, created_at, ${BODY[table]} AS body FROM ${table}
        WHERE agency_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC, version DESC LIMIT 1`,
      [agencyId, on],
    )
  ).rows[0];
}

export async function list<T>(q: Queryable, table: Table, agencyId: string): Promise<RuleSetRow<T>[]> {
  return (
    await q.query<RuleSetRow<T>>(
      `SELECT id, agency_id, version, effective_from, note, created_by, created_at, ${BODY[table]} AS body FROM ${table} WHERE agency_id = $1 ORDER BY version DESC`,
      [agencyId],
    )
  ).rows;
}

export async function byId<T>(q: Queryable, table: Table, id: string): Promise<RuleSetRow<T> | undefined> {
  return (
    await q.query<RuleSetRow<T>>(`SELECT id, agency_id, version, effective_from, note, created_by, created_at, ${BODY[table]} AS body FROM ${table} WHERE id = $1`, [id])
  ).rows[0];
}

/** Serialises writers of one agency's versions (call first in the transaction), then nextVersion and insertVersion. */
export async function lockVersions(q: Queryable, table: Table, agencyId: string) {
  await q.query(`SELECT pg_advisory_xact_lock(727031, hashtext($1))`, [`${table}:${agencyId}`]);
}

export async function nextVersion(q: Queryable, table: Table, agencyId: string): Promise<number> {
  const { rows } = await q.query<{ v: number }>(`SELECT coalesce(max(version), 0) + 1 AS v FROM ${table} WHERE agency_id = $1`, [agencyId]);
  return Number(rows[0]!.v);
}

export async function insertVersion(q: Queryable, table: Table, r: { id: string; agencyId: string; version: number; effectiveFrom: string; note: string; body: unknown; createdBy: string | null; eventId: number }) {
  await q.query(
    `INSERT INTO ${table} (id, agency_id, version, effective_from, ${BODY[table]}, note, created_by, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [r.id, r.agencyId, r.version, r.effectiveFrom, JSON.stringify(r.body), r.note, r.createdBy, r.eventId],
  );
}

// ---- procedure adaptations ----

export interface AdaptationRow {
  id: string;
  version: number;
  agency_id: string;
  base_id: string;
  base_version: number;
  definition: unknown;
  created_at: Date;
}

export async function getAdaptation(q: Queryable, id: string, version?: number) {
  return version === undefined
    ? (await q.query<AdaptationRow>(`SELECT * FROM procedure_adaptations WHERE id = $1 ORDER BY version DESC LIMIT 1`, [id])).rows[0]
    : (await q.query<AdaptationRow>(`SELECT * FROM procedure_adaptations WHERE id = $1 AND version = $2`, [id, version])).rows[0];
}

export async function listAdaptations(q: Queryable, agencyId?: string) {
  return agencyId
    ? (await q.query<AdaptationRow>(`SELECT * FROM procedure_adaptations WHERE agency_id = $1 ORDER BY id, version DESC`, [agencyId])).rows
    : (await q.query<AdaptationRow>(`SELECT * FROM procedure_adaptations ORDER BY id, version DESC`)).rows;
}

export async function insertAdaptation(q: Queryable, a: { id: string; version: number; agencyId: string; baseId: string; baseVersion: number; definition: unknown; createdBy: string | null; eventId: number }) {
  await q.query(
    `INSERT INTO procedure_adaptations (id, version, agency_id, base_id, base_version, definition, created_by, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [a.id, a.version, a.agencyId, a.baseId, a.baseVersion, JSON.stringify(a.definition), a.createdBy, a.eventId],
  );
}

// ---- province-unified AV-record lists (R-R10) ----

export interface ProvinceListRow {
  id: string;
  province: string;
  version: number;
  effective_from: string;
  note: string;
  created_at: Date;
  body: Record<string, unknown>;
}

const PROVINCE_SELECT = `SELECT id, province, version, effective_from, note, created_at, rules AS body FROM av_province_lists`;

export async function provinceEffective(q: Queryable, province: string, on: string): Promise<ProvinceListRow | undefined> {
  return (await q.query<ProvinceListRow>(`${PROVINCE_SELECT} WHERE province = $1 AND effective_from <= $2 ORDER BY effective_from DESC, version DESC LIMIT 1`, [province, on])).rows[0];
}

export async function provinceList(q: Queryable, province: string): Promise<ProvinceListRow[]> {
  return (await q.query<ProvinceListRow>(`${PROVINCE_SELECT} WHERE province = $1 ORDER BY version DESC`, [province])).rows;
}

export async function insertProvinceVersion(q: Queryable, r: { id: string; province: string; effectiveFrom: string; note: string; body: unknown; createdBy: string | null; eventId: number }): Promise<number> {
  await q.query(`SELECT pg_advisory_xact_lock(727031, hashtext($1))`, [`av_province_lists:${r.province}`]);
  const { rows } = await q.query<{ version: number }>(
    `INSERT INTO av_province_lists (id, province, version, effective_from, rules, note, created_by, event_id)
     SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7 FROM av_province_lists WHERE province = $2 RETURNING version`,
    [r.id, r.province, r.effectiveFrom, JSON.stringify(r.body), r.note, r.createdBy, r.eventId],
  );
  return Number(rows[0]!.version);
}
