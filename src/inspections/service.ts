// Directories (R-D01), the matter list (R-P05), plans and tasks of 双随机一公开. The draw ceremony is in
// ceremony.ts, inspections and their results in results.ts.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange, recordChanges, type Change } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, isUniqueViolation, notFound } from '../platform/errors.ts';
import { isUuid, todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import * as policy from './policy.ts';
import type { ConflictInput, InspectorInput, MatterInput, ObjectInput, PlanInput, TaskInput } from './schema.ts';
import * as repo from './store.ts';
import type { z } from 'zod';

/** Reads another agency's registry data for a rule computation the caller was already allowed to start. */
export const SYSTEM_READER: Actor = { kind: 'user', id: '00000000-0000-0000-0000-000000000000', name: '双随机抽取', role: 'system_admin', agencyId: '', jurisdiction: null, scopes: [] };

const actorId = (a: Actor) => (a.kind === 'user' ? a.id : null);

export async function agencyRef(ctx: AppContext, id: string) {
  const a = await registry.getAgency(ctx, SYSTEM_READER, id).catch(() => null);
  if (!a) throw new AppError('validation', { detail: '机关不存在。', errors: [{ field: 'agencyId', message: '机关不存在' }] });
  return { id: a.id as string, region_code: a.regionCode as string, name: a.name as string };
}

/** The agency named in a body: out of the actor's read scope it is answered as missing (like a 404). */
async function managedAgency(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, action: string) {
  const a = await agencyRef(ctx, agencyId);
  if (!policy.canRead(actor, a)) throw new AppError('validation', { detail: '机关不存在。', errors: [{ field: 'agencyId', message: '机关不存在' }] });
  if (!policy.canManage(actor, a)) await policy.refuse(ctx, req, actor, action, '只有本机关负责人或单位管理员可以维护双随机名录、计划和抽取。', agencyId);
  return a;
}

// ---- inspection matter list (R-P05) ----

export async function createMatter(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof MatterInput>) {
  await managedAgency(ctx, req, actor, input.agencyId, 'inspections.matter');
  const id = crypto.randomUUID();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO inspection_matters (id, agency_id, code, name, category, legal_basis, object_type, method, kind) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
        [id, input.agencyId, input.code, input.name, input.category, input.legalBasis, input.objectType, input.method, input.kind]);
      await recordChange(tx, { kind: 'inspections.matter_created', agencyId: input.agencyId, subjectType: 'inspection_matter', subjectId: id, actorId: actorId(actor), data: { id, ...input } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('duplicate', { detail: `事项编号 ${input.code} 已存在。` });
    throw err;
  }
  return { id };
}

export async function listMatters(ctx: AppContext, actor: Actor) {
  const params: unknown[] = [];
  const where = policy.readScopeSql(actor, 'a', params);
  const { rows } = await ctx.db.query(`SELECT m.id, m.agency_id AS "agencyId", a.name AS agency, m.code, m.name, m.category, m.legal_basis AS "legalBasis", m.object_type AS "objectType", m.method, m.kind
    FROM inspection_matters m JOIN agencies a ON a.id = m.agency_id WHERE ${where} ORDER BY a.name, m.code`, params);
  return { items: rows };
}

// ---- object directory (R-D01) ----

export async function insertObjects(tx: Queryable, actor: Actor, items: readonly ObjectInput[]) {
  const ids = items.map(() => crypto.randomUUID());
  await tx.query(
    `INSERT INTO inspection_objects (id, credit_code, name, kind, region_code, agency_id, tags, credit_class, class_set_on)
     SELECT id, credit_code, name, kind, region_code, agency_id, tags::text[], credit_class, class_set_on
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::date[])
         AS t(id, credit_code, name, kind, region_code, agency_id, tags, credit_class, class_set_on)`,
    [ids, items.map((o) => o.creditCode), items.map((o) => o.name), items.map((o) => o.kind), items.map((o) => o.regionCode), items.map((o) => o.agencyId),
      items.map((o) => `{${o.tags.map((t) => JSON.stringify(t)).join(',')}}`), items.map((o) => o.creditClass), items.map((o) => o.classSetOn)],
  ).catch((err) => {
    if (isUniqueViolation(err)) throw new AppError('duplicate', { detail: '统一社会信用代码已在名录库中。' });
    throw err;
  });
  await tx.query(`INSERT INTO inspection_object_classes (object_id, credit_class, set_on) SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[])`,
    [ids, items.map((o) => o.creditClass), items.map((o) => o.classSetOn)]);
  const changes: Change[] = items.map((o, i) => ({ kind: 'inspections.object_added', agencyId: o.agencyId, subjectType: 'inspection_object', subjectId: ids[i]!, actorId: actorId(actor), data: { id: ids[i], ...o } }));
  await recordChanges(tx, changes);
  return ids;
}

export async function createObject(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: ObjectInput) {
  await managedAgency(ctx, req, actor, input.agencyId, 'inspections.object');
  const ids = await ctx.db.transaction((tx) => insertObjects(tx, actor, [input]));
  return { id: ids[0]! };
}

async function loadObject(ctx: AppContext, actor: Actor, id: string) {
  const o = isUuid(id)
    ? (await ctx.db.query<{ id: string; agency_id: string; region_code: string; agency_region: string; credit_class: string; class_set_on: string }>(
        `SELECT o.id, o.agency_id, o.region_code, a.region_code AS agency_region, o.credit_class, o.class_set_on FROM inspection_objects o JOIN agencies a ON a.id = o.agency_id WHERE o.id = $1`, [id])).rows[0]
    : undefined;
  if (!o || !policy.canRead(actor, { id: o.agency_id, region_code: o.agency_region })) throw notFound('检查对象');
  return o;
}

/** A class change is an event with its date; draws read the class as of their task's fixed date. */
export async function changeObjectClass(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: { creditClass: string; setOn: string }) {
  const o = await loadObject(ctx, actor, id);
  if (!policy.canManage(actor, { id: o.agency_id, region_code: o.agency_region })) await policy.refuse(ctx, req, actor, 'inspections.object_class', '只有本机关负责人或单位管理员可以调整信用风险分类。', id);
  if (input.setOn < o.class_set_on) throw new AppError('validation', { detail: '分类日期不能早于当前分类的日期。', errors: [{ field: 'setOn', message: '早于当前分类日期' }] });
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO inspection_object_classes (object_id, credit_class, set_on) VALUES ($1,$2,$3) ON CONFLICT (object_id, set_on) DO UPDATE SET credit_class = EXCLUDED.credit_class`, [id, input.creditClass, input.setOn]);
    await tx.query(`UPDATE inspection_objects SET credit_class = $2, class_set_on = $3 WHERE id = $1`, [id, input.creditClass, input.setOn]);
    await recordChange(tx, { kind: 'inspections.object_class_changed', agencyId: o.agency_id, subjectType: 'inspection_object', subjectId: id, actorId: actorId(actor), data: { id, from: o.credit_class, to: input.creditClass, setOn: input.setOn } });
  });
  return { ok: true };
}

export async function listObjects(ctx: AppContext, actor: Actor, f: { q?: string; creditClass?: string; page: number; pageSize: number }) {
  const params: unknown[] = [];
  let where = policy.readScopeSql(actor, 'a', params);
  if (f.q) {
    params.push(f.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
    where += ` AND (o.name LIKE $${params.length} OR o.credit_code LIKE upper($${params.length}))`;
  }
  if (f.creditClass) {
    params.push(f.creditClass);
    where += ` AND o.credit_class = $${params.length}`;
  }
  const n = params.length;
  const { rows } = await ctx.db.query(`SELECT o.id, o.credit_code AS "creditCode", o.name, o.kind, o.region_code AS "regionCode", o.agency_id AS "agencyId", a.name AS agency, o.tags,
      o.credit_class AS "creditClass", o.class_set_on AS "classSetOn"
    FROM inspection_objects o JOIN agencies a ON a.id = o.agency_id WHERE ${where} ORDER BY o.credit_code LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, f.pageSize, (f.page - 1) * f.pageSize]);
  const total = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_objects o JOIN agencies a ON a.id = o.agency_id WHERE ${where}`, params);
  return { items: rows, total: total.rows[0]!.n };
}

// ---- inspector directory (R-D01) ----

export async function upsertInspector(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: InspectorInput) {
  const officer = await registry.getOfficer(ctx, actor, input.officerId).catch(() => null);
  if (!officer) throw new AppError('validation', { detail: '执法人员不存在。', errors: [{ field: 'officerId', message: '执法人员不存在' }] });
  const agency = await agencyRef(ctx, officer.agencyId as string);
  if (!policy.canManage(actor, agency)) await policy.refuse(ctx, req, actor, 'inspections.inspector', '只有本机关负责人或单位管理员可以维护执法检查人员名录。', input.officerId);
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO inspectors (officer_id, agency_id, categories, areas, unit, available, workload_cap) VALUES ($1,$2,$3,$4,$5,$6,$7)
      ON CONFLICT (officer_id) DO UPDATE SET categories = EXCLUDED.categories, areas = EXCLUDED.areas, unit = EXCLUDED.unit, available = EXCLUDED.available, workload_cap = EXCLUDED.workload_cap, updated_at = now()`,
      [input.officerId, agency.id, input.categories, input.areas, input.unit, input.available, input.workloadCap]);
    await recordChange(tx, { kind: 'inspections.inspector_set', agencyId: agency.id, subjectType: 'inspector', subjectId: input.officerId, actorId: actorId(actor), data: { ...input } });
  });
  return { officerId: input.officerId };
}

export async function declareConflict(ctx: AppContext, req: FastifyRequest | null, actor: Actor, officerId: string, input: z.infer<typeof ConflictInput>) {
  const row = isUuid(officerId)
    ? (await ctx.db.query<{ agency_id: string; region_code: string }>(`SELECT i.agency_id, a.region_code FROM inspectors i JOIN agencies a ON a.id = i.agency_id WHERE i.officer_id = $1`, [officerId])).rows[0]
    : undefined;
  if (!row || !policy.canRead(actor, { id: row.agency_id, region_code: row.region_code })) throw notFound('执法检查人员');
  if (!policy.canManage(actor, { id: row.agency_id, region_code: row.region_code })) await policy.refuse(ctx, req, actor, 'inspections.conflict', '只有本机关负责人或单位管理员可以登记回避事项。', officerId);
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO inspector_conflicts (id, officer_id, credit_code, reason, note, declared_on) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (officer_id, credit_code) DO NOTHING`,
      [id, officerId, input.creditCode, input.reason, input.note, input.declaredOn]);
    await recordChange(tx, { kind: 'inspections.conflict_declared', agencyId: row.agency_id, subjectType: 'inspector', subjectId: officerId, actorId: actorId(actor), data: { officerId, ...input } });
  });
  return { id };
}

export async function listInspectors(ctx: AppContext, actor: Actor) {
  const params: unknown[] = [];
  const where = policy.readScopeSql(actor, 'a', params);
  const { rows: officers } = await ctx.db.query<{ id: string; agency_id: string }>(`SELECT i.officer_id AS id, i.agency_id FROM inspectors i JOIN agencies a ON a.id = i.agency_id WHERE ${where}`, params);
  const ids = officers.map((o) => o.id);
  const { rows } = await ctx.db.query(`SELECT i.officer_id AS "officerId", i.agency_id AS "agencyId", a.name AS agency, i.categories, i.areas, i.unit, i.available, i.workload_cap AS "workloadCap",
      (SELECT count(*)::int FROM inspector_conflicts c WHERE c.officer_id = i.officer_id) AS conflicts
    FROM inspectors i JOIN agencies a ON a.id = i.agency_id WHERE i.officer_id = ANY($1::uuid[])`, [ids]);
  // Names and certificates come from the registry, which applies its own personal-data rules.
  const people = new Map<string, { name: string; certificateNumber: string; status: string }>();
  for (const agencyId of new Set(officers.map((o) => o.agency_id))) {
    const r = await registry.listOfficers(ctx, SYSTEM_READER, { agencyId, page: 1, pageSize: 5000 });
    for (const o of r.items) people.set(o.id as string, { name: o.name as string, certificateNumber: o.certificateNumber as string, status: o.status as string });
  }
  return { items: rows.map((r) => ({ ...r, ...(people.get(r.officerId as string) ?? {}) })) };
}

// ---- plans and tasks (一细则) ----

export async function createPlan(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof PlanInput>) {
  await managedAgency(ctx, req, actor, input.agencyId, 'inspections.plan');
  const departments = input.departments.length ? [input.agencyId, ...input.departments.filter((d) => d !== input.agencyId)] : [];
  for (const d of departments) await agencyRef(ctx, d).catch(() => {
    throw new AppError('validation', { detail: '联合抽查的部门不存在。', errors: [{ field: 'departments', message: `部门 ${d} 不存在` }] });
  });
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO inspection_plans (id, agency_id, year, title, joint, departments, parties, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [id, input.agencyId, input.year, input.title, departments.length > 1, departments, input.parties, actorId(actor)]);
    await recordChange(tx, { kind: 'inspections.plan_created', agencyId: input.agencyId, subjectType: 'inspection_plan', subjectId: id, actorId: actorId(actor), data: { id, ...input, departments } });
  });
  return { id };
}

async function loadPlan(ctx: AppContext, actor: Actor, id: string) {
  const p = isUuid(id)
    ? (await ctx.db.query<{ id: string; agency_id: string; region_code: string; status: string; year: number; joint: boolean; departments: string[] }>(
        `SELECT p.id, p.agency_id, a.region_code, p.status, p.year, p.joint, p.departments FROM inspection_plans p JOIN agencies a ON a.id = p.agency_id WHERE p.id = $1`, [id])).rows[0]
    : undefined;
  if (!p || !policy.canRead(actor, { id: p.agency_id, region_code: p.region_code })) throw notFound('抽查计划');
  return p;
}

/** Published on the portal before any of its tasks is committed (R-D02 A). */
export async function publishPlan(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string) {
  const p = await loadPlan(ctx, actor, id);
  if (!policy.canManage(actor, { id: p.agency_id, region_code: p.region_code })) await policy.refuse(ctx, req, actor, 'inspections.plan_publish', '只有本机关负责人或单位管理员可以公布抽查计划。', id);
  if (p.status === 'published') throw new AppError('invalid_state', { detail: '该计划已公布。' });
  const { n } = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_tasks WHERE plan_id = $1`, [id])).rows[0]!;
  if (!n) throw new AppError('invalid_state', { detail: '计划中还没有抽查任务，不能公布。' });
  const today = todayInShanghai();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE inspection_plans SET status = 'published', published_on = $2 WHERE id = $1`, [id, today]);
    await recordChange(tx, { kind: 'inspections.plan_published', agencyId: p.agency_id, subjectType: 'inspection_plan', subjectId: id, actorId: actorId(actor), data: { id, publishedOn: today } });
  });
  return { ok: true, publishedOn: today };
}

export async function listPlans(ctx: AppContext, actor: Actor, year?: number) {
  const params: unknown[] = [];
  let where = policy.readScopeSql(actor, 'a', params);
  if (year) {
    params.push(year);
    where += ` AND p.year = $${params.length}`;
  }
  const { rows } = await ctx.db.query(`SELECT p.id, p.agency_id AS "agencyId", a.name AS agency, p.year, p.title, p.joint, p.departments, p.parties, p.status, p.published_on AS "publishedOn",
      (SELECT count(*)::int FROM inspection_tasks t WHERE t.plan_id = p.id) AS tasks
    FROM inspection_plans p JOIN agencies a ON a.id = p.agency_id WHERE ${where} ORDER BY p.year DESC, a.name, p.title`, params);
  return { items: rows };
}

export async function createTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, planId: string, input: TaskInput) {
  const p = await loadPlan(ctx, actor, planId);
  if (!policy.canManage(actor, { id: p.agency_id, region_code: p.region_code })) await policy.refuse(ctx, req, actor, 'inspections.task', '只有本机关负责人或单位管理员可以安排抽查任务。', planId);
  const matter = (await ctx.db.query<{ agency_id: string }>(`SELECT agency_id FROM inspection_matters WHERE id = $1 AND active`, [input.matterId])).rows[0];
  if (!matter || (matter.agency_id !== p.agency_id && !p.departments.includes(matter.agency_id))) {
    throw new AppError('validation', { detail: '抽查事项不在本机关的随机抽查事项清单中（R-P05）。', errors: [{ field: 'matterId', message: '不在事项清单中' }] });
  }
  if (Number(input.inspectionDate.slice(0, 4)) !== p.year) throw new AppError('validation', { detail: '检查日期应在计划年度内。', errors: [{ field: 'inspectionDate', message: '不在计划年度内' }] });
  for (const [cls, r] of Object.entries(input.ratios)) {
    if (r.max !== null && r.max < r.min) throw new AppError('validation', { detail: `${cls} 类的最大数量小于最小数量。`, errors: [{ field: `ratios.${cls}.max`, message: '小于最小数量' }] });
  }
  // A redo is a new task that names the one it replaces and why (R-D02: no delete, no quiet redo).
  if (input.redoOf) {
    if (!input.redoReason) throw new AppError('validation', { detail: '重新抽取必须写明理由。', errors: [{ field: 'redoReason', message: '请填写理由' }] });
    const prev = await repo.getTask(ctx.db, input.redoOf);
    if (!prev || prev.plan_id !== planId) throw new AppError('validation', { detail: '原任务不在本计划中。', errors: [{ field: 'redoOf', message: '原任务不存在' }] });
  } else if (input.redoReason) {
    throw new AppError('validation', { detail: '只有重新抽取的任务写理由。', errors: [{ field: 'redoReason', message: '未指明原任务' }] });
  }
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO inspection_tasks (id, plan_id, agency_id, matter_id, title, batch, scope, ratios, rounding, class_as_of, yearly_cap, rotation_days, team_size, inspection_date, redo_of, redo_reason)
      VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
      [id, planId, p.agency_id, input.matterId, input.title, input.batch, JSON.stringify(input.scope), JSON.stringify(input.ratios), input.rounding, input.classAsOf, input.yearlyCap,
        input.rotationDays, input.teamSize, input.inspectionDate, input.redoOf ?? null, input.redoReason ?? null]);
    await recordChange(tx, { kind: 'inspections.task_created', agencyId: p.agency_id, subjectType: 'inspection_task', subjectId: id, actorId: actorId(actor), data: { id, planId, ...input } });
  });
  return { id };
}

export async function loadTask(ctx: AppContext, actor: Actor, id: string, forUpdate = false, q: Queryable = ctx.db) {
  const t = isUuid(id) ? await repo.getTask(q, id, forUpdate) : undefined;
  if (!t || !policy.canRead(actor, { id: t.agency_id, region_code: t.agency_region })) throw notFound('抽查任务');
  return t;
}

export function taskOut(t: repo.TaskRow) {
  return {
    id: t.id, planId: t.plan_id, planTitle: t.plan_title, planStatus: t.plan_status, year: t.year, agencyId: t.agency_id, agency: t.agency_name, joint: t.joint, departments: t.departments,
    parties: t.parties, matterId: t.matter_id, matter: t.matter_name, category: t.matter_category, title: t.title, batch: t.batch, scope: t.scope, ratios: t.ratios,
    rounding: t.rounding, classAsOf: t.class_as_of, yearlyCap: t.yearly_cap, rotationDays: t.rotation_days, teamSize: t.team_size, inspectionDate: t.inspection_date,
    redoOf: t.redo_of, redoReason: t.redo_reason, status: t.status,
  };
}

export async function listTasks(ctx: AppContext, actor: Actor, f: { year?: number; planId?: string; page: number; pageSize: number }) {
  const params: unknown[] = [];
  let where = policy.readScopeSql(actor, 'a', params);
  if (f.year) {
    params.push(f.year);
    where += ` AND p.year = $${params.length}`;
  }
  if (f.planId) {
    params.push(f.planId);
    where += ` AND t.plan_id = $${params.length}`;
  }
  const r = await repo.listTasks(ctx.db, where, params, f.pageSize, (f.page - 1) * f.pageSize);
  return { items: r.items.map(taskOut), total: r.total };
}
