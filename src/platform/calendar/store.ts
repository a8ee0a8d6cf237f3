// Queries on calendar_days (migration 0005). Plain functions; the service decides.
import type { Queryable } from '../db.ts';
import type { CalendarOverride, DayKind } from './calendar.ts';

export interface CalendarDayRow {
  day: string;
  kind: DayKind;
  note: string | null;
  created_by: string | null;
  created_at: Date;
}

export async function listOverrides(q: Queryable): Promise<CalendarOverride[]> {
  const { rows } = await q.query<CalendarDayRow>('SELECT day, kind, note FROM calendar_days ORDER BY day');
  return rows.map((r) => ({ day: r.day, kind: r.kind, note: r.note }));
}

export async function getOverride(q: Queryable, day: string): Promise<CalendarDayRow | undefined> {
  const { rows } = await q.query<CalendarDayRow>('SELECT day, kind, note, created_by, created_at FROM calendar_days WHERE day = $1', [day]);
  return rows[0];
}

/** Inserts or replaces the override of one day; the previous value is kept in the event history. */
export async function upsertOverride(q: Queryable, o: CalendarOverride & { createdBy: string | null }): Promise<void> {
  await q.query(
    `INSERT INTO calendar_days (day, kind, note, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, created_by = EXCLUDED.created_by, created_at = now()`,
    [o.day, o.kind, o.note, o.createdBy],
  );
}

export async function deleteOverride(q: Queryable, day: string): Promise<boolean> {
  const r = await q.query('DELETE FROM calendar_days WHERE day = $1', [day]);
  return r.affectedRows > 0;
}
