// Supervision request schemas (issue 12): one per concept, shared by routes and OpenAPI.
import { z } from 'zod';
import { isoDate, uuid } from '../platform/validation.ts';
import { ALERT_KINDS } from './rules.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
export const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const AlertListQuery = z.object({
  kind: z.enum(ALERT_KINDS, '预警类型不正确').optional(),
  agency: uuid('机关编号').optional(),
  status: z.enum(['open', 'answered', 'resolved'], '状态应为 open、answered 或 resolved').optional(),
  cursor: z.string().max(200, '分页游标过长').regex(/^[A-Za-z0-9_-]+$/, '分页游标无效').optional(),
  limit: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});

export const IdParams = z.object({ id: uuid('编号') });
export const AnswerBody = z.object({ answer: required('答复内容', 2000) });
export const ResolveBody = z.object({ resolution: required('办结理由', 2000) });
export const RecomputeBody = z.object({ from: isoDate('起始日期') });

// ---- complaints (R-S03) ----
const phone = z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '联系电话格式不正确');
const Evidence = z.object({
  filename: required('文件名', 100),
  mediaType: required('文件类型', 100),
  // The whole JSON body is at most 1 MiB: a few photos or a short document.
  contentBase64: z.string().max(700_000, '证据文件过大（合计不超过约 500 KB）').regex(/^[A-Za-z0-9+/]+={0,2}$/, '证据内容应为 Base64 编码'),
});
const ComplaintBase = {
  subjectKind: z.enum(['agency_act', 'officer_conduct'], '投诉对象应为 agency_act（机关执法行为）或 officer_conduct（执法人员行为）'),
  agencyId: uuid('被投诉机关'),
  officerName: text('执法人员姓名或证号', 50).optional(),
  summary: required('投诉事项', 100),
  content: required('具体情况', 5000),
  happenedOn: isoDate('发生日期').optional(),
  realName: z.boolean({ error: '请说明是否实名投诉' }),
  name: text('姓名', 50).optional(),
  phone: phone.optional(),
};
const realNameNeedsName = (v: { realName: boolean; name?: string }) => !v.realName || !!v.name;
export const ComplaintInput = z.object({ ...ComplaintBase, evidence: z.array(Evidence).max(3, '最多 3 个证据文件').optional() })
  .refine(realNameNeedsName, { message: '实名投诉请填写姓名', path: ['name'] });
export type ComplaintInput = z.infer<typeof ComplaintInput>;
export const StaffComplaintInput = z.object({ ...ComplaintBase, channel: z.enum(['phone', 'letter', 'visit', 'hotline'], '来源应为 phone、letter、visit 或 hotline'), hotlineTicket: text('热线工单号', 50).optional() })
  .refine(realNameNeedsName, { message: '实名投诉请填写姓名', path: ['name'] });
export type StaffComplaintInput = z.infer<typeof StaffComplaintInput>;
export const TrackingParams = z.object({ trackingNumber: z.string().regex(/^TS\d{8}[0-9A-HJKMNP-TV-Z]{8}$/, '查询码格式不正确') });
export const ComplaintDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept') }),
  z.object({ action: z.enum(['reject', 'transfer', 'guide']), reason: required('理由', 1000) }),
], { error: '办理方式应为 accept、reject、transfer 或 guide' });
export type ComplaintDecision = z.infer<typeof ComplaintDecision>;
export const ComplaintListQuery = z.object({
  status: z.enum(['submitted', 'accepted', 'rejected', 'transferred', 'guided', 'matter', 'closed'], '状态不正确').optional(),
  agency: uuid('机关编号').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export const ReasonBody = z.object({ reason: required('理由', 1000) });
export const ReplyBody = z.object({ reply: required('答复内容', 5000) });

// ---- matters (《行政执法监督条例》第26–33条) ----
export const MatterInput = z.object({
  agencyId: uuid('被监督机关'),
  caseId: uuid('案件编号').optional(),
  source: z.enum(['alert', 'complaint', 'hotline', 'review', 'own'], '来源应为 alert、complaint、hotline、review 或 own'),
  sourceId: uuid('来源编号').optional(),
  mode: z.enum(['routine', 'key', 'special'], '方式应为 routine（日常）、key（重点）或 special（专项）'),
  listed: z.boolean().default(false),
  escalated: z.boolean().default(false),
  title: required('事项名称', 200),
  facts: required('发现的问题', 5000),
  // 第33条: whether the dispute is already before a reconsideration body or a court.
  disputeStatus: z.enum(['none', 'reconsideration', 'litigation'], '请说明是否已进入复议或诉讼').default('none'),
});
export type MatterInput = z.infer<typeof MatterInput>;
export const InstrumentInput = z.object({
  kind: z.enum(['urging_letter', 'opinion', 'decision'], '文书应为 urging_letter（督办函）、opinion（意见书）或 decision（决定书）'),
  findings: required('发现的问题', 2000),
  requirements: required('整改要求', 2000),
});
export type InstrumentInput = z.infer<typeof InstrumentInput>;
export const TextBody = z.object({ text: required('内容', 5000) });
export const ObjectionDecision = z.object({ upheld: z.boolean({ error: '请说明异议是否成立' }), text: required('复查意见', 5000) });
export const MatterListQuery = z.object({
  status: z.enum(['notified', 'explained', 'instrument_issued', 'objected', 'corrected', 'closed'], '状态不正确').optional(),
  agency: uuid('机关编号').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

// ---- 案卷评查 (R-R07) ----
export const ReviewPlanInput = z.object({
  title: required('评查方案名称', 200),
  standard: z.string().max(50).default('penalty-general'),
  from: isoDate('起始日期'),
  to: isoDate('截止日期'),
  procedures: z.array(z.enum(['penalty-general', 'penalty-summary', 'coercion-seizure'], '程序不正确')).min(1).max(3).default(['penalty-general']),
  samplePerAgency: z.number().int().min(1).max(100),
  seed: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '随机种子只能包含字母、数字、下划线和连字符').optional(),
  reviewerAgencyIds: z.array(uuid('评查机关')).min(1).max(50),
});
export type ReviewPlanInput = z.infer<typeof ReviewPlanInput>;
export const ScoreInput = z.object({
  vetoes: z.array(z.string().max(50)).max(20),
  deductions: z.array(z.object({ code: z.string().max(50), times: z.number().int().min(1).max(100) })).max(50),
});

// ---- 任务分解推进表 (R-S01) ----
export const TaskImportInput = z.object({
  sourceDoc: required('来源文件', 200),
  filename: z.string().max(200).regex(/\.(xlsx|csv)$/i, '只支持 .xlsx 或 .csv 文件'),
  // JSON like every other write here; the whole body is at most 1 MiB.
  contentBase64: z.string().max(1_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, '文件内容应为 Base64 编码'),
});
export const TaskAssignInput = z.object({ agencyIds: z.array(uuid('责任单位')).min(1).max(100) });
export const TaskReportInput = z.object({ text: required('进展情况', 2000), done: z.boolean().default(false) });
