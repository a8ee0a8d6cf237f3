// Ledger test helpers: a context for the ledger's functions and entries that look like real ones.
import crypto from 'node:crypto';
import type { Db, Queryable } from '../../src/platform/db.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/log.ts';
import { appendLedgerEntry, type LedgerEntry } from '../../src/ledger/append.ts';
import { entryDay, type LedgerEntryV1, type LedgerEntryV2 } from '../../src/ledger/entry.ts';

export function ledgerContext(db: Db, env: Record<string, string> = {}) {
  const config = loadConfig({ LOG_LEVEL: 'silent', SANXIANG_CLOCK: process.env.SANXIANG_CLOCK ?? '', PUBLIC_URL: 'http://sanxiang.test', DATA_DIR: '/nonexistent', ...env });
  return { db, config, log: createLogger('silent') };
}

let counter = 0;
/** An entry in the format recordChanges writes now (version 2, blinded subject). */
export function fakeEntry(overrides: Partial<LedgerEntryV2> = {}): LedgerEntryV2 {
  counter++;
  return {
    v: 2,
    domain: 'test',
    subject: crypto.randomBytes(32).toString('hex'),
    agency: null,
    day: entryDay(new Date()),
    event: counter,
    commitment: crypto.randomBytes(32).toString('hex'),
    ...overrides,
  };
}

/** An entry in the format written before issue 15 (kind, time and an unsalted subject in the clear). */
export function fakeEntryV1(overrides: Partial<LedgerEntryV1> = {}): LedgerEntryV1 {
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
