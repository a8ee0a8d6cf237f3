// Certificate QR codes (R-P08): the party scans the officer's card and lands on the live public page.
// The QR also carries the certificate data and an Ed25519 signature over it, so that a card can be
// checked offline against the published key, without reaching our server.
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { Queryable } from '../platform/db.ts';
import { canonicalJson } from '../platform/changes.ts';

const KEY_SETTING = 'certificate_signing_key';

export interface CertificateClaims {
  /** certificate number */
  n: string;
  name: string;
  /** agency's unified social credit code */
  org: string;
  cat: string;
  area: string;
  from: string;
  to: string;
}

let cached: { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject } | undefined;

/** The signing key is made on first use and kept in the database, so every app process signs alike. */
export async function certificateKey(q: Queryable) {
  if (cached) return cached;
  let row = (await q.query<{ value: { pkcs8: string } }>(`SELECT value FROM settings WHERE key = $1`, [KEY_SETTING])).rows[0];
  if (!row) {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    await q.query(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [KEY_SETTING, JSON.stringify({ pkcs8 })]);
    row = (await q.query<{ value: { pkcs8: string } }>(`SELECT value FROM settings WHERE key = $1`, [KEY_SETTING])).rows[0]!;
  }
  const privateKey = crypto.createPrivateKey({ key: Buffer.from(row.value.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  cached = { privateKey, publicKey: crypto.createPublicKey(privateKey) };
  return cached;
}

export function resetCertificateKeyCache() {
  cached = undefined;
}

export async function publicKeyBase64(q: Queryable): Promise<string> {
  const { publicKey } = await certificateKey(q);
  // The raw 32-byte key is the last 32 bytes of its SPKI encoding.
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

export async function signedVerifyUrl(q: Queryable, publicUrl: string, claims: CertificateClaims): Promise<string> {
  const { privateKey } = await certificateKey(q);
  const data = Buffer.from(canonicalJson(claims), 'utf8');
  const sig = crypto.sign(null, data, privateKey);
  return `${publicUrl}/verify/officer/${encodeURIComponent(claims.n)}?d=${data.toString('base64url')}&s=${sig.toString('base64url')}`;
}

/** Checks the data and signature carried by a QR code; returns the claims when genuine. */
export async function verifyClaims(q: Queryable, d: string, s: string): Promise<CertificateClaims | null> {
  const { publicKey } = await certificateKey(q);
  try {
    const data = Buffer.from(d, 'base64url');
    if (!crypto.verify(null, data, publicKey, Buffer.from(s, 'base64url'))) return null;
    return JSON.parse(data.toString('utf8')) as CertificateClaims;
  } catch {
    return null;
  }
}

export const qrSvg = (url: string) => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
export const qrPng = (url: string) => QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
