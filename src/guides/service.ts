// 服务指南 (R-P07) for the licensing matters of the matter list (R-P04): every R-P07 field under a stable
// English key; drafts may be partial, publication by the agency's head (R-P01) refuses a guide missing any
// field and commits the published content's digest to the ledger. A new version supersedes the old one.
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
import { matterInForce } from '../registry/matters.ts';

/** R-P07, in its order: the stable English key and the Chinese label. */
export const GUIDE_FIELDS = {
  matterName: '事项名称', basis: '设定依据', acceptingBody: '受理机关', approvingBody: '决定机关', conditions: '申请条件',
  preferentialPolicies: '优惠政策', materials: '申请材料', procedure: '办理流程', timeLimit: '办理时限', fees: '收费标准',
  supervision: '监督方式', accountability: '责任追究', remedy: '救济途径', officeHours: '办公时间', address: '办理地点', phone: '咨询电话',
} as const;
export type GuideKey = keyof typeof GUIDE_FIELDS;

const t = (max: number) => z.string().trim().max(max, `最多 ${max} 字`);
export const GuideFields = z.strictObject({
  matterName: t(200), basis: t(2000), acceptingBody: t(200), approvingBody: t(200), conditions: t(5000), preferentialPolicies: t(2000),
  materials: z.array(z.strictObject({ name: t(200).min(1, '请填写材料名称'), copies: t(50).default('原件1份'), sample: t(5000).default('') })).max(50),
  procedure: t(5000), timeLimit: t(200), fees: t(500), supervision: t(1000), accountability: t(1000), remedy: t(1000), officeHours: t(200), address: t(200), phone: t(50),
}).partial();
export const DraftInput = z.object({ agencyId: z.uuid('机关编号格式不正确'), matterCode: z.string().trim().regex(/^[A-Za-z0-9-]{2,40}$/, '事项编码格式不正确'), fields: GuideFields });
export const PublishInput = z.object({ responsible: z.string().trim().min(1, '请填写公示责任人').max(50) });

/** The R-P07 fields a guide lacks (an empty list of materials counts as missing). */
export function missingFields(f: z.infer<typeof GuideFields>): GuideKey[] {
  return (Object.keys(GUIDE_FIELDS) as GuideKey[]).filter((k) => {
    const v = f[k];
    return Array.isArray(v) ? v.length === 0 : !v;
  });
}

interface Row { id: string; agency_id: string; agency_name: string; region_code: string; matter_code: string; version: number; status: string; fields: z.infer<typeof GuideFields>; responsible: string | null; published_on: string | null; content_sha256: string | null }
const SELECT = `SELECT g.id, g.agency_id, a.name AS agency_name, a.region_code, g.matter_code, g.version, g.status, g.fields, g.responsible, g.published_on::text AS published_on, g.content_sha256
  FROM service_guides g JOIN agencies a ON a.id = g.agency_id`;

export function publicGuide(r: Row) {
  const f = r.fields;
  return {
    id: r.id, agency: { id: r.agency_id, name: r.agency_name }, matterCode: r.matter_code, version: r.version, publishedOn: r.published_on,
    ...Object.fromEntries((Object.keys(GUIDE_FIELDS) as GuideKey[]).map((k) => [k, f[k] ?? (k === 'materials' ? [] : '')])),
  };
}
const staffGuide = (r: Row) => ({ ...publicGuide(r), status: r.status, responsible: r.responsible, contentSha256: r.content_sha256, missing: missingFields(r.fields) });

const canWrite = (actor: Actor, agencyId: string, publish: boolean) => actor.kind === 'user' && actor.agencyId === agencyId && (actor.role === 'agency_head' || (!publish && actor.role === 'agency_admin'));

async function deny(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: Record<string, unknown>, message: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail });
  throw new AppError('forbidden', { detail: message });
}

async function load(q: Queryable, id: string): Promise<Row | undefined> {
  return (await q.query<Row>(`${SELECT} WHERE g.id = $1`, [id])).rows[0];
}
async function loadInScope(ctx: AppContext, actor: Actor, id: string) {
  const r = await load(ctx.db, id);
  if (!r || !registryPolicy.canReadAgency(actor, { id: r.agency_id, region_code: r.region_code })) throw notFound('服务指南');
  return r;
}

export async function draft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof DraftInput>) {
  const { rows } = await ctx.db.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies WHERE id = $1`, [input.agencyId]);
  if (!rows[0] || !registryPolicy.canReadAgency(actor, rows[0])) throw new AppError('validation', { detail: '机关不存在或不在权限范围内。', errors: [{ field: 'agencyId', message: '机关不存在或不在权限范围内' }] });
  if (!canWrite(actor, input.agencyId, false)) await deny(ctx, req, actor, 'guides.draft', { ...input, fields: undefined }, '服务指南由本机关管理员或负责人起草');
  const matter = await matterInForce(ctx.db, input.agencyId, input.matterCode);
  if (!matter || matter.kind !== '许可') throw new AppError('validation', { detail: '服务指南只能为本机关现行执法事项清单中的许可事项编制。', errors: [{ field: 'matterCode', message: '不是现行的许可事项' }] });
  const fields = { matterName: matter.name, basis: matter.legal_basis.map((b) => `《${b.law}》${b.article}${b.paragraph ?? ''}`).join('；'), remedy: matter.remedies.join('、'), ...input.fields };
  return ctx.db.transaction(async (tx) => {
    const open = await tx.query<{ id: string }>(`SELECT id FROM service_guides WHERE agency_id = $1 AND matter_code = $2 AND status = 'draft'`, [input.agencyId, input.matterCode]);
    let id = open.rows[0]?.id;
    if (id) await tx.query(`UPDATE service_guides SET fields = $2::jsonb, drafted_by = $3 WHERE id = $1`, [id, JSON.stringify(fields), actor.id]);
    else {
      id = crypto.randomUUID();
      const v = await tx.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM service_guides WHERE agency_id = $1 AND matter_code = $2`, [input.agencyId, input.matterCode]);
      await tx.query(`INSERT INTO service_guides (id, agency_id, matter_code, version, status, fields, drafted_by) VALUES ($1,$2,$3,$4,'draft',$5::jsonb,$6)`, [id, input.agencyId, input.matterCode, v.rows[0]!.v + 1, JSON.stringify(fields), actor.id]);
    }
    await recordChange(tx, { kind: 'guides.drafted', agencyId: input.agencyId, subjectType: 'service_guide', subjectId: id, actorId: actor.id, data: { id, matterCode: input.matterCode, fields } });
    return staffGuide((await load(tx, id))!);
  });
}

export async function get(ctx: AppContext, actor: Actor, id: string) {
  return staffGuide(await loadInScope(ctx, actor, id));
}

/** R-P07 + R-P01: the head publishes a complete guide; the version it replaces is superseded. */
export async function publish(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { responsible: string }) {
  const r = await loadInScope(ctx, actor, id);
  if (!canWrite(actor, r.agency_id, true)) await deny(ctx, req, actor, 'guides.publish', { id }, '服务指南由本机关负责人审核后公布（谁执法谁公示）');
  if (r.status !== 'draft') throw new AppError('invalid_state', { detail: '只能公布草稿' });
  const missing = missingFields(r.fields);
  if (missing.length) {
    throw new AppError('validation', { detail: `服务指南缺少以下内容，不能公布：${missing.map((k) => GUIDE_FIELDS[k]).join('、')}`, errors: missing.map((k) => ({ field: `fields.${k}`, message: `请填写${GUIDE_FIELDS[k]}` })) });
  }
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const content = publicGuide({ ...r, published_on: today, status: 'published' });
    const digest = crypto.createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
    await tx.query(`UPDATE service_guides SET status = 'superseded' WHERE agency_id = $1 AND matter_code = $2 AND status = 'published'`, [r.agency_id, r.matter_code]);
    const { affectedRows } = await tx.query(`UPDATE service_guides SET status = 'published', published_by = $2, responsible = $3, published_on = $4, content_sha256 = $5 WHERE id = $1 AND status = 'draft'`, [id, actor.id, body.responsible, today, digest]);
    if (!affectedRows) throw new AppError('invalid_state', { detail: '该指南已被他人处理，请刷新' });
    await recordChange(tx, { kind: 'guides.published', agencyId: r.agency_id, subjectType: 'service_guide', subjectId: id, actorId: actor.id, data: { id, version: r.version, responsible: body.responsible, publishedOn: today, contentSha256: digest }, publicDigest: digest });
    return { id, status: 'published', publishedOn: today, contentSha256: digest };
  });
}

export const PublicQuery = z.object({ agency: z.uuid('机关编号格式不正确').optional() });
export async function publicList(q: Queryable, f: z.infer<typeof PublicQuery>) {
  const params: unknown[] = [];
  const where = [`g.status = 'published'`];
  if (f.agency) where.push(`g.agency_id = $${params.push(f.agency)}::uuid`);
  return (await q.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.name, g.matter_code LIMIT 500`, params)).rows;
}
export async function publicGet(q: Queryable, id: string) {
  const r = await load(q, id);
  if (!r || r.status !== 'published') throw notFound('服务指南');
  return r;
}
