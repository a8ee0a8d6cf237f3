// Pieces several definitions share word for word. Still data: each definition copies them in and the
// schema validates the whole.
import type { ProcedureDefinitionInput } from '../schema.ts';

type FactInput = NonNullable<ProcedureDefinitionInput['facts']>[number];
type ClockInput = NonNullable<ProcedureDefinitionInput['clocks']>[number];
type StepInput = ProcedureDefinitionInput['steps'][number];

export const LAW = {
  penalty: '《中华人民共和国行政处罚法》（2021年修订）',
  coercion: '《中华人民共和国行政强制法》',
  licensing: '《中华人民共和国行政许可法》',
  guideline: '《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）',
  openGov: '《中华人民共和国政府信息公开条例》（2019年修订）',
} as const;

/** R-L01/R-L04: the catalog's answer and the review's outcome, both decided outside the procedure. */
export const reviewFacts: FactInput[] = [
  {
    key: 'majorDecision',
    label: '属于重大执法决定（法制审核目录清单）',
    type: 'boolean',
    trueLabel: '属于重大执法决定',
    falseLabel: '不属于重大执法决定',
  },
  { key: 'reviewPassed', label: '法制审核通过', type: 'boolean', trueLabel: '法制审核通过', falseLabel: '法制审核未通过', default: false },
];

export const partyTypeFact: FactInput = {
  key: 'partyType',
  label: '当事人类型',
  type: 'enum',
  values: [
    { value: 'citizen', label: '公民' },
    { value: 'legal_person', label: '法人' },
    { value: 'other_org', label: '其他组织' },
  ],
};

/** R-L05/R-L07: the reviewer's opinion; not passed sends the case back, and it is submitted again. */
export function legalReviewStep(basis: string[], next: StepInput['next']): StepInput {
  return {
    key: 'legal_review',
    name: '法制审核',
    stage: 'review',
    roles: ['reviewer'],
    description: '法制审核机构审核执法主体、人员资格、程序、事实、证据、法律适用、裁量基准、权限、文书及是否涉嫌犯罪，出具书面审核意见。',
    basis: [...basis, 'R-L01、R-L05、R-L07'],
    sets: ['reviewPassed'],
    produces: [{ document: 'review_opinion' }],
    next,
  };
}

/** R-P11: decisions are published within the limit; the publicity domain records it. */
export function publicationStep(during: string[], basis: string[]): StepInput {
  return {
    key: 'publication',
    name: '执法决定公示',
    stage: 'publish',
    kind: 'side',
    during,
    repeatable: false,
    roles: ['officer', 'agency_admin'],
    description: '在规定期限内公开执法决定信息（个人信息依法处理，R-P14）；依法不予公开的，记录理由。',
    basis,
    produces: [{ document: 'publication_record' }],
    within: [{ clock: 'publication_limit', onPassed: 'warn' }],
    clocks: { stop: ['publication_limit'] },
  };
}

export function publicationClock(length: number, basis: string): ClockInput {
  return {
    key: 'publication_limit',
    name: '执法决定公示期限',
    basis,
    kind: 'deadline',
    unit: 'working',
    length,
    warnBeforeDays: 2,
  };
}

export function archiveStep(requires: StepInput['requires'] = []): StepInput {
  return {
    key: 'archive',
    name: '立卷归档',
    stage: 'archive',
    roles: ['officer', 'agency_admin'],
    description: '按规定顺序整理案卷，核对文书、记录齐全后归档，形成电子案卷。',
    basis: ['R-R07'],
    requires,
  };
}
