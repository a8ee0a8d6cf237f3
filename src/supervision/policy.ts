// Who may do what in supervision (issue 12). A supervisor reads and acts within its jurisdiction (the
// region prefix of its justice bureau), the system administrator everywhere; an agency's staff read
// their own agency's alerts and matters, and its head or administrator answers them. API tokens have no
// supervision scope. Out of scope answers 404, in scope but forbidden 403 (audited by the caller).
import type { Actor } from '../platform/actor.ts';
import { inScope, readScope, scopeSql, type AgencyRef, type Scope } from '../registry/policy.ts';

export type { AgencyRef, Scope };
export { scopeSql };

/** The agencies whose supervision records the actor sees; null for a token (no supervision scope). */
export function supervisionScope(actor: Actor): Scope | null {
  if (actor.kind !== 'user') return null;
  return readScope(actor);
}

export function canSee(actor: Actor, agency: AgencyRef): boolean {
  const scope = supervisionScope(actor);
  return scope !== null && inScope(scope, agency);
}

/** Supervisors of the jurisdiction and the system administrator act as the supervising body. */
export function canSupervise(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.role === 'system_admin') return true;
  return actor.role === 'supervisor' && !!actor.jurisdiction && agency.region_code.startsWith(actor.jurisdiction) && agency.id !== actor.agencyId;
}

/** The supervised agency answers (explanation, correction report, objection) through its head or administrator. */
export function canAnswer(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && (actor.role === 'agency_head' || actor.role === 'agency_admin') && actor.agencyId === agency.id;
}

export function isSupervisor(actor: Actor): boolean {
  return actor.kind === 'user' && (actor.role === 'supervisor' || actor.role === 'system_admin');
}
