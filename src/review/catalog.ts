// The major-decision catalog (重大执法决定法制审核目录清单, R-L04): per agency, versioned, entries with
// conditions on the procedure, the fine, the amount involved, the penalty kinds, a hearing, the
// measure and the case's flags. Evaluating it sets the engine fact `majorDecision`; the case keeps
// which catalog version decided and which entries matched (R-L09), so a decision can be explained later.
import type { FieldError } from '../platform/errors.ts';
import type { FactValue } from '../cases/procedures/index.ts';
import { CATALOG_CATEGORIES, CATALOG_CATEGORY_LABELS, type CatalogEntry, type CaseProfile } from '../cases/schema.ts';

export interface CatalogSubject {
  procedureId: string;
  /** The built-in procedure an adaptation derives from (entries naming it apply to the adaptation too). */
  baseProcedureId: string | null;
  caseType: string;
  facts: Readonly<Record<string, FactValue>>;
  profile: Partial<CaseProfile>;
}

const num = (v: FactValue | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The notified or decided fine, whichever is higher (行政处罚法第四十五条: never more than notified). */
export function fineOf(facts: Readonly<Record<string, FactValue>>): number | undefined {
  const xs = [num(facts.proposedFine), num(facts.fineAmount)].filter((x): x is number => x !== undefined);
  return xs.length ? Math.max(...xs) : undefined;
}

export function entryMatches(e: CatalogEntry, s: CatalogSubject): boolean {
  const w = e.when;
  const checks: boolean[] = [];
  if (w.procedures) checks.push(w.procedures.includes(s.procedureId) || (!!s.baseProcedureId && w.procedures.includes(s.baseProcedureId)));
  if (w.caseTypes) checks.push(w.caseTypes.includes(s.caseType));
  if (w.minFine !== undefined) {
    const fine = fineOf(s.facts);
    checks.push(fine !== undefined && fine >= w.minFine);
  }
  if (w.minAmountInvolved !== undefined) checks.push(s.profile.amountInvolved !== undefined && s.profile.amountInvolved >= w.minAmountInvolved);
  if (w.penaltyKinds) checks.push((s.profile.penaltyKinds ?? []).some((k) => w.penaltyKinds!.includes(k)));
  if (w.hearingHeld) checks.push(s.facts.hearingRequested === true || s.facts.hearingHeld === true);
  if (w.measureKinds) checks.push(typeof s.facts.measureKind === 'string' && w.measureKinds.includes(s.facts.measureKind));
  if (w.flags) checks.push(w.flags.some((f) => (s.profile.flags ?? []).includes(f)));
  return checks.length > 0 && checks.every(Boolean);
}

export interface CatalogAnswer {
  major: boolean;
  matched: { code: string; title: string }[];
}

export function evaluateCatalog(entries: readonly CatalogEntry[], s: CatalogSubject): CatalogAnswer {
  const matched = entries.filter((e) => entryMatches(e, s)).map((e) => ({ code: e.code, title: e.title }));
  return { major: matched.length > 0, matched };
}

/** R-L04: the catalog must cover every kind of major decision the guideline lists; codes are unique. */
export function catalogProblems(entries: readonly CatalogEntry[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.code)) out.push({ field: `entries.${i}.code`, message: `条目编号重复：${e.code}` });
    seen.add(e.code);
  });
  const missing = CATALOG_CATEGORIES.filter((c) => !entries.some((e) => e.category === c));
  if (missing.length) out.push({ field: 'entries', message: `目录清单应包括：${missing.map((c) => CATALOG_CATEGORY_LABELS[c]).join('、')}（R-L04）` });
  return out;
}

/**
 * A starting catalog for an agency that has published none yet, and for the demo. Thresholds follow
 * common provincial practice (较大数额罚款: 法人或其他组织 5 万元以上); each agency publishes its own.
 */
export const DEFAULT_CATALOG: CatalogEntry[] = [
  { code: 'P-01', title: '较大数额罚款（5万元以上）', category: 'major_measure', basis: '《行政处罚法》第五十八条、第六十三条', when: { caseTypes: ['penalty_general'], minFine: 50_000 } },
  {
    code: 'P-02',
    title: '责令停产停业、责令关闭、吊销许可证件、降低资质等级、限制从业',
    category: 'major_measure',
    basis: '《行政处罚法》第五十八条、第六十三条',
    when: { penaltyKinds: ['责令停产停业', '责令关闭', '吊销许可证件', '降低资质等级', '限制从业'] },
  },
  { code: 'C-01', title: '查封、扣押价值10万元以上的场所、设施或者财物', category: 'major_measure', basis: '《行政强制法》第十八条', when: { caseTypes: ['coercion'], minAmountInvolved: 100_000 } },
  { code: 'L-01', title: '涉及重大公共利益的行政许可', category: 'public_interest', basis: '《行政许可法》第四十六条', when: { caseTypes: ['licensing'], flags: ['public_interest'] } },
  { code: 'G-01', title: '涉及重大公共利益的执法决定', category: 'public_interest', when: { flags: ['public_interest'] } },
  { code: 'G-02', title: '可能造成重大社会影响或引发社会风险的执法决定', category: 'social_impact', when: { flags: ['social_impact'] } },
  { code: 'G-03', title: '直接关系当事人或第三人重大权益的执法决定', category: 'party_rights', when: { flags: ['third_party_rights'] } },
  { code: 'G-04', title: '经过听证程序作出的执法决定', category: 'after_hearing', basis: '《行政处罚法》第五十八条第一款第三项', when: { hearingHeld: true } },
  { code: 'G-05', title: '案件情况疑难复杂、涉及多个法律关系的执法决定', category: 'complex', when: { flags: ['complex_relations'] } },
];
