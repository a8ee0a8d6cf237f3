// The fallback for years without a notice must agree with the notices we do have: every day it
// calls a holiday was a holiday in the actual notice (the notice adds days and 调休, never removes
// statutory ones), and the lunar and solar-term dates it computes match 19 years of notices.
import { afterEach, describe, expect, it } from 'vitest';
import { qingmingDay, solarFromLunar, statutoryHolidays } from './statutory.ts';
import { libraryCalendar } from './calendar.ts';

// A rest day in the notice: listed as a holiday, or a weekend the notice did not make a working day.
// (Not "listed as a holiday": the library leaves out some weekend days inside a break, e.g. 2012-06-23.)
const isRestDayInNotice = (day: string) => !libraryCalendar.isWorkingDay(day);

describe('statutory holidays (《全国年节及纪念日放假办法》2024年修订, 第二条、第六条)', () => {
  it('for 2025 and 2026 is a subset of the official notices, 补假 included', () => {
    for (const year of [2025, 2026]) {
      const days = statutoryHolidays(year);
      for (const d of days) expect(isRestDayInNotice(d.day), `${d.day} ${d.name}`).toBe(true);
    }
    // 2026: 清明 4-05 is a Sunday → 补假 4-06; 劳动节 5-02 Saturday → 5-04; 国庆 10-03 Saturday → 10-05.
    const y2026 = statutoryHolidays(2026).filter((d) => d.name.endsWith('（补假）')).map((d) => d.day);
    expect(y2026).toEqual(['2026-04-06', '2026-05-04', '2026-10-05']);
  });

  it('has 13 statutory days in a year without coincidences (元旦1 春节4 清明1 劳动2 端午1 中秋1 国庆3)', () => {
    const days = statutoryHolidays(2027).filter((d) => !d.name.endsWith('（补假）'));
    expect(days).toHaveLength(13);
  });

  it('counts a 中秋 that falls within 国庆 once (2031: 中秋 10-01)', () => {
    expect(solarFromLunar(2031, 8, 15)).toBe('2031-10-01');
    const oct = statutoryHolidays(2031).filter((d) => d.day.startsWith('2031-10-0'));
    expect(oct[0]).toEqual({ day: '2031-10-01', name: '中秋节、国庆节' });
  });

  it('春节初一, 清明, 端午 and 中秋 computed for 2008–2026 are rest days in every notice', () => {
    for (let year = 2008; year <= 2026; year++) {
      const checks = {
        春节: solarFromLunar(year, 1, 1),
        清明: qingmingDay(year),
        端午: solarFromLunar(year, 5, 5),
        中秋: solarFromLunar(year, 8, 15),
      };
      for (const [name, day] of Object.entries(checks)) expect(isRestDayInNotice(day), `${year} ${name} ${day}`).toBe(true);
    }
  });

  it('knows the lunar dates of the coming years', () => {
    expect(solarFromLunar(2027, 1, 1)).toBe('2027-02-06');
    expect(solarFromLunar(2028, 1, 1)).toBe('2028-01-26');
    expect(solarFromLunar(2027, 5, 5)).toBe('2027-06-09');
    expect(solarFromLunar(2027, 8, 15)).toBe('2027-09-15');
    expect(qingmingDay(2027)).toBe('2027-04-05');
  });
});

describe('time zone independence', () => {
  const original = process.env.TZ;
  afterEach(() => {
    // Assigning undefined would set the string 'undefined'.
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it('gives the same holidays when the host runs on California time', () => {
    const beijing = statutoryHolidays(2027);
    process.env.TZ = 'America/Los_Angeles';
    // Node applies a changed TZ at once; check that it did, or the test would prove nothing.
    expect(new Date(2027, 0, 1).getTimezoneOffset()).toBe(480);
    expect(statutoryHolidays(2027)).toEqual(beijing);
    expect(solarFromLunar(2027, 1, 1)).toBe('2027-02-06');
  });
});
