// Sign-in, second factor, sessions and API tokens. Every outcome is audited.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import * as OTPAuth from 'otpauth';
import { AppError, forbidden } from '../platform/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { ADMIN_ROLES, ROLE_LABELS, type Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { jurisdictionPrefix } from '../registry/regions.ts';
import { verifyPassword, dummyHash } from './passwords.ts';
import * as usersRepo from './store.ts';

export const SESSION_COOKIE = 'sx_session';
const TOTP_ISSUER = '行政执法三项制度平台';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();
const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

function totpFor(secret: string, username: string) {
  return new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function publicUser(u: usersRepo.UserRow) {
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role, roleLabel: ROLE_LABELS[u.role], agencyId: u.agency_id, agencyName: u.agency_name, mustChangePassword: u.must_change_password };
}

function actorOf(u: usersRepo.UserRow): Actor {
  return {
    kind: 'user',
    id: u.id,
    name: u.username,
    role: u.role,
    agencyId: u.agency_id,
    jurisdiction: u.role === 'supervisor' ? jurisdictionPrefix(u.agency_region) : null,
    scopes: [],
  };
}

/**
 * Per-address throttle in front of the per-account lockout: a burst of guesses across many
 * usernames from one address is slowed down too. In memory: each app process counts its own.
 */
const attemptsByIp = new Map<string, number[]>();
function throttle(ip: string, limit = 30, windowMs = 60_000) {
  const now = Date.now();
  const recent = (attemptsByIp.get(ip) ?? []).filter((t) => now - t < windowMs);
  if (recent.length >= limit) throw new AppError('too_many_requests', { detail: '登录尝试过于频繁，请一分钟后再试。' });
  recent.push(now);
  attemptsByIp.set(ip, recent);
  if (attemptsByIp.size > 10_000) attemptsByIp.clear();
}

export interface LoginResult {
  stage: 'done' | 'totp' | 'totp_enroll';
  sessionToken: string;
  csrfToken: string;
  totpUri?: string;
  totpSecret?: string;
  user?: ReturnType<typeof publicUser>;
}

export async function login(ctx: AppContext, req: FastifyRequest, username: string, password: string): Promise<LoginResult> {
  throttle(req.ip);
  const { db, config } = ctx;
  const user = await usersRepo.findUserByUsername(db, username);
  if (!user || user.disabled) {
    await verifyPassword(await dummyHash(), password);
    await audit(db, req, { action: 'auth.login', outcome: 'failure', username, detail: { reason: user ? 'disabled' : 'unknown_user' } });
    throw new AppError('invalid_credentials', { detail: '用户名或密码错误。' });
  }
  if (user.locked_until && user.locked_until > new Date()) {
    await audit(db, req, { action: 'auth.login', outcome: 'denied', userId: user.id, username, agencyId: user.agency_id, detail: { reason: 'locked' } });
    throw lockedError(user.locked_until);
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    const after = await usersRepo.recordFailure(db, user.id, config.maxLoginFailures, config.lockoutMinutes);
    await audit(db, req, { action: 'auth.login', outcome: 'failure', userId: user.id, username, agencyId: user.agency_id, detail: { failures: after.failed_logins } });
    if (after.locked_until && after.locked_until > new Date()) throw lockedError(after.locked_until);
    const left = config.maxLoginFailures - after.failed_logins;
    throw new AppError('invalid_credentials', { detail: `用户名或密码错误；再错 ${left} 次账户将临时锁定 ${config.lockoutMinutes} 分钟。` });
  }

  const needsSecondFactor = ADMIN_ROLES.includes(user.role);
  let stage: LoginResult['stage'] = 'done';
  let totpUri: string | undefined;
  let totpSecret: string | undefined;
  if (needsSecondFactor) {
    if (user.totp_secret && user.totp_confirmed) stage = 'totp';
    else {
      // First sign-in of an administrator: enrol a new secret, confirmed by the first valid code.
      totpSecret = user.totp_secret ?? new OTPAuth.Secret({ size: 20 }).base32;
      if (!user.totp_secret) await db.query(`UPDATE users SET totp_secret = $2 WHERE id = $1`, [user.id, totpSecret]);
      totpUri = totpFor(totpSecret, user.username).toString();
      stage = 'totp_enroll';
    }
  } else {
    await usersRepo.resetFailures(db, user.id);
  }
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  await usersRepo.insertSession(db, sha256(sessionToken), user.id, csrfToken, stage === 'done', config.sessionHours);
  await audit(db, req, { action: 'auth.login', outcome: 'success', userId: user.id, username, agencyId: user.agency_id, detail: { stage } });
  return { stage, sessionToken, csrfToken, totpUri, totpSecret, user: stage === 'done' ? publicUser(user) : undefined };
}

function lockedError(until: Date) {
  const at = until.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return new AppError('account_locked', { detail: `连续登录失败次数过多，账户已锁定至 ${at}。`, extra: { lockedUntil: until.toISOString() } });
}

/** Second step of an administrator's sign-in. Wrong codes count towards the same lockout as wrong passwords. */
export async function verifySecondFactor(ctx: AppContext, req: FastifyRequest, sessionToken: string | undefined, code: string) {
  const { db, config } = ctx;
  const session = sessionToken ? await usersRepo.findSession(db, sha256(sessionToken)) : undefined;
  if (!session) throw new AppError('unauthenticated', { detail: '请先输入用户名和密码。' });
  const user = await usersRepo.findUserById(db, session.user_id);
  if (!user || !user.totp_secret) throw new AppError('unauthenticated');
  if (user.locked_until && user.locked_until > new Date()) throw lockedError(user.locked_until);
  const delta = totpFor(user.totp_secret, user.username).validate({ token: code, window: 1 });
  if (delta === null) {
    const after = await usersRepo.recordFailure(db, user.id, config.maxLoginFailures, config.lockoutMinutes);
    await audit(db, req, { action: 'auth.totp', outcome: 'failure', userId: user.id, username: user.username, agencyId: user.agency_id });
    if (after.locked_until && after.locked_until > new Date()) {
      await usersRepo.deleteSession(db, sha256(sessionToken!));
      throw lockedError(after.locked_until);
    }
    throw new AppError('invalid_second_factor', { detail: '动态口令错误或已过期，请重新输入。' });
  }
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE sessions SET second_factor = true WHERE id_hash = $1`, [sha256(sessionToken!)]);
    await tx.query(`UPDATE users SET totp_confirmed = true, failed_logins = 0, locked_until = NULL WHERE id = $1`, [user.id]);
    await audit(tx, req, { action: 'auth.totp', outcome: 'success', userId: user.id, username: user.username, agencyId: user.agency_id });
  });
  return { stage: 'done' as const, csrfToken: session.csrf_token, user: publicUser(user) };
}

export async function pendingTotpUri(ctx: AppContext, sessionToken: string | undefined): Promise<string> {
  const session = sessionToken ? await usersRepo.findSession(ctx.db, sha256(sessionToken)) : undefined;
  if (!session || session.second_factor) throw new AppError('unauthenticated', { detail: '没有待完成的动态口令绑定。' });
  const user = await usersRepo.findUserById(ctx.db, session.user_id);
  if (!user?.totp_secret || user.totp_confirmed) throw new AppError('invalid_state', { detail: '该账户已绑定动态口令。' });
  return totpFor(user.totp_secret, user.username).toString();
}

export async function logout(ctx: AppContext, req: FastifyRequest, sessionToken: string | undefined, actor: Actor | null) {
  if (sessionToken) await usersRepo.deleteSession(ctx.db, sha256(sessionToken));
  await audit(ctx.db, req, { action: 'auth.logout', outcome: 'success', ...actorAudit(actor) });
}

export async function currentSession(ctx: AppContext, sessionToken: string | undefined) {
  const session = sessionToken ? await usersRepo.findSession(ctx.db, sha256(sessionToken)) : undefined;
  if (!session) throw new AppError('unauthenticated');
  const user = await usersRepo.findUserById(ctx.db, session.user_id);
  if (!user || user.disabled) throw new AppError('unauthenticated');
  return { user: publicUser(user), csrfToken: session.csrf_token, demo: ctx.demo, secondFactor: !ADMIN_ROLES.includes(user.role) ? 'none' : session.second_factor ? 'done' : 'pending' };
}

/** The request's actor: a bearer token (other systems) or a fully signed-in session cookie. */
export function makeAuthenticate(ctx: Omit<AppContext, 'authenticate'>): AppContext['authenticate'] {
  return async (req, required, scope) => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = await usersRepo.findToken(ctx.db, sha256(auth.slice(7).trim()));
      if (!token) throw new AppError('unauthenticated', { detail: 'API 令牌无效或已吊销。' });
      const actor: Actor = { kind: 'token', id: token.id, name: token.name, role: 'officer', agencyId: token.agency_id, jurisdiction: null, scopes: token.scopes };
      if (required && (!scope || !token.scopes.includes(scope))) {
        await audit(ctx.db, req, { action: 'auth.token_scope', outcome: 'denied', ...actorAudit(actor), detail: { scope: scope ?? null, url: req.url } });
        throw forbidden(scope ? `该令牌没有「${scope}」权限。` : '此接口不对 API 令牌开放。');
      }
      await ctx.db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [token.id]);
      return actor;
    }
    const cookieValue = req.cookies?.[SESSION_COOKIE];
    const session = cookieValue ? await usersRepo.findSession(ctx.db, sha256(cookieValue)) : undefined;
    const user = session?.second_factor ? await usersRepo.findUserById(ctx.db, session.user_id) : undefined;
    if (!session || !user || user.disabled) {
      if (required) throw new AppError('unauthenticated', { detail: '请先登录。' });
      return null;
    }
    const actor = actorOf(user);
    // Cookies are sent by the browser on its own; a write must also prove it came from our page (CSRF).
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const sent = req.headers['x-csrf-token'];
      const ok = typeof sent === 'string' && sent.length === session.csrf_token.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(session.csrf_token));
      if (!ok) {
        await audit(ctx.db, req, { action: 'auth.csrf', outcome: 'denied', ...actorAudit(actor), detail: { url: req.url } });
        throw new AppError('csrf_failed', { detail: '缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试。' });
      }
    }
    if (Date.now() - session.last_seen_at.getTime() > 60_000) {
      await ctx.db.query(`UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1`, [sha256(cookieValue!)]);
    }
    return actor;
  };
}

// ---- API tokens for other systems (credit platforms, provincial platforms) ----

export const TOKEN_SCOPES = ['registry:read', 'registry:write', 'evidence:read', 'evidence:write', 'cases:read', 'cases:write'] as const;

function assertCanManageTokens(actor: Actor) {
  if (actor.kind !== 'user' || !['agency_admin', 'system_admin'].includes(actor.role)) throw forbidden('只有单位管理员和系统管理员可以管理 API 令牌。');
}

export async function listTokens(ctx: AppContext, actor: Actor) {
  assertCanManageTokens(actor);
  const { rows } = await ctx.db.query<{ id: string; name: string; scopes: string[]; created_at: Date; revoked_at: Date | null; last_used_at: Date | null }>(
    `SELECT id, name, scopes, created_at, revoked_at, last_used_at FROM api_tokens WHERE agency_id = $1 ORDER BY created_at DESC`,
    [actor.agencyId],
  );
  return { items: rows.map((r) => ({ id: r.id, name: r.name, scopes: r.scopes, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at })) };
}

export async function createToken(ctx: AppContext, req: FastifyRequest, actor: Actor, name: string, scopes: string[]) {
  assertCanManageTokens(actor);
  const token = `sxt_${randomToken()}`;
  const id = crypto.randomUUID();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`INSERT INTO api_tokens (id, token_hash, name, agency_id, scopes, created_by) VALUES ($1,$2,$3,$4,$5,$6)`, [id, sha256(token), name, actor.agencyId, scopes, actor.id]);
    await audit(tx, req, { action: 'tokens.create', outcome: 'success', ...actorAudit(actor), detail: { tokenId: id, name, scopes } });
  });
  return { id, token };
}

export async function revokeToken(ctx: AppContext, req: FastifyRequest, actor: Actor, id: string) {
  assertCanManageTokens(actor);
  const r = await ctx.db.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND agency_id = $2 AND revoked_at IS NULL`, [id, actor.agencyId]);
  if (r.affectedRows === 0) throw new AppError('not_found', { detail: '令牌不存在或已吊销。' });
  await audit(ctx.db, req, { action: 'tokens.revoke', outcome: 'success', ...actorAudit(actor), detail: { tokenId: id } });
}
