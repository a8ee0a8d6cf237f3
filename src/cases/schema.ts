// One schema per concept of the cases domain, used by the API, the demo data and the generator alike.
import { z } from 'zod';
import { ROLES } from '../platform/actor.ts';
import { isoDate } from '../platform/validation.ts';
import { creditCodeError, idNumberError } from '../registry/codes.ts';
import { AV_LEVELS } from './procedures/index.ts';
import { CASE_STATUSES, RECORD_KINDS, REVIEW_MATERIALS, REVIEW_POINTS, REVIEW_POINT_LABELS, type RecordKind } from './labels.ts';

export * from './labels.ts';

const text = (label: string, max: number) => z.string({ error: `${label}必须是文本` }).trim().max(max, `${label}最多 ${max} 字`);
const required = (label: string, max: number) => text(label, max).min(1, `请填写${label}`);
const uuid = (label: string) => z.uuid(`${label}格式不正确`);
const factValue = z.union([z.boolean(), z.number().finite(), z.string().max(200)], { error: '事实值应为布尔值、数字或文本' });
/** An instant with its offset, e.g. 2026-11-20T09:30:00+08:00. */
const instant = (label: string) => z.iso.datetime({ offset: true, error: `${label}应为带时区的 ISO 8601 时间，如 2026-11-20T09:30:00+08:00` });

// ---------------------------------------------------------------------------------------------------
// Cases

export const PARTY_TYPES = ['citizen', 'organisation'] as const;
export const PARTY_ID_TYPES = ['credit_code', 'id_card', 'other'] as const;
export const PARTY_TYPE_LABELS = { citizen: '公民', organisation: '法人或其他组织' } as const;

/** The party is personal data (R-P14): shown to the agency's staff only, never public. */
export const PartyInput = z
  .object({
    name: required('当事人名称或姓名', 200),
    type: z.enum(PARTY_TYPES, '当事人类型应为 citizen（公民）或 organisation（法人或其他组织）'),
    idType: z.enum(PARTY_ID_TYPES, '证件类型应为 credit_code、id_card 或 other'),
    idNumber: text('证件号码', 50).nullable().default(null),
    address: text('住所（住址）', 200).default(''),
  })
  .superRefine((p, c) => {
    if (!p.idNumber) return;
    if (p.idType === 'credit_code') {
      const err = creditCodeError(p.idNumber.toUpperCase());
      if (err) c.addIssue({ code: 'custom', path: ['idNumber'], message: err });
    }
    if (p.idType === 'id_card') {
      const err = idNumberError(p.idNumber.toUpperCase());
      if (err) c.addIssue({ code: 'custom', path: ['idNumber'], message: err });
    }
  });
export type PartyInput = z.infer<typeof PartyInput>;

/** R-L04: what the catalog weighs besides the engine's facts. */
export const PROFILE_FLAGS = ['public_interest', 'social_impact', 'third_party_rights', 'complex_relations'] as const;
export const PROFILE_FLAG_LABELS: Record<(typeof PROFILE_FLAGS)[number], string> = {
  public_interest: '涉及重大公共利益',
  social_impact: '可能造成重大社会影响或引发社会风险',
  third_party_rights: '直接关系当事人或第三人重大权益',
  complex_relations: '案件情况疑难复杂、涉及多个法律关系',
};
export const CaseProfile = z.object({
  amountInvolved: z.number({ error: '涉案金额必须是数字（元）' }).min(0, '涉案金额不能为负').max(1e13).optional(),
  penaltyKinds: z.array(required('拟处罚种类', 50)).max(20).default([]),
  flags: z.array(z.enum(PROFILE_FLAGS, `情形应为 ${PROFILE_FLAGS.join('、')} 之一`)).max(10).default([]),
});
export type CaseProfile = z.infer<typeof CaseProfile>;

export const CaseInput = z.object({
  procedureId: z.string({ error: '请选择程序' }).min(1, '请选择程序').max(120),
  /** An agency's adapted version, or the built-in one when omitted. */
  procedureVersion: z.number().int().min(1).optional(),
  agencyId: uuid('执法主体编号').optional(),
  title: required('案由（案件名称）', 200),
  matter: z.object({ category: required('执法类别', 100), area: required('执法区域', 100) }, { error: '请填写事项的执法类别和区域' }),
  party: PartyInput,
  profile: CaseProfile.default({ penaltyKinds: [], flags: [] }),
  facts: z.record(z.string(), factValue).default({}),
});
export type CaseInput = z.infer<typeof CaseInput>;


export const CaseListQuery = z.object({
  agencyId: uuid('执法主体编号').optional(),
  procedureId: z.string().max(120).optional(),
  stage: z.string().max(40).optional(),
  status: z.enum(CASE_STATUSES, '状态应为 open、finished 或 archived').optional(),
  /** overdue: an agency deadline has passed; warning: within its warning days. */
  clock: z.enum(['overdue', 'warning'], 'clock 应为 overdue 或 warning').optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

// ---------------------------------------------------------------------------------------------------
// Steps, approvals, extensions

export const StepInput = z.object({
  step: z.string({ error: '请选择环节' }).min(1, '请选择环节').max(80),
  on: isoDate('办理日期'),
  /** R-P08: officers of the registry taking part (on the scene for on-site steps). */
  officerIds: z.array(uuid('执法人员编号')).max(20, '执法人员最多 20 名').default([]),
  presidedBy: uuid('主持人编号').optional(),
  facts: z.record(z.string(), factValue).default({}),
  /** Final documents of the case that this step produces (one of each kind the step makes). */
  documentIds: z.array(uuid('文书编号')).max(20).default([]),
  /** Documents drafted with the step and finalised in its transaction (numbered only if the step is allowed). */
  documents: z
    .array(
      z.object({
        type: required('文书类型', 80),
        fields: z.record(z.string(), z.unknown(), { error: '文书内容应为对象' }),
        kindAbbreviation: text('文号类别字', 20).optional(),
      }),
    )
    .max(10)
    .default([]),
  pauseReason: text('中止事由', 40).optional(),
  note: text('备注', 1000).optional(),
  /** Issue 14: the same submission sent again (after a network cut) answers with the step it made. */
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, '提交编号应为 8 至 100 位字母、数字、- 或 _').optional(),
});
export type StepInput = z.infer<typeof StepInput>;

export const ApprovalInput = z
  .object({
    purpose: z.enum(['step', 'extension'], '批准事项应为 step（环节）或 extension（延长期限）'),
    step: z.string().max(80).optional(),
    clock: z.string().max(80).optional(),
    days: z.number().int().min(1).max(3650).optional(),
    on: isoDate('批准日期'),
    opinion: required('批准意见', 1000),
  })
  .superRefine((a, c) => {
    if (a.purpose === 'step' && !a.step) c.addIssue({ code: 'custom', path: ['step'], message: '请写明批准办理的环节' });
    if (a.purpose === 'extension' && !a.clock) c.addIssue({ code: 'custom', path: ['clock'], message: '请写明批准延长的期限' });
  });
export type ApprovalInput = z.infer<typeof ApprovalInput>;

export const ExtensionInput = z.object({
  clock: required('期限', 80),
  days: z.number({ error: '延长天数必须是整数' }).int('延长天数必须是整数').min(1, '至少延长 1 日').max(3650),
  on: isoDate('延长日期'),
  reason: required('延长理由', 1000),
  /** The head's approval; a head extending it himself approves in the same act. */
  approvalId: uuid('批准编号').optional(),
  /** The written notice to the party, where the rule requires one (a final document of the case). */
  documentId: uuid('文书编号').optional(),
});
export type ExtensionInput = z.infer<typeof ExtensionInput>;

export const ProfilePatch = CaseProfile;

// ---------------------------------------------------------------------------------------------------
// Documents

export const DocumentDraftInput = z.object({
  type: required('文书类型', 80),
  fields: z.record(z.string(), z.unknown(), { error: '文书内容应为对象' }),
});
export const DocumentPatch = z.object({ fields: z.record(z.string(), z.unknown(), { error: '文书内容应为对象' }) });
export const FinaliseInput = z.object({
  issuedOn: isoDate('成文日期'),
  /** Overrides the default 类别字 of the 文号 (e.g. 处罚). */
  kindAbbreviation: text('文号类别字', 20).optional(),
});

// ---------------------------------------------------------------------------------------------------
// Records (R-R01 … R-R06)

export const AV_KINDS: readonly RecordKind[] = ['video', 'audio', 'photo', 'electronic'];

export const RecordInput = z
  .object({
    kind: z.enum(RECORD_KINDS, `记录类型应为 ${RECORD_KINDS.join('、')} 之一`),
    step: required('所记录的环节', 80),
    /** For a step already done: its number in the case's step list. */
    stepSeq: z.number().int().min(1).optional(),
    title: required('记录名称', 200),
    /** The written description evidence rules ask for: what, who, where, when, how it was made (R-R05). */
    description: required('文字说明', 5000),
    content: text('记录正文', 50000).optional(),
    blobSha256: z.string().regex(/^[0-9a-f]{64}$/, '文件摘要应为 64 位小写十六进制 SHA-256').optional(),
    recorderName: text('记录人', 50).optional(),
    deviceId: text('设备编号', 100).optional(),
    startedAt: instant('开始时间'),
    endedAt: instant('结束时间'),
    place: required('地点', 200),
    officerIds: z.array(uuid('执法人员编号')).max(20).default([]),
    custodian: required('保管人', 50),
    corrects: uuid('被更正记录编号').optional(),
    correctionReason: text('更正理由', 1000).optional(),
  })
  .superRefine((r, c) => {
    if (r.kind !== 'text' && !r.blobSha256) c.addIssue({ code: 'custom', path: ['blobSha256'], message: '音像记录须先上传文件，并填写文件的 SHA-256' });
    if (r.kind === 'text' && !r.blobSha256 && !r.content) c.addIssue({ code: 'custom', path: ['content'], message: '文字记录须填写正文或上传文件' });
    if (r.kind !== 'text' && !r.deviceId) c.addIssue({ code: 'custom', path: ['deviceId'], message: '音像记录须填写记录设备编号（R-R03）' });
    if (Date.parse(r.endedAt) < Date.parse(r.startedAt)) c.addIssue({ code: 'custom', path: ['endedAt'], message: '结束时间不得早于开始时间' });
    if (!!r.corrects !== !!r.correctionReason) c.addIssue({ code: 'custom', path: ['correctionReason'], message: '更正记录须同时指明被更正的记录和更正理由' });
  });
export type RecordInput = z.infer<typeof RecordInput>;

export const AccessQuery = z.object({
  reason: required('调阅事由', 500).min(2, '请写明调阅事由'),
  action: z.enum(['view', 'download'], 'action 应为 view 或 download').default('view'),
  disclosureId: uuid('提供审批编号').optional(),
});

export const DisclosureInput = z.object({
  recordIds: z.array(uuid('记录编号')).min(1, '至少选择一条记录').max(200),
  recipient: required('接收单位或个人', 200),
  purpose: required('用途', 1000),
});
export const DisclosureDecision = z.object({
  approved: z.boolean({ error: '请写明是否批准' }),
  opinion: required('审批意见', 1000),
  validUntil: isoDate('有效期至').optional(),
});

// ---------------------------------------------------------------------------------------------------
// AV-record list (R-R03, R-R04)

// 录像, 录音, 照相, 视频监控 (R-R10) and electronic data; a fixed camera's footage counts as video.
export const AV_FORMS = ['video', 'audio', 'photo', 'surveillance', 'electronic'] as const;
export const AV_FORM_LABELS = { video: '录像', audio: '录音', photo: '照相', surveillance: '视频监控', electronic: '电子数据' } as const;
export const PUBLICITY = ['not_public', 'on_request', 'public'] as const;
export const PUBLICITY_LABELS = { not_public: '不公开', on_request: '依申请公开', public: '主动公开' } as const;

const lines = (label: string, min: number) => z.array(required(label, 300)).min(min, `至少写明一项${label}`).max(30);

/** One entry of the AV-record list: every field R-R10 names (seeds 000, 001, 002). */
export const AvRule = z.object({
  requirement: z.enum(AV_LEVELS, `记录要求应为 ${AV_LEVELS.join('、')} 之一`),
  /** 执法行为种类, e.g. 行政检查. */
  actKind: required('执法行为种类', 50),
  /** 执法阶段和环节, e.g. 调查取证阶段 · 现场检查. */
  stage: required('执法阶段和环节', 100),
  /** 执法场所, e.g. 当事人经营场所、询问室、听证室. */
  place: required('执法场所', 200),
  /** Who records (岗位), e.g. 主办执法人员. */
  recorder: required('记录人员', 100),
  device: required('记录设备', 100),
  forms: z.array(z.enum(AV_FORMS, `记录形式应为 ${AV_FORMS.join('、')} 之一`)).min(1, '至少一种记录形式').max(AV_FORMS.length),
  requiredElements: z.array(required('记录要素', 200)).min(1, '至少写明一项记录要素').max(30),
  /** 记录内容: what the recording must show, in a sentence. */
  content: required('记录内容', 1000),
  /** 注意事项 / 重点: what the recorder must take care of. */
  keyPoints: lines('记录重点', 1),
  publicity: z.enum(PUBLICITY, `公开属性应为 ${PUBLICITY.join('、')} 之一`),
  retention: z.object(
    {
      period: required('保存期限', 50),
      /** The period in years for the archive (0 = 永久). */
      years: z.number({ error: '保存年限应为数字' }).int('保存年限应为整数').min(0, '保存年限不得为负（0 表示永久）').max(100, '保存年限最多 100 年'),
      method: required('保存方式', 200),
      /** R-R05: hours (natural time) from the recording's end to its upload into the evidence store. */
      handoverHours: z.number({ error: '移交时限应为数字' }).int('移交时限应为整数小时').min(1, '移交时限至少 1 小时').max(720, '移交时限最多 720 小时'),
    },
    { error: '请写明保存期限、年限、方式和移交时限' },
  ),
  /** 监督管理: who checks the records and how. */
  supervision: required('监督管理', 500),
  /** 是否全过程音像记录. */
  fullProcess: z.boolean({ error: '请写明是否全过程音像记录' }),
  /** 执法行为用语指引 for the steps this entry covers (R-R10), shown to the officer there. */
  conductLanguage: z.array(required('执法用语', 300)).max(30).default([]),
  /** R-R06: roles that may view these records inside the agency and its supervisors. */
  viewRoles: z.array(z.enum(ROLES)).min(1, '至少允许一个角色调阅').max(ROLES.length),
});
export type AvRule = z.infer<typeof AvRule>;

export const AV_PRESETS = ['statutory', 'strict_001', 'province'] as const;

export const AvRuleSetInput = z.object({
  agencyId: uuid('执法主体编号'),
  effectiveFrom: isoDate('生效日期'),
  note: text('说明', 1000).default(''),
  /** The starting point the listed rules override: the statutory floor (default), 001's stricter set, or the province's list in force. */
  base: z.enum(AV_PRESETS, `起点应为 ${AV_PRESETS.join('、')} 之一`).default('statutory'),
  rules: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, '规则标识应为小写字母、数字和下划线'), AvRule),
});
/** A province-unified list (R-R10: published at provincial level, adopted by agencies). */
export const ProvinceAvListInput = z.object({
  province: z.string().regex(/^[1-9][0-9]$/, '省级行政区划代码应为两位数字'),
  effectiveFrom: isoDate('生效日期'),
  note: text('说明', 1000).default(''),
  base: z.enum(['statutory', 'strict_001'], '起点应为 statutory 或 strict_001').default('statutory'),
  rules: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, '规则标识应为小写字母、数字和下划线'), AvRule),
});
export type ProvinceAvListInput = z.infer<typeof ProvinceAvListInput>;
export type AvRuleSetInput = z.infer<typeof AvRuleSetInput>;

// ---------------------------------------------------------------------------------------------------
// Major-decision catalog (R-L04)

export const CATALOG_CATEGORIES = ['major_measure', 'public_interest', 'social_impact', 'party_rights', 'after_hearing', 'complex'] as const;
export const CATALOG_CATEGORY_LABELS: Record<(typeof CATALOG_CATEGORIES)[number], string> = {
  major_measure: '重大行政许可、行政处罚、行政强制',
  public_interest: '涉及重大公共利益',
  social_impact: '可能造成重大社会影响或引发社会风险',
  party_rights: '直接关系行政相对人或第三人重大权益',
  after_hearing: '经过听证程序作出',
  complex: '案件情况疑难复杂、涉及多个法律关系',
};

export const CatalogEntry = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '条目编号应为 1–40 位字母、数字、下划线或连字符'),
  title: required('条目名称', 200),
  category: z.enum(CATALOG_CATEGORIES, `类别应为 ${CATALOG_CATEGORIES.join('、')} 之一`),
  basis: text('依据', 500).optional(),
  /** Every given condition must hold (all); an entry with none never matches. */
  when: z
    .object({
      procedures: z.array(z.string().max(120)).min(1).optional(),
      caseTypes: z.array(z.string().max(40)).min(1).optional(),
      /** The notified or decided fine (元), whichever is higher. */
      minFine: z.number().min(0).optional(),
      minAmountInvolved: z.number().min(0).optional(),
      /** Any of these penalty kinds proposed (行政处罚法第九条). */
      penaltyKinds: z.array(z.string().max(50)).min(1).optional(),
      hearingHeld: z.literal(true).optional(),
      measureKinds: z.array(z.string().max(40)).min(1).optional(),
      flags: z.array(z.enum(PROFILE_FLAGS)).min(1).optional(),
    })
    .refine((w) => Object.values(w).some((v) => v !== undefined), '条目至少要有一个适用条件'),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const CatalogInput = z.object({
  agencyId: uuid('执法主体编号'),
  effectiveFrom: isoDate('生效日期'),
  note: text('说明', 1000).default(''),
  entries: z.array(CatalogEntry).min(1, '目录清单至少一项').max(200),
});
export type CatalogInput = z.infer<typeof CatalogInput>;

// ---------------------------------------------------------------------------------------------------
// Legal review (R-L05, R-L06, R-L07)

export const ReviewSubmission = z.object({
  on: isoDate('报送日期'),
  summary: required('案件情况说明', 5000),
  proposedDecision: required('拟作出的执法决定', 3000),
  materials: z
    .array(
      z.object({
        kind: z.enum(REVIEW_MATERIALS, `材料类别应为 ${REVIEW_MATERIALS.join('、')} 之一`),
        note: text('说明', 2000).default(''),
        documentIds: z.array(uuid('文书编号')).max(100).default([]),
        recordIds: z.array(uuid('记录编号')).max(200).default([]),
      }),
    )
    .max(50),
  /** R-L06: the submitting unit answers for the truth and completeness of what it submits. */
  declaration: z.literal(true, '报送单位须声明对材料的真实性、完整性负责'),
  /** R-L03: a roster entry (the agency's own, or one another unit shares) assigned to review this submission. */
  reviewerId: uuid('审核人员名单编号').optional(),
  /** R-L07: after problems were found, the unit answers each problem of the last round point by point. */
  answers: z.array(z.object({ problem: z.number().int().min(0).max(49), answer: required('整改说明', 2000) })).max(50).default([]),
  /** The legal basis of the proposed decision: the decision must keep it (R-L01, src/review/gate.ts). */
  legalBasis: text('拟适用的法律依据', 1000).optional(),
});
export type ReviewSubmission = z.infer<typeof ReviewSubmission>;

export const ReviewOpinion = z
  .object({
    on: isoDate('审核日期'),
    result: z.enum(['passed', 'problems'], '审核结论应为 passed（同意）或 problems（存在问题）'),
    checklist: z.record(
      z.enum(REVIEW_POINTS),
      z.object({ ok: z.boolean({ error: '请逐项写明是否符合' }), note: text('说明', 1000).default('') }),
    ),
    opinion: required('书面审核意见', 5000),
    problems: z.array(required('存在的问题', 1000)).max(50).default([]),
    /** The signer's own entry on the roster (法制审核人员名单); another entry is refused (R-L07). */
    rosterId: uuid('审核人员名单编号').optional(),
  })
  .superRefine((o, c) => {
    const missing = REVIEW_POINTS.filter((p) => !o.checklist[p]);
    if (missing.length) c.addIssue({ code: 'custom', path: ['checklist'], message: `审核要点不全（R-L05），缺少：${missing.map((p) => REVIEW_POINT_LABELS[p]).join('、')}` });
    const failed = REVIEW_POINTS.filter((p) => o.checklist[p] && !o.checklist[p]!.ok);
    if (o.result === 'passed' && failed.length) c.addIssue({ code: 'custom', path: ['result'], message: `审核要点“${failed.map((p) => REVIEW_POINT_LABELS[p]).join('、')}”不符合，不能作出同意的意见` });
    if (o.result === 'problems' && o.problems.length === 0) c.addIssue({ code: 'custom', path: ['problems'], message: '审核发现问题的，须逐项写明存在的问题（R-L07）' });
  });
export type ReviewOpinion = z.infer<typeof ReviewOpinion>;

// ---------------------------------------------------------------------------------------------------
// Adaptations (an agency's own version of a procedure)

export const AdaptationInput = z.object({
  agencyId: uuid('执法主体编号'),
  baseId: required('基础程序', 120),
  name: text('程序名称', 60).optional(),
  description: text('说明', 1000).optional(),
  insertSteps: z.array(z.object({ between: z.tuple([z.string(), z.string()]), step: z.record(z.string(), z.unknown()) })).default([]),
  addSteps: z.array(z.record(z.string(), z.unknown())).default([]),
  addFacts: z.array(z.record(z.string(), z.unknown())).default([]),
  addClocks: z.array(z.record(z.string(), z.unknown())).default([]),
  addDocuments: z.array(z.object({ key: z.string(), name: z.string() })).default([]),
  clocks: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  steps: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  minOnSiteOfficers: z.number().int().min(2).max(10).optional(),
});
export type AdaptationInput = z.infer<typeof AdaptationInput>;
