// 任务分解推进表 (R-S01): the bureau imports its task table (XLSX or CSV: 主要任务 / 任务分解 / 工作要求 /
// 责任单位 / 完成时限, merged cells read blank and carry the row above), whole file or nothing with every
// bad row named; rows are assigned to agencies, which report progress; a row past its deadline and not
// done is overdue.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { readSheet } from '../registry/import.ts';

export interface TaskRow { mainTask: string; breakdown: string; requirement: string; responsible: string; deadline: string }
const HEADERS: [keyof TaskRow, RegExp][] = [['mainTask', /主要任务|重点任务/], ['breakdown', /任务分解|具体措施/], ['requirement', /工作要求/], ['responsible', /责任单位|牵头单位/], ['deadline', /完成时限|时限/]];

/** 2019年8月 → 2019-08-31; 2019年9月前 → 2019-09-30; 长期执行 → null. */
export function deadlineOf(text: string): string | null | undefined {
  const t = text.trim();
  if (/^长期/.test(t)) return null;
  const m = /^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?(?:底|前|以前)?$/.exec(t);
  if (!m) return t ? undefined : null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const d = m[3] ? Math.min(Number(m[3]), last) : last;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export async function parseTaskSheet(file: Buffer, filename: string): Promise<TaskRow[]> {
  const sheet = await readSheet(file, filename);
  const index = HEADERS.map(([k, re]) => [k, sheet.headers.findIndex((h) => re.test(h.replace(/\s/g, '')))] as const);
  const missing = index.filter(([, i]) => i < 0).map(([k]) => HEADERS.find(([x]) => x === k)![1].source.split('|')[0]);
  if (missing.length) throw new AppError('import_invalid', { detail: `缺少列：${missing.join('、')}`, errors: missing.map((m) => ({ field: 'headers', message: `缺少列「${m}」` })) });
  const rows: TaskRow[] = [];
  const errors: { field: string; message: string }[] = [];
  let prev: TaskRow | null = null;
  for (const r of sheet.rows) {
    const get = (k: keyof TaskRow) => (r.cells[index.find(([x]) => x === k)![1]] ?? '').replace(/\s+/g, '');
    const breakdown = get('breakdown').replace(/^\d+[.、．]/, '');
    if (!breakdown && !get('requirement')) continue;
    const row: TaskRow = {
      mainTask: get('mainTask') || prev?.mainTask || '', breakdown, requirement: get('requirement'),
      responsible: get('responsible') || prev?.responsible || '', deadline: get('deadline') || prev?.deadline || '',
    };
    if (!row.mainTask) errors.push({ field: `rows.${r.line}`, message: `第 ${r.line} 行：缺少主要任务` });
    if (!row.breakdown) errors.push({ field: `rows.${r.line}`, message: `第 ${r.line} 行：缺少任务分解` });
    if (row.breakdown.length > 500 || row.requirement.length > 2000 || row.responsible.length > 200) errors.push({ field: `rows.${r.line}`, message: `第 ${r.line} 行：内容过长` });
    if (deadlineOf(row.deadline) === undefined) errors.push({ field: `rows.${r.line}`, message: `第 ${r.line} 行：完成时限「${row.deadline}」应为“2019年8月”或“长期执行”` });
    rows.push(row);
    prev = row;
  }
  if (errors.length) throw new AppError('import_invalid', { detail: `${errors.length} 处错误，未导入任何数据。`, errors });
  if (!rows.length) throw new AppError('import_invalid', { detail: '文件中没有任务。', errors: [{ field: 'rows', message: '没有任务' }] });
  return rows;
}

const isSupervisor = (a: Actor) => a.kind === 'user' && (a.role === 'supervisor' || a.role === 'system_admin');

export async function importTasks(ctx: AppContext, req: FastifyRequest | null, actor: Actor, sourceDoc: string, rows: TaskRow[]) {
  if (!isSupervisor(actor)) {
    await audit(ctx.db, req, { action: 'supervision.tasks_import', outcome: 'denied', ...actorAudit(actor), detail: {} });
    throw forbidden('只有执法监督人员可以导入任务分解推进表。');
  }
  const region = actor.role === 'system_admin' ? '' : actor.jurisdiction!;
  const ids: string[] = [];
  await ctx.db.transaction(async (tx) => {
    for (const [i, r] of rows.entries()) {
      const id = crypto.randomUUID();
      ids.push(id);
      await tx.query(
        `INSERT INTO supervision_tasks (id, bureau_id, region_code, source_doc, seq, main_task, breakdown, requirement, responsible, deadline_text, deadline, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'not_started')`,
        [id, actor.agencyId, region, sourceDoc, i + 1, r.mainTask, r.breakdown, r.requirement, r.responsible, r.deadline, deadlineOf(r.deadline) ?? null],
      );
    }
    await recordChange(tx, { kind: 'supervision.tasks_imported', agencyId: actor.agencyId, subjectType: 'task_table', subjectId: sourceDoc, actorId: actor.id, data: { sourceDoc, taskIds: ids } });
  });
  return { imported: ids.length, ids };
}

interface TaskDbRow { id: string; region_code: string; source_doc: string; seq: number; main_task: string; breakdown: string; requirement: string; responsible: string; agency_ids: string[]; deadline_text: string; deadline: string | null; status: string; reports: number; last_report: string | null }

function view(t: TaskDbRow, today: string) {
  return {
    id: t.id, sourceDoc: t.source_doc, seq: t.seq, mainTask: t.main_task, breakdown: t.breakdown, requirement: t.requirement, responsible: t.responsible, agencyIds: t.agency_ids,
    deadlineText: t.deadline_text, deadline: t.deadline, status: t.status, overdue: t.status !== 'done' && !!t.deadline && today > t.deadline, reports: t.reports, lastReport: t.last_report,
  };
}

const TASK_SELECT = `SELECT t.*, (SELECT count(*)::int FROM supervision_task_reports r WHERE r.task_id = t.id) AS reports,
  (SELECT r.text FROM supervision_task_reports r WHERE r.task_id = t.id ORDER BY r.created_at DESC LIMIT 1) AS last_report FROM supervision_tasks t`;

export async function listTasks(ctx: AppContext, actor: Actor) {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const params: unknown[] = [];
  const where = actor.role === 'system_admin' ? 'TRUE' : actor.role === 'supervisor' ? `t.region_code LIKE $${params.push(actor.jurisdiction)} || '%'` : `$${params.push(actor.agencyId)}::uuid = ANY(t.agency_ids)`;
  const { rows } = await ctx.db.query<TaskDbRow>(`${TASK_SELECT} WHERE ${where} ORDER BY t.source_doc, t.seq LIMIT 500`, params);
  const today = todayInShanghai();
  const items = rows.map((r) => view(r, today));
  return { items, total: items.length, done: items.filter((i) => i.status === 'done').length, overdue: items.filter((i) => i.overdue).length };
}

async function loadTask(ctx: AppContext, actor: Actor, id: string): Promise<TaskDbRow> {
  if (actor.kind !== 'user') throw forbidden('API 令牌无权访问执法监督数据。');
  const { rows } = await ctx.db.query<TaskDbRow>(`${TASK_SELECT} WHERE t.id = $1`, [id]);
  const t = rows[0];
  const sees = t && (actor.role === 'system_admin' || (actor.role === 'supervisor' && t.region_code.startsWith(actor.jurisdiction ?? '\u0000')) || t.agency_ids.includes(actor.agencyId));
  if (!sees) throw notFound('任务');
  return t;
}

export async function assignTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, agencyIds: string[]) {
  const t = await loadTask(ctx, actor, id);
  if (!isSupervisor(actor)) {
    await audit(ctx.db, req, { action: 'supervision.task_assign', outcome: 'denied', ...actorAudit(actor), detail: { taskId: id } });
    throw forbidden('只有执法监督人员可以分配任务。');
  }
  const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM agencies WHERE id = ANY($1::uuid[]) AND region_code LIKE $2 || '%'`, [agencyIds, t.region_code]);
  if (rows.length !== new Set(agencyIds).size) throw new AppError('validation', { detail: '责任单位不存在或不在本辖区。', errors: [{ field: 'agencyIds', message: '责任单位不存在或不在本辖区' }] });
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE supervision_tasks SET agency_ids = $2, updated_at = now() WHERE id = $1`, [id, [...new Set(agencyIds)]]);
    await recordChange(tx, { kind: 'supervision.task_assigned', agencyId: actor.agencyId, subjectType: 'task', subjectId: id, actorId: actor.id, data: { taskId: id, agencyIds } });
  });
  return view((await loadTask(ctx, actor, id)), todayInShanghai());
}

/** An assigned agency (head or administrator) reports progress; `done` closes the row. */
export async function reportTask(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, text: string, done: boolean) {
  const t = await loadTask(ctx, actor, id);
  if (!(t.agency_ids.includes(actor.agencyId) && (actor.role === 'agency_head' || actor.role === 'agency_admin'))) {
    await audit(ctx.db, req, { action: 'supervision.task_report', outcome: 'denied', ...actorAudit(actor), detail: { taskId: id } });
    throw forbidden('只有责任单位的负责人或管理员可以报告进展。');
  }
  const today = todayInShanghai();
  await ctx.db.transaction(async (tx) => {
    const { eventId } = await recordChange(tx, { kind: 'supervision.task_reported', agencyId: actor.agencyId, subjectType: 'task', subjectId: id, actorId: actor.id, data: { taskId: id, text, done, on: today } });
    await tx.query(`INSERT INTO supervision_task_reports (id, task_id, agency_id, on_date, text, done, event_id, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [crypto.randomUUID(), id, actor.agencyId, today, text, done, eventId, actor.id]);
    await tx.query(`UPDATE supervision_tasks SET status = $2, updated_at = now() WHERE id = $1`, [id, done ? 'done' : 'in_progress']);
  });
  return view(await loadTask(ctx, actor, id), today);
}
