import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { startTestApp, login, as, type TestApp } from './helpers/app.ts';
import { loadDemo, DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../src/seed/demo.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MAX_LOGIN_FAILURES: '3', LOCKOUT_MINUTES: '15' });
  await loadDemo(app.ctx);
});
afterAll(() => app?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.server.inject({ method: 'POST', url, payload: payload as object, headers });

describe('login', () => {
  it('signs in a user with the right password and sets an HttpOnly SameSite cookie', async () => {
    const r = await post('/api/v1/auth/login', { username: 'scjg_officer', password: DEMO_PASSWORD });
    expect(r.statusCode).toBe(200);
    expect(r.json().stage).toBe('done');
    const c = r.cookies.find((x) => x.name === 'sx_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
  });

  it('refuses a wrong password with a Chinese problem+json and does not reveal whether the user exists', async () => {
    const a = await post('/api/v1/auth/login', { username: 'scjg_head', password: 'wrong' });
    const b = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'wrong' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().title).toBe('用户名或密码错误');
    expect(b.json().title).toBe(a.json().title);
  });

  it('locks the account after repeated failures, even for the right password, and audits it', async () => {
    for (let i = 0; i < 3; i++) await post('/api/v1/auth/login', { username: 'sthj_officer', password: 'wrong-' + i });
    const r = await post('/api/v1/auth/login', { username: 'sthj_officer', password: DEMO_PASSWORD });
    // Refused with the answer every failed sign-in gets, which states the lockout rule (see security.accounts.test.ts 6a).
    expect(r.statusCode).toBe(401);
    expect(r.json().detail).toContain('锁定');
    const { rows } = await app.ctx.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE username = 'sthj_officer' ORDER BY id`);
    expect(rows.map((x) => x.outcome)).toEqual(['failure', 'failure', 'failure', 'denied']);
  });

  it('validates the login body and names each bad field', async () => {
    const r = await post('/api/v1/auth/login', { username: '' });
    expect(r.statusCode).toBe(400);
    const fields = r.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['password', 'username']);
  });
});

describe('second factor for administrators', () => {
  it('an administrator session is unusable until the TOTP code is given', async () => {
    const r = await post('/api/v1/auth/login', { username: 'admin', password: DEMO_PASSWORD });
    expect(r.json().stage).toBe('totp');
    const cookie = `sx_session=${r.cookies.find((x) => x.name === 'sx_session')!.value}`;
    const pending = { cookie, 'x-csrf-token': r.json().csrfToken };
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/agencies', headers: { cookie } })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/totp', { code: '000000' }, pending)).statusCode).toBe(401);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    expect((await post('/api/v1/auth/totp', { code }, { cookie })).statusCode).toBe(403); // the half-open session's CSRF token is required
    const done = await post('/api/v1/auth/totp', { code }, pending);
    expect(done.statusCode).toBe(200);
    const signedIn = `sx_session=${done.cookies.find((x) => x.name === 'sx_session')!.value}`;
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/agencies', headers: { cookie: signedIn } })).statusCode).toBe(200);
  });

  it('a new administrator without a second factor is enrolled at first sign-in', async () => {
    await app.ctx.db.query(`UPDATE users SET totp_secret = NULL, totp_confirmed = false WHERE username = 'xhzf_admin'`);
    const r = await post('/api/v1/auth/login', { username: 'xhzf_admin', password: DEMO_PASSWORD });
    expect(r.json().stage).toBe('totp_enroll');
    expect(r.json().totpUri).toMatch(/^otpauth:\/\/totp\//);
    const s = await login(app, 'xhzf_admin', DEMO_PASSWORD);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the X-CSRF-Token header', async () => {
    const s = await login(app, 'admin', DEMO_PASSWORD, DEMO_TOTP_SECRET);
    const r = await app.server.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scopes: ['registry:read'] }, headers: { cookie: s.cookie } });
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toBe('urn:sanxiang:problem:csrf_failed');
    const wrong = await app.server.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scopes: ['registry:read'] }, headers: { cookie: s.cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    expect((await as(app, s)('POST', '/api/v1/tokens', { name: 'x', scopes: ['registry:read'] })).statusCode).toBe(201);
  });

  it('a non-ASCII X-CSRF-Token of the right length in characters is refused with 403, not a 500', async () => {
    const s = await login(app, 'scjg_officer', DEMO_PASSWORD);
    const r = await app.server.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'x', newPassword: 'y' }, headers: { cookie: s.cookie, 'x-csrf-token': 'é'.repeat(s.csrf.length) } });
    expect(r.statusCode).toBe(403);
    expect(r.json().type).toBe('urn:sanxiang:problem:csrf_failed');
  });

  it('logout ends the session', async () => {
    const s = await login(app, 'scjg_officer', DEMO_PASSWORD);
    expect((await as(app, s)('POST', '/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await as(app, s)('GET', '/api/v1/dashboard')).statusCode).toBe(401);
  });
});
