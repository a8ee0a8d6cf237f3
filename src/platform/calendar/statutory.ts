// Statutory public holidays of a year for which no annual notice is known yet (neither the library nor
// an administrator has it). The result is marked provisional wherever it is used: the State Council's
// notice, published each autumn for the next year, adds 调休 swaps that cannot be predicted.
//
// Source: 《全国年节及纪念日放假办法》 as revised in November 2024, in force from 2025-01-01,
//   第二条 全体公民放假的节日：元旦 1 天（1月1日）；春节 4 天（农历除夕、正月初一至初三）；
//   清明节 1 天（农历清明当日）；劳动节 2 天（5月1日、2日）；端午节 1 天（农历端午当日）；
//   中秋节 1 天（农历中秋当日）；国庆节 3 天（10月1日至3日）。
//   第六条 全体公民放假的假日，如果适逢周六、周日，应当在工作日补假。
// 补假 is the law itself, not a guess at the notice, so it is applied: each statutory day that falls on a
// Saturday or Sunday gives one day off on the first following weekday that is not already a holiday
// (the placement every notice has used, e.g. 2026: 清明 4月5日(日) → 4月6日; 劳动节 5月2日(六) → 5月4日).
// 调休 (working a weekend to bridge a long break) is not applied: only a notice decides it.
import { createRequire } from 'node:module';
import { fromDayNumber, isWeekend, toDayNumber as dayNumberOf } from './dates.ts';

const require = createRequire(import.meta.url);

interface LunarApi {
  getSolarDateFromLunar(lunar: Date): { date: string; leapMonthDate?: string };
}
// chinese-days' lunar table covers 1900-2100. Its date wrapper reads a string input as UTC midnight
// and then uses local getters, which shifts the day west of UTC (in America/Los_Angeles it answers
// 2027-02-07 for 农历2027年正月初一, which is 2027-02-06). A Date built from local parts, which it only
// reads back with local getters, gives the right answer in every time zone (tested).
const lunar = require('chinese-days') as LunarApi;

/** Gregorian date of a lunar date (regular month, never the leap month of the same number). */
export function solarFromLunar(lunarYear: number, month: number, day: number): string {
  return lunar.getSolarDateFromLunar(new Date(lunarYear, month - 1, day)).date;
}

/**
 * 清明: the solar term at the sun's ecliptic longitude 15°, by the usual formula
 * day = ⌊Y·0.2422 + C⌋ − ⌊Y/4⌋ (Y = year mod 100, C = 4.81 in the 21st century); it agrees with every
 * 清明 in the official notices 2008–2026 (tested against the library's data).
 */
export function qingmingDay(year: number): string {
  const y = year % 100;
  const day = Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}

export interface StatutoryDay {
  day: string;
  name: string;
}

/** Statutory holidays of `year` with their 补假 days, in date order. */
export function statutoryHolidays(year: number): StatutoryDay[] {
  const springFestival = solarFromLunar(year, 1, 1);
  const sf = dayNumberOf(springFestival);
  const base: [number, string][] = [
    [dayNumberOf(`${year}-01-01`), '元旦'],
    [sf - 1, '春节'], // 除夕: the day before 正月初一 (the 2024 revision made it a holiday again)
    [sf, '春节'],
    [sf + 1, '春节'],
    [sf + 2, '春节'],
    [dayNumberOf(qingmingDay(year)), '清明节'],
    [dayNumberOf(`${year}-05-01`), '劳动节'],
    [dayNumberOf(`${year}-05-02`), '劳动节'],
    [dayNumberOf(solarFromLunar(year, 5, 5)), '端午节'],
    [dayNumberOf(solarFromLunar(year, 8, 15)), '中秋节'],
    [dayNumberOf(`${year}-10-01`), '国庆节'],
    [dayNumberOf(`${year}-10-02`), '国庆节'],
    [dayNumberOf(`${year}-10-03`), '国庆节'],
  ];
  const names = new Map<number, string>();
  for (const [n, name] of base) {
    // 中秋 can fall within 国庆 (2020, 2031…): one day, two names, no extra day in the law.
    const had = names.get(n);
    names.set(n, had && had !== name ? `${had}、${name}` : name);
  }
  const days = [...names.keys()].sort((a, b) => a - b);
  for (const n of days) {
    if (!isWeekend(n)) continue;
    let m = n + 1;
    while (isWeekend(m) || names.has(m)) m++;
    names.set(m, `${names.get(n)!.split('、')[0]}（补假）`);
  }
  return [...names.entries()].sort((a, b) => a[0] - b[0]).map(([n, name]) => ({ day: fromDayNumber(n), name }));
}
