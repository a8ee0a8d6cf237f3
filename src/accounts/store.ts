import type { Queryable } from '../platform/db.ts';
import type { Role } from '../platform/actor.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  agency_id: string;
  agency_name: string;
  agency_region: string;
  agency_kind: string;
  role: Role;
  officer_id: string | null;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed: boolean;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  must_change_password: boolean;
  totp_last_step: string | null;
}

const USER_SELECT = `SELECT u.*, a.name AS agency_name, a.region_code AS agency_region, a.kind AS agency_kind
  FROM users u JOIN agencies a ON a.id = u.agency_id`;

export async function findUserByUsername(q: Queryable, username: string) {
  return (await q.query<UserRow>(`${USER_SELECT} WHERE u.username = $1`, [username])).rows[0];
}

export async function findUserById(q: Queryable, id: string) {
  return (await q.query<UserRow>(`${USER_SELECT} WHERE u.id = $1`, [id])).rows[0];
}

export async function recordFailure(q: Queryable, id: string, maxFailures: number, lockoutMinutes: number) {
  const { rows } = await q.query<{ failed_logins: number; locked_until: Date | null }>(
    `UPDATE users SET failed_logins = failed_logins + 1,
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
      WHERE id = $1 RETURNING failed_logins, locked_until`,
    [id, maxFailures, lockoutMinutes],
  );
  return rows[0]!;
}

export async function resetFailures(q: Queryable, id: string) {
  await q.query(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [id]);
}

export interface SessionRow {
  user_id: string;
  csrf_token: string;
  second_factor: boolean;
  expires_at: Date;
  last_seen_at: Date;
}

/** `expiresAt`: an absolute end carried over from the session this one replaces; else `hours` from now. */
export async function insertSession(q: Queryable, idHash: Buffer, userId: string, csrf: string, secondFactor: boolean, hours: number, expiresAt?: Date) {
  await q.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, second_factor, expires_at) VALUES ($1,$2,$3,$4, coalesce($6::timestamptz, now() + make_interval(hours => $5)))`,
    [idHash, userId, csrf, secondFactor, hours, expiresAt ?? null],
  );
}

/** A live session: within its absolute lifetime and used within the last `idleMinutes`. */
export async function findSession(q: Queryable, idHash: Buffer, idleMinutes: number) {
  return (
    await q.query<SessionRow>(
      `SELECT user_id, csrf_token, second_factor, expires_at, last_seen_at FROM sessions
        WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)`,
      [idHash, idleMinutes],
    )
  ).rows[0];
}

/** Deletes the session and answers whether it was there, so that two requests cannot both consume it. */
export async function deleteSession(q: Queryable, idHash: Buffer): Promise<boolean> {
  return (await q.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash])).affectedRows > 0;
}

export async function deleteUserSessions(q: Queryable, userId: string) {
  await q.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
}

/**
 * Records an accepted TOTP time-step if it is later than the last accepted one (RFC 6238 §5.2) and
 * answers whether it was; one statement, so two requests with the same code cannot both pass.
 */
export async function acceptTotpStep(q: Queryable, userId: string, step: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE users SET totp_last_step = $2, totp_confirmed = true, failed_logins = 0, locked_until = NULL
      WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
    [userId, step],
  );
  return r.affectedRows > 0;
}

export interface TokenRow {
  id: string;
  name: string;
  agency_id: string;
  scopes: string[];
  agency_region: string;
}

export async function findToken(q: Queryable, tokenHash: Buffer) {
  return (
    await q.query<TokenRow>(
      `SELECT t.id, t.name, t.agency_id, t.scopes, a.region_code AS agency_region FROM api_tokens t JOIN agencies a ON a.id = t.agency_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
      [tokenHash],
    )
  ).rows[0];
}
