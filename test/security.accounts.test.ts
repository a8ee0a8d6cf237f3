// Issue 15, defect 6: accounts (OWASP ASVS V2 authentication, V3 session management; RFC 6238 §5.2).
// Each test is named after the defect it would have caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { startTestApp, login, as, unusedTotpCode, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MAX_LOGIN_FAILURES: '3', SESSION_IDLE_MINUTES: '30' });
  await loadDemo(app.ctx);
});
afterAll(() => app?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.server.inject({ method: 'POST', url, payload: payload as object, headers });
const sessionCookie = (r: { cookies: { name: string; value: string }[] }) => {
  const c = r.cookies.find((x) => x.name === 'sx_session');
  return c ? `sx_session=${c.value}` : undefined;
};
/** A problem body without what differs on every request. */
const comparable = (r: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }) => {
  const { instance: _instance, requestId: _requestId, ...rest } = r.json();
  return { status: r.statusCode, type: r.headers['content-type'], body: rest };
};
const totpAt = (step: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate({ timestamp: step * 30_000 });
const nowStep = () => Math.floor(Date.now() / 30_000);

describe('defect 6: accounts', () => {
  it('6a login answers an unknown, a disabled, a wrong-password and a locked username identically', async () => {
    const unknown = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'wrong' });
    const wrong = await post('/api/v1/auth/login', { username: 'scjg_head', password: 'wrong' });
    await app.ctx.db.query(`UPDATE users SET disabled = true WHERE username = 'sthj_officer'`);
    const disabled = await post('/api/v1/auth/login', { username: 'sthj_officer', password: DEMO_PASSWORD });
    // Locked out by failures (3 here): even the right password gets the answer an unknown name gets.
    for (let i = 0; i < 2; i++) await post('/api/v1/auth/login', { username: 'scjg_head', password: 'wrong-' + i });
    const locked = await post('/api/v1/auth/login', { username: 'scjg_head', password: DEMO_PASSWORD });
    const unknownRightPassword = await post('/api/v1/auth/login', { username: 'nobody-else', password: DEMO_PASSWORD });
    expect(unknown.statusCode).toBe(401);
    for (const r of [wrong, disabled, locked, unknownRightPassword]) expect(comparable(r)).toEqual(comparable(unknown));
    // The account is locked all the same: the audit log, not the answer, tells the administrator.
    const { rows } = await app.ctx.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE username = 'scjg_head' ORDER BY id`);
    expect(rows.map((x) => x.outcome)).toEqual(['failure', 'failure', 'failure', 'denied']);
    await app.ctx.db.query(`UPDATE users SET disabled = false, failed_logins = 0, locked_until = NULL WHERE username IN ('sthj_officer', 'scjg_head')`);
  });

  it('6b changing one’s password ends the user’s other sessions and keeps API tokens', async () => {
    const phone = await login(app, 'scjg_officer', DEMO_PASSWORD);
    const desk = await login(app, 'scjg_officer', DEMO_PASSWORD);
    const admin = as(app, await login(app, 'scjg_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
    const token = (await admin('POST', '/api/v1/tokens', { name: '对接', scopes: ['registry:read'] })).json().token as string;
    const r = await as(app, desk)('POST', '/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Another-Passw0rd' });
    expect(r.statusCode).toBe(200);
    expect((await as(app, phone)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
    const rotated = { cookie: sessionCookie(r)!, csrf: r.json().csrfToken as string };
    expect((await as(app, rotated)('GET', '/api/v1/dashboard')).statusCode).toBe(200);
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/agencies', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });

  it('6b an administrator’s password reset ends all the target’s sessions', async () => {
    const victim = await login(app, 'sthj_officer', DEMO_PASSWORD);
    const system = as(app, await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
    const id = (await system('GET', '/api/v1/users')).json().items.find((u: { username: string }) => u.username === 'sthj_officer').id;
    expect((await system('POST', `/api/v1/users/${id}/reset-password`)).statusCode).toBe(200);
    expect((await as(app, victim)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
  });

  it('6c a temporary password works only to change the password: every other route answers 403 password_change_required', async () => {
    const admin = as(app, await login(app, 'scjg_admin', DEMO_PASSWORD, DEMO_TOTP_SECRET));
    const created = await admin('POST', '/api/v1/users', { username: 'temp.officer', displayName: '临时', agencyId: (await admin('GET', '/api/v1/auth/session')).json().user.agencyId, role: 'officer' });
    const temporaryPassword = created.json().temporaryPassword as string;
    const s = await login(app, 'temp.officer', temporaryPassword);
    const refused = await as(app, s)('GET', '/api/v1/agencies');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().type).toBe('urn:sanxiang:problem:password_change_required');
    expect(refused.json().detail).toMatch(/修改/);
    expect((await as(app, s)('POST', '/api/v1/tokens', { name: 'x', scopes: ['registry:read'] })).statusCode).toBe(403);
    const changed = await as(app, s)('POST', '/api/v1/auth/password', { currentPassword: temporaryPassword, newPassword: 'Changed-Passw0rd' });
    expect(changed.statusCode).toBe(200);
    const after = { cookie: sessionCookie(changed)!, csrf: changed.json().csrfToken as string };
    expect((await as(app, after)('GET', '/api/v1/agencies')).statusCode).toBe(200);
  });

  it('6d a TOTP code is accepted once in its window (RFC 6238 §5.2)', async () => {
    const signIn = async () => {
      const r = await post('/api/v1/auth/login', { username: 'xhzf_admin', password: DEMO_PASSWORD });
      return { cookie: sessionCookie(r)!, 'x-csrf-token': r.json().csrfToken as string };
    };
    const step = nowStep() + 1;
    // Two requests racing with the same code: the step is claimed in one conditional update, so one wins.
    const [a, b] = await Promise.all([signIn(), signIn()]);
    const race = await Promise.all([post('/api/v1/auth/totp', { code: totpAt(step) }, a), post('/api/v1/auth/totp', { code: totpAt(step) }, b)]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    const replay = await post('/api/v1/auth/totp', { code: totpAt(step) }, await signIn());
    expect(replay.statusCode).toBe(401);
    expect(replay.json().type).toBe('urn:sanxiang:problem:invalid_second_factor');
    // Refused codes count towards the lockout (3 here); start the count again for the last check.
    await app.ctx.db.query(`UPDATE users SET failed_logins = 0 WHERE username = 'xhzf_admin'`);
    // An earlier step than the last accepted one is refused too, although still inside the window.
    const earlier = await post('/api/v1/auth/totp', { code: totpAt(step - 1) }, await signIn());
    expect(earlier.statusCode).toBe(401);
    await app.ctx.db.query(`UPDATE users SET failed_logins = 0 WHERE username = 'xhzf_admin'`);
  });

  it('6e the session id is rotated after the second factor: the pre-TOTP cookie is dead', async () => {
    const r = await post('/api/v1/auth/login', { username: 'admin', password: DEMO_PASSWORD });
    const before = sessionCookie(r)!;
    const code = (await unusedTotpCode(app, 'admin', DEMO_TOTP_SECRET))!;
    const done = await post('/api/v1/auth/totp', { code }, { cookie: before, 'x-csrf-token': r.json().csrfToken });
    expect(done.statusCode).toBe(200);
    const after = sessionCookie(done);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/agencies', headers: { cookie: before } })).statusCode).toBe(401);
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/agencies', headers: { cookie: after! } })).statusCode).toBe(200);
  });

  it('6e the session id is rotated after a password change: the old cookie is dead', async () => {
    const s = await login(app, 'scjg_reviewer', DEMO_PASSWORD);
    const r = await as(app, s)('POST', '/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Rotated-Passw0rd' });
    expect(r.statusCode).toBe(200);
    expect(sessionCookie(r)).not.toBe(s.cookie);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
  });

  it('6f a session idle longer than SESSION_IDLE_MINUTES is refused', async () => {
    const s = await login(app, 'xhsfj', DEMO_PASSWORD);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(200);
    await app.ctx.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE username = 'xhsfj')`);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
    // Activity within the limit keeps a session alive.
    const t = await login(app, 'xhsfj', DEMO_PASSWORD);
    await app.ctx.db.query(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = (SELECT id FROM users WHERE username = 'xhsfj')`);
    expect((await as(app, t)('GET', '/api/v1/dashboard')).statusCode).toBe(200);
  });

  it('6g a client holding an old session cookie and no CSRF header can sign in again', async () => {
    const old = await login(app, 'sfj', DEMO_PASSWORD);
    const r = await post('/api/v1/auth/login', { username: 'sfj', password: DEMO_PASSWORD }, { cookie: old.cookie });
    expect(r.statusCode).toBe(200);
    const fresh = sessionCookie(r)!;
    expect(fresh).not.toBe(old.cookie);
    expect((await as(app, { cookie: fresh, csrf: r.json().csrfToken })('GET', '/api/v1/dashboard')).statusCode).toBe(200);
    // The session the browser held is ended: its cookie has just been replaced.
    expect((await as(app, old)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
    // The cookie is SameSite=Strict, so another site cannot make the browser sign in (login CSRF).
    expect(r.cookies.find((c) => c.name === 'sx_session')!.sameSite).toBe('Strict');
  });
});
