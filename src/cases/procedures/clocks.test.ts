// Clock arithmetic on the real calendar (REQUIREMENTS Appendix): start day not counted, working days skip
// holidays and count 调休 days, calendar-day limits move off rest days unless the definition says not,
// paused days are not counted, extensions add to the length.
import { describe, expect, it } from 'vitest';
import { libraryCalendar, WorkingCalendar } from '../../platform/calendar/calendar.ts';
import { computeDeadline, limitText, viewClock } from './clocks.ts';
import type { ClockDef } from './schema.ts';
import type { ClockState } from './state.ts';

const def = (over: Partial<ClockDef>): ClockDef => ({ key: 'k', name: '期限', basis: '依据', kind: 'deadline', unit: 'working', length: 5, extendPastRestDay: true, warnBeforeDays: 2, ...over });
const clock = (startedOn: string, over: Partial<ClockState> = {}): ClockState => ({
  key: 'k', startedOn, startedBySeq: 1, status: 'running', stoppedOn: null, stoppedBySeq: null, stopReason: null, pauses: [], extensions: [], ...over,
});
const dl = (d: ClockDef, c: ClockState, asOf = c.startedOn) => computeDeadline(d, c, asOf, libraryCalendar).deadline;

describe('working days', () => {
  it('skip the National Day week and count Saturday 10-10 (调休)', () => {
    expect(dl(def({ length: 5 }), clock('2026-09-30'))).toBe('2026-10-13');
    expect(dl(def({ length: 3 }), clock('2026-10-08'))).toBe('2026-10-12');
  });
  it('skip the Spring Festival and count Saturday 02-14 and 02-28 (调休)', () => {
    expect(dl(def({ length: 2 }), clock('2026-02-13'))).toBe('2026-02-24');
    expect(dl(def({ length: 4 }), clock('2026-02-24'))).toBe('2026-02-28');
  });
  it('are provisional in a year without an official notice', () => {
    expect(computeDeadline(def({ length: 20 }), clock('2026-12-15'), '2026-12-15', libraryCalendar)).toMatchObject({ deadline: '2027-01-13', provisional: true });
    expect(computeDeadline(def({ length: 5 }), clock('2026-12-01'), '2026-12-01', libraryCalendar).provisional).toBe(false);
  });
  it('follow an administrator’s calendar correction', () => {
    const corrected = new WorkingCalendar([{ day: '2026-10-13', kind: 'holiday', note: '测试' }]);
    expect(computeDeadline(def({ length: 5 }), clock('2026-09-30'), '2026-09-30', corrected).deadline).toBe('2026-10-14');
  });
});

describe('calendar days', () => {
  it('move a last day on a holiday to the next working day, unless told not to', () => {
    expect(dl(def({ unit: 'calendar', length: 90 }), clock('2026-07-05'))).toBe('2026-10-08');
    expect(dl(def({ unit: 'calendar', length: 90, extendPastRestDay: false }), clock('2026-07-05'))).toBe('2026-10-03');
    // A Saturday that is a 调休 working day is a working day: no move.
    expect(dl(def({ unit: 'calendar', length: 30 }), clock('2026-09-10'))).toBe('2026-10-10');
    expect(dl(def({ unit: 'calendar', length: 30 }), clock('2026-01-20'))).toBe('2026-02-24');
  });
});

describe('pauses and extensions', () => {
  const c30 = def({ unit: 'calendar', length: 30, extendPastRestDay: false });
  it('do not count days in a pause, closed or still open', () => {
    const closed = clock('2026-09-05', { pauses: [{ from: '2026-09-10', to: '2026-09-20', reason: '检测', seq: 2 }] });
    expect(dl(c30, closed)).toBe('2026-10-15');
    const open = clock('2026-09-05', { status: 'paused', pauses: [{ from: '2026-09-10', to: null, reason: '检测', seq: 2 }] });
    expect(dl(c30, open, '2026-09-12')).toBe('2026-10-07');
    // Two pauses add up.
    const two = clock('2026-09-05', { pauses: [{ from: '2026-09-06', to: '2026-09-08', reason: '检测', seq: 2 }, { from: '2026-09-10', to: '2026-09-11', reason: '检验', seq: 3 }] });
    expect(dl(c30, two)).toBe('2026-10-08');
  });
  it('a pause after the deadline changes nothing', () => {
    expect(dl(c30, clock('2026-09-05', { pauses: [{ from: '2026-10-20', to: '2026-10-25', reason: '检测', seq: 2 }] }))).toBe('2026-10-05');
  });
  it('working-day pauses count only working days', () => {
    // 20 working days from 02-13; paused 02-13..02-24 covers 02-14 (调休) and 02-24: two working days.
    const w = def({ length: 20 });
    expect(dl(w, clock('2026-02-13'))).toBe('2026-03-19');
    expect(dl(w, clock('2026-02-13', { pauses: [{ from: '2026-02-13', to: '2026-02-24', reason: '听证', seq: 2 }] }))).toBe('2026-03-23');
  });
  it('extensions add to the length', () => {
    const ext = { on: '2026-09-30', days: 30, approval: { by: 'h', name: '', role: 'agency_head' as const, on: '2026-09-30' }, reason: '情况复杂', document: null };
    expect(dl(c30, clock('2026-09-05', { extensions: [ext] }))).toBe('2026-11-04');
  });
});

describe('views', () => {
  it('warn within the warn-before days, overdue after, never for a period', () => {
    const d = def({ length: 5, warnBeforeDays: 2 });
    const c = clock('2026-09-30');
    // Working days left after 10-08: 10-09, Saturday 10-10 (调休), 10-12, 10-13.
    expect(viewClock(d, c, '2026-10-08', libraryCalendar)).toMatchObject({ deadline: '2026-10-13', remaining: 4, warn: false, overdue: false });
    expect(viewClock(d, c, '2026-10-10', libraryCalendar)).toMatchObject({ remaining: 2, warn: true });
    expect(viewClock(d, c, '2026-10-14', libraryCalendar)).toMatchObject({ remaining: -1, warn: false, overdue: true, passed: true, canExtend: false });
    const p = def({ kind: 'period', length: 5, warnBeforeDays: 2 });
    expect(viewClock(p, c, '2026-10-12', libraryCalendar)).toMatchObject({ warn: false, overdue: false });
    expect(viewClock(p, c, '2026-10-14', libraryCalendar)).toMatchObject({ warn: false, overdue: false, passed: true });
  });
  it('a stopped clock is neither warned nor overdue, and says whether it stopped late', () => {
    const d = def({ length: 5 });
    const stopped = clock('2026-09-30', { status: 'stopped', stoppedOn: '2026-10-14', stoppedBySeq: 3, stopReason: 'step' });
    expect(viewClock(d, stopped, '2026-11-01', libraryCalendar)).toMatchObject({ status: 'stopped', remaining: null, warn: false, overdue: false, stoppedLate: true });
  });
  it('describes the limit in Chinese', () => {
    expect(limitText(def({ length: 20, extension: { maxTimes: 1, maxLength: 10, approverRoles: ['agency_head'], basis: 'x' } }))).toBe('20个工作日（经批准可延长一次，每次至多10个工作日）');
    expect(limitText(def({ unit: 'calendar', length: 90 }))).toBe('90日');
  });
});
