// The calendar every module counts deadlines on: built once from the library and the overrides
// table, kept in memory, rebuilt after a change. Other modules call `getCalendar(ctx.db)`.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db.ts';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { recordChange } from '../changes.ts';
import { audit, actorAudit } from '../audit.ts';
import { WorkingCalendar, type CalendarOverride, type CalendarSource, type SpecialDay } from './calendar.ts';
import { canManageCalendar } from './policy.ts';
import * as calendarRepo from './store.ts';
import type { CalendarDayInput } from './schema.ts';

/**
 * Several app processes may share one PostgreSQL server (DESIGN §6); a process that did not make a
 * change picks it up within this time. Reloading is one query over a few dozen rows.
 */
export const CALENDAR_REFRESH_MS = 60_000;

interface CacheEntry {
  calendar: Promise<WorkingCalendar>;
  loadedAt: number;
}
const cache = new WeakMap<Db, CacheEntry>();

/**
 * The current calendar for this database (cached; refreshed when older than CALENDAR_REFRESH_MS).
 * A stale entry is answered at once and refreshed in the background: callers use this inside open
 * transactions, and on PGlite's single connection a query awaited there waits for that same
 * transaction forever.
 */
export function getCalendar(db: Db, now = Date.now()): Promise<WorkingCalendar> {
  const hit = cache.get(db);
  if (!hit) return reloadCalendar(db, now);
  if (now - hit.loadedAt >= CALENDAR_REFRESH_MS && !refreshing.has(db)) {
    refreshing.add(db);
    calendarRepo.listOverrides(db)
      .then((rows) => {
        if (cache.get(db) === hit) cache.set(db, { calendar: Promise.resolve(new WorkingCalendar(rows)), loadedAt: Date.now() });
      })
      .catch(() => undefined)
      .finally(() => refreshing.delete(db));
  }
  return hit.calendar;
}
const refreshing = new WeakSet<Db>();

/** Rebuilds the calendar from the table now (after a change, or in tests). */
export function reloadCalendar(db: Db, now = Date.now()): Promise<WorkingCalendar> {
  const calendar = calendarRepo.listOverrides(db).then((rows) => new WorkingCalendar(rows));
  const entry: CacheEntry = { calendar, loadedAt: now };
  cache.set(db, entry);
  // A failed load must not stay cached: the next call tries again.
  calendar.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return calendar;
}

export async function deadlineInWorkingDays(db: Db, from: string, workingDays: number) {
  return (await getCalendar(db)).addWorkingDays(from, workingDays);
}

export interface CalendarYear {
  year: number;
  source: CalendarSource;
  provisional: boolean;
  items: SpecialDay[];
}

export async function listYear(db: Db, year: number): Promise<CalendarYear> {
  const cal = await getCalendar(db);
  return { year, source: cal.yearSource(year), provisional: cal.isProvisionalYear(year), items: cal.specialDays(year) };
}

async function assertCanManage(ctx: AppContext, req: FastifyRequest | null, actor: Actor | null, action: string): Promise<void> {
  if (canManageCalendar(actor)) return;
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor) });
  throw new AppError('forbidden', { detail: '只有系统管理员可以维护工作日历（节假日与调休）。' });
}

/** Work a domain does when the calendar changes (e.g. cases recompute their stored next deadline). */
export type CalendarListener = (ctx: AppContext) => Promise<unknown>;
const listeners = new Set<CalendarListener>();

/** Registers a listener once (registering the same function again changes nothing). */
export function onCalendarChanged(listener: CalendarListener): void {
  listeners.add(listener);
}

/**
 * Runs the listeners in the background: a year's notice may move the deadlines of many open cases,
 * and the administrator's request should not wait for all of them. Failures are logged.
 */
function calendarChanged(ctx: AppContext): void {
  for (const listener of listeners) {
    void listener(ctx).catch((err: unknown) => ctx.log.error({ err }, '工作日历变更后的后续处理失败'));
  }
}

/**
 * Sets (inserts or replaces) the overrides of one or more days in one transaction, with an event
 * per day, then rebuilds the in-memory calendar and tells the listeners: the deadlines the clocks
 * show follow the calendar as it now stands (a provisional year becomes the State Council's notice).
 */
export async function setCalendarDays(ctx: AppContext, req: FastifyRequest | null, actor: Actor | null, days: CalendarDayInput[]): Promise<CalendarOverride[]> {
  await assertCanManage(ctx, req, actor, 'calendar.day_set');
  const saved = days.map((d) => ({ day: d.day, kind: d.kind, note: d.note ?? null }));
  await ctx.db.transaction(async (tx) => {
    for (const d of saved) {
      const before = await calendarRepo.getOverride(tx, d.day);
      await calendarRepo.upsertOverride(tx, { ...d, createdBy: actor!.id });
      await recordChange(tx, {
        kind: 'calendar.day_set',
        agencyId: null,
        subjectType: 'calendar_day',
        subjectId: d.day,
        actorId: actor!.id,
        data: { day: d.day, kind: d.kind, note: d.note, previous: before ? { kind: before.kind, note: before.note } : null },
      });
    }
    await audit(tx, req, { action: 'calendar.day_set', outcome: 'success', ...actorAudit(actor), detail: { days: saved.map((d) => `${d.day}:${d.kind}`) } });
  });
  await reloadCalendar(ctx.db);
  calendarChanged(ctx);
  return saved;
}

/** Removes a day's override: the library (or statutory rule) decides that day again. */
export async function clearCalendarDay(ctx: AppContext, req: FastifyRequest | null, actor: Actor | null, day: string): Promise<void> {
  await assertCanManage(ctx, req, actor, 'calendar.day_cleared');
  await ctx.db.transaction(async (tx) => {
    const before = await calendarRepo.getOverride(tx, day);
    if (!before) throw notFound(`${day} 的日历设置`);
    await calendarRepo.deleteOverride(tx, day);
    await recordChange(tx, {
      kind: 'calendar.day_cleared',
      agencyId: null,
      subjectType: 'calendar_day',
      subjectId: day,
      actorId: actor!.id,
      data: { day, previous: { kind: before.kind, note: before.note } },
    });
    await audit(tx, req, { action: 'calendar.day_cleared', outcome: 'success', ...actorAudit(actor), detail: { day } });
  });
  await reloadCalendar(ctx.db);
  calendarChanged(ctx);
}
