// Ledger settings from the environment (documented in docs/LEDGER.md §配置).
import type { Config } from '../platform/config.ts';

export interface LedgerConfig {
  /** LEDGER_ORIGIN, or publicUrl's host and path + `/ledger` (C2SP: the prefix without scheme). */
  origin: string;
  /** LEDGER_SM2=1: add an SM2/SM3 signature to every checkpoint (国密). */
  sm2: boolean;
  /** LEDGER_WITNESSES: comma-separated cosignature/v1 verifier keys of accepted witnesses. */
  witnesses: string[];
  /** LEDGER_BATCH_SIZE: most entries integrated per batch. */
  batchSize: number;
  /** LEDGER_BATCH_INTERVAL_MS: pause between batches when the last one was not full. */
  intervalMs: number;
}

export function originFromPublicUrl(publicUrl: string): string {
  const u = new URL(publicUrl);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.host}${path}/ledger`;
}

export function loadLedgerConfig(config: Pick<Config, 'publicUrl'>, env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const positive = (v: string | undefined, dflt: number) => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : dflt;
  };
  return {
    origin: env.LEDGER_ORIGIN?.trim() || originFromPublicUrl(config.publicUrl),
    sm2: env.LEDGER_SM2 === '1' || env.LEDGER_SM2 === 'true',
    witnesses: (env.LEDGER_WITNESSES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    batchSize: positive(env.LEDGER_BATCH_SIZE, 512),
    intervalMs: positive(env.LEDGER_BATCH_INTERVAL_MS, 200),
  };
}
