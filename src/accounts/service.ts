// Sign-in, second factor, sessions and API tokens. Every outcome is audited.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import * as OTPAuth from 'otpauth';
import { AppError, forbidden } from '../platform/errors.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { ADMIN_ROLES, ROLE_LABELS, type Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { jurisdictionPrefix } from '../registry/regions.ts';
import { verifyPassword, dummyHash } from './passwords.ts';
import * as usersRepo from './store.ts';

export const SESSION_COOKIE = 'sx_session';
/** The one route a user with a temporary password may use. */
export const PASSWORD_ROUTE = '/api/v1/auth/password';
const TOTP_ISSUER = '行政执法三项制度平台';

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();
const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

/**
 * A new session under a fresh random id and CSRF token; only the id's hash is stored. `expiresAt`
 * carries over the absolute end of a session this one replaces.
 */
export async function issueSession(q: Queryable, ctx: Pick<AppContext, 'config'>, userId: string, secondFactor: boolean, expiresAt?: Date) {
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  await usersRepo.insertSession(q, sha256(sessionToken), userId, csrfToken, secondFactor, ctx.config.sessionHours, expiresAt);
  return { sessionToken, csrfToken };
}

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

/** The only answer to a failed sign-in (OWASP ASVS V2): the same for an unknown, disabled, locked or wrongly typed account. */
function badCredentials(config: AppContext['config']) {
  return new AppError('invalid_credentials', { detail: `用户名或密码错误，或账户已被临时锁定（连续失败 ${config.maxLoginFailures} 次锁定 ${config.lockoutMinutes} 分钟）。` });
}

/**
 * First step of a sign-in. Every refusal reads the same and costs one argon2 verification, so neither
 * the answer nor its time tells which usernames exist or are locked; the audit log keeps the reason.
 * `presentedToken`: the session cookie the client still holds, ended here because the new one replaces it.
 */
export async function login(ctx: AppContext, req: FastifyRequest, username: string, password: string, presentedToken?: string): Promise<LoginResult> {
  throttle(req.ip);
  const { db, config } = ctx;
  const user = await usersRepo.findUserByUsername(db, username);
  const usable = user && !user.disabled ? user : undefined;
  const passwordOk = await verifyPassword(usable ? usable.password_hash : await dummyHash(), password);
  if (!usable) {
    await audit(db, req, { action: 'auth.login', outcome: 'failure', username, detail: { reason: user ? 'disabled' : 'unknown_user' } });
    throw badCredentials(config);
  }
  if (usable.locked_until && usable.locked_until > new Date()) {
    await audit(db, req, { action: 'auth.login', outcome: 'denied', userId: usable.id, username, agencyId: usable.agency_id, detail: { reason: 'locked', lockedUntil: usable.locked_until.toISOString() } });
    throw badCredentials(config);
  }
  if (!passwordOk) {
    const after = await usersRepo.recordFailure(db, usable.id, config.maxLoginFailures, config.lockoutMinutes);
    await audit(db, req, { action: 'auth.login', outcome: 'failure', userId: usable.id, username, agencyId: usable.agency_id, detail: { failures: after.failed_logins } });
    throw badCredentials(config);
  }

  const needsSecondFactor = ADMIN_ROLES.includes(usable.role);
  let stage: LoginResult['stage'] = 'done';
  let totpUri: string | undefined;
  let totpSecret: string | undefined;
  if (needsSecondFactor) {
    if (usable.totp_secret && usable.totp_confirmed) stage = 'totp';
    else {
      // First sign-in of an administrator: enrol a new secret, confirmed by the first valid code.
      totpSecret = usable.totp_secret ?? new OTPAuth.Secret({ size: 20 }).base32;
      if (!usable.totp_secret) await db.query(`UPDATE users SET totp_secret = $2 WHERE id = $1`, [usable.id, totpSecret]);
      totpUri = totpFor(totpSecret, usable.username).toString();
      stage = 'totp_enroll';
    }
  } else {
    await usersRepo.resetFailures(db, usable.id);
  }
  const { sessionToken, csrfToken } = await db.transaction(async (tx) => {
    if (presentedToken) await usersRepo.deleteSession(tx, sha256(presentedToken));
    await audit(tx, req, { action: 'auth.login', outcome: 'success', userId: usable.id, username, agencyId: usable.agency_id, detail: { stage } });
    return issueSession(tx, ctx, usable.id, stage === 'done');
  });
  return { stage, sessionToken, csrfToken, totpUri, totpSecret, user: stage === 'done' ? publicUser(usable) : undefined };
}

function lockedError(until: Date) {
  const at = until.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return new AppError('account_locked', { detail: `连续登录失败次数过多，账户已锁定至 ${at}。`, extra: { lockedUntil: until.toISOString() } });
}

/** Constant-time comparison; byte lengths are compared first (a non-ASCII header is longer in bytes than in characters). */
function csrfMatches(sent: unknown, expected: string) {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Second step of an administrator's sign-in, on the half-open session the password step created (and
 * with its CSRF token). Wrong or replayed codes count towards the same lockout as wrong passwords; the
 * caller has proven the password by now, so a lockout is said as such. A code is good once (RFC 6238
 * §5.2), and success replaces the half-open session with a new one under a new id (OWASP ASVS V3.2.1).
 */
export async function verifySecondFactor(ctx: AppContext, req: FastifyRequest, sessionToken: string | undefined, code: string) {
  const { db, config } = ctx;
  const idHash = sessionToken ? sha256(sessionToken) : undefined;
  const session = idHash ? await usersRepo.findSession(db, idHash, config.sessionIdleMinutes) : undefined;
  if (!idHash || !session || session.second_factor) throw new AppError('unauthenticated', { detail: '请先输入用户名和密码。' });
  if (!csrfMatches(req.headers['x-csrf-token'], session.csrf_token)) throw new AppError('csrf_failed', { detail: '缺少或错误的 X-CSRF-Token 请求头，请重新登录。' });
  const user = await usersRepo.findUserById(db, session.user_id);
  if (!user || user.disabled || !user.totp_secret) throw new AppError('unauthenticated');
  if (user.locked_until && user.locked_until > new Date()) throw lockedError(user.locked_until);
  const now = Date.now();
  const totp = totpFor(user.totp_secret, user.username);
  const delta = totp.validate({ token: code, window: 1, timestamp: now });
  const issued =
    delta === null
      ? null
      : await db.transaction(async (tx) => {
          if (!(await usersRepo.acceptTotpStep(tx, user.id, totp.counter({ timestamp: now }) + delta))) return null;
          // Consumed by a concurrent request with another code: that one signed in.
          if (!(await usersRepo.deleteSession(tx, idHash))) throw new AppError('unauthenticated', { detail: '请先输入用户名和密码。' });
          await audit(tx, req, { action: 'auth.totp', outcome: 'success', userId: user.id, username: user.username, agencyId: user.agency_id });
          return issueSession(tx, ctx, user.id, true);
        });
  if (!issued) {
    const after = await usersRepo.recordFailure(db, user.id, config.maxLoginFailures, config.lockoutMinutes);
    await audit(db, req, { action: 'auth.totp', outcome: 'failure', userId: user.id, username: user.username, agencyId: user.agency_id, detail: { reason: delta === null ? 'wrong_code' : 'replayed_code' } });
    if (after.locked_until && after.locked_until > new Date()) {
      await usersRepo.deleteSession(db, idHash);
      throw lockedError(after.locked_until);
    }
    throw new AppError('invalid_second_factor', { detail: '动态口令错误、已过期或已使用过，请输入验证器上的新口令。' });
  }
  return { stage: 'done' as const, ...issued, user: publicUser(user) };
}

export async function pendingTotpUri(ctx: AppContext, sessionToken: string | undefined): Promise<string> {
  const session = sessionToken ? await usersRepo.findSession(ctx.db, sha256(sessionToken), ctx.config.sessionIdleMinutes) : undefined;
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
  const session = sessionToken ? await usersRepo.findSession(ctx.db, sha256(sessionToken), ctx.config.sessionIdleMinutes) : undefined;
  if (!session) throw new AppError('unauthenticated');
  const user = await usersRepo.findUserById(ctx.db, session.user_id);
  if (!user || user.disabled) throw new AppError('unauthenticated');
  return { user: publicUser(user), csrfToken: session.csrf_token, demo: ctx.demo, secondFactor: !ADMIN_ROLES.includes(user.role) ? 'none' : session.second_factor ? 'done' : 'pending' };
}

/**
 * The request's actor: a bearer token (other systems) or a fully signed-in session cookie, live by
 * both its absolute and its idle limit (SESSION_HOURS, SESSION_IDLE_MINUTES; OWASP ASVS V3.3.2).
 */
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
    const session = cookieValue ? await usersRepo.findSession(ctx.db, sha256(cookieValue), ctx.config.sessionIdleMinutes) : undefined;
    const user = session?.second_factor ? await usersRepo.findUserById(ctx.db, session.user_id) : undefined;
    if (!session || !user || user.disabled) {
      if (required) throw new AppError('unauthenticated', { detail: '请先登录。' });
      return null;
    }
    const actor = actorOf(user);
    // Cookies are sent by the browser on its own; a write must also prove it came from our page (CSRF).
    // A public route (sign-in, sign-out) serves such a request anonymously instead: nothing is done in
    // the session's name, and a client left with a stale cookie can still sign in again.
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !csrfMatches(req.headers['x-csrf-token'], session.csrf_token)) {
      if (!required) return null;
      await audit(ctx.db, req, { action: 'auth.csrf', outcome: 'denied', ...actorAudit(actor), detail: { url: req.url } });
      throw new AppError('csrf_failed', { detail: '缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试。' });
    }
    // A temporary password is good for one thing: choosing a new one (OWASP ASVS V2.3.1).
    if (user.must_change_password && req.routeOptions.url !== PASSWORD_ROUTE) {
      if (!required) return null;
      await audit(ctx.db, req, { action: 'auth.password_change_required', outcome: 'denied', ...actorAudit(actor), detail: { url: req.url } });
      throw new AppError('password_change_required', { detail: '您正在使用临时密码，请先修改密码，再使用其他功能。' });
    }
    // Activity is recorded at most once a minute (or half the idle limit, if shorter), not on every request.
    if (Date.now() - session.last_seen_at.getTime() > Math.min(60_000, ctx.config.sessionIdleMinutes * 30_000)) {
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
