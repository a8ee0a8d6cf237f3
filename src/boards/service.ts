// 岗位信息公示牌 (R-P10): for each service window the staff on duty, unit, post, category, duties, sample
// materials, the progress-lookup QR and the consultation and complaint channels. Publicity workflow
// (R-P01): the agency's administrator or head drafts, submits for review, the head publishes with the
// responsible person recorded (谁执法谁公示); the published content's digest goes to the ledger (as the
// matter list does, src/registry/matters.ts) and every version is kept; the one in force is the latest
// published, the one before is superseded.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { recordChange, canonicalJson } from '../platform/changes.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registryPolicy from '../registry/policy.ts';

/** R-P10, in print order: the stable English key and the Chinese label. */
export const BOARD_FIELDS = {
  staffName: '工作人员', unit: '所在单位', post: '岗位', category: '岗位类别', duties: '岗位职责',
  sampleMaterials: '示范材料', consultation: '咨询渠道', complaint: '投诉渠道',
} as const;
export type BoardKey = keyof typeof BOARD_FIELDS;

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s) && s.isWellFormed();
const t = (label: string, max: number) => z.string({ error: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`).refine(noControl, `${label}含有不允许的字符`);
export const BoardFields = z.strictObject({
  staffName: t('工作人员姓名', 50), unit: t('所在单位', 100), post: t('岗位', 100), category: t('岗位类别', 50), duties: t('岗位职责', 2000),
  sampleMaterials: z.array(z.strictObject({ name: t('示范材料名称', 200), sample: z.string().trim().max(2000).refine(noControl, '示范内容含有不允许的字符').default('') })).min(1, '请至少列出一项示范材料').max(30, '示范材料最多 30 项'),
  consultation: t('咨询渠道', 200), complaint: t('投诉渠道', 200),
});
export type BoardFields = z.infer<typeof BoardFields>;
export const DraftInput = z.object({ agencyId: z.uuid('机关编号格式不正确'), window: z.string().trim().regex(/^[A-Za-z0-9\u4e00-\u9fa5-]{1,20}$/, '窗口编号为 1 至 20 位字母、数字、汉字或 -'), fields: BoardFields });
export type DraftInput = z.infer<typeof DraftInput>;
export const PublishInput = z.object({ responsible: t('公示责任人', 50) });
export const ListQuery = z.object({ agencyId: z.uuid('机关编号格式不正确').optional() });
export const PublicQuery = z.object({ agency: z.uuid('机关编号格式不正确').optional() });

interface Row { id: string; agency_id: string; agency_name: string; region_code: string; window_code: string; version: number; status: string; fields: BoardFields; responsible: string | null; published_on: string | null; content_sha256: string | null }
const SELECT = `SELECT b.id, b.agency_id, a.name AS agency_name, a.region_code, b.window_code, b.version, b.status, b.fields, b.responsible, b.published_on::text AS published_on, b.content_sha256
  FROM post_boards b JOIN agencies a ON a.id = b.agency_id`;

/** What the board shows and the ledger commits to: nothing internal (no drafter, no account ids). */
export function publicBoard(r: Row) {
  return { id: r.id, agency: { id: r.agency_id, name: r.agency_name }, window: r.window_code, version: r.version, publishedOn: r.published_on, responsible: r.responsible, ...r.fields };
}
const staffBoard = (r: Row) => ({ ...publicBoard(r), status: r.status, contentSha256: r.content_sha256 });

const canDraft = (actor: Actor, agencyId: string) => actor.kind === 'user' && actor.agencyId === agencyId && (actor.role === 'agency_admin' || actor.role === 'agency_head');
const canPublish = (actor: Actor, agencyId: string) => actor.kind === 'user' && actor.agencyId === agencyId && actor.role === 'agency_head';

async function deny(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: Record<string, unknown>, message: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail });
  throw new AppError('forbidden', { detail: message });
}
async function load(q: Queryable, id: string): Promise<Row | undefined> {
  return (await q.query<Row>(`${SELECT} WHERE b.id = $1`, [id])).rows[0];
}
async function loadInScope(ctx: AppContext, actor: Actor, id: string) {
  const r = await load(ctx.db, id);
  if (!r || !registryPolicy.canReadAgency(actor, { id: r.agency_id, region_code: r.region_code })) throw notFound('岗位信息公示牌');
  return r;
}

/** Drafts a window's board, or rewrites its open draft (a board in review is changed by a new draft after it). */
export async function draft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: DraftInput) {
  const { rows } = await ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies WHERE id = $1`, [input.agencyId]);
  if (!rows[0] || !registryPolicy.canReadAgency(actor, rows[0])) throw new AppError('validation', { detail: '机关不存在或不在权限范围内。', errors: [{ field: 'agencyId', message: '机关不存在或不在权限范围内' }] });
  if (!canDraft(actor, input.agencyId)) await deny(ctx, req, actor, 'boards.draft', { agencyId: input.agencyId, window: input.window }, '岗位信息公示牌由本机关管理员或负责人编制');
  return ctx.db.transaction(async (tx) => {
    // One version number per window at a time: concurrent drafts of the same window queue here.
    await tx.query(`SELECT pg_advisory_xact_lock(727041, hashtext($1))`, [`${input.agencyId}/${input.window}`]);
    const open = await tx.query<{ id: string; status: string }>(`SELECT id, status FROM post_boards WHERE agency_id = $1 AND window_code = $2 AND status IN ('draft', 'review')`, [input.agencyId, input.window]);
    if (open.rows[0]?.status === 'review') throw new AppError('invalid_state', { detail: '该窗口的公示牌正在审核中，请待负责人公布或退回后再修改。' });
    let id = open.rows[0]?.id;
    if (id) await tx.query(`UPDATE post_boards SET fields = $2::jsonb, drafted_by = $3 WHERE id = $1`, [id, JSON.stringify(input.fields), actor.id]);
    else {
      id = crypto.randomUUID();
      const v = await tx.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM post_boards WHERE agency_id = $1 AND window_code = $2`, [input.agencyId, input.window]);
      await tx.query(`INSERT INTO post_boards (id, agency_id, window_code, version, status, fields, drafted_by) VALUES ($1,$2,$3,$4,'draft',$5::jsonb,$6)`, [id, input.agencyId, input.window, v.rows[0]!.v + 1, JSON.stringify(input.fields), actor.id]);
    }
    await recordChange(tx, { kind: 'boards.drafted', agencyId: input.agencyId, subjectType: 'post_board', subjectId: id, actorId: actor.id, data: { id, window: input.window, fields: input.fields } });
    return staffBoard((await load(tx, id))!);
  });
}

export async function get(ctx: AppContext, actor: Actor, id: string) {
  return staffBoard(await loadInScope(ctx, actor, id));
}

export async function listForStaff(ctx: AppContext, actor: Actor, q: z.infer<typeof ListQuery>) {
  const agencyId = q.agencyId ?? actor.agencyId;
  if (!agencyId) return { items: [] };
  const { rows: ag } = await ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies WHERE id = $1`, [agencyId]);
  if (!ag[0] || !registryPolicy.canReadAgency(actor, ag[0])) throw notFound('机关');
  const { rows } = await ctx.db.query<Row>(`${SELECT} WHERE b.agency_id = $1 ORDER BY b.window_code, b.version DESC LIMIT 500`, [agencyId]);
  return { items: rows.map(staffBoard) };
}

export async function submitForReview(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string) {
  const r = await loadInScope(ctx, actor, id);
  if (!canDraft(actor, r.agency_id)) await deny(ctx, req, actor, 'boards.submit', { id }, '岗位信息公示牌由本机关管理员或负责人提交审核');
  return ctx.db.transaction(async (tx) => {
    const { affectedRows } = await tx.query(`UPDATE post_boards SET status = 'review', submitted_by = $2 WHERE id = $1 AND status = 'draft'`, [id, actor.id]);
    if (!affectedRows) throw new AppError('invalid_state', { detail: '只能提交起草中的公示牌。' });
    await recordChange(tx, { kind: 'boards.submitted', agencyId: r.agency_id, subjectType: 'post_board', subjectId: id, actorId: actor.id, data: { id, window: r.window_code, version: r.version } });
    return { id, status: 'review' };
  });
}

/** R-P10 + R-P01: the head publishes a reviewed board; the version it replaces is superseded, kept in the history. */
export async function publish(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { responsible: string }) {
  const r = await loadInScope(ctx, actor, id);
  if (!canPublish(actor, r.agency_id)) await deny(ctx, req, actor, 'boards.publish', { id }, '岗位信息公示牌由本机关负责人审核后公布（谁执法谁公示）');
  if (r.status !== 'review') throw new AppError('invalid_state', { detail: `该公示牌当前状态为「${STATUS_LABELS[r.status] ?? r.status}」，只能公布已提交审核的版本。` });
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const content = publicBoard({ ...r, published_on: today, responsible: body.responsible });
    const digest = crypto.createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
    await tx.query(`UPDATE post_boards SET status = 'superseded' WHERE agency_id = $1 AND window_code = $2 AND status = 'published'`, [r.agency_id, r.window_code]);
    const { affectedRows } = await tx.query(`UPDATE post_boards SET status = 'published', published_by = $2, responsible = $3, published_on = $4, content_sha256 = $5 WHERE id = $1 AND status = 'review'`, [id, actor.id, body.responsible, today, digest]);
    if (!affectedRows) throw new AppError('invalid_state', { detail: '该公示牌已被他人处理，请刷新。' });
    await recordChange(tx, { kind: 'boards.published', agencyId: r.agency_id, subjectType: 'post_board', subjectId: id, actorId: actor.id, data: { id, window: r.window_code, version: r.version, responsible: body.responsible, publishedOn: today, contentSha256: digest }, publicDigest: digest });
    return { id, status: 'published', publishedOn: today, contentSha256: digest };
  });
}

export const STATUS_LABELS: Record<string, string> = { draft: '起草中', review: '待审核', published: '现行', superseded: '已替代' };

/** The boards in force (latest published per window). */
export async function publicList(q: Queryable, f: z.infer<typeof PublicQuery>) {
  const params: unknown[] = [];
  const where = [`b.status = 'published'`];
  if (f.agency) where.push(`b.agency_id = $${params.push(f.agency)}::uuid`);
  return (await q.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.name, b.window_code LIMIT 500`, params)).rows;
}
/** A published version (in force or superseded), with every published version of its window. */
export async function publicGet(q: Queryable, id: string) {
  const r = await load(q, id);
  if (!r || (r.status !== 'published' && r.status !== 'superseded')) throw notFound('岗位信息公示牌');
  const { rows: history } = await q.query<Row>(`${SELECT} WHERE b.agency_id = $1 AND b.window_code = $2 AND b.status IN ('published', 'superseded') ORDER BY b.version DESC`, [r.agency_id, r.window_code]);
  return { row: r, history };
}
