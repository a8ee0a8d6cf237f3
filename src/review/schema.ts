// Inputs of the review domain's own routes (the submission and opinion schemas stay in cases/schema.ts,
// where the existing routes declare them).
import { z } from 'zod';
import { isoDate } from '../platform/validation.ts';
import { uuid } from '../platform/validation.ts';
import { REVIEW_MATERIALS } from '../cases/labels.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const ReviewBodyInput = z.object({
  bodyAgencyId: uuid('审核机构所在单位编号'),
  unitName: required('审核机构名称', 100),
  registeredOn: isoDate('登记日期'),
});
export type ReviewBodyInput = z.infer<typeof ReviewBodyInput>;

export const ReviewRules = z.object({
  timeLimitWorkingDays: z.number().int('审核时限应为整数').min(1, '审核时限至少 1 个工作日').max(60, '审核时限最多 60 个工作日'),
  warnWorkingDaysBefore: z.number().int('预警天数应为整数').min(0).max(30),
  requiredMaterials: z.array(z.enum(REVIEW_MATERIALS, '材料类别不正确')).min(1, '至少列明一类必报材料').max(20),
  opinion: z.object({ noteOnFailedPoint: z.boolean() }),
  assignment: z.enum(['head', 'round_robin'], '分派方式应为 head（负责人指定）或 round_robin（轮流分派）'),
  basis: required('规则依据', 500),
});
export type ReviewRules = z.infer<typeof ReviewRules>;

export const ReviewRuleSetInput = z.object({
  effectiveFrom: isoDate('生效日期'),
  note: text('说明', 500).default(''),
  rules: ReviewRules,
});
export type ReviewRuleSetInput = z.infer<typeof ReviewRuleSetInput>;

export const AssignInput = z.object({ rosterId: uuid('审核人员名单编号') });

export const CoordinationRaise = z.object({
  on: isoDate('提请日期'),
  reason: required('分歧事项', 2000),
});
export type CoordinationRaise = z.infer<typeof CoordinationRaise>;

export const CoordinationOutcome = z
  .object({
    on: isoDate('协调日期'),
    method: z.enum(['head', 'collective', 'experts'], '协调方式应为 head（机关负责人）、collective（集体讨论）或 experts（专家委员会）'),
    participants: z.array(required('参加人员', 50)).max(30).default([]),
    expertAdvice: z.array(z.object({ expert: required('专家', 50), advice: required('书面意见', 2000) })).max(20).default([]),
    conclusion: required('协调结论', 3000),
  })
  .superRefine((o, c) => {
    if (o.method === 'collective' && o.participants.length < 3) c.addIssue({ code: 'custom', path: ['participants'], message: '集体讨论应记录参加人员（至少三人）' });
    if (o.method === 'experts' && !o.expertAdvice.length) c.addIssue({ code: 'custom', path: ['expertAdvice'], message: '专家委员会论证应附专家书面意见' });
  });
export type CoordinationOutcome = z.infer<typeof CoordinationOutcome>;
