// Who may do what with cases (Outline's way: one readable place, tested in test/cases.scopes.test.ts).
// Reading follows the registry's scope: the own agency, a supervisor's jurisdiction, everything for the
// system administrator. Out of scope answers 404 (existence is not revealed); in scope but forbidden
// answers 403 and is audited. What a step needs beyond this (roles per step, approvals) the engine decides.
import type { Actor, Role } from '../platform/actor.ts';
import { inScope, readScope, scopeSql, type AgencyRef, type Scope } from '../registry/policy.ts';

export type { AgencyRef, Scope };
export { readScope, scopeSql };

const STAFF: readonly Role[] = ['officer', 'agency_head', 'reviewer', 'agency_admin'];

/** Cases of this agency are visible to the actor (tokens need `cases:read`). */
export function canReadCase(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) return false;
  return inScope(readScope(actor), agency);
}

/** Opening a case: an officer or the head of the agency itself. */
export function canCreateCase(actor: Actor, agencyId: string): boolean {
  return actor.kind === 'user' && (actor.role === 'officer' || actor.role === 'agency_head') && actor.agencyId === agencyId;
}

/** Working on a case (steps, documents, records): the agency's own officers, heads and reviewers. */
export function canWorkOnCase(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.agencyId === agency.id && (actor.role === 'officer' || actor.role === 'agency_head' || actor.role === 'reviewer');
}

/** Heads approve steps, extensions and disclosures of their agency's cases (R-L09: the head answers for them). */
export function canApprove(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.role === 'agency_head' && actor.agencyId === agency.id;
}

/** The signer's roster entry, as the registry keeps it (R-L03). */
export interface SignerEntry {
  id: string;
  agencyId: string;
  shared: boolean;
  active: boolean;
}

/**
 * R-L03/R-L07: a legal review opinion is signed by a reviewer on the roster: of the agency itself, or of
 * another unit whose entry is shared (a justice bureau's legal adviser) and who is assigned to this
 * submission. The opinion is attributed to the signer's own entry; nobody signs as another entry.
 */
export function canReview(actor: Actor, agency: AgencyRef, entry: SignerEntry | null, assignedRosterId: string | null): entry is SignerEntry {
  if (actor.kind !== 'user' || actor.role !== 'reviewer' || !entry?.active) return false;
  if (entry.agencyId === agency.id) return actor.agencyId === agency.id;
  return entry.shared && entry.id === assignedRosterId;
}

/**
 * A shared reviewer of another unit reads a case only while assigned to one of its submissions: a grant
 * for that case, never a wider scope (it decides nothing for the other cases of the agency).
 */
export function mayReadByAssignment(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.role === 'reviewer' && actor.agencyId !== agency.id;
}

/** R-R06: AV records are viewed only by the roles the agency's AV-record list allows, inside the read scope. */
export function canViewRecord(actor: Actor, agency: AgencyRef, viewRoles: readonly Role[], isAv: boolean): boolean {
  if (actor.kind !== 'user' || !canReadCase(actor, agency)) return false;
  if (!isAv) return STAFF.includes(actor.role) ? actor.agencyId === agency.id : actor.role === 'supervisor' || actor.role === 'system_admin';
  return viewRoles.includes(actor.role);
}

/** The party's ID number is personal data (R-P14): only the agency's own staff see it. */
export function canSeePartyId(actor: Actor, agency: AgencyRef): boolean {
  return actor.kind === 'user' && actor.agencyId === agency.id && STAFF.includes(actor.role);
}

/** The archive package (R-R07): the agency's staff, and supervisors for case-file review (案卷评查). */
export function canExportArchive(actor: Actor, agency: AgencyRef): boolean {
  if (actor.kind !== 'user' || !canReadCase(actor, agency)) return false;
  return actor.agencyId === agency.id ? actor.role !== 'reviewer' : actor.role === 'supervisor' || actor.role === 'system_admin';
}

/** AV-record lists, major-decision catalogs and adaptations: the agency's administrator or the system administrator. */
export function canManageRules(actor: Actor, agencyId: string): boolean {
  if (actor.kind !== 'user') return false;
  return actor.role === 'system_admin' || (actor.role === 'agency_admin' && actor.agencyId === agencyId);
}
