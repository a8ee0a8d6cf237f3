// Resumable evidence uploads: the tus 1.0 protocol (core, creation, termination, expiration) under
// /api/v1/evidence/uploads, served by @tus/server with its FileStore. A 2 GB body-camera video that
// loses its connection resumes from the last acknowledged byte instead of from zero (R-R05: instant
// upload of AV records, R-R03/R-R04 make them large).
//
// Fastify does what is ours before the library sees a request: who is asking (ctx.authenticate, the
// same check addRoute runs: session + CSRF or a token with evidence:write), whether the upload is
// theirs (another user's id answers 404), and the creation refusals (size, type) as Chinese
// problem+json. The library answers the protocol; its plain-text errors are turned into problem+json.
// A finished upload is adopted by the store (hashed in place, renamed — not copied) and recorded by the
// same commitEvidence as a direct POST: refusals, dedup, blob row, ledger.
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FileStore } from '@tus/file-store';
import { Metadata, Server as TusServer, type Upload } from '@tus/server';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import { z } from 'zod';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, ERROR_CODES, type ErrorCode } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import { checkFilename, checkUploadHeaders, commitEvidence, loadEvidenceConfig, normaliseMediaType, type StoredEvidence } from './service.ts';
import type { BlobStorage } from './storage.ts';

export const UPLOADS_PATH = '/api/v1/evidence/uploads';
const TAGS = ['证据：断点续传（tus 1.0）'];
const ID = /^[0-9a-f]{32}$/;
const IdParams = z.object({ id: z.string().regex(ID, '上传编号应为 32 位十六进制') });
const StoredResponse = z.object({ sha256: z.string(), sm3: z.string().optional(), size: z.number(), mediaType: z.string(), created: z.boolean() });

/** Who an upload belongs to: an API token is not a user, so the kind is part of the key. */
const ownerKey = (actor: Actor) => `${actor.kind}:${actor.id}`;

interface Finished extends StoredEvidence {
  owner: string;
}

/** `done/<id>.adopt.json`: written (durably) just before a finished upload's file is renamed into the store. */
interface Intent {
  owner: string;
  blob: { sha256: string; sm3?: string; size: number; mediaType: string; filename: string | null };
}

async function fsyncPath(p: string, flags = 'r'): Promise<void> {
  const fh = await fsp.open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * FileStore answers Upload-Offset from the file's size, so an acknowledged offset is what is on disk
 * after a kill -9. It does not fsync; this does, before the offset is acknowledged, so that a power
 * loss cannot take back bytes the client was told are safe (and then skip over them on resume).
 */
class DurableFileStore extends FileStore {
  override async create(upload: Upload): Promise<Upload> {
    const created = await super.create(upload);
    await fsyncPath(this.directory);
    return created;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    try {
      return await super.write(readable, id, offset);
    } finally {
      // Also after an interrupted PATCH: whatever reached the file counts towards the next offset.
      await fsyncPath(path.join(this.directory, id), 'r+').catch(() => undefined);
    }
  }
}

/** Layout under `<DATA_DIR>/evidence` beside FsBlobStorage's `sha256/` and `tmp/`. */
function uploadDirs(ctx: Pick<AppContext, 'config'>) {
  const root = path.join(ctx.config.dataDir, 'evidence', 'uploads');
  // parts/: tus data files `<id>` and their `<id>.json`; done/: `<id>.json`, the result of an ingested upload.
  return { parts: path.join(root, 'parts'), done: path.join(root, 'done') };
}

/**
 * Removes unfinished uploads (by creation time, as the tus expiration extension advertises in
 * Upload-Expires), results nobody fetched, and orphans older than `maxAgeMs`. Returns how many uploads
 * were removed. Never touches the evidence store itself.
 */
export async function sweepUploads(ctx: Pick<AppContext, 'config'>, maxAgeMs: number): Promise<number> {
  const { parts, done } = uploadDirs(ctx);
  const cutoff = Date.now() - maxAgeMs;
  let removed = 0;
  const names = await fsp.readdir(parts).catch(() => [] as string[]);
  for (const name of names) {
    const p = path.join(parts, name);
    if (name.endsWith('.json')) {
      const id = name.slice(0, -5);
      const info = await fsp.readFile(p, 'utf8').then((s) => JSON.parse(s) as { creation_date?: string }, () => null);
      const created = info?.creation_date ? Date.parse(info.creation_date) : (await fsp.stat(p).catch(() => null))?.mtimeMs ?? 0;
      if (created <= cutoff) {
        await fsp.rm(path.join(parts, id), { force: true });
        await fsp.rm(p, { force: true });
        removed++;
      }
    } else if (!names.includes(`${name}.json`)) {
      // Data without its description (crash between the two writes of a creation).
      const s = await fsp.stat(p).catch(() => null);
      if (s && s.mtimeMs <= cutoff) await fsp.rm(p, { force: true });
    }
  }
  for (const name of await fsp.readdir(done).catch(() => [] as string[])) {
    const p = path.join(done, name);
    const s = await fsp.stat(p).catch(() => null);
    if (s && s.mtimeMs <= cutoff) await fsp.rm(p, { force: true });
  }
  return removed;
}

const TUS_DETAIL: Record<number, [ErrorCode, string]> = {
  400: ['bad_request', '上传请求不合法。'],
  403: ['bad_request', '缺少 Upload-Offset 或 Content-Type 请求头。'],
  404: ['not_found', '该上传不存在、已过期或无权查看，请重新上传。'],
  409: ['conflict', '续传位置（Upload-Offset）与服务器已收到的字节数不一致：请先用 HEAD 查询已收到的字节数再续传。'],
  410: ['not_found', '该上传已过期并被清理，请重新上传。'],
  412: ['bad_request', '缺少或不支持的 Tus-Resumable 请求头（应为 1.0.0）。'],
  413: ['payload_too_large', '上传的数据超过了声明的文件大小或上限。'],
};

/** The library's plain-text errors, as the problem+json (Chinese) every other route answers. */
async function problemFromTus(res: Response, req: FastifyRequest): Promise<Response> {
  const text = await res.text();
  const headers = new Headers(res.headers);
  headers.set('content-type', 'application/problem+json; charset=utf-8');
  headers.delete('content-length');
  if (text.startsWith('{"type":"urn:sanxiang:problem:')) return new Response(text, { status: res.status, headers });
  let [code, detail] = TUS_DETAIL[res.status] ?? (res.status >= 500 ? ['internal', '服务器处理上传时出错，已收到的部分会保留，可稍后续传；如持续出现请联系管理员并提供请求编号。'] : ['bad_request', '上传请求无法处理。']);
  if (res.status === 400 && /aborted/i.test(text)) detail = '上传中断（连接断开，或同一文件有另一请求正在续传）；已收到的部分会保留，可续传。';
  else if (res.status === 400 && /^Invalid /.test(text)) detail = `请求头不合法：${text.slice(8).trim()}。`;
  else if (res.status === 400 && /Upload-Metadata/.test(text)) detail = 'Upload-Metadata 格式不正确（键 + 空格 + Base64 值，逗号分隔）。';
  req.log.info({ status: res.status, tus: text.trim() }, 'tus refusal');
  const problem = { type: `urn:sanxiang:problem:${code}`, title: ERROR_CODES[code].title, status: res.status, detail, instance: req.url, requestId: req.id };
  return new Response(JSON.stringify(problem), { status: res.status, headers });
}

function appErrorBody(err: AppError, req: FastifyRequest): { status_code: number; body: string } {
  return { status_code: err.status, body: JSON.stringify({ ...err.toProblem(req.url), requestId: req.id }) };
}

export async function registerResumableUploadRoutes(app: FastifyInstance, ctx: AppContext, storage: BlobStorage): Promise<void> {
  const dirs = uploadDirs(ctx);
  await fsp.mkdir(dirs.parts, { recursive: true });
  await fsp.mkdir(dirs.done, { recursive: true });
  // Partial uploads older than EVIDENCE_UPLOAD_TTL_HOURS (default 7 days) go at start; they were never
  // visible in the evidence store, so nothing recorded is lost.
  void sweepUploads(ctx, loadEvidenceConfig().uploadTtlMs)
    .then((n) => n && ctx.log.info({ removed: n }, '已清理过期的未完成上传'))
    .catch((err: unknown) => ctx.log.warn({ err }, '清理过期的未完成上传失败'));

  // The actor resolved by Fastify, for the library's hooks (keyed by the Node request object).
  const actors = new WeakMap<IncomingMessage, { actor: Actor; req: FastifyRequest }>();
  const nodeReq = (r: Request) => (r as unknown as { runtime?: { node?: { req: IncomingMessage } } }).runtime?.node?.req;

  const datastore = new DurableFileStore({ directory: dirs.parts, expirationPeriodInMilliseconds: loadEvidenceConfig().uploadTtlMs });
  const ingesting = new Map<string, Promise<Finished>>();

  const intentPath = (id: string) => path.join(dirs.done, `${id}.adopt.json`);
  const readIntent = (id: string) => fsp.readFile(intentPath(id), 'utf8').then((s) => JSON.parse(s) as Intent, () => null);
  const exists = (p: string) => fsp.stat(p).then(() => true, () => false);

  /**
   * A complete upload into the evidence store, once: the parts file itself is renamed under its
   * SHA-256 (no second copy of a 2 GB video), through the same commitEvidence as POST /api/v1/evidence
   * (refusals, dedup, blob row, ledger). Before the rename the digests go durably to `<id>.adopt.json`:
   * a kill -9 after the rename (the parts file gone) finishes from there on the next HEAD or result;
   * before it, the complete parts file is still there and the whole ingest is redone.
   */
  function ingest(id: string, actor: Actor): Promise<Finished> {
    let p = ingesting.get(id);
    if (!p) {
      p = (async () => {
        const cfg = loadEvidenceConfig();
        const data = path.join(dirs.parts, id);
        const saved = await readIntent(id);
        let stored: StoredEvidence;
        let owner: string;
        if (saved && !(await exists(data))) {
          // Renamed into the store (or dropped as a duplicate of a stored blob) before a crash: the record is what is left.
          owner = saved.owner;
          stored = await commitEvidence(ctx, actor, cfg, { ...saved.blob, declaredLength: saved.blob.size }, async () => {
            const s = await storage.stat(saved.blob.sha256);
            if (s?.size !== saved.blob.size) throw new Error(`upload ${id}: blob ${saved.blob.sha256} missing from the store after adoption`);
          });
        } else {
          const upload = await datastore.getUpload(id);
          if (upload.size === undefined || upload.offset !== upload.size) throw new AppError('invalid_state', { detail: `上传尚未完成：已收到 ${upload.offset} / ${upload.size ?? '?'} 字节。` });
          const meta = upload.metadata ?? {};
          owner = meta.owner ?? ownerKey(actor);
          const adopted = await storage.adopt(data, { sm3: cfg.sm3 });
          const { commit, ...digests } = adopted;
          const blob = { ...digests, mediaType: meta.filetype ?? '', filename: meta.filename ?? null };
          stored = await commitEvidence(ctx, actor, cfg, { ...blob, declaredLength: upload.size }, async () => {
            const intent: Intent = { owner, blob };
            const tmp = `${intentPath(id)}.tmp`;
            await fsp.writeFile(tmp, JSON.stringify(intent), { mode: 0o600 });
            await fsyncPath(tmp);
            await fsp.rename(tmp, intentPath(id));
            await fsyncPath(dirs.done);
            await commit();
          });
        }
        const finished: Finished = { ...stored, owner };
        // The result first (durably), then the intent and the upload's description: a crash in between
        // leaves a result (answered from) and leftovers the sweep removes; the evidence is committed.
        const tmp = path.join(dirs.done, `${id}.json.tmp`);
        await fsp.writeFile(tmp, JSON.stringify(finished), { mode: 0o600 });
        await fsyncPath(tmp);
        await fsp.rename(tmp, path.join(dirs.done, `${id}.json`));
        await fsyncPath(dirs.done);
        await fsp.rm(intentPath(id), { force: true });
        await fsp.rm(data, { force: true });
        await fsp.rm(path.join(dirs.parts, `${id}.json`), { force: true });
        return finished;
      })().finally(() => ingesting.delete(id));
      ingesting.set(id, p);
    }
    return p;
  }

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore,
    relativeLocation: true,
    // Same origin only: no Access-Control-Allow-Origin for anyone (the library defaults to `*`).
    allowedOrigins: [],
    exposedHeaders: ['X-Evidence-Sha256'],
    maxSize: () => loadEvidenceConfig().maxBytes,
    // A complete upload is being (or has been) stored as evidence: not to be withdrawn (R-R05).
    disableTerminationForFinishedUploads: true,
    namingFunction: () => crypto.randomBytes(16).toString('hex'),
    async onUploadCreate(req, upload) {
      const who = actors.get(nodeReq(req)!);
      if (!who) throw { status_code: 401, body: JSON.stringify(new AppError('unauthenticated').toProblem()) };
      const meta = upload.metadata ?? {};
      // The owner is set here, never taken from the client's metadata.
      return { metadata: { filename: meta.filename ?? null, filetype: normaliseMediaType(meta.filetype ?? undefined), owner: ownerKey(who.actor) } };
    },
    async onUploadFinish(req, upload) {
      const who = actors.get(nodeReq(req)!)!;
      try {
        const done = await ingest(upload.id, who.actor);
        return { headers: { 'X-Evidence-Sha256': done.sha256 } };
      } catch (err) {
        if (err instanceof AppError) throw appErrorBody(err, who.req);
        who.req.log.error({ err }, '断点续传完成后存证失败');
        throw appErrorBody(new AppError('internal', { detail: '文件已全部收到，但存证失败；请稍后查询上传结果重试，如持续出现请联系管理员。' }), who.req);
      }
    },
  });

  /** Hands the request to the library and answers for it (problem+json on refusals). */
  async function passToTus(req: FastifyRequest, reply: FastifyReply, actor: Actor | null): Promise<void> {
    if (actor) actors.set(req.raw, { actor, req });
    reply.hijack();
    const raw = reply.raw;
    raw.setHeader('x-request-id', req.id);
    raw.setHeader('x-content-type-options', 'nosniff');
    let res: Response;
    try {
      res = await tus.handleWeb(new NodeRequest({ req: req.raw, res: raw }) as unknown as Request);
      if (res.status >= 400) res = await problemFromTus(res, req);
    } catch (err) {
      req.log.error({ err }, 'tus handler failed');
      res = await problemFromTus(new Response('', { status: 500 }), req);
    }
    await sendNodeResponse(raw, res);
  }

  // adopted: the file is in the evidence store (its intent says so), the record not yet written (crash).
  type Owned = { state: 'done'; result: Finished } | { state: 'adopted' } | { state: 'open'; upload: Upload };

  /** The upload if it is this actor's; anyone else's, unknown or expired: 404, existence not revealed. */
  async function owned(id: string, actor: Actor): Promise<Owned> {
    const notFound = () => new AppError('not_found', { detail: '该上传不存在、已过期或无权查看。' });
    const result = await fsp.readFile(path.join(dirs.done, `${id}.json`), 'utf8').then((s) => JSON.parse(s) as Finished, () => null);
    if (result) {
      if (result.owner !== ownerKey(actor)) throw notFound();
      return { state: 'done', result };
    }
    const intent = await readIntent(id);
    if (intent && !(await exists(path.join(dirs.parts, id)))) {
      if (intent.owner !== ownerKey(actor)) throw notFound();
      return { state: 'adopted' };
    }
    let upload: Upload;
    try {
      upload = await datastore.getUpload(id);
    } catch {
      throw notFound();
    }
    if (upload.metadata?.owner !== ownerKey(actor)) throw notFound();
    return { state: 'open', upload };
  }

  /** A complete upload whose ingest a crash or a lost response interrupted is finished on first sight. */
  async function resultOf(id: string, actor: Actor): Promise<Finished | null> {
    const o = await owned(id, actor);
    if (o.state === 'done') return o.result;
    if (o.state === 'adopted') return ingest(id, actor);
    if (o.upload.size !== undefined && o.upload.offset === o.upload.size) return ingest(id, actor);
    return null;
  }

  const publicResult = ({ owner: _owner, ...r }: Finished): StoredEvidence => r;

  await app.register(async (scoped) => {
    // PATCH bodies (and creation-with-upload) reach the library as the raw stream, never buffered.
    scoped.addContentTypeParser('application/offset+octet-stream', (_req, payload, done) => done(null, payload));

    addRoute(scoped, ctx, {
      method: 'POST',
      url: UPLOADS_PATH,
      summary: '创建断点续传上传（tus 1.0：Upload-Length 必填；Upload-Metadata 含 filename 与 filetype）',
      tags: TAGS,
      access: 'user',
      scope: 'evidence:write',
      status: 201,
      handler: async ({ req, reply, actor }) => {
        try {
          const lengthHeader = req.headers['upload-length'];
          if (req.headers['upload-defer-length'] !== undefined || req.headers['upload-concat'] !== undefined) {
            throw new AppError('bad_request', { detail: '不支持延后声明长度或并行分段上传：请在 Upload-Length 中给出文件大小。' });
          }
          if (typeof lengthHeader !== 'string' || !/^\d+$/.test(lengthHeader)) {
            throw new AppError('validation', { detail: '请在 Upload-Length 请求头中给出文件大小（字节）。', errors: [{ field: 'Upload-Length', message: '缺少或不是非负整数' }] });
          }
          const length = Number(lengthHeader);
          if (length === 0) throw new AppError('validation', { detail: '不能上传空文件。' });
          let meta: Record<string, string | null> = {};
          try {
            meta = Metadata.parse((req.headers['upload-metadata'] as string | undefined) ?? undefined) ?? {};
          } catch {
            throw new AppError('validation', { detail: 'Upload-Metadata 格式不正确（键 + 空格 + Base64 值，逗号分隔）。' });
          }
          const mediaType = normaliseMediaType(meta.filetype ?? undefined);
          if (!mediaType) throw new AppError('validation', { detail: '请在 Upload-Metadata 的 filetype 中说明文件类型。', errors: [{ field: 'Upload-Metadata.filetype', message: '缺少文件类型' }] });
          // Refused before any byte is accepted: types on the list only, and the size limit (R-R05 storage).
          checkUploadHeaders(loadEvidenceConfig(), mediaType, length);
          if (meta.filename) checkFilename(meta.filename);
        } catch (err) {
          // A creation-with-upload body may follow; do not read it.
          if (req.headers['content-length'] && req.headers['content-length'] !== '0') reply.header('connection', 'close');
          throw err;
        }
        await passToTus(req, reply, actor);
        return reply;
      },
    });

    // HEAD is not an addRoute method; the same authentication runs here (reads need no CSRF token).
    scoped.route({
      method: 'HEAD',
      url: `${UPLOADS_PATH}/:id`,
      handler: async (req, reply) => {
        const actor = (await ctx.authenticate(req, true, 'evidence:write'))!;
        const { id } = req.params as { id: string };
        if (!ID.test(id)) throw new AppError('not_found', { detail: '该上传不存在、已过期或无权查看。' });
        const done = await resultOf(id, actor);
        if (done) {
          // Complete and stored: tus clients see offset = length and finish; the digest rides along.
          return reply
            .code(200)
            .header('tus-resumable', '1.0.0')
            .header('cache-control', 'no-store')
            .header('upload-offset', String(done.size))
            .header('upload-length', String(done.size))
            .header('x-evidence-sha256', done.sha256)
            .send();
        }
        await passToTus(req, reply, actor);
        return reply;
      },
    });

    addRoute(scoped, ctx, {
      method: 'PATCH',
      url: `${UPLOADS_PATH}/:id`,
      summary: '续传一段数据（tus 1.0：Upload-Offset 为已收到的字节数，Content-Type: application/offset+octet-stream）',
      tags: TAGS,
      access: 'user',
      scope: 'evidence:write',
      params: IdParams,
      status: 204,
      handler: async ({ req, reply, actor, params }) => {
        try {
          const o = await owned(params.id, actor!);
          if (o.state !== 'open') throw new AppError('invalid_state', { detail: '该上传已完成并已存证。' });
        } catch (err) {
          reply.header('connection', 'close');
          throw err;
        }
        await passToTus(req, reply, actor);
        return reply;
      },
    });

    addRoute(scoped, ctx, {
      method: 'DELETE',
      url: `${UPLOADS_PATH}/:id`,
      summary: '放弃未完成的上传（tus termination），已收到的部分删除',
      tags: TAGS,
      access: 'user',
      scope: 'evidence:write',
      params: IdParams,
      status: 204,
      handler: async ({ req, reply, actor, params }) => {
        const o = await owned(params.id, actor!);
        // R-R05: what is stored stays stored; only the unfinished staging data can be dropped.
        if (o.state !== 'open' || ingesting.has(params.id)) throw new AppError('invalid_state', { detail: '该上传已完成并已存证，不能删除。' });
        await passToTus(req, reply, actor);
        return reply;
      },
    });

    addRoute(scoped, ctx, {
      method: 'GET',
      url: `${UPLOADS_PATH}/:id/result`,
      summary: '断点续传完成后的存证结果（与 POST /api/v1/evidence 的响应相同）',
      tags: TAGS,
      access: 'user',
      scope: 'evidence:write',
      params: IdParams,
      response: StoredResponse,
      handler: async ({ actor, params }) => {
        const done = await resultOf(params.id, actor!);
        if (!done) {
          const o = await owned(params.id, actor!);
          const u = o.state === 'open' ? o.upload : null;
          throw new AppError('invalid_state', { detail: `上传尚未完成：已收到 ${u?.offset ?? 0} / ${u?.size ?? '?'} 字节。` });
        }
        return publicResult(done);
      },
    });
  });
}
