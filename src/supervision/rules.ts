// R-R08: the alert indicators as versioned rule data, each with its legal basis and severity, and the
// pure evaluation of one case's facts against them. A rule is never changed in place: a change is a new
// version with its effective date, and every alert names the code and version that raised it. A rule
// over data another domain has not delivered yet is marked `waiting` and raises nothing (同案不同罚 v1
// waited for the discretion benchmarks of issue 13; v2 reads them through assist's service, attached to
// the case as `discretion`). The two publicity rules judge one publication (evaluatePublication), read
// through publicity's service.
import type { RuleFacts } from '../cases/supervision-facts.ts';
import { computeDeadline, type ProcedureCalendar } from '../cases/procedures/index.ts';
import { addDays, type WorkingCalendar } from '../platform/calendar/index.ts';
import type { PublicationFacts } from '../publicity/service.ts';

export const ALERT_KINDS = [
  'overdue_decision', 'seizure_overdue', 'licence_overdue', 'review_missing', 'single_officer', 'certificate_invalid', 'summary_limit',
  'hearing_notice_missing', 'av_missing', 'publication_overdue', 'withdrawal_overdue', 'zero_enforcement', 'limitation_expired', 'discretion_outlier',
  'review_overdue',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  overdue_decision: '超期办案',
  seizure_overdue: '查封扣押超期',
  licence_overdue: '许可超期',
  review_missing: '应审未审',
  single_officer: '一人执法',
  certificate_invalid: '证件过期仍执法',
  summary_limit: '简易程序越权',
  hearing_notice_missing: '听证权利未告知',
  av_missing: '全过程记录缺失',
  publication_overdue: '公示超期',
  withdrawal_overdue: '撤回超期',
  zero_enforcement: '零执法',
  limitation_expired: '超时效处罚',
  discretion_outlier: '同案不同罚',
  review_overdue: '法制审核超时',
};

export interface AlertRule {
  code: AlertKind;
  version: number;
  effectiveFrom: string;
  severity: Severity;
  basis: string;
  /** What the rule looks at; the evaluator reads them, so a new version may change them. */
  params: Record<string, unknown>;
  /** Defined but waiting for the domain whose data it reads (it raises nothing until then). */
  waiting?: string;
}

const P = '《中华人民共和国行政处罚法》';
const C = '《中华人民共和国行政强制法》';
const L = '《中华人民共和国行政许可法》';
const S = '《行政执法监督条例》';

export const ALERT_RULES: readonly AlertRule[] = [
  { code: 'overdue_decision', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第六十条：自立案之日起九十日内作出行政处罚决定；${S}第十一条第（二）项`, params: { caseType: 'penalty_general', clock: 'decision_limit' } },
  { code: 'seizure_overdue', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${C}第二十五条：查封、扣押的期限不得超过三十日，经批准延长不得超过三十日，检测、检验、检疫、技术鉴定期间不计入`, params: { caseType: 'coercion', clock: 'seizure_limit' } },
  { code: 'licence_overdue', version: 1, effectiveFrom: '2026-02-01', severity: 'medium', basis: `${L}第四十二条：自受理之日起二十日内作出决定，经负责人批准可延长十日（工作日，第八十二条）`, params: { caseType: 'licensing', clock: 'decision_limit' } },
  { code: 'review_missing', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第五十八条：重大执法决定作出前应当进行法制审核，未经法制审核或者审核未通过的，不得作出决定`, params: { decisionSteps: ['penalty_decision', 'no_penalty_decision', 'grant', 'refusal', 'disposal'] } },
  { code: 'single_officer', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第四十二条、第五十五条：执法人员不得少于两人；${S}第十一条第（二）项`, params: { steps: ['inspection', 'inquiry', 'sampling', 'evidence_preservation', 'onsite_decision', 'seizure', 'site_verification'], minOfficers: 2 } },
  { code: 'certificate_invalid', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第四十二条：执法人员应当具有行政执法资格；${S}第十一条第（一）项、第十七条`, params: {} },
  { code: 'summary_limit', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第五十一条：当场作出罚款决定限于对公民处二百元以下、对法人或者其他组织处三千元以下罚款`, params: { caseType: 'penalty_summary', citizen: 200, organisation: 3000 } },
  { code: 'hearing_notice_missing', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第六十三条：作出较大数额罚款等决定前应当告知当事人有要求听证的权利；第六十四条：在举行听证的七日前通知当事人（第八十五条：工作日）`, params: { caseType: 'penalty_general', noticeWorkingDays: 7 } },
  { code: 'av_missing', version: 1, effectiveFrom: '2026-02-01', severity: 'medium', basis: `${P}第四十七条：行政机关应当依法以文字、音像等形式，对行政处罚的启动、调查取证、审核、决定、送达、执行等进行全过程记录`, params: { requirements: ['mandatory'] } },
  { code: 'publication_overdue', version: 1, effectiveFrom: '2026-02-01', severity: 'medium', basis: '国办发〔2018〕118号：行政许可、行政处罚决定自作出之日起7个工作日内公示；《市场监督管理行政处罚信息公示规定》第九条：20个工作日', params: { deadline: 'publication', fallbackWorkingDays: 7 } },
  { code: 'withdrawal_overdue', version: 1, effectiveFrom: '2026-02-01', severity: 'medium', basis: `${P}第四十八条：公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回`, params: { deadline: 'remedy.withdrawBy', days: 3 } },
  { code: 'zero_enforcement', version: 1, effectiveFrom: '2026-02-01', severity: 'low', basis: `${S}第十一条第（四）项、第十二条：执法事项清单与履职评议（北京、天津"零执法"统计口径）`, params: { months: 12 } },
  { code: 'limitation_expired', version: 1, effectiveFrom: '2026-02-01', severity: 'high', basis: `${P}第三十六条：违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，延长至五年`, params: { years: 2, extendedYears: 5, decisionSteps: ['penalty_decision', 'onsite_decision'] } },
  { code: 'discretion_outlier', version: 1, effectiveFrom: '2026-02-01', severity: 'low', basis: `${S}第十二条第（三）项：行政裁量权基准制度；${P}第三十四条`, params: { band: 'benchmark', peerPercentiles: [10, 90], months: 24 }, waiting: 'discretion benchmarks' },
  // v2: the benchmarks exist (issue 13). Two triggers: the decided fine outside its level's band (an
  // approved 调整适用 is lawful but still shown to the supervisor, flagged in the detail), or outside the
  // P10–P90 of at least `minPeers` other decisions on the same violation and level in the same city
  // (region prefix of `peerRegionDigits`) over the `months` before the decision.
  {
    code: 'discretion_outlier', version: 2, effectiveFrom: '2026-02-01', severity: 'low',
    basis: `${P}第三十四条：行政机关可以依法制定行政处罚裁量基准，规范行使行政处罚裁量权；${S}第十二条第（三）项；国办发〔2022〕27号：同一行政区域内同类违法行为的处罚幅度应当基本一致，调整适用须经主要负责人批准或者集体讨论`,
    params: { band: 'benchmark', peerPercentiles: [10, 90], months: 24, minPeers: 5, peerRegionDigits: 4 },
  },
  { code: 'review_overdue', version: 1, effectiveFrom: '2026-02-01', severity: 'medium', basis: '国办发〔2018〕118号第四部分：明确审核时限；R-L08：审核机构的审核规则（审核时限以工作日计）', params: {} },
];

/** A decided case's applied discretion and its peers' amounts, as assist's service answers them. */
export interface DiscretionFacts {
  violationCode: string;
  level: string;
  /** Yuan, or the multiple of the base amount for a multiple-kind range. */
  value: number;
  decidedOn: string;
  benchmark: { id: string; version: number };
  band: { min: number; max: number } | null;
  outsideBand: boolean;
  deviationApproved: boolean;
  /** The other decided cases' values, same violation and level, region and period as the rule says. */
  peers: number[];
}

/**
 * What the case rules read: the case's facts (its state only as far as `RuleState` keeps it: the stored
 * `rule_state` of the full recomputation) and, for a decided penalty with a discretion record, its discretion.
 */
export type SupervisedCase = RuleFacts & { discretion?: DiscretionFacts | null };

/** Linear interpolation between closest ranks (PostgreSQL's percentile_cont). */
export function percentile(sorted: readonly number[], p: number): number {
  const i = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/** The version of a rule in force on a day (the latest effective on or before it). */
export function ruleInForce(code: AlertKind, on: string, rules: readonly AlertRule[] = ALERT_RULES): AlertRule | undefined {
  return rules.filter((r) => r.code === code && r.effectiveFrom <= on).sort((a, b) => b.version - a.version)[0];
}

export interface Finding {
  kind: AlertKind;
  rule: AlertRule;
  /** The day the problem arose (a deadline passed, an act done). */
  raisedOn: string;
  detail: Record<string, unknown>;
}

type Evaluator = (f: SupervisedCase, rule: AlertRule, asOf: string, cal: ProcedureCalendar) => Omit<Finding, 'kind' | 'rule'> | null;

/** A clock past its deadline: stopped after it, or still running on a later day. */
const clockOverdue: Evaluator = (f, rule, asOf, cal) => {
  if (f.caseType !== rule.params.caseType) return null;
  const def = f.def.clocks.find((c) => c.key === rule.params.clock);
  if (!def) return null;
  for (const clock of f.state.clocks.filter((c) => c.key === rule.params.clock)) {
    const end = clock.status === 'stopped' ? clock.stoppedOn! : asOf;
    const { deadline, totalDays } = computeDeadline(def, clock, end, cal);
    if (end > deadline) return { raisedOn: clock.status === 'stopped' ? end : addDays(deadline, 1), detail: { clock: def.key, startedOn: clock.startedOn, deadline, totalDays, endedOn: clock.stoppedOn } };
  }
  return null;
};

const stepOn = (f: RuleFacts, keys: readonly string[]) => f.state.steps.find((s) => keys.includes(s.step));

const EVALUATORS: Record<AlertKind, Evaluator> = {
  overdue_decision: clockOverdue,
  seizure_overdue: clockOverdue,
  licence_overdue: clockOverdue,
  review_missing: (f, rule) => {
    if (!f.majorDecision) return null;
    const decision = stepOn(f, rule.params.decisionSteps as string[]);
    if (!decision || f.passedReviews.some((d) => d <= decision.on)) return null;
    return { raisedOn: decision.on, detail: { step: decision.step, seq: decision.seq } };
  },
  single_officer: (f, rule) => {
    const steps = rule.params.steps as string[];
    const min = rule.params.minOfficers as number;
    const s = f.state.steps.find((x) => steps.includes(x.step) && x.officers.length < min);
    return s ? { raisedOn: s.on, detail: { step: s.step, seq: s.seq, officers: s.officers.length } } : null;
  },
  certificate_invalid: (f) => {
    for (const s of f.state.steps) {
      for (const o of s.officers) {
        const c = f.certificates.get(o.id);
        if (!c || s.on < c.validFrom || s.on > c.validTo) {
          return { raisedOn: s.on, detail: { step: s.step, seq: s.seq, certificateNumber: o.certificateNumber, validFrom: c?.validFrom ?? null, validTo: c?.validTo ?? null } };
        }
      }
    }
    return null;
  },
  summary_limit: (f, rule) => {
    if (f.caseType !== rule.params.caseType) return null;
    const s = stepOn(f, ['onsite_decision']);
    const fine = Number(s?.facts.fineAmount ?? f.state.facts.fineAmount ?? 0);
    if (!s) return null;
    const partyType = String(f.state.facts.partyType ?? (f.partyType === 'citizen' ? 'citizen' : 'legal_person'));
    const limit = (partyType === 'citizen' ? rule.params.citizen : rule.params.organisation) as number;
    return fine > limit ? { raisedOn: s.on, detail: { fineAmount: fine, limit, partyType } } : null;
  },
  hearing_notice_missing: (f, rule, _asOf, cal) => {
    if (f.caseType !== rule.params.caseType) return null;
    const decision = stepOn(f, ['penalty_decision']);
    if (decision && f.state.facts.hearingEligible === true && !f.state.steps.some((s) => s.step === 'prior_notice' && s.seq < decision.seq)) {
      return { raisedOn: decision.on, detail: { reason: 'no_prior_notice', step: decision.step } };
    }
    const hearing = stepOn(f, ['hearing']);
    const notice = [...f.state.steps].reverse().find((s) => s.step === 'hearing_notice' && (!hearing || s.seq < hearing.seq));
    if (hearing) {
      const earliest = notice ? cal.addWorkingDays(notice.on, rule.params.noticeWorkingDays as number).deadline : null;
      if (!earliest || hearing.on < earliest) return { raisedOn: hearing.on, detail: { reason: 'notice_too_late', noticeOn: notice?.on ?? null, earliest } };
    }
    return null;
  },
  av_missing: (f, rule) => {
    const levels = rule.params.requirements as string[];
    const s = f.state.steps.find((x) => x.av && levels.includes(x.av.requirement) && !x.av.present);
    return s ? { raisedOn: s.on, detail: { step: s.step, seq: s.seq, requirement: s.av!.requirement } } : null;
  },
  limitation_expired: (f, rule) => {
    const violation = f.state.facts.violationDate;
    if (typeof violation !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(violation)) return null;
    const decision = stepOn(f, rule.params.decisionSteps as string[]);
    if (!decision) return null;
    const years = (f.state.facts.lifeOrFinancialSafety === true ? rule.params.extendedYears : rule.params.years) as number;
    const limit = `${Number(violation.slice(0, 4)) + years}${violation.slice(4)}`;
    return decision.on > limit ? { raisedOn: decision.on, detail: { violationDate: violation, limit, years } } : null;
  },
  // Agency-level and publication-level rules: nothing to evaluate on one case.
  zero_enforcement: () => null,
  publication_overdue: () => null,
  withdrawal_overdue: () => null,
  // 同案不同罚 (R-R08): the band first (the benchmark is the norm), then the peers.
  discretion_outlier: (f, rule) => {
    const d = f.discretion;
    if (!d) return null;
    const base = { violationCode: d.violationCode, level: d.level, value: d.value, benchmark: d.benchmark };
    if (d.outsideBand && d.band) return { raisedOn: d.decidedOn, detail: { ...base, trigger: 'band', band: d.band, deviationApproved: d.deviationApproved } };
    const [low, high] = rule.params.peerPercentiles as [number, number];
    if (d.peers.length < (rule.params.minPeers as number)) return null;
    const sorted = [...d.peers].sort((a, b) => a - b);
    const p = { low: percentile(sorted, low), high: percentile(sorted, high) };
    if (d.value >= p.low && d.value <= p.high) return null;
    return { raisedOn: d.decidedOn, detail: { ...base, trigger: 'peers', peers: sorted.length, percentiles: [low, high], range: [p.low, p.high] } };
  },
  // R-L08: a review past the body's time limit (review rules of src/review), open or answered late.
  review_overdue: (f, _rule, asOf) => {
    const late = (f.reviewClocks ?? []).find((c) => (c.openedOn ?? asOf) > c.dueOn);
    return late ? { raisedOn: late.openedOn ?? addDays(late.dueOn, 1), detail: { round: late.round, dueOn: late.dueOn, answeredOn: late.openedOn } } : null;
  },
};

const caseRulesMemo = new WeakMap<readonly AlertRule[], Map<string, readonly AlertRule[]>>();

/** The case rules in force on a day, waiting ones left out, in ALERT_KINDS order: worked out once per day, not once per case of a recomputation. */
function caseRulesInForce(asOf: string, rules: readonly AlertRule[]): readonly AlertRule[] {
  let byDay = caseRulesMemo.get(rules);
  if (!byDay) caseRulesMemo.set(rules, (byDay = new Map()));
  let found = byDay.get(asOf);
  if (!found) {
    found = ALERT_KINDS.map((kind) => ruleInForce(kind, asOf, rules)).filter((r): r is AlertRule => !!r && !r.waiting);
    byDay.set(asOf, found);
  }
  return found;
}

/** Every finding on one case as of a day: the rules in force on that day, waiting ones skipped. */
export function evaluateCase(f: SupervisedCase, asOf: string, cal: ProcedureCalendar, rules: readonly AlertRule[] = ALERT_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of caseRulesInForce(asOf, rules)) {
    const hit = EVALUATORS[rule.code](f, rule, asOf, cal);
    if (hit) out.push({ kind: rule.code, rule, ...hit });
  }
  return out;
}

export const PUBLICATION_KINDS = ['publication_overdue', 'withdrawal_overdue'] as const satisfies readonly AlertKind[];
export type PublicationAlertKind = (typeof PUBLICATION_KINDS)[number];

type PublicationEvaluator = (p: PublicationFacts, rule: AlertRule, asOf: string, cal: Pick<WorkingCalendar, 'addWorkingDays'>) => Omit<Finding, 'kind' | 'rule'> | null;

const PUBLICATION_EVALUATORS: Record<PublicationAlertKind, PublicationEvaluator> = {
  // R-P11: the deadline is the one publicity computed from the agency's rule set on the working-day
  // calendar (7 working days unless the rule set says otherwise); the problem arises on the working day
  // after it (or on a late publication day before that, e.g. a weekend).
  publication_overdue: (p, rule, asOf, cal) => {
    if (p.status === 'excluded') return null;
    const deadline = p.deadline ?? cal.addWorkingDays(p.decidedOn, rule.params.fallbackWorkingDays as number).deadline;
    const nextWorkingDay = cal.addWorkingDays(deadline, 1).deadline;
    if (p.publishedOn) {
      if (p.publishedOn <= deadline) return null;
      return { raisedOn: p.publishedOn < nextWorkingDay ? p.publishedOn : nextWorkingDay, detail: { publicationId: p.id, documentNumber: p.documentNumber, decidedOn: p.decidedOn, deadline, publishedOn: p.publishedOn } };
    }
    if (p.status !== 'draft' || asOf < nextWorkingDay) return null;
    return { raisedOn: nextWorkingDay, detail: { publicationId: p.id, documentNumber: p.documentNumber, decidedOn: p.decidedOn, deadline, publishedOn: null } };
  },
  // R-P12 (行政处罚法第48条): withdrawn after withdrawBy, or still public after it; calendar days.
  withdrawal_overdue: (p, _rule, asOf) => {
    for (const w of p.withdrawals) {
      const late = p.withdrawnOn ? p.withdrawnOn >= w.decidedOn && p.withdrawnOn > w.withdrawBy : p.status === 'published' && asOf > w.withdrawBy;
      if (late) return { raisedOn: addDays(w.withdrawBy, 1), detail: { publicationId: p.id, documentNumber: p.documentNumber, remedyId: w.remedyId, remedyDecidedOn: w.decidedOn, withdrawBy: w.withdrawBy, withdrawnOn: p.withdrawnOn } };
    }
    return null;
  },
};

/** The publicity findings on one publication as of a day (rules in force on that day). */
export function evaluatePublication(p: PublicationFacts, asOf: string, cal: Pick<WorkingCalendar, 'addWorkingDays'>, rules: readonly AlertRule[] = ALERT_RULES): Finding[] {
  const out: Finding[] = [];
  for (const kind of PUBLICATION_KINDS) {
    const rule = ruleInForce(kind, asOf, rules);
    if (!rule || rule.waiting) continue;
    const hit = PUBLICATION_EVALUATORS[kind](p, rule, asOf, cal);
    if (hit) out.push({ kind, rule, ...hit });
  }
  return out;
}
