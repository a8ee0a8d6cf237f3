// Who may read and change the registry (Outline's way: one readable place, tested on its own).
// A justice bureau (supervisor) administers certificates and the directory of its jurisdiction;
// an agency administrator keeps its own agency's officers; other staff read their own agency.
import type { Actor } from '../platform/actor.ts';
import { forbidden } from '../platform/errors.ts';

export type Scope = { kind: 'all' } | { kind: 'region'; prefix: string } | { kind: 'agency'; agencyId: string };

export interface AgencyRef {
  id: string;
  region_code: string;
}

/** The agencies whose registry data the actor may read. */
export function readScope(actor: Actor): Scope {
  if (actor.kind === 'user' && actor.role === 'system_admin') return { kind: 'all' };
  if (actor.kind === 'user' && actor.role === 'supervisor' && actor.jurisdiction) return { kind: 'region', prefix: actor.jurisdiction };
  return { kind: 'agency', agencyId: actor.agencyId };
}

export function inScope(scope: Scope, agency: AgencyRef): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'region') return agency.region_code.startsWith(scope.prefix);
  return agency.id === scope.agencyId;
}

/** SQL condition on an agencies alias, with its parameter appended to params. */
export function scopeSql(scope: Scope, alias: string, params: unknown[]): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'region') {
    params.push(scope.prefix);
    return `${alias}.region_code LIKE $${params.length} || '%'`;
  }
  params.push(scope.agencyId);
  return `${alias}.id = $${params.length}`;
}

export function canReadAgency(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token' && !actor.scopes.includes('registry:read') && !actor.scopes.includes('registry:write')) return false;
  return inScope(readScope(actor), agency);
}

/** Creating agencies: the system administrator, or a justice bureau inside its jurisdiction. */
export function canCreateAgency(actor: Actor, regionCode: string): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.role === 'system_admin') return true;
  return actor.role === 'supervisor' && !!actor.jurisdiction && regionCode.startsWith(actor.jurisdiction);
}

export function canEditAgency(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token') return actor.scopes.includes('registry:write') && agency.id === actor.agencyId;
  if (actor.role === 'agency_admin') return agency.id === actor.agencyId;
  return canCreateAgency(actor, agency.region_code);
}

/** Officers and certificates of an agency: its administrator, its justice bureau, the system administrator. */
export function canWriteOfficers(actor: Actor, agency: AgencyRef): boolean {
  return canEditAgency(actor, agency);
}

export const canReadOfficers = canReadAgency;

/** ID numbers are personal data (R-P14): only those who administer the certificate see them. */
export function canSeePersonalData(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && canWriteOfficers(actor, agency);
}

export function assert(allowed: boolean, detail: string): void {
  if (!allowed) throw forbidden(detail);
}
