// Rendering a case document to its final PDF (R-R02). The fifteen documents with a hand-made layout and
// the other forms of the built-in procedures (documents/forms.ts) go through the documents module; only an
// agency's own local kind, and documents finalised as text before their type had a form, are titled text. Final documents carry a QR code to the ledger's verify
// page with the digest of their content (R-R09, issue 4 "Each final document carries a QR code").
import crypto from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../platform/changes.ts';
import type { FieldError } from '../platform/errors.ts';
import {
  DOCUMENTS, DOCUMENT_TYPES as STRUCTURED_TYPES, FORMS, chineseDate, checkDocumentFields, checkFormFields, composeDocument, composeForm, isForm, renderComposedPdf,
  type ComposedDocument, type DocumentType as StructuredType,
} from './documents/index.ts';

export function isStructured(type: string): type is StructuredType {
  return (STRUCTURED_TYPES as readonly string[]).includes(type);
}

/** A text document: the body in paragraphs, with the party and the legal basis where it has them. */
export const GenericFields = z.object({
  party: z.string().trim().max(200, '当事人最多 200 字').meta({ title: '当事人' }).optional(),
  body: z.string({ error: '请填写文书正文' }).trim().min(1, '请填写文书正文').max(20000, '正文最多 20000 字').meta({ title: '正文', 'x-kind': 'textarea', description: '分段书写，每段一行' }),
  basis: z.string().trim().max(2000, '依据最多 2000 字').meta({ title: '依据', 'x-kind': 'textarea' }).optional(),
});
export type GenericFields = z.infer<typeof GenericFields>;

/** Every document a built-in procedure produces has a form (R-R02); only an agency's own local kind is text. */
export function hasForm(type: string): boolean {
  return isStructured(type) || isForm(type);
}

export function kindAbbreviationFor(type: string): string | undefined {
  if (isStructured(type)) return DOCUMENTS[type].kindAbbreviation;
  return FORMS[type]?.kindAbbreviation;
}

export function isLetter(type: string): boolean {
  return isStructured(type) ? DOCUMENTS[type].layout === 'letter' : FORMS[type]?.layout === 'letter';
}

/**
 * A document finalised as free text before its type had a form (demo and early cases): it stays
 * readable and renders as it was registered; it never changes (R-R02), so it is not migrated.
 */
export function isLegacyText(type: string, fields: unknown): boolean {
  if (isStructured(type) || !fields || typeof fields !== 'object') return false;
  const f = fields as Record<string, unknown>;
  return typeof f.body === 'string' && (f.party === undefined || typeof f.party === 'string');
}

/** Checks the fields a final document needs; a draft may be incomplete. */
export function finalFieldProblems(type: string, fields: unknown, issuedOn: string): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  if (isStructured(type)) {
    const r = checkDocumentFields(type, fields, { issuedOn });
    return r.ok ? { ok: true, value: r.value as Record<string, unknown> } : r;
  }
  if (isForm(type)) return checkFormFields(type, fields, issuedOn);
  const r = GenericFields.safeParse(fields ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ field: i.path.join('.') || '(根)', message: i.message })) };
}

export interface RenderInput {
  type: string;
  title: string;
  /** 文号 of a letter; absent for records and forms. */
  number: string | null;
  caseNumber: string;
  agencyName: string;
  fields: Record<string, unknown>;
  issuedOn: string;
  qrUrl?: string;
  /** The agency adaptation's local text of the template the document was made under (R-R11). */
  localText?: string;
}

/** The local text an agency's adaptation of a template carries (templates.ts), from the document's pin. */
export function pinnedLocalText(template: unknown): string | undefined {
  const t = (template as { localText?: unknown } | null)?.localText;
  return typeof t === 'string' && t.trim() ? t.trim() : undefined;
}

/**
 * R-R02/R-R11: an agency's adaptation of a format adds its local text to every document made under it,
 * printed as the document's last section before the signatures or the seal (where the form closes).
 */
export function withLocalText(c: ComposedDocument, localText: string | undefined): ComposedDocument {
  if (!localText) return c;
  const closing = c.blocks.findLastIndex((b) => b.kind === 'seal' || b.kind === 'signatures');
  const at = closing < 0 ? c.blocks.length : closing;
  return { ...c, blocks: [...c.blocks.slice(0, at), { kind: 'field', label: '本机关补充说明', value: localText }, ...c.blocks.slice(at)] };
}

/** What the PDF says, block by block, after the fields are checked (a minimised copy is made from it, R-P14). */
export function composeForRender(d: RenderInput): ComposedDocument {
  return withLocalText(composeBase(d), d.localText);
}

function composeBase(d: RenderInput): ComposedDocument {
  if (isStructured(d.type)) return composeDocument({ type: d.type, number: d.number ?? d.caseNumber, agencyName: d.agencyName, fields: d.fields, issuedOn: d.issuedOn, qrUrl: d.qrUrl });
  if (isForm(d.type) && !isLegacyText(d.type, d.fields)) return composeForm({ type: d.type, number: d.number, caseNumber: d.caseNumber, agencyName: d.agencyName, fields: d.fields, issuedOn: d.issuedOn, qrUrl: d.qrUrl });
  return composeGeneric(d);
}

export async function renderPdf(d: RenderInput, edit: (c: ComposedDocument) => ComposedDocument = (c) => c): Promise<Buffer> {
  return renderComposedPdf(edit(composeForRender(d)));
}

function composeGeneric(d: RenderInput): ComposedDocument {
  const f = GenericFields.parse(d.fields);
  const letter = isLetter(d.type);
  const paras = f.body
    .split(/\n+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((text) => ({ kind: 'para' as const, text, indent: true }));
  return {
    // The renderer uses the type only as PDF metadata; generic kinds are not among the structured ones.
    type: d.type as StructuredType,
    layout: letter ? 'letter' : 'record',
    title: d.title,
    agencyName: d.agencyName,
    headingLines: letter ? [d.agencyName, d.title] : [d.title],
    numberLine: letter ? (d.number ? { text: d.number, align: 'center' } : undefined) : { text: `案号：${d.caseNumber}`, align: 'right' },
    blocks: [
      ...(f.party ? [{ kind: 'field' as const, label: '当事人', value: f.party }] : []),
      ...paras,
      ...(f.basis ? [{ kind: 'field' as const, label: '依据', value: f.basis }] : []),
      ...(letter
        ? [{ kind: 'seal' as const, agency: d.agencyName, date: chineseDate(d.issuedOn) }]
        : [{ kind: 'signatures' as const, lines: [`制作人：　　　　　　　　　　　　${chineseDate(d.issuedOn)}`] }]),
    ],
    pageFooter: letter ? undefined : '签名：',
    issuedOn: d.issuedOn,
    qrUrl: d.qrUrl,
  };
}

/**
 * The digest printed in the QR code: SHA-256 of the canonical JSON of what the document says. The PDF
 * cannot carry its own hash; the ledger event of its finalisation holds both this digest and the PDF's.
 */
export function documentContentDigest(d: { caseId: string; type: string; number: string | null; agencyId: string; issuedOn: string; fields: unknown }): string {
  return crypto.createHash('sha256').update(canonicalJson({ case: d.caseId, type: d.type, number: d.number, agency: d.agencyId, issuedOn: d.issuedOn, fields: d.fields }), 'utf8').digest('hex');
}
