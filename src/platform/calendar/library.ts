// The official annual notices (国务院办公厅关于 YYYY 年部分节假日安排的通知), as maintained by the
// `chinese-days` package. Its JSON data is read directly instead of its functions: the functions
// parse dates through a wrapper that mixes UTC and local time (see statutory.ts), the data does not.
import { createRequire } from 'node:module';
import { toDayNumber } from './dates.ts';

const require = createRequire(import.meta.url);

interface LibraryJson {
  /** 'YYYY-MM-DD' → 'English name,中文名,statutory days', e.g. 'National Day,国庆节,3'. */
  holidays: Record<string, string>;
  /** Weekend days that are working days (调休上班), same value format. */
  workdays: Record<string, string>;
}

export interface LibraryDay {
  kind: 'holiday' | 'workday';
  name: string;
}

const raw = require('chinese-days/dist/chinese-days.json') as LibraryJson;

/** Day number → the notice's entry. */
export const LIBRARY_DAYS: ReadonlyMap<number, LibraryDay> = (() => {
  const m = new Map<number, LibraryDay>();
  for (const [day, v] of Object.entries(raw.holidays)) m.set(toDayNumber(day), { kind: 'holiday', name: chineseName(v) });
  for (const [day, v] of Object.entries(raw.workdays)) m.set(toDayNumber(day), { kind: 'workday', name: `调休上班（${chineseName(v)}）` });
  return m;
})();

/** Years whose notice the installed library has (2004–2026 in chinese-days 1.5.7). */
export const LIBRARY_YEARS: ReadonlySet<number> = new Set(Object.keys(raw.holidays).map((d) => Number(d.slice(0, 4))));

function chineseName(v: string): string {
  return v.split(',')[1] ?? v;
}
