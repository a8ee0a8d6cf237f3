import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { addRoute } from '../platform/http/route.ts';
import type { AppContext } from '../platform/context.ts';
import { forbidden } from '../platform/errors.ts';
import * as accounts from './service.ts';
import * as users from './users.ts';

function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string) {
  reply.setCookie(accounts.SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.secureCookies,
    path: '/',
    maxAge: ctx.config.sessionHours * 3600,
  });
}

const UserOut = z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), roleLabel: z.string(), agencyId: z.string(), agencyName: z.string(), mustChangePassword: z.boolean() });

export async function registerAccountRoutes(app: FastifyInstance, ctx: AppContext) {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: '用户名密码登录（管理员随后需动态口令）',
    tags: ['账户'],
    access: 'public',
    body: z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(256) }),
    response: z.object({ stage: z.enum(['done', 'totp', 'totp_enroll']), csrfToken: z.string(), totpUri: z.string().optional(), totpSecret: z.string().optional(), user: UserOut.optional() }),
    handler: async ({ body, req, reply }) => {
      const r = await accounts.login(ctx, req, body.username, body.password, req.cookies[accounts.SESSION_COOKIE]);
      setSessionCookie(ctx, reply, r.sessionToken);
      return { stage: r.stage, csrfToken: r.csrfToken, totpUri: r.totpUri, totpSecret: r.totpSecret, user: r.user };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/totp',
    summary: '提交动态口令完成登录',
    tags: ['账户'],
    access: 'public',
    body: z.object({ code: z.string().trim().regex(/^\d{6}$/, '动态口令为 6 位数字') }),
    handler: async ({ body, req, reply }) => {
      const { sessionToken, ...answer } = await accounts.verifySecondFactor(ctx, req, req.cookies[accounts.SESSION_COOKIE], body.code);
      setSessionCookie(ctx, reply, sessionToken);
      return answer;
    },
  });

  app.get('/api/v1/auth/totp-qr.svg', async (req, reply) => {
    const uri = await accounts.pendingTotpUri(ctx, req.cookies[accounts.SESSION_COOKIE]);
    reply.type('image/svg+xml').header('cache-control', 'no-store');
    return QRCode.toString(uri, { type: 'svg', margin: 1, width: 220 });
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: '退出登录',
    tags: ['账户'],
    access: 'public',
    handler: async ({ req, reply }) => {
      const actor = await ctx.authenticate(req, false).catch(() => null);
      await accounts.logout(ctx, req, req.cookies[accounts.SESSION_COOKIE], actor);
      reply.clearCookie(accounts.SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/auth/session',
    summary: '当前会话',
    tags: ['账户'],
    access: 'public',
    handler: async ({ req }) => accounts.currentSession(ctx, req.cookies[accounts.SESSION_COOKIE]),
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/audit',
    summary: '安全审计日志（管理员看本单位，监督人员看辖区，系统管理员看全部）',
    tags: ['账户'],
    access: 'user',
    query: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) }),
    handler: async ({ actor, query }) => {
      const a = actor!;
      if (a.kind !== 'user' || !['agency_admin', 'system_admin', 'supervisor'].includes(a.role)) throw forbidden('无权查看审计日志。');
      // The scope parameter, when there is one, is always $1 so the count query can reuse the condition.
      const where = a.role === 'system_admin' ? 'TRUE' : a.role === 'supervisor' ? `l.agency_id IN (SELECT id FROM agencies WHERE region_code LIKE $1 || '%')` : 'l.agency_id = $1';
      const scope: unknown[] = a.role === 'system_admin' ? [] : [a.role === 'supervisor' ? a.jurisdiction : a.agencyId];
      const n = scope.length;
      const items = await ctx.db.query(`SELECT l.id, l.at, l.action, l.outcome, l.username, l.ip, l.detail FROM audit_log l WHERE ${where} ORDER BY l.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [...scope, query.pageSize, (query.page - 1) * query.pageSize]);
      const total = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log l WHERE ${where}`, scope);
      return { items: items.rows, total: total.rows[0]!.n };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/v1/tokens',
    summary: '本单位的 API 令牌',
    tags: ['账户'],
    access: 'user',
    handler: async ({ actor }) => accounts.listTokens(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/tokens',
    summary: '创建 API 令牌（令牌只显示一次）',
    tags: ['账户'],
    access: 'user',
    status: 201,
    body: z.object({ name: z.string().trim().min(1, '请填写令牌名称').max(100), scopes: z.array(z.enum(accounts.TOKEN_SCOPES)).min(1, '至少选择一个权限范围') }),
    handler: async ({ actor, body, req }) => accounts.createToken(ctx, req, actor!, body.name, body.scopes),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/v1/tokens/:id/revoke',
    summary: '吊销 API 令牌',
    tags: ['账户'],
    access: 'user',
    params: z.object({ id: z.uuid('令牌编号格式不正确') }),
    handler: async ({ actor, params, req }) => {
      await accounts.revokeToken(ctx, req, actor!, params.id);
      return { ok: true };
    },
  });

  addRoute(app, ctx, {
    method: 'POST', url: accounts.PASSWORD_ROUTE, summary: '修改本人密码（结束本人其他会话，本会话换发新的会话标识）', tags: ['账户'], access: 'user',
    body: z.object({ currentPassword: z.string().min(1, '请输入当前密码').max(256), newPassword: z.string().min(1, '请输入新密码').max(256) }),
    response: z.object({ ok: z.boolean(), csrfToken: z.string() }),
    handler: async ({ actor, body, req, reply }) => {
      const { sessionToken, csrfToken } = await users.changeOwnPassword(ctx, req, actor!, req.cookies[accounts.SESSION_COOKIE], body.currentPassword, body.newPassword);
      setSessionCookie(ctx, reply, sessionToken);
      return { ok: true, csrfToken };
    },
  });
  addRoute(app, ctx, {
    method: 'GET', url: '/api/v1/users', summary: '用户列表（单位管理员看本单位）', tags: ['账户'], access: 'user',
    handler: ({ actor }) => users.listUsers(ctx, actor!),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/users', summary: '创建用户（返回一次性临时密码）', tags: ['账户'], access: 'user', status: 201, body: users.UserInput,
    handler: ({ actor, body, req }) => users.createUser(ctx, req, actor!, body),
  });
  const UserId = z.object({ id: z.uuid('用户编号格式不正确') });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/users/:id/disable', summary: '停用用户', tags: ['账户'], access: 'user', params: UserId,
    handler: ({ actor, params, req }) => users.setDisabled(ctx, req, actor!, params.id, true),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/users/:id/enable', summary: '启用用户', tags: ['账户'], access: 'user', params: UserId,
    handler: ({ actor, params, req }) => users.setDisabled(ctx, req, actor!, params.id, false),
  });
  addRoute(app, ctx, {
    method: 'POST', url: '/api/v1/users/:id/reset-password', summary: '重置密码并解除锁定（返回一次性临时密码）', tags: ['账户'], access: 'user', params: UserId,
    handler: ({ actor, params, req }) => users.resetPassword(ctx, req, actor!, params.id),
  });
}
