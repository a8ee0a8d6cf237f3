// Clocks: the legal time limits of a case, counted on the working-day calendar (REQUIREMENTS Appendix).
// The start day is not counted; a working-day limit skips weekends and holidays and counts 调休 days; a
// calendar-day limit that ends on a rest day moves to the next working day unless its definition says
// otherwise. Days in a pause (a period the law does not count, e.g. 检测 under 行政强制法第二十五条, 听证
// under 行政许可法第四十五条) are not counted. Pure: the calendar and the date are passed in.
import type { WorkingCalendar } from '../../platform/calendar/calendar.ts';
import { toDayNumber } from '../../platform/calendar/dates.ts';
import type { ClockDef, ProcedureDefinition } from './schema.ts';
import type { ClockState, ProcedureState } from './state.ts';

/** What the engine needs of the calendar: `libraryCalendar` in tests, `getCalendar(db)` in the service. */
export type ProcedureCalendar = Pick<WorkingCalendar, 'addWorkingDays' | 'addCalendarDays' | 'countWorkingDays' | 'isWorkingDay'>;

export interface ComputedDeadline {
  deadline: string;
  /** Some day counted lies in a year without an official holiday notice yet. */
  provisional: boolean;
  /** Length plus extensions, in the clock's unit. */
  totalDays: number;
}

const dayDiff = (from: string, to: string) => toDayNumber(to) - toDayNumber(from);

/**
 * The last day of a clock instance. An open pause is taken to end on `asOf`: while a clock is paused its
 * deadline moves a day further for each day (working day, for a working-day clock) that passes.
 */
export function computeDeadline(def: ClockDef, clock: ClockState, asOf: string, cal: ProcedureCalendar): ComputedDeadline {
  const totalDays = def.length + clock.extensions.reduce((s, e) => s + e.days, 0);
  let provisional = false;
  const working = def.unit === 'working';
  const count = (from: string, to: string) => {
    if (!working) return Math.max(0, dayDiff(from, to));
    const r = cal.countWorkingDays(from, to);
    provisional ||= r.provisional;
    return Math.max(0, r.count);
  };
  const add = (from: string, n: number) => {
    const r = working ? cal.addWorkingDays(from, n) : cal.addCalendarDays(from, n, { extendPastRestDay: def.extendPastRestDay });
    provisional ||= r.provisional;
    return r.deadline;
  };
  const pauses = pauseIntervals(clock, asOf);
  let cursor = clock.startedOn;
  let remaining = totalDays;
  for (const p of pauses) {
    if (p.to <= cursor) continue;
    const from = p.from < cursor ? cursor : p.from;
    const available = count(cursor, from);
    if (remaining <= available) return { deadline: add(cursor, remaining), provisional, totalDays };
    remaining -= available;
    cursor = p.to;
  }
  return { deadline: add(cursor, remaining), provisional, totalDays };
}

/**
 * The paused intervals (from, to] merged into their union, in date order; an open one ends on `asOf`.
 * Pauses overlap when, say, a test is still running when a hearing is asked for.
 */
export function pauseIntervals(clock: ClockState, asOf: string): { from: string; to: string }[] {
  const list = clock.pauses
    .map((p) => ({ from: p.from, to: p.to ?? (asOf > p.from ? asOf : p.from) }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: { from: string; to: string }[] = [];
  for (const p of list) {
    const last = out.at(-1);
    if (last && p.from <= last.to) {
      if (p.to > last.to) last.to = p.to;
    } else out.push({ ...p });
  }
  return out;
}

export interface ClockView {
  key: string;
  name: string;
  basis: string;
  kind: 'deadline' | 'period';
  unit: 'working' | 'calendar';
  /** e.g. "5个工作日", "30日（可延长一次，至多30日）". */
  limitText: string;
  status: ClockState['status'];
  startedOn: string;
  deadline: string;
  provisional: boolean;
  /** Days left after `asOf` until the deadline, in the clock's unit; negative once passed; null when stopped. */
  remaining: number | null;
  /** `asOf` is after the deadline. */
  passed: boolean;
  /** A running agency deadline within its warn-before days. */
  warn: boolean;
  /** An agency deadline that is not stopped and has passed. */
  overdue: boolean;
  stoppedOn: string | null;
  /** Stopped after its deadline (the step that ended it came late). */
  stoppedLate: boolean;
  pausedDays: number;
  extensionsUsed: number;
  extendedDays: number;
  /** An extension could still be granted now (rule allows it, times left, not passed). */
  canExtend: boolean;
}

export function limitText(def: ClockDef): string {
  const unit = def.unit === 'working' ? '个工作日' : '日';
  let s = `${def.length}${unit}`;
  if (def.extension) {
    const times = def.extension.maxTimes === 1 ? '一次' : `${def.extension.maxTimes}次`;
    s += `（经批准可延长${times}，每次至多${def.extension.maxLength}${unit}）`;
  }
  return s;
}

/** The latest instance of a clock in the state (a clock started again replaces the earlier instance). */
export function currentClock(state: ProcedureState, key: string): ClockState | undefined {
  for (let i = state.clocks.length - 1; i >= 0; i--) if (state.clocks[i]!.key === key) return state.clocks[i];
  return undefined;
}

export function viewClock(def: ClockDef, clock: ClockState, asOf: string, cal: ProcedureCalendar): ClockView {
  const { deadline, provisional } = computeDeadline(def, clock, asOf, cal);
  const stopped = clock.status === 'stopped';
  const reference = stopped ? clock.stoppedOn! : asOf;
  const passed = asOf > deadline;
  let remaining: number | null = null;
  if (!stopped) remaining = def.unit === 'working' ? cal.countWorkingDays(asOf, deadline).count : dayDiff(asOf, deadline);
  const pausedDays = pauseIntervals(clock, asOf).reduce((s, p) => s + dayDiff(p.from, p.to), 0);
  const ext = def.extension;
  return {
    key: def.key,
    name: def.name,
    basis: def.basis,
    kind: def.kind,
    unit: def.unit,
    limitText: limitText(def),
    status: clock.status,
    startedOn: clock.startedOn,
    deadline,
    provisional,
    remaining,
    passed,
    warn: def.kind === 'deadline' && clock.status === 'running' && !passed && remaining !== null && remaining <= def.warnBeforeDays,
    overdue: def.kind === 'deadline' && !stopped && passed,
    stoppedOn: clock.stoppedOn,
    stoppedLate: stopped && reference > deadline,
    pausedDays,
    extensionsUsed: clock.extensions.length,
    extendedDays: clock.extensions.reduce((s, e) => s + e.days, 0),
    canExtend: !!ext && !stopped && !passed && clock.extensions.length < ext.maxTimes,
  };
}

/**
 * Every clock of the case as of a date, the latest instance of each, in the order of the definition:
 * the running ones with deadline, warn and overdue flags, the stopped ones for the record.
 */
export function clockStatus(def: ProcedureDefinition, state: ProcedureState, asOf: string, cal: ProcedureCalendar): ClockView[] {
  const out: ClockView[] = [];
  for (const d of def.clocks) {
    const c = currentClock(state, d.key);
    if (c) out.push(viewClock(d, c, asOf, cal));
  }
  return out;
}

