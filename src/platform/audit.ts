// Security audit trail (等保2.0): logins, failures, permission denials, administrative changes.
import type { FastifyRequest } from 'fastify';
import type { Queryable } from './db.ts';
import type { Actor } from './actor.ts';

export interface AuditRecord {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  userId?: string | null;
  username?: string | null;
  agencyId?: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(q: Queryable, req: FastifyRequest | null, rec: AuditRecord): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (action, outcome, user_id, username, agency_id, ip, request_id, detail) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [rec.action, rec.outcome, rec.userId ?? null, rec.username ?? null, rec.agencyId ?? null, req?.ip ?? null, req?.id ?? null, JSON.stringify(rec.detail ?? {})],
  );
}

export const actorAudit = (actor: Actor | null) => ({
  userId: actor?.kind === 'user' ? actor.id : null,
  username: actor ? (actor.kind === 'token' ? `令牌:${actor.name}` : actor.name) : null,
  agencyId: actor?.agencyId || null,
});
