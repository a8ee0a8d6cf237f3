// One Zod schema per concept of 双随机一公开: the API, the import and the demo generator use them alike.
import { z } from 'zod';
import { isoDate, uuid } from '../platform/validation.ts';
import { creditCodeError } from '../registry/codes.ts';
import { CREDIT_CLASSES } from './draw.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const creditCode = z
  .string({ error: '统一社会信用代码必须是文本' })
  .trim()
  .transform((s) => s.toUpperCase())
  .superRefine((s, c) => {
    const err = creditCodeError(s);
    if (err) c.addIssue({ code: 'custom', message: err });
  });

export const CreditClass = z.enum(CREDIT_CLASSES, '信用风险分类应为 A、B、C 或 D');
export const OBJECT_KINDS = ['enterprise', 'individual', 'product', 'project', 'site', 'other'] as const;

export const ObjectInput = z.object({
  creditCode,
  name: required('名称', 200),
  kind: z.enum(OBJECT_KINDS, '对象类型不正确').default('enterprise'),
  regionCode: z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字'),
  agencyId: uuid('负责机关编号'),
  tags: z.array(required('领域标签', 30)).max(20, '标签最多 20 个').default([]),
  creditClass: CreditClass,
  classSetOn: isoDate('分类日期'),
});
export type ObjectInput = z.infer<typeof ObjectInput>;

export const ClassChange = z.object({ creditClass: CreditClass, setOn: isoDate('分类日期') });

export const InspectorInput = z.object({
  officerId: uuid('执法人员编号'),
  categories: z.array(required('执法类别', 50)).min(1, '至少一个执法类别').max(20),
  areas: z.array(z.string().regex(/^\d{2,6}$/, '区域应为行政区划代码前缀')).min(1, '至少一个区域').max(20),
  unit: text('所属科室（所）', 100).default(''),
  available: z.boolean().default(true),
  workloadCap: z.number().int().min(1).max(1000).default(40),
});
export type InspectorInput = z.infer<typeof InspectorInput>;

export const CONFLICT_REASONS = ['relative', 'past_employment', 'own_jurisdiction', 'other'] as const;
export const ConflictInput = z.object({
  creditCode,
  reason: z.enum(CONFLICT_REASONS, '回避事由应为 relative、past_employment、own_jurisdiction 或 other'),
  note: text('说明', 200).default(''),
  declaredOn: isoDate('申报日期'),
});

export const MatterInput = z.object({
  agencyId: uuid('机关编号'),
  code: required('事项编号', 40),
  name: required('抽查事项名称', 200),
  category: required('执法类别', 50),
  legalBasis: text('抽查依据', 500).default(''),
  objectType: text('抽查对象', 50).default('企业'),
  method: text('检查方式', 50).default('现场检查'),
  kind: z.enum(['general', 'key'], '事项类别应为 general 或 key').default('general'),
});

export const PlanInput = z.object({
  agencyId: uuid('机关编号'),
  year: z.number().int().min(2000).max(2100),
  title: required('计划名称', 200),
  /** A joint plan (部门联合双随机) names every department taking part, the lead first. */
  departments: z.array(uuid('部门编号')).max(20).default([]),
  parties: z.array(required('随机数提供方', 60)).min(2, '至少两个相互独立的随机数提供方（如纪检监察、公证处）').max(5).refine((p) => new Set(p).size === p.length, '随机数提供方不能重复'),
});

const ClassRule = z.object({
  ratioBp: z.number().int().min(0).max(10_000, '比例最多 100%'),
  min: z.number().int().min(0).max(1_000_000).default(0),
  max: z.number().int().min(0).max(1_000_000).nullable().default(null),
});

export const ScopeFilter = z.object({
  regionPrefix: z.string().regex(/^\d{2,6}$/, '区域应为行政区划代码前缀').optional(),
  kinds: z.array(z.enum(OBJECT_KINDS)).max(6).optional(),
  tagsAny: z.array(required('标签', 30)).max(20).optional(),
});
export type ScopeFilter = z.infer<typeof ScopeFilter>;

export const TaskInput = z.object({
  matterId: uuid('抽查事项编号'),
  title: required('任务名称', 200),
  batch: z.number().int().min(1).max(99).default(1),
  scope: ScopeFilter.default({}),
  ratios: z.object({ A: ClassRule, B: ClassRule, C: ClassRule, D: ClassRule }),
  rounding: z.enum(['ceil', 'floor', 'half_up'], '取整规则应为 ceil、floor 或 half_up').default('ceil'),
  classAsOf: isoDate('信用分类基准日'),
  yearlyCap: z.number().int().min(1).max(50).default(1),
  rotationDays: z.number().int().min(0).max(3650).default(365),
  teamSize: z.number().int().min(2, '每个检查组至少两名执法人员').max(10).default(2),
  inspectionDate: isoDate('检查日期'),
  redoOf: uuid('原任务编号').optional(),
  redoReason: text('重新抽取的理由', 500).optional(),
});
export type TaskInput = z.infer<typeof TaskInput>;

export const RevealInput = z.object({
  source: required('随机数提供方', 60),
  value: z.string().regex(/^([0-9a-f]{2}){16,64}$/, '揭示值应为 16–64 字节的小写十六进制'),
});

export const SourceHashInput = z.object({
  sources: z.array(z.object({ source: required('随机数提供方', 60), hash: z.string().regex(/^[0-9a-f]{64}$/, '承诺值应为 64 位小写十六进制 SHA-256') })).min(2).max(5),
});

export const ReplaceInput = z.object({
  creditCode,
  officerId: uuid('被替换的执法人员编号'),
  reason: z.enum(['conflict', 'leave', 'illness', 'other'], '替换理由应为 conflict、leave、illness 或 other'),
});

/** §1.7 result codes (ZhejiangMicroEnt, the codes in use). */
export const RESULT_CODES = {
  '1': '未发现问题',
  A: '发现问题待后续处理',
  B: '未按规定公示应当公示的信息',
  C: '公示信息隐瞒真实情况弄虚作假',
  E: '发现问题已责令改正',
  F: '未发现开展本次抽查涉及的经营活动',
  '6': '通过登记的住所（经营场所）无法联系',
  '7': '已关闭停业或正在组织清算',
  '8': '不予配合情节严重',
  '9': '注销',
  '10': '被吊销',
  '11': '被撤销',
  '12': '迁出',
} as const;
export const RESULT_CODE_KEYS = Object.keys(RESULT_CODES) as [keyof typeof RESULT_CODES, ...(keyof typeof RESULT_CODES)[]];

export const ResultInput = z.object({
  creditCode,
  resultCodes: z.array(z.enum(RESULT_CODE_KEYS, '检查结果代码不正确')).min(1, '至少一个检查结果').max(6),
  inspectedOn: isoDate('检查完成日期'),
  followUp: z.enum(['none', 'rectify', 'transfer', 'notify'], '后续处置应为 none、rectify、transfer 或 notify').default('none'),
  noticeTo: text('抄告部门', 100).optional(),
  note: text('备注', 500).default(''),
});
export type ResultInput = z.infer<typeof ResultInput>;
