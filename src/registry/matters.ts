// 执法事项清单 (R-P04) with its publicity workflow (R-P01): each matter of an agency is versioned data
// (code, name, kind, duty, legal basis, procedure, remedies, level, effective date, reason for the
// change). A version is drafted, submitted for review and published by the agency's head, who is
// named as the responsible person (谁执法谁公示); the published version's digest goes to the ledger.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import type { Actor } from '../platform/actor.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound, type FieldError } from '../platform/errors.ts';
import { recordChange, canonicalJson } from '../platform/changes.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { isUuid, todayInShanghai } from '../platform/validation.ts';
import { listDefinitions } from '../cases/procedures/index.ts';
import { readSheet } from './import.ts';
import * as policy from './policy.ts';

export const MATTER_KINDS = ['许可', '处罚', '强制', '检查', '征收', '确认', '其他'] as const;
export const MATTER_LEVELS = ['省级', '市级', '县级', '乡镇级'] as const;
export const REMEDY_CHANNELS = ['行政复议', '行政诉讼', '投诉举报', '申诉'] as const;

const text = (label: string, max: number) => z.string({ error: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`);
export const LegalBasis = z.object({
  law: text('法律名称', 100),
  article: text('条', 20),
  paragraph: z.string().trim().max(20, '款最多 20 字').optional(),
});
export const MatterInput = z.object({
  agencyId: z.uuid('机关编号格式不正确'),
  code: z.string().trim().regex(/^[A-Za-z0-9-]{2,40}$/, '事项编码应为 2–40 位字母、数字或连字符'),
  name: text('事项名称', 200),
  kind: z.enum(MATTER_KINDS, { error: `事项类别应为：${MATTER_KINDS.join('、')}` }),
  duty: z.string().trim().max(2000, '职责最多 2000 字').default(''),
  legalBasis: z.array(LegalBasis).min(1, '至少填写一项法律依据').max(20),
  procedureId: z.string().trim().max(60).nullable().default(null),
  remedies: z.array(z.enum(REMEDY_CHANNELS, { error: `救济途径应为：${REMEDY_CHANNELS.join('、')}` })).max(4).default(['行政复议', '行政诉讼']),
  level: z.enum(MATTER_LEVELS, { error: `层级应为：${MATTER_LEVELS.join('、')}` }),
  effectiveFrom: z.iso.date('生效日期格式应为 YYYY-MM-DD'),
  changeReason: z.string().trim().max(500, '调整原因最多 500 字').default(''),
});
export type MatterInput = z.infer<typeof MatterInput>;
export const PublishInput = z.object({ responsible: text('公示责任人', 50) });

export interface VersionRow {
  id: string; agency_id: string; agency_name: string; region_code: string; code: string; version: number; name: string; kind: string; duty: string;
  legal_basis: { law: string; article: string; paragraph?: string }[]; procedure_id: string | null; remedies: string[]; level: string;
  effective_from: string; change_reason: string; status: string; responsible: string | null; published_on: string | null; content_sha256: string | null;
}
const SELECT = `SELECT v.id, v.agency_id, a.name AS agency_name, a.region_code, v.code, v.version, v.name, v.kind, v.duty, v.legal_basis, v.procedure_id, v.remedies, v.level,
  v.effective_from::text AS effective_from, v.change_reason, v.status, v.responsible, v.published_on::text AS published_on, v.content_sha256
  FROM enforcement_matter_versions v JOIN agencies a ON a.id = v.agency_id`;

/** The text a published version commits to: what the portal shows, nothing internal. */
export function publicMatter(v: VersionRow) {
  return {
    code: v.code, name: v.name, kind: v.kind, agency: { id: v.agency_id, name: v.agency_name },
    legalBasis: v.legal_basis.map((b) => ({ law: b.law, article: b.article, ...(b.paragraph ? { paragraph: b.paragraph } : {}) })),
    procedureId: v.procedure_id, version: v.version, effectiveFrom: v.effective_from,
  };
}
export function staffMatter(v: VersionRow) {
  return { ...publicMatter(v), id: v.id, duty: v.duty, remedies: v.remedies, level: v.level, changeReason: v.change_reason, status: v.status, responsible: v.responsible, publishedOn: v.published_on, contentSha256: v.content_sha256 };
}
const digestOf = (v: VersionRow) => crypto.createHash('sha256').update(canonicalJson({ ...publicMatter(v), duty: v.duty, remedies: v.remedies, level: v.level, changeReason: v.change_reason }), 'utf8').digest('hex');

function checkProcedure(procedureId: string | null, errors: FieldError[], field: string) {
  if (procedureId && !listDefinitions().some((d) => d.id === procedureId)) errors.push({ field, message: `程序「${procedureId}」不存在，可选：${listDefinitions().map((d) => d.id).join('、')}` });
}

async function agencyOf(ctx: AppContext, q: Queryable, agencyId: string) {
  const { rows } = await q.query<{ id: string; region_code: string }>(`SELECT id, region_code FROM agencies WHERE id = $1`, [agencyId]);
  return rows[0];
}

/** Who drafts and submits an agency's list: its administrator and its head (R-P01). */
const canDraft = (actor: Actor, a: policy.AgencyRef) => actor.kind === 'user' && (actor.role === 'agency_admin' || actor.role === 'agency_head') && a.id === actor.agencyId;
/** Who publishes: the agency's head, named as the responsible person (谁执法谁公示). */
const canPublish = (actor: Actor, a: policy.AgencyRef) => actor.kind === 'user' && actor.role === 'agency_head' && a.id === actor.agencyId;

async function deny(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: Record<string, unknown>, message: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail });
  throw new AppError('forbidden', { detail: message });
}

/** The agency named in a body: unknown or out of the caller's read scope is a validation error naming agencyId. */
async function agencyForWrite(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, action: string) {
  const a = await agencyOf(ctx, ctx.db, agencyId);
  if (!a || !policy.canReadAgency(actor, a)) throw new AppError('validation', { detail: '机关不存在或不在权限范围内。', errors: [{ field: 'agencyId', message: '机关不存在或不在权限范围内' }] });
  if (!canDraft(actor, a)) await deny(ctx, req, actor, action, { agencyId }, '执法事项清单由本机关管理员或负责人起草');
  return a;
}

async function insertDraft(tx: Queryable, actor: Actor, m: MatterInput): Promise<string> {
  const open = await tx.query(`SELECT 1 FROM enforcement_matter_versions WHERE agency_id = $1 AND code = $2 AND status IN ('draft', 'review')`, [m.agencyId, m.code]);
  if (open.rows.length) throw new AppError('invalid_state', { detail: `事项 ${m.code} 已有待审核或起草中的版本，请先处理该版本。` });
  const { rows } = await tx.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM enforcement_matter_versions WHERE agency_id = $1 AND code = $2`, [m.agencyId, m.code]);
  const version = rows[0]!.v + 1;
  if (version > 1 && !m.changeReason) throw new AppError('validation', { detail: '调整已公布的事项须写明调整原因（动态调整）。', errors: [{ field: 'changeReason', message: '请填写调整原因' }] });
  const id = crypto.randomUUID();
  await tx.query(
    `INSERT INTO enforcement_matter_versions (id, agency_id, code, version, name, kind, duty, legal_basis, procedure_id, remedies, level, effective_from, change_reason, status, drafted_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10::jsonb,$11,$12,$13,'draft',$14)`,
    [id, m.agencyId, m.code, version, m.name, m.kind, m.duty, JSON.stringify(m.legalBasis), m.procedureId, JSON.stringify(m.remedies), m.level, m.effectiveFrom, m.changeReason, actor.id],
  );
  await recordChange(tx, { kind: 'registry.matter_drafted', agencyId: m.agencyId, subjectType: 'enforcement_matter', subjectId: id, actorId: actor.id, data: { ...m, version } });
  return id;
}

export async function createDraft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, m: MatterInput) {
  await agencyForWrite(ctx, req, actor, m.agencyId, 'registry.matter_draft');
  const errors: FieldError[] = [];
  checkProcedure(m.procedureId, errors, 'procedureId');
  if (errors.length) throw new AppError('validation', { detail: errors[0]!.message, errors });
  const id = await ctx.db.transaction((tx) => insertDraft(tx, actor, m));
  return getVersion(ctx, actor, id);
}

async function loadInScope(ctx: AppContext, actor: Actor, id: string, q: Queryable = ctx.db): Promise<VersionRow> {
  const { rows } = await q.query<VersionRow>(`${SELECT} WHERE v.id = $1`, [id]);
  const v = rows[0];
  if (!v || !policy.canReadAgency(actor, { id: v.agency_id, region_code: v.region_code })) throw notFound('执法事项');
  return v;
}

export async function getVersion(ctx: AppContext, actor: Actor, id: string) {
  return staffMatter(await loadInScope(ctx, actor, id));
}

export async function listForStaff(ctx: AppContext, actor: Actor, f: { agencyId?: string; status?: string; limit: number; offset: number }) {
  const params: unknown[] = [];
  const where = [policy.scopeSql(policy.readScope(actor), 'a', params)];
  if (f.agencyId) where.push(`v.agency_id = $${params.push(f.agencyId)}`);
  if (f.status) where.push(`v.status = $${params.push(f.status)}`);
  const { rows } = await ctx.db.query<VersionRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.name, v.code, v.version DESC LIMIT ${f.limit} OFFSET ${f.offset}`, params);
  return { items: rows.map(staffMatter) };
}

export async function submitForReview(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string) {
  const v = await loadInScope(ctx, actor, id);
  if (!canDraft(actor, { id: v.agency_id, region_code: v.region_code })) await deny(ctx, req, actor, 'registry.matter_submit', { id }, '执法事项清单由本机关管理员或负责人提交审核');
  return ctx.db.transaction(async (tx) => {
    const { affectedRows } = await tx.query(`UPDATE enforcement_matter_versions SET status = 'review', submitted_by = $2 WHERE id = $1 AND status = 'draft'`, [id, actor.id]);
    if (!affectedRows) throw new AppError('invalid_state', { detail: `该版本当前状态为「${v.status}」，只能提交起草中的版本` });
    await recordChange(tx, { kind: 'registry.matter_submitted', agencyId: v.agency_id, subjectType: 'enforcement_matter', subjectId: id, actorId: actor.id, data: { id, code: v.code, version: v.version } });
    return { id, status: 'review' };
  });
}

/** R-P01: the head publishes a reviewed version, named as responsible; its digest is committed to the ledger. */
export async function publish(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { responsible: string }) {
  const v = await loadInScope(ctx, actor, id);
  if (!canPublish(actor, { id: v.agency_id, region_code: v.region_code })) await deny(ctx, req, actor, 'registry.matter_publish', { id }, '执法事项清单由本机关负责人审核后公布（谁执法谁公示）');
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    if (v.status !== 'review') throw new AppError('invalid_state', { detail: `该版本当前状态为「${v.status}」，只能公布已提交审核的版本` });
    const digest = digestOf(v);
    const { affectedRows } = await tx.query(
      `UPDATE enforcement_matter_versions SET status = 'published', published_by = $2, responsible = $3, published_on = $4, content_sha256 = $5 WHERE id = $1 AND status = 'review'`,
      [id, actor.id, body.responsible, today, digest],
    );
    if (!affectedRows) throw new AppError('invalid_state', { detail: '该版本已被他人处理，请刷新' });
    await recordChange(tx, {
      kind: 'registry.matter_published', agencyId: v.agency_id, subjectType: 'enforcement_matter', subjectId: id, actorId: actor.id,
      data: { id, code: v.code, version: v.version, effectiveFrom: v.effective_from, responsible: body.responsible, publishedOn: today, contentSha256: digest },
      publicDigest: digest,
    });
    return { id, status: 'published', publishedOn: today, contentSha256: digest };
  });
}

// ---- public reading ----

export const PublicQuery = z.object({
  agency: z.string().trim().max(64, '机关最多 64 字').optional(),
  kind: z.enum(MATTER_KINDS, { error: `事项类别应为：${MATTER_KINDS.join('、')}` }).optional(),
  q: z.string().trim().max(50, '关键词最多 50 字').optional(),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, '翻页标记格式不正确').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type PublicQuery = z.infer<typeof PublicQuery>;

const encodeCursor = (v: VersionRow) => Buffer.from(JSON.stringify([v.agency_id, v.code])).toString('base64url');
function decodeCursor(c: string): [string, string] {
  try {
    const x = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && isUuid(x[0]) && typeof x[1] === 'string') return [x[0], x[1]];
  } catch {
    // fall through
  }
  throw new AppError('validation', { detail: '翻页标记格式不正确', errors: [{ field: 'cursor', message: '翻页标记格式不正确' }] });
}

/** The versions in force today: per agency and code, the newest published one already effective. */
export async function inForce(q: Queryable, f: PublicQuery, today = todayInShanghai()) {
  const params: unknown[] = [today];
  const where = [`v.status = 'published'`, `v.effective_from <= $1::date`];
  if (f.agency) {
    const p = params.push(f.agency);
    where.push(isUuid(f.agency) ? `v.agency_id = $${p}::uuid` : `(a.credit_code = upper($${p}) OR a.name = $${p})`);
  }
  const inner = `SELECT DISTINCT ON (v.agency_id, v.code) v.id FROM enforcement_matter_versions v JOIN agencies a ON a.id = v.agency_id WHERE ${where.join(' AND ')} ORDER BY v.agency_id, v.code, v.version DESC`;
  const outer: string[] = [];
  if (f.kind) outer.push(`v.kind = $${params.push(f.kind)}`);
  if (f.q) outer.push(`(v.name LIKE $${params.push('%' + f.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%')} OR v.code = $${params.push(f.q)})`);
  if (f.cursor) {
    const [agencyId, code] = decodeCursor(f.cursor);
    outer.push(`(v.agency_id, v.code) > ($${params.push(agencyId)}::uuid, $${params.push(code)})`);
  }
  const { rows } = await q.query<VersionRow>(
    `${SELECT} WHERE v.id IN (${inner})${outer.length ? ' AND ' + outer.join(' AND ') : ''} ORDER BY v.agency_id, v.code LIMIT ${f.limit + 1}`,
    params,
  );
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  return { rows: page, nextCursor: more ? encodeCursor(page.at(-1)!) : null };
}

export async function publicList(ctx: AppContext, f: PublicQuery) {
  const r = await inForce(ctx.db, f);
  return { items: r.rows.map(publicMatter), nextCursor: r.nextCursor };
}

/** Every published version of a code (history, R-P01), newest first. */
export async function publishedHistory(q: Queryable, agencyId: string, code: string): Promise<VersionRow[]> {
  const { rows } = await q.query<VersionRow>(`${SELECT} WHERE v.agency_id = $1 AND v.code = $2 AND v.status = 'published' ORDER BY v.version DESC`, [agencyId, code]);
  return rows;
}

// ---- XLSX import of an agency's 权责清单: whole file or nothing, every bad row named ----

export const MATTER_COLUMNS = ['事项编码', '事项名称', '事项类别', '职责', '法律依据', '执法程序', '救济途径', '层级', '生效日期', '调整原因'] as const;

/** 《中华人民共和国行政许可法》第二十九条第一款；《…》第5条 → [{law, article, paragraph}]. */
export function parseLegalBasis(s: string): { law: string; article: string; paragraph?: string }[] | null {
  const parts = s.split(/[；;\n]/).map((x) => x.trim()).filter(Boolean);
  const out: { law: string; article: string; paragraph?: string }[] = [];
  for (const p of parts) {
    const m = /^《([^》]{1,100})》\s*第([零一二三四五六七八九十百千0-9]{1,10})条(?:\s*第([零一二三四五六七八九十0-9]{1,6})款)?$/.exec(p);
    if (!m) return null;
    out.push({ law: m[1]!, article: `第${m[2]}条`, ...(m[3] ? { paragraph: `第${m[3]}款` } : {}) });
  }
  return out.length ? out : null;
}

export async function importMatters(ctx: AppContext, req: FastifyRequest | null, actor: Actor, agencyId: string, file: Buffer, filename: string) {
  await agencyForWrite(ctx, req, actor, agencyId, 'registry.matter_import');
  const sheet = await readSheet(file, filename);
  const index = new Map(sheet.headers.map((h, i) => [h.trim(), i]));
  const missing = MATTER_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) throw new AppError('import_invalid', { detail: `表头缺少列：${missing.join('、')}。`, errors: missing.map((m) => ({ field: '第1行', message: `缺少列「${m}」` })) });
  if (!sheet.rows.length) throw new AppError('import_invalid', { detail: '文件中没有数据行。', errors: [{ field: '第2行', message: '没有数据' }] });
  if (sheet.rows.length > 5000) throw new AppError('payload_too_large', { detail: `一次最多导入 5000 项，本文件有 ${sheet.rows.length} 行。` });
  const errors: FieldError[] = [];
  const inputs: MatterInput[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of sheet.rows) {
    const cell = (h: (typeof MATTER_COLUMNS)[number]) => cells[index.get(h)!] ?? '';
    const at = `第${line}行`;
    const basis = parseLegalBasis(cell('法律依据'));
    if (!basis) errors.push({ field: `${at}.法律依据`, message: '法律依据应写作《法律名称》第N条（第M款），多项以分号分隔' });
    const r = MatterInput.safeParse({
      agencyId, code: cell('事项编码'), name: cell('事项名称'), kind: cell('事项类别'), duty: cell('职责'), legalBasis: basis ?? [{ law: '-', article: '-' }],
      procedureId: cell('执法程序') || null, remedies: cell('救济途径') ? cell('救济途径').split(/[、,，]/).map((x) => x.trim()).filter(Boolean) : undefined,
      level: cell('层级'), effectiveFrom: cell('生效日期'), changeReason: cell('调整原因'),
    });
    if (!r.success) {
      for (const i of r.error.issues) errors.push({ field: `${at}.${i.path.map(String).join('.') || '(行)'}`, message: i.message });
      continue;
    }
    checkProcedure(r.data.procedureId, errors, `${at}.执法程序`);
    if (seen.has(r.data.code)) errors.push({ field: `${at}.事项编码`, message: `事项编码 ${r.data.code} 在文件中重复` });
    seen.add(r.data.code);
    inputs.push(r.data);
  }
  if (errors.length) throw new AppError('import_invalid', { detail: `共 ${errors.length} 处错误，未导入任何数据。`, errors });
  const ids = await ctx.db.transaction(async (tx) => {
    const out: string[] = [];
    for (const [i, m] of inputs.entries()) {
      try {
        out.push(await insertDraft(tx, actor, m));
      } catch (err) {
        if (err instanceof AppError) throw new AppError('import_invalid', { detail: `第${sheet.rows[i]!.line}行：${err.detail}；未导入任何数据。`, errors: [{ field: `第${sheet.rows[i]!.line}行`, message: err.detail }] });
        throw err;
      }
    }
    return out;
  });
  return { imported: ids.length, ids };
}

/** The version of one matter in force today, if any (other domains hang their lists on it: guides, boards). */
export async function matterInForce(q: Queryable, agencyId: string, code: string, today = todayInShanghai()): Promise<VersionRow | undefined> {
  const { rows } = await q.query<VersionRow>(
    `${SELECT} WHERE v.agency_id = $1 AND v.code = $2 AND v.status = 'published' AND v.effective_from <= $3::date ORDER BY v.version DESC LIMIT 1`,
    [agencyId, code, today],
  );
  return rows[0];
}
