// Routes are declared once with their Zod schemas: the same schemas validate each request and
// generate the OpenAPI document (/api/v1/openapi.json), so the two cannot drift apart.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import type { Actor } from '../actor.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Null only on public routes. */
  actor: Actor | null;
  req: FastifyRequest;
  reply: FastifyReply;
  ctx: AppContext;
}

export interface RouteSpec<B, Q, P> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  /** `public`: anyone; `user`: a signed-in user or an API token (with `scope` when set). */
  access: 'public' | 'user';
  /** Scope an API token needs for this route (users are checked by the domain's policy instead). */
  scope?: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  response?: z.ZodType;
  /** Status for a successful answer (default 200). */
  status?: number;
  handler: (input: HandlerInput<B, Q, P>) => Promise<unknown>;
}

interface RegisteredRoute {
  spec: RouteSpec<unknown, unknown, unknown>;
}

const registry: RegisteredRoute[] = [];

export function zodIssuesToFields(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(根)',
    message: i.message,
  }));
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const errors = zodIssuesToFields(r.error, where === 'body' ? '' : where);
    throw new AppError('validation', { detail: `请求数据有 ${errors.length} 处错误：${errors.map((e) => `${e.field}：${e.message}`).join('；')}`, errors });
  }
  return r.data;
}

export function addRoute<B = unknown, Q = unknown, P = unknown>(app: FastifyInstance, ctx: AppContext, spec: RouteSpec<B, Q, P>) {
  registry.push({ spec: spec as RouteSpec<unknown, unknown, unknown> });
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (req, reply) => {
      const actor = await ctx.authenticate(req, spec.access === 'user', spec.scope);
      const params = parsePart(spec.params, req.params, 'params');
      const query = parsePart(spec.query, req.query, 'query');
      if (spec.body && req.body === undefined && spec.method !== 'GET') {
        throw new AppError('validation', { detail: '缺少请求体。', errors: [{ field: '(根)', message: '缺少请求体' }] });
      }
      const body = parsePart(spec.body, req.body, 'body');
      const result = await spec.handler({ body, query, params, actor, req, reply, ctx });
      if (reply.sent) return reply;
      reply.code(spec.status ?? 200);
      return result ?? { ok: true };
    },
  });
}

function toJsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
}

export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of registry) {
    if (!spec.url.startsWith('/api/')) continue;
    const path = spec.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
      if (!schema) continue;
      const js = toJsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const op: Record<string, unknown> = {
      summary: spec.summary,
      tags: spec.tags,
      parameters,
      security: spec.access === 'public' ? [] : [{ session: [] }, { token: spec.scope ? [spec.scope] : [] }],
      responses: {
        [String(spec.status ?? 200)]: {
          description: '成功',
          content: { 'application/json': { schema: spec.response ? toJsonSchema(spec.response) : {} } },
        },
        default: { description: '错误（RFC 9457）', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
    if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(spec.body) } } };
    (paths[path] ??= {})[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: '三项 行政执法三项制度平台 API', version: '1' },
    servers: [{ url: publicUrl }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sx_session', description: '会话 Cookie；写操作需同时带 X-CSRF-Token 头' },
        token: { type: 'http', scheme: 'bearer', description: '对接系统的 API 令牌（sxt_ 开头），按范围授权' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
