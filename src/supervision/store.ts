// Supervision queries: plain functions per table, imported as a namespace (`repo.x`).
import type { Queryable } from '../platform/db.ts';

export interface AlertRow {
  id: string;
  subject_key: string;
  kind: string;
  rule_code: string;
  rule_version: number;
  severity: string;
  basis: string;
  agency_id: string;
  agency_name: string;
  region_code: string;
  case_id: string | null;
  raised_on: string;
  detail: Record<string, unknown>;
  status: 'open' | 'answered' | 'resolved';
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_at: Date;
}

const ALERT_SELECT = `SELECT s.*, a.name AS agency_name FROM supervision_alerts s JOIN agencies a ON a.id = s.agency_id`;

/** Which of these problems already have an alert (open or resolved). */
export async function existingKeys(q: Queryable, keys: readonly string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const { rows } = await q.query<{ subject_key: string }>(`SELECT subject_key FROM supervision_alerts WHERE subject_key = ANY($1::text[])`, [keys]);
  return new Set(rows.map((r) => r.subject_key));
}

export async function openAlertsOfCase(q: Queryable, caseId: string): Promise<AlertRow[]> {
  const { rows } = await q.query<AlertRow>(`${ALERT_SELECT} WHERE s.case_id = $1 AND s.status <> 'resolved'`, [caseId]);
  return rows;
}

/**
 * Every alert of these cases (open, answered or resolved): what a recomputation batch compares its findings
 * with. One index probe per case through `supervision_alerts_case`, whatever the statistics: `case_id = ANY(…)`
 * over a table never analysed (autovacuum off) was planned as a scan of the whole table; `OFFSET 0` keeps the
 * subquery from being pulled up into the same plan.
 */
export async function alertsOfCases(q: Queryable, caseIds: readonly string[]): Promise<{ id: string; agency_id: string; subject_key: string; kind: string; status: string }[]> {
  const { rows } = await q.query<{ id: string; agency_id: string; subject_key: string; kind: string; status: string }>(
    `SELECT s.id, s.agency_id, s.subject_key, s.kind, s.status FROM unnest($1::uuid[]) AS b(case_id)
       CROSS JOIN LATERAL (SELECT x.id, x.agency_id, x.subject_key, x.kind, x.status FROM supervision_alerts x WHERE x.case_id = b.case_id OFFSET 0) s`,
    [caseIds],
  );
  return rows;
}

export async function getAlert(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<AlertRow | undefined> {
  const { rows } = await q.query<AlertRow>(`${ALERT_SELECT} WHERE s.id = $1${opts.forUpdate ? ' FOR UPDATE OF s' : ''}`, [id]);
  return rows[0];
}

export interface NewAlert {
  id: string; subjectKey: string; kind: string; ruleCode: string; ruleVersion: number; severity: string; basis: string;
  agencyId: string; regionCode: string; caseId: string | null; raisedOn: string; detail: object;
}

/**
 * Inserts the alerts whose problem has none yet (one statement); answers the ids actually inserted. Each
 * distinct legal basis is sent once and the rows name it by position: a basis is about 450 bytes, the same
 * for every alert of its rule, and sent per row it was the larger part of a million-case pass's writes.
 */
export async function insertAlerts(q: Queryable, alerts: readonly NewAlert[]): Promise<Set<string>> {
  if (!alerts.length) return new Set();
  const bases = new Map<string, number>();
  for (const a of alerts) if (!bases.has(a.basis)) bases.set(a.basis, bases.size + 1);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO supervision_alerts (id, subject_key, kind, rule_code, rule_version, severity, basis, agency_id, region_code, case_id, raised_on, detail, status)
     SELECT id, subject_key, kind, rule_code, rule_version, severity, ($13::text[])[basis], agency_id, region_code, case_id, raised_on, detail::jsonb, 'open'
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::uuid[], $9::text[], $10::uuid[], $11::date[], $12::text[])
         AS t(id, subject_key, kind, rule_code, rule_version, severity, basis, agency_id, region_code, case_id, raised_on, detail)
     ON CONFLICT (subject_key) DO NOTHING RETURNING id`,
    [
      alerts.map((a) => a.id), alerts.map((a) => a.subjectKey), alerts.map((a) => a.kind), alerts.map((a) => a.ruleCode), alerts.map((a) => a.ruleVersion),
      alerts.map((a) => a.severity), alerts.map((a) => bases.get(a.basis)!), alerts.map((a) => a.agencyId), alerts.map((a) => a.regionCode), alerts.map((a) => a.caseId),
      alerts.map((a) => a.raisedOn), alerts.map((a) => JSON.stringify(a.detail)), [...bases.keys()],
    ],
  );
  return new Set(rows.map((r) => r.id));
}

export async function resolveAlert(q: Queryable, id: string, by: string | null, resolution: string) {
  await q.query(`UPDATE supervision_alerts SET status = 'resolved', resolution = $3, resolved_by = $2, resolved_at = now(), updated_at = now() WHERE id = $1`, [id, by, resolution]);
}

/**
 * Closes several alerts in one statement, in id order (parallel recomputations update the counters in the
 * same order); answers those it closed: one another transaction resolved meanwhile is left as it is (and
 * gets no second closing event).
 */
export async function resolveAlerts(q: Queryable, ids: readonly string[], by: string | null, resolution: string): Promise<{ id: string; agency_id: string }[]> {
  if (!ids.length) return [];
  const { rows } = await q.query<{ id: string; agency_id: string }>(
    `UPDATE supervision_alerts SET status = 'resolved', resolution = $3, resolved_by = $2, resolved_at = now(), updated_at = now()
      WHERE id = ANY($1::uuid[]) AND status <> 'resolved' RETURNING id, agency_id`,
    [ids, by, resolution],
  );
  return rows;
}

export async function answerAlert(q: Queryable, id: string, by: string, answer: string) {
  await q.query(`UPDATE supervision_alerts SET status = 'answered', answer = $3, answered_by = $2, answered_at = now(), updated_at = now() WHERE id = $1`, [id, by, answer]);
}

export async function listAlerts(q: Queryable, where: string, params: unknown[], after: { raisedOn: string; id: string } | null, limit: number): Promise<{ rows: AlertRow[]; total: number }> {
  const page = after ? `${where} AND (s.raised_on, s.id) < ($${params.length + 1}::date, $${params.length + 2}::uuid)` : where;
  const [{ rows }, count] = await Promise.all([
    q.query<AlertRow>(`${ALERT_SELECT} WHERE ${page} ORDER BY s.raised_on DESC, s.id DESC LIMIT ${limit + 1}`, after ? [...params, after.raisedOn, after.id] : params),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM supervision_alerts s WHERE ${where}`, params),
  ]);
  return { rows, total: count.rows[0]!.n };
}

export async function alertCounts(q: Queryable, where: string, params: unknown[]) {
  const { rows } = await q.query<{ kind: string; agency_id: string; agency_name: string; status: string; n: number }>(
    `SELECT s.kind, s.agency_id, a.name AS agency_name, s.status, count(*)::int AS n FROM supervision_alerts s JOIN agencies a ON a.id = s.agency_id WHERE ${where} GROUP BY 1, 2, 3, 4`,
    params,
  );
  return rows;
}
