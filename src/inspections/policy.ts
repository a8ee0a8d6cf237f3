// Who may do what in 双随机一公开. Reads: the agency's own staff (and its API tokens), a supervisor
// within its jurisdiction, the system administrator. Directories, plans and the draw ceremony are the
// agency head's and administrator's; recording results is the case workers' (R-D01, R-D02, R-P15).
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';

export interface AgencyRef {
  id: string;
  region_code: string;
}

export function canRead(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'user' && actor.role === 'system_admin') return true;
  if (actor.kind === 'user' && actor.role === 'supervisor') return !!actor.jurisdiction && agency.region_code.startsWith(actor.jurisdiction);
  return actor.agencyId === agency.id;
}

/** Directories, plans, tasks and the ceremony: the agency's head or administrator. */
export function canManage(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && (actor.role === 'agency_head' || actor.role === 'agency_admin') && actor.agencyId === agency.id;
}

/** Inspection results: the agency's officers and head (they run the inspection cases). */
export function canRecordResults(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && (actor.role === 'officer' || actor.role === 'agency_head') && actor.agencyId === agency.id;
}

/** SQL restricting an agencies alias to what the actor reads. */
export function readScopeSql(actor: Actor, alias: string, params: unknown[]): string {
  if (actor.kind === 'user' && actor.role === 'system_admin') return 'TRUE';
  if (actor.kind === 'user' && actor.role === 'supervisor') {
    params.push(actor.jurisdiction ?? '-');
    return `${alias}.region_code LIKE $${params.length} || '%'`;
  }
  params.push(actor.agencyId);
  return `${alias}.id = $${params.length}`;
}

export async function refuse(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: string, subject?: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail: { subject: subject ?? null } });
  throw new AppError('forbidden', { detail });
}
