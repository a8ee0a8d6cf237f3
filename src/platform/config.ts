// All configuration comes from the environment (documented in README.md §配置).
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Set: use this PostgreSQL server. Unset: embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Public base URL, used in certificate QR codes and ledger links. */
  publicUrl: string;
  logLevel: string;
  /** Cookies carry the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  sessionHours: number;
  /** A session unused for this long ends, whatever its absolute lifetime (OWASP ASVS V3.3). */
  sessionIdleMinutes: number;
  maxLoginFailures: number;
  lockoutMinutes: number;
  importMaxBytes: number;
  /** ISO 8601 instant the legal clock starts at (SANXIANG_CLOCK); unset: real time. */
  clockStart?: string;
  /** WEBHOOK_ALLOWED_NETWORKS: CIDRs webhooks may reach although private (test and development only; default none). */
  webhookAllowedNetworks: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    sessionIdleMinutes: Number(env.SESSION_IDLE_MINUTES ?? 30),
    maxLoginFailures: Number(env.MAX_LOGIN_FAILURES ?? 5),
    lockoutMinutes: Number(env.LOCKOUT_MINUTES ?? 15),
    importMaxBytes: Number(env.IMPORT_MAX_BYTES ?? 10 * 1024 * 1024),
    clockStart: env.SANXIANG_CLOCK || undefined,
    webhookAllowedNetworks: (env.WEBHOOK_ALLOWED_NETWORKS ?? '').split(',').map((x) => x.trim()).filter(Boolean),
  };
}
