// The working-day calendar that every legal time limit is counted on (Appendix of REQUIREMENTS.md):
// the start day is not counted (期间开始之日不计算在内); a limit in working days skips weekends and
// holidays and counts 调休 Saturdays and Sundays as working days.
//
// Precedence for one day: an administrator's override, then the library's copy of the official notice,
// then (for a year that neither knows) the statutory holidays with 补假 and the result marked provisional.
// Everything is in memory: a deadline is a loop over at most a few thousand days, no query.
import { AppError } from '../errors.ts';
import { LIBRARY_DAYS, LIBRARY_YEARS } from './library.ts';
import { statutoryHolidays } from './statutory.ts';
import { fromDayNumber, isWeekend, MAX_DATE, MIN_DATE, toDayNumber, yearOf, yearStart } from './dates.ts';

export type DayKind = 'holiday' | 'workday';
/** Where a year's or a day's answer comes from. */
export type CalendarSource = 'override' | 'library' | 'statutory';

export interface CalendarOverride {
  day: string;
  kind: DayKind;
  note: string | null;
}

/** A day that differs from the plain week, or that an administrator has set. */
export interface SpecialDay {
  day: string;
  kind: DayKind;
  name: string;
  source: CalendarSource;
  note: string | null;
}

export interface DayStatus {
  day: string;
  working: boolean;
  /** The special day that decided it, or null for an ordinary weekday or weekend. */
  special: SpecialDay | null;
  /** The year has no known notice: the answer may change when the notice comes. */
  provisional: boolean;
}

export interface Deadline {
  deadline: string;
  /** True when any day counted lies in a year without a known notice (statutory holidays only). */
  provisional: boolean;
}

export interface CalendarDaysOptions {
  /**
   * 民法典第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
   * When true (the default, the general rule of Chinese law) a deadline that falls on a rest day
   * (holiday, or a weekend that is not a 调休 working day) moves to the first working day after it.
   * A procedure whose own law says otherwise turns it off.
   */
  extendPastRestDay?: boolean;
}

const MIN_DAY = toDayNumber(MIN_DATE);
const MAX_DAY = toDayNumber(MAX_DATE);
/** How many deadlines a calendar remembers before it starts over (about 100 bytes each). */
const DEADLINE_MEMO = 100_000;

export class WorkingCalendar {
  private readonly overrides = new Map<number, SpecialDay>();
  /** Years (outside the library) for which an administrator has entered the notice. */
  private readonly overrideYears = new Set<number>();
  private readonly statutory = new Map<number, Map<number, SpecialDay>>();
  /**
   * Deadlines already worked out, by start day, count and rule: a million-case alert recomputation asks for
   * the same few thousand start days over and over, stepping through up to ninety days each time. Frozen,
   * since every caller shares them; the calendar's days never change (a new override builds a new calendar).
   */
  private readonly deadlines = new Map<string, Deadline>();

  constructor(overrides: readonly CalendarOverride[] = []) {
    for (const o of overrides) {
      const n = toDayNumber(o.day);
      this.overrides.set(n, { day: o.day, kind: o.kind, name: o.kind === 'holiday' ? '休息日（管理员设置）' : '工作日（管理员设置）', source: 'override', note: o.note });
      this.overrideYears.add(yearOf(n));
    }
  }

  /**
   * Where the year's holidays come from. A year not in the library counts as entered by the
   * administrator once it has at least one override: the administrator enters a new year's notice as
   * a whole (POST /api/v1/calendar/days takes a batch), and mixing a partial notice with guessed
   * statutory days would be wrong in both directions.
   */
  yearSource(year: number): CalendarSource {
    if (LIBRARY_YEARS.has(year)) return 'library';
    if (this.overrideYears.has(year)) return 'override';
    return 'statutory';
  }

  isProvisionalYear(year: number): boolean {
    return this.yearSource(year) === 'statutory';
  }

  isWorkingDay(date: string): boolean {
    const n = toDayNumber(date);
    return this.workingAt(n, yearOf(n));
  }

  dayStatus(date: string): DayStatus {
    const n = toDayNumber(date);
    const year = yearOf(n);
    const special = this.specialAt(n, year) ?? null;
    return { day: date, working: special ? special.kind === 'workday' : !isWeekend(n), special, provisional: this.isProvisionalYear(year) };
  }

  /**
   * The |n|-th working day after `from` (before it when n < 0); `from` itself is never counted, so
   * whatever day the period starts on, the first day counted is the next one. n = 0 answers `from`.
   * R-P11: a decision of 2025-09-30 to be published within 7 working days → addWorkingDays('2025-09-30', 7).
   */
  addWorkingDays(from: string, n: number): Deadline {
    assertInteger(n, 'workingDays');
    return this.remembered(`w${from}|${n}`, () => this.stepWorkingDays(from, n));
  }

  private stepWorkingDays(from: string, n: number): Deadline {
    let day = toDayNumber(from);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    const years = new YearTracker(this);
    while (left > 0) {
      day += step;
      checkRange(day);
      if (this.workingAt(day, years.at(day))) left--;
    }
    return { deadline: fromDayNumber(day), provisional: years.provisional };
  }

  /**
   * `from` plus n calendar days (the start day not counted), for limits the law counts in days
   * (e.g. 行政处罚法 art. 60's 90 days). See CalendarDaysOptions for the rest-day rule.
   */
  addCalendarDays(from: string, n: number, opts: CalendarDaysOptions = {}): Deadline {
    assertInteger(n, 'calendarDays');
    if (n < 0) throw new AppError('validation', { detail: '自然日期限的天数不能为负数。', errors: [{ field: 'calendarDays', message: '不能为负数' }] });
    return this.remembered(`c${from}|${n}|${opts.extendPastRestDay === false ? 0 : 1}`, () => this.stepCalendarDays(from, n, opts));
  }

  private stepCalendarDays(from: string, n: number, opts: CalendarDaysOptions): Deadline {
    let day = toDayNumber(from) + n;
    checkRange(day);
    if (opts.extendPastRestDay === false) return { deadline: fromDayNumber(day), provisional: false };
    const years = new YearTracker(this);
    while (!this.workingAt(day, years.at(day))) {
      day++;
      checkRange(day);
    }
    return { deadline: fromDayNumber(day), provisional: years.provisional };
  }

  private remembered(key: string, work: () => Deadline): Deadline {
    let d = this.deadlines.get(key);
    if (!d) {
      if (this.deadlines.size >= DEADLINE_MEMO) this.deadlines.clear();
      this.deadlines.set(key, (d = Object.freeze(work())));
    }
    return d;
  }

  /** Working days in (from, to]: how many are left until a deadline; negative when `to` is before `from`. */
  countWorkingDays(from: string, to: string): { count: number; provisional: boolean } {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    const years = new YearTracker(this);
    let count = 0;
    for (let d = lo + 1; d <= hi; d++) if (this.workingAt(d, years.at(d))) count++;
    return { count: sign * count, provisional: years.provisional };
  }

  /** Holidays and working weekends of a year, by date, with where each comes from. */
  specialDays(year: number): SpecialDay[] {
    const start = toDayNumber(`${year}-01-01`);
    const end = toDayNumber(`${year}-12-31`);
    const out: SpecialDay[] = [];
    for (let d = start; d <= end; d++) {
      const s = this.specialAt(d, year);
      if (s) out.push(s);
    }
    return out;
  }

  /**
   * specialAt's lookup without building the SpecialDay (its date string): deadlines step through days by the
   * hundred, and a million-case alert recomputation spent a second of CPU formatting dates nobody read.
   */
  private workingAt(n: number, year: number): boolean {
    const kind = this.overrides.get(n)?.kind
      ?? (LIBRARY_YEARS.has(year) ? LIBRARY_DAYS.get(n)?.kind : this.overrideYears.has(year) ? undefined : this.statutoryYear(year).get(n)?.kind);
    return kind ? kind === 'workday' : !isWeekend(n);
  }

  private specialAt(n: number, year: number): SpecialDay | undefined {
    const o = this.overrides.get(n);
    if (o) return o;
    if (LIBRARY_YEARS.has(year)) {
      const l = LIBRARY_DAYS.get(n);
      return l && { day: fromDayNumber(n), kind: l.kind, name: l.name, source: 'library', note: null };
    }
    if (this.overrideYears.has(year)) return undefined;
    return this.statutoryYear(year).get(n);
  }

  private statutoryYear(year: number): Map<number, SpecialDay> {
    let m = this.statutory.get(year);
    if (!m) {
      m = new Map();
      for (const h of statutoryHolidays(year)) {
        m.set(toDayNumber(h.day), { day: h.day, kind: 'holiday', name: h.name, source: 'statutory', note: null });
      }
      this.statutory.set(year, m);
    }
    return m;
  }
}

/** Follows the year of consecutive days cheaply and notes whether any of them is provisional. */
class YearTracker {
  provisional = false;
  private year = -1;
  private start = 0;
  private end = -1;
  constructor(private readonly cal: WorkingCalendar) {}
  at(n: number): number {
    if (n < this.start || n > this.end) {
      this.year = yearOf(n);
      this.start = yearStart(this.year);
      this.end = yearStart(this.year + 1) - 1;
      if (this.cal.isProvisionalYear(this.year)) this.provisional = true;
    }
    return this.year;
  }
}

function assertInteger(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) throw new AppError('validation', { detail: `天数应为整数：${n}`, errors: [{ field, message: '应为整数' }] });
}

function checkRange(n: number): void {
  if (n > MAX_DAY || n < MIN_DAY) {
    throw new AppError('validation', { detail: `期限超出日历支持的范围（${MIN_DATE} 至 ${MAX_DATE}）。`, errors: [{ field: 'date', message: '期限超出支持范围' }] });
  }
}

/** A calendar with no overrides: the library and the statutory fallback only (pure code and tests). */
export const libraryCalendar = new WorkingCalendar();
