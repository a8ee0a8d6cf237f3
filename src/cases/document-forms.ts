// The form of a document for the back office: its fields as JSON Schema (titles, enums, required,
// lengths, date formats, from the same zod schemas that validate it), and a draft pre-filled from a
// case. The server stays the judge: the schema describes, checkDocumentFields decides.
import { z } from 'zod';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { loadCase, officerCredentials } from './access.ts';
import { checkType } from './case-documents.ts';
import { definitionOf, procedureDocumentName } from './definitions.ts';
import { prefillFields } from './document-prefill.ts';
import { discretionPrefill } from '../assist/discretion.ts';
import { GenericFields, isLetter, isStructured, kindAbbreviationFor } from './document-render.ts';
import { DOCUMENTS, FORMS, isForm } from './documents/index.ts';
import { minimiseFor } from './minimise.ts';
import * as casesRepo from './store.ts';

// Input view: a default is optional to the officer, refinements (cross-field rules) are left out.
const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' });
const cache = new Map<string, ReturnType<typeof jsonSchema>>();
const schemaOf = (key: string, s: z.ZodType) => cache.get(key) ?? cache.set(key, jsonSchema(s)).get(key)!;

const GENERIC_DESCRIPTION = '本机关自定的文书种类，暂无结构化格式：填写当事人和正文（每段一行），定稿时按文书标题排版并加盖印章或签名。';

/** The hand-made forms made on the spot (R-P09): inspection and coercive-measure records. */
export const ONSITE_STRUCTURED: ReadonlySet<string> = new Set(['inspection_record', 'seizure_record']);

/** JSON Schema of a document type's fields: its electronic information format (R-R02), for the archive too. */
export function electronicFormat(type: string): unknown | null {
  if (isStructured(type)) return schemaOf(type, DOCUMENTS[type].schema);
  if (isForm(type)) return schemaOf(type, FORMS[type]!.schema);
  return null;
}

export async function documentForm(ctx: AppContext, type: string) {
  if (isStructured(type)) {
    const d = DOCUMENTS[type];
    return { type, title: d.title, structured: true, description: d.describe(), kindAbbreviation: d.kindAbbreviation ?? null, layout: d.layout, onSite: ONSITE_STRUCTURED.has(type), schema: schemaOf(type, d.schema) };
  }
  if (isForm(type)) {
    const d = FORMS[type]!;
    return { type, title: d.title, structured: true, description: d.describe(), kindAbbreviation: d.kindAbbreviation ?? null, layout: d.layout, onSite: d.onSite, schema: schemaOf(type, d.schema) };
  }
  const title = await procedureDocumentName(ctx.db, type);
  if (!title) throw new AppError('not_found', { detail: `未知的文书类型“${type}”：没有哪个程序制作这种文书。` });
  return {
    type, title, structured: false, description: GENERIC_DESCRIPTION, kindAbbreviation: kindAbbreviationFor(type) ?? null,
    // The layouts composeGeneric draws.
    layout: isLetter(type) ? 'letter' : 'record', onSite: false,
    schema: schemaOf('(generic)', GenericFields),
  };
}

/**
 * The legal representative and phone the officer last wrote on one of the case's final documents: the
 * case does not store them, and typing them again on every document is what officers complain of.
 */
function partyContact(finals: casesRepo.DocumentRow[]): { legalRepresentative?: string; phone?: string } {
  for (const d of [...finals].reverse()) {
    const p = (d.fields as { party?: unknown } | null)?.party;
    if (!p || typeof p !== 'object') continue;
    const { legalRepresentative, phone } = p as { legalRepresentative?: unknown; phone?: unknown };
    if (typeof legalRepresentative === 'string' || typeof phone === 'string') {
      return { ...(typeof legalRepresentative === 'string' ? { legalRepresentative } : {}), ...(typeof phone === 'string' ? { phone } : {}) };
    }
  }
  return {};
}

const latest = (docs: casesRepo.DocumentRow[], ...types: string[]) => docs.filter((d) => types.includes(d.type)).at(-1);

/** A draft of the document from what the case records; whoever may read the case may ask for it. */
export async function documentPrefill(ctx: AppContext, actor: Actor, caseId: string, q: { type: string; on: string; officerIds: string[] }) {
  const row = await loadCase(ctx.db, actor, caseId);
  checkType(await definitionOf(ctx.db, row.procedure_id, row.procedure_version), q.type);
  const officers = await officerCredentials(ctx, actor, row.agency_id, q.officerIds);
  const finals = (await casesRepo.listDocuments(ctx.db, caseId)).filter((d) => d.status === 'final');
  // R-P14: the party's ID number and address only for whom the one minimisation rule allows.
  const m = minimiseFor(actor, row);
  const party = m.party();
  const fields = prefillFields(q.type, q.on, {
    number: row.number,
    title: row.title,
    party: { name: row.party_name, type: row.party_type, idType: row.party_id_type, idNumber: party.idNumber, address: party.address ?? '' },
    officers: officers.map((o) => ({ name: o.name, certificateNumber: o.certificate.number })),
    facts: row.state.facts,
    filedOn: latest(finals, 'filing_approval')?.issued_on ?? undefined,
    closedOn: latest(finals, 'closing_approval')?.issued_on ?? undefined,
    served: finals.filter((d) => isLetter(d.type)).map((d) => ({ title: d.title, number: d.number })),
    decisionNumber: latest(finals, 'penalty_decision', 'no_penalty_decision', 'onsite_penalty_decision')?.number ?? undefined,
    area: row.matter_area,
    partyContact: m.full ? partyContact(finals) : {},
  });
  // Issue 13: the decision's 裁量说明, violated provision and penalty basis from the discretion record.
  Object.assign(fields, await discretionPrefill(ctx.db, caseId, q.type));
  return { fields: m.value(fields) };
}
