// Case documents (执法文书) as structured forms: one definition per document of the national basic
// formats (行政执法文书基本格式), with its Chinese title, its fields (which are required), the rules
// the law sets on its content, and a short description of that content (R-R02). Decisions state their
// reasons (R-R09); notices state the reasons, the legal basis and the party's rights with the
// deadlines (R-P09). The same definitions drive validation, the PDF, the DOCX draft and the form UI.
import { z } from 'zod';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { creditCodeError, idNumberError } from '../../registry/codes.ts';

// ---------------------------------------------------------------------------------------------
// Field builders. Each returns a zod schema plus what a form needs to show it.

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'enum'
  | 'integer'
  | 'money'
  | 'party'
  | 'officers'
  | 'person'
  | 'strings'
  | 'items'
  | 'qa'
  | 'penalties'
  | 'served_documents'
  | 'index_entries'
  | 'remedies'
  | 'payment';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options?: readonly string[];
  hint?: string;
}

export interface FieldDef<S extends z.ZodType = z.ZodType> {
  label: string;
  kind: FieldKind;
  required: boolean;
  schema: S;
  options?: readonly string[];
  hint?: string;
}

const missing = (v: unknown) => v === undefined || v === null;

// Every schema carries its Chinese label as JSON Schema metadata (z.toJSONSchema → GET
// /api/v1/document-forms/:type), so the form UI labels nested fields without a second description.
// `x-kind` marks what JSON Schema cannot say: a datetime without seconds, a long text, an amount of money.
const titled = (title: string, extra: Record<string, unknown> = {}) => ({ title, ...extra });

export const str = (label: string, max: number) =>
  z
    .string({ error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是文本`) })
    .trim()
    .max(max, `${label}最多 ${max} 字`)
    .meta(titled(label));
export const reqStr = (label: string, max = 200) => str(label, max).min(1, `请填写${label}`);

const dateStr = (label: string) =>
  z
    .string({ error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是 YYYY-MM-DD 格式的日期`) })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}必须是 YYYY-MM-DD 格式`)
    .refine((s) => validDate(s), `${label}不是有效日期`)
    .meta(titled(label, { format: 'date' }));

const dateTimeStr = (label: string) =>
  z
    .string({ error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是 YYYY-MM-DDTHH:mm 格式的时间`) })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label}必须是 YYYY-MM-DDTHH:mm 格式（北京时间）`)
    .refine((s) => validDate(s.slice(0, 10)) && Number(s.slice(11, 13)) < 24 && Number(s.slice(14, 16)) < 60, `${label}不是有效时间`)
    .meta(titled(label, { 'x-kind': 'datetime' }));

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const money = (label: string) =>
  z
    .number({ error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是数字（单位：元）`) })
    .positive(`${label}必须大于 0`)
    .max(1e12, `${label}超出范围`)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${label}最多精确到分`)
    .meta(titled(label, { 'x-kind': 'money' }));

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是整数`) })
    .int(`${label}必须是整数`)
    .min(min, `${label}不得小于 ${min}`)
    .max(max, `${label}不得大于 ${max}`)
    .meta(titled(label));

const bool = (label: string) => z.boolean({ error: (i) => (missing(i.input) ? `请选择${label}` : `${label}应为是或否`) }).meta(titled(label));

const enumOf = <const T extends readonly [string, ...string[]]>(label: string, values: T) =>
  z.enum(values, { error: (i) => (missing(i.input) ? `请选择${label}` : `${label}应为${values.join('、')}之一`) }).meta(titled(label));

export const list = <S extends z.ZodType>(label: string, item: S, min: number, max: number, minMessage?: string) =>
  z
    .array(item, { error: (i) => (missing(i.input) ? `请填写${label}` : `${label}必须是列表`) })
    .min(min, minMessage ?? `${label}至少填写 ${min} 项`)
    .max(max, `${label}最多 ${max} 项`)
    .meta(titled(label));

/** The field's own label wins over its value's (a Party used as 被检查人); the hint becomes the description. */
const fieldMeta = <S extends z.ZodType>(schema: S, label: string, kind: FieldKind, hint?: string): S =>
  schema.meta(titled(label, { 'x-kind': kind, ...(hint ? { description: hint } : {}) }));

export function req<S extends z.ZodType>(label: string, kind: FieldKind, schema: S, extra: { options?: readonly string[]; hint?: string } = {}): FieldDef<S> {
  return { label, kind, required: true, schema: fieldMeta(schema, label, kind, extra.hint), ...extra };
}
export function opt<S extends z.ZodType>(label: string, kind: FieldKind, schema: S, extra: { options?: readonly string[]; hint?: string } = {}): FieldDef<z.ZodOptional<S>> {
  return { label, kind, required: false, schema: fieldMeta(schema, label, kind, extra.hint).optional(), ...extra };
}

export const f = {
  text: (label: string, max = 200, hint?: string) => req(label, 'text', reqStr(label, max), { hint }),
  textOpt: (label: string, max = 200, hint?: string) => opt(label, 'text', str(label, max), { hint }),
  area: (label: string, max = 5000, hint?: string) => req(label, 'textarea', reqStr(label, max), { hint }),
  areaOpt: (label: string, max = 5000, hint?: string) => opt(label, 'textarea', str(label, max), { hint }),
  date: (label: string) => req(label, 'date', dateStr(label)),
  dateOpt: (label: string) => opt(label, 'date', dateStr(label)),
  datetime: (label: string) => req(label, 'datetime', dateTimeStr(label), { hint: '北京时间，YYYY-MM-DDTHH:mm' }),
  bool: (label: string, hint?: string) => req(label, 'boolean', bool(label), { hint }),
  choice: <const T extends readonly [string, ...string[]]>(label: string, values: T) => req(label, 'enum', enumOf(label, values), { options: values }),
  integer: (label: string, min: number, max: number, hint?: string) => req(label, 'integer', int(label, min, max), { hint }),
  integerOpt: (label: string, min: number, max: number, hint?: string) => opt(label, 'integer', int(label, min, max), { hint }),
  moneyOpt: (label: string, hint?: string) => opt(label, 'money', money(label), { hint }),
  strings: (label: string, min = 1, max = 100, itemMax = 500) => req(label, 'strings', list(label, reqStr(label, itemMax), min, max)),
  stringsOpt: (label: string, max = 100, itemMax = 500) => opt(label, 'strings', list(label, reqStr(label, itemMax), 0, max)),
};

// ---------------------------------------------------------------------------------------------
// Composite values shared by several documents.

export const PARTY_TYPES = ['organization', 'individual'] as const;
export const ID_TYPES = ['credit_code', 'id_card', 'other'] as const;

/** 当事人: a unit (统一社会信用代码, legal representative) or a person (身份证件). */
export const Party = z
  .object(
    {
      type: z.enum(PARTY_TYPES, { error: (i) => (missing(i.input) ? '请选择当事人类型' : '当事人类型应为单位（organization）或个人（individual）') }).meta(titled('当事人类型', { 'x-labels': { organization: '单位', individual: '个人' } })),
      name: reqStr('当事人名称或姓名', 200),
      idType: z
        .enum(ID_TYPES, '证件类型应为统一社会信用代码（credit_code）、居民身份证（id_card）或其他证件（other）')
        .meta(titled('证件类型', { 'x-labels': { credit_code: '统一社会信用代码', id_card: '居民身份证', other: '其他证件' } }))
        .optional(),
      idNumber: reqStr('当事人统一社会信用代码或身份证件号码', 50),
      address: reqStr('当事人住所（住址）', 200),
      legalRepresentative: str('法定代表人（负责人）', 50).optional(),
      phone: str('联系电话', 50).optional(),
    },
    { error: (i) => (missing(i.input) ? '请填写当事人信息' : '当事人信息格式不正确') },
  )
  .superRefine((p, c) => {
    if (p.type === 'organization') {
      if (!p.legalRepresentative) c.addIssue({ code: 'custom', path: ['legalRepresentative'], message: '单位当事人须填写法定代表人（负责人）' });
      if ((p.idType ?? 'credit_code') === 'credit_code') {
        const err = creditCodeError(p.idNumber.toUpperCase());
        if (err) c.addIssue({ code: 'custom', path: ['idNumber'], message: err });
      }
    } else if ((p.idType ?? 'id_card') === 'id_card') {
      const err = idNumberError(p.idNumber);
      if (err) c.addIssue({ code: 'custom', path: ['idNumber'], message: err });
    }
  })
  .meta(titled('当事人'));
export type Party = z.infer<typeof Party>;

export const Officer = z.object(
  {
    name: reqStr('执法人员姓名', 50),
    certificateNumber: reqStr('执法证号', 50),
  },
  { error: '执法人员应填写姓名和执法证号' },
).meta(titled('执法人员'));
export type Officer = z.infer<typeof Officer>;

/** R-P08 (行政处罚法第四十二条、第五十五条): investigation and inspection by at least two officers. */
export const officers = (label: string, min = 2) => {
  const schema = list(label, Officer, min, 20, min >= 2 ? `${label}不得少于两人（行政处罚法第四十二条）` : undefined).superRefine((xs, c) => {
    const seen = new Set<string>();
    xs.forEach((o, i) => {
      if (seen.has(o.certificateNumber)) c.addIssue({ code: 'custom', path: [i, 'certificateNumber'], message: `${label}中执法证号 ${o.certificateNumber} 重复` });
      seen.add(o.certificateNumber);
    });
  });
  return req(label, 'officers', schema, { hint: min >= 2 ? '至少两名持有效执法证的人员' : undefined });
};

export const Item = z.object(
  {
    name: reqStr('物品名称', 200),
    specification: str('规格型号', 200).optional(),
    quantity: reqStr('数量', 50),
    remarks: str('备注', 200).optional(),
  },
  { error: '清单中的每一项应填写名称和数量' },
).meta(titled('物品'));
export type Item = z.infer<typeof Item>;

export const PENALTY_KINDS = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
  '法律、行政法规规定的其他行政处罚',
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];
/** Kinds that carry an amount of money. */
export const MONETARY_PENALTIES: readonly PenaltyKind[] = ['罚款', '没收违法所得'];
/** 行政处罚法第六十三条: these always give the party the right to a hearing. */
export const HEARING_PENALTIES: readonly PenaltyKind[] = ['降低资质等级', '吊销许可证件', '责令停产停业', '责令关闭', '限制从业'];

/** One penalty (行政处罚法第九条). */
export const Penalty = z
  .object(
    {
      kind: z.enum(PENALTY_KINDS, { error: (i) => (missing(i.input) ? '请选择处罚种类' : `处罚种类应为行政处罚法第九条规定的种类：${PENALTY_KINDS.join('、')}`) }).meta(titled('处罚种类')),
      amount: money('金额').optional(),
      detail: str('处罚内容说明', 1000).optional(),
    },
    { error: '每项处罚应填写种类' },
  )
  .superRefine((p, c) => {
    if (MONETARY_PENALTIES.includes(p.kind) && p.amount === undefined) c.addIssue({ code: 'custom', path: ['amount'], message: `${p.kind}须写明金额（元）` });
    if (!MONETARY_PENALTIES.includes(p.kind) && p.amount !== undefined && p.kind !== '没收非法财物') c.addIssue({ code: 'custom', path: ['amount'], message: `${p.kind}不填写金额` });
    if (['没收非法财物', '暂扣许可证件', '限制开展生产经营活动', '责令停产停业', '限制从业', '行政拘留', '法律、行政法规规定的其他行政处罚'].includes(p.kind) && !p.detail)
      c.addIssue({ code: 'custom', path: ['detail'], message: `${p.kind}须写明具体内容（物品、证件、期限或范围）` });
  })
  .meta(titled('处罚'));
export type Penalty = z.infer<typeof Penalty>;

/** 救济途径: the body that hears 行政复议 and the court for 行政诉讼, named on the document. */
export const Remedies = z.object(
  {
    reviewBody: reqStr('行政复议机关', 100),
    court: reqStr('管辖人民法院', 100),
  },
  { error: (i) => (missing(i.input) ? '请填写救济途径（行政复议机关和人民法院）' : '救济途径格式不正确') },
).meta(titled('救济途径'));
export type Remedies = z.infer<typeof Remedies>;

/** How and by when money is paid (行政处罚法第六十七条: within 15 days of service). */
export const Payment = z.object(
  {
    deadlineDays: int('缴款期限（日）', 1, 15).default(15),
    method: reqStr('缴款方式', 500),
    account: str('收款账户', 200).optional(),
  },
  { error: (i) => (missing(i.input) ? '处以罚款或没收违法所得的，请填写缴款方式和期限' : '缴款信息格式不正确') },
).meta(titled('缴款方式和期限'));
export type Payment = z.infer<typeof Payment>;

const Interviewee = z.object(
  {
    name: reqStr('被询问人姓名', 50),
    gender: z.enum(['男', '女'], '性别应为男或女').meta(titled('性别')).optional(),
    idNumber: str('被询问人身份证件号码', 50).optional(),
    employer: str('工作单位', 200).optional(),
    position: str('职务', 50).optional(),
    address: str('住址', 200).optional(),
    phone: str('联系电话', 50).optional(),
    relation: str('与当事人关系', 100).optional(),
  },
  { error: (i) => (missing(i.input) ? '请填写被询问人信息' : '被询问人信息格式不正确') },
).meta(titled('被询问人'));

const OnSitePerson = z.object(
  {
    name: reqStr('现场负责人姓名', 50),
    position: str('现场负责人职务', 50).optional(),
    phone: str('现场负责人联系电话', 50).optional(),
  },
  { error: (i) => (missing(i.input) ? '请填写现场负责人' : '现场负责人信息格式不正确') },
).meta(titled('现场负责人'));

const QA = z.object({ q: reqStr('问', 2000), a: reqStr('答', 5000) }, { error: '问答应填写问和答' }).meta(titled('问答'));

export const ServedDocument = z.object({ title: reqStr('送达文书名称', 100), number: str('文号', 100).optional() }, { error: '送达文书应填写名称' }).meta(titled('送达文书'));

const IndexEntry = z.object(
  {
    number: str('文号', 100).optional(),
    author: reqStr('责任者', 100),
    title: reqStr('文件题名', 200),
    date: dateStr('文件日期'),
    pages: reqStr('页号', 20),
    remarks: str('备注', 100).optional(),
  },
  { error: '目录的每一项应填写责任者、题名、日期和页号' },
).meta(titled('目录条目'));

// ---------------------------------------------------------------------------------------------
// Document definitions.

export const DOCUMENT_TYPES = [
  'filing_approval',
  'inspection_record',
  'inquiry_record',
  'evidence_preservation_notice',
  'seizure_decision',
  'seizure_record',
  'prior_notice',
  'hearing_notice',
  'hearing_record',
  'penalty_decision',
  'no_penalty_decision',
  'service_receipt',
  'closing_approval',
  'case_file_cover',
  'case_file_index',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** How a document is laid out: a letter to the party, an approval form, a record (笔录), a cover, a list. */
export type DocumentLayout = 'letter' | 'form' | 'record' | 'cover' | 'list';

/** What validation may need beyond the fields: the date the document is issued. */
export interface ValidationContext {
  issuedOn?: string;
}

type Shape = Record<string, FieldDef>;
type Out<F extends Shape> = z.infer<z.ZodObject<{ [K in keyof F]: F[K]['schema'] }>>;

export interface DocumentDefinition<F extends Shape = Shape> {
  type: DocumentType;
  /** Chinese title of the document. */
  title: string;
  /** The heading printed on it, where it differs from the title (the cover reads 行政执法案卷). */
  printedTitle: string;
  layout: DocumentLayout;
  /** Default kind part of the 文号 (e.g. 处罚 in X市监处罚〔2026〕12号); absent for documents without one. */
  kindAbbreviation?: string;
  /** Issued to the party (送达); records and internal forms are not. */
  issuedToParty: boolean;
  /** R-R04: the step must be recorded on video throughout (查封、扣押). */
  avMandatory: boolean;
  fields: F;
  schema: z.ZodType<Out<F>>;
  /** The legal content of the document in one paragraph, with its sources. */
  describe(): string;
  fieldSpecs(): FieldSpec[];
}

function define<F extends Shape>(d: {
  type: DocumentType;
  title: string;
  printedTitle?: string;
  layout: DocumentLayout;
  kindAbbreviation?: string;
  issuedToParty?: boolean;
  avMandatory?: boolean;
  fields: F;
  rules?: (v: Out<F>, c: z.RefinementCtx, ctx: ValidationContext) => void;
  description: string;
}): DocumentDefinition<F> {
  const shape = Object.fromEntries(Object.entries(d.fields).map(([k, v]) => [k, v.schema])) as { [K in keyof F]: F[K]['schema'] };
  const base = z.object(shape);
  const rules = d.rules;
  const schema = rules ? base.superRefine((v, c) => rules(v as Out<F>, c, currentContext)) : base;
  return {
    type: d.type,
    title: d.title,
    printedTitle: d.printedTitle ?? d.title,
    layout: d.layout,
    kindAbbreviation: d.kindAbbreviation,
    issuedToParty: d.issuedToParty ?? false,
    avMandatory: d.avMandatory ?? false,
    fields: d.fields,
    schema: schema as unknown as z.ZodType<Out<F>>,
    describe: () => d.description,
    fieldSpecs: () =>
      Object.entries(d.fields).map(([key, v]) => ({
        key,
        label: v.label,
        kind: v.kind,
        required: v.required,
        ...(v.options ? { options: v.options } : {}),
        ...(v.hint ? { hint: v.hint } : {}),
      })),
  };
}

// zod refinements take no context argument; validation sets this for the duration of one parse.
let currentContext: ValidationContext = {};

export const issue = (c: z.RefinementCtx, path: (string | number)[], message: string) => c.addIssue({ code: 'custom', path, message });

function startBeforeEnd(v: { startAt: string; endAt: string }, c: z.RefinementCtx) {
  if (v.endAt < v.startAt) issue(c, ['endAt'], '结束时间不得早于开始时间');
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export const partyField = (label = '当事人') => req(label, 'party', Party);
export const remediesField = () => req('救济途径', 'remedies', Remedies, { hint: '行政复议六十日内、行政诉讼六个月内（期限由法律规定，自动写入文书）' });
export const itemsField = (label: string, min = 1) => req(label, 'items', list(label, Item, min, 500));
const AV_REQUIRED = '查封、扣押应当全程音像记录，请填写音像记录编号（R-R04）';
const avRequired = () => req('音像记录编号', 'text', z.string({ error: AV_REQUIRED }).trim().min(1, AV_REQUIRED).max(100, '音像记录编号最多 100 字'));
const avOptional = () => f.textOpt('音像记录编号', 100);

const filingApproval = define({
  type: 'filing_approval',
  title: '立案审批表',
  layout: 'form',
  kindAbbreviation: '立',
  fields: {
    caseSource: f.text('案件来源', 100, '如：监督检查、投诉举报、其他机关移送、上级交办'),
    clueReceivedOn: f.date('线索发现（受理）日期'),
    cause: f.text('案由', 200),
    party: partyField(),
    summary: f.area('简要案情'),
    filingReason: f.area('立案理由及依据', 2000, '如：符合《中华人民共和国行政处罚法》第五十四条规定的立案条件'),
    handlers: officers('承办人'),
    handlerOpinion: f.text('承办人意见', 1000),
    departmentOpinion: f.textOpt('承办机构意见', 1000),
    approverOpinion: f.textOpt('执法机关负责人审批意见', 1000),
    approver: f.textOpt('审批人', 50),
    approvedOn: f.dateOpt('审批日期'),
    remarks: f.textOpt('备注', 500),
  },
  rules: (v, c, ctx) => {
    if (ctx.issuedOn && v.clueReceivedOn > ctx.issuedOn) issue(c, ['clueReceivedOn'], '线索发现日期不得晚于立案审批日期');
    if (v.approverOpinion && !v.approver) issue(c, ['approver'], '填写审批意见的，须写明审批人');
  },
  description:
    '立案审批表：记载案件来源、线索发现日期、案由、当事人基本情况、简要案情、立案理由及依据，承办人（不少于两名执法人员）意见、承办机构意见和执法机关负责人审批意见。行政处罚法第五十四条：符合立案标准的，行政机关应当及时立案。',
});

const inspectionRecord = define({
  type: 'inspection_record',
  title: '现场检查（勘验）笔录',
  layout: 'record',
  fields: {
    caseNumber: f.textOpt('案号', 100),
    startAt: f.datetime('检查开始时间'),
    endAt: f.datetime('检查结束时间'),
    place: f.text('检查（勘验）地点', 200),
    party: partyField('被检查人'),
    onSitePerson: req('现场负责人', 'person', OnSitePerson),
    inspectors: officers('检查人员'),
    recorder: f.text('记录人', 50),
    recusalRequested: f.bool('被检查人是否申请回避'),
    findings: f.area('检查（勘验）情况', 10000),
    witnesses: f.textOpt('见证人', 200),
    partyOpinion: f.textOpt('被检查人意见', 1000, '默认：以上笔录我已看过，与事实相符。'),
    avRecordRef: avOptional(),
  },
  rules: (v, c) => startBeforeEnd(v, c),
  description:
    '现场检查（勘验）笔录：载明检查起止时间、地点、被检查人、现场负责人、检查人员（不少于两人，出示执法证件）和记录人，告知申请回避的权利，如实记录检查（勘验）情况；由被检查人（或现场负责人）逐页签名确认，拒绝签名的由执法人员注明，可邀请见证人。依据：行政处罚法第四十二条、第五十五条。',
});

const inquiryRecord = define({
  type: 'inquiry_record',
  title: '询问笔录',
  layout: 'record',
  fields: {
    caseNumber: f.textOpt('案号', 100),
    startAt: f.datetime('询问开始时间'),
    endAt: f.datetime('询问结束时间'),
    place: f.text('询问地点', 200),
    interviewers: officers('询问人'),
    recorder: f.text('记录人', 50),
    interviewee: req('被询问人', 'person', Interviewee),
    recusalRequested: f.bool('被询问人是否申请回避'),
    qa: req('问答', 'qa', list('问答', QA, 1, 500)),
    intervieweeConfirmation: f.textOpt('被询问人核对意见', 500, '默认：以上笔录我看过（或者已向我宣读过），和我说的相符。'),
    avRecordRef: avOptional(),
  },
  rules: (v, c) => {
    startBeforeEnd(v, c);
    if (v.interviewee.idNumber && /^\d{17}[\dXx]$/.test(v.interviewee.idNumber)) {
      const err = idNumberError(v.interviewee.idNumber);
      if (err) issue(c, ['interviewee', 'idNumber'], err);
    }
  },
  description:
    '询问笔录：载明询问起止时间和地点、询问人（不少于两名执法人员，出示执法证件）、记录人、被询问人基本情况，告知申请回避的权利和如实陈述的义务，逐问逐答记录；由被询问人逐页核对签名。依据：行政处罚法第四十二条、第五十五条。',
});

const evidencePreservationNotice = define({
  type: 'evidence_preservation_notice',
  title: '证据先行登记保存通知书',
  layout: 'letter',
  kindAbbreviation: '先登保',
  issuedToParty: true,
  fields: {
    party: partyField(),
    suspectedViolation: f.area('涉嫌违法行为', 2000),
    reasons: f.area('先行登记保存的理由', 2000, '证据可能灭失或者以后难以取得的情形'),
    legalBasis: f.text('法律依据', 500, '如：《中华人民共和国行政处罚法》第五十六条'),
    items: itemsField('先行登记保存物品清单'),
    storageMethod: f.choice('保存方式', ['就地保存', '异地保存'] as const),
    storagePlace: f.text('保存地点', 200),
    contactPerson: f.text('联系人', 50),
    contactPhone: f.text('联系电话', 50),
  },
  description:
    '证据先行登记保存通知书：在证据可能灭失或者以后难以取得的情况下，经行政机关负责人批准，可以先行登记保存（行政处罚法第五十六条）。载明当事人、涉嫌违法行为、理由和依据、物品清单、保存方式和地点，告知当事人在此期间不得损毁、销毁或者转移证据，行政机关应当在七日内及时作出处理决定。',
});

const seizureDecision = define({
  type: 'seizure_decision',
  title: '查封（扣押）决定书',
  layout: 'letter',
  kindAbbreviation: '强制',
  issuedToParty: true,
  avMandatory: true,
  fields: {
    measure: f.choice('强制措施', ['查封', '扣押'] as const),
    party: partyField(),
    facts: f.area('涉嫌违法事实', 5000),
    reasons: f.area('采取强制措施的理由', 3000),
    legalBasis: f.text('法律依据', 1000, '如：《中华人民共和国食品安全法》第一百一十条第四项、《中华人民共和国行政强制法》第二十二条'),
    items: itemsField('场所、设施、财物清单'),
    startDate: f.date('期限起始日'),
    endDate: f.date('期限届满日'),
    custody: f.text('保管地点及方式', 200),
    remedies: remediesField(),
  },
  rules: (v, c, ctx) => {
    if (v.endDate < v.startDate) issue(c, ['endDate'], '期限届满日不得早于起始日');
    // 行政强制法第二十五条: at most 30 days; an extension is a separate decision.
    else if (v.endDate > addDays(v.startDate, 29)) issue(c, ['endDate'], '查封、扣押的期限不得超过三十日（行政强制法第二十五条）；需要延长的，应当另行作出延长决定');
    if (ctx.issuedOn && v.startDate < ctx.issuedOn) issue(c, ['startDate'], '期限起始日不得早于决定日期');
  },
  description:
    '查封（扣押）决定书：行政强制法第二十四条规定应当载明当事人的姓名或者名称、地址，查封、扣押的理由、依据和期限，查封、扣押场所、设施或者财物的名称、数量等，申请行政复议或者提起行政诉讼的途径和期限，行政机关的名称、印章和日期；期限不得超过三十日（第二十五条）。实施过程全程音像记录（R-R04）。',
});

const seizureRecord = define({
  type: 'seizure_record',
  title: '现场笔录',
  layout: 'record',
  avMandatory: true,
  fields: {
    caseNumber: f.textOpt('案号', 100),
    measure: f.choice('强制措施', ['查封', '扣押'] as const),
    startAt: f.datetime('开始时间'),
    endAt: f.datetime('结束时间'),
    place: f.text('地点', 200),
    party: partyField(),
    partyPresent: f.bool('当事人是否到场'),
    partyRepresentative: f.textOpt('到场人员（姓名及身份）', 200),
    officers: officers('执法人员'),
    recorder: f.text('记录人', 50),
    approval: f.text('批准情况', 500, '如：经本机关负责人批准；情况紧急的，写明当场实施后二十四小时内报告及补办批准情况'),
    rightsNotified: f.bool('是否当场告知理由、依据、权利和救济途径'),
    partyStatement: f.areaOpt('当事人陈述、申辩', 3000),
    proceedings: f.area('现场情况', 10000),
    items: req('场所、设施、财物清单', 'items', list('场所、设施、财物清单', Item, 0, 500)),
    witnesses: f.textOpt('见证人', 200),
    avRecordRef: avRequired(),
  },
  rules: (v, c) => {
    startBeforeEnd(v, c);
    // 行政强制法第十八条第（五）项: notify reasons, basis, rights and remedies on the spot.
    if (!v.rightsNotified) issue(c, ['rightsNotified'], '实施行政强制措施应当当场告知当事人采取行政强制措施的理由、依据以及当事人依法享有的权利、救济途径（行政强制法第十八条）');
    // 第十八条第（九）项: when the party is absent, a witness signs.
    if (!v.partyPresent && !v.witnesses) issue(c, ['witnesses'], '当事人不到场的，应当邀请见证人到场并在现场笔录上签名（行政强制法第十八条）');
  },
  description:
    '现场笔录（实施查封、扣押）：载明时间、地点、当事人及到场情况、执法人员（不少于两人）、批准情况，当场告知采取行政强制措施的理由、依据以及当事人依法享有的权利和救济途径，听取当事人的陈述和申辩，记录实施情况和清单；由当事人和执法人员签名，当事人不到场的由见证人签名（行政强制法第十八条）。全程音像记录（R-R04）。',
});

const priorNotice = define({
  type: 'prior_notice',
  title: '行政处罚事先告知书',
  layout: 'letter',
  kindAbbreviation: '罚告',
  issuedToParty: true,
  fields: {
    party: partyField(),
    facts: f.area('违法事实', 5000),
    evidence: f.strings('证据', 1, 100),
    reasons: f.area('处罚理由', 5000, '事实如何构成违法、情节和后果'),
    violatedProvisions: f.text('违反的法律条款', 1000),
    penaltyBasis: f.text('处罚依据', 1000),
    discretion: f.area('裁量情况', 3000, '适用的裁量基准及从轻、减轻、从重或一般情节'),
    proposedPenalties: req('拟作出的行政处罚', 'penalties', list('拟作出的行政处罚', Penalty, 1, 10)),
    statementDeadlineDays: f.integer('陈述、申辩期限（工作日）', 3, 15, '自收到告知书之日起计算，通常为五个工作日'),
    hearingApplicable: f.bool('是否告知听证权利', '行政处罚法第六十三条规定的处罚应当告知'),
    largeAmountThreshold: f.moneyOpt('较大数额标准（元）', '本地规定的较大数额罚款、较大数额违法所得或较大价值非法财物的起点'),
    contactPerson: f.text('联系人', 50),
    contactPhone: f.text('联系电话', 50),
    agencyAddress: f.textOpt('机关地址', 200),
  },
  rules: (v, c) => {
    // 行政处罚法第六十三条: which penalties give the right to a hearing.
    const reasons: string[] = [];
    const large = v.largeAmountThreshold;
    for (const p of v.proposedPenalties) {
      if (HEARING_PENALTIES.includes(p.kind)) reasons.push(p.kind);
      else if (large !== undefined && p.amount !== undefined && p.amount >= large)
        reasons.push(p.kind === '罚款' ? '较大数额罚款' : p.kind === '没收违法所得' ? '没收较大数额违法所得' : '没收较大价值非法财物');
    }
    if (reasons.length && !v.hearingApplicable)
      issue(c, ['hearingApplicable'], `拟作出${[...new Set(reasons)].join('、')}的行政处罚，必须告知当事人有要求听证的权利（行政处罚法第六十三条）`);
  },
  description:
    '行政处罚事先告知书：作出行政处罚决定之前，告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利（行政处罚法第四十四条）。载明违法事实和证据、处罚理由、违反的条款和处罚依据、裁量情况、拟处罚内容；陈述申辩的期限；属于第六十三条情形的，告知当事人可在告知后五日内要求听证（第六十四条）；逾期视为放弃。',
});

const hearingNotice = define({
  type: 'hearing_notice',
  title: '听证通知书',
  layout: 'letter',
  kindAbbreviation: '听通',
  issuedToParty: true,
  fields: {
    party: partyField(),
    cause: f.text('案由', 200),
    hearingRequestedOn: f.date('当事人要求听证日期'),
    hearingAt: f.datetime('听证时间'),
    place: f.text('听证地点', 200),
    publicHearing: f.bool('是否公开举行'),
    closedReason: f.textOpt('不公开举行的理由', 200, '涉及国家秘密、商业秘密或者个人隐私'),
    presidingOfficer: f.text('听证主持人', 50),
    hearingOfficers: f.stringsOpt('听证员', 4, 50),
    clerk: f.text('记录员', 50),
    contactPerson: f.text('联系人', 50),
    contactPhone: f.text('联系电话', 50),
  },
  rules: (v, c, ctx) => {
    // 行政处罚法第六十四条第（二）项: notify at least seven days before the hearing.
    if (ctx.issuedOn && v.hearingAt.slice(0, 10) < addDays(ctx.issuedOn, 7))
      issue(c, ['hearingAt'], `行政机关应当在举行听证的七日前通知当事人（行政处罚法第六十四条），听证日期不得早于 ${addDays(ctx.issuedOn, 7)}`);
    if (v.hearingAt.slice(0, 10) < v.hearingRequestedOn) issue(c, ['hearingAt'], '听证时间不得早于当事人要求听证的日期');
    if (!v.publicHearing && !v.closedReason) issue(c, ['closedReason'], '听证应当公开举行；不公开举行的，须写明涉及国家秘密、商业秘密或者个人隐私的理由（行政处罚法第六十四条）');
  },
  description:
    '听证通知书：在举行听证的七日前通知当事人听证的时间、地点（行政处罚法第六十四条），写明是否公开举行、听证主持人、听证员和记录员，告知当事人申请回避、委托一至二人代理、质证和辩论、最后陈述的权利，以及无正当理由拒不出席或者未经许可中途退出视为放弃听证权利。',
});

const hearingRecord = define({
  type: 'hearing_record',
  title: '听证笔录',
  layout: 'record',
  fields: {
    caseNumber: f.textOpt('案号', 100),
    cause: f.text('案由', 200),
    startAt: f.datetime('听证开始时间'),
    endAt: f.datetime('听证结束时间'),
    place: f.text('听证地点', 200),
    publicHearing: f.bool('是否公开举行'),
    presidingOfficer: f.text('听证主持人', 50),
    hearingOfficers: f.stringsOpt('听证员', 4, 50),
    clerk: f.text('记录员', 50),
    party: partyField(),
    partyAttendees: f.text('当事人及其委托代理人', 200),
    investigators: officers('案件调查人员'),
    recusalRequested: f.bool('当事人是否申请回避'),
    investigatorStatement: f.area('调查人员提出的违法事实、证据、处罚依据和处罚建议', 10000),
    partyStatement: f.area('当事人陈述、申辩和质证意见', 10000),
    debate: f.areaOpt('辩论情况', 10000),
    finalStatement: f.area('当事人最后陈述', 3000),
    avRecordRef: avOptional(),
  },
  rules: (v, c) => startBeforeEnd(v, c),
  description:
    '听证笔录：记载听证的时间、地点、是否公开，主持人、听证员、记录员，当事人及其代理人、案件调查人员；调查人员提出当事人违法的事实、证据和处罚建议，当事人进行申辩和质证；笔录交当事人或者其代理人核对无误后签字或者盖章（行政处罚法第六十四条）。听证结束后，行政机关应当根据听证笔录作出决定（第六十五条）。',
});

const penaltyDecision = define({
  type: 'penalty_decision',
  title: '行政处罚决定书',
  layout: 'letter',
  kindAbbreviation: '处罚',
  issuedToParty: true,
  fields: {
    party: partyField(),
    caseHistory: f.area('案件来源及调查经过', 3000, '立案、调查取证、告知、陈述申辩或听证、法制审核的经过'),
    facts: f.area('违法事实', 10000),
    evidence: f.strings('证据', 1, 100),
    partyStatement: f.area('当事人陈述、申辩或者听证意见', 5000, '未提出的写明：当事人在法定期限内未提出陈述、申辩，也未要求听证'),
    statementResponse: f.area('对陈述、申辩或者听证意见的采纳情况及理由', 5000),
    reasons: f.area('处罚理由', 5000, '认定违法的理由'),
    violatedProvisions: f.text('违反的法律条款', 1000),
    penaltyBasis: f.text('处罚依据', 1000),
    discretion: f.area('裁量情况', 3000, '适用的裁量基准及从轻、减轻、从重或一般情节'),
    legalReview: f.textOpt('法制审核情况', 500, '重大执法决定须写明已经法制审核'),
    penalties: req('处罚内容', 'penalties', list('处罚内容', Penalty, 1, 10)),
    payment: opt('缴款方式和期限', 'payment', Payment),
    remedies: remediesField(),
  },
  rules: (v, c) => {
    if (v.penalties.some((p) => MONETARY_PENALTIES.includes(p.kind)) && !v.payment)
      issue(c, ['payment'], '处以罚款或者没收违法所得的，须写明缴款方式和期限（行政处罚法第五十九条、第六十七条）');
  },
  description:
    '行政处罚决定书（行政处罚法第五十九条）：载明当事人的姓名或者名称、地址；违反法律、法规、规章的事实和证据；行政处罚的种类和依据；行政处罚的履行方式和期限；申请行政复议、提起行政诉讼的途径和期限；作出决定的行政机关名称和日期，并加盖印章。执法决定说明理由（R-R09）：写明认定违法的理由、对陈述申辩意见的采纳情况及理由和裁量情况。罚款自收到决定书之日起十五日内缴纳，逾期每日按罚款数额的百分之三加处罚款（第六十七条、第七十二条）；不服的，可在六十日内申请行政复议或者在六个月内提起行政诉讼。',
});

export const NO_PENALTY_GROUNDS = [
  '违法行为轻微并及时改正，没有造成危害后果',
  '初次违法且危害后果轻微并及时改正',
  '有证据足以证明没有主观过错',
  '不满十四周岁的未成年人有违法行为',
  '精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为',
  '违法行为在法定追责期限内未被发现',
  '法律、行政法规规定的其他情形',
] as const;

const noPenaltyDecision = define({
  type: 'no_penalty_decision',
  title: '不予行政处罚决定书',
  layout: 'letter',
  kindAbbreviation: '不罚',
  issuedToParty: true,
  fields: {
    party: partyField(),
    caseHistory: f.area('案件来源及调查经过', 3000),
    facts: f.area('查明的事实', 10000),
    evidence: f.strings('证据', 1, 100),
    ground: f.choice('不予行政处罚的情形', NO_PENALTY_GROUNDS),
    reasons: f.area('不予行政处罚的理由', 5000),
    legalBasis: f.text('法律依据', 1000, '如：《中华人民共和国行政处罚法》第三十三条第一款'),
    education: f.areaOpt('教育、责令改正情况', 2000, '行政处罚法第三十三条第三款：对当事人进行教育'),
    remedies: remediesField(),
  },
  description:
    '不予行政处罚决定书：违法行为轻微并及时改正没有造成危害后果、初次违法且危害后果轻微并及时改正、没有主观过错、未满十四周岁、不能辨认或控制自己行为的精神病人或智力残疾人、超过追责期限等情形，依法不予行政处罚（行政处罚法第三十条、第三十一条、第三十三条、第三十六条，第五十七条第一款第二项）。写明事实、证据、不予处罚的理由和依据（R-R09），对当事人的教育情况，以及申请行政复议、提起行政诉讼的途径和期限。',
});

export const SERVICE_METHODS = ['直接送达', '留置送达', '邮寄送达', '委托送达', '电子送达', '转交送达', '公告送达'] as const;

const serviceReceipt = define({
  type: 'service_receipt',
  title: '送达回证',
  layout: 'form',
  fields: {
    caseNumber: f.textOpt('案号', 100),
    documents: req('送达文书', 'served_documents', list('送达文书', ServedDocument, 1, 20)),
    recipient: f.text('受送达人', 200),
    place: f.text('送达地点', 200),
    method: f.choice('送达方式', SERVICE_METHODS),
    servers: f.strings('送达人', 1, 5, 50),
    servedAt: f.datetime('送达时间'),
    receiver: f.textOpt('签收人（非受送达人本人的，写明与受送达人的关系）', 100),
    refusalReason: f.textOpt('拒收事由', 500),
    witness: f.textOpt('见证人', 100),
    avRecordRef: avOptional(),
    remarks: f.textOpt('备注', 500),
  },
  rules: (v, c) => {
    // 民事诉讼法第八十九条 (applied by 行政处罚法第六十一条) and R-R04: lodged service is witnessed or recorded.
    if (v.method === '留置送达') {
      if (!v.refusalReason) issue(c, ['refusalReason'], '留置送达的，须写明受送达人拒收的事由');
      if (!v.witness && !v.avRecordRef) issue(c, ['witness'], '留置送达须邀请见证人到场，或者采用拍照、录像等方式记录送达过程（填写音像记录编号）');
      if (v.servers.length < 2) issue(c, ['servers'], '留置送达的送达人不得少于两人');
    }
  },
  description:
    '送达回证：载明送达文书的名称和文号、受送达人、送达地点、送达方式、送达人和送达时间，由受送达人（或代收人）签名；拒绝签收的留置送达，写明拒收事由，由见证人签名或者以拍照、录像方式记录（行政处罚法第六十一条，适用民事诉讼法的送达规定；R-R04）。',
});

const closingApproval = define({
  type: 'closing_approval',
  title: '结案审批表',
  layout: 'form',
  fields: {
    caseNumber: f.text('案号', 100),
    cause: f.text('案由', 200),
    party: partyField(),
    filedOn: f.date('立案日期'),
    decisionNumber: f.textOpt('处理决定文号', 100),
    decisionSummary: f.area('处理结果', 3000),
    execution: f.area('执行情况', 3000, '罚没款缴纳、物品处置、强制执行等'),
    closingReason: f.text('结案理由', 500, '如：行政处罚决定已执行完毕'),
    handlers: officers('承办人'),
    handlerOpinion: f.text('承办人意见', 1000),
    departmentOpinion: f.textOpt('承办机构意见', 1000),
    approverOpinion: f.textOpt('执法机关负责人审批意见', 1000),
    approver: f.textOpt('审批人', 50),
    approvedOn: f.dateOpt('审批日期'),
    remarks: f.textOpt('备注', 500),
  },
  rules: (v, c, ctx) => {
    if (ctx.issuedOn && v.filedOn > ctx.issuedOn) issue(c, ['filedOn'], '立案日期不得晚于结案审批日期');
    if (v.approverOpinion && !v.approver) issue(c, ['approver'], '填写审批意见的，须写明审批人');
  },
  description:
    '结案审批表：记载案号、案由、当事人、立案日期、处理决定及其文号、执行情况和结案理由，由承办人提出结案意见，承办机构审核，执法机关负责人批准。结案后案卷按档案管理规定立卷归档（R-R07）。',
});

export const RETENTION_PERIODS = ['永久', '定期30年', '定期10年'] as const;

const caseFileCover = define({
  type: 'case_file_cover',
  title: '案卷封面',
  printedTitle: '行政执法案卷',
  layout: 'cover',
  fields: {
    caseTitle: f.text('案卷题名', 200, '如：某某公司销售不符合食品安全标准的食品案'),
    caseNumber: f.text('案号', 100),
    party: f.text('当事人', 200),
    filedOn: f.date('立案日期'),
    closedOn: f.date('结案日期'),
    result: f.text('处理结果', 500),
    retention: f.choice('保管期限', RETENTION_PERIODS),
    documentCount: f.integer('卷内文件件数', 1, 10000),
    pageCount: f.integer('卷内页数', 1, 100000),
    fondsNumber: f.textOpt('全宗号', 50),
    catalogNumber: f.textOpt('目录号', 50),
    volumeNumber: f.textOpt('案卷号', 50),
    compiler: f.text('立卷人', 50),
    checker: f.textOpt('检查人', 50),
    archivedOn: f.dateOpt('归档日期'),
  },
  rules: (v, c) => {
    if (v.closedOn < v.filedOn) issue(c, ['closedOn'], '结案日期不得早于立案日期');
    if (v.archivedOn && v.archivedOn < v.closedOn) issue(c, ['archivedOn'], '归档日期不得早于结案日期');
    if (v.pageCount < v.documentCount) issue(c, ['pageCount'], '卷内页数不得少于文件件数');
  },
  description:
    '案卷封面：写明立卷机关、案卷题名、案号、当事人、立案和结案日期、处理结果、保管期限、卷内件数和页数、全宗号、目录号、案卷号、立卷人和检查人。案卷按档案管理规定制作和归档（R-R07）。',
});

const caseFileIndex = define({
  type: 'case_file_index',
  title: '卷内文件目录',
  layout: 'list',
  fields: {
    caseNumber: f.text('案号', 100),
    entries: req('目录条目', 'index_entries', list('目录条目', IndexEntry, 1, 1000)),
  },
  description:
    '卷内文件目录：按案卷文书的法定排列顺序逐件登记顺序号、文号、责任者、题名、日期、页号和备注，列于卷内文件之前，供案卷评查和档案检索使用（R-R07）。',
});

export const DOCUMENTS = {
  filing_approval: filingApproval,
  inspection_record: inspectionRecord,
  inquiry_record: inquiryRecord,
  evidence_preservation_notice: evidencePreservationNotice,
  seizure_decision: seizureDecision,
  seizure_record: seizureRecord,
  prior_notice: priorNotice,
  hearing_notice: hearingNotice,
  hearing_record: hearingRecord,
  penalty_decision: penaltyDecision,
  no_penalty_decision: noPenaltyDecision,
  service_receipt: serviceReceipt,
  closing_approval: closingApproval,
  case_file_cover: caseFileCover,
  case_file_index: caseFileIndex,
} as const satisfies Record<DocumentType, { type: DocumentType; title: string }>;

export type DocumentFields<T extends DocumentType> = z.infer<(typeof DOCUMENTS)[T]['schema']>;

export function documentDefinition(type: string): DocumentDefinition {
  if (!(DOCUMENT_TYPES as readonly string[]).includes(type))
    throw new AppError('validation', { detail: `未知的文书类型“${type}”`, errors: [{ field: 'type', message: `文书类型应为 ${DOCUMENT_TYPES.join('、')} 之一` }] });
  return DOCUMENTS[type as DocumentType] as unknown as DocumentDefinition;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validates the fields of one document; never throws on bad input. */
export function checkDocumentFields<T extends DocumentType>(type: T, fields: unknown, ctx: ValidationContext = {}): ParseResult<DocumentFields<T>> {
  const def = documentDefinition(type);
  currentContext = ctx;
  try {
    const r = def.schema.safeParse(fields ?? {});
    if (r.success) return { ok: true, value: r.data as DocumentFields<T> };
    return { ok: false, errors: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(根)', message: i.message })) };
  } finally {
    currentContext = {};
  }
}

/** Validates and returns the fields, or throws a validation AppError listing every problem in Chinese. */
export function parseDocumentFields<T extends DocumentType>(type: T, fields: unknown, ctx: ValidationContext = {}): DocumentFields<T> {
  const r = checkDocumentFields(type, fields, ctx);
  if (r.ok) return r.value;
  const title = documentDefinition(type).title;
  throw new AppError('validation', {
    detail: `${title}有 ${r.errors.length} 处错误：${r.errors.map((e) => `${e.field}：${e.message}`).join('；')}`,
    errors: r.errors,
  });
}
