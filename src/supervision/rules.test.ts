// R-R08: each indicator with a case that trips it and one that just does not, boundaries counted on the
// working-day calendar (chinese-days data for 2026: 国庆 2026-10-01…10-07, 调休 workdays).
import { describe, expect, it } from 'vitest';
import { getDefinition, type ClockState, type StepRecord } from '../cases/procedures/index.ts';
import type { CaseFacts } from '../cases/supervision-facts.ts';
import { libraryCalendar as cal, addDays } from '../platform/calendar/index.ts';
import { ALERT_KINDS, ALERT_RULES, evaluateCase, percentile, ruleInForce, type AlertKind, type DiscretionFacts } from './rules.ts';

const AS_OF = '2026-11-25';
const OFFICERS = [
  { id: '11111111-1111-4111-8111-111111111111', name: '甲', certificateNumber: 'A1' },
  { id: '22222222-2222-4222-8222-222222222222', name: '乙', certificateNumber: 'A2' },
];
const VALID = { validFrom: '2024-01-01', validTo: '2029-12-31', status: 'valid' };

function step(seq: number, key: string, on: string, extra: Partial<StepRecord> = {}): StepRecord {
  return { seq, step: key, on, actor: { id: 'u', role: 'officer' }, officers: OFFICERS, approval: null, presidedBy: null, facts: {}, documents: [], av: null, warnings: [], note: null, ...extra };
}
function clock(key: string, startedOn: string, stoppedOn: string | null, extensions: ClockState['extensions'] = []): ClockState {
  return { key, startedOn, startedBySeq: 1, status: stoppedOn ? 'stopped' : 'running', stoppedOn, stoppedBySeq: stoppedOn ? 2 : null, stopReason: stoppedOn ? 'step' : null, pauses: [], extensions };
}
function facts(procedure: string, caseType: string, over: { steps?: StepRecord[]; clocks?: ClockState[]; facts?: Record<string, string | number | boolean> } & Partial<Omit<CaseFacts, 'state'>>): CaseFacts {
  const def = getDefinition(procedure);
  const { steps = [], clocks = [], facts: f = {}, ...rest } = over;
  return {
    id: '33333333-3333-4333-8333-333333333333', agencyId: 'a', regionCode: '330106', number: 'X', procedureId: procedure, caseType, status: 'open',
    partyType: 'organisation', majorDecision: false, def, passedReviews: [], certificates: new Map([[OFFICERS[0]!.id, VALID], [OFFICERS[1]!.id, VALID]]),
    state: { definition: { id: def.id, version: def.version }, matter: { category: '市场监管', area: '演示市' }, cursor: null, finished: false, steps, documents: [], facts: f, clocks },
    ...rest,
  };
}
const kinds = (f: CaseFacts, asOf = AS_OF) => evaluateCase(f, asOf, cal).map((x) => x.kind);
const trips = (k: AlertKind, f: CaseFacts, asOf = AS_OF) => kinds(f, asOf).includes(k);

describe('alert rules as data (R-R08)', () => {
  it('every kind has a versioned rule with its legal basis and severity; none waits any more', () => {
    for (const k of ALERT_KINDS) {
      const r = ruleInForce(k, AS_OF)!;
      expect(r.version).toBeGreaterThanOrEqual(1);
      expect(r.basis).toMatch(/第.+条|国办发/);
      expect(['high', 'medium', 'low']).toContain(r.severity);
    }
    // v1 of 同案不同罚 waited for the benchmarks; v2 is in force and does not.
    expect(ALERT_RULES.filter((r) => r.waiting).map((r) => `${r.code}.v${r.version}`)).toEqual(['discretion_outlier.v1']);
    expect(ruleInForce('discretion_outlier', AS_OF)!.waiting).toBeUndefined();
  });

  it('a rule version applies from its effective date', () => {
    const v2 = { ...ruleInForce('single_officer', AS_OF)!, version: 2, effectiveFrom: '2026-12-01', params: { steps: ['inspection'], minOfficers: 3 } };
    const rules = [...ALERT_RULES, v2];
    const f = facts('penalty-general', 'penalty_general', { steps: [step(1, 'inspection', '2026-11-02')] });
    expect(evaluateCase(f, '2026-11-30', cal, rules).map((x) => x.kind)).not.toContain('single_officer');
    const hit = evaluateCase(f, '2026-12-01', cal, rules).find((x) => x.kind === 'single_officer')!;
    expect(hit.rule.version).toBe(2);
    // The rules in force are worked out once per day and rule set: the built-in set on the same day is still v1's.
    expect(evaluateCase(f, '2026-12-01', cal).map((x) => x.kind)).not.toContain('single_officer');
    expect(evaluateCase(f, '2026-11-30', cal, rules).map((x) => x.kind)).not.toContain('single_officer');
  });
});

describe('each indicator: trips, and just does not', () => {
  it('overdue_decision: 90 days from filing, a deadline on a rest day moves to the next working day (第60条)', () => {
    const start = '2026-07-03'; // +90 = 2026-10-01, 国庆
    const deadline = cal.addCalendarDays(start, 90).deadline;
    expect(deadline > addDays(start, 90)).toBe(true);
    const at = (stop: string | null, asOf = AS_OF) => trips('overdue_decision', facts('penalty-general', 'penalty_general', { clocks: [clock('decision_limit', start, stop)] }), asOf);
    expect(at(deadline)).toBe(false);
    expect(at(addDays(deadline, 1))).toBe(true);
    expect(at(null, deadline)).toBe(false);
    expect(at(null, addDays(deadline, 1))).toBe(true);
    // An approved extension moves it.
    const ext = [{ on: '2026-09-01', days: 30, approval: { by: 'h', name: '局长', role: 'agency_head' as const, on: '2026-09-01' }, reason: '案情复杂', document: null }];
    expect(trips('overdue_decision', facts('penalty-general', 'penalty_general', { clocks: [clock('decision_limit', start, addDays(deadline, 1), ext)] }))).toBe(false);
  });

  it('seizure_overdue: 30 days, not carried past a rest day, 30 more with approval (行政强制法第25条)', () => {
    const start = '2026-09-01';
    const f = (stop: string, ext: ClockState['extensions'] = []) => facts('coercion-seizure', 'coercion', { clocks: [clock('seizure_limit', start, stop, ext)] });
    expect(trips('seizure_overdue', f(addDays(start, 30)))).toBe(false); // 2026-10-01, a holiday: still the last day
    expect(trips('seizure_overdue', f(addDays(start, 31)))).toBe(true);
    const ext = [{ on: '2026-09-25', days: 30, approval: { by: 'h', name: '局长', role: 'agency_head' as const, on: '2026-09-25' }, reason: '情况复杂', document: null }];
    expect(trips('seizure_overdue', f(addDays(start, 60), ext))).toBe(false);
    expect(trips('seizure_overdue', f(addDays(start, 61), ext))).toBe(true);
  });

  it('licence_overdue: 20 working days from acceptance across 国庆 (行政许可法第42条)', () => {
    const start = '2026-09-24';
    const deadline = cal.addWorkingDays(start, 20).deadline;
    expect(deadline >= '2026-10-26').toBe(true); // the holiday week is not counted
    const next = cal.addWorkingDays(deadline, 1).deadline;
    const f = (stop: string) => facts('licensing', 'licensing', { clocks: [clock('decision_limit', start, stop)] });
    expect(trips('licence_overdue', f(deadline))).toBe(false);
    expect(trips('licence_overdue', f(next))).toBe(true);
  });

  it('review_missing: a major decision needs a passed review on or before its day (第58条)', () => {
    const f = (review: string[], major = true) => facts('penalty-general', 'penalty_general', { majorDecision: major, passedReviews: review, steps: [step(1, 'filing', '2026-10-09'), step(2, 'penalty_decision', '2026-11-02')] });
    expect(trips('review_missing', f(['2026-11-02']))).toBe(false);
    expect(trips('review_missing', f(['2026-11-03']))).toBe(true);
    expect(trips('review_missing', f([]))).toBe(true);
    expect(trips('review_missing', f([], false))).toBe(false);
  });

  it('single_officer: an investigation act needs two officers (第42条)', () => {
    expect(trips('single_officer', facts('penalty-general', 'penalty_general', { steps: [step(1, 'inspection', '2026-11-02')] }))).toBe(false);
    expect(trips('single_officer', facts('penalty-general', 'penalty_general', { steps: [step(1, 'inspection', '2026-11-02', { officers: [OFFICERS[0]!] })] }))).toBe(true);
  });

  it('certificate_invalid: the certificate must be valid on the day of the act, last day included', () => {
    const f = (validTo: string) => facts('penalty-general', 'penalty_general', { steps: [step(1, 'inspection', '2026-11-02')], certificates: new Map([[OFFICERS[0]!.id, { ...VALID, validTo }], [OFFICERS[1]!.id, VALID]]) });
    expect(trips('certificate_invalid', f('2026-11-02'))).toBe(false);
    expect(trips('certificate_invalid', f('2026-11-01'))).toBe(true);
  });

  it('summary_limit: on-the-spot fines up to 200 元 (citizen) and 3,000 元 (organisation) (第51条)', () => {
    const f = (partyType: string, fine: number) => facts('penalty-summary', 'penalty_summary', { facts: { partyType, fineAmount: fine }, steps: [step(1, 'onsite_decision', '2026-11-02', { facts: { fineAmount: fine } })] });
    expect(trips('summary_limit', f('citizen', 200))).toBe(false);
    expect(trips('summary_limit', f('citizen', 200.5))).toBe(true);
    expect(trips('summary_limit', f('legal_person', 3000))).toBe(false);
    expect(trips('summary_limit', f('legal_person', 3001))).toBe(true);
  });

  it('hearing_notice_missing: rights told before a 第63条 decision; hearing notice 7 working days ahead across 国庆 (第64条)', () => {
    const notice = '2026-09-28';
    const earliest = cal.addWorkingDays(notice, 7).deadline;
    expect(earliest > addDays(notice, 7)).toBe(true);
    const hearing = (on: string) => facts('penalty-general', 'penalty_general', { facts: { hearingEligible: true }, steps: [step(1, 'prior_notice', '2026-09-20'), step(2, 'hearing_notice', notice), step(3, 'hearing', on)] });
    expect(trips('hearing_notice_missing', hearing(earliest))).toBe(false);
    expect(trips('hearing_notice_missing', hearing(addDays(earliest, -1)))).toBe(true);
    const decided = (withNotice: boolean) =>
      facts('penalty-general', 'penalty_general', { facts: { hearingEligible: true }, steps: [...(withNotice ? [step(1, 'prior_notice', '2026-11-02')] : []), step(2, 'penalty_decision', '2026-11-12')] });
    expect(trips('hearing_notice_missing', decided(true))).toBe(false);
    expect(trips('hearing_notice_missing', decided(false))).toBe(true);
  });

  it('av_missing: a step whose AV record is mandatory and absent (第47条)', () => {
    const f = (requirement: 'mandatory' | 'as_needed', present: boolean) => facts('coercion-seizure', 'coercion', { steps: [step(1, 'seizure', '2026-11-02', { av: { requirement, present } })] });
    expect(trips('av_missing', f('mandatory', true))).toBe(false);
    expect(trips('av_missing', f('as_needed', false))).toBe(false);
    expect(trips('av_missing', f('mandatory', false))).toBe(true);
  });

  it('limitation_expired: two years from the violation to the decision, five for life, health or financial safety (第36条)', () => {
    const f = (decision: string, extended = false) => facts('penalty-general', 'penalty_general', { facts: { violationDate: '2024-03-01', ...(extended ? { lifeOrFinancialSafety: true } : {}) }, steps: [step(1, 'penalty_decision', decision)] });
    expect(trips('limitation_expired', f('2026-03-01'))).toBe(false);
    expect(trips('limitation_expired', f('2026-03-02'))).toBe(true);
    expect(trips('limitation_expired', f('2026-03-02', true))).toBe(false);
  });

  it('discretion_outlier: a decided fine outside its band, or outside P10–P90 of its peers; in band and among peers it does not (同案不同罚)', () => {
    const decided = (d: Partial<DiscretionFacts>) => ({
      ...facts('penalty-general', 'penalty_general', { steps: [step(1, 'penalty_decision', '2026-11-12')] }),
      discretion: { violationCode: 'JG-42', level: '一般', value: 2500, decidedOn: '2026-11-12', benchmark: { id: 'demo-city.JG-42.v1', version: 1 }, band: { min: 2000, max: 3000 }, outsideBand: false, deviationApproved: false, peers: [2000, 2200, 2400, 2500, 2600, 2800, 3000], ...d },
    });
    const hit = (d: Partial<DiscretionFacts>) => evaluateCase(decided(d), AS_OF, cal).find((x) => x.kind === 'discretion_outlier');
    // Peers 2000…3000: P10 = 2120, P90 = 2880 (linear interpolation).
    expect(percentile([2000, 2200, 2400, 2500, 2600, 2800, 3000], 10)).toBeCloseTo(2120);
    expect(percentile([2000, 2200, 2400, 2500, 2600, 2800, 3000], 90)).toBeCloseTo(2880);
    expect(hit({})).toBeUndefined();
    expect(hit({ value: 2880 })).toBeUndefined();
    expect(hit({ value: 2120 })).toBeUndefined();
    const peer = hit({ value: 2900 })!;
    expect(peer).toMatchObject({ raisedOn: '2026-11-12', rule: { version: 2 }, detail: { trigger: 'peers', peers: 7 } });
    expect(hit({ value: 2100 })?.detail.trigger).toBe('peers');
    // Too few peers to judge: nothing, however far off.
    expect(hit({ value: 2900, peers: [2000, 2500, 3000, 2400] })).toBeUndefined();
    // Outside the band: raised whatever the peers say, an approved deviation shown in the detail.
    const band = hit({ value: 3500, outsideBand: true, deviationApproved: true, peers: [] })!;
    expect(band.detail).toMatchObject({ trigger: 'band', band: { min: 2000, max: 3000 }, deviationApproved: true });
    // Before 2026-02-01 no version is in force: nothing.
    expect(evaluateCase(decided({ value: 3500, outsideBand: true }), '2026-01-31', cal).map((x) => x.kind)).not.toContain('discretion_outlier');
  });

  it('agency-level and publication-level rules raise nothing on a case; 同案不同罚 nothing without a discretion record', () => {
    const f = facts('penalty-general', 'penalty_general', { steps: [step(1, 'penalty_decision', '2025-01-02')] });
    for (const k of ['publication_overdue', 'withdrawal_overdue', 'discretion_outlier', 'zero_enforcement'] as const) expect(kinds(f)).not.toContain(k);
  });
});
