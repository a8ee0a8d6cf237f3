// Who may read and change the registry (Outline's way: one readable place, tested on its own).
// A justice bureau (supervisor) administers certificates and the directory of its jurisdiction;
// an agency administrator keeps its own agency's officers; other staff read their own agency.
import type { Actor } from '../platform/actor.ts';
import { forbidden } from '../platform/errors.ts';
import { jurisdictionPrefix } from '../platform/jurisdiction.ts';

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

/**
 * The fields that decide jurisdiction and read scope: a supervisor oversees the region prefix of its
 * agency's region code, every scope query filters on region codes, and kind and level say whether an
 * agency is a justice bureau and at which tier. parentId and entrustingAgencyId name relations only and
 * decide no scope.
 */
export const JURISDICTION_FIELDS = ['regionCode', 'level', 'kind'] as const;

export interface Placement {
  region_code: string;
  kind: string;
  /** Its users include supervisors: whatever its kind, they oversee its region's prefix (src/accounts actorOf). */
  hasSupervisors?: boolean;
}

/** The region prefix an agency at this placement oversees: a justice bureau's, or any with supervisors. */
const oversees = (p: Placement) => ((p.kind === 'justice_bureau' || p.hasSupervisors) && /^\d{6}$/.test(p.region_code) ? jurisdictionPrefix(p.region_code) : null);

/**
 * Placing an agency (its region, level and kind): the system administrator anywhere; a justice bureau
 * for agencies strictly below it, that is inside its jurisdiction and, for one that oversees a region,
 * overseeing a strictly narrower one, before and after the change. Never its own agency: a supervisor
 * who could move its bureau, or create or re-scope a peer, would widen its own jurisdiction (R-P02: the
 * directory is confirmed by the bureau above).
 */
export function canPlaceAgency(actor: Actor, next: Placement, current?: Placement & { id: string }): boolean {
  if (actor.kind !== 'user') return false;
  if (actor.role === 'system_admin') return true;
  if (actor.role !== 'supervisor' || !actor.jurisdiction || current?.id === actor.agencyId) return false;
  const prefix = actor.jurisdiction;
  const below = (p: Placement) => {
    const o = oversees(p);
    return p.region_code.startsWith(prefix) && (o === null || (o.length > prefix.length && o.startsWith(prefix)));
  };
  return below(next) && (!current || below(current));
}

/** Creating agencies: the system administrator, or a justice bureau below itself (canPlaceAgency). */
export function canCreateAgency(actor: Actor, placement: Placement): boolean {
  return canPlaceAgency(actor, placement);
}

/** Editing an agency's other fields: its administrator (or a token of it), its justice bureau, the system administrator. */
export function canEditAgency(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token') return actor.scopes.includes('registry:write') && agency.id === actor.agencyId;
  if (actor.role === 'agency_admin') return agency.id === actor.agencyId;
  if (actor.role === 'system_admin') return true;
  return actor.role === 'supervisor' && !!actor.jurisdiction && agency.region_code.startsWith(actor.jurisdiction);
}

/** Officers and certificates of an agency: its administrator, its justice bureau, the system administrator. */
export function canWriteOfficers(actor: Actor, agency: AgencyRef): boolean {
  return canEditAgency(actor, agency);
}

export const canReadOfficers = canReadAgency;

/**
 * Who may import at all, decided before the file is read (each row is still checked against its
 * agency): agencies are registered by the system administrator or a justice bureau; officers by
 * those who write some agency's officers.
 */
export function canImport(actor: Actor, kind: 'agencies' | 'officers'): boolean {
  if (actor.kind === 'token') return kind === 'officers' && actor.scopes.includes('registry:write');
  if (actor.role === 'system_admin' || actor.role === 'supervisor') return true;
  return kind === 'officers' && actor.role === 'agency_admin';
}

/** ID numbers are personal data (R-P14): only those who administer the certificate see them. */
export function canSeePersonalData(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && canWriteOfficers(actor, agency);
}

export function assert(allowed: boolean, detail: string): void {
  if (!allowed) throw forbidden(detail);
}
