// Rendering a case document to its final PDF (R-R02). The fifteen documents with a structured form go
// through the documents module (src/cases/documents); every other kind the procedures name (案件来源登记表,
// 调查终结报告, 延长查封（扣押）期限决定书, …) is a titled text document laid out the same way, until the
// documents module gives it a form of its own. Final documents carry a QR code to the ledger's verify
// page with the digest of their content (R-R09, issue 4 "Each final document carries a QR code").
import crypto from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../platform/changes.ts';
import type { FieldError } from '../platform/errors.ts';
import {
  DOCUMENTS, DOCUMENT_TYPES as STRUCTURED_TYPES, chineseDate, checkDocumentFields, composeDocument, renderComposedPdf,
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

/** Letters to the party (决定书、通知书、告知书) and their default 文号 类别字; everything else is an internal form. */
const GENERIC_LETTERS: Record<string, string> = {
  onsite_penalty_decision: '简罚',
  preservation_disposal_decision: '先处',
  case_transfer: '移送',
  enforcement_notice: '催告',
  court_enforcement_application: '强执申',
  seizure_extension_decision: '延强',
  release_decision: '解强',
  seizure_disposal_decision: '强处',
  testing_notice: '检告',
  inspection_result_notice: '检果',
  rectification_order: '责改',
  acceptance_notice: '许受',
  rejection_notice: '不受',
  correction_notice: '补正',
  special_procedure_notice: '特告',
  hearing_rights_notice: '听告',
  hearing_public_notice: '听公',
  licence_extension_notice: '许延',
  licence_decision: '准许',
  licence_refusal: '不许',
};

export function kindAbbreviationFor(type: string): string | undefined {
  if (isStructured(type)) return DOCUMENTS[type].kindAbbreviation;
  return GENERIC_LETTERS[type];
}

export function isLetter(type: string): boolean {
  return isStructured(type) ? DOCUMENTS[type].layout === 'letter' : type in GENERIC_LETTERS;
}

/** Checks the fields a final document needs; a draft may be incomplete. */
export function finalFieldProblems(type: string, fields: unknown, issuedOn: string): { ok: true; value: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  if (isStructured(type)) {
    const r = checkDocumentFields(type, fields, { issuedOn });
    return r.ok ? { ok: true, value: r.value as Record<string, unknown> } : r;
  }
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
}

/** What the PDF says, block by block, after the fields are checked (a minimised copy is made from it, R-P14). */
export function composeForRender(d: RenderInput): ComposedDocument {
  if (isStructured(d.type)) return composeDocument({ type: d.type, number: d.number ?? d.caseNumber, agencyName: d.agencyName, fields: d.fields, issuedOn: d.issuedOn, qrUrl: d.qrUrl });
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
