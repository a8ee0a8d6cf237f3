// 行政许可: working-day limits (第八十二条) across the 2026 Spring Festival, deemed acceptance (第三十二条),
// the 20 + 10 day decision limit (第四十二条), and time not counted for hearings and tests (第四十五条).
import { describe, expect, it } from 'vitest';
import { libraryCalendar } from '../../platform/calendar/calendar.ts';
import { clockStatus, extendClock, getDefinition, initialState, type ProcedureState } from './index.ts';
import { attempt, codes, ctx, MATTER, run, WANG, ZHANG, LI } from './test-helpers.ts';

const def = getDefinition('licensing');
const clock = (s: ProcedureState, key: string, asOf = '2026-02-12') => clockStatus(def, s, asOf, libraryCalendar).find((c) => c.key === key)!;
const applied = (facts = { majorDecision: false }) => run(def, initialState(def, { matter: MATTER, facts }), 'application', '2026-02-12');

describe('acceptance', () => {
  it('five working days across the Spring Festival: 02-13, Saturday 02-14 (调休), then 02-24..26', () => {
    expect(clock(applied(), 'acceptance_limit')).toMatchObject({ deadline: '2026-02-26', provisional: false });
  });

  it('a correction request after five working days is refused: the application already counts as accepted', () => {
    const r = attempt(def, applied(), 'correction_request', '2026-02-27');
    expect(codes(r)).toEqual(['deadline_passed']);
  });

  it('accepted late, the decision limit counts from receipt (deemed acceptance)', () => {
    const r = attempt(def, applied(), 'acceptance', '2026-03-02');
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['deadline_passed']);
    expect(r.ok && r.clockChanges.find((c) => c.clock === 'decision_limit')).toMatchObject({ action: 'started', on: '2026-02-12', deadline: '2026-03-18' });
  });

  it('accepted in time, 20 working days from acceptance', () => {
    const s = run(def, applied(), 'acceptance', '2026-02-13');
    expect(clock(s, 'decision_limit', '2026-02-13')).toMatchObject({ deadline: '2026-03-19', remaining: 20 });
  });

  it('one correction request only (一次告知)', () => {
    let s = run(def, applied(), 'correction_request', '2026-02-13');
    s = run(def, s, 'correction_received', '2026-03-02');
    expect(codes(attempt(def, s, 'correction_request', '2026-03-02'))).toEqual(['step_not_available']);
  });
});

describe('decision', () => {
  const examined = (mode: 'none' | 'on_request' | 'ex_officio', major = false) => {
    let s = run(def, applied({ majorDecision: major }), 'acceptance', '2026-02-13');
    return run(def, s, 'examination', '2026-02-24', { facts: { hearingMode: mode } });
  };

  it('extends by at most 10 working days once, with the head’s approval and notice to the applicant (第四十二条)', () => {
    const s = examined('none');
    const base = { clock: 'decision_limit', on: '2026-03-10', actor: { id: 'o1', role: 'officer' as const }, approval: { by: 'h', role: 'agency_head' as const, on: '2026-03-10' }, reason: '需征求有关部门意见', document: { type: 'licence_extension_notice', ref: 'YQ-1' } };
    expect(extendClock(def, s, { ...base, days: 11 }, ctx())).toMatchObject({ ok: false, refusals: [{ code: 'extension_too_long' }] });
    const r = extendClock(def, s, { ...base, days: 10 }, ctx());
    expect(r.ok && r.clockChange.deadline).toBe('2026-04-02');
    if (r.ok) expect(extendClock(def, r.state, { ...base, days: 1 }, ctx())).toMatchObject({ ok: false, refusals: [{ code: 'extension_exhausted' }] });
  });

  it('tests and expert review do not count, for a lawful reason only (第四十五条)', () => {
    let s = examined('none');
    expect(codes(attempt(def, s, 'special_procedure_start', '2026-02-25', { pauseReason: '补充材料' }))).toEqual(['pause_reason_invalid']);
    s = run(def, s, 'special_procedure_start', '2026-02-25', { pauseReason: '专家评审' });
    s = run(def, s, 'special_procedure_end', '2026-03-04');
    // 02-26, 02-27, 02-28 (调休), 03-02, 03-03, 03-04: six working days not counted.
    expect(clock(s, 'decision_limit', '2026-03-04')).toMatchObject({ deadline: '2026-03-27', status: 'running' });
  });

  it('hearing on request: five days to ask, hearing within 20, presided by someone who did not examine, decision after review', () => {
    let s = examined('on_request');
    s = run(def, s, 'hearing_rights_notice', '2026-02-25');
    expect(codes(attempt(def, s, 'grant', '2026-02-26'))).toEqual(['too_early']);
    s = run(def, s, 'hearing_request', '2026-02-27');
    expect(clock(s, 'decision_limit', '2026-02-27').status).toBe('paused');
    s = run(def, s, 'hearing_notice', '2026-03-02');
    expect(codes(attempt(def, s, 'hearing', '2026-03-10', { presidedBy: WANG.id }))).toEqual(['too_early']);
    // The examiner recorded 审查 with officers 张明 and 李华: neither may preside.
    expect(codes(attempt(def, s, 'hearing', '2026-03-11', { presidedBy: ZHANG.id }))).toEqual(['presider_conflict']);
    s = run(def, s, 'hearing', '2026-03-11', { officers: [LI, WANG], presidedBy: WANG.id });
    // 第四十五条: the hearing time is not counted. Five working days had run (02-14, 02-24..27); the
    // fifteen left count from 03-11: 03-12 … 04-01.
    expect(clock(s, 'decision_limit', '2026-03-11')).toMatchObject({ status: 'running', deadline: '2026-04-01' });
    expect(codes(attempt(def, s, 'grant', '2026-03-12'))).toContain('step_not_available');
    s = run(def, s, 'legal_review', '2026-03-12', { facts: { reviewPassed: true } });
    s = run(def, s, 'grant', '2026-03-13');
    expect(clock(s, 'issuance_limit', '2026-03-13').deadline).toBe('2026-03-27');
    s = run(def, s, 'issuance', '2026-03-16');
    s = run(def, s, 'publication', '2026-03-16');
    s = run(def, s, 'closing', '2026-03-17');
    expect(run(def, s, 'archive', '2026-03-17').finished).toBe(true);
  });

  it('a test still running when a hearing is asked for: the union of both periods is not counted', () => {
    let s = examined('on_request');
    s = run(def, s, 'special_procedure_start', '2026-02-25', { pauseReason: '检测' });
    s = run(def, s, 'hearing_rights_notice', '2026-02-26');
    s = run(def, s, 'hearing_request', '2026-02-27');
    s = run(def, s, 'special_procedure_end', '2026-03-03');
    expect(clock(s, 'decision_limit', '2026-03-03').status).toBe('paused');
    s = run(def, s, 'hearing_notice', '2026-03-04');
    s = run(def, s, 'hearing', '2026-03-13', { officers: [LI, WANG], presidedBy: WANG.id });
    // Counted: 02-14 (调休), 02-24, 02-25 (three); paused 02-25..03-13; 17 left from 03-13, past 清明
    // (04-04..06): 03-16 … 04-03, 04-07, 04-08.
    expect(clock(s, 'decision_limit', '2026-03-13')).toMatchObject({ status: 'running', deadline: '2026-04-08', pausedDays: 16 });
  });

  it('R-L01: a major licence needs a passed review', () => {
    let s = examined('none', true);
    expect(codes(attempt(def, s, 'grant', '2026-02-25'))).toEqual(['step_not_available', 'review_required']);
    s = run(def, s, 'legal_review', '2026-02-25', { facts: { reviewPassed: false } });
    s = run(def, s, 'examination', '2026-02-26', { facts: { hearingMode: 'none' } });
    s = run(def, s, 'legal_review', '2026-02-27', { facts: { reviewPassed: true } });
    expect(attempt(def, s, 'refusal', '2026-02-27').ok).toBe(true);
  });
});
