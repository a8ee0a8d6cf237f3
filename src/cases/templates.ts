// The document template registry (R-R02, issue 16). Order of precedence: an agency's own adaptation
// of a format (a new version, kept); else the State Council department's system-wide set for the
// area of enforcement where one exists; else the 司法部 basic formats (行政执法文书基本格式). Each is
// versioned with its source; a case document keeps (pins) the version it was made under, and later
// documents of the same type in the case keep that version too, whatever is published afterwards.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import * as registry from '../registry/service.ts';
import { actorUserId, denied } from './access.ts';
import { hasForm } from './document-render.ts';
import { DOCUMENTS, FORMS, isForm } from './documents/index.ts';
import * as policy from './policy.ts';
import { documentName } from './procedures/index.ts';

export type TemplateTier = 'agency' | 'ministry' | 'moj';

/** A built-in set of formats, versioned with its legal source. */
interface TemplateSet {
  id: string;
  tier: 'ministry' | 'moj';
  issuer: string;
  /** Area of enforcement (cases.matter_category) the set is system-wide for; absent: every area. */
  category?: string;
  /** Document types it gives a format for; absent: every type. */
  types?: readonly string[];
  versions: readonly { version: number; source: string; effectiveFrom: string }[];
}

const PENALTY_TYPES = [
  'case_source_record', 'filing_approval', 'no_filing_approval', 'case_dismissal_approval', 'inspection_record', 'inquiry_record', 'sampling_record',
  'evidence_preservation_notice', 'preservation_disposal_decision', 'investigation_report', 'prior_notice', 'statement_record', 'hearing_application',
  'hearing_waiver', 'hearing_notice', 'hearing_record', 'hearing_report', 'review_opinion', 'collective_discussion_record', 'penalty_decision',
  'no_penalty_decision', 'onsite_penalty_decision', 'case_transfer', 'service_receipt', 'enforcement_notice', 'court_enforcement_application',
  'execution_record', 'closing_approval', 'seizure_decision', 'seizure_list', 'seizure_record', 'release_decision', 'seizure_extension_decision',
  'case_file_cover', 'case_file_index',
] as const;

export const TEMPLATE_SETS: readonly TemplateSet[] = [
  {
    id: 'samr-penalty', tier: 'ministry', issuer: '国家市场监督管理总局', category: '市场监管', types: PENALTY_TYPES,
    versions: [{ version: 1, source: '《市场监督管理行政处罚文书格式范本（2021年修订版）》（市场监管总局）', effectiveFrom: '2021-07-15' }],
  },
  {
    id: 'moj-basic', tier: 'moj', issuer: '司法部',
    versions: [{ version: 1, source: '司法部行政执法文书基本格式（行政处罚、行政许可、行政检查、行政强制），各地结合实际细化适用', effectiveFrom: '2019-01-03' }],
  },
];

/** What a document was made under: pinned on the document (case_documents.template). */
export interface TemplatePin {
  tier: TemplateTier;
  set: string;
  version: number;
  source: string;
  /** An agency's adaptation: its row and version. */
  adaptationId?: string;
  localText?: string;
}

interface AdaptationRow {
  id: string;
  agency_id: string;
  type: string;
  version: number;
  based_on: string;
  source: string;
  local_text: string;
  note: string;
  effective_from: string;
  created_at: Date;
}

const COLS = 'id, agency_id, type, version, based_on, source, local_text, note, effective_from::text AS effective_from, created_at';

function builtinFor(type: string, category: string | undefined, on: string): TemplatePin {
  for (const s of TEMPLATE_SETS) {
    if (s.category && s.category !== category) continue;
    if (s.types && !s.types.includes(type)) continue;
    const v = [...s.versions].filter((x) => x.effectiveFrom <= on).at(-1);
    if (v) return { tier: s.tier, set: s.id, version: v.version, source: v.source };
  }
  const moj = TEMPLATE_SETS.at(-1)!;
  return { tier: 'moj', set: moj.id, version: moj.versions[0]!.version, source: moj.versions[0]!.source };
}

async function adaptationInForce(q: Queryable, agencyId: string, type: string, on: string): Promise<AdaptationRow | undefined> {
  return (await q.query<AdaptationRow>(`SELECT ${COLS} FROM document_templates WHERE agency_id = $1 AND type = $2 AND effective_from <= $3 ORDER BY effective_from DESC, version DESC LIMIT 1`, [agencyId, type, on])).rows[0];
}

/** The template that applies, in order of precedence: the agency's adaptation, the ministry's set, 司法部. */
export async function resolveTemplate(q: Queryable, agencyId: string, category: string | undefined, type: string, on: string): Promise<TemplatePin> {
  const a = await adaptationInForce(q, agencyId, type, on);
  if (a) return { tier: 'agency', set: a.based_on, version: a.version, source: a.source, adaptationId: a.id, ...(a.local_text ? { localText: a.local_text } : {}) };
  return builtinFor(type, category, on);
}

/**
 * The pin for a new document of the case: the one an earlier document of the same type was made
 * under (a case keeps its version), else the template in force today.
 */
export async function pinFor(q: Queryable, c: { id: string; agency_id: string; matter_category: string }, type: string): Promise<TemplatePin> {
  const earlier = (await q.query<{ template: TemplatePin }>(`SELECT template FROM case_documents WHERE case_id = $1 AND type = $2 AND template IS NOT NULL ORDER BY created_at, id LIMIT 1`, [c.id, type])).rows[0];
  return earlier?.template ?? resolveTemplate(q, c.agency_id, c.matter_category, type, todayInShanghai());
}

const TEMPLATE_TYPES = (): string[] => [...Object.keys(DOCUMENTS), ...Object.keys(FORMS)];

async function readableAgency(ctx: AppContext, actor: Actor, agencyId: string) {
  try {
    const a = await registry.getAgency(ctx, { ...actor, kind: 'user' }, agencyId);
    if (!policy.canReadCase({ ...actor, kind: 'user' }, { id: a.id, region_code: a.regionCode })) throw notFound('执法主体');
    return a;
  } catch {
    throw notFound('执法主体');
  }
}

const adaptationOut = (r: AdaptationRow) => ({ id: r.id, version: r.version, basedOn: r.based_on, source: r.source, localText: r.local_text, note: r.note, effectiveFrom: r.effective_from, createdAt: r.created_at });

export const TemplateQuery = z.object({
  agencyId: z.uuid('执法主体编号格式不正确'),
  category: z.string().trim().min(1).max(50, '执法领域最多 50 字').optional(),
});

/** Every document type's template for the agency: what applies today, the precedence, the versions. */
export async function listTemplates(ctx: AppContext, actor: Actor, q: z.infer<typeof TemplateQuery>, only?: string) {
  await readableAgency(ctx, actor, q.agencyId);
  const today = todayInShanghai();
  const types = only ? [only] : TEMPLATE_TYPES();
  const rows = (await ctx.db.query<AdaptationRow>(`SELECT ${COLS} FROM document_templates WHERE agency_id = $1 ${only ? 'AND type = $2' : ''} ORDER BY type, version DESC`, only ? [q.agencyId, only] : [q.agencyId])).rows;
  const items = [];
  for (const type of types) {
    const builtin = builtinFor(type, q.category, today);
    items.push({
      type,
      title: documentName(type),
      onSite: isForm(type) ? FORMS[type]!.onSite : type === 'inspection_record' || type === 'seizure_record',
      inForce: await resolveTemplate(ctx.db, q.agencyId, q.category, type, today),
      precedence: [
        ...(rows.some((r) => r.type === type) ? [{ tier: 'agency' as const, label: '本机关结合实际的细化版本' }] : []),
        ...(builtin.tier === 'ministry' ? [{ tier: 'ministry' as const, set: builtin.set, label: '国务院部门制定的全系统文书格式', source: builtin.source }] : []),
        { tier: 'moj' as const, set: 'moj-basic', label: '司法部行政执法文书基本格式', source: TEMPLATE_SETS.at(-1)!.versions[0]!.source },
      ],
      adaptations: rows.filter((r) => r.type === type).map(adaptationOut),
    });
  }
  return { agencyId: q.agencyId, category: q.category ?? null, sets: TEMPLATE_SETS, items };
}

export async function readTemplate(ctx: AppContext, actor: Actor, type: string, q: z.infer<typeof TemplateQuery>) {
  if (!hasForm(type)) throw new AppError('not_found', { detail: `未知的文书类型“${type}”：没有这种文书的格式。` });
  return (await listTemplates(ctx, actor, q, type)).items[0]!;
}

export const AdaptationInput = z.object({
  agencyId: z.uuid('执法主体编号格式不正确'),
  type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, '文书类型应为小写字母、数字和下划线'),
  category: z.string().trim().min(1).max(50, '执法领域最多 50 字').optional(),
  effectiveFrom: z.iso.date('生效日期应为 YYYY-MM-DD'),
  source: z.string().trim().min(1, '请填写细化版本的依据（如本机关的印发文件）').max(500, '依据最多 500 字'),
  localText: z.string().trim().max(2000, '本地补充内容最多 2000 字').default(''),
  note: z.string().trim().max(1000, '说明最多 1000 字').default(''),
});

/** An agency's adaptation of one format: a new version based on what applies now (R-R02). */
export async function publishTemplate(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: z.infer<typeof AdaptationInput>) {
  if (!policy.canManageRules(actor, input.agencyId)) await denied(ctx, req, actor, 'cases.template_publish', '只有本机关管理员可以发布文书格式的细化版本。', input.agencyId);
  await readableAgency(ctx, actor, input.agencyId);
  if (!hasForm(input.type)) throw new AppError('validation', { detail: `未知的文书类型“${input.type}”。`, errors: [{ field: 'type', message: '未知的文书类型' }] });
  const id = crypto.randomUUID();
  const out = await ctx.db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`document_templates:${input.agencyId}:${input.type}`]);
    const base = await resolveTemplate(tx, input.agencyId, input.category, input.type, input.effectiveFrom);
    const basedOn = base.tier === 'agency' ? base.set : `${base.set}@${base.version}`;
    const version = Number((await tx.query<{ v: number }>(`SELECT coalesce(max(version), 0) + 1 AS v FROM document_templates WHERE agency_id = $1 AND type = $2`, [input.agencyId, input.type])).rows[0]!.v);
    const { eventId } = await recordChange(tx, {
      kind: 'cases.template_published', agencyId: input.agencyId, subjectType: 'agency', subjectId: input.agencyId, actorId: actorUserId(actor),
      data: { id, type: input.type, version, basedOn, source: input.source, localText: input.localText, effectiveFrom: input.effectiveFrom, note: input.note },
    });
    await tx.query(
      `INSERT INTO document_templates (id, agency_id, type, version, based_on, source, local_text, note, effective_from, created_by, event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [id, input.agencyId, input.type, version, basedOn, input.source, input.localText, input.note, input.effectiveFrom, actorUserId(actor), eventId],
    );
    return (await tx.query<AdaptationRow>(`SELECT ${COLS} FROM document_templates WHERE id = $1`, [id])).rows[0]!;
  });
  return adaptationOut(out);
}
