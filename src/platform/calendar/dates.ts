// Legal dates are calendar dates in Asia/Shanghai (DESIGN §7), carried as 'YYYY-MM-DD' strings.
// Arithmetic runs on whole day numbers (days since 1970-01-01) computed with Date.UTC, so the host's
// time zone never shifts a date: a server in UTC or in California counts the same deadline as one
// in Beijing. Never build a legal date with `new Date('YYYY-MM-DD')` plus local getters.
import { AppError } from '../errors.ts';

/** Dates outside this range are refused: the lunar tables and the 清明 formula cover the 21st century. */
export const MIN_DATE = '2000-01-01';
export const MAX_DATE = '2099-12-31';
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2025-02-30, 2025-2-3, time parts). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** 'YYYY-MM-DD' → day number; throws a validation error naming the bad value. */
export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) {
    throw new AppError('validation', {
      detail: `日期“${date}”不合法，应为真实存在的日期，格式 YYYY-MM-DD。`,
      errors: [{ field: 'date', message: '应为 YYYY-MM-DD 格式的真实日期' }],
    });
  }
  const y = Number(date.slice(0, 4));
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw new AppError('validation', {
      detail: `日期 ${date} 超出支持范围（${MIN_DATE} 至 ${MAX_DATE}）。`,
      errors: [{ field: 'date', message: `应在 ${MIN_DATE} 至 ${MAX_DATE} 之间` }],
    });
  }
  return Date.UTC(y, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Day number → 'YYYY-MM-DD'. */
export function fromDayNumber(n: number): string {
  // toISOString is UTC by definition, so no local offset can leak in.
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Year of a day number, without formatting a string. */
export function yearOf(n: number): number {
  return new Date(n * DAY_MS).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function isWeekend(n: number): boolean {
  const w = weekdayOf(n);
  return w === 0 || w === 6;
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** Day number of the 1 January of `year`. */
export function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}
