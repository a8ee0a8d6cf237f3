// Public ledger HTTP (no login, R-R05: checkable by anyone): C2SP tlog-tiles resources under
// /ledger, JSON proofs under /api/v1/ledger, witness cosignatures, and the /ledger/verify page.
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { addRoute } from '../platform/http/route.ts';
import * as ledger from './service.ts';
import { parseTilePath } from './tiles.ts';
import { verifyPageHtml } from './verify-page.ts';

const TAGS = ['账本：公开可验证日志'];
const IMMUTABLE = 'public, max-age=31536000, immutable';
// Partial tiles are fixed for their width too, but may be dropped once the full tile exists.
const SHORT = 'public, max-age=60';

const count = (label: string) => z.coerce.number({ error: `${label}必须是整数` }).int(`${label}必须是整数`).min(0, `${label}不能为负`).max(Number.MAX_SAFE_INTEGER, `${label}过大`);

/** Anyone's tools may read the public log from any origin. */
function publicHeaders(reply: FastifyReply) {
  reply.header('access-control-allow-origin', '*');
}

function acceptsGzip(req: FastifyRequest): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/.test(ae);
}

export async function registerLedgerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/ledger/checkpoint', async (_req, reply) => {
    const { text } = await ledger.servedCheckpoint(ctx.db);
    publicHeaders(reply);
    // tlog-tiles: mutable, so no caching beyond a few seconds.
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(text);
  });

  app.get('/ledger/key', async (_req, reply) => {
    const identity = await ledger.logIdentity(ctx);
    publicHeaders(reply);
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=300').send(`${identity.verifierKey}\n`);
  });

  app.get('/ledger/key/sm2', async (_req, reply) => {
    const identity = await ledger.logIdentity(ctx);
    if (!identity.sm2VerifierKey) throw new AppError('not_found', { detail: '本日志未启用 SM2 签名（LEDGER_SM2）。' });
    publicHeaders(reply);
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=300').send(`${identity.sm2VerifierKey}\n`);
  });

  app.get('/ledger/tile/*', async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const coord = parseTilePath(`tile/${rest}`);
    if (!coord) throw new AppError('not_found', { detail: `不是 C2SP tlog-tiles 规定的瓦片路径：/ledger/tile/${rest}` });
    let body = await ledger.tileResource(ctx.db, coord);
    publicHeaders(reply);
    reply.type('application/octet-stream').header('cache-control', coord.width === 256 ? IMMUTABLE : SHORT);
    // tlog-tiles: entry bundles SHOULD be compressed at the HTTP layer.
    if (coord.level === 'entries') {
      reply.header('vary', 'accept-encoding');
      if (acceptsGzip(req)) {
        body = zlib.gzipSync(body);
        reply.header('content-encoding', 'gzip');
      }
    }
    return reply.send(body);
  });

  app.get('/ledger', async (_req, reply) => reply.redirect('/ledger/verify'));
  app.get('/ledger/verify', async (_req, reply) => {
    const identity = await ledger.logIdentity(ctx);
    const { html, nonce } = verifyPageHtml({ origin: identity.origin, verifierKey: identity.verifierKey });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'`)
      .send(html);
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/ledger/proof/inclusion',
    summary: '包含证明：第 index 条在大小为 size 的树中（RFC 9162 §2.1.3）',
    tags: TAGS,
    access: 'public',
    query: z.object({ index: count('序号 index'), size: count('树的大小 size').min(1, '树的大小 size 至少为 1') }),
    response: z.object({ index: z.number(), size: z.number(), leafHash: z.string(), proof: z.array(z.string()) }),
    handler: async ({ query, reply }) => {
      publicHeaders(reply);
      return ledger.inclusionProof(ctx.db, query.index, query.size);
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/ledger/proof/consistency',
    summary: '一致性证明：大小为 from 的树是大小为 to 的树的前缀（RFC 9162 §2.1.4）',
    tags: TAGS,
    access: 'public',
    query: z.object({ from: count('旧树大小 from'), to: count('新树大小 to') }),
    response: z.object({ from: z.number(), to: z.number(), proof: z.array(z.string()) }),
    handler: async ({ query, reply }) => {
      publicHeaders(reply);
      return ledger.consistencyProof(ctx.db, query.from, query.to);
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/ledger/entries/by-commitment/:hex',
    summary: '按承诺值或内容摘要（SHA-256 十六进制）查找账本条目',
    tags: TAGS,
    access: 'public',
    params: z.object({ hex: z.string().regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制的 SHA-256').transform((s) => s.toLowerCase()) }),
    handler: async ({ params, reply }) => {
      publicHeaders(reply);
      return ledger.entriesByDigest(ctx.db, params.hex);
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/ledger/cosignatures',
    summary: '见证者提交联署（C2SP tlog-cosignature）：本日志的检查点附上见证者的签名行',
    tags: TAGS,
    // Witnesses are not platform users: the cosignature is checked against LEDGER_WITNESSES instead.
    access: 'public',
    body: z.object({ note: z.string({ error: '缺少签名笔记 note' }).min(1, '签名笔记不能为空').max(64 * 1024, '签名笔记过长') }),
    handler: async ({ body }) => ledger.submitCosignature(ctx, body.note),
  });
}
