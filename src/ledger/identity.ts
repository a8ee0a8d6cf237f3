// The log's identity: its origin and its signing keys, fixed when the log is born.
//
// Where the key lives: in the `settings` table, not in a file under DATA_DIR. On PostgreSQL several
// stateless app processes may each win the sequencer lock in turn (DESIGN §6), and each must sign with
// the same key; the database is the only state they share. Creation is race-free (INSERT … ON
// CONFLICT DO NOTHING, then read back what won), so two processes starting together cannot give
// the log two identities, and a database backup restores the log together with its key. The cost:
// whoever can read the settings table can sign checkpoints; such a forgery is still caught by anyone
// holding an older checkpoint, because it cannot be consistent with what the log already published.
import crypto from 'node:crypto';
import type { Queryable } from '../platform/db.ts';
import type { Logger } from '../platform/log.ts';
import type { LedgerConfig } from './config.ts';
import { ed25519PrivateKeyFromSeed, ed25519Seed, ed25519Signer, ed25519Verifier, type NoteSigner, type NoteVerifier } from './note.ts';
import { generateSm2Pkcs8, sm2KeyFromPkcs8, sm2Signer, sm2Supported, sm2Verifier } from './sm2.ts';
import { parseVerifierKey } from './note.ts';

const IDENTITY_SETTING = 'ledger.identity';
const SM2_SETTING = 'ledger.sm2_signing_key';

export interface LogIdentity {
  origin: string;
  /** `<origin>+<key id>+<base64(0x01 ‖ public key)>`, served at /ledger/key. */
  verifierKey: string;
  /** SM2 verifier key when LEDGER_SM2=1. */
  sm2VerifierKey?: string;
  /** Ed25519 first, then SM2 when enabled. */
  signers: NoteSigner[];
  verifiers: NoteVerifier[];
}

interface StoredIdentity {
  origin: string;
  ed25519Seed: string;
  createdAt: string;
}

async function readOrCreate<T>(db: Queryable, key: string, create: () => T): Promise<T> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(create())]);
  const { rows } = await db.query<{ value: T | string }>('SELECT value FROM settings WHERE key = $1', [key]);
  const v = rows[0]!.value;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export async function loadLogIdentity(db: Queryable, cfg: Pick<LedgerConfig, 'origin' | 'sm2'>, log?: Logger): Promise<LogIdentity> {
  const stored = await readOrCreate<StoredIdentity>(db, IDENTITY_SETTING, () => ({
    origin: cfg.origin,
    ed25519Seed: ed25519Seed(crypto.generateKeyPairSync('ed25519').privateKey).toString('base64'),
    createdAt: new Date().toISOString(),
  }));
  // The origin names the log in every checkpoint; changing it would make a new log out of the old
  // tree, so the one chosen at birth stays even when PUBLIC_URL changes later.
  if (stored.origin !== cfg.origin) {
    log?.warn({ stored: stored.origin, configured: cfg.origin }, '账本来源标识（origin）在创建时已固定，沿用已存储的值');
  }
  const ed = ed25519Signer(stored.origin, ed25519PrivateKeyFromSeed(Buffer.from(stored.ed25519Seed, 'base64')));
  const identity: LogIdentity = {
    origin: stored.origin,
    verifierKey: ed.verifierKey,
    signers: [ed],
    verifiers: [ed25519Verifier(ed.verifierKey)],
  };
  if (cfg.sm2) {
    if (!sm2Supported()) throw new Error('已设置 LEDGER_SM2=1，但本机 Node/OpenSSL 不支持 SM2/SM3 签名');
    const sm2 = await readOrCreate<{ pkcs8: string }>(db, SM2_SETTING, () => ({ pkcs8: generateSm2Pkcs8().toString('base64') }));
    const signer = sm2Signer(stored.origin, sm2KeyFromPkcs8(Buffer.from(sm2.pkcs8, 'base64')));
    identity.sm2VerifierKey = signer.verifierKey;
    identity.signers.push(signer);
    identity.verifiers.push(sm2Verifier(parseVerifierKey(signer.verifierKey)));
  }
  return identity;
}
