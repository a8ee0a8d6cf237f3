// One schema per concept, used by the API, the imports and the seed generator alike.
import { z } from 'zod';
import { isoDate, todayInShanghai } from '../platform/validation.ts';
import { creditCodeError, idNumberError, regionCodeError } from './codes.ts';

export const AGENCY_KINDS = ['enforcement', 'justice_bureau', 'government'] as const;
export const AGENCY_LEVELS = ['province', 'city', 'county', 'township'] as const;
export const LEGAL_STATUSES = ['statutory', 'authorized', 'entrusted'] as const;
export const OFFICER_STATUSES = ['valid', 'suspended', 'revoked'] as const;
export const ISSUER_TYPES = ['province', 'state_council'] as const;
export const QUALIFICATIONS = ['exam', 'legal_professional'] as const;
export const REVIEWER_ROLES = ['reviewer', 'legal_adviser', 'public_lawyer'] as const;

export const LABELS = {
  kind: { enforcement: '执法机关', justice_bureau: '司法行政机关', government: '人民政府' },
  level: { province: '省级', city: '市级', county: '县级', township: '乡镇级' },
  legalStatus: { statutory: '法定行政机关', authorized: '法律法规授权组织', entrusted: '受委托组织' },
  status: { valid: '有效', suspended: '暂扣', revoked: '吊销', expired: '已过期' },
  issuerType: { province: '省级人民政府颁发', state_council: '国务院部门颁发（已在司法行政部门备案）' },
  qualification: { exam: '考试合格', legal_professional: '法律职业资格免考' },
  reviewerRole: { reviewer: '法制审核人员', legal_adviser: '法律顾问', public_lawyer: '公职律师' },
} as const;

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);

export const creditCode = z
  .string({ error: '统一社会信用代码必须是文本' })
  .trim()
  .toUpperCase()
  .superRefine((v, c) => {
    const err = creditCodeError(v);
    if (err) c.addIssue({ code: 'custom', message: err });
  });

export const AgencyFields = z.object({
  name: required('机关名称', 100),
  creditCode,
  kind: z.enum(AGENCY_KINDS, '机关类型应为 enforcement、justice_bureau 或 government'),
  level: z.enum(AGENCY_LEVELS, '层级应为 province、city、county 或 township'),
  regionCode: z.string({ error: '行政区划代码必须是文本' }).superRefine((v, c) => {
    const err = regionCodeError(v);
    if (err) c.addIssue({ code: 'custom', message: err });
  }),
  legalStatus: z.enum(LEGAL_STATUSES, '主体性质应为 statutory、authorized 或 entrusted'),
  entrustingAgencyId: z.uuid('委托机关编号格式不正确').nullable().default(null),
  fields: z.array(required('执法领域', 50)).max(30, '执法领域最多 30 项').default([]),
  duties: text('职责', 5000).default(''),
  legalBasis: text('法律依据', 5000).default(''),
  parentId: z.uuid('上级机关编号格式不正确').nullable().default(null),
  reviewUnit: text('法制审核机构', 100).default(''),
  address: text('地址', 200).default(''),
  phone: text('电话', 50).default(''),
});

// R-P02: an entrusted organisation names the agency that entrusted it, and only then.
const entrustingRule = (v: { legalStatus?: string; entrustingAgencyId?: string | null }, c: z.RefinementCtx) => {
  if (v.legalStatus === 'entrusted' && !v.entrustingAgencyId) c.addIssue({ code: 'custom', path: ['entrustingAgencyId'], message: '受委托组织必须填写委托机关' });
  if (v.legalStatus && v.legalStatus !== 'entrusted' && v.entrustingAgencyId) c.addIssue({ code: 'custom', path: ['entrustingAgencyId'], message: '只有受委托组织填写委托机关' });
};

export const AgencyInput = AgencyFields.superRefine(entrustingRule);
export type AgencyInput = z.infer<typeof AgencyInput>;
// A PATCH names only what changes: the create schema's defaults would reset every field left out.
const a = AgencyFields.shape;
export const AgencyPatch = AgencyFields.extend({
  entrustingAgencyId: a.entrustingAgencyId.unwrap(), fields: a.fields.unwrap(), duties: a.duties.unwrap(), legalBasis: a.legalBasis.unwrap(),
  parentId: a.parentId.unwrap(), reviewUnit: a.reviewUnit.unwrap(), address: a.address.unwrap(), phone: a.phone.unwrap(),
})
  .partial()
  .superRefine(entrustingRule);
export type AgencyPatch = z.infer<typeof AgencyPatch>;

export const OfficerFields = z.object({
  agencyId: z.uuid('所属机关编号格式不正确'),
  name: required('姓名', 50),
  gender: z.enum(['male', 'female'], '性别应为 male 或 female').nullable().default(null),
  idNumber: z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((v, c) => {
      const err = idNumberError(v, todayInShanghai());
      if (err) c.addIssue({ code: 'custom', message: err });
    })
    .nullable()
    .default(null),
  certificateNumber: z.string().trim().regex(/^[\p{Script=Han}A-Za-z0-9-]{6,32}$/u, '执法证号应为 6–32 位字母、数字或汉字'),
  issuerType: z.enum(ISSUER_TYPES, '发证类型应为 province 或 state_council'),
  justiceRegistration: text('备案号', 64).nullable().default(null),
  category: required('执法类别', 100),
  area: required('执法区域', 100),
  validFrom: isoDate('有效期起'),
  validTo: isoDate('有效期止'),
  status: z.enum(OFFICER_STATUSES, '证件状态应为 valid、suspended 或 revoked').default('valid'),
  qualification: z.enum(QUALIFICATIONS, '资格取得方式应为 exam 或 legal_professional'),
  examPassedOn: isoDate('考试合格日期').nullable().default(null),
});

const officerRules = (v: Partial<z.infer<typeof OfficerFields>>, c: z.RefinementCtx) => {
  if (v.validFrom && v.validTo && v.validTo < v.validFrom) c.addIssue({ code: 'custom', path: ['validTo'], message: '有效期止不能早于有效期起' });
  // R-P08: a certificate issued by a State Council department is used locally only after registration with the justice bureau.
  if (v.issuerType === 'state_council' && !v.justiceRegistration) c.addIssue({ code: 'custom', path: ['justiceRegistration'], message: '国务院部门颁发的执法证须填写司法行政部门备案号' });
  // R-S04: certificates only after the qualification exam, unless exempt by legal professional qualification.
  if (v.qualification === 'exam' && !v.examPassedOn) c.addIssue({ code: 'custom', path: ['examPassedOn'], message: '通过考试取得资格的须填写考试合格日期' });
};

export const OfficerInput = OfficerFields.superRefine(officerRules);
export type OfficerInput = z.infer<typeof OfficerInput>;
const o = OfficerFields.shape;
export const OfficerPatch = OfficerFields.extend({ gender: o.gender.unwrap(), idNumber: o.idNumber.unwrap(), justiceRegistration: o.justiceRegistration.unwrap(), examPassedOn: o.examPassedOn.unwrap() })
  .omit({ agencyId: true, status: true })
  .partial()
  .superRefine(officerRules);
export type OfficerPatch = z.infer<typeof OfficerPatch>;

export const OfficerStatusChange = z.object({
  status: z.enum(OFFICER_STATUSES, '证件状态应为 valid、suspended 或 revoked'),
  reason: required('变更原因', 500),
});

export const TrainingInput = z.object({
  title: required('培训名称', 200),
  heldOn: isoDate('培训日期'),
  hours: z.coerce.number({ error: '学时必须是数字' }).positive('学时必须大于 0').max(1000, '学时过大'),
});

export const ReviewerInput = z.object({
  agencyId: z.uuid('所属单位编号格式不正确'),
  name: required('姓名', 50),
  role: z.enum(REVIEWER_ROLES, '类型应为 reviewer、legal_adviser 或 public_lawyer'),
  qualification: text('资格', 200).default(''),
  phone: text('电话', 50).default(''),
  shared: z.boolean().default(false),
  /** The account that signs as this entry (R-L07): a reviewer of the same unit. */
  userId: z.uuid('账号编号格式不正确').nullable().default(null),
});
export type ReviewerInput = z.infer<typeof ReviewerInput>;

export const ReviewerPatch = z
  .object({
    userId: z.uuid('账号编号格式不正确').nullable(),
    shared: z.boolean(),
    active: z.boolean(),
  })
  .partial();
export type ReviewerPatch = z.infer<typeof ReviewerPatch>;
