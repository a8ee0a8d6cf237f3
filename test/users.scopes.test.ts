// User administration: who may create, disable and reset whom.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, login, as, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
let ids: Map<string, string>;
let scjgAdmin: ReturnType<typeof as>;
beforeAll(async () => {
  app = await startTestApp();
  ids = await loadDemo(app.ctx);
  scjgAdmin = as(app, await login(app, 'scjg_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
});
afterAll(() => app?.close());

describe('user administration', () => {
  it('an agency administrator creates a user of its own agency; the user must change the temporary password', async () => {
    const r = await scjgAdmin('POST', '/api/v1/users', { username: 'new.officer', displayName: '新执法员', agencyId: ids.get('city_scjg'), role: 'officer' });
    expect(r.statusCode).toBe(201);
    const { temporaryPassword } = r.json();
    const s = await login(app, 'new.officer', temporaryPassword);
    const session = await as(app, s)('GET', '/api/v1/auth/session');
    expect(session.json().user.mustChangePassword).toBe(true);
    const weak = await as(app, s)('POST', '/api/v1/auth/password', { currentPassword: temporaryPassword, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('newPassword');
    const changed = await as(app, s)('POST', '/api/v1/auth/password', { currentPassword: temporaryPassword, newPassword: 'Better-Passw0rd' });
    expect(changed.statusCode).toBe(200);
    const renewed = { cookie: `sx_session=${changed.cookies.find((c) => c.name === 'sx_session')!.value}`, csrf: changed.json().csrfToken };
    expect((await as(app, renewed)('GET', '/api/v1/auth/session')).json().user.mustChangePassword).toBe(false);
  });

  it('an agency administrator cannot create users elsewhere or grant supervisory roles', async () => {
    const other = await scjgAdmin('POST', '/api/v1/users', { username: 'intruder', displayName: 'x', agencyId: ids.get('city_sthj'), role: 'officer' });
    expect(other.statusCode).toBe(403);
    const sup = await scjgAdmin('POST', '/api/v1/users', { username: 'fake.sup', displayName: 'x', agencyId: ids.get('city_scjg'), role: 'system_admin' });
    expect(sup.statusCode).toBe(403);
    // Refusals of account administration are audited like every other 403.
    const denied = await app.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'users.create' AND outcome = 'denied'`);
    expect(denied.rows[0]!.n).toBe(2);
    const dup = await scjgAdmin('POST', '/api/v1/users', { username: 'scjg_officer', displayName: 'x', agencyId: ids.get('city_scjg'), role: 'officer' });
    expect(dup.statusCode).toBe(409);
  });

  it('a linked officer must belong to the user’s agency; only a justice bureau has supervisors', async () => {
    const system = as(app, await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
    const foreign = await app.ctx.db.query<{ id: string }>(`SELECT id FROM officers WHERE agency_id = $1 LIMIT 1`, [ids.get('city_sthj')]);
    const r = await scjgAdmin('POST', '/api/v1/users', { username: 'borrowed', displayName: 'x', agencyId: ids.get('city_scjg'), role: 'officer', officerId: foreign.rows[0]!.id });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().errors[0].field).toBe('officerId');
    const sup = await system('POST', '/api/v1/users', { username: 'market.sup', displayName: 'x', agencyId: ids.get('city_scjg'), role: 'supervisor' });
    expect(sup.statusCode, sup.body).toBe(400);
    expect(sup.json().errors[0].field).toBe('role');
    expect((await app.ctx.db.query(`SELECT 1 FROM users WHERE username IN ('borrowed', 'market.sup')`)).rows).toHaveLength(0);
  });

  it('lists only its own agency, disables (ending sessions) and resets (unlocking) its users', async () => {
    const list = (await scjgAdmin('GET', '/api/v1/users')).json().items as { id: string; username: string; agencyId: string }[];
    expect(new Set(list.map((u) => u.agencyId))).toEqual(new Set([ids.get('city_scjg')]));
    const officer = list.find((u) => u.username === 'scjg_officer')!;
    const s = await login(app, 'scjg_officer', DEMO_PASSWORD);
    expect((await scjgAdmin('POST', `/api/v1/users/${officer.id}/disable`)).statusCode).toBe(200);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
    expect((await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'scjg_officer', password: DEMO_PASSWORD } })).statusCode).toBe(401);
    expect((await scjgAdmin('POST', `/api/v1/users/${officer.id}/enable`)).statusCode).toBe(200);
    const reset = await scjgAdmin('POST', `/api/v1/users/${officer.id}/reset-password`);
    expect(reset.json().temporaryPassword).toHaveLength(16);
    await login(app, 'scjg_officer', reset.json().temporaryPassword);
  });

  it('an officer cannot list or manage users; another agency admin cannot touch this agency users', async () => {
    const officer = as(app, await login(app, 'sthj_officer', DEMO_PASSWORD));
    expect((await officer('GET', '/api/v1/users')).statusCode).toBe(403);
    const xh = as(app, await login(app, 'xhzf_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
    const target = (await scjgAdmin('GET', '/api/v1/users')).json().items[0];
    expect((await xh('POST', `/api/v1/users/${target.id}/disable`)).statusCode).toBe(404);
  });
});
