// Queries of the inspections domain, imported as a namespace (inspectionsRepo.getTask(...)).
import type { Queryable } from '../platform/db.ts';
import type { ScopeFilter } from './schema.ts';

export interface TaskRow {
  id: string;
  plan_id: string;
  agency_id: string;
  agency_region: string;
  agency_name: string;
  matter_id: string;
  matter_name: string;
  matter_category: string;
  title: string;
  batch: number;
  scope: ScopeFilter;
  ratios: Record<'A' | 'B' | 'C' | 'D', { ratioBp: number; min: number; max: number | null }>;
  rounding: 'ceil' | 'floor' | 'half_up';
  class_as_of: string;
  yearly_cap: number;
  rotation_days: number;
  team_size: number;
  inspection_date: string;
  redo_of: string | null;
  redo_reason: string | null;
  status: 'planned' | 'committed' | 'drawn';
  year: number;
  plan_title: string;
  plan_status: 'draft' | 'published';
  joint: boolean;
  departments: string[];
  parties: string[];
}

const TASK_SELECT = `SELECT t.id, t.plan_id, t.agency_id, a.region_code AS agency_region, a.name AS agency_name, t.matter_id, m.name AS matter_name,
    m.category AS matter_category, t.title, t.batch, t.scope, t.ratios, t.rounding, t.class_as_of, t.yearly_cap, t.rotation_days, t.team_size,
    t.inspection_date, t.redo_of, t.redo_reason, t.status, p.year, p.title AS plan_title, p.status AS plan_status, p.joint, p.departments, p.parties
  FROM inspection_tasks t JOIN inspection_plans p ON p.id = t.plan_id JOIN agencies a ON a.id = t.agency_id JOIN inspection_matters m ON m.id = t.matter_id`;

export async function getTask(q: Queryable, id: string, forUpdate = false): Promise<TaskRow | undefined> {
  return (await q.query<TaskRow>(`${TASK_SELECT} WHERE t.id = $1${forUpdate ? ' FOR UPDATE OF t' : ''}`, [id])).rows[0];
}

export async function listTasks(q: Queryable, where: string, params: unknown[], limit: number, offset: number) {
  const n = params.length;
  const items = await q.query<TaskRow>(`${TASK_SELECT} WHERE ${where} ORDER BY p.year DESC, t.created_at DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, limit, offset]);
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_tasks t JOIN inspection_plans p ON p.id = t.plan_id JOIN agencies a ON a.id = t.agency_id JOIN inspection_matters m ON m.id = t.matter_id WHERE ${where}`, params);
  return { items: items.rows, total: total.rows[0]!.n };
}

export interface CommitmentRow {
  task_id: string;
  document: CommitmentDocument;
  candidates: { class: string; creditCodes: string[] }[];
  pool: PoolDocument;
  event_id: number;
  commitment: Buffer;
}

export interface CommitmentDocument {
  algorithm: string;
  task: string;
  classes: { class: string; count: number; quota: number; root: string }[];
  sources: { source: string; hash: string }[];
  matterCategory: string;
  inspectionDate: string;
  teamSize: number;
  rotationDays: number;
  /** SHA-256 of the canonical officer pool (officers, eligibility inputs, conflict digests). */
  pool: string;
}

export interface PoolOfficer {
  officerId: string;
  certificateNumber: string;
  categories: string[];
  areas: string[];
  unit: string;
  available: boolean;
  workloadCap: number;
  /** Inspections already assigned this year when the pool was committed. */
  load: number;
}

export interface PoolDocument {
  departments: { departmentId: string; officers: PoolOfficer[] }[];
  /** SHA-256(officer id ‖ 0x1F ‖ credit code) of each declared conflict: committed without being revealed. */
  conflicts: string[];
  /** Officer id → credit codes inspected inside the rotation window before the inspection date. */
  recent: Record<string, string[]>;
}

export async function getCommitment(q: Queryable, taskId: string): Promise<CommitmentRow | undefined> {
  return (await q.query<CommitmentRow>(`SELECT task_id, document, candidates, pool, event_id, commitment FROM inspection_commitments WHERE task_id = $1`, [taskId])).rows[0];
}

export interface DrawRow {
  task_id: string;
  leaf_hash: string;
  ledger_index: number;
  seed: string;
  selected: { class: string; creditCode: string; key: string }[];
  teams: { creditCode: string; departments: { departmentId: string; officers: { officerId: string; certificateNumber: string; key: string }[] }[] }[];
}

export async function getDraw(q: Queryable, taskId: string): Promise<DrawRow | undefined> {
  return (await q.query<DrawRow>(`SELECT task_id, leaf_hash, ledger_index, seed, selected, teams FROM inspection_draws WHERE task_id = $1`, [taskId])).rows[0];
}

export async function getReveals(q: Queryable, taskId: string) {
  return (await q.query<{ source: string; value: string }>(`SELECT source, value FROM inspection_reveals WHERE task_id = $1`, [taskId])).rows;
}

/** The ledger entry of an event once the sequencer has integrated it. */
export async function ledgerEntryOf(q: Queryable, commitment: Buffer) {
  return (await q.query<{ idx: number; leaf_hash: Buffer }>(`SELECT idx, leaf_hash FROM ledger_entries WHERE commitment = $1 ORDER BY idx LIMIT 1`, [commitment])).rows[0];
}
