// HTTP wiring: request ids, problem+json errors, content-type rules, health, OpenAPI, and the
// routes of every domain. Domains register themselves in src/routes.ts.
import crypto from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import { AppError, type FieldError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { unsafeTextErrors } from '../validation.ts';
import { openApiDocument } from './route.ts';

/** Longer request targets are refused with 414 before routing; Node's own limit (16 KiB of head) answers 431. */
const MAX_URL_LENGTH = 8 * 1024;
/** The request headers some route reads as text: they follow the same text rule as params and bodies. */
const READ_HEADERS = [
  'authorization', 'cookie', 'x-csrf-token', 'x-request-id', 'content-type', 'x-filename', 'x-media-type',
  'upload-metadata', 'upload-length', 'upload-offset', 'range', 'if-range', 'if-none-match', 'accept-encoding',
];

function invalidText(errors: FieldError[]): AppError {
  return new AppError('validation', { detail: `请求数据有 ${errors.length} 处错误：${errors.map((e) => `${e.field}：${e.message}`).join('；')}`, errors });
}

function sendProblem(req: FastifyRequest, reply: FastifyReply, e: AppError) {
  return reply.code(e.status).type('application/problem+json; charset=utf-8').send({ ...e.toProblem(req.url), requestId: req.id });
}

/**
 * Requests Node's HTTP parser refuses never reach fastify: no route, no request id. They still get a
 * problem+json answer (issue 15) and are logged without a stack: a malformed request is the
 * client's error, not the server's.
 */
function clientErrorHandler(ctx: AppContext) {
  return (err: Error & { code?: string; rawPacket?: unknown }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let e: AppError;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') e = new AppError('request_timeout', { detail: '请求未在规定时间内发送完毕。' });
    else if (err.code === 'HPE_HEADER_OVERFLOW') {
      // The parser counts the request line as head: a head that never ended its first line is a long URL.
      const head = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.toString('latin1') : '';
      e = !head.includes('\r\n') || head.indexOf('\r\n') > MAX_URL_LENGTH
        ? new AppError('uri_too_long', { detail: '请求地址过长。' })
        : new AppError('headers_too_large', { detail: '请求头过大。' });
    } else e = new AppError('bad_request', { detail: '请求不符合 HTTP 协议，无法解析。' });
    ctx.log.info({ parserCode: err.code, status: e.status }, 'HTTP 解析器拒绝的请求');
    const body = JSON.stringify(e.toProblem());
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

export async function buildServer(ctx: AppContext, register: (app: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.TRUST_PROXY === '1',
    clientErrorHandler: clientErrorHandler(ctx),
    // The router's refusals (a path that is not valid percent-encoded UTF-8) are problem+json too.
    frameworkErrors: (err, req, reply) => {
      req.log.info({ fastifyCode: err.code }, '无法解析的请求地址');
      const e = new AppError('bad_request', { detail: '请求地址不是有效的百分号编码 UTF-8。' });
      return (reply as FastifyReply).code(400).type('application/problem+json; charset=utf-8').send({ ...e.toProblem(req.url), requestId: req.id });
    },
  });
  await app.register(cookie);

  // One text rule for everything a request carries (issue 15): NUL and lone surrogates in the URL,
  // the headers read, params, query (and, in the JSON parser below, bodies) are a 400 naming the
  // field, for every route — addRoute's, the portal pages, the ledger, tus and imports alike.
  app.addHook('onRequest', async (req) => {
    if (req.url.length > MAX_URL_LENGTH) throw new AppError('uri_too_long', { detail: `请求地址超过 ${MAX_URL_LENGTH} 个字符。` });
    // The query parser keeps undecodable escapes as literal text; a lone surrogate can only be sent as
    // such an escape (CESU-8), so the query must be valid percent-encoded UTF-8 like the path.
    const search = req.url.indexOf('?');
    if (search >= 0) {
      try {
        decodeURIComponent(req.url.slice(search + 1).replace(/\+/g, ' '));
      } catch {
        throw invalidText([{ field: 'query', message: '不是有效的百分号编码 UTF-8（可能含有不成对的代理字符）' }]);
      }
    }
    const headers: Record<string, unknown> = {};
    for (const h of READ_HEADERS) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
    const errors = unsafeTextErrors(headers, 'headers');
    if (errors.length) throw invalidText(errors);
  });
  app.addHook('preValidation', async (req) => {
    const errors = [...unsafeTextErrors(req.params, 'params'), ...unsafeTextErrors(req.query, 'query')];
    if (errors.length) throw invalidText(errors);
  });

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
    let parsed: unknown;
    try {
      parsed = JSON.parse(body as string);
    } catch {
      return done(new AppError('bad_request', { detail: '请求体不是合法的 JSON。' }), undefined);
    }
    const errors = unsafeTextErrors(parsed);
    done(errors.length ? invalidText(errors) : null, errors.length ? undefined : parsed);
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
    // A refused request is the client's error: noted without a stack, never at error level.
    else if (appErr.status < 500) req.log.info({ problem: appErr.code, status: appErr.status, fields: appErr.errors?.map((f) => f.field) }, '请求被拒绝');
    return sendProblem(req, reply, appErr);
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError('not_found', { detail: `没有这个地址：${req.method} ${req.url.split('?')[0]}` });
    return sendProblem(req, reply, e);
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
