// Who may do what with the device register and custodians (R-R10, R-R05). Reading follows the registry's
// scope (own agency, a supervisor's region, everything for the system administrator); an agency manages
// its own devices and custodians: its administrator or its head.
import type { Actor } from '../platform/actor.ts';
import { inScope, readScope, scopeSql, type AgencyRef } from '../registry/policy.ts';

export { readScope, scopeSql };

export function canRead(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) return false;
  return inScope(readScope(actor), agency);
}

export function canManage(actor: Actor, agencyId: string): boolean {
  return actor.kind === 'user' && (actor.role === 'agency_admin' || actor.role === 'agency_head') && actor.agencyId === agencyId;
}
