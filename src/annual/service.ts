// 统计年报 (R-P16): drafted from the data for a year and an agency or a jurisdiction (region prefix), checked
// and published by the head with its narrative by 31 January; published figures are frozen and committed
// to the ledger. Supervisors see the reports of their jurisdiction and which are overdue.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { recordChange, canonicalJson } from '../platform/changes.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { caseLabels } from '../cases/annual-facts.ts';
import { compute, computeFigures, FIGURE_LABELS, type Figures } from './figures.ts';

export const DraftInput = z.object({
  year: z.number().int().min(2000).max(2100),
  agencyId: z.uuid('机关编号格式不正确').optional(),
  region: z.string().regex(/^[0-9]{2,6}$/, '行政区划前缀应为 2–6 位数字').optional(),
}).refine((x) => !!x.agencyId !== !!x.region, { message: '请指定机关（agencyId）或行政区划（region）之一', path: ['agencyId'] });
export const PublishInput = z.object({ narrative: z.string().trim().min(1, '请填写情况说明').max(20_000, '情况说明最多 20000 字') });

export interface ReportRow {
  id: string; year: number; agency_id: string | null; agency_name: string | null; region: string; owner_agency_id: string; status: string;
  figures: Figures; narrative: string; published_on: string | null; content_sha256: string | null; updated_at: Date;
}
const SELECT = `SELECT r.id, r.year, r.agency_id, a.name AS agency_name, r.region, r.owner_agency_id, r.status, r.figures, r.narrative, r.published_on::text AS published_on, r.content_sha256, r.updated_at
  FROM annual_reports r LEFT JOIN agencies a ON a.id = r.agency_id`;

/** The published report as the public API and the XLSX answer it (same figure keys). */
export function publicReport(r: ReportRow) {
  return { id: r.id, year: r.year, agency: r.agency_id ? { id: r.agency_id, name: r.agency_name! } : null, region: r.region, publishedOn: r.published_on, figures: r.figures };
}
export function staffReport(r: ReportRow) {
  return { ...publicReport(r), status: r.status, narrative: r.narrative, contentSha256: r.content_sha256, due: `${r.year + 1}-01-31` };
}

/** Who sees a report: its agency's staff, supervisors whose jurisdiction covers its region, the system administrator. */
function canRead(actor: Actor, r: { agency_id: string | null; region: string }): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.role === 'system_admin') return true;
  if (actor.role === 'supervisor' && actor.jurisdiction) return r.region.startsWith(actor.jurisdiction);
  return r.agency_id !== null && r.agency_id === actor.agencyId;
}
/** Who drafts and publishes: an agency's head (its report); a supervisor for a jurisdiction within its own. */
function canWrite(actor: Actor, r: { agency_id: string | null; region: string }, publish: boolean): boolean {
  if (actor.kind !== 'user') return false;
  if (r.agency_id) return r.agency_id === actor.agencyId && (actor.role === 'agency_head' || (!publish && actor.role === 'agency_admin'));
  return (actor.role === 'supervisor' && !!actor.jurisdiction && r.region.startsWith(actor.jurisdiction)) || actor.role === 'system_admin';
}

async function deny(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: Record<string, unknown>, message: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail });
  throw new AppError('forbidden', { detail: message });
}

async function load(q: Queryable, id: string): Promise<ReportRow | undefined> {
  return (await q.query<ReportRow>(`${SELECT} WHERE r.id = $1`, [id])).rows[0];
}
/** Reports are people's work (drafted, checked, signed off): API tokens neither read nor write them. */
function userOnly(actor: Actor) {
  if (actor.kind !== 'user') throw forbidden('统计年报仅供登录用户办理');
}

async function loadInScope(ctx: AppContext, actor: Actor, id: string): Promise<ReportRow> {
  userOnly(actor);
  const r = await load(ctx.db, id);
  if (!r || !canRead(actor, r)) throw notFound('统计年报');
  return r;
}

/** Draft (or redraft, recomputing the figures) the report of a year for an agency or a jurisdiction. */
export async function draft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof DraftInput>) {
  userOnly(actor);
  let target: { agency_id: string | null; region: string };
  if (input.agencyId) {
    const { rows } = await ctx.db.query<{ region_code: string }>(`SELECT region_code FROM agencies WHERE id = $1`, [input.agencyId]);
    const a = rows[0];
    target = { agency_id: input.agencyId, region: a?.region_code ?? '' };
    if (!a || !canRead(actor, target)) throw new AppError('validation', { detail: '机关不存在或不在权限范围内。', errors: [{ field: 'agencyId', message: '机关不存在或不在权限范围内' }] });
  } else {
    target = { agency_id: null, region: input.region! };
    if (!canRead(actor, target)) throw new AppError('validation', { detail: '行政区划不在权限范围内。', errors: [{ field: 'region', message: '行政区划不在权限范围内' }] });
  }
  if (!canWrite(actor, target, false)) await deny(ctx, req, actor, 'annual.draft', { ...input }, '统计年报由本机关负责人（或管理员）起草，辖区年报由司法行政机关起草');
  if (input.year >= Number(todayInShanghai().slice(0, 4))) throw new AppError('validation', { detail: '只能起草已结束年度的统计年报。', errors: [{ field: 'year', message: '年度尚未结束' }] });
  const figures = await computeFigures(ctx.db, { year: input.year, agencyId: target.agency_id, regionPrefix: target.agency_id ? null : target.region });
  return ctx.db.transaction(async (tx) => {
    const existing = (await tx.query<{ id: string; status: string }>(
      `SELECT id, status FROM annual_reports WHERE year = $1 AND coalesce(agency_id::text, region) = $2 ORDER BY status DESC`,
      [input.year, target.agency_id ?? target.region],
    )).rows;
    if (existing.some((e) => e.status === 'published')) throw new AppError('invalid_state', { detail: `${input.year} 年度统计年报已公布，不能重新起草。` });
    const id = existing[0]?.id ?? crypto.randomUUID();
    if (existing[0]) await tx.query(`UPDATE annual_reports SET figures = $2::jsonb, drafted_by = $3, updated_at = now() WHERE id = $1`, [id, JSON.stringify(figures), actor.id]);
    else {
      await tx.query(
        `INSERT INTO annual_reports (id, year, agency_id, region, owner_agency_id, status, figures, drafted_by) VALUES ($1,$2,$3,$4,$5,'draft',$6::jsonb,$7)`,
        [id, input.year, target.agency_id, target.region, target.agency_id ?? actor.agencyId, JSON.stringify(figures), actor.id],
      );
    }
    await recordChange(tx, { kind: 'annual.drafted', agencyId: target.agency_id ?? actor.agencyId, subjectType: 'annual_report', subjectId: id, actorId: actor.id, data: { id, year: input.year, region: target.region, figures } });
    return staffReport((await load(tx, id))!);
  });
}

export async function get(ctx: AppContext, actor: Actor, id: string) {
  return staffReport(await loadInScope(ctx, actor, id));
}

/** Cases a figure counts, for those who see the report (numbers and titles only). */
export async function drill(ctx: AppContext, actor: Actor, id: string, figure: string) {
  const r = await loadInScope(ctx, actor, id);
  if (!(figure in FIGURE_LABELS)) throw new AppError('validation', { detail: `没有此项指标：${figure}`, errors: [{ field: 'figure', message: '没有此项指标' }] });
  const { cases } = await compute(ctx.db, { year: r.year, agencyId: r.agency_id, regionPrefix: r.agency_id ? null : r.region });
  const ids = [...new Set(cases[figure] ?? [])];
  return { figure, label: FIGURE_LABELS[figure], items: (await caseLabels(ctx.db, ids.slice(0, 500))).map(({ id: caseId, number, title }) => ({ id: caseId, number, title })), total: ids.length };
}

/** The head checks the draft, adds the narrative and publishes; the figures are frozen and go to the ledger. */
export async function publish(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { narrative: string }) {
  const r = await loadInScope(ctx, actor, id);
  if (!canWrite(actor, r, true)) await deny(ctx, req, actor, 'annual.publish', { id }, '统计年报由本机关负责人审定公布');
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    if (r.status !== 'draft') throw new AppError('invalid_state', { detail: '该统计年报已公布' });
    const published = { ...publicReport({ ...r, published_on: today }), narrative: body.narrative };
    const digest = crypto.createHash('sha256').update(canonicalJson(published), 'utf8').digest('hex');
    const { affectedRows } = await tx.query(
      `UPDATE annual_reports SET status = 'published', narrative = $2, published_by = $3, published_on = $4, content_sha256 = $5, updated_at = now() WHERE id = $1 AND status = 'draft'`,
      [id, body.narrative, actor.id, today, digest],
    );
    if (!affectedRows) throw new AppError('invalid_state', { detail: '该统计年报已公布' });
    await recordChange(tx, {
      kind: 'annual.published', agencyId: r.agency_id ?? r.owner_agency_id, subjectType: 'annual_report', subjectId: id, actorId: actor.id,
      data: { id, year: r.year, region: r.region, publishedOn: today, contentSha256: digest, late: today > `${r.year + 1}-01-31` }, publicDigest: digest,
    });
    return { id, status: 'published', publishedOn: today, contentSha256: digest };
  });
}

/**
 * The reports of a year in the caller's scope, and the enforcement agencies that have none published
 * (overdue after 31 January, shown on the supervisor's page).
 */
export async function listForStaff(ctx: AppContext, actor: Actor, year: number) {
  userOnly(actor);
  const params: unknown[] = [year];
  let scope = 'TRUE';
  if (actor.role === 'supervisor' && actor.jurisdiction) scope = `a.region_code LIKE $${params.push(actor.jurisdiction)} || '%'`;
  else if (actor.role !== 'system_admin') scope = `a.id = $${params.push(actor.agencyId)}::uuid`;
  const { rows } = await ctx.db.query<{ id: string; name: string; report_id: string | null; status: string | null; published_on: string | null }>(
    `SELECT a.id, a.name, r.id AS report_id, r.status, r.published_on::text AS published_on FROM agencies a
       LEFT JOIN LATERAL (SELECT id, status, published_on FROM annual_reports WHERE agency_id = a.id AND year = $1 ORDER BY status DESC LIMIT 1) r ON TRUE
      WHERE a.kind = 'enforcement' AND ${scope} ORDER BY a.name`,
    params,
  );
  const due = `${year + 1}-01-31`;
  const overdue = todayInShanghai() > due;
  const regional = actor.role === 'supervisor' || actor.role === 'system_admin'
    ? (await ctx.db.query<ReportRow>(`${SELECT} WHERE r.agency_id IS NULL AND r.year = $1`, [year])).rows.filter((r) => canRead(actor, r)).map(staffReport)
    : [];
  return {
    year, due,
    agencies: rows.map((r) => ({ agency: { id: r.id, name: r.name }, reportId: r.report_id, status: r.status ?? 'missing', publishedOn: r.published_on, overdue: overdue && r.status !== 'published' })),
    regional,
  };
}

// ---- public ----
export const PublicQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  agency: z.uuid('机关编号格式不正确').optional(),
});

export async function publicList(q: Queryable, f: z.infer<typeof PublicQuery>) {
  const params: unknown[] = [];
  const where = [`r.status = 'published'`];
  if (f.year) where.push(`r.year = $${params.push(f.year)}`);
  if (f.agency) where.push(`r.agency_id = $${params.push(f.agency)}::uuid`);
  const { rows } = await q.query<ReportRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.year DESC, r.agency_id NULLS FIRST, a.name LIMIT 500`, params);
  return rows;
}

export async function publicGet(q: Queryable, id: string): Promise<ReportRow> {
  const r = await load(q, id);
  if (!r || r.status !== 'published') throw notFound('统计年报');
  return r;
}
