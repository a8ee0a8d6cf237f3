// Publication rules as data (R-P01, R-P11, R-P14): exclusions, periods, "only stricter".
import { describe, expect, it } from 'vitest';
import { idCheckDigit } from './redact.ts';
import { DEFAULT_RULES, addMonths, ageOn, evaluate, stricterProblems, type DecisionFacts } from './rules.ts';

const id = (first17: string) => first17 + idCheckDigit(first17);
const base: DecisionFacts = { kind: 'penalty', procedureId: 'penalty-general', partyType: 'organisation', partyIdNumber: null, decidedOn: '2026-11-20', penaltyKinds: ['罚款'], fineAmount: 200000 };

describe('R-P11 / R-P14 evaluation', () => {
  it('a general-procedure penalty is published within 7 working days for 3 years', () => {
    const e = evaluate(DEFAULT_RULES, base);
    expect(e).toMatchObject({ publish: true, deadlineWorkingDays: 7, periodMonths: 36 });
    if (e.publish) expect(e.item.basis.join()).toContain('118号');
  });

  it('other decisions get 20 working days', () => {
    expect(evaluate(DEFAULT_RULES, { ...base, kind: 'coercion', procedureId: 'coercion-seizure' })).toMatchObject({ publish: true, deadlineWorkingDays: 20 });
    expect(evaluate(DEFAULT_RULES, { ...base, kind: 'other', procedureId: 'penalty-general' })).toMatchObject({ publish: true, deadlineWorkingDays: 20 });
    expect(evaluate(DEFAULT_RULES, { ...base, kind: 'licensing', procedureId: 'licensing' })).toMatchObject({ publish: true, deadlineWorkingDays: 7 });
  });

  it('exclusion: 简易程序 decisions are not published', () => {
    expect(evaluate(DEFAULT_RULES, { ...base, procedureId: 'penalty-summary' })).toMatchObject({ publish: false, code: 'not_published_kind' });
  });

  it('exclusion: a minor as party (age on the decision day, from the ID number)', () => {
    const minor = id('33010620100506004');
    expect(ageOn(minor, '2026-11-20')).toBe(16);
    expect(ageOn(minor, '2028-05-06')).toBe(18);
    expect(evaluate(DEFAULT_RULES, { ...base, partyType: 'citizen', partyIdNumber: minor })).toMatchObject({ publish: false, code: 'minor' });
    expect(evaluate(DEFAULT_RULES, { ...base, partyType: 'citizen', partyIdNumber: minor, decidedOn: '2028-05-06' })).toMatchObject({ publish: true });
    expect(evaluate(DEFAULT_RULES, { ...base, partyType: 'citizen', partyIdNumber: id('33010619850315231') })).toMatchObject({ publish: true });
  });

  it('exclusion: warning-only decisions, unless the agency publishes them too', () => {
    expect(evaluate(DEFAULT_RULES, { ...base, penaltyKinds: ['警告'], fineAmount: 0 })).toMatchObject({ publish: false, code: 'warning_only' });
    expect(evaluate({ ...DEFAULT_RULES, excludeWarningOnly: false }, { ...base, penaltyKinds: ['警告'], fineAmount: 0 })).toMatchObject({ publish: true, periodMonths: 3 });
    expect(evaluate(DEFAULT_RULES, { ...base, penaltyKinds: ['警告', '罚款'] })).toMatchObject({ publish: true });
  });

  it('publicity period: 3 months for 通报批评 or a low fine only (45号令 第13条), 3 years otherwise', () => {
    expect(evaluate(DEFAULT_RULES, { ...base, penaltyKinds: ['通报批评'], fineAmount: 0 })).toMatchObject({ periodMonths: 3 });
    expect(evaluate(DEFAULT_RULES, { ...base, partyType: 'citizen', fineAmount: 9999 })).toMatchObject({ periodMonths: 3 });
    expect(evaluate(DEFAULT_RULES, { ...base, partyType: 'citizen', fineAmount: 10000 })).toMatchObject({ periodMonths: 36 });
    expect(evaluate(DEFAULT_RULES, { ...base, fineAmount: 99999 })).toMatchObject({ periodMonths: 3 });
    expect(evaluate(DEFAULT_RULES, { ...base, penaltyKinds: ['罚款', '吊销许可证件'], fineAmount: 5000 })).toMatchObject({ periodMonths: 36 });
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-11-20', 36)).toBe('2029-11-20');
  });
});

describe('R-P01: an agency may only be stricter', () => {
  it('refuses looser items and accepts stricter ones', () => {
    expect(stricterProblems(DEFAULT_RULES)).toEqual([]);
    const map = (f: (i: (typeof DEFAULT_RULES.items)[number]) => (typeof DEFAULT_RULES.items)[number]) => ({ ...DEFAULT_RULES, items: DEFAULT_RULES.items.map(f) });
    expect(stricterProblems(map((i) => (i.key === 'penalty.general' ? { ...i, publish: false } : i)))[0]!.field).toBe('items.0.publish');
    expect(stricterProblems(map((i) => (i.key === 'other' ? { ...i, deadlineWorkingDays: 21 } : i)))[0]!.field).toBe('items.5.deadlineWorkingDays');
    expect(stricterProblems(map((i) => (i.key === 'licensing' ? { ...i, periodMonths: 12 } : i)))[0]!.field).toBe('items.2.periodMonths');
    expect(stricterProblems({ ...DEFAULT_RULES, items: DEFAULT_RULES.items.slice(1) })[0]!.message).toContain('penalty.general');
    expect(stricterProblems(map((i) => (i.key === 'coercion' ? { ...i, deadlineWorkingDays: 5 } : i)))).toEqual([]);
    expect(stricterProblems(map((i) => (i.key === 'penalty.summary' ? { ...i, publish: true } : i)))).toEqual([]);
  });
});
