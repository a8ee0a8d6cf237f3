// User administration: an agency administrator manages its own agency's accounts, a justice bureau's
// administrator no one else's, the system administrator everyone's. Every change is audited.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../platform/context.ts';
import { ROLES, ROLE_LABELS, type Actor, type Role } from '../platform/actor.ts';
import { AppError, forbidden, isUniqueViolation, notFound } from '../platform/errors.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import * as usersRepo from './store.ts';
import { issueSession, sha256 } from './service.ts';

export const UserInput = z.object({
  username: z.string().trim().regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为 3–32 位小写字母、数字、下划线、点或连字符，以字母开头'),
  displayName: z.string().trim().min(1, '请填写姓名').max(50, '姓名最多 50 字'),
  agencyId: z.uuid('所属单位编号格式不正确'),
  role: z.enum(ROLES, '角色不正确'),
  officerId: z.uuid('执法人员编号格式不正确').nullable().default(null),
});

const isAdmin = (a: Actor) => a.kind === 'user' && (a.role === 'agency_admin' || a.role === 'system_admin');

/** Why the actor may not manage accounts of an agency (or hand out a role), or null when it may. */
function manageRefusal(actor: Actor, agencyId: string, role?: Role): string | null {
  if (!isAdmin(actor)) return '只有单位管理员和系统管理员可以管理用户。';
  if (actor.role === 'agency_admin') {
    if (agencyId !== actor.agencyId) return '单位管理员只能管理本单位的用户。';
    // Granting system-wide or supervisory power is the system administrator's decision alone.
    if (role && (role === 'system_admin' || role === 'supervisor')) return '单位管理员不能授予系统管理员或监督人员角色。';
  }
  return null;
}

/** Refusals of account administration are audited like every other 403 (issue 15). */
async function assertCanManage(ctx: AppContext, req: FastifyRequest, actor: Actor, action: string, agencyId: string, role?: Role, userId?: string) {
  const reason = manageRefusal(actor, agencyId, role);
  if (!reason) return;
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { agencyId, role: role ?? null, userId: userId ?? null, reason } });
  throw forbidden(reason);
}

export function temporaryPassword() {
  return crypto.randomBytes(9).toString('base64url') + 'Aa1!';
}

export async function listUsers(ctx: AppContext, actor: Actor) {
  if (!isAdmin(actor)) throw forbidden('只有单位管理员和系统管理员可以查看用户。');
  const params: unknown[] = [];
  const where = actor.role === 'system_admin' ? 'TRUE' : (params.push(actor.agencyId), 'u.agency_id = $1');
  const { rows } = await ctx.db.query<{ id: string; username: string; display_name: string; agency_id: string; agency_name: string; role: Role; disabled: boolean; locked_until: Date | null; totp_confirmed: boolean; created_at: Date }>(
    `SELECT u.id, u.username, u.display_name, u.agency_id, a.name AS agency_name, u.role, u.disabled, u.locked_until, u.totp_confirmed, u.created_at
       FROM users u JOIN agencies a ON a.id = u.agency_id WHERE ${where} ORDER BY a.name, u.username`,
    params,
  );
  return {
    items: rows.map((u) => ({
      id: u.id, username: u.username, displayName: u.display_name, agencyId: u.agency_id, agencyName: u.agency_name, role: u.role, roleLabel: ROLE_LABELS[u.role],
      disabled: u.disabled, locked: !!u.locked_until && u.locked_until > new Date(), secondFactor: u.totp_confirmed, createdAt: u.created_at,
    })),
  };
}

export async function createUser(ctx: AppContext, req: FastifyRequest, actor: Actor, input: z.infer<typeof UserInput>) {
  await assertCanManage(ctx, req, actor, 'users.create', input.agencyId, input.role);
  const password = temporaryPassword();
  const id = crypto.randomUUID();
  try {
    await ctx.db.transaction(async (tx) => {
      const agency = await tx.query<{ kind: string }>(`SELECT kind FROM agencies WHERE id = $1`, [input.agencyId]);
      if (!agency.rows.length) throw new AppError('validation', { detail: '所属单位不存在。', errors: [{ field: 'agencyId', message: '所属单位不存在' }] });
      // A supervisor's read scope is its agency's region: only a justice bureau's staff supervise.
      if (input.role === 'supervisor' && agency.rows[0]!.kind !== 'justice_bureau') {
        throw new AppError('validation', { detail: '监督人员只能属于司法行政机关。', errors: [{ field: 'role', message: '监督人员只能属于司法行政机关' }] });
      }
      if (input.officerId) {
        const officer = await tx.query(`SELECT 1 FROM officers WHERE id = $1 AND agency_id = $2`, [input.officerId, input.agencyId]);
        if (!officer.rows.length) throw new AppError('validation', { detail: '关联的执法人员不属于该单位。', errors: [{ field: 'officerId', message: '执法人员不存在或不属于该单位' }] });
      }
      await tx.query(
        `INSERT INTO users (id, username, display_name, agency_id, role, officer_id, password_hash, must_change_password) VALUES ($1,$2,$3,$4,$5,$6,$7,true)`,
        [id, input.username, input.displayName, input.agencyId, input.role, input.officerId, await hashPassword(password)],
      );
      await audit(tx, req, { action: 'users.create', outcome: 'success', ...actorAudit(actor), detail: { userId: id, username: input.username, role: input.role } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_username_key')) throw new AppError('duplicate', { detail: '用户名已被使用。', errors: [{ field: 'username', message: '用户名已存在' }] });
    throw err;
  }
  // The temporary password is shown once to the administrator, who hands it over; the user must change it.
  return { id, username: input.username, temporaryPassword: password };
}

async function loadManaged(ctx: AppContext, req: FastifyRequest, actor: Actor, id: string, action: string) {
  const u = await usersRepo.findUserById(ctx.db, id);
  if (!u || (actor.role === 'agency_admin' && u.agency_id !== actor.agencyId)) throw notFound('用户');
  await assertCanManage(ctx, req, actor, action, u.agency_id, u.role, u.id);
  return u;
}

export async function setDisabled(ctx: AppContext, req: FastifyRequest, actor: Actor, id: string, disabled: boolean) {
  const u = await loadManaged(ctx, req, actor, id, disabled ? 'users.disable' : 'users.enable');
  if (u.id === actor.id) throw new AppError('invalid_state', { detail: '不能停用自己的账户。' });
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1`, [id, disabled]);
    if (disabled) await tx.query(`DELETE FROM sessions WHERE user_id = $1`, [id]);
    await audit(tx, req, { action: disabled ? 'users.disable' : 'users.enable', outcome: 'success', ...actorAudit(actor), detail: { userId: id } });
  });
  return { ok: true };
}

/** Unlocks and gives a new temporary password; ends the user's sessions. */
export async function resetPassword(ctx: AppContext, req: FastifyRequest, actor: Actor, id: string) {
  await loadManaged(ctx, req, actor, id, 'users.reset_password');
  const password = temporaryPassword();
  await ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE users SET password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`, [id, await hashPassword(password)]);
    await usersRepo.deleteUserSessions(tx, id);
    await audit(tx, req, { action: 'users.reset_password', outcome: 'success', ...actorAudit(actor), detail: { userId: id } });
  });
  return { temporaryPassword: password };
}

/**
 * Changes one's own password, ends every other session of the user and re-issues the current one
 * under a new id with a new CSRF token (OWASP ASVS V3.2.1, V3.3.3); API tokens belong to the agency
 * and are left alone. `sessionToken`: the cookie the request came with.
 */
export async function changeOwnPassword(ctx: AppContext, req: FastifyRequest, actor: Actor, sessionToken: string | undefined, current: string, next: string) {
  if (actor.kind !== 'user') throw forbidden();
  const session = sessionToken ? await usersRepo.findSession(ctx.db, sha256(sessionToken), ctx.config.sessionIdleMinutes) : undefined;
  if (!session || session.user_id !== actor.id) throw new AppError('unauthenticated', { detail: '请先登录。' });
  const u = await usersRepo.findUserById(ctx.db, actor.id);
  if (!u || !(await verifyPassword(u.password_hash, current))) {
    await audit(ctx.db, req, { action: 'auth.password_change', outcome: 'failure', ...actorAudit(actor) });
    throw new AppError('validation', { detail: '当前密码不正确。', errors: [{ field: 'currentPassword', message: '当前密码不正确' }] });
  }
  const weak = checkPasswordStrength(next);
  if (weak) throw new AppError('validation', { detail: weak, errors: [{ field: 'newPassword', message: weak }] });
  if (current === next) throw new AppError('validation', { detail: '新密码不能与当前密码相同。', errors: [{ field: 'newPassword', message: '新密码不能与当前密码相同' }] });
  const hash = await hashPassword(next);
  return ctx.db.transaction(async (tx) => {
    await tx.query(`UPDATE users SET password_hash = $2, must_change_password = false, updated_at = now() WHERE id = $1`, [actor.id, hash]);
    await usersRepo.deleteUserSessions(tx, actor.id);
    await audit(tx, req, { action: 'auth.password_change', outcome: 'success', ...actorAudit(actor) });
    // The re-issued session keeps the absolute end of the one it replaces.
    return issueSession(tx, ctx, actor.id, true, session.expires_at);
  });
}
