// Request and response shapes of the calendar API; the same schemas validate and document (OpenAPI).
import { z } from 'zod';
import { isoDate } from '../validation.ts';
import { MAX_DATE, MAX_YEAR, MIN_DATE, MIN_YEAR } from './dates.ts';

/** A real date within the range the calendar supports. */
export const calendarDate = (label: string) =>
  isoDate(label).refine((s) => s >= MIN_DATE && s <= MAX_DATE, `${label}应在 ${MIN_DATE} 至 ${MAX_DATE} 之间`);

/** Query strings arrive as text: a plain non-negative integer, never '' or '1e3' silently coerced. */
const integerText = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{1,6}$/, `${label}应为 ${min} 到 ${max} 之间的整数`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${label}不能小于 ${min}`).max(max, `${label}不能大于 ${max}`));

/** Up to ten years of working days: far beyond any limit in law, short of the calendar's end. */
export const MAX_WORKING_DAYS = 3650;

export const DeadlineQuery = z.object({
  from: calendarDate('起算日期'),
  workingDays: integerText('工作日天数', 0, MAX_WORKING_DAYS),
});

export const DeadlineResponse = z.object({
  deadline: z.string().describe('期限届满日 YYYY-MM-DD（起算日不计入）'),
  provisional: z.boolean().describe('为 true 时，所跨年份尚无国务院办公厅放假安排通知，仅按法定节假日推算，可能变化'),
});

export const YearQuery = z.object({ year: integerText('年份', MIN_YEAR, MAX_YEAR) });

const DayKindSchema = z.enum(['holiday', 'workday'], '类型应为 holiday（放假）或 workday（上班）');

export const CalendarDayItem = z.object({
  day: z.string(),
  kind: DayKindSchema,
  name: z.string(),
  source: z.enum(['library', 'override', 'statutory']),
  note: z.string().nullable(),
});

export const CalendarYearResponse = z.object({
  year: z.number().int(),
  source: z.enum(['library', 'override', 'statutory']).describe('library：国务院办公厅通知（内置库）；override：管理员录入；statutory：仅法定节假日（推算）'),
  provisional: z.boolean(),
  items: z.array(CalendarDayItem),
});

export const CalendarDayInput = z.object({
  day: calendarDate('日期'),
  kind: DayKindSchema,
  note: z.string().trim().max(200, '说明最多 200 字').nullable().default(null),
});
export type CalendarDayInput = z.infer<typeof CalendarDayInput>;

/** A whole notice at once, in one transaction, so that a new year is never half entered. */
export const CalendarDaysBatch = z.object({
  days: z
    .array(CalendarDayInput)
    .min(1, '至少填写一天')
    .max(400, '一次最多 400 天')
    .refine((ds) => new Set(ds.map((d) => d.day)).size === ds.length, '同一日期不能重复填写'),
});

export const CalendarOverrideItem = z.object({ day: z.string(), kind: DayKindSchema, note: z.string().nullable() });
export const SavedDaysResponse = z.object({ items: z.array(CalendarOverrideItem) });

export const DayParams = z.object({ day: calendarDate('日期') });
