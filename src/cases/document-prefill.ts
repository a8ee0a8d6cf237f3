// What a case already knows about a document it is about to produce: the 案号, the 案由, the party, the
// officers named on the step, the date, the amounts the procedure recorded, the documents served. Pure
// mapping, shared by the prefill endpoint (real cases: unknown fields stay empty) and the demo content
// (which adds sample wording on top).
import { isStructured } from './document-render.ts';
import { DOCUMENTS, FORMS, type FieldKind } from './documents/index.ts';
import { GENERATED_TEXTS } from './onsite-texts.ts';

/** The party as a case stores it (cases.party_*). */
export interface CaseParty {
  name: string;
  type: string;
  idType: string;
  idNumber: string | null;
  address: string;
}

/**
 * The case's party in the documents' Party shape. The case does not record a legal representative or a
 * phone number, so those are left for the officer; an ID number or address the case lacks is left out.
 */
export function documentParty(p: CaseParty): { type: 'organization' | 'individual'; name: string; idType: 'credit_code' | 'id_card' | 'other'; idNumber?: string; address?: string } {
  const organisation = p.type === 'organisation';
  return {
    type: organisation ? 'organization' : 'individual',
    name: p.name,
    idType: organisation ? (p.idType === 'credit_code' ? 'credit_code' : 'other') : p.idType === 'id_card' ? 'id_card' : 'other',
    ...(p.idNumber ? { idNumber: p.idNumber } : {}),
    ...(p.address ? { address: p.address } : {}),
  };
}

export interface PrefillCase {
  number: string;
  title: string;
  party: CaseParty;
  officers: { name: string; certificateNumber: string }[];
  /** The procedure's facts (fineAmount, proposedFine, …). */
  facts: Record<string, unknown>;
  /** Dates of the case's filing and closing approvals, where it has them. */
  filedOn?: string;
  closedOn?: string;
  /** Final documents issued to the party, for the service receipt. */
  served: { title: string; number: string | null }[];
  /** 文号 of the final penalty or no-penalty decision, for the closing approval. */
  decisionNumber?: string;
  /** The area of enforcement the case was registered for (where a summary decision was made). */
  area?: string;
  /** Written on an earlier document of the case (the case itself does not store them). */
  partyContact?: { legalRepresentative?: string; phone?: string };
}

const positive = (v: unknown): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);

function valueFor(key: string, kind: FieldKind, c: PrefillCase, on: string): unknown {
  switch (kind) {
    case 'party':
      return { ...documentParty(c.party), ...c.partyContact };
    case 'officers':
      return c.officers.length ? c.officers.map((o) => ({ ...o })) : undefined;
    case 'date':
      return key === 'filedOn' ? c.filedOn : key === 'closedOn' ? c.closedOn : on;
    case 'served_documents':
      return c.served.length ? c.served.map((d) => ({ title: d.title, ...(d.number ? { number: d.number } : {}) })) : undefined;
    case 'penalties': {
      const amount = positive(key === 'proposedPenalties' ? c.facts.proposedFine : c.facts.fineAmount);
      return amount === undefined ? undefined : [{ kind: '罚款', amount }];
    }
    default:
  }
  switch (key) {
    case 'caseNumber':
      return c.number;
    case 'cause':
    case 'caseTitle':
      return c.title;
    case 'party': // the case-file cover names the party in one line
    case 'recipient':
    case 'partyName':
    case 'payer':
    case 'applicant':
      return c.party.name;
    case 'servers':
      return c.officers.length ? c.officers.map((o) => o.name) : undefined;
    case 'decisionNumber':
      return c.decisionNumber;
    default:
      return undefined;
  }
}

/** A draft of `type` for the case on day `on`: only what the case knows; everything else is left out. */
export function prefillFields(type: string, on: string, c: PrefillCase): Record<string, unknown> {
  const fields = isStructured(type) ? DOCUMENTS[type].fields : FORMS[type]?.fields;
  // An agency's own local kind has no form: its party line only.
  if (!fields) return { party: c.party.name };
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) {
    // A form's own penalties come from its generated text (a summary decision may be a warning).
    if (key === 'penalties' && GENERATED_TEXTS[type]) continue;
    const v = valueFor(key, spec.kind, c, on);
    if (v !== undefined) out[key] = v;
  }
  return { ...out, ...GENERATED_TEXTS[type]?.(c, on) };
}
