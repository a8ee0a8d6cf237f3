// Documents of a case (R-R02, R-R09): drafts that officers edit, then final documents with their 文号
// (documents/numbering.ts, inside the transaction that finalises them: no gaps, no repeats), a PDF
// rendered with a QR code to the ledger, kept in the evidence store by its SHA-256. A final document
// never changes (database trigger); a mistake is corrected by a new document.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { recordChange, type Change } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { evidenceStorage, storeEvidence } from '../blobs/service.ts';
import { agencyAbbreviation } from './abbreviation.ts';
import { actorUserId, loadCase, loadCaseForWork, refuseIfArchived } from './access.ts';
import { definitionOf } from './definitions.ts';
import { composeForRender, documentContentDigest, finalFieldProblems, hasForm, isLegacyText, isStructured, kindAbbreviationFor, pinnedLocalText, renderPdf, withLocalText } from './document-render.ts';
import { composeDocument, nextDocumentNumber } from './documents/index.ts';
import { renderComposedDocx } from './documents/docx.ts';
import { minimiseFor } from './minimise.ts';
import { pinFor } from './templates.ts';
import { documentName, DOCUMENT_TYPES as PROCEDURE_DOCUMENTS, type ProcedureDefinition } from './procedures/index.ts';
import * as casesRepo from './store.ts';

export function documentOut(d: casesRepo.DocumentRow) {
  return {
    id: d.id, type: d.type, title: d.title, status: d.status, number: d.number, issuedOn: d.issued_on, fields: d.fields,
    pdfSha256: d.pdf_sha256, pdfSize: d.pdf_size === null ? null : Number(d.pdf_size), createdAt: d.created_at, finalisedAt: d.finalised_at,
    template: d.template ?? null,
  };
}

function knownType(def: ProcedureDefinition, type: string): boolean {
  return isStructured(type) || PROCEDURE_DOCUMENTS.has(type) || def.documents.some((d) => d.key === type);
}

export function checkType(def: ProcedureDefinition, type: string) {
  if (!knownType(def, type)) throw new AppError('validation', { detail: `未知的文书类型“${type}”。`, errors: [{ field: 'type', message: '未知的文书类型' }] });
}

export async function createDraft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: { type: string; fields: Record<string, unknown> }) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.document_draft');
  refuseIfArchived(row);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  checkType(def, input.type);
  const id = crypto.randomUUID();
  const template = hasForm(input.type) ? await pinFor(ctx.db, row, input.type) : undefined;
  await casesRepo.insertDocument(ctx.db, { id, caseId, agencyId: row.agency_id, type: input.type, title: documentName(input.type, def.documents), fields: input.fields, createdBy: actorUserId(actor), template });
  return documentOut((await casesRepo.getDocument(ctx.db, caseId, id))!);
}

async function loadDraft(q: Queryable, caseId: string, id: string) {
  const d = await casesRepo.getDocument(q, caseId, id);
  if (!d) throw notFound('文书');
  if (d.status === 'final') throw new AppError('invalid_state', { detail: `文书${d.number ?? d.title}已定稿，不得修改或删除；如有错误，请另行制作文书更正（R-R02）。` });
  return d;
}

export async function updateDraft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, id: string, fields: Record<string, unknown>) {
  await loadCaseForWork(ctx, req, actor, caseId, 'cases.document_update');
  await loadDraft(ctx.db, caseId, id);
  await casesRepo.updateDraft(ctx.db, id, fields);
  return documentOut((await casesRepo.getDocument(ctx.db, caseId, id))!);
}

export async function deleteDraft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, id: string) {
  await loadCaseForWork(ctx, req, actor, caseId, 'cases.document_delete');
  await loadDraft(ctx.db, caseId, id);
  await casesRepo.deleteDraft(ctx.db, id);
  return { ok: true };
}

export interface IssuedPdf {
  documentId: string;
  /** The agency whose document it is: the stored PDF is attached to it (read through the case, R-R06). */
  agencyId: string;
  sha256: string;
  pdf: Buffer;
  filename: string;
}

/**
 * Finalises a draft inside the caller's transaction: validates every field, takes the 文号, renders the
 * PDF with its QR code and commits the event. The PDF bytes are returned for `storeIssuedPdfs` after commit.
 */
export async function finaliseInTx(
  tx: Queryable,
  ctx: AppContext,
  actor: Actor,
  row: casesRepo.CaseRow,
  doc: casesRepo.DocumentRow,
  input: { issuedOn: string; kindAbbreviation?: string },
): Promise<IssuedPdf & { number: string | null }> {
  if (input.issuedOn > todayInShanghai()) throw new AppError('validation', { detail: `成文日期 ${input.issuedOn} 晚于今天。`, errors: [{ field: 'issuedOn', message: '成文日期不能晚于今天' }] });
  const check = finalFieldProblems(doc.type, doc.fields, input.issuedOn);
  if (!check.ok) {
    throw new AppError('validation', { detail: `${doc.title}有 ${check.errors.length} 处需要补正：${check.errors.map((e) => `${e.field}：${e.message}`).join('；')}`, errors: check.errors });
  }
  const kind = input.kindAbbreviation ?? kindAbbreviationFor(doc.type);
  const number = kind
    ? (await nextDocumentNumber(tx, { agencyId: row.agency_id, agencyAbbreviation: agencyAbbreviation(row.agency_name), kindAbbreviation: kind, year: Number(input.issuedOn.slice(0, 4)) })).number
    : null;
  const digest = documentContentDigest({ caseId: row.id, type: doc.type, number, agencyId: row.agency_id, issuedOn: input.issuedOn, fields: check.value });
  const pdf = await renderPdf({
    type: doc.type, title: doc.title, number, caseNumber: row.number, agencyName: row.agency_name, fields: check.value, issuedOn: input.issuedOn,
    qrUrl: `${ctx.config.publicUrl}/ledger/verify?sha256=${digest}`, localText: pinnedLocalText(doc.template),
  });
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  // The public digest makes the finalisation findable by the QR code on /ledger/verify (docs/CASES.md).
  const change: Change = {
    kind: 'cases.document_finalised',
    agencyId: row.agency_id,
    subjectType: 'case',
    subjectId: row.id,
    actorId: actorUserId(actor),
    data: { caseId: row.id, documentId: doc.id, type: doc.type, title: doc.title, number, issuedOn: input.issuedOn, contentSha256: digest, pdfSha256: sha256, pdfSize: pdf.length },
    publicDigest: digest,
  };
  const { eventId } = await recordChange(tx, change);
  await casesRepo.finaliseDocument(tx, { id: doc.id, fields: check.value, number, issuedOn: input.issuedOn, sha256, size: pdf.length, by: actorUserId(actor), eventId });
  await casesRepo.recordPenaltyFigures(tx, [doc.id]);
  return { documentId: doc.id, agencyId: row.agency_id, number, sha256, pdf, filename: `${number ?? doc.title}.pdf` };
}

/** Creates and finalises a document in one go inside the caller's transaction (step outputs, review opinions, case-file cover). */
export async function issueInTx(
  tx: Queryable,
  ctx: AppContext,
  actor: Actor,
  row: casesRepo.CaseRow,
  def: ProcedureDefinition,
  d: { type: string; fields: Record<string, unknown>; issuedOn: string; kindAbbreviation?: string },
): Promise<IssuedPdf & { number: string | null; type: string }> {
  checkType(def, d.type);
  const id = crypto.randomUUID();
  const template = hasForm(d.type) ? await pinFor(tx, row, d.type) : undefined;
  await casesRepo.insertDocument(tx, { id, caseId: row.id, agencyId: row.agency_id, type: d.type, title: documentName(d.type, def.documents), fields: d.fields, createdBy: actorUserId(actor), template });
  const doc = (await casesRepo.getDocument(tx, row.id, id))!;
  return { ...(await finaliseInTx(tx, ctx, actor, row, doc, d)), type: d.type };
}

/**
 * After the transaction committed: the PDFs into the evidence store (blobs table, its own ledger entry),
 * attached to the case's agency as they are stored, so that a PDF's hash (public in the ledger) never
 * downloads it: it is read through the case's document route (R-R06). Rendering is deterministic, so
 * a PDF lost between commit and here is rendered again byte for byte when asked for (documentPdf).
 */
export async function storeIssuedPdfs(ctx: AppContext, actor: Actor, pdfs: readonly IssuedPdf[]) {
  for (const p of pdfs) {
    try {
      await storeEvidence(ctx, actor, { body: Readable.from([p.pdf]), mediaType: 'application/pdf', filename: p.filename, declaredLength: p.pdf.length }, {
        attach: { agencyId: p.agencyId, by: actorUserId(actor), purpose: 'document' },
      });
    } catch (err) {
      ctx.log.error({ err, documentId: p.documentId }, '文书 PDF 存入证据库失败，将在调阅时重新生成');
    }
  }
}

export async function finaliseDocument(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, id: string, input: { issuedOn: string; kindAbbreviation?: string }) {
  const pre = await loadCaseForWork(ctx, req, actor, caseId, 'cases.document_finalise');
  refuseIfArchived(pre);
  await loadDraft(ctx.db, caseId, id);
  const issued = await ctx.db.transaction(async (tx) => {
    const row = (await casesRepo.getCase(tx, pre.id))!;
    const doc = await casesRepo.getDocument(tx, caseId, id, { forUpdate: true });
    if (!doc || doc.status !== 'draft') throw new AppError('invalid_state', { detail: '该文书已定稿。' });
    return finaliseInTx(tx, ctx, actor, row, doc, input);
  });
  await storeIssuedPdfs(ctx, actor, [issued]);
  return documentOut((await casesRepo.getDocument(ctx.db, caseId, id))!);
}

/**
 * The final PDF, from the evidence store, or rendered again from the stored fields and checked against
 * its hash. R-P14: whoever may not see the party's ID number and address gets a copy rendered from the
 * minimised fields (`redacted`: its bytes are not the registered ones, which the hash says).
 */
export async function documentPdf(ctx: AppContext, actor: Actor, caseId: string, id: string): Promise<{ pdf: Buffer | Readable; size: number; filename: string; sha256: string; redacted: boolean }> {
  const row = await loadCase(ctx.db, actor, caseId);
  const d = await casesRepo.getDocument(ctx.db, caseId, id);
  if (!d) throw notFound('文书');
  if (d.status !== 'final' || !d.pdf_sha256) throw new AppError('invalid_state', { detail: '文书尚未定稿，没有正式 PDF；草稿可导出 DOCX 修改。' });
  const filename = `${d.number ?? d.title}.pdf`;
  const digest = documentContentDigest({ caseId, type: d.type, number: d.number, agencyId: row.agency_id, issuedOn: d.issued_on!, fields: d.fields });
  const render = (edit?: Parameters<typeof renderPdf>[1]) =>
    renderPdf({ type: d.type, title: d.title, number: d.number, caseNumber: row.number, agencyName: row.agency_name, fields: d.fields, issuedOn: d.issued_on!, qrUrl: `${ctx.config.publicUrl}/ledger/verify?sha256=${digest}`, localText: pinnedLocalText(d.template) }, edit);
  const m = minimiseFor(actor, row);
  if (m.withholds(d.fields)) {
    // Composed from the registered fields (so it says what the original says), then minimised.
    const pdf = await render((c) => m.value(c, d.fields));
    return { pdf, size: pdf.length, filename: `${d.number ?? d.title}（隐去个人信息）.pdf`, sha256: crypto.createHash('sha256').update(pdf).digest('hex'), redacted: true };
  }
  const storage = evidenceStorage(ctx);
  const stat = await storage.stat(d.pdf_sha256);
  if (stat && stat.size === Number(d.pdf_size)) return { pdf: storage.read(d.pdf_sha256), size: stat.size, filename, sha256: d.pdf_sha256, redacted: false };
  const pdf = await render();
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  if (sha256 !== d.pdf_sha256) throw new AppError('internal', { detail: '文书 PDF 在证据库中缺失，且重新生成的文件与登记的摘要不一致，请联系管理员。' });
  await storeIssuedPdfs(ctx, actor, [{ documentId: d.id, agencyId: row.agency_id, sha256, pdf, filename }]);
  return { pdf, size: pdf.length, filename, sha256, redacted: false };
}

/** R-R02: an editable DOCX of a draft with a structured form (R-P14: minimised like every representation). */
export async function documentDocx(ctx: AppContext, actor: Actor, caseId: string, id: string): Promise<{ docx: Buffer; filename: string }> {
  const row = await loadCase(ctx.db, actor, caseId);
  const d = await casesRepo.getDocument(ctx.db, caseId, id);
  if (!d) throw notFound('文书');
  if (!hasForm(d.type) || isLegacyText(d.type, d.fields)) throw new AppError('invalid_state', { detail: `${d.title}暂无结构化格式，不提供 DOCX 草稿。` });
  const localText = pinnedLocalText(d.template);
  const composed = isStructured(d.type)
    ? withLocalText(composeDocument({ type: d.type, number: d.number ?? undefined, agencyName: row.agency_name, fields: d.fields, issuedOn: d.issued_on ?? todayInShanghai() }), localText)
    : composeForRender({ type: d.type, title: d.title, number: d.number, caseNumber: row.number, agencyName: row.agency_name, fields: d.fields, issuedOn: d.issued_on ?? todayInShanghai(), localText });
  const docx = await renderComposedDocx(minimiseFor(actor, row).value(composed, d.fields));
  return { docx, filename: `${d.title}（草稿）.docx` };
}
