// Ledger test helpers: a context for the ledger's functions and entries that look like real ones.
import crypto from 'node:crypto';
import type { Db, Queryable } from '../../src/platform/db.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import { appendLedgerEntry, type LedgerEntry } from '../../src/ledger/append.ts';

export function ledgerContext(db: Db, env: Record<string, string> = {}) {
  const config = loadConfig({ LOG_LEVEL: 'silent', SANXIANG_CLOCK: process.env.SANXIANG_CLOCK ?? '', PUBLIC_URL: 'http://sanxiang.test', DATA_DIR: '/nonexistent', ...env });
  return { db, config, log: createLogger('silent') };
}

let counter = 0;
export function fakeEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  counter++;
  return {
    kind: 'test.recorded',
    subject: crypto.createHash('sha256').update(`s${counter}`).digest('hex').slice(0, 32),
    agency: null,
    time: new Date().toISOString(),
    event: counter,
    commitment: crypto.randomBytes(32).toString('hex'),
    ...overrides,
  };
}

export async function appendMany(q: Queryable, n: number): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e = fakeEntry();
    await appendLedgerEntry(q, e);
    out.push(e);
  }
  return out;
}
