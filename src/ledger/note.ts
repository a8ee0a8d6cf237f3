// C2SP signed-note, tlog-checkpoint and tlog-cosignature (Ed25519, cosignature/v1), implemented
// from the specs so that any standard tool (Go's sumdb/note, litewitness, Sigsum, Tessera clients)
// reads our checkpoints. Pure code: keys come in as KeyObjects or raw bytes, nothing is read from disk.
import crypto, { type KeyObject } from 'node:crypto';
import { HASH_SIZE } from './merkle.ts';

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

/** Signature type bytes (signed-note §Signature types). */
export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
/** Go's note package refuses more than 100 signatures; the spec asks for at least 16. */
const MAX_SIGNATURES = 100;
const EM_DASH = '\u2014';

export interface NoteSignature {
  name: string;
  keyId: number;
  /** Signature bytes after the 4-byte key id. */
  signature: Buffer;
  /** The whole line without its newline, as it appeared. */
  line: string;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

export interface NoteSigner {
  name: string;
  keyId: number;
  sign(text: Buffer): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  verify(text: Buffer, signature: Buffer): boolean;
}

/** Standard base64 (RFC 4648 §4), strict: padding required, no whitespace, canonical. */
export function decodeBase64Strict(s: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return null;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : null;
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

/** key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4], big-endian uint32. */
export function computeKeyId(name: string, typeAndKey: Uint8Array): number {
  return crypto.createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a])).update(typeAndKey).digest().readUInt32BE(0);
}

const hex8 = (id: number) => id.toString(16).padStart(8, '0');

/** Verifier key `<name>+<8 hex key id>+<base64(type ‖ public key)>` (Go sumdb/note format). */
export function formatVerifierKey(name: string, typeAndKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`密钥名不合法：${name}`);
  return `${name}+${hex8(computeKeyId(name, typeAndKey))}+${Buffer.from(typeAndKey).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  keyId: number;
  type: number;
  /** Key material after the type byte. */
  key: Buffer;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  // The name may not contain '+', the base64 may: split at the first two.
  const s = vkey.trim();
  const a = s.indexOf('+');
  const b = a < 0 ? -1 : s.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new NoteError('验证公钥格式应为 <名称>+<8位十六进制>+<base64>');
  const name = s.slice(0, a);
  const idHex = s.slice(a + 1, b);
  const b64 = s.slice(b + 1);
  if (!isValidKeyName(name)) throw new NoteError(`验证公钥的名称不合法：${name}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('验证公钥的密钥编号应为 8 位小写十六进制');
  const material = decodeBase64Strict(b64);
  if (!material || material.length < 2) throw new NoteError('验证公钥的 base64 部分不合法');
  const keyId = Number.parseInt(idHex, 16);
  if (computeKeyId(name, material) !== keyId) throw new NoteError('验证公钥的密钥编号与公钥不符');
  return { name, keyId, type: material[0]!, key: material.subarray(1) };
}

/** Splits a signed note into text and signature lines, enforcing the signed-note format. */
export function parseNote(msg: string): ParsedNote {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(msg)) throw new NoteError('签名笔记含有换行以外的控制字符');
  if (!msg.endsWith('\n')) throw new NoteError('签名笔记必须以换行结束');
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('签名笔记缺少正文与签名之间的空行');
  const text = msg.slice(0, split + 1);
  const lines = msg.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('签名笔记的签名过多');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(`${EM_DASH} `)) throw new NoteError('签名行必须以“— ”开头');
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    if (space <= 0) throw new NoteError('签名行缺少密钥名或签名');
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (!isValidKeyName(name)) throw new NoteError(`签名行的密钥名不合法：${name}`);
    const raw = decodeBase64Strict(b64);
    if (!raw || raw.length < 5) throw new NoteError('签名行的 base64 不合法');
    signatures.push({ name, keyId: raw.readUInt32BE(0), signature: raw.subarray(4), line });
  }
  return { text, signatures };
}

export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const raw = Buffer.alloc(4 + signature.length);
  raw.writeUInt32BE(keyId >>> 0, 0);
  Buffer.from(signature).copy(raw, 4);
  return `${EM_DASH} ${name} ${raw.toString('base64')}`;
}

/** Signs `text` (which must end in a newline) with every signer, in order. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n')) throw new NoteError('笔记正文必须以换行结束');
  if (text.endsWith('\n\n')) throw new NoteError('笔记正文不能以空行结束');
  const bytes = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => signatureLine(s.name, s.keyId, s.sign(bytes)));
  return `${text}\n${lines.join('\n')}\n`;
}

export interface OpenedNote extends ParsedNote {
  /** Verifiers whose signature was present and valid. */
  verified: NoteVerifier[];
}

/**
 * signed-note §Signatures: unknown keys are ignored; a known key whose signature fails makes the
 * whole note invalid; at least one known key must have signed.
 */
export function openNote(msg: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseNote(msg);
  const text = Buffer.from(note.text, 'utf8');
  const verified: NoteVerifier[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (!v) continue;
    if (!v.verify(text, sig.signature)) throw new NoteError(`密钥 ${sig.name} 的签名验证失败`);
    if (!verified.includes(v)) verified.push(v);
  }
  if (verified.length === 0) throw new NoteError('笔记上没有受信任密钥的有效签名');
  return { ...note, verified };
}

// ── Ed25519 keys ─────────────────────────────────────────────────────────────────────────────────
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteError('Ed25519 公钥应为 32 字节');
  return crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function ed25519PrivateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new NoteError('Ed25519 私钥种子应为 32 字节');
  return crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519RawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return (pub.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
}

export function ed25519Seed(key: KeyObject): Buffer {
  return (key.export({ format: 'der', type: 'pkcs8' }) as Buffer).subarray(-32);
}

export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner & { verifierKey: string; publicKey: Buffer } {
  const publicKey = ed25519RawPublicKey(privateKey);
  const material = Buffer.concat([Buffer.from([SIG_ED25519]), publicKey]);
  return {
    name,
    keyId: computeKeyId(name, material),
    verifierKey: formatVerifierKey(name, material),
    publicKey,
    sign: (text) => crypto.sign(null, text, privateKey),
  };
}

/** A verifier for a log key (type 0x01) from its verifier key string. */
export function ed25519Verifier(vkey: string | VerifierKey): NoteVerifier {
  const k = typeof vkey === 'string' ? parseVerifierKey(vkey) : vkey;
  if (k.type !== SIG_ED25519) throw new NoteError(`不是 Ed25519 验证公钥（类型 0x${k.type.toString(16)}）`);
  const pub = ed25519PublicKeyFromRaw(k.key);
  return {
    name: k.name,
    keyId: k.keyId,
    verify: (text, sig) => sig.length === 64 && crypto.verify(null, text, pub, sig),
  };
}

// ── Checkpoints (C2SP tlog-checkpoint) ────────────────────────────────────────────────────────────
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (!cp.origin || cp.origin.includes('\n')) throw new NoteError('检查点来源行不合法');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new NoteError('检查点树大小不合法');
  if (cp.root.length !== HASH_SIZE) throw new NoteError('检查点根哈希应为 32 字节');
  for (const e of cp.extensions) if (!e || e.includes('\n')) throw new NoteError('检查点扩展行不能为空');
  return [cp.origin, String(cp.size), cp.root.toString('base64'), ...cp.extensions].join('\n') + '\n';
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('检查点正文必须以换行结束');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('检查点正文至少有三行');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin) throw new NoteError('检查点来源行为空');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new NoteError('检查点树大小不是无前导零的十进制数');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new NoteError('检查点树大小超出范围');
  const root = decodeBase64Strict(rootLine);
  if (!root || root.length !== HASH_SIZE) throw new NoteError('检查点根哈希不是 32 字节的 base64');
  if (extensions.some((e) => e === '')) throw new NoteError('检查点扩展行不能为空');
  return { origin, size, root, extensions };
}

// ── Cosignatures (C2SP tlog-cosignature, Ed25519 cosignature/v1) ───────────────────────────────────
export function cosignedMessage(checkpointText: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

export interface CosignatureVerifier extends NoteVerifier {
  vkey: string;
  /** Timestamp of a valid cosignature over `checkpointText`, or null when it does not verify. */
  verifyTimestamped(checkpointText: string, signature: Buffer): number | null;
}

export function cosignatureVerifier(vkey: string): CosignatureVerifier {
  const k = parseVerifierKey(vkey);
  if (k.type !== SIG_COSIGNATURE_V1) throw new NoteError(`见证者公钥应为 cosignature/v1 类型（0x04），收到 0x${k.type.toString(16)}`);
  const pub = ed25519PublicKeyFromRaw(k.key);
  const verifyTimestamped = (checkpointText: string, sig: Buffer): number | null => {
    if (sig.length !== 8 + 64) return null;
    const ts = sig.readBigUInt64BE(0);
    if (ts > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const timestamp = Number(ts);
    return crypto.verify(null, cosignedMessage(checkpointText, timestamp), pub, sig.subarray(8)) ? timestamp : null;
  };
  return {
    name: k.name,
    keyId: k.keyId,
    vkey: vkey.trim(),
    verifyTimestamped,
    verify: (text, sig) => verifyTimestamped(text.toString('utf8'), sig) !== null,
  };
}

/** What a witness does (used by tests and by anyone running a simple witness of their own). */
export function cosign(checkpointText: string, name: string, privateKey: KeyObject, timestamp: number): { line: string; vkey: string } {
  const material = Buffer.concat([Buffer.from([SIG_COSIGNATURE_V1]), ed25519RawPublicKey(privateKey)]);
  const sig = Buffer.alloc(8 + 64);
  sig.writeBigUInt64BE(BigInt(timestamp), 0);
  crypto.sign(null, cosignedMessage(checkpointText, timestamp), privateKey).copy(sig, 8);
  return { line: signatureLine(name, computeKeyId(name, material), sig), vkey: formatVerifierKey(name, material) };
}
