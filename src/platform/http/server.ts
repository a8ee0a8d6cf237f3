// HTTP wiring: request ids, problem+json errors, content-type rules, health, OpenAPI, and the
// routes of every domain. Domains register themselves in src/routes.ts.
import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { AppError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { openApiDocument } from './route.ts';

export async function buildServer(ctx: AppContext, register: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === '1',
  });
  await app.register(cookie);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (ctx.demo) reply.header('x-sanxiang-demo', '1');
  });

  // Writes accept JSON; file imports use multipart and register their own parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '' || body === undefined) return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError('bad_request', { detail: '请求体不是合法的 JSON。' }), undefined);
    }
  });
  app.addContentTypeParser('*', (req, _payload, done) => {
    done(new AppError('unsupported_media_type', { detail: `不支持的内容类型：${req.headers['content-type'] ?? '(未声明)'}；请使用 application/json。` }), undefined);
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') appErr = new AppError('payload_too_large', { detail: '请求体超过允许的大小。' });
    else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') appErr = new AppError('unsupported_media_type');
    else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) appErr = new AppError('bad_request', { detail: '请求格式不正确。' });
    else {
      req.log.error({ err }, 'unhandled error');
      appErr = new AppError('internal', { detail: '服务器内部错误，请稍后重试；如持续出现请联系管理员并提供请求编号。' });
    }
    if (appErr.status >= 500 && err instanceof AppError) req.log.error({ err }, 'server error');
    reply.code(appErr.status).type('application/problem+json; charset=utf-8').send({ ...appErr.toProblem(req.url), requestId: req.id });
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError('not_found', { detail: `没有这个地址：${req.method} ${req.url.split('?')[0]}` });
    reply.code(404).type('application/problem+json; charset=utf-8').send({ ...e.toProblem(req.url), requestId: req.id });
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await ctx.db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      reply.code(503);
      return { status: 'unavailable' };
    }
  });

  await register(app);
  app.get('/api/v1/openapi.json', async () => openApiDocument(ctx.config.publicUrl));
  return app;
}
