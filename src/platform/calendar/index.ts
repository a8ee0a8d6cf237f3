// What other modules use of the calendar: `getCalendar(ctx.db)` then its methods.
export { WorkingCalendar, libraryCalendar, type Deadline, type DayStatus, type SpecialDay, type CalendarOverride, type CalendarSource, type CalendarDaysOptions, type DayKind } from './calendar.ts';
export { getCalendar, reloadCalendar, deadlineInWorkingDays, listYear, setCalendarDays, clearCalendarDay, onCalendarChanged, CALENDAR_REFRESH_MS, type CalendarListener } from './service.ts';
export { registerCalendarRoutes } from './routes.ts';
export { isIsoDate, addDays } from './dates.ts';
