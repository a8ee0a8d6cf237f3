// Publication rules as data (R-P01, R-P11, R-P14): for each decision kind whether it is published, the
// deadline in working days, the publicity period (公示期限) and what is never published. The built-in
// default cites its sources (../shared/reference/publicity.md); an agency may publish a version of its
// own that is only stricter (checkStricter). Every evaluation names the version that decided.
import { z } from 'zod';

export const KINDS = ['penalty', 'licensing', 'coercion', 'inspection', 'other'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = { penalty: '行政处罚', licensing: '行政许可', coercion: '行政强制', inspection: '行政检查', other: '其他执法决定' };

export const RuleItem = z.object({
  key: z.string().regex(/^[a-z][a-z_.-]{1,40}$/, '规则键不合法'),
  kind: z.enum(KINDS),
  label: z.string().trim().min(1).max(100),
  /** Procedures this item applies to (empty: any procedure of the kind). */
  procedures: z.array(z.string().max(40)).max(10).default([]),
  publish: z.boolean(),
  deadlineWorkingDays: z.number().int().min(1).max(60),
  /** 公示期限 in months; a shorter tier for 通报批评/较低数额罚款 only (45号令 第13条). */
  periodMonths: z.number().int().min(1).max(120),
  shortPeriodMonths: z.number().int().min(1).max(120).optional(),
  basis: z.array(z.string().max(300)).max(10),
});
export type RuleItem = z.infer<typeof RuleItem>;

export const RuleSetBody = z.object({
  items: z.array(RuleItem).min(1).max(30),
  /** Never published (R-P14): a minor as party, state/trade secrets, privacy; always on. */
  excludeMinors: z.literal(true),
  /** 45号令 第2条: 仅受到警告的不予公示; an agency may publish warnings too (stricter). */
  excludeWarningOnly: z.boolean(),
  /** 较低数额罚款 (yuan, exclusive), by party type: the short period applies below it. */
  lowFine: z.object({ citizen: z.number().min(0).max(1e9), organisation: z.number().min(0).max(1e9) }),
  /** How a natural-person party is named: surname + 某某 (default) or the full name where a rule requires it. */
  naturalPersonName: z.enum(['masked', 'full']),
  /** Days (working) to answer a correction request (企业信息公示暂行条例 第13条: 20). */
  correctionWorkingDays: z.number().int().min(1).max(20),
  /** Calendar days to withdraw after a revoking outcome (行政处罚法 第48条: 三日内). */
  withdrawalDays: z.number().int().min(1).max(3),
  basis: z.array(z.string().max(300)).max(20),
});
export type RuleSetBody = z.infer<typeof RuleSetBody>;

const GUIDELINE = '国办发〔2018〕118号（行政许可、行政处罚 7 个工作日，其他执法决定 20 个工作日）';
const CREDIT = '国发〔2016〕33号 第十七条；发改办财金〔2018〕424号（双公示：7 个工作日）';
const SAMR13 = '市场监督管理行政处罚信息公示规定（总局令第45号）第13条（通报批评或较低数额罚款 3 个月，其他 3 年）';

export const DEFAULT_RULES: RuleSetBody = {
  items: [
    { key: 'penalty.general', kind: 'penalty', label: '行政处罚决定（普通程序）', procedures: ['penalty-general'], publish: true, deadlineWorkingDays: 7, periodMonths: 36, shortPeriodMonths: 3, basis: [GUIDELINE, CREDIT, SAMR13, '行政处罚法第48条'] },
    { key: 'penalty.summary', kind: 'penalty', label: '当场处罚决定（简易程序）', procedures: ['penalty-summary'], publish: false, deadlineWorkingDays: 7, periodMonths: 3, basis: ['市场监督管理行政处罚信息公示规定 第2条（仅公示普通程序作出的决定）', '国发〔2014〕6号（仅公开一般程序案件）'] },
    { key: 'licensing', kind: 'licensing', label: '行政许可决定', procedures: ['licensing'], publish: true, deadlineWorkingDays: 7, periodMonths: 36, basis: [GUIDELINE, CREDIT, '政府信息公开条例 第20条第（五）项'] },
    { key: 'coercion', kind: 'coercion', label: '行政强制决定', procedures: ['coercion-seizure'], publish: true, deadlineWorkingDays: 20, periodMonths: 12, basis: [GUIDELINE, '政府信息公开条例 第20条第（六）项、第26条'] },
    { key: 'inspection', kind: 'inspection', label: '行政检查结果', procedures: ['inspection'], publish: true, deadlineWorkingDays: 20, periodMonths: 12, basis: [GUIDELINE, 'R-P15（双随机抽查结果公示）'] },
    { key: 'other', kind: 'other', label: '其他执法决定', procedures: [], publish: true, deadlineWorkingDays: 20, periodMonths: 12, basis: [GUIDELINE, '政府信息公开条例 第26条'] },
  ],
  excludeMinors: true,
  excludeWarningOnly: true,
  lowFine: { citizen: 10000, organisation: 100000 },
  naturalPersonName: 'masked',
  correctionWorkingDays: 20,
  withdrawalDays: 3,
  basis: [
    '个人信息保护法 第28条（不满十四周岁未成年人的个人信息为敏感个人信息）；国发〔2014〕6号（被处罚人为未成年人的不公开）',
    '政府信息公开条例 第15条、第37条（商业秘密、个人隐私区分处理）',
    '市场监督管理行政处罚信息公示规定 第2条（仅受到警告的不予公示）',
    '较低数额罚款：以湖北省标准为例（个人不满 1 万元、单位不满 10 万元）',
    '行政处罚法 第48条（撤回三日内）；企业信息公示暂行条例 第13条（20 个工作日核查）',
  ],
};

/**
 * An agency's version may only be stricter than the built-in default (R-P01 "依法"): every default item
 * stays, nothing published becomes unpublished, no deadline is longer, no publicity period shorter, no
 * protection of persons is dropped, and the withdrawal and correction limits are not longer.
 */
export function stricterProblems(body: RuleSetBody, base: RuleSetBody = DEFAULT_RULES): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const d of base.items) {
    const i = body.items.findIndex((x) => x.key === d.key);
    const it = body.items[i];
    if (!it) {
      out.push({ field: 'items', message: `缺少「${d.label}」（${d.key}）：本单位规则只能比法定默认规则更严格` });
      continue;
    }
    if (it.kind !== d.kind) out.push({ field: `items.${i}.kind`, message: `「${d.label}」的决定类型不能更改` });
    if (d.publish && !it.publish) out.push({ field: `items.${i}.publish`, message: `「${d.label}」依法应当公示，不能改为不公示` });
    if (it.deadlineWorkingDays > d.deadlineWorkingDays) out.push({ field: `items.${i}.deadlineWorkingDays`, message: `「${d.label}」公示期限不得超过 ${d.deadlineWorkingDays} 个工作日` });
    if (it.periodMonths < d.periodMonths) out.push({ field: `items.${i}.periodMonths`, message: `「${d.label}」公示期不得短于 ${d.periodMonths} 个月` });
  }
  if (base.excludeWarningOnly === false && body.excludeWarningOnly) out.push({ field: 'excludeWarningOnly', message: '不能比默认规则少公示' });
  if (body.correctionWorkingDays > base.correctionWorkingDays) out.push({ field: 'correctionWorkingDays', message: `更正申请办理期限不得超过 ${base.correctionWorkingDays} 个工作日` });
  if (body.withdrawalDays > base.withdrawalDays) out.push({ field: 'withdrawalDays', message: `撤回期限不得超过 ${base.withdrawalDays} 日（行政处罚法第48条）` });
  return out;
}

export interface DecisionFacts {
  kind: Kind;
  procedureId: string;
  partyType: 'citizen' | 'organisation';
  /** Only read to tell a minor (R-P14); never stored by publicity. */
  partyIdNumber: string | null;
  decidedOn: string;
  penaltyKinds: string[];
  fineAmount: number;
}

export type Evaluation =
  | { publish: true; item: RuleItem; deadlineWorkingDays: number; periodMonths: number }
  | { publish: false; item: RuleItem | null; reason: string; code: 'not_published_kind' | 'minor' | 'warning_only' };

/** Age in whole years on a day, from an 18- or 15-digit resident ID number; null when it is not one. */
export function ageOn(idNumber: string | null, day: string): number | null {
  if (!idNumber) return null;
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(idNumber) ?? /^\d{6}(\d{2})(\d{2})(\d{2})\d{3}$/.exec(idNumber);
  if (!m) return null;
  const y = m[1]!.length === 2 ? 1900 + Number(m[1]) : Number(m[1]);
  const [dy, dm, dd] = day.split('-').map(Number) as [number, number, number];
  let age = dy - y;
  if (dm < Number(m[2]) || (dm === Number(m[2]) && dd < Number(m[3]))) age--;
  return age;
}

export function ruleFor(body: RuleSetBody, kind: Kind, procedureId: string): RuleItem | null {
  return body.items.find((i) => i.kind === kind && i.procedures.includes(procedureId)) ?? body.items.find((i) => i.kind === kind && !i.procedures.length) ?? body.items.find((i) => i.kind === 'other') ?? null;
}

export function evaluate(body: RuleSetBody, f: DecisionFacts): Evaluation {
  const item = ruleFor(body, f.kind, f.procedureId);
  if (!item || !item.publish) return { publish: false, item, code: 'not_published_kind', reason: item ? `依规则「${item.label}」不予公示：${item.basis[0] ?? ''}` : '规则未列出此类决定' };
  // R-P14: a minor as party is never published.
  const age = f.partyType === 'citizen' ? ageOn(f.partyIdNumber, f.decidedOn) : null;
  if (body.excludeMinors && age !== null && age < 18) return { publish: false, item, code: 'minor', reason: '当事人为未成年人，依法不予公开（个人信息保护法第28条；国发〔2014〕6号）' };
  if (f.kind === 'penalty' && body.excludeWarningOnly && f.penaltyKinds.length > 0 && f.penaltyKinds.every((k) => k === '警告')) {
    return { publish: false, item, code: 'warning_only', reason: '仅受到警告的行政处罚不予公示（市场监督管理行政处罚信息公示规定第2条）' };
  }
  let periodMonths = item.periodMonths;
  if (f.kind === 'penalty' && item.shortPeriodMonths && f.penaltyKinds.length) {
    const low = f.partyType === 'citizen' ? body.lowFine.citizen : body.lowFine.organisation;
    const onlyLight = f.penaltyKinds.every((k) => k === '通报批评' || k === '警告' || (k === '罚款' && f.fineAmount < low));
    if (onlyLight) periodMonths = item.shortPeriodMonths;
  }
  return { publish: true, item, deadlineWorkingDays: item.deadlineWorkingDays, periodMonths };
}

/** Adds months to an ISO date, clamping to the month's end. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
