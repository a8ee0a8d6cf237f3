// Evidence store use cases: take a stream, hash it on the fly into staging (or adopt a finished
// resumable upload in place), commit it under its SHA-256 (once, however often it is uploaded), record
// it and commit it to the ledger in one transaction (R-R05: handed over for storage right after the activity, unalterable; R-R01: traced).
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../platform/actor.ts';
import { recordChange } from '../platform/changes.ts';
import { actorAudit, audit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { BlobHasher, FsBlobStorage, type BlobDigests, type BlobStorage } from './storage.ts';

export interface EvidenceConfig {
  /** EVIDENCE_MAX_BYTES (default 4 GiB). */
  maxBytes: number;
  /** EVIDENCE_TYPES: comma-separated media types, `type/*` allowed. */
  allowedTypes: string[];
  /** SM3 alongside SHA-256 (EVIDENCE_SM3=1, or 国密 on via LEDGER_SM2=1). */
  sm3: boolean;
  /** EVIDENCE_UPLOAD_TTL_HOURS (default 7 days): unfinished resumable uploads older than this are removed. */
  uploadTtlMs: number;
}

/**
 * What officers record (R-R02 text records, R-R03/R-R04 audio and video): photos, video from body
 * cameras and recorders, audio, scanned or electronic documents (PDF, OFD — GB/T 33190), office files.
 * Never HTML, scripts or executables: a download must not be able to run in anyone's browser.
 */
export const DEFAULT_EVIDENCE_TYPES = [
  'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/tiff', 'image/gif', 'image/bmp',
  'video/mp4', 'video/quicktime', 'video/x-msvideo', 'video/x-matroska', 'video/webm', 'video/mpeg', 'video/mp2t', 'video/3gpp',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/wav', 'audio/x-wav', 'audio/amr', 'audio/ogg', 'audio/flac',
  'application/pdf', 'application/ofd', 'text/plain',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip', 'application/octet-stream',
];

export function loadEvidenceConfig(env: NodeJS.ProcessEnv = process.env): EvidenceConfig {
  const max = Number(env.EVIDENCE_MAX_BYTES);
  const ttlHours = Number(env.EVIDENCE_UPLOAD_TTL_HOURS);
  const types = (env.EVIDENCE_TYPES ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return {
    maxBytes: Number.isSafeInteger(max) && max > 0 ? max : 4 * 1024 ** 3,
    allowedTypes: types.length ? types : DEFAULT_EVIDENCE_TYPES,
    sm3: env.EVIDENCE_SM3 === '1' || env.LEDGER_SM2 === '1',
    uploadTtlMs: (Number.isFinite(ttlHours) && ttlHours > 0 ? ttlHours : 7 * 24) * 3600 * 1000,
  };
}

const storages = new Map<string, BlobStorage>();

/** The evidence storage of this installation: `<DATA_DIR>/evidence` on the filesystem. */
export function evidenceStorage(ctx: Pick<AppContext, 'config'>): BlobStorage {
  const root = path.join(ctx.config.dataDir, 'evidence');
  let s = storages.get(root);
  if (!s) storages.set(root, (s = new FsBlobStorage(root)));
  return s;
}

export function normaliseMediaType(raw: string | undefined): string {
  return (raw ?? '').split(';')[0]!.trim().toLowerCase();
}

export function mediaTypeAllowed(type: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
}

const formatBytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);

export interface UploadInput {
  body: Readable | AsyncIterable<Uint8Array>;
  mediaType: string;
  filename?: string | null;
  /** Content-Length when the client sent one: refused early when too large, checked at the end. */
  declaredLength?: number;
}

export interface StoredEvidence {
  sha256: string;
  sm3?: string;
  size: number;
  mediaType: string;
  /** False when the same bytes were already stored: the upload is recorded, the file kept once. */
  created: boolean;
}

/** A client-given file name (already decoded): kept for the record, so no control characters or paths. */
export function checkFilename(name: string): string {
  if (name.length > 255 || /[\u0000-\u001f/\\]/.test(name)) throw new AppError('validation', { detail: '文件名过长或含有不允许的字符。' });
  return name;
}

/** Refusals that need no byte of the body (the route sends them before reading it). */
export function checkUploadHeaders(cfg: EvidenceConfig, mediaType: string, declaredLength?: number): void {
  if (!mediaType) throw new AppError('validation', { detail: '请在 X-Media-Type 请求头中说明文件类型。', errors: [{ field: 'X-Media-Type', message: '缺少文件类型' }] });
  if (!mediaTypeAllowed(mediaType, cfg.allowedTypes)) {
    throw new AppError('unsupported_media_type', { detail: `不接受的证据文件类型：${mediaType}。允许：图片、音视频、PDF/OFD、文本与办公文档。` });
  }
  if (declaredLength !== undefined && declaredLength > cfg.maxBytes) {
    throw new AppError('payload_too_large', { detail: `文件大小 ${formatBytes(declaredLength)} 超过上限 ${formatBytes(cfg.maxBytes)}。` });
  }
}

/**
 * A domain taking a stored file in (R-R06): from then on it is read only through that domain, never by
 * its hash. The agency must have handed these bytes in itself (`agencyId`: the agency the file will
 * belong to), so that a hash seen in the public ledger cannot be attached to reach another agency's file.
 */
export interface AttachTo {
  agencyId: string;
  /** The user attaching it; null for a token or the platform. */
  by: string | null;
  purpose: 'record' | 'document' | 'complaint' | 'correction';
}

/**
 * Attaches a stored file in the caller's transaction. Null when the agency never uploaded these bytes
 * (or nothing is stored under the hash): the caller refuses, without saying which.
 */
export async function claimBlob(tx: Queryable, sha256: string, to: AttachTo): Promise<{ size: number; mediaType: string; uploadedAt: Date } | null> {
  // uploadedAt: the agency's first hand-in of these bytes, when they reached storage (R-R05 hand-over).
  const { rows } = await tx.query<{ size: number; media_type: string; uploaded_at: Date | null }>(
    `SELECT b.size, b.media_type, (SELECT min(u.created_at) FROM blob_uploads u WHERE u.sha256 = b.sha256 AND u.agency_id = $2) AS uploaded_at FROM blobs b WHERE b.sha256 = $1`,
    [sha256, to.agencyId],
  );
  const r = rows[0];
  if (!r?.uploaded_at) return null;
  await insertAttachment(tx, sha256, to);
  return { size: Number(r.size), mediaType: r.media_type, uploadedAt: new Date(r.uploaded_at) };
}

async function insertAttachment(tx: Queryable, sha256: string, to: AttachTo): Promise<void> {
  await tx.query(`INSERT INTO blob_attachments (sha256, agency_id, attached_by, purpose) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [sha256, to.agencyId, to.by, to.purpose]);
}

export async function storeEvidence(
  ctx: Pick<AppContext, 'db' | 'config' | 'log'>,
  actor: Actor,
  input: UploadInput,
  opts: { storage?: BlobStorage; config?: EvidenceConfig; attach?: AttachTo } = {},
): Promise<StoredEvidence> {
  const cfg = opts.config ?? loadEvidenceConfig();
  const storage = opts.storage ?? evidenceStorage(ctx);
  const mediaType = normaliseMediaType(input.mediaType);
  checkUploadHeaders(cfg, mediaType, input.declaredLength);

  const hasher = new BlobHasher({ sm3: cfg.sm3 });
  const staged = await storage.stage();
  try {
    // Never the whole file in memory: each chunk is hashed and written, then let go.
    await pipeline(
      input.body,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          if (hasher.size + chunk.length > cfg.maxBytes) throw new AppError('payload_too_large', { detail: `文件超过上限 ${formatBytes(cfg.maxBytes)}，已停止接收。` });
          hasher.update(chunk);
          yield chunk;
        }
      },
      staged.sink,
    );
  } catch (err) {
    await staged.discard();
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || (err as Error).message === 'aborted') {
      throw new AppError('bad_request', { detail: '上传中断，未保存任何内容。' });
    }
    throw err;
  }

  const digests = hasher.digest();
  try {
    return await commitEvidence(ctx, actor, cfg, { ...digests, mediaType, filename: input.filename, declaredLength: input.declaredLength }, () => staged.commit(digests.sha256), opts.attach);
  } catch (err) {
    // Refused (or the commit failed): the staged bytes go. Once committed, this is a no-op.
    await staged.discard();
    throw err;
  }
}

export interface EvidenceBlob extends BlobDigests {
  mediaType: string;
  filename?: string | null;
  /** The length the client announced (Content-Length, Upload-Length): the bytes must match it. */
  declaredLength?: number;
}

/**
 * What every way into the store does once the bytes are hashed — a streamed POST (storeEvidence) and a
 * finished resumable upload (resumable.ts) — so that the two cannot drift apart: the refusals that need
 * the whole file, then `commit` (which makes the bytes durable and visible under their SHA-256: a
 * staged file's commit, or an adopted upload's rename), then the blob row, its `blobs.stored` event
 * and ledger entry (R-R05, R-R01) and the submission, in one transaction. Nothing is recorded before
 * the bytes are stored; a crash in between leaves a stored, unrecorded blob that the next submission
 * of the same bytes records. `attach`: a file the platform makes for a domain (a final document's PDF)
 * is attached in the same transaction, so it is never readable by its hash, not even for a moment.
 */
export async function commitEvidence(ctx: Pick<AppContext, 'db'>, actor: Actor, cfg: EvidenceConfig, blob: EvidenceBlob, commit: () => Promise<unknown>, attach?: AttachTo): Promise<StoredEvidence> {
  const { sha256, sm3: sm3Hex, size } = blob;
  const mediaType = normaliseMediaType(blob.mediaType);
  if (blob.declaredLength !== undefined && size !== blob.declaredLength) {
    throw new AppError('bad_request', { detail: `上传不完整：声明 ${blob.declaredLength} 字节，收到 ${size} 字节。` });
  }
  if (size === 0) throw new AppError('validation', { detail: '不能上传空文件。' });
  checkUploadHeaders(cfg, mediaType, size);

  await commit();

  // users.id is a uuid; an API token's id is not a user, so it has a column of its own.
  const userId = actor.kind === 'user' ? actor.id : null;
  const tokenId = actor.kind === 'token' ? actor.id : null;
  const created = await ctx.db.transaction(async (tx) => {
    // Two uploads of the same bytes at once: one records the blob, the other sees it stored.
    await tx.query('SELECT pg_advisory_xact_lock(727020, hashtext($1))', [sha256]);
    const existing = await tx.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = $1', [sha256]);
    const isNew = existing.rows.length === 0;
    if (isNew) {
      const { eventId } = await recordChange(tx, {
        kind: 'blobs.stored',
        agencyId: actor.agencyId || null,
        subjectType: 'blob',
        subjectId: sha256,
        actorId: userId,
        // The file's own hash goes into the log unsalted: whoever holds the file can find it (/ledger/verify).
        publicDigest: sha256,
        data: { sha256, size, mediaType, uploader: actor.id, uploaderKind: actor.kind, ...(sm3Hex ? { sm3: sm3Hex } : {}) },
      });
      await tx.query(
        'INSERT INTO blobs (sha256, sm3, size, media_type, stored_by, agency_id, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [sha256, sm3Hex ?? null, size, mediaType, userId, actor.agencyId || null, eventId],
      );
    } else if (Number(existing.rows[0]!.size) !== size) {
      throw new AppError('internal', { detail: '同一 SHA-256 对应了不同大小的文件，请联系管理员。' });
    }
    await tx.query(
      'INSERT INTO blob_uploads (sha256, filename, media_type, uploaded_by, token_id, agency_id, duplicate) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [sha256, blob.filename ?? null, mediaType, userId, tokenId, actor.agencyId || null, !isNew],
    );
    if (attach) await insertAttachment(tx, sha256, attach);
    return isNew;
  });
  return { sha256, ...(sm3Hex ? { sm3: sm3Hex } : {}), size, mediaType, created };
}

export interface EvidenceInfo {
  sha256: string;
  sm3: string | null;
  size: number;
  mediaType: string;
  filename: string | null;
  createdAt: string;
}

/**
 * A stored file by its hash, for the one who may read it that way (R-R06, R-R05): the caller's own
 * upload (this user, or this API token) while no domain has taken it in. Attached files are read
 * through their case; anything else answers 404 like a missing file and the refusal is audited, so
 * that a hash (public in the ledger) reveals nothing and opens nothing.
 */
export async function readableEvidence(ctx: Pick<AppContext, 'db'>, req: FastifyRequest | null, actor: Actor, sha256: string, action: string): Promise<EvidenceInfo> {
  const { rows } = await ctx.db.query<{ sha256: string; sm3: string | null; size: number; media_type: string; created_at: Date | string; filename: string | null }>(
    `SELECT b.sha256, b.sm3, b.size, b.media_type, b.created_at, u.filename
       FROM blobs b JOIN blob_uploads u ON u.sha256 = b.sha256
      WHERE b.sha256 = $1 AND (u.uploaded_by = $2 OR u.token_id = $3)
        AND NOT EXISTS (SELECT 1 FROM blob_attachments a WHERE a.sha256 = b.sha256)
      ORDER BY u.id LIMIT 1`,
    [sha256, actor.kind === 'user' ? actor.id : null, actor.kind === 'token' ? actor.id : null],
  );
  const r = rows[0];
  if (!r) {
    await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { sha256, reason: 'not_own_unattached_upload' } });
    throw new AppError('not_found', { detail: '该证据文件不存在或无权按摘要读取；已登记到案件的文件请在案件中调阅。' });
  }
  return { sha256: r.sha256, sm3: r.sm3, size: Number(r.size), mediaType: r.media_type, filename: r.filename, createdAt: new Date(r.created_at).toISOString() };
}

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * RFC 9110 §14.1.2 single byte ranges: `bytes=a-b`, `bytes=a-`, `bytes=-n` (what video players
 * send when seeking). Several ranges or a malformed header are ignored (the whole file is sent),
 * which the RFC allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
