// The case file (案卷, R-R07): documents in the statutory order with the evidence records in their
// place, a completeness check that lists everything missing, and the archive step that refuses an
// incomplete file. Archiving issues the cover (案卷封面) and the index (卷内文件目录) as final documents.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { getCalendar } from '../platform/calendar/index.ts';
import { evidenceStorage } from '../blobs/service.ts';
import { recordChange } from '../platform/changes.ts';
import { actorUserId, loadCase, loadCaseForWork } from './access.ts';
import { caseAvRetention, computeAvRetention, insertAvRetention } from './av-retention.ts';
import { issueInTx, storeIssuedPdfs } from './case-documents.ts';
import { definitionOf } from './definitions.ts';
import { finalFieldProblems, isLegacyText } from './document-render.ts';
import { minimiseFor } from './minimise.ts';
import { prepareStep, performStepInTx } from './perform-step.ts';
import { checkStep, refusalError, type ProcedureDefinition, type Refusal } from './procedures/index.ts';
import * as recordsRepo from './records-store.ts';
import { AV_KINDS, RECORD_KIND_LABELS } from './schema.ts';
import * as casesRepo from './store.ts';

/**
 * Order of a case file: cover and index, initiation, evidence (the records follow the evidence
 * documents), investigation report, notice and hearing, review, discussion, decision, service,
 * execution, closing. Kinds not listed follow in the order they were made.
 */
export const CASE_FILE_ORDER: readonly string[] = [
  'case_file_cover', 'case_file_index',
  'case_source_record', 'filing_approval', 'no_filing_approval', 'inspection_task', 'licence_application', 'correction_notice', 'correction_materials',
  'acceptance_notice', 'rejection_notice', 'coercion_approval', 'emergency_approval',
  'inspection_record', 'inquiry_record', 'sampling_record', 'verification_record', 'evidence_preservation_notice', 'preservation_disposal_decision',
  'seizure_decision', 'seizure_list', 'seizure_record', 'testing_notice', 'testing_report', 'special_procedure_notice', 'special_procedure_result',
  'seizure_extension_decision', 'licence_extension_notice',
  '__records__',
  'investigation_report', 'inspection_result_notice', 'rectification_order', 'rectification_review_record',
  'prior_notice', 'hearing_rights_notice', 'statement_record', 'hearing_waiver', 'hearing_application', 'hearing_public_notice', 'hearing_notice',
  'hearing_record', 'hearing_report', 'review_opinion', 'review_coordination_record', 'collective_discussion_record',
  'penalty_decision', 'no_penalty_decision', 'onsite_penalty_decision', 'case_transfer', 'case_dismissal_approval', 'licence_decision', 'licence_refusal',
  'licence_certificate', 'release_decision', 'property_return_list', 'seizure_disposal_decision',
  'service_receipt', 'publication_record', 'fine_receipt', 'fine_remittance_record', 'enforcement_notice', 'court_enforcement_application',
  'execution_record', 'onsite_filing_report', 'closing_approval',
];
const rank = (type: string) => {
  const i = CASE_FILE_ORDER.indexOf(type);
  return i < 0 ? CASE_FILE_ORDER.length : i;
};

export interface CaseFileItem {
  order: number;
  kind: 'document' | 'record';
  id: string;
  type: string;
  title: string;
  number: string | null;
  date: string;
  status: string;
  sha256: string | null;
  size: number | null;
  author: string;
}

export async function assembleItems(ctx: AppContext, row: casesRepo.CaseRow): Promise<{ items: CaseFileItem[]; documents: casesRepo.DocumentRow[]; records: recordsRepo.RecordRow[] }> {
  const documents = await casesRepo.listDocuments(ctx.db, row.id);
  const records = await recordsRepo.listRecords(ctx.db, row.id);
  const docItems = documents.map((d, i) => ({ r: rank(d.type), i, item: {
    kind: 'document' as const, id: d.id, type: d.type, title: d.title, number: d.number, date: d.issued_on ?? d.created_at.toISOString().slice(0, 10),
    status: d.status, sha256: d.pdf_sha256, size: d.pdf_size === null ? null : Number(d.pdf_size), author: row.agency_name,
  } }));
  const recRank = rank('__records__');
  const recItems = records.map((r, i) => ({ r: recRank, i: documents.length + i, item: {
    kind: 'record' as const, id: r.id, type: r.kind, title: `${RECORD_KIND_LABELS[r.kind]}：${r.title}`, number: null, date: new Date(r.started_at).toISOString().slice(0, 10),
    status: r.corrected_by ? 'corrected' : 'final', sha256: r.blob_sha256, size: r.size === null ? null : Number(r.size), author: r.recorder_name,
  } }));
  const items = [...docItems, ...recItems].sort((a, b) => a.r - b.r || a.i - b.i).map((x, i) => ({ order: i + 1, ...x.item }));
  return { items, documents, records };
}

/** Everything that stands between the case and its archive (R-R07), each with a reason. */
export async function caseFileProblems(ctx: AppContext, row: casesRepo.CaseRow, def: ProcedureDefinition, actor: Actor): Promise<Refusal[]> {
  const out: Refusal[] = [];
  const add = (reason: string, extra: Partial<Refusal> = {}) => out.push({ code: 'file_incomplete', reason, ...extra });
  if (row.status === 'archived') return [{ code: 'step_not_available', reason: '案件已归档' }];

  // The procedure's own rules for the archive step (closing done, its documents present).
  const check = checkStep(def, row.state, { step: 'archive', on: todayInShanghai(), actor: { id: actor.id, role: 'officer' } }, { calendar: await getCalendar(ctx.db), today: todayInShanghai() });
  for (const r of check.refusals) out.push(r.code === 'step_not_available' ? { ...r, code: 'file_incomplete', reason: `程序尚未办结：${r.reason}` } : r);

  const { documents, records } = await assembleItems(ctx, row);
  const byId = new Map(documents.map((d) => [d.id, d]));
  for (const ref of row.state.documents) {
    const d = byId.get(ref.ref);
    if (!d) add(`案件记载的文书 ${ref.type}（${ref.ref}）不在案卷中`, { document: ref.type });
    else if (d.status !== 'final') add(`${d.title}尚未定稿`, { document: d.type });
  }
  for (const d of documents) if (d.status === 'draft') add(`${d.title}仍是草稿：请定稿或删除`, { document: d.type });
  // Issue 16 (R-R02): the completeness check of finalisation runs again at archive — every final document
  // still has its required elements, filled in properly (a document finalised as text before its type
  // had a form is kept as registered). One case, one file: a case already has its cover only once.
  for (const d of documents) {
    if (d.status !== 'final' || isLegacyText(d.type, d.fields) || !d.issued_on) continue;
    const r = finalFieldProblems(d.type, d.fields, d.issued_on);
    if (!r.ok) add(`${d.number ?? d.title}要素不全：${r.errors.map((e) => `${e.field}：${e.message}`).join('；')}`, { document: d.type });
  }
  if (documents.some((d) => d.type === 'case_file_cover')) add('本案已有案卷封面：一案一卷，不得重复立卷', { document: 'case_file_cover' });

  // R-R04: every step whose rule made AV mandatory has its AV records in the file.
  const steps = await casesRepo.listSteps(ctx.db, row.id);
  for (const s of steps) {
    if (s.av_requirement !== 'mandatory') continue;
    const av = records.filter((r) => r.claimed_seq === s.seq && (r.kind === 'video' || r.kind === 'audio'));
    const name = def.steps.find((x) => x.key === s.step)?.name ?? s.step;
    if (!av.length) add(`「${name}」（第 ${s.seq} 步）须全程音像记录，案卷中没有其录像或录音`, { step: s.step });
  }
  // R-R05: every evidence file and PDF is in the store, whole.
  const storage = evidenceStorage(ctx);
  for (const r of records) {
    if (!r.blob_sha256) continue;
    const st = await storage.stat(r.blob_sha256);
    if (!st || st.size !== Number(r.size)) add(`记录“${r.title}”的文件在证据库中缺失或不完整（${r.blob_sha256}）`);
  }
  for (const r of records) if (AV_KINDS.includes(r.kind) && !r.claimed_seq && !r.step_seq) add(`音像记录“${r.title}”未归属任何已办理的环节（「${def.steps.find((s) => s.key === r.step)?.name ?? r.step}」尚未办理）`);
  const reviews = await casesRepo.listReviews(ctx.db, row.id);
  for (const r of reviews) if (r.opinion_result === null) add(`第 ${r.round} 次法制审核报送尚无审核意见`);
  return out;
}

export async function caseFile(ctx: AppContext, actor: Actor, caseId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const { items, records } = await assembleItems(ctx, row);
  const problems = row.status === 'archived' ? [] : await caseFileProblems(ctx, row, def, actor);
  // R-R10: each AV record with the AV list's retention period and, once archived, the date it is kept until.
  const avRetention = await caseAvRetention(ctx.db, def, records, await casesRepo.listSteps(ctx.db, row.id), archivedOn(row));
  // R-P14: titles are free text; the one minimisation rule applies here as everywhere.
  return minimiseFor(actor, row).value({ caseId, number: row.number, status: row.status, complete: problems.length === 0, missing: problems, items, avRetention });
}

/** The archive date: the archive step's date (the date the archive was recorded under). */
export function archivedOn(row: casesRepo.CaseRow): string | null {
  return row.status === 'archived' ? (row.state.steps.findLast((s) => s.step === 'archive')?.on ?? null) : null;
}

/** Counts the pages of a PDF made by pdfkit (one `/Type /Page` object per page). */
function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length || 1;
}

async function storedPages(ctx: AppContext, sha256: string | null): Promise<number> {
  if (!sha256) return 1;
  const storage = evidenceStorage(ctx);
  if (!(await storage.stat(sha256))) return 1;
  const chunks: Buffer[] = [];
  for await (const c of storage.read(sha256)) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return pageCount(Buffer.concat(chunks));
}

/** R-R07: closes the file in its order with cover and index, or refuses with the list of what is missing. */
export async function archiveCase(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: { on: string; retention?: '永久' | '定期30年' | '定期10年' }) {
  const row = await loadCaseForWork(ctx, req, actor, caseId, 'cases.archive');
  const def = await definitionOf(ctx.db, row.procedure_id, row.procedure_version);
  const problems = await caseFileProblems(ctx, row, def, actor);
  if (problems.length) throw refusalError(problems);
  const env = await prepareStep(ctx, actor, row, { officerIds: [] });
  const { items } = await assembleItems(ctx, row);
  // Pages of each document for the index (the cover and the index themselves come first, one page each at least).
  let page = 3;
  const entries: Record<string, string>[] = [];
  for (const it of items) {
    const pages = it.kind === 'document' ? await storedPages(ctx, it.sha256) : 1;
    entries.push({ ...(it.number ? { number: it.number } : {}), author: it.author, title: it.title, date: it.date, pages: pages > 1 ? `${page}-${page + pages - 1}` : String(page), ...(it.kind === 'record' ? { remarks: '电子文件' } : {}) });
    page += pages;
  }
  const filed = row.state.steps.find((s) => ['filing', 'application', 'inspection_task', 'measure_proposal', 'onsite_notice'].includes(s.step))?.on ?? row.state.steps[0]?.on ?? input.on;
  const closedOn = [...row.state.steps].reverse().find((s) => def.steps.find((x) => x.key === s.step)?.stage === 'close')?.on ?? row.state.steps.at(-1)?.on ?? input.on;
  const decision = [...row.state.steps].reverse().find((s) => def.steps.find((x) => x.key === s.step)?.stage === 'decide');
  const result = decision ? def.steps.find((x) => x.key === decision.step)!.name : def.steps.find((x) => x.key === row.state.cursor)?.name ?? '办结';
  const name = (await casesRepo.userName(ctx.db, actor.id)) ?? actor.name;

  const out = await ctx.db.transaction(async (tx) => {
    const current = (await casesRepo.getCase(tx, caseId, { forUpdate: true }))!;
    if (current.state.steps.length !== row.state.steps.length) throw new AppError('conflict', { detail: '案件在检查期间发生了变化，请重新归档。' });
    const cover = await issueInTx(tx, ctx, actor, current, def, {
      type: 'case_file_cover',
      issuedOn: input.on,
      fields: {
        caseTitle: current.title, caseNumber: current.number, party: current.party_name, filedOn: filed, closedOn: closedOn < filed ? filed : closedOn,
        result, retention: input.retention ?? '定期30年', documentCount: items.length + 2, pageCount: Math.max(page - 1, items.length + 2), compiler: name, archivedOn: input.on,
      },
    });
    const index = await issueInTx(tx, ctx, actor, current, def, { type: 'case_file_index', issuedOn: input.on, fields: { caseNumber: current.number, entries } });
    const step = await performStepInTx(tx, ctx, actor, caseId, env, { step: 'archive', on: input.on, officerIds: [], facts: {}, documentIds: [], documents: [] }, { reserved: true });
    // R-R10: what the archive keeps is kept for the AV list's period, fixed now from the archive date.
    const retention = await computeAvRetention(tx, def, await recordsRepo.listRecords(tx, caseId), await casesRepo.listSteps(tx, caseId), input.on);
    if (retention.length) {
      const { eventId } = await recordChange(tx, {
        kind: 'cases.av_retention_fixed', agencyId: current.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
        data: {
          caseId, archivedOn: input.on,
          records: retention.map((x) => ({ recordId: x.recordId, rule: x.rule, avList: x.avList, period: x.period, years: x.years, method: x.method, retainUntil: x.retainUntil })),
        },
      });
      await insertAvRetention(tx, caseId, retention, eventId);
    }
    return { pdfs: [cover, index, ...step.pdfs], seq: step.seq };
  });
  await storeIssuedPdfs(ctx, actor, out.pdfs);
  return { caseId, status: 'archived', seq: out.seq, documents: out.pdfs.map((p) => ({ id: p.documentId, sha256: p.sha256 })) };
}
