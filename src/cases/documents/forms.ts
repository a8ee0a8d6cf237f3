// The other documents the built-in procedures produce (R-R02): each a structured form made of shared
// field groups — the party, the facts and evidence, the legal basis, the decision or measure, the rights
// and time limits the law requires, signatures and dates — so that no document is free text. A type
// is a short definition: its groups, the fields its own law adds, and the rules that law sets. One
// generic composer lays them out in the letter (通知书、决定书), form (审批表), record (笔录) or list
// (清单) layout; the fifteen documents with a hand-made layout stay in schema.ts/content.ts.
import { z } from 'zod';
import { AppError, type FieldError } from '../../platform/errors.ts';
import {
  ServedDocument, f, issue, itemsField, list, officers, opt, partyField, remediesField, req, Payment, Penalty,
  type DocumentLayout, type FieldDef, type FieldSpec, type Item, type Officer, type Party, type Remedies,
} from './schema.ts';
import { chineseDate, itemsTable, officerList, partyFields, penaltyText, remediesText, rmbFigures, rmbUppercase, textDate, textDateTime, type Block, type ComposedDocument } from './content.ts';
import type { DocumentType } from './schema.ts';

type Shape = Record<string, FieldDef>;

export interface FormDefinition {
  type: string;
  title: string;
  printedTitle: string;
  layout: DocumentLayout;
  kindAbbreviation?: string;
  issuedToParty: boolean;
  avMandatory: boolean;
  /** 现场执法文书 (R-P09): made on the spot, so the party is told the reasons, basis and rights there. */
  onSite: boolean;
  /** Which procedure's law it follows (for the template registry's source). */
  law: string;
  fields: Shape;
  schema: z.ZodType<Record<string, unknown>>;
  describe(): string;
  fieldSpecs(): FieldSpec[];
}

type Rule = (v: Record<string, any>, c: z.RefinementCtx) => void;

// ---------------------------------------------------------------------------------------------
// Field groups.

const caseNo = () => ({ caseNumber: f.textOpt('案号', 100) });
const cause = () => ({ cause: f.text('案由', 200) });
const party = (label = '当事人') => ({ party: partyField(label) });
const partyName = (label = '当事人') => ({ partyName: f.text(label, 200) });
const basis = (hint?: string) => ({ legalBasis: f.text('法律依据', 1000, hint) });
const contact = () => ({ contactPerson: f.text('联系人', 50), contactPhone: f.text('联系电话', 50) });
const decisionNo = (label = '原决定书文号') => ({ decisionNumber: f.text(label, 100) });
/** 审批表: the handlers' opinion, the department's and the head's (R-L09). */
const approval = () => ({
  handlers: officers('承办人'),
  handlerOpinion: f.text('承办人意见', 1000),
  departmentOpinion: f.textOpt('承办机构意见', 1000),
  approverOpinion: f.textOpt('执法机关负责人审批意见', 1000),
  approver: f.textOpt('审批人', 50),
  approvedOn: f.dateOpt('审批日期'),
});
/** 笔录: when, where, who was there, who wrote it; signed page by page. */
const record = (officerLabel = '执法人员') => ({
  startAt: f.datetime('开始时间'),
  endAt: f.datetime('结束时间'),
  place: f.text('地点', 200),
  officers: officers(officerLabel),
  recorder: f.text('记录人', 50),
});
/** R-P09: on the spot the party is told the reasons, the basis and its rights. */
const onSiteTold = () => ({
  reasonsTold: f.bool('是否当场告知事实、理由和依据'),
  rightsTold: f.bool('是否当场告知陈述、申辩等权利和救济途径'),
  certificateShown: f.bool('是否出示执法证件'),
});
const av = () => ({ avRecordRef: f.textOpt('音像记录编号', 100) });
const items = (label = '物品清单') => ({ items: itemsField(label) });

const approvalRule: Rule = (v, c) => {
  if (v.approverOpinion && !v.approver) issue(c, ['approver'], '填写审批意见的，须写明审批人');
};
const recordRule: Rule = (v, c) => {
  if (v.endAt < v.startAt) issue(c, ['endAt'], '结束时间不得早于开始时间');
};
const onSiteRule: Rule = (v, c) => {
  const why = '现场执法应当当场告知当事人作出决定的事实、理由、依据及其依法享有的权利（R-P09，行政处罚法第四十四条、第五十二条，行政强制法第十八条）';
  if (v.reasonsTold === false) issue(c, ['reasonsTold'], why);
  if (v.rightsTold === false) issue(c, ['rightsTold'], why);
  if (v.certificateShown === false) issue(c, ['certificateShown'], '执法人员应当主动出示执法证件（行政处罚法第五十五条）');
};
// zod refinements take no context argument; checkFormFields sets the issue date for one parse.
let issueDate: string | undefined;
const valueOf = (v: Record<string, any>, k: string): string | undefined => (k === 'issuedOn' ? issueDate : v[k]);
const afterOrSame = (a: string, b: string, label: string): Rule => (v, c) => {
  const x = valueOf(v, a);
  const y = valueOf(v, b);
  if (x && y && y.slice(0, 10) < x.slice(0, 10)) issue(c, [b === 'issuedOn' ? a : b], label);
};

// ---------------------------------------------------------------------------------------------

interface FormInput {
  title: string;
  layout: DocumentLayout;
  kind?: string;
  toParty?: boolean;
  av?: boolean;
  onSite?: boolean;
  law: string;
  fields: Shape;
  rules?: Rule[];
  description: string;
}

function form(type: string, d: FormInput): FormDefinition {
  const fields: Shape = d.onSite ? { ...d.fields, ...onSiteTold() } : d.fields;
  const rules = [...(d.rules ?? []), ...('approverOpinion' in fields ? [approvalRule] : []), ...('startAt' in fields && 'endAt' in fields ? [recordRule] : []), ...(d.onSite ? [onSiteRule] : [])];
  const base = z.object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.schema])));
  const schema = rules.length ? base.superRefine((v, c) => rules.forEach((r) => r(v, c))) : base;
  return {
    type,
    title: d.title,
    printedTitle: d.title,
    layout: d.layout,
    kindAbbreviation: d.kind,
    issuedToParty: d.toParty ?? d.layout === 'letter',
    avMandatory: d.av ?? false,
    onSite: d.onSite ?? false,
    law: d.law,
    fields,
    schema: schema as unknown as z.ZodType<Record<string, unknown>>,
    describe: () => d.description,
    fieldSpecs: () =>
      Object.entries(fields).map(([key, v]) => ({ key, label: v.label, kind: v.kind, required: v.required, ...(v.options ? { options: v.options } : {}), ...(v.hint ? { hint: v.hint } : {}) })),
  };
}

const LP = '行政处罚法';
const LC = '行政强制法';
const LL = '行政许可法';

const defs: Record<string, FormInput> = {
  // 行政处罚 — 普通程序
  case_source_record: {
    title: '案件来源登记表', layout: 'form', law: LP,
    fields: {
      source: f.choice('案件来源', ['监督检查', '投诉举报', '其他机关移送', '上级交办', '下级报请', '有关部门通报', '其他'] as const),
      receivedOn: f.date('线索发现（受理）日期'),
      reporter: f.textOpt('投诉举报人或移送机关', 200),
      ...partyName('涉嫌违法的当事人'),
      clue: f.area('线索内容', 5000),
      registrar: f.text('登记人', 50),
      handlerOpinion: f.text('处理意见', 1000, '如：建议核查后立案；不予立案的说明理由'),
      approverOpinion: f.textOpt('执法机关负责人意见', 1000),
      approver: f.textOpt('审批人', 50),
    },
    description: '案件来源登记表：登记线索的来源、发现或受理日期、举报人或移送机关、涉嫌违法的当事人和线索内容，提出是否立案的处理意见（行政处罚法第五十四条：符合立案标准的，应当及时立案）。',
  },
  no_filing_approval: {
    title: '不予立案审批表', layout: 'form', law: LP,
    fields: { source: f.text('案件来源', 100), ...cause(), ...partyName(), summary: f.area('核查情况', 5000), reasons: f.area('不予立案的理由', 3000), ...basis(), ...approval() },
    description: '不予立案审批表：写明线索来源、核查情况、不予立案的理由和依据（R-R09），由承办人提出、负责人批准；投诉举报人的告知按规定办理。',
  },
  case_dismissal_approval: {
    title: '撤销立案审批表', layout: 'form', law: LP,
    fields: { caseNumber: f.text('案号', 100), ...cause(), ...partyName(), filedOn: f.date('立案日期'), facts: f.area('调查查明的情况', 5000), reasons: f.area('撤销立案的理由', 3000), ...basis(), ...approval() },
    rules: [(v, c) => { if (v.approvedOn && v.approvedOn < v.filedOn) issue(c, ['approvedOn'], '审批日期不得早于立案日期'); }],
    description: '撤销立案审批表：已立案的案件经调查不存在违法事实、违法行为已过追责期限或者不属于本机关管辖等，写明调查情况、撤销理由和依据（R-R09），经负责人批准。',
  },
  sampling_record: {
    title: '抽样取证凭证', layout: 'list', law: LP, onSite: true,
    fields: { ...caseNo(), ...party('被抽样人'), place: f.text('抽样地点', 200), sampledAt: f.datetime('抽样时间'), ...items('样品清单'), method: f.text('抽样方法', 500), storage: f.text('样品封存及保存方式', 500), ...basis('如：《中华人民共和国行政处罚法》第五十六条'), officers: officers('抽样人员'), ...av() },
    description: '抽样取证凭证：行政处罚法第五十六条规定可以采取抽样取证的方法收集证据。载明被抽样人、抽样时间地点、样品名称规格数量、抽样方法和封存方式，由执法人员（不少于两人）和被抽样人签名；现场告知抽样的理由、依据和权利（R-P09）。',
  },
  preservation_disposal_decision: {
    title: '先行登记保存物品处理决定书', layout: 'letter', kind: '先处', law: LP,
    fields: { ...party(), preservationNumber: f.text('证据先行登记保存通知书文号', 100), preservedOn: f.date('登记保存日期'), ...items('登记保存物品清单'), facts: f.area('查明的事实', 5000), disposal: f.area('处理决定', 3000, '如：予以解除登记保存、予以没收、移送检测'), ...basis(), ...remediesField_() },
    rules: [afterOrSame('preservedOn', 'issuedOn', '处理决定日期不得早于登记保存日期'), (v, c) => {
      // 行政处罚法第五十六条: a decision within seven days of the preservation.
      if (issueDate && Date.parse(issueDate) - Date.parse(v.preservedOn) > 7 * 86400000) issue(c, ['preservedOn'], '先行登记保存的证据，应当在七日内及时作出处理决定（行政处罚法第五十六条）');
    }],
    description: '先行登记保存物品处理决定书：对先行登记保存的证据，应当在七日内及时作出处理决定（行政处罚法第五十六条）。写明保存通知书文号、物品清单、查明的事实、处理决定及依据，以及申请行政复议、提起行政诉讼的途径和期限。',
  },
  investigation_report: {
    title: '案件调查终结报告', layout: 'form', law: LP,
    fields: {
      caseNumber: f.text('案号', 100), ...cause(), ...party(), caseHistory: f.area('案件来源及调查经过', 3000), facts: f.area('违法事实', 10000), evidence: f.strings('证据', 1, 100),
      violatedProvisions: f.text('违反的法律条款', 1000), penaltyBasis: f.text('处罚依据', 1000), discretion: f.area('裁量情况', 3000), proposal: f.area('处理意见', 3000, '拟给予的处罚或不予处罚、移送等建议'),
      investigators: officers('案件调查人员'),
    },
    description: '案件调查终结报告：调查终结后，写明案件来源和调查经过、认定的违法事实和证据、违反的条款、处罚依据、裁量情况和处理意见，作为负责人审查决定（行政处罚法第五十七条）和法制审核（第五十八条）的依据。',
  },
  statement_record: {
    title: '陈述申辩笔录', layout: 'record', law: LP,
    fields: { ...caseNo(), ...record(), ...party(), priorNoticeNumber: f.textOpt('行政处罚事先告知书文号', 100), statement: f.area('当事人陈述、申辩的内容', 10000), newEvidence: f.stringsOpt('当事人提交的证据'), ...av() },
    description: '陈述申辩笔录：当事人有权进行陈述和申辩，行政机关必须充分听取（行政处罚法第四十五条）。记录时间、地点、执法人员、当事人陈述申辩的内容和提交的证据，经当事人核对后签名。',
  },
  hearing_application: {
    title: '听证申请书', layout: 'form', toParty: false, law: LP,
    fields: { ...party('申请人'), priorNoticeNumber: f.text('告知书文号', 100), noticeReceivedOn: f.date('收到告知书日期'), appliedOn: f.date('申请日期'), request: f.area('听证请求及理由', 5000), agents: f.stringsOpt('委托代理人', 2, 100) },
    rules: [afterOrSame('noticeReceivedOn', 'appliedOn', '申请日期不得早于收到告知书日期')],
    description: '听证申请书：当事人要求听证的，应当在行政机关告知后五日内提出（行政处罚法第六十四条第一项；行政许可法第四十七条）；写明告知书文号、请求及理由，可委托一至二人代理。',
  },
  hearing_waiver: {
    title: '放弃陈述申辩和听证声明', layout: 'form', toParty: false, law: LP,
    fields: { ...party('声明人'), priorNoticeNumber: f.text('告知书文号', 100), declaration: f.area('声明内容', 2000), consequencesUnderstood: f.bool('是否知悉放弃的法律后果'), declaredOn: f.date('声明日期') },
    rules: [(v, c) => { if (v.consequencesUnderstood === false) issue(c, ['consequencesUnderstood'], '当事人须知悉放弃陈述、申辩和听证权利的法律后果后声明放弃（行政处罚法第四十四条）'); }],
    description: '放弃陈述申辩和听证声明：当事人在知悉拟作出的处罚和依法享有的权利后，书面声明放弃陈述、申辩和听证权利，由本人签名（行政处罚法第四十四条、第六十四条）。',
  },
  hearing_report: {
    title: '听证报告', layout: 'form', law: LP,
    fields: { ...caseNo(), ...cause(), ...party(), hearingAt: f.datetime('听证时间'), place: f.text('听证地点', 200), presidingOfficer: f.text('听证主持人', 50), investigatorView: f.area('调查人员的意见', 5000), partyView: f.area('当事人的陈述、申辩和质证意见', 5000), findings: f.area('听证认定的事实和证据', 5000), opinion: f.area('主持人的处理意见和建议', 3000) },
    description: '听证报告：听证结束后，主持人写明听证的基本情况、双方意见、认定的事实和证据及处理意见。行政机关应当根据听证笔录依照第五十七条作出决定（行政处罚法第六十五条）。',
  },
  review_opinion: {
    title: '法制审核意见书', layout: 'form', law: LP,
    fields: {
      ...caseNo(), ...cause(), ...partyName(), submittedOn: f.date('报送日期'), round: f.integer('报送次数', 1, 100), proposedDecision: f.area('拟作出的执法决定', 5000),
      conclusion: f.choice('审核结论', ['同意（审核通过）', '存在问题，退回补正'] as const), checklist: f.strings('审核要点及结果', 1, 20, 1000), opinion: f.area('审核意见', 5000),
      problems: f.stringsOpt('存在的问题', 50, 1000), reviewer: f.text('审核人员', 50),
    },
    rules: [(v, c) => { if (v.conclusion === '存在问题，退回补正' && !(v.problems?.length)) issue(c, ['problems'], '退回补正的，须列明存在的问题（R-L07）'); }],
    description: '法制审核意见书：重大执法决定作出前由法制审核人员审核执法主体、管辖、程序、事实证据、适用依据、裁量和文书（行政处罚法第五十八条，R-L07），写明审核要点、结论和意见；退回的列明问题。',
  },
  collective_discussion_record: {
    title: '重大案件集体讨论记录', layout: 'record', law: LP,
    fields: { ...caseNo(), ...cause(), startAt: f.datetime('开始时间'), endAt: f.datetime('结束时间'), place: f.text('地点', 200), presiding: f.text('主持人', 50), attendees: f.strings('出席人员', 3, 50, 100), summary: f.area('案件情况汇报', 5000), opinions: f.area('讨论意见', 10000), decision: f.area('讨论决定', 3000), recorder: f.text('记录人', 50) },
    description: '重大案件集体讨论记录：对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定（行政处罚法第五十七条第二款）。记录时间、地点、主持人、出席人员、案情汇报、各人意见和讨论决定，出席人员签名。',
  },
  case_transfer: {
    title: '涉嫌犯罪案件移送书', layout: 'letter', kind: '移送', law: LP,
    fields: { recipient: f.text('接收机关', 200, '如：某某市公安局'), ...party('涉嫌犯罪的当事人'), facts: f.area('涉嫌犯罪的事实', 10000), evidence: f.strings('证据材料', 1, 100), reasons: f.area('移送理由', 3000), ...basis('如：《中华人民共和国行政处罚法》第二十七条、《行政执法机关移送涉嫌犯罪案件的规定》第三条'), attachments: f.stringsOpt('附件'), ...contact() },
    description: '涉嫌犯罪案件移送书：违法行为涉嫌犯罪的，行政机关应当及时将案件移送司法机关，依法追究刑事责任（行政处罚法第二十七条；《行政执法机关移送涉嫌犯罪案件的规定》）。写明涉嫌犯罪的事实、证据、移送理由和依据及附件清单。',
  },
  enforcement_notice: {
    title: '催告书', layout: 'letter', kind: '催告', law: LC,
    fields: { ...party(), ...decisionNo('行政决定文号'), obligation: f.area('应当履行的义务', 3000), deadline: f.date('履行期限'), method: f.text('履行方式', 500), amount: f.moneyOpt('涉及金额（元）'), rights: f.area('当事人依法享有的陈述权和申辩权', 1000, '如：收到本催告书之日起三日内可以向本机关陈述、申辩'), ...basis('如：《中华人民共和国行政强制法》第三十五条、第五十四条'), ...contact() },
    rules: [(v, c) => { if (issueDate && v.deadline < issueDate) issue(c, ['deadline'], '履行期限不得早于催告日期'); }],
    description: '催告书：行政机关作出强制执行决定或申请人民法院强制执行前，应当事先书面催告当事人履行义务（行政强制法第三十五条、第五十四条）。载明履行义务的期限、方式，涉及金钱给付的明确金额和给付方式，当事人依法享有的陈述权和申辩权。',
  },
  court_enforcement_application: {
    title: '强制执行申请书', layout: 'letter', kind: '强执申', toParty: false, law: LC,
    fields: {
      court: f.text('受理申请的人民法院', 200), ...party('被申请人'), ...decisionNo('行政决定文号'), decisionServedOn: f.date('决定送达日期'), obligation: f.area('决定确定的义务', 3000),
      noticeNumber: f.text('催告书文号', 100), noticeServedOn: f.date('催告书送达日期'), nonPerformance: f.area('当事人不履行的情况', 3000), ...basis('如：《中华人民共和国行政强制法》第五十三条、第五十五条'), attachments: f.strings('附送材料', 1, 50),
    },
    rules: [afterOrSame('decisionServedOn', 'noticeServedOn', '催告书送达日期不得早于决定送达日期')],
    description: '强制执行申请书：当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，没有强制执行权的行政机关可以自期限届满之日起三个月内申请人民法院强制执行（行政强制法第五十三条）；催告书送达十日后当事人仍未履行的方可申请，并附决定书、催告情况等材料（第五十四条、第五十五条）。',
  },
  execution_record: {
    title: '行政处罚执行记录', layout: 'form', law: LP,
    fields: { ...caseNo(), ...partyName(), ...decisionNo('处罚决定文号'), method: f.choice('执行方式', ['自觉履行', '当场收缴', '分期缴纳', '延期缴纳', '强制执行', '申请人民法院强制执行'] as const), executedOn: f.date('执行日期'), amount: f.moneyOpt('缴纳金额（元）'), details: f.area('执行情况', 3000, '罚没款缴纳凭证、物品处置等'), officers: officers('执行人员', 1) },
    description: '行政处罚执行记录：行政处罚决定依法作出后，当事人应当在规定期限内予以履行（行政处罚法第六十六条至第七十三条）。记载决定文号、执行方式、执行日期、缴纳金额和执行情况。',
  },
  publication_record: {
    title: '执法决定公示记录', layout: 'form', law: '行政执法公示制度',
    fields: { ...caseNo(), ...decisionNo('执法决定文号'), publishedOn: f.date('公示日期'), channel: f.text('公示载体', 200, '如：本机关门户网站行政执法公示专栏'), content: f.area('公示内容', 5000), publisher: f.text('公示审核人', 50) },
    description: '执法决定公示记录：执法决定作出之日起七个工作日内公开执法机关、执法对象、执法类别、执法结论等信息（R-P11、R-P15），记载公示日期、载体和内容。',
  },
  // 行政处罚 — 简易程序
  onsite_penalty_decision: {
    title: '当场行政处罚决定书', layout: 'letter', kind: '简罚', onSite: true, law: LP,
    fields: {
      ...party(), decidedAt: f.datetime('作出时间'), place: f.text('地点', 200), facts: f.area('违法事实', 3000), violatedProvisions: f.text('违反的法律条款', 1000), penaltyBasis: f.text('处罚依据', 1000),
      penalties: req('处罚内容', 'penalties', list('处罚内容', Penalty, 1, 3)), payment: opt('缴款方式和期限', 'payment', Payment), statementHeard: f.area('当事人陈述、申辩及采纳情况', 2000), officers: officers('执法人员', 1), ...remediesField_(), ...av(),
    },
    rules: [(v, c) => {
      // 行政处罚法第五十一条: 简易程序 only for a warning, or a fine up to 200 yuan (person) / 3000 yuan (unit).
      const limit = v.party?.type === 'individual' ? 200 : 3000;
      for (const [i, p] of (v.penalties ?? []).entries()) {
        if (!['警告', '罚款'].includes(p.kind)) issue(c, ['penalties', i, 'kind'], '当场处罚只能给予警告或者罚款（行政处罚法第五十一条）');
        else if (p.kind === '罚款' && p.amount > limit) issue(c, ['penalties', i, 'amount'], `当场处罚的罚款不得超过${limit}元（行政处罚法第五十一条）`);
      }
      if ((v.penalties ?? []).some((p: { kind: string }) => p.kind === '罚款') && !v.payment) issue(c, ['payment'], '处以罚款的，须写明缴款方式和期限（行政处罚法第五十二条）');
    }],
    description: '当场行政处罚决定书：违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的，可以当场作出（行政处罚法第五十一条）。执法人员出示执法证件，填写预定格式、编有号码的决定书，载明违法行为、处罚依据、罚款数额、时间、地点，申请行政复议、提起行政诉讼的途径和期限以及行政机关名称，由执法人员签名或者盖章，当场交付当事人（第五十二条）；当场告知事实、理由、依据和权利（R-P09）。',
  },
  fine_receipt: {
    title: '罚没款专用票据', layout: 'form', toParty: true, law: LP,
    fields: { payer: f.text('交款人', 200), ...decisionNo('处罚决定书文号'), amount: req('收缴金额（元）', 'money', z.number({ error: '请填写收缴金额（元）' }).positive('收缴金额必须大于 0').max(1e9, '收缴金额超出范围')), ground: f.text('当场收缴的依据', 500, '行政处罚法第六十八条第一项、第二项或第六十九条'), collectedOn: f.date('收缴日期'), officers: officers('收缴执法人员', 1) },
    description: '罚没款专用票据：依法当场收缴罚款的，执法人员应当向当事人出具国务院财政部门或者省、自治区、直辖市人民政府财政部门统一制发的专用票据；不出具的，当事人有权拒绝缴纳（行政处罚法第六十八条至第七十条）。',
  },
  fine_remittance_record: {
    title: '当场收缴罚款缴付记录', layout: 'form', law: LP,
    fields: { ...decisionNo('处罚决定书文号'), amount: req('缴付金额（元）', 'money', z.number({ error: '请填写缴付金额（元）' }).positive('缴付金额必须大于 0').max(1e9, '缴付金额超出范围')), collectedOn: f.date('收缴日期'), remittedOn: f.date('交至行政机关日期'), bankRemittedOn: f.dateOpt('缴付指定银行日期'), officers: officers('收缴执法人员', 1), receiver: f.text('接收人', 50) },
    rules: [(v, c) => {
      if (v.remittedOn < v.collectedOn) issue(c, ['remittedOn'], '交至行政机关日期不得早于收缴日期');
      // 行政处罚法第七十一条: to the agency within two days (水上 and remote: slightly longer; kept strict here).
      else if (Date.parse(v.remittedOn) - Date.parse(v.collectedOn) > 2 * 86400000) issue(c, ['remittedOn'], '执法人员当场收缴的罚款，应当自收缴之日起二日内交至行政机关（行政处罚法第七十一条）');
      if (v.bankRemittedOn && v.bankRemittedOn < v.remittedOn) issue(c, ['bankRemittedOn'], '缴付银行日期不得早于交至行政机关日期');
    }],
    description: '当场收缴罚款缴付记录：执法人员当场收缴的罚款，应当自收缴罚款之日起二日内交至行政机关；行政机关应当在二日内将罚款缴付指定的银行（行政处罚法第七十一条）。',
  },
  onsite_filing_report: {
    title: '当场处罚备案表', layout: 'form', law: LP,
    fields: { ...caseNo(), ...decisionNo('当场处罚决定书文号'), ...partyName(), penalty: f.text('处罚内容', 500), decidedOn: f.date('作出日期'), filedOn: f.date('备案日期'), officers: officers('执法人员', 1), remarks: f.textOpt('备注', 500) },
    rules: [afterOrSame('decidedOn', 'filedOn', '备案日期不得早于作出日期')],
    description: '当场处罚备案表：执法人员当场作出的行政处罚决定，应当报所属行政机关备案（行政处罚法第五十二条第三款）。',
  },
  // 行政检查
  inspection_task: {
    title: '行政检查任务单', layout: 'form', law: '行政检查',
    fields: { taskName: f.text('检查任务', 200), ...partyName('检查对象'), scope: f.area('检查事项和内容', 3000), ...basis(), plannedOn: f.date('计划检查日期'), inspectors: officers('检查人员'), ...approval() },
    description: '行政检查任务单：写明检查对象、检查事项、依据、时间和检查人员（不少于两人、持证），经负责人批准后实施；随机抽查的按抽查结果派发。',
  },
  inspection_result_notice: {
    title: '检查结果告知书', layout: 'letter', kind: '检果', law: '行政检查',
    fields: { ...party('被检查人'), inspectedOn: f.date('检查日期'), findings: f.area('检查情况', 5000), conclusion: f.area('检查结论', 3000), ...basis(), rights: f.text('当事人的权利', 500, '如：对检查结果有异议的，可以自收到本告知书之日起五个工作日内提出陈述、申辩'), ...contact() },
    description: '检查结果告知书：检查结束后将检查情况和结论书面告知被检查人，写明依据和当事人对检查结果提出异议的权利和期限（R-P09）。',
  },
  rectification_order: {
    title: '责令改正通知书', layout: 'letter', kind: '责改', onSite: true, law: LP,
    fields: { ...party(), facts: f.area('违法事实', 5000), violatedProvisions: f.text('违反的法律条款', 1000), ...basis('责令改正的依据，如：《中华人民共和国行政处罚法》第二十八条'), requirement: f.area('改正内容和要求', 3000), deadline: f.date('改正期限'), ...remediesField_() },
    description: '责令改正通知书：行政机关实施行政处罚时，应当责令当事人改正或者限期改正违法行为（行政处罚法第二十八条）。写明违法事实、违反的条款、改正要求和期限以及救济途径；现场作出的当场告知理由、依据和权利（R-P09）。',
  },
  rectification_review_record: {
    title: '整改复查笔录', layout: 'record', law: '行政检查', onSite: true,
    fields: { ...caseNo(), ...record('复查人员'), ...party('被复查人'), orderNumber: f.text('责令改正通知书文号', 100), findings: f.area('复查情况', 5000), rectified: f.bool('是否已按要求改正'), ...av() },
    description: '整改复查笔录：改正期限届满后复查整改情况，记录时间、地点、复查人员、复查情况和是否改正，由被复查人核对签名；未改正的依法处理。',
  },
  // 行政强制措施
  coercion_approval: {
    title: '行政强制措施审批表', layout: 'form', law: LC,
    fields: { ...caseNo(), ...cause(), ...party(), facts: f.area('案件情况', 5000), measure: f.choice('拟采取的措施', ['查封', '扣押', '冻结存款汇款', '其他'] as const), ...items('对象清单'), reasons: f.area('采取强制措施的理由', 3000), ...basis(), ...approval() },
    description: '行政强制措施审批表：实施行政强制措施前须向行政机关负责人报告并经批准（行政强制法第十八条第一项）。写明事实、拟采取的措施和对象、理由及依据（R-R09）。',
  },
  seizure_list: {
    title: '查封（扣押）财物清单', layout: 'list', av: true, onSite: true, law: LC,
    fields: { ...caseNo(), ...decisionNo('查封（扣押）决定书文号'), ...party(), place: f.text('地点', 200), listedOn: f.date('日期'), ...items('财物清单'), custody: f.text('保管地点及方式', 200), officers: officers('执法人员'), avRecordRef: f.text('音像记录编号', 100) },
    description: '查封（扣押）财物清单：查封、扣押应当当场交付清单，一式二份，由当事人和行政机关分别保存（行政强制法第二十四条）。全程音像记录（R-R04）。',
  },
  emergency_approval: {
    title: '紧急情况当场实施行政强制措施补办批准表', layout: 'form', law: LC,
    fields: { ...caseNo(), ...party(), measure: f.text('当场实施的措施', 200), implementedAt: f.datetime('实施时间'), reportedAt: f.datetime('报告时间'), emergency: f.area('紧急情况说明', 3000), ...basis(), ...approval() },
    rules: [(v, c) => {
      if (v.reportedAt < v.implementedAt) issue(c, ['reportedAt'], '报告时间不得早于实施时间');
      // 行政强制法第十九条: report within 24 hours and obtain approval afterwards.
      else if (Date.parse(`${v.reportedAt}:00Z`) - Date.parse(`${v.implementedAt}:00Z`) > 24 * 3600000) issue(c, ['reportedAt'], '情况紧急当场实施的，应当在二十四小时内向行政机关负责人报告并补办批准手续（行政强制法第十九条）');
    }],
    description: '补办批准表：情况紧急需要当场实施行政强制措施的，执法人员应当在二十四小时内向行政机关负责人报告，并补办批准手续；负责人认为不应当采取的，应当立即解除（行政强制法第十九条）。',
  },
  testing_notice: {
    title: '检测（检验、检疫、技术鉴定）期间告知书', layout: 'letter', kind: '检告', law: LC,
    fields: { ...party(), ...decisionNo('查封（扣押）决定书文号'), ...items('检测物品'), testingKind: f.choice('检测种类', ['检测', '检验', '检疫', '技术鉴定'] as const), institution: f.text('检测机构', 200), startDate: f.date('期间起始日'), endDate: f.date('期间届满日'), ...basis('如：《中华人民共和国行政强制法》第二十五条第三款') },
    rules: [afterOrSame('startDate', 'endDate', '期间届满日不得早于起始日')],
    description: '检测期间告知书：对物品需要进行检测、检验、检疫或者技术鉴定的，查封、扣押的期间不包括检测等期间，检测期间应当明确，并书面告知当事人；费用由行政机关承担（行政强制法第二十五条第三款）。',
  },
  testing_report: {
    title: '检测（检验、检疫、技术鉴定）报告', layout: 'form', law: LC,
    fields: { ...caseNo(), institution: f.text('检测机构', 200), reportNumber: f.text('报告编号', 100), ...items('检测物品'), testedOn: f.date('检测日期'), method: f.text('检测依据及方法', 500), conclusion: f.area('检测结论', 3000) },
    description: '检测（检验、检疫、技术鉴定）报告：记载检测机构、报告编号、物品、依据方法和结论，作为证据入卷（行政强制法第二十五条）。',
  },
  seizure_extension_decision: {
    title: '延长查封（扣押）期限决定书', layout: 'letter', kind: '延强', law: LC,
    fields: { ...party(), ...decisionNo('查封（扣押）决定书文号'), originalEndDate: f.date('原期限届满日'), extendedEndDate: f.date('延长后的届满日'), reasons: f.area('延长理由', 3000), ...basis('如：《中华人民共和国行政强制法》第二十五条第一款'), ...remediesField_() },
    rules: [(v, c) => {
      if (v.extendedEndDate <= v.originalEndDate) issue(c, ['extendedEndDate'], '延长后的届满日须晚于原期限届满日');
      else if (Date.parse(v.extendedEndDate) - Date.parse(v.originalEndDate) > 30 * 86400000) issue(c, ['extendedEndDate'], '延长期限不得超过三十日（行政强制法第二十五条）');
    }],
    description: '延长查封（扣押）期限决定书：情况复杂的，经行政机关负责人批准，可以延长，但延长期限不得超过三十日；延长决定应当及时书面告知当事人，并说明理由（行政强制法第二十五条）。',
  },
  release_decision: {
    title: '解除查封（扣押）决定书', layout: 'letter', kind: '解强', law: LC,
    fields: { ...party(), ...decisionNo('查封（扣押）决定书文号'), ground: f.choice('解除情形', ['当事人没有违法行为', '查封、扣押的场所、设施或者财物与违法行为无关', '行政机关对违法行为已经作出处理决定，不再需要查封、扣押', '查封、扣押期限已经届满', '其他不再需要采取查封、扣押措施的情形'] as const), ...items('解除的财物清单'), returnArrangement: f.text('退还安排', 500), ...basis('如：《中华人民共和国行政强制法》第二十八条') },
    description: '解除查封（扣押）决定书：有行政强制法第二十八条规定情形的，行政机关应当及时作出解除决定，并立即退还财物；已将鲜活物品或者不易保管的财物拍卖或者变卖的，退还拍卖或者变卖所得款项。',
  },
  property_return_list: {
    title: '退还财物清单', layout: 'list', law: LC,
    fields: { ...caseNo(), ...decisionNo('解除决定书文号'), ...party('领取人'), ...items('退还财物'), returnedOn: f.date('退还日期'), place: f.text('退还地点', 200), officers: officers('经办人员', 1) },
    description: '退还财物清单：解除查封、扣押的，立即退还财物（行政强制法第二十八条），由领取人核对清单签收。',
  },
  seizure_disposal_decision: {
    title: '查封（扣押）财物处理决定书', layout: 'letter', kind: '强处', law: LC,
    fields: { ...party(), ...decisionNo('查封（扣押）决定书文号'), ...items('处理的财物'), facts: f.area('查明的事实', 5000), disposal: f.area('处理决定', 3000, '没收、销毁、拍卖、变卖等'), ...basis(), ...remediesField_() },
    description: '查封（扣押）财物处理决定书：行政机关应当在查封、扣押期限内查明事实，分别作出没收、法律法规规定的销毁或者解除查封扣押的决定（行政强制法第二十七条），写明事实、理由、依据（R-R09）和救济途径。',
  },
  // 行政许可
  licence_application: {
    title: '行政许可申请书', layout: 'form', toParty: false, law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), content: f.area('申请内容', 5000), materials: f.strings('提交的材料', 1, 100), appliedOn: f.date('申请日期'), truthful: f.bool('申请人是否承诺所提交材料真实') },
    rules: [(v, c) => { if (v.truthful === false) issue(c, ['truthful'], '申请人应当如实提交有关材料和反映真实情况，并对其申请材料实质内容的真实性负责（行政许可法第三十一条）'); }],
    description: '行政许可申请书：申请人向行政机关提出申请，写明申请事项和内容，如实提交材料并对真实性负责（行政许可法第二十九条、第三十一条）。',
  },
  acceptance_notice: {
    title: '受理通知书', layout: 'letter', kind: '许受', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), appliedOn: f.date('申请日期'), acceptedOn: f.date('受理日期'), decisionDays: f.integer('作出决定的期限（工作日）', 1, 20, '行政许可法第四十二条：二十日内'), ...basis('如：《中华人民共和国行政许可法》第三十二条第一款第五项'), ...contact() },
    rules: [afterOrSame('appliedOn', 'acceptedOn', '受理日期不得早于申请日期')],
    description: '受理通知书：申请事项属于本机关职权范围，申请材料齐全、符合法定形式的，应当受理，出具加盖专用印章和注明日期的书面凭证（行政许可法第三十二条），并告知作出决定的期限（第四十二条）。',
  },
  rejection_notice: {
    title: '不予受理决定书', layout: 'letter', kind: '不受', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), appliedOn: f.date('申请日期'), reasons: f.area('不予受理的理由', 3000), ...basis(), otherAuthority: f.textOpt('应当向其申请的行政机关', 200, '不属于本机关职权范围的，告知向有关行政机关申请'), ...remediesField_() },
    description: '不予受理决定书：申请事项依法不需要取得许可或者不属于本机关职权范围的，作出不予受理的决定，并说明理由（R-R09）；不属于本机关职权的告知向有关行政机关申请（行政许可法第三十二条），并告知救济途径。',
  },
  correction_notice: {
    title: '补正材料通知书', layout: 'letter', kind: '补正', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), appliedOn: f.date('申请日期'), materials: f.strings('需要补正的全部内容', 1, 100), ...basis('如：《中华人民共和国行政许可法》第三十二条第一款第四项'), ...contact() },
    rules: [(v, c) => { if (issueDate && Date.parse(issueDate) - Date.parse(v.appliedOn) > 5 * 86400000) issue(c, ['appliedOn'], '申请材料不齐全的，应当当场或者在五日内一次告知申请人需要补正的全部内容（行政许可法第三十二条）'); }],
    description: '补正材料通知书：申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理（行政许可法第三十二条）。',
  },
  correction_materials: {
    title: '补正材料接收凭证', layout: 'form', toParty: true, law: LL,
    fields: { applicant: f.text('申请人', 200), matter: f.text('申请事项', 200), materials: f.strings('接收的补正材料', 1, 100), receivedOn: f.date('接收日期'), receiver: f.text('接收人', 50) },
    description: '补正材料接收凭证：申请人按照补正通知提交全部补正材料的，出具接收凭证，载明接收的材料和日期（行政许可法第三十二条）。',
  },
  verification_record: {
    title: '现场核查笔录', layout: 'record', onSite: true, law: LL,
    fields: { ...caseNo(), ...record('核查人员'), ...party('申请人'), matter: f.text('申请事项', 200), findings: f.area('核查情况', 10000), conclusion: f.area('核查意见', 3000), ...av() },
    description: '现场核查笔录：需要对申请材料的实质内容进行核实的，行政机关应当指派两名以上工作人员进行核查（行政许可法第三十四条），记录核查情况和意见，由申请人核对签名。',
  },
  special_procedure_notice: {
    title: '特别程序期间告知书', layout: 'letter', kind: '特告', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), procedure: f.choice('所需程序', ['听证', '招标', '拍卖', '检验', '检测', '检疫', '鉴定', '专家评审'] as const), expectedDays: f.integer('所需期限（日）', 1, 365), reasons: f.area('理由', 2000), ...basis('如：《中华人民共和国行政许可法》第四十五条') },
    description: '特别程序期间告知书：依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在许可期限内，行政机关应当将所需时间书面告知申请人（行政许可法第四十五条）。',
  },
  special_procedure_result: {
    title: '检验（检测、鉴定、专家评审）结论', layout: 'form', law: LL,
    fields: { ...caseNo(), matter: f.text('申请事项', 200), procedure: f.text('程序名称', 100), institution: f.text('实施机构或专家', 200), experts: f.stringsOpt('专家名单', 30, 100), concludedOn: f.date('结论日期'), conclusion: f.area('结论', 5000) },
    description: '检验（检测、鉴定、专家评审）结论：记载实施机构或专家、日期和结论，作为许可决定的依据（行政许可法第四十五条、第五十五条、第五十六条）。',
  },
  hearing_rights_notice: {
    title: '听证告知书', layout: 'letter', kind: '听告', law: LL,
    fields: { ...party('申请人（利害关系人）'), matter: f.text('申请事项', 200), reasons: f.area('告知听证的理由', 2000, '如：直接涉及申请人与他人之间重大利益关系'), deadlineDays: f.integer('申请听证期限（日）', 5, 5, '行政许可法第四十七条：被告知听证权利之日起五日内'), ...basis('如：《中华人民共和国行政许可法》第四十七条'), ...contact() },
    description: '听证告知书：行政许可直接涉及申请人与他人之间重大利益关系的，作出决定前应当告知申请人、利害关系人享有要求听证的权利；申请人、利害关系人在被告知之日起五日内提出听证申请的，应当在二十日内组织听证，不承担费用（行政许可法第四十七条）。',
  },
  hearing_public_notice: {
    title: '听证公告', layout: 'letter', kind: '听公', toParty: false, law: LL,
    fields: { matter: f.text('听证事项', 200), hearingAt: f.datetime('听证时间'), place: f.text('听证地点', 200), presidingOfficer: f.text('听证主持人', 50), registration: f.area('参加听证的报名方式', 1000), ...basis('如：《中华人民共和国行政许可法》第四十六条、第四十八条'), ...contact() },
    rules: [(v, c) => { if (issueDate && Date.parse(v.hearingAt.slice(0, 10)) - Date.parse(issueDate) < 7 * 86400000) issue(c, ['hearingAt'], '应当于举行听证的七日前将举行听证的时间、地点通知申请人、利害关系人，必要时予以公告（行政许可法第四十八条）'); }],
    description: '听证公告：法律、法规、规章规定实施许可应当听证的事项，或者行政机关认为需要听证的涉及公共利益的重大许可事项，应当向社会公告并举行听证（行政许可法第四十六条）；听证公开举行，七日前公告时间、地点（第四十八条）。',
  },
  licence_extension_notice: {
    title: '延长行政许可期限告知书', layout: 'letter', kind: '许延', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), acceptedOn: f.date('受理日期'), extensionDays: f.integer('延长的期限（工作日）', 1, 10, '行政许可法第四十二条：经本机关负责人批准可以延长十日'), reasons: f.area('延长理由', 2000), approver: f.text('批准的负责人', 50), ...basis('如：《中华人民共和国行政许可法》第四十二条第一款') },
    description: '延长行政许可期限告知书：二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人（行政许可法第四十二条）。',
  },
  licence_decision: {
    title: '准予行政许可决定书', layout: 'letter', kind: '准许', law: LL,
    fields: { ...party('申请人'), matter: f.text('许可事项', 200), appliedOn: f.date('申请日期'), content: f.area('准予许可的内容', 3000), conditions: f.areaOpt('许可的范围、条件和要求', 3000), validFrom: f.date('有效期起始日'), validTo: f.dateOpt('有效期届满日'), ...basis(), certificate: f.textOpt('颁发的许可证件', 200) },
    rules: [afterOrSame('validFrom', 'validTo', '有效期届满日不得早于起始日')],
    description: '准予行政许可决定书：申请人的申请符合法定条件、标准的，应当依法作出准予行政许可的书面决定（行政许可法第三十八条），需要颁发证件的在十日内颁发、送达（第四十四条）；准予许可的决定应当公开（第四十条）。',
  },
  licence_refusal: {
    title: '不予行政许可决定书', layout: 'letter', kind: '不许', law: LL,
    fields: { ...party('申请人'), matter: f.text('申请事项', 200), appliedOn: f.date('申请日期'), facts: f.area('审查查明的情况', 5000), reasons: f.area('不予许可的理由', 3000), ...basis(), ...remediesField_() },
    description: '不予行政许可决定书：作出不予行政许可的书面决定的，应当说明理由（R-R09），并告知申请人享有依法申请行政复议或者提起行政诉讼的权利（行政许可法第三十八条第二款）。',
  },
  licence_certificate: {
    title: '行政许可证件', layout: 'form', toParty: true, law: LL,
    fields: { ...party('持证人'), certificateNumber: f.text('证件编号', 100), matter: f.text('许可事项', 200), content: f.area('许可内容和范围', 3000), validFrom: f.date('有效期起始日'), validTo: f.dateOpt('有效期届满日'), ...decisionNo('准予许可决定书文号') },
    rules: [afterOrSame('validFrom', 'validTo', '有效期届满日不得早于起始日')],
    description: '行政许可证件：许可证、执照或者其他许可证书等，载明持证人、许可事项和内容、有效期，加盖行政机关印章（行政许可法第三十九条）。',
  },
};

function remediesField_() {
  return { remedies: remediesField() };
}

export const FORMS: Readonly<Record<string, FormDefinition>> = Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, form(k, d)]));
export const FORM_TYPES: readonly string[] = Object.keys(FORMS);

export function isForm(type: string): boolean {
  return Object.hasOwn(FORMS, type);
}

/** Validates one form; rules that compare with the issue date read it as `decidedOn`. */
export function checkFormFields(type: string, fields: unknown, issuedOn?: string): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  const d = FORMS[type];
  if (!d) throw new AppError('validation', { detail: `未知的文书类型“${type}”` });
  const raw = fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : {};
  issueDate = issuedOn;
  try {
    const r = d.schema.safeParse(raw);
    if (!r.success) return { ok: false, errors: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(根)', message: i.message })) };
    return { ok: true, value: r.data };
  } finally {
    issueDate = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The generic layout.

const KIND_BLOCKS = (key: string, spec: FieldDef, v: unknown, who: string): Block[] => {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0) || v === '') return [];
  switch (spec.kind) {
    case 'party':
      return partyFields(v as Party, spec.label);
    case 'officers':
      return [{ kind: 'field', label: spec.label, value: officerList(v as Officer[]) }];
    case 'date':
      return [{ kind: 'field', label: spec.label, value: textDate(v as string) }];
    case 'datetime':
      return [{ kind: 'field', label: spec.label, value: textDateTime(v as string) }];
    case 'boolean':
      return [{ kind: 'field', label: spec.label, value: v ? '是' : '否' }];
    case 'money':
      return [{ kind: 'field', label: spec.label, value: `人民币${rmbUppercase(v as number)}（${rmbFigures(v as number)}）` }];
    case 'strings':
      return [{ kind: 'field', label: spec.label, value: (v as string[]).map((s, i) => `${i + 1}. ${s}`).join('；') }];
    case 'items':
      return [{ kind: 'heading', text: spec.label }, itemsTable(v as Item[])];
    case 'penalties':
      return [{ kind: 'field', label: spec.label, value: (v as Penalty[]).map(penaltyText).join('；') }];
    case 'payment': {
      const p = v as Payment;
      return [{ kind: 'para', indent: true, text: `${who}应当自收到本决定书之日起${p.deadlineDays}日内，${p.method}${p.account ? `（收款账户：${p.account}）` : ''}。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（行政处罚法第七十二条）。` }];
    }
    case 'remedies':
      return [{ kind: 'para', indent: true, text: remediesText(v as Remedies, who, '本决定') }];
    case 'served_documents':
      return [{ kind: 'field', label: spec.label, value: (v as z.infer<typeof ServedDocument>[]).map((d) => `${d.title}${d.number ? `（${d.number}）` : ''}`).join('；') }];
    case 'textarea':
      return [{ kind: 'field', label: spec.label, value: String(v) }];
    default:
      return [{ kind: 'field', label: spec.label, value: String(v) }];
  }
};

export function composeForm(input: { type: string; number?: string | null; caseNumber?: string; agencyName: string; fields: unknown; issuedOn: string; qrUrl?: string }): ComposedDocument {
  const d = FORMS[input.type]!;
  const r = checkFormFields(input.type, input.fields);
  if (!r.ok) throw new AppError('validation', { detail: `${d.title}有 ${r.errors.length} 处错误：${r.errors.map((e) => `${e.field}：${e.message}`).join('；')}`, errors: r.errors });
  const v = r.value;
  const letter = d.layout === 'letter';
  const who = letter && d.issuedToParty ? '你（单位）' : '当事人';
  const blocks: Block[] = [];
  for (const [key, spec] of Object.entries(d.fields)) {
    if (key === 'caseNumber' || key === 'reasonsTold' || key === 'rightsTold' || key === 'certificateShown') continue;
    blocks.push(...KIND_BLOCKS(key, spec, v[key], who));
  }
  if (d.onSite)
    blocks.push({ kind: 'para', indent: true, text: `执法人员${v.certificateShown ? '已出示执法证件，' : ''}${v.reasonsTold ? '已当场告知当事人作出本文书的事实、理由和依据' : ''}${v.rightsTold ? '，并告知当事人依法享有的陈述、申辩权利和救济途径' : ''}。` });
  if (letter) blocks.push({ kind: 'seal', agency: input.agencyName, date: chineseDate(input.issuedOn) });
  else
    blocks.push({
      kind: 'signatures',
      lines: d.layout === 'record' ? ['当事人（被询问人）签名：　　　　　　　　　　　年　　月　　日', '执法人员签名：　　　　　　　　　　　　　　　年　　月　　日', '记录人签名：　　　　　　　　　　　　　　　　年　　月　　日'] : [`制作人：　　　　　　　　　　　　${chineseDate(input.issuedOn)}`],
    });
  const caseNumber = (v.caseNumber as string | undefined) ?? input.caseNumber;
  return {
    type: input.type as DocumentType,
    layout: d.layout,
    title: d.title,
    agencyName: input.agencyName,
    headingLines: letter ? [input.agencyName, d.printedTitle] : [d.printedTitle],
    numberLine: letter ? (input.number ? { text: input.number, align: 'center' } : undefined) : caseNumber ? { text: `案号：${caseNumber}`, align: 'right' } : undefined,
    blocks,
    pageFooter: d.layout === 'record' ? '签名：' : undefined,
    issuedOn: input.issuedOn,
    qrUrl: input.qrUrl,
  };
}
