// Who may change the working-day calendar. Every deadline of every agency is counted on it, so only
// the system administrator may (a wrong holiday would move legal deadlines everywhere).
import type { Actor } from '../actor.ts';

export function canManageCalendar(actor: Actor | null): boolean {
  return actor?.kind === 'user' && actor.role === 'system_admin';
}
