// A whole platform on a scratch database, driven through HTTP with fastify's inject (no socket).
import * as OTPAuth from 'otpauth';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { scratchDatabase, type TestDb } from './db.ts';

export interface TestApp extends App {
  testDb: TestDb;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await scratchDatabase({ migrate: false });
  const config = loadConfig({ LOG_LEVEL: 'silent', SANXIANG_CLOCK: process.env.SANXIANG_CLOCK ?? '', PUBLIC_URL: 'http://sanxiang.test', ...env });
  const app = await createApp(config, { db: testDb.db });
  return {
    ...app,
    testDb,
    async close() {
      await app.server.close();
      await testDb.drop();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

const TOTP_PERIOD_MS = 30_000;

/**
 * A TOTP code the server has not accepted yet: a code is good once (RFC 6238 §5.2), so a second
 * sign-in of the same administrator uses the next time-step, which the server accepts one step
 * early (clock drift window). Null when both are spent: a real user would wait for the next code.
 */
export async function unusedTotpCode(app: App, username: string, secret: string): Promise<string | null> {
  const { rows } = await app.ctx.db.query<{ totp_last_step: string | null }>(`SELECT totp_last_step FROM users WHERE username = $1`, [username]);
  const last = rows[0]?.totp_last_step == null ? -Infinity : Number(rows[0].totp_last_step);
  const now = Math.floor(Date.now() / TOTP_PERIOD_MS);
  const step = [now, now + 1].find((s) => s > last);
  return step === undefined ? null : new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: step * TOTP_PERIOD_MS });
}

/** The last administrator session each app's login() opened, per username (see login()). */
const openSessions = new WeakMap<App, Map<string, Session>>();

const sessionOf = (res: { cookies: { name: string; value: string }[] }, csrf: string): Session => ({ cookie: `sx_session=${res.cookies.find((c) => c.name === 'sx_session')!.value}`, csrf });

/**
 * Signs in through the real login route (and the TOTP step for administrators). The second factor
 * rotates the session, so an administrator's session is the one the TOTP answer sets.
 */
export async function login(app: App, username: string, password: string, totpSecret?: string): Promise<Session> {
  const res = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { stage: string; csrfToken: string; totpSecret?: string };
  const pending = sessionOf(res, body.csrfToken);
  if (body.stage === 'done') return pending;
  const secret = totpSecret ?? body.totpSecret;
  if (!secret) throw new Error(`${username} needs a TOTP secret`);
  const open = openSessions.get(app) ?? new Map<string, Session>();
  openSessions.set(app, open);
  let code = await unusedTotpCode(app, username, secret);
  if (!code) {
    // Both codes of this window are spent by earlier sign-ins of the same administrator in this
    // test file: hand back the session the last one opened while it lives, else wait for a new code.
    const still = open.get(username);
    if (still && (await app.server.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: still.cookie } })).json().secondFactor === 'done') {
      await app.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: pending.cookie, 'x-csrf-token': pending.csrf } });
      return still;
    }
    await new Promise((r) => setTimeout(r, TOTP_PERIOD_MS - (Date.now() % TOTP_PERIOD_MS) + 50));
    code = (await unusedTotpCode(app, username, secret))!;
  }
  const r2 = await app.server.inject({ method: 'POST', url: '/api/v1/auth/totp', payload: { code }, headers: { cookie: pending.cookie, 'x-csrf-token': pending.csrf } });
  if (r2.statusCode !== 200) throw new Error(`totp ${username} failed: ${r2.statusCode} ${r2.body}`);
  const session = sessionOf(r2, (r2.json() as { csrfToken: string }).csrfToken);
  open.set(username, session);
  return session;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API as a signed-in user, with the CSRF header on writes. */
export function as(app: App, s: Session) {
  return (method: Method, url: string, payload?: unknown) =>
    app.server.inject({ method, url, payload: payload as object | undefined, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) } });
}
