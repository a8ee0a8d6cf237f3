// Who may do what with publications (谁执法谁公示, R-P01). Reading follows the registry's scope (own
// agency, a supervisor's jurisdiction, everything for the system administrator); out of scope is 404.
// Source texts hold personal data: only the agency's own staff see them (R-P14).
import type { Actor } from '../platform/actor.ts';
import { inScope, readScope, type AgencyRef } from '../registry/policy.ts';

export { readScope };

export function canReadPublications(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) return false;
  return inScope(readScope(actor), agency);
}

/** The unredacted decision text and the correction requester's contact: the agency's own staff only. */
export function seesSource(actor: Actor, agencyId: string): boolean {
  return actor.kind === 'user' && actor.agencyId === agencyId && ['officer', 'agency_head', 'reviewer', 'agency_admin'].includes(actor.role);
}

/** R-P01: the head confirms and publishes (谁执法谁公示). */
export function canConfirm(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.role === 'agency_head' && actor.agencyId === agency.id;
}

/** Remedies and correction answers: the agency's officers and head. */
export function canHandle(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && (actor.role === 'officer' || actor.role === 'agency_head') && actor.agencyId === agency.id;
}

/** The agency's publication rule set: its administrator. */
export function canManageRules(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.role === 'agency_admin' && actor.agencyId === agency.id;
}
