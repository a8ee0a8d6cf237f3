// Deadlines on the working-day calendar (Appendix: 期间开始之日不计算在内; working days skip weekends
// and holidays and count 调休 days). Known answers are worked out by hand from the notices, not from
// the library, so a wrong library year or a wrong wrapper both fail here:
//   2025: 国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）
//     春节 1月28日—2月4日放假，1月26日（周日）、2月8日（周六）上班；
//     劳动节 5月1日—5日放假，4月27日（周日）上班；
//     国庆节、中秋节 10月1日—8日放假，9月28日（周日）、10月11日（周六）上班。
//   2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）
//     元旦 1月1日—3日放假，1月4日（周日）上班；春节 2月15日—23日放假，2月14日（周六）、2月28日（周六）上班；
//     清明节 4月4日—6日；劳动节 5月1日—5日放假，5月9日（周六）上班；端午节 6月19日—21日；
//     中秋节 9月25日—27日；国庆节 10月1日—7日放假，9月20日（周日）、10月10日（周六）上班。
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, libraryCalendar as cal } from './calendar.ts';
import { LIBRARY_YEARS } from './library.ts';
import { AppError } from '../errors.ts';

describe('addWorkingDays: the start day is not counted', () => {
  it('counts from the next day whatever the start day is', () => {
    expect(cal.addWorkingDays('2025-03-07', 1).deadline).toBe('2025-03-10'); // Friday → Monday
    expect(cal.addWorkingDays('2025-03-09', 1).deadline).toBe('2025-03-10'); // Sunday → Monday
    expect(cal.addWorkingDays('2025-03-10', 1).deadline).toBe('2025-03-11'); // a working Monday itself is not counted
    expect(cal.addWorkingDays('2025-03-10', 5).deadline).toBe('2025-03-17');
  });

  it('N = 0 answers the start day, even a holiday', () => {
    expect(cal.addWorkingDays('2025-03-12', 0)).toEqual({ deadline: '2025-03-12', provisional: false });
    expect(cal.addWorkingDays('2025-10-03', 0)).toEqual({ deadline: '2025-10-03', provisional: false });
  });

  it('counts backwards for negative N (e.g. notice 7 working days before a hearing, 行政处罚法 art. 64, 85)', () => {
    expect(cal.addWorkingDays('2025-10-09', -1).deadline).toBe('2025-09-30');
    expect(cal.addWorkingDays('2025-10-13', -3).deadline).toBe('2025-10-09'); // 10-11 is a 调休 Saturday: counted
  });
});

describe('2025 notice: 国庆节、中秋节 and 春节', () => {
  it('R-P11: a licence or penalty decided on 2025-09-30 is published by 2025-10-16 (7 working days)', () => {
    // 10-01…10-08 off; 10-09 (1), 10-10 (2), 10-11 Saturday 调休上班 (3), 10-13…10-16 (4–7).
    expect(cal.addWorkingDays('2025-09-30', 7)).toEqual({ deadline: '2025-10-16', provisional: false });
  });

  it('counts a 调休 Sunday before the holiday as a working day', () => {
    expect(cal.addWorkingDays('2025-09-26', 1).deadline).toBe('2025-09-28');
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
    expect(cal.isWorkingDay('2025-10-12')).toBe(false);
  });

  it('skips every day of the holiday, including 中秋 on 10-06 inside it', () => {
    for (let d = 1; d <= 8; d++) expect(cal.isWorkingDay(`2025-10-0${d}`)).toBe(false);
    expect(cal.addWorkingDays('2025-09-30', 1).deadline).toBe('2025-10-09');
  });

  it('春节: 1-26 (Sunday) and 2-08 (Saturday) are working days; 1-28…2-04 are not', () => {
    expect(cal.addWorkingDays('2025-01-24', 1).deadline).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-27', 1).deadline).toBe('2025-02-05');
    // R-P11: other decisions within 20 working days: 2-05…2-07 (3), 2-08 (4), 2-10…2-14 (9), 2-17…2-21 (14), 2-24…2-28 (19), 3-03 (20).
    expect(cal.addWorkingDays('2025-01-27', 20)).toEqual({ deadline: '2025-03-03', provisional: false });
  });

  it('劳动节: 4-27 (Sunday) is a working day, 5-01…5-05 are not', () => {
    expect(cal.addWorkingDays('2025-04-25', 1).deadline).toBe('2025-04-27');
    expect(cal.addWorkingDays('2025-04-30', 1).deadline).toBe('2025-05-06');
  });
});

describe('2026 notice', () => {
  it('元旦: 1-01…1-03 off, 1-04 (Sunday) a working day', () => {
    expect(cal.addWorkingDays('2025-12-31', 1)).toEqual({ deadline: '2026-01-04', provisional: false });
  });

  it('春节: nine days off, 2-14 and 2-28 (Saturdays) working', () => {
    expect(cal.addWorkingDays('2026-02-13', 1).deadline).toBe('2026-02-14');
    // From the working Saturday 2-14 (not counted): 2-24…2-27 (1–4), 2-28 Saturday (5), 3-02 (6), 3-03 (7).
    expect(cal.addWorkingDays('2026-02-14', 7).deadline).toBe('2026-03-03');
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) expect(cal.isWorkingDay(d)).toBe(false);
  });

  it('清明, 劳动节, 端午, 中秋', () => {
    expect(cal.isWorkingDay('2026-04-06')).toBe(false); // Monday, 清明 falls on Sunday 4-05
    expect(cal.addWorkingDays('2026-04-30', 1).deadline).toBe('2026-05-06');
    expect(cal.isWorkingDay('2026-05-09')).toBe(true);
    expect(cal.isWorkingDay('2026-06-19')).toBe(false);
    expect(cal.isWorkingDay('2026-09-25')).toBe(false);
  });

  it('国庆: 10-01…10-07 off; 9-20 (Sunday) and 10-10 (Saturday) working', () => {
    expect(cal.addWorkingDays('2026-09-18', 1).deadline).toBe('2026-09-20');
    // R-P11: 10-08 (1), 10-09 (2), 10-10 Saturday (3), 10-12…10-15 (4–7).
    expect(cal.addWorkingDays('2026-09-30', 7)).toEqual({ deadline: '2026-10-15', provisional: false });
  });

  it('a December count inside 2026 is certain; one that runs into 2027 is provisional', () => {
    expect(cal.addWorkingDays('2026-12-01', 20)).toEqual({ deadline: '2026-12-29', provisional: false });
    // 2027 has no notice in the library: 元旦 (Friday 1-01) only, weekends, no 调休.
    expect(cal.addWorkingDays('2026-12-31', 20)).toEqual({ deadline: '2027-01-29', provisional: true });
  });
});

describe('provisional years: statutory holidays only (《全国年节及纪念日放假办法》2024年修订)', () => {
  it('the library knows 2004–2026 and nothing later, so 2027 falls back', () => {
    expect(LIBRARY_YEARS.has(2025) && LIBRARY_YEARS.has(2026)).toBe(true);
    expect(cal.yearSource(2026)).toBe('library');
    expect(cal.yearSource(2027)).toBe('statutory');
    expect(cal.isProvisionalYear(2027)).toBe(true);
  });

  it('2027 春节: 除夕 2-05 and 正月初一—初三 2-06…2-08, with 补假 2-09 and 2-10 for the weekend days', () => {
    const days = cal.specialDays(2027).filter((d) => d.day.startsWith('2027-02'));
    expect(days.map((d) => [d.day, d.name])).toEqual([
      ['2027-02-05', '春节'],
      ['2027-02-06', '春节'],
      ['2027-02-07', '春节'],
      ['2027-02-08', '春节'],
      ['2027-02-09', '春节（补假）'],
      ['2027-02-10', '春节（补假）'],
    ]);
    expect(days.every((d) => d.source === 'statutory' && d.kind === 'holiday')).toBe(true);
    expect(cal.addWorkingDays('2027-02-04', 1)).toEqual({ deadline: '2027-02-11', provisional: true });
  });

  it('2027 has the 13 statutory days and nothing swapped: no weekend is a working day', () => {
    const days = cal.specialDays(2027);
    expect(days.filter((d) => !d.name.includes('补假'))).toHaveLength(13);
    expect(days.some((d) => d.kind === 'workday')).toBe(false);
    expect(cal.isWorkingDay('2027-10-09')).toBe(false); // a Saturday stays a rest day
    // 国庆 10-01 (Friday), 10-02, 10-03 (weekend) → 补假 10-04, 10-05.
    expect(cal.addWorkingDays('2027-09-30', 1)).toEqual({ deadline: '2027-10-06', provisional: true });
  });

  it('a count wholly inside a provisional year is provisional; one before it is not', () => {
    expect(cal.addWorkingDays('2027-03-01', 5).provisional).toBe(true);
    expect(cal.addWorkingDays('2026-12-21', 5).provisional).toBe(false);
  });
});

describe('administrator overrides take precedence', () => {
  it('a holiday of the notice made a working day, and a working day made a holiday', () => {
    const c = new WorkingCalendar([
      { day: '2025-10-08', kind: 'workday', note: '测试' },
      { day: '2025-10-09', kind: 'holiday', note: null },
    ]);
    expect(c.isWorkingDay('2025-10-08')).toBe(true);
    expect(c.isWorkingDay('2025-10-09')).toBe(false);
    expect(c.addWorkingDays('2025-09-30', 2).deadline).toBe('2025-10-10');
    expect(c.dayStatus('2025-10-08').special).toMatchObject({ source: 'override', kind: 'workday', note: '测试' });
    // The library calendar is untouched.
    expect(cal.isWorkingDay('2025-10-08')).toBe(false);
  });

  it('a year entered by the administrator is no longer provisional and no longer guessed', () => {
    // A hypothetical 2027 notice: 春节 2-05…2-11 off, 2-20 (Saturday) working.
    const notice = ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'].map((day) => ({ day, kind: 'holiday' as const, note: null }));
    const c = new WorkingCalendar([...notice, { day: '2027-02-20', kind: 'workday', note: null }]);
    expect(c.yearSource(2027)).toBe('override');
    expect(c.addWorkingDays('2027-02-04', 1)).toEqual({ deadline: '2027-02-12', provisional: false });
    expect(c.isWorkingDay('2027-02-20')).toBe(true);
    expect(c.isWorkingDay('2027-10-01')).toBe(true); // not entered: no statutory guess mixed in
    expect(c.specialDays(2027)).toHaveLength(8);
  });
});

describe('addCalendarDays: 民法典第二百零三条 (last day on a rest day moves to the next working day)', () => {
  it('moves a last day inside the 国庆 holiday to the first working day after it', () => {
    expect(cal.addCalendarDays('2025-09-05', 30)).toEqual({ deadline: '2025-10-09', provisional: false });
    expect(cal.addCalendarDays('2025-09-05', 30, { extendPastRestDay: false })).toEqual({ deadline: '2025-10-05', provisional: false });
  });

  it('moves a Sunday to Monday, keeps a 调休 Saturday, keeps a working day', () => {
    expect(cal.addCalendarDays('2025-03-01', 15).deadline).toBe('2025-03-17');
    expect(cal.addCalendarDays('2025-09-11', 30).deadline).toBe('2025-10-11');
    expect(cal.addCalendarDays('2025-03-01', 10).deadline).toBe('2025-03-11');
  });

  it('行政处罚法 art. 60: 90 days from 2025-07-02 end 2025-09-30; the start day is not counted', () => {
    expect(cal.addCalendarDays('2025-07-02', 90).deadline).toBe('2025-09-30');
    expect(cal.addCalendarDays('2025-03-12', 0).deadline).toBe('2025-03-12');
  });

  it('is provisional only when the rest-day check reaches a year without a notice', () => {
    expect(cal.addCalendarDays('2026-12-01', 60, { extendPastRestDay: false }).provisional).toBe(false);
    expect(cal.addCalendarDays('2026-12-01', 60).provisional).toBe(true);
  });
});

describe('input checks', () => {
  it('refuses impossible dates, non-integers and out-of-range results', () => {
    expect(() => cal.addWorkingDays('2025-02-30', 1)).toThrow(AppError);
    expect(() => cal.addWorkingDays('2025-2-3', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => cal.addWorkingDays('2025-03-01T00:00:00Z', 1)).toThrow(AppError);
    expect(() => cal.addWorkingDays('2025-03-01', 1.5)).toThrow(/整数/);
    expect(() => cal.addWorkingDays('2099-12-30', 5)).toThrow(/超出/);
    expect(() => cal.addCalendarDays('2025-03-01', -1)).toThrow(/负数/);
    expect(() => cal.isWorkingDay('1999-12-31')).toThrow(/超出支持范围/);
  });

  it('counts 3650 working days quickly', () => {
    const t = performance.now();
    const r = cal.addWorkingDays('2025-01-01', 3650);
    expect(r.provisional).toBe(true);
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe('time zone independence', () => {
  it('counts the same deadlines whatever the host time zone (DESIGN §7: dates in Asia/Shanghai)', () => {
    const original = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const c = new WorkingCalendar();
        expect(c.addWorkingDays('2025-09-30', 7).deadline, tz).toBe('2025-10-16');
        expect(c.addWorkingDays('2027-02-04', 1).deadline, tz).toBe('2027-02-11');
        expect(c.addCalendarDays('2025-09-05', 30).deadline, tz).toBe('2025-10-09');
      }
    } finally {
      // Assigning undefined would set the string 'undefined'.
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('countWorkingDays', () => {
  it('counts (from, to]', () => {
    expect(cal.countWorkingDays('2025-09-30', '2025-10-16')).toEqual({ count: 7, provisional: false });
    expect(cal.countWorkingDays('2025-10-16', '2025-09-30').count).toBe(-7);
    expect(cal.countWorkingDays('2025-10-16', '2025-10-16').count).toBe(0);
  });
});

describe('remembered deadlines (a recomputation asks for the same start days again and again)', () => {
  it('answers a second call as a fresh calendar does, kept apart by kind of count and by the rest-day rule', () => {
    const used = new WorkingCalendar();
    for (let d = 0; d < 400; d += 3) {
      const from = new Date(Date.UTC(2025, 8, 1 + d)).toISOString().slice(0, 10);
      for (const n of [1, 5, 7, 20, 30, 90]) {
        // Mixed on one calendar in this order, so that a key shared by two kinds of count would answer the wrong one.
        const first = [used.addCalendarDays(from, n, { extendPastRestDay: false }), used.addCalendarDays(from, n), used.addWorkingDays(from, n), used.addWorkingDays(from, -n)];
        const again = [used.addCalendarDays(from, n, { extendPastRestDay: false }), used.addCalendarDays(from, n), used.addWorkingDays(from, n), used.addWorkingDays(from, -n)];
        const fresh = new WorkingCalendar();
        expect(again).toEqual([fresh.addCalendarDays(from, n, { extendPastRestDay: false }), new WorkingCalendar().addCalendarDays(from, n), new WorkingCalendar().addWorkingDays(from, n), new WorkingCalendar().addWorkingDays(from, -n)]);
        expect(again.every((x, i) => x === first[i])).toBe(true);
      }
    }
    // 2025-10-01 + 3 calendar days is 10-04, inside the 国庆 holiday: moved to 10-09 only under the rest-day rule.
    expect(used.addCalendarDays('2025-10-01', 3, { extendPastRestDay: false }).deadline).toBe('2025-10-04');
    expect(used.addCalendarDays('2025-10-01', 3).deadline).toBe('2025-10-09');
  });

  it('shares frozen answers: a caller cannot change what the next one is told', () => {
    const d = cal.addWorkingDays('2025-09-30', 7);
    expect(() => { (d as { deadline: string }).deadline = '2000-01-01'; }).toThrow(TypeError);
    expect(cal.addWorkingDays('2025-09-30', 7).deadline).toBe('2025-10-16');
  });

  it('still refuses bad input that was never remembered', () => {
    expect(() => cal.addWorkingDays('2025-02-30', 1)).toThrow(AppError);
    expect(() => cal.addWorkingDays('2025-09-30', 1.5)).toThrow(AppError);
    expect(() => cal.addCalendarDays('2025-09-30', -1)).toThrow(AppError);
  });
});
