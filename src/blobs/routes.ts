// Evidence upload and download. Uploads stream (application/octet-stream, never buffered); downloads
// honour HTTP ranges so that video evidence can be sought. Storage knows no domain: by its hash a file
// is read only by its own uploader until a domain takes it in (R-R06); from then on it is read through
// that domain (a case's record, document or archive routes), where its rules and access log apply.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { actorAudit, audit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { registerResumableUploadRoutes } from './resumable.ts';
import { checkFilename, checkUploadHeaders, evidenceStorage, loadEvidenceConfig, normaliseMediaType, parseRange, readableEvidence, storeEvidence } from './service.ts';

const TAGS = ['证据：内容寻址存储'];
const Sha256Params = z.object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制的 SHA-256').transform((s) => s.toLowerCase()) });
const StoredResponse = z.object({ sha256: z.string(), sm3: z.string().optional(), size: z.number(), mediaType: z.string(), created: z.boolean() });

function decodeFilename(raw: string | string[] | undefined): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new AppError('validation', { detail: 'X-Filename 应为 UTF-8 百分号编码（encodeURIComponent）的文件名。' });
  }
  return checkFilename(name);
}

function contentDisposition(filename: string | null, sha256: string): string {
  const name = filename ?? sha256;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function registerBlobRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const storage = evidenceStorage(ctx);
  // Staging files of a process killed mid-upload are invisible; clear them at start. With PGlite this
  // process owns DATA_DIR alone, so all of them go; app processes sharing a store on PostgreSQL may
  // be uploading right now, so there only day-old ones.
  const maxAge = ctx.db.engine === 'pglite' ? 0 : 24 * 3600 * 1000;
  void storage.sweep(maxAge).catch((err: unknown) => ctx.log.warn({ err }, '清理未完成的证据上传临时文件失败'));

  await app.register(async (scoped) => {
    // The body reaches the handler as the raw stream: hashed and written to disk as it arrives.
    scoped.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    addRoute(scoped, ctx, {
      method: 'POST',
      url: '/api/v1/evidence',
      summary: '上传证据文件（请求体为文件本身；X-Media-Type 为文件类型，X-Filename 为百分号编码的文件名）',
      tags: TAGS,
      access: 'user',
      scope: 'evidence:write',
      status: 201,
      response: StoredResponse,
      handler: async ({ req, reply, actor }) => {
        try {
          if (normaliseMediaType(req.headers['content-type']) !== 'application/octet-stream') {
            throw new AppError('unsupported_media_type', { detail: '请以 application/octet-stream 上传文件本身。' });
          }
          const cfg = loadEvidenceConfig();
          const mediaType = normaliseMediaType(req.headers['x-media-type'] as string | undefined);
          const lengthHeader = req.headers['content-length'];
          const declaredLength = lengthHeader !== undefined ? Number(lengthHeader) : undefined;
          checkUploadHeaders(cfg, mediaType, declaredLength);
          const stored = await storeEvidence(ctx, actor!, { body: req.body as Readable, mediaType, filename: decodeFilename(req.headers['x-filename']), declaredLength }, { storage, config: cfg });
          return reply.code(stored.created ? 201 : 200).send(stored);
        } catch (err) {
          // The client may still be sending gigabytes: close the connection rather than read them.
          reply.header('connection', 'close');
          throw err;
        }
      },
    });
  });

  // Large files (videos): resumable tus uploads, adopted by the store and recorded by the same commitEvidence.
  await registerResumableUploadRoutes(app, ctx, storage);

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/evidence/:sha256',
    summary: '下载本人上传、尚未登记到案件的证据文件（支持 Range 请求）；已登记的文件请在案件中调阅',
    tags: TAGS,
    access: 'user',
    scope: 'evidence:read',
    params: Sha256Params,
    handler: async ({ params, req, reply, actor }) => {
      const info = await readableEvidence(ctx, req, actor!, params.sha256, 'evidence.download');
      const stat = await storage.stat(info.sha256);
      if (!stat || stat.size !== info.size) {
        ctx.log.error({ sha256: info.sha256, expected: info.size, found: stat?.size ?? null }, '证据文件缺失或大小不符');
        throw new AppError('internal', { detail: '证据文件在存储中缺失或已损坏，请联系管理员。' });
      }
      const etag = `"${info.sha256}"`;
      reply
        .header('accept-ranges', 'bytes')
        .header('etag', etag)
        // Content-addressed, so it never changes; private because it needs a login.
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('content-disposition', contentDisposition(info.filename, info.sha256))
        .header('repr-digest', `sha-256=:${Buffer.from(info.sha256, 'hex').toString('base64')}:`)
        .type(info.mediaType);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const ifRange = req.headers['if-range'];
      const range = ifRange && ifRange !== etag ? { kind: 'full' as const } : parseRange(req.headers.range, info.size);
      if (range.kind === 'unsatisfiable') {
        return reply
          .code(416)
          .header('content-range', `bytes */${info.size}`)
          .type('application/problem+json; charset=utf-8')
          .send(new AppError('range_not_satisfiable', { detail: `文件共 ${info.size} 字节。` }).toProblem(req.url));
      }
      // R-R06: access to evidence is supervised — each viewing is audited (not each seek).
      if (range.kind === 'full' || range.start === 0) {
        await audit(ctx.db, req, { action: 'evidence.download', outcome: 'success', ...actorAudit(actor), detail: { sha256: info.sha256, range: req.headers.range ?? null } });
      }
      if (range.kind === 'partial') {
        return reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${info.size}`)
          .header('content-length', String(range.end - range.start + 1))
          .send(storage.read(info.sha256, range));
      }
      return reply.code(200).header('content-length', String(info.size)).send(storage.read(info.sha256));
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/evidence/:sha256/info',
    summary: '本人上传、尚未登记到案件的证据文件的元数据（大小、类型、摘要）',
    tags: TAGS,
    access: 'user',
    scope: 'evidence:read',
    params: Sha256Params,
    handler: async ({ params, req, actor }) => readableEvidence(ctx, req, actor!, params.sha256, 'evidence.info'),
  });
}
