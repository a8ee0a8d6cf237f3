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

/** Signs in through the real login route (and the TOTP step for administrators). */
export async function login(app: App, username: string, password: string, totpSecret?: string): Promise<Session> {
  const res = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sx_session')!;
  const body = res.json() as { stage: string; csrfToken: string; totpSecret?: string };
  const session = { cookie: `sx_session=${cookie.value}`, csrf: body.csrfToken };
  if (body.stage !== 'done') {
    const secret = totpSecret ?? body.totpSecret;
    if (!secret) throw new Error(`${username} needs a TOTP secret`);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    const r2 = await app.server.inject({ method: 'POST', url: '/api/v1/auth/totp', payload: { code }, headers: { cookie: session.cookie } });
    if (r2.statusCode !== 200) throw new Error(`totp ${username} failed: ${r2.statusCode} ${r2.body}`);
  }
  return session;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API as a signed-in user, with the CSRF header on writes. */
export function as(app: App, s: Session) {
  return (method: Method, url: string, payload?: unknown) =>
    app.server.inject({ method, url, payload: payload as object | undefined, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) } });
}
