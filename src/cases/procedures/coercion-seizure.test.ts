// 查封、扣押: mandatory whole-process AV (R-R04), the 30-day limit with one extension of up to 30 days and
// the testing pause (行政强制法第二十五条), and the 24-hour emergency approval (第十九条).
import { describe, expect, it } from 'vitest';
import { libraryCalendar } from '../../platform/calendar/calendar.ts';
import { clockStatus, extendClock, getDefinition, initialState, type ExtensionRequest, type ProcedureState } from './index.ts';
import { attempt, codes, ctx, MATTER, run } from './test-helpers.ts';

const def = getDefinition('coercion-seizure');
const limit = (s: ProcedureState, asOf: string) => clockStatus(def, s, asOf, libraryCalendar).find((c) => c.key === 'seizure_limit')!;

function seized(on: string, emergency = false): ProcedureState {
  let s = initialState(def, { matter: MATTER, facts: { majorDecision: false } });
  s = run(def, s, 'measure_proposal', on, { facts: { emergency, measureKind: 'detention' } });
  return run(def, s, 'seizure', on, emergency ? { approval: undefined } : {});
}

const extension = (on: string, over: Partial<ExtensionRequest> = {}): ExtensionRequest => ({
  clock: 'seizure_limit',
  on,
  days: 30,
  actor: { id: 'o1', role: 'officer' },
  approval: { by: 'head-1', role: 'agency_head', on },
  reason: '涉案物品数量大，需进一步核查来源',
  document: { type: 'seizure_extension_decision', ref: '杭市监强延〔2026〕3号' },
  ...over,
});

describe('seizure', () => {
  it('R-R04: refused without AV records, whatever the agency list says', () => {
    let s = initialState(def, { matter: MATTER, facts: { majorDecision: false } });
    s = run(def, s, 'measure_proposal', '2026-09-05', { facts: { emergency: false, measureKind: 'seizure' } });
    const r = attempt(def, s, 'seizure', '2026-09-05', { av: { present: false, requirement: 'optional' } });
    expect(codes(r)).toEqual(['av_required']);
    expect(!r.ok && r.refusals[0]!.reason).toBe('「实施查封、扣押」须全程音像记录，尚未提交音像记录');
  });

  it('needs the head’s approval first (第十八条), a passed review when major (R-L04), and two officers', () => {
    let s = initialState(def, { matter: MATTER, facts: { majorDecision: false } });
    s = run(def, s, 'measure_proposal', '2026-09-05', { facts: { emergency: false, measureKind: 'seizure' } });
    expect(codes(attempt(def, s, 'seizure', '2026-09-05', { approval: undefined }))).toEqual(['approval_required']);
    let m = initialState(def, { matter: MATTER, facts: { majorDecision: true } });
    m = run(def, m, 'measure_proposal', '2026-09-05', { facts: { emergency: false, measureKind: 'seizure' } });
    expect(codes(attempt(def, m, 'seizure', '2026-09-05'))).toEqual(['step_not_available', 'review_required']);
    m = run(def, m, 'legal_review', '2026-09-06', { facts: { reviewPassed: true } });
    expect(attempt(def, m, 'seizure', '2026-09-07').ok).toBe(true);
  });

  it('30 calendar days, not carried past a holiday; the testing period does not count', () => {
    // 2026-09-05 + 30 = 10-05, inside the National Day holidays: a ceiling on holding property stays put.
    let s = seized('2026-09-05');
    expect(limit(s, '2026-09-05')).toMatchObject({ deadline: '2026-10-05', warn: false });
    expect(limit(s, '2026-10-01')).toMatchObject({ warn: true, remaining: 4 });
    s = run(def, s, 'testing_start', '2026-09-10', { pauseReason: '检测' });
    expect(limit(s, '2026-09-15')).toMatchObject({ status: 'paused', deadline: '2026-10-10', pausedDays: 5 });
    s = run(def, s, 'testing_end', '2026-09-20');
    expect(limit(s, '2026-09-20')).toMatchObject({ status: 'running', deadline: '2026-10-15', pausedDays: 10 });
    expect(codes(attempt(def, s, 'testing_start', '2026-09-21', { pauseReason: '等待领导研究' }))).toEqual(['pause_reason_invalid']);
    expect(codes(attempt(def, s, 'testing_end', '2026-09-21'))).toEqual(['clock_state']);
  });

  it('Feb 2026: a limit ending in the Spring Festival is not moved either', () => {
    expect(limit(seized('2026-01-20'), '2026-01-20').deadline).toBe('2026-02-19');
  });

  it('extends once, by at most 30 days, with the head’s approval and a written notice (第二十五条)', () => {
    const s = seized('2026-09-05');
    const c = ctx('2026-12-31');
    expect(extendClock(def, s, extension('2026-09-30', { days: 31 }), c)).toMatchObject({ ok: false, refusals: [{ code: 'extension_too_long' }] });
    expect(extendClock(def, s, extension('2026-09-30', { approval: { by: 'o2', role: 'officer', on: '2026-09-30' } }), c)).toMatchObject({ ok: false, refusals: [{ code: 'approval_required' }] });
    expect(extendClock(def, s, extension('2026-09-30', { document: undefined }), c)).toMatchObject({ ok: false, refusals: [{ code: 'document_missing' }] });
    expect(extendClock(def, s, extension('2026-10-06'), c)).toMatchObject({ ok: false, refusals: [{ code: 'deadline_passed' }] });
    const r = extendClock(def, s, extension('2026-09-30'), c);
    expect(r.ok && r.clockChange).toMatchObject({ action: 'extended', deadline: '2026-11-04' });
    if (!r.ok) throw new Error('extension refused');
    expect(limit(r.state, '2026-10-10')).toMatchObject({ deadline: '2026-11-04', extensionsUsed: 1, extendedDays: 30, canExtend: false });
    expect(r.state.documents.at(-1)).toMatchObject({ type: 'seizure_extension_decision', seq: null });
    expect(extendClock(def, r.state, extension('2026-10-10', { days: 5 }), c)).toMatchObject({ ok: false, refusals: [{ code: 'extension_exhausted' }] });
  });

  it('no disposal after the limit (第二十七条), but release is always possible (第二十八条)', () => {
    const s = seized('2026-09-05');
    expect(codes(attempt(def, s, 'disposal', '2026-10-06'))).toEqual(['deadline_passed']);
    expect(attempt(def, s, 'disposal', '2026-10-05').ok).toBe(true);
    const released = run(def, s, 'release', '2026-10-06');
    expect(limit(released, '2026-10-06')).toMatchObject({ status: 'stopped', stoppedLate: true });
  });

  it('emergency: done on the spot without approval, approved within a day, or released (第十九条)', () => {
    const s = seized('2026-09-30', true);
    expect(clockStatus(def, s, '2026-09-30', libraryCalendar).find((c) => c.key === 'emergency_approval_limit')?.deadline).toBe('2026-10-01');
    expect(codes(attempt(def, s, 'emergency_approval', '2026-10-02'))).toEqual(['deadline_passed']);
    expect(codes(attempt(def, s, 'disposal', '2026-10-02'))).toEqual(['emergency_approval_missing']);
    const approved = run(def, s, 'emergency_approval', '2026-10-01');
    expect(attempt(def, approved, 'disposal', '2026-10-02').ok).toBe(true);
    expect(codes(attempt(def, approved, 'emergency_approval', '2026-10-01'))).toEqual(['step_not_available']);
    const closed = run(def, run(def, run(def, approved, 'release', '2026-10-08'), 'closing', '2026-10-09'), 'archive', '2026-10-09');
    expect(closed.finished).toBe(true);
  });
});
