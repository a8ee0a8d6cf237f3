// The calendar API as a client sees it: public deadline and year listing, validation errors that
// name the field, and writes only by the system administrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db.ts';
import { buildServer } from '../http/server.ts';
import { calendarTestDb, testContext } from './test-helpers.ts';
import { registerCalendarRoutes } from './routes.ts';

let db: Db;
let app: FastifyInstance;
beforeAll(async () => {
  db = await calendarTestDb();
  const ctx = testContext(db);
  app = await buildServer(ctx, async (a) => registerCalendarRoutes(a, ctx));
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/v1/calendar/deadline (public)', () => {
  it('answers the N-th working day after the start day (R-P11, 2025 国庆 notice)', async () => {
    const r = await get('/api/v1/calendar/deadline?from=2025-09-30&workingDays=7');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ deadline: '2025-10-16', provisional: false });
  });

  it('answers N = 0 and marks a year without a notice as provisional', async () => {
    expect((await get('/api/v1/calendar/deadline?from=2026-03-02&workingDays=0')).json()).toEqual({ deadline: '2026-03-02', provisional: false });
    expect((await get('/api/v1/calendar/deadline?from=2026-12-31&workingDays=20')).json()).toEqual({ deadline: '2027-01-29', provisional: true });
  });

  it.each([
    ['from=2025-02-30&workingDays=1', 'query.from'],
    ['from=20250301&workingDays=1', 'query.from'],
    ['from=1999-12-31&workingDays=1', 'query.from'],
    ['workingDays=1', 'query.from'],
    ['from=2025-03-01&workingDays=3651', 'query.workingDays'],
    ['from=2025-03-01&workingDays=-1', 'query.workingDays'],
    ['from=2025-03-01&workingDays=1.5', 'query.workingDays'],
    ['from=2025-03-01&workingDays=', 'query.workingDays'],
    ['from=2025-03-01', 'query.workingDays'],
  ])('refuses %s naming %s', async (qs, field) => {
    const r = await get(`/api/v1/calendar/deadline?${qs}`);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const body = r.json();
    expect(body.type).toBe('urn:sanxiang:problem:validation');
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a count that runs past the end of the calendar', async () => {
    const r = await get('/api/v1/calendar/deadline?from=2099-12-01&workingDays=3650');
    expect(r.statusCode).toBe(400);
  });
});

describe('GET /api/v1/calendar/days (public)', () => {
  it('lists the 2026 notice with its 调休 working days', async () => {
    const r = await get('/api/v1/calendar/days?year=2026');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ year: 2026, source: 'library', provisional: false });
    const workdays = body.items.filter((i: { kind: string }) => i.kind === 'workday').map((i: { day: string }) => i.day);
    expect(workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(body.items.find((i: { day: string }) => i.day === '2026-10-01')).toEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节', source: 'library', note: null });
  });

  it('lists a year without a notice as statutory and provisional', async () => {
    const body = (await get('/api/v1/calendar/days?year=2030')).json();
    expect(body).toMatchObject({ year: 2030, source: 'statutory', provisional: true });
    expect(body.items[0]).toMatchObject({ day: '2030-01-01', kind: 'holiday', source: 'statutory' });
  });

  it('refuses a bad year', async () => {
    expect((await get('/api/v1/calendar/days?year=1999')).statusCode).toBe(400);
    expect((await get('/api/v1/calendar/days?year=abc')).statusCode).toBe(400);
  });
});

describe('POST /api/v1/calendar/days (system administrator only)', () => {
  const post = (url: string, payload: unknown, role?: string) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: role ? { 'x-test-role': role } : {} });

  it('needs a signed-in user', async () => {
    expect((await post('/api/v1/calendar/days', { day: '2026-03-02', kind: 'holiday' })).statusCode).toBe(401);
  });

  it('refuses an officer and an agency administrator', async () => {
    for (const role of ['officer', 'agency_admin', 'supervisor']) {
      const r = await post('/api/v1/calendar/days', { day: '2026-03-02', kind: 'holiday' }, role);
      expect(r.statusCode).toBe(403);
      expect(r.json().type).toBe('urn:sanxiang:problem:forbidden');
    }
  });

  it('validates the day and the kind', async () => {
    const r = await post('/api/v1/calendar/days', { day: '2026-02-29', kind: 'rest' }, 'system_admin');
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['day', 'kind']);
  });

  it('sets a day, and the deadline follows at once', async () => {
    const r = await post('/api/v1/calendar/days', { day: '2026-03-03', kind: 'holiday', note: '测试' }, 'system_admin');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ items: [{ day: '2026-03-03', kind: 'holiday', note: '测试' }] });
    expect((await get('/api/v1/calendar/deadline?from=2026-03-02&workingDays=1')).json()).toEqual({ deadline: '2026-03-04', provisional: false });
    const listed = (await get('/api/v1/calendar/days?year=2026')).json().items.find((i: { day: string }) => i.day === '2026-03-03');
    expect(listed).toMatchObject({ source: 'override', kind: 'holiday', note: '测试' });
  });

  it('takes a whole notice as a batch, refusing duplicate days', async () => {
    const dup = await post('/api/v1/calendar/days/batch', { days: [{ day: '2028-01-01', kind: 'holiday' }, { day: '2028-01-01', kind: 'holiday' }] }, 'system_admin');
    expect(dup.statusCode).toBe(400);
    const ok = await post('/api/v1/calendar/days/batch', { days: [{ day: '2028-01-01', kind: 'holiday' }, { day: '2028-01-02', kind: 'holiday' }] }, 'system_admin');
    expect(ok.statusCode).toBe(200);
    expect((await get('/api/v1/calendar/days?year=2028')).json()).toMatchObject({ source: 'override', provisional: false });
  });

  it('DELETE clears a day', async () => {
    const r = await app.inject({ method: 'DELETE', url: '/api/v1/calendar/days/2026-03-03', headers: { 'x-test-role': 'system_admin' } });
    expect(r.statusCode).toBe(200);
    expect((await get('/api/v1/calendar/deadline?from=2026-03-02&workingDays=1')).json().deadline).toBe('2026-03-03');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await get('/api/v1/openapi.json')).json();
    expect(doc.paths['/api/v1/calendar/deadline'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['from', 'workingDays']);
    expect(doc.paths['/api/v1/calendar/days'].post.security).not.toEqual([]);
  });
});
