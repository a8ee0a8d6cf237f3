// The calendar built from the database: overrides win over the library, are reloaded after a change,
// and every change is an event and an audit entry written in the same transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db.ts';
import { calendarTestDb, testActor, testContext } from './test-helpers.ts';
import { clearCalendarDay, getCalendar, listYear, reloadCalendar, setCalendarDays, CALENDAR_REFRESH_MS } from './service.ts';
import { AppError } from '../errors.ts';

let db: Db;
beforeAll(async () => {
  db = await calendarTestDb();
});
afterAll(async () => {
  await db.close();
});

describe('calendar service', () => {
  it('without overrides answers as the official notice (R-P11: 7 working days from 2025-09-30)', async () => {
    const cal = await getCalendar(db);
    expect(cal.addWorkingDays('2025-09-30', 7)).toEqual({ deadline: '2025-10-16', provisional: false });
  });

  it('an override set by the system administrator takes effect at once, with an event and an audit entry', async () => {
    const ctx = testContext(db);
    const admin = testActor('system_admin');
    await setCalendarDays(ctx, null, admin, [{ day: '2025-10-16', kind: 'holiday', note: '测试：临时放假' }]);
    const cal = await getCalendar(db);
    expect(cal.addWorkingDays('2025-09-30', 7).deadline).toBe('2025-10-17');
    const ev = await db.query<{ kind: string; subject_id: string; actor_id: string; data: { kind: string; previous: unknown } }>(
      `SELECT kind, subject_id, actor_id, data FROM events WHERE subject_type = 'calendar_day' ORDER BY id`,
    );
    expect(ev.rows).toEqual([{ kind: 'calendar.day_set', subject_id: '2025-10-16', actor_id: admin.id, data: { day: '2025-10-16', kind: 'holiday', note: '测试：临时放假', previous: null } }]);
    const ledger = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_pending');
    expect(ledger.rows[0]!.n).toBe(1);
    const row = await db.query<{ day: string; created_by: string }>('SELECT day, created_by FROM calendar_days');
    expect(row.rows).toEqual([{ day: '2025-10-16', created_by: admin.id }]);
    const a = await db.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM audit_log WHERE action LIKE 'calendar.%'`);
    expect(a.rows).toEqual([{ action: 'calendar.day_set', outcome: 'success' }]);
  });

  it('replacing an override keeps the previous value in the new event', async () => {
    const ctx = testContext(db);
    await setCalendarDays(ctx, null, testActor('system_admin'), [{ day: '2025-10-16', kind: 'workday', note: null }]);
    const ev = await db.query<{ data: { previous: unknown } }>(`SELECT data FROM events WHERE subject_type = 'calendar_day' ORDER BY id DESC LIMIT 1`);
    expect(ev.rows[0]!.data.previous).toEqual({ kind: 'holiday', note: '测试：临时放假' });
    expect((await getCalendar(db)).addWorkingDays('2025-09-30', 7).deadline).toBe('2025-10-16');
  });

  it('clearing an override gives the day back to the library', async () => {
    const ctx = testContext(db);
    await setCalendarDays(ctx, null, testActor('system_admin'), [{ day: '2025-10-08', kind: 'workday', note: null }]);
    expect((await getCalendar(db)).isWorkingDay('2025-10-08')).toBe(true);
    await clearCalendarDay(ctx, null, testActor('system_admin'), '2025-10-08');
    expect((await getCalendar(db)).isWorkingDay('2025-10-08')).toBe(false);
    await expect(clearCalendarDay(ctx, null, testActor('system_admin'), '2025-10-08')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses everyone but the system administrator, and audits the refusal', async () => {
    const ctx = testContext(db);
    for (const role of ['officer', 'agency_admin', 'supervisor', 'agency_head'] as const) {
      await expect(setCalendarDays(ctx, null, testActor(role), [{ day: '2025-10-20', kind: 'holiday', note: null }])).rejects.toMatchObject({ code: 'forbidden' });
    }
    // A token never manages the calendar, whatever role it carries.
    await expect(setCalendarDays(ctx, null, testActor('system_admin', 'token'), [{ day: '2025-10-20', kind: 'holiday', note: null }])).rejects.toBeInstanceOf(AppError);
    await expect(clearCalendarDay(ctx, null, null, '2025-10-16')).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getCalendar(db)).isWorkingDay('2025-10-20')).toBe(true);
    const denied = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'denied'`);
    expect(denied.rows[0]!.n).toBe(6);
  });

  it('a batch is written whole or not at all', async () => {
    const ctx = testContext(db);
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM calendar_days');
    await db.exec(`CREATE OR REPLACE FUNCTION refuse_2027_03_01() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.day = DATE '2027-03-01' THEN RAISE EXCEPTION 'test failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_2027_03_01 BEFORE INSERT ON calendar_days FOR EACH ROW EXECUTE FUNCTION refuse_2027_03_01();`);
    await expect(
      setCalendarDays(ctx, null, testActor('system_admin'), [
        { day: '2027-02-05', kind: 'holiday', note: null },
        { day: '2027-03-01', kind: 'holiday', note: null },
      ]),
    ).rejects.toThrow(/test failure/);
    await db.exec('DROP TRIGGER refuse_2027_03_01 ON calendar_days; DROP FUNCTION refuse_2027_03_01();');
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM calendar_days');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect((await listYear(db, 2027)).source).toBe('statutory');
  });

  it('a new year entered by the administrator stops being provisional', async () => {
    const ctx = testContext(db);
    expect((await getCalendar(db)).addWorkingDays('2027-02-04', 1)).toEqual({ deadline: '2027-02-11', provisional: true });
    const days = ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'];
    await setCalendarDays(ctx, null, testActor('system_admin'), days.map((day) => ({ day, kind: 'holiday' as const, note: '2027年放假安排（测试）' })));
    expect((await getCalendar(db)).addWorkingDays('2027-02-04', 1)).toEqual({ deadline: '2027-02-12', provisional: false });
    const y = await listYear(db, 2027);
    expect(y).toMatchObject({ year: 2027, source: 'override', provisional: false });
    expect(y.items.map((i) => i.day)).toEqual(days);
  });

  it('sees another process\'s change after the refresh interval', async () => {
    const t0 = Date.now();
    await reloadCalendar(db, t0);
    // Written directly, as another app process on the same server would.
    await db.query(`INSERT INTO calendar_days (day, kind) VALUES ('2025-11-03', 'holiday')`);
    expect((await getCalendar(db, t0 + 1000)).isWorkingDay('2025-11-03')).toBe(true);
    // Stale: answered at once from what it had, refreshed in the background.
    expect((await getCalendar(db, t0 + CALENDAR_REFRESH_MS + 1)).isWorkingDay('2025-11-03')).toBe(true);
    await expect.poll(async () => (await getCalendar(db)).isWorkingDay('2025-11-03')).toBe(false);
    await db.query(`DELETE FROM calendar_days WHERE day = '2025-11-03'`);
    await reloadCalendar(db);
  });

  it('a stale calendar is answered inside an open transaction (on PGlite a query there would wait on its own connection forever)', async () => {
    const t0 = Date.now();
    await reloadCalendar(db, t0);
    const cal = await db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      return getCalendar(db, t0 + CALENDAR_REFRESH_MS + 1);
    });
    expect(cal.addWorkingDays('2025-09-30', 7).deadline).toBe('2025-10-16');
  });
});
