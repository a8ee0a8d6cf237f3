// Optional SM2/SM3 second signature on checkpoints for 国密 deployments (LEDGER_SM2=1), through
// OpenSSL's SM2 in node:crypto. signed-note has no assigned type byte for SM2, so we use 0xff followed
// by a fixed identifier, as the spec recommends for unassigned types:
//
//   signature type  = 0xff ‖ "sanxiang/sm2-sm3"
//   public key      = 65-byte uncompressed SEC1 point (0x04 ‖ X ‖ Y)
//   key ID          = SHA-256(name ‖ 0x0A ‖ signature type ‖ public key)[:4]
//   signature       = DER-encoded SM2 signature over the note text with SM3
//
// Two OpenSSL 3.0 facts, checked on this platform (OpenSSL 3.0.x behind Node 20):
// - An EC key generated on curve SM2 signs ECDSA-style until it is re-imported, when OpenSSL types it
//   as an SM2 key; we always re-import (see `sm2KeyFromPkcs8`).
// - node:crypto cannot set the SM2 distinguishing ID, so signatures use OpenSSL's default ID, not
//   GM/T 0009's "1234567812345678". `openssl pkeyutl -verify -rawin -digest sm3` (without a distid
//   option) verifies them; docs/LEDGER.md shows the command.
import crypto, { type KeyObject } from 'node:crypto';
import { computeKeyId, formatVerifierKey, NoteError, type NoteSigner, type NoteVerifier, type VerifierKey } from './note.ts';

export const SM2_TYPE = Buffer.concat([Buffer.from([0xff]), Buffer.from('sanxiang/sm2-sm3', 'ascii')]);
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

export function sm2Supported(): boolean {
  try {
    const key = generateSm2Pkcs8();
    const priv = sm2KeyFromPkcs8(key);
    const sig = crypto.sign('sm3', Buffer.from('x'), priv);
    return crypto.verify('sm3', Buffer.from('x'), crypto.createPublicKey(priv), sig);
  } catch {
    return false;
  }
}

export function generateSm2Pkcs8(): Buffer {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  return privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
}

export function sm2KeyFromPkcs8(der: Uint8Array): KeyObject {
  return crypto.createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

export function sm2RawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  const der = pub.export({ format: 'der', type: 'spki' }) as Buffer;
  if (!der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX)) throw new NoteError('不是 SM2 公钥');
  return der.subarray(SM2_SPKI_PREFIX.length);
}

export function sm2PublicKeyFromRaw(point: Uint8Array): KeyObject {
  if (point.length !== 65 || point[0] !== 0x04) throw new NoteError('SM2 公钥应为 65 字节未压缩点');
  return crypto.createPublicKey({ key: Buffer.concat([SM2_SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

export function sm2Signer(name: string, privateKey: KeyObject): NoteSigner & { verifierKey: string } {
  const material = Buffer.concat([SM2_TYPE, sm2RawPublicKey(privateKey)]);
  return {
    name,
    keyId: computeKeyId(name, material),
    verifierKey: formatVerifierKey(name, material),
    sign: (text) => crypto.sign('sm3', text, privateKey),
  };
}

/** Verifier for an SM2 verifier key (`parseVerifierKey` result whose material starts with 0xff). */
export function sm2Verifier(k: VerifierKey): NoteVerifier {
  const material = Buffer.concat([Buffer.from([k.type]), k.key]);
  if (!material.subarray(0, SM2_TYPE.length).equals(SM2_TYPE)) throw new NoteError('不是本平台的 SM2 验证公钥');
  const pub = sm2PublicKeyFromRaw(material.subarray(SM2_TYPE.length));
  return { name: k.name, keyId: k.keyId, verify: (text, sig) => crypto.verify('sm3', text, pub, sig) };
}
