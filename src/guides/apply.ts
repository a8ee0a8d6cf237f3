// 网上受理 (R-P07, R-I04): from a published service guide a citizen or company applies online. The
// application becomes a licensing case through the cases service — its 接收申请 step is done on the day
// of submission, so the case stands in its acceptance stage (受理) with the 受理审查期限 running — and
// the applicant follows it with a tracking number plus the last four digits of the phone (so numbers
// cannot be enumerated). The progress answer carries stage and dates only, nothing internal.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { recordChange } from '../platform/changes.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { claimBlob, loadEvidenceConfig, storeEvidence, type EvidenceConfig } from '../blobs/service.ts';
import { createCaseWithFirstStep } from '../cases/create-case.ts';
import { checkFormFields } from '../cases/documents/forms.ts';
import { getCase } from '../cases/store.ts';
import { STAGE_LABELS } from '../cases/labels.ts';
import { creditCodeError, idNumberError } from '../registry/codes.ts';
import { throttle } from '../publicity/service.ts';
import { matterInForce } from '../registry/matters.ts';
import * as guides from './service.ts';

/** Public uploads: the evidence store's limits, capped lower for anonymous senders (APPLY_MAX_BYTES, default 20 MiB). */
export function applyUploadConfig(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const base = loadEvidenceConfig(env);
  const cap = Number(env.APPLY_MAX_BYTES);
  return { ...base, maxBytes: Math.min(base.maxBytes, Number.isSafeInteger(cap) && cap > 0 ? cap : 20 * 1024 ** 2) };
}
export const MAX_FILES = 10;
export const formatLimit = (n: number) => (n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(0)} MiB` : `${Math.round(n / 1024)} KiB`);

export const TRACKING_RE = /^SQ\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function trackingNumber(today: string): string {
  return `SQ${today.replaceAll('-', '')}${[...crypto.randomBytes(8)].map((b) => CROCKFORD[b % 32]).join('')}`;
}

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s) && s.isWellFormed();
const text = (label: string, max: number) => z.string({ error: `请填写${label}` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`).refine(noControl, `${label}含有不允许的字符`);

/** Who applies (identity by name and ID number or 统一社会信用代码, check digits verified) and the phone. */
export const Applicant = z.object({
  applicantType: z.enum(['citizen', 'organisation'], '申请人类型应为 citizen（个人）或 organisation（企业或其他组织）'),
  name: text('申请人姓名或名称', 100),
  idNumber: text('证件号码', 18).transform((s) => s.toUpperCase()),
  phone: z.string({ error: '请填写联系电话' }).trim().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '联系电话应为 11 位手机号或带区号的固定电话'),
  // The application form (行政许可申请书) names the applicant's domicile, where documents are served.
  address: z.string({ error: '请填写住所或经营场所' }).trim().min(1, '请填写住所或经营场所').max(200, '地址最多 200 字').refine(noControl, '地址含有不允许的字符'),
  legalRepresentative: z.string().trim().max(50, '法定代表人（负责人）最多 50 字').refine(noControl, '法定代表人（负责人）含有不允许的字符').optional(),
}).superRefine((a, c) => {
  const err = a.applicantType === 'citizen' ? idNumberError(a.idNumber) : creditCodeError(a.idNumber);
  // The registry's messages name the code and the position at fault (e.g. 校验位（第 18 位）应为 Q).
  if (err) c.addIssue({ code: 'custom', path: ['idNumber'], message: err });
  if (a.applicantType === 'organisation' && !a.legalRepresentative) c.addIssue({ code: 'custom', path: ['legalRepresentative'], message: '企业或其他组织申请的，请填写法定代表人（负责人）' });
});
export type Applicant = z.infer<typeof Applicant>;

const Material = z.object({
  name: text('材料名称', 200),
  filename: text('文件名', 255).refine((s) => !/[/\\]/.test(s), '文件名不能含有路径'),
  mediaType: z.string().trim().max(100).regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i, '文件类型格式不正确'),
  contentBase64: z.string().max(1_300_000, '单个文件经 JSON 提交最多约 1 MiB，更大的文件请在网页上上传').regex(/^[A-Za-z0-9+/]*={0,2}$/, '文件内容应为 Base64'),
});
export const ApplicationInput = z.object({ guideId: z.uuid('服务指南编号格式不正确') }).and(Applicant).and(z.object({ materials: z.array(Material).min(1, '请至少上传一份申请材料').max(MAX_FILES, `最多 ${MAX_FILES} 个文件`) }));
export type ApplicationInput = z.infer<typeof ApplicationInput>;

export const TrackParams = z.object({ trackingNumber: z.string().trim().toUpperCase().regex(TRACKING_RE, '受理编号格式不正确') });
export const TrackQuery = z.object({ phoneLast4: z.string({ error: '请填写申请时所留电话的后四位' }).regex(/^\d{4}$/, '请填写申请时所留电话的后四位') });

/** A file as received: its bytes already bounded by the upload limit. */
export interface UploadedMaterial { name: string; filename: string; mediaType: string; bytes: Buffer }

/** The platform's intake desk of an agency: the actor the case is opened and the application step done by. */
const INTAKE_ID = '00000000-0000-4000-8000-0000000a9911';
const intake = (agencyId: string): Actor => ({ kind: 'user', id: INTAKE_ID, name: '网上受理', role: 'officer', agencyId, jurisdiction: null, scopes: [] });

/** Refusals that need only the file's name, type and size: clear Chinese errors naming the file. */
export function checkMaterial(cfg: EvidenceConfig, m: { filename: string; mediaType: string; size: number }) {
  if (m.size === 0) throw new AppError('validation', { detail: `文件“${m.filename}”是空文件，请重新选择。`, errors: [{ field: 'materials', message: '空文件' }] });
  if (m.size > cfg.maxBytes) throw new AppError('payload_too_large', { detail: `文件“${m.filename}”超过 ${formatLimit(cfg.maxBytes)} 的上限，请压缩或分拆后再上传。` });
  if (!cfg.allowedTypes.some((a) => a === m.mediaType || (a.endsWith('/*') && m.mediaType.startsWith(a.slice(0, -1))))) {
    throw new AppError('unsupported_media_type', { detail: `文件“${m.filename}”的类型（${m.mediaType || '未知'}）不被接受，请上传图片、PDF/OFD 或办公文档。` });
  }
}

/**
 * Files the application: throttled per address, the guide must be published, every file checked before
 * any is stored; then, in one transaction (the cases service), the case opened, its application step
 * done, the files attached and the application recorded with its tracking number.
 */
export async function submitApplication(ctx: AppContext, req: FastifyRequest | null, guideId: string, who: Applicant, files: UploadedMaterial[], cfg = applyUploadConfig()) {
  throttle(`apply:${req?.ip ?? 'local'}`, 10, 3_600_000);
  const g = await guides.publicGet(ctx.db, guideId);
  if (!files.length) throw new AppError('validation', { detail: '请至少上传一份申请材料。', errors: [{ field: 'materials', message: '请上传申请材料' }] });
  if (files.length > MAX_FILES) throw new AppError('validation', { detail: `最多上传 ${MAX_FILES} 个文件。`, errors: [{ field: 'materials', message: '文件过多' }] });
  for (const f of files) checkMaterial(cfg, { filename: f.filename, mediaType: f.mediaType, size: f.bytes.length });
  const matter = await matterInForce(ctx.db, g.agency_id, g.matter_code);
  if (!matter || matter.procedure_id !== 'licensing') throw new AppError('invalid_state', { detail: '该事项暂不能网上申请，请到窗口办理。' });
  const { rows: ag } = await ctx.db.query<{ region_code: string; fields: string[] }>(`SELECT region_code, fields FROM agencies WHERE id = $1`, [g.agency_id]);

  const today = todayInShanghai();
  const matterName = g.fields.matterName ?? matter.name;
  // The 行政许可申请书 (structured form, R-R02) is checked before any file or case is written, so a refusal
  // leaves nothing behind; the submit button carries the applicant's pledge of truthfulness (行政许可法第三十一条).
  const applicationForm = {
    party: {
      type: who.applicantType === 'organisation' ? 'organization' : 'individual', name: who.name, idType: who.applicantType === 'citizen' ? 'id_card' : 'credit_code',
      idNumber: who.idNumber, address: who.address, phone: who.phone, ...(who.legalRepresentative ? { legalRepresentative: who.legalRepresentative } : {}),
    },
    matter: matterName, content: `通过网上办事大厅申请${matterName}`,
    materials: files.map((f) => `${f.name}（${f.filename}）`), appliedOn: today, truthful: true,
  };
  const checked = checkFormFields('licence_application', applicationForm, today);
  if (!checked.ok) throw new AppError('validation', { detail: '申请信息不完整，请补充后再提交。', errors: checked.errors });

  const actor = intake(g.agency_id);
  // Stored unattached first (streaming, outside any transaction); attached in the case's transaction, so a
  // failure anywhere leaves only unattached bytes, which nobody can read by their hash (R-R06).
  const stored: { name: string; filename: string; sha256: string; size: number; mediaType: string }[] = [];
  for (const f of files) {
    const s = await storeEvidence(ctx, actor, { body: Readable.from([f.bytes]), mediaType: f.mediaType, filename: f.filename, declaredLength: f.bytes.length }, { config: cfg });
    stored.push({ name: f.name, filename: f.filename, sha256: s.sha256, size: s.size, mediaType: s.mediaType });
  }
  const title = `${who.name}申请${g.fields.matterName ?? matter.name}`;
  const id = crypto.randomUUID();
  const number = trackingNumber(today);
  // The case, its 接收申请 step, the attachments and the application: one transaction (a crash leaves none of them).
  const c = await createCaseWithFirstStep(ctx, req, actor, {
    procedureId: 'licensing', agencyId: g.agency_id, title, matter: { category: ag[0]!.fields[0] ?? '行政许可', area: ag[0]!.region_code },
    party: { name: who.name, type: who.applicantType, idType: who.applicantType === 'citizen' ? 'id_card' : 'credit_code', idNumber: who.idNumber, address: who.address },
    profile: { penaltyKinds: [], flags: [] }, facts: {},
  }, { step: 'application', on: today, officerIds: [], facts: {}, documentIds: [], documents: [{ type: 'licence_application', fields: applicationForm }] }, async (tx, kase) => {
    for (const m of stored) {
      if (!(await claimBlob(tx, m.sha256, { agencyId: g.agency_id, by: null, purpose: 'record' }))) throw new AppError('internal', { detail: `材料“${m.filename}”未能保存，请重新提交。` });
    }
    await tx.query(
      `INSERT INTO online_applications (id, tracking_number, guide_id, agency_id, case_id, applicant_type, applicant_name, id_number, phone, materials, submitted_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,$11)`,
      [id, number, g.id, g.agency_id, kase.id, who.applicantType, who.name, who.idNumber, who.phone, JSON.stringify(stored), today],
    );
    // The applicant's identity is in the case (R-P14 applies there), not in the event.
    await recordChange(tx, { kind: 'guides.application_received', agencyId: g.agency_id, subjectType: 'online_application', subjectId: id, actorId: null, data: { id, guideId: g.id, caseId: kase.id, materials: stored.map((m) => m.sha256), submittedOn: today } });
  });
  return { trackingNumber: number, caseNumber: c.number, submittedOn: today };
}

const PROGRESS_STATUS: Record<string, string> = { open: '办理中', finished: '已办结', archived: '已办结' };

/** 办理进度查询: stage and dates, the agency and the matter; no officer, no note, no document. */
export async function trackApplication(ctx: AppContext, req: FastifyRequest | null, number: string, phoneLast4: string) {
  throttle(`apply-track:${req?.ip ?? 'local'}`, 30, 60_000);
  const { rows } = await ctx.db.query<{ tracking_number: string; phone: string; case_id: string; submitted_on: string; guide_id: string; matter_name: string | null; agency_name: string }>(
    `SELECT o.tracking_number, o.phone, o.case_id, o.submitted_on::text AS submitted_on, o.guide_id, g.fields->>'matterName' AS matter_name, a.name AS agency_name
       FROM online_applications o JOIN service_guides g ON g.id = o.guide_id JOIN agencies a ON a.id = o.agency_id WHERE o.tracking_number = $1`, [number]);
  const o = rows[0];
  // The wrong factor answers exactly like an unknown number.
  const factorOk = !!o && crypto.timingSafeEqual(Buffer.from(o.phone.slice(-4).padStart(4, '#')), Buffer.from(phoneLast4.padStart(4, '#').slice(0, 4)));
  if (!o || !factorOk) throw notFound('申请（请核对受理编号和电话后四位）');
  return progressOf(ctx.db, o);
}

async function progressOf(q: Queryable, o: { tracking_number: string; case_id: string; submitted_on: string; matter_name: string | null; agency_name: string }) {
  const c = await getCase(q, o.case_id);
  if (!c) throw notFound('申请');
  const names: Record<string, string> = { application: '接收申请', acceptance: '受理', correction_request: '一次告知补正', correction_received: '收到补正材料', rejection: '不予受理', decision: '作出决定' };
  return {
    trackingNumber: o.tracking_number, matter: o.matter_name, agency: o.agency_name, submittedOn: o.submitted_on,
    stage: c.stage, stageLabel: c.stage ? (STAGE_LABELS as Record<string, string>)[c.stage] ?? c.stage : '待受理',
    status: c.status, statusLabel: PROGRESS_STATUS[c.status] ?? c.status,
    // The next statutory date the agency must meet, the only date ahead the applicant needs.
    dueBy: c.next_deadline,
    history: c.state.steps.map((s) => ({ on: s.on, step: names[s.step] ?? '办理' })),
  };
}
