// Data minimisation, in one place for every representation of a case (R-P14): the case JSON, document
// JSON, prefill, the draft DOCX, the final PDF and the archive package all ask `minimiseFor` what the
// actor may see of the party. The party's ID number and address are personal data that only the
// agency's own staff need (policy.canSeePartyId); a supervisor, the system administrator, a shared
// reviewer of another unit or an API token get everything else of the case without them.
import type { Actor } from '../platform/actor.ts';
import { agencyRef } from './access.ts';
import * as policy from './policy.ts';

/** What stands in a document or record where personal data was withheld. */
export const WITHHELD = '（已隐去）';

/** Keys that hold a person's ID number or address wherever they appear (the party, an interviewee). */
const PERSONAL_KEYS = new Set(['idNumber', 'address']);

/** Shorter strings than this are not searched for inside free text (they would match by chance). */
const MIN_NEEDLE = 4;

export interface CasePersonalData {
  agency_id: string;
  agency_region: string;
  party_id_number: string | null;
  party_address: string | null;
}

export interface Minimiser {
  /** The actor sees personal data in full (the agency's own staff). */
  readonly full: boolean;
  /** The party's ID number and address as this actor may see them: null when withheld. */
  party(): { idNumber: string | null; address: string | null };
  /**
   * Any JSON value (document fields, event data, a composed document) as this actor may see it:
   * `idNumber` and `address` keys, and the case party's ID number and address inside free text,
   * replaced by WITHHELD. `source`: the fields v was made from, whose `idNumber`/`address` values
   * (an interviewee's too) are searched for in v's text as well. Returns v itself when nothing is withheld.
   */
  value<T>(v: T, source?: unknown): T;
  /** Whether `value` would withhold anything in v. */
  withholds(v: unknown): boolean;
}

export function minimiseFor(actor: Actor, row: CasePersonalData): Minimiser {
  const full = policy.canSeePartyId(actor, agencyRef(row));
  const caseNeedles = [row.party_id_number, row.party_id_number?.toLowerCase(), row.party_address];

  /** The values under personal keys anywhere in v. */
  function personal(v: unknown, out: string[] = []): string[] {
    if (Array.isArray(v)) v.forEach((x) => personal(x, out));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (PERSONAL_KEYS.has(k) && typeof x === 'string') out.push(x, x.toLowerCase(), x.toUpperCase());
        else personal(x, out);
      }
    }
    return out;
  }

  function redactor(source?: unknown) {
    const needles = [...new Set([...caseNeedles, ...(source === undefined ? [] : personal(source))])]
      .filter((s): s is string => typeof s === 'string' && s.trim().length >= MIN_NEEDLE && s !== WITHHELD)
      // Longest first, so that a shorter needle inside a longer one does not leave a piece behind.
      .sort((a, b) => b.length - a.length);
    return (v: unknown) => redact(v, needles);
  }

  function redact(v: unknown, needles: readonly string[]): { value: unknown; changed: boolean } {
    if (typeof v === 'string') {
      let out = v;
      for (const n of needles) out = out.split(n).join(WITHHELD);
      return { value: out, changed: out !== v };
    }
    if (Array.isArray(v)) {
      let changed = false;
      const value = v.map((x) => {
        const r = redact(x, needles);
        changed ||= r.changed;
        return r.value;
      });
      return { value: changed ? value : v, changed };
    }
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      let changed = false;
      const value: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (PERSONAL_KEYS.has(k) && typeof x === 'string' && x !== '') {
          value[k] = WITHHELD;
          changed ||= x !== WITHHELD;
          continue;
        }
        const r = redact(x, needles);
        changed ||= r.changed;
        value[k] = r.value;
      }
      return { value: changed ? value : v, changed };
    }
    return { value: v, changed: false };
  }

  return {
    full,
    party: () => (full ? { idNumber: row.party_id_number, address: row.party_address } : { idNumber: null, address: null }),
    value: <T>(v: T, source?: unknown): T => (full ? v : (redactor(source)(v).value as T)),
    withholds: (v: unknown) => !full && redactor()(v).changed,
  };
}
