// R-L09: who answers for a decision. One account per case, as JSON and as a PDF: who handled each step,
// who reviewed and what they found, who approved, the collective discussion, the rule versions that
// decided (major-decision catalog, AV-record list, procedure), each with its time and its place in the
// ledger. Read with the same access as the case (getCaseView: 404 outside the read scope), and the same
// minimisation (R-P14) applied to the whole account: the unit's answers to review problems are free text
// that may repeat the party's ID number or address.
import type { Actor } from '../platform/actor.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { entriesByDigest } from '../ledger/service.ts';
import { answersByReview } from '../review/service.ts';
import { loadCase } from './access.ts';
import { fontSubset } from './documents/fonts.ts';
import { minimiseFor } from './minimise.ts';
import * as casesRepo from './store.ts';
import { getCaseView } from './view.ts';

const loadPdfKit = () => import('pdfkit').then((m) => m.default);

interface Proof {
  eventId: number;
  commitment: string;
  /** Index in the transparency log; null until the sequencer has taken the event in (seconds). */
  ledgerIndex: number | null;
  href: string;
}

type View = Awaited<ReturnType<typeof getCaseView>>;
type OfficerRef = { name: string; certificateNumber: string };
type StepRecord = { officers?: OfficerRef[]; approval?: { name?: string; role: string; on: string } | null; presidedBy?: string | null; note?: string | null; facts?: Record<string, unknown> };

const ROLE_NAMES: Record<string, string> = { officer: '执法人员', agency_head: '机关负责人', reviewer: '法制审核人员', agency_admin: '单位管理员', supervisor: '监督人员', system_admin: '系统管理员' };

async function proofOf(ctx: AppContext, ev: casesRepo.CaseEventRow | undefined): Promise<Proof | null> {
  if (!ev) return null;
  const hex = Buffer.from(ev.commitment).toString('hex');
  let index: number | null = null;
  try {
    index = (await entriesByDigest(ctx.db, hex)).entries.find((e) => e.decoded?.event === ev.id)?.index ?? null;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'not_found')) throw err;
  }
  return { eventId: ev.id, commitment: hex, ledgerIndex: index, href: `/api/v1/ledger/entries/by-commitment/${hex}` };
}

export async function caseAccountability(ctx: AppContext, actor: Actor, caseId: string) {
  const view: View = await getCaseView(ctx, actor, caseId);
  const [row, stepRows, events, answers] = await Promise.all([
    loadCase(ctx.db, actor, caseId), casesRepo.listSteps(ctx.db, caseId), casesRepo.caseEvents(ctx.db, caseId), answersByReview(ctx.db, caseId),
  ]);
  const eventById = new Map(events.map((e) => [e.id, e]));
  const eventOf = (kind: string, key: string, value: unknown) => events.find((e) => e.kind === kind && (e.data as Record<string, unknown>)[key] === value);
  const userIds = [...new Set(stepRows.map((s) => s.actor_id).filter((x): x is string => !!x))];
  const names = new Map<string, string>();
  for (const id of userIds) names.set(id, (await casesRepo.userName(ctx.db, id)) ?? '');
  const approvals = new Map(view.approvals.map((a) => [a.id, a]));

  const steps = [];
  for (const s of view.steps) {
    const row = stepRows.find((r) => r.seq === s.seq)!;
    const rec = s.record as StepRecord;
    const approval = s.approvalId ? approvals.get(s.approvalId) : undefined;
    steps.push({
      seq: s.seq,
      step: s.step,
      name: s.name,
      stage: s.stage,
      on: s.on,
      by: { name: row.actor_id ? names.get(row.actor_id) ?? '' : '', role: s.actorRole, roleLabel: ROLE_NAMES[s.actorRole] ?? s.actorRole },
      officers: (rec.officers ?? []).map((o) => ({ name: o.name, certificateNumber: o.certificateNumber })),
      approvedBy: rec.approval ? { name: approval?.approvedBy ?? rec.approval.name ?? '', role: rec.approval.role, roleLabel: ROLE_NAMES[rec.approval.role] ?? rec.approval.role, on: rec.approval.on, opinion: approval?.opinion ?? null } : null,
      presidedBy: rec.presidedBy ?? null,
      av: s.av,
      catalog: s.catalog,
      recordedAt: s.createdAt,
      proof: await proofOf(ctx, eventById.get(row.event_id)),
    });
  }

  const reviews = [];
  for (const r of view.reviews) {
    reviews.push({
      round: r.round,
      submittedBy: r.submittedBy,
      submittedOn: r.on,
      proposedDecision: r.proposedDecision,
      assignedTo: r.assignedTo?.name ?? null,
      reviewer: r.opinion?.reviewer ?? null,
      result: r.status,
      on: r.opinion?.on ?? null,
      opinion: r.opinion?.opinion ?? null,
      problems: (r.opinion?.problems as string[] | undefined) ?? [],
      // R-L07: how this submission answered each problem of the round before.
      answers: answers.get(r.id) ?? [],
      documentId: r.opinion?.documentId ?? null,
      proof: await proofOf(ctx, eventOf(r.opinion ? 'cases.review_opinion' : 'cases.review_submitted', 'reviewId', r.id)),
    });
  }

  // The decision: the last main step of the 决定 stage, with what decided it.
  const decisionStep = [...steps].reverse().find((s) => s.stage === 'decide');
  const discussion = steps.filter((s) => s.step === 'collective_discussion').map((s) => {
    const rec = view.steps.find((x) => x.seq === s.seq)!.record as StepRecord;
    return { on: s.on, by: s.by, participants: s.officers.map((o) => o.name), conclusion: rec.note ?? null, facts: rec.facts ?? {}, proof: s.proof };
  });

  const avSetIds = [...new Set(view.steps.map((s) => s.av?.ruleSetId).filter((x): x is string => !!x))];
  const catalogIds = [...new Set(view.steps.map((s) => s.catalog?.id).filter((x): x is string => !!x))];
  const [avSets, catalogs] = await Promise.all([
    ctx.db.query<{ id: string; version: number; effective_from: string }>(`SELECT id, version, effective_from::text FROM av_rule_sets WHERE id = ANY($1::uuid[]) ORDER BY version`, [avSetIds]),
    ctx.db.query<{ id: string; version: number; effective_from: string }>(`SELECT id, version, effective_from::text FROM major_decision_catalogs WHERE id = ANY($1::uuid[]) ORDER BY version`, [catalogIds]),
  ]);

  return minimiseFor(actor, row).value({
    caseId: view.id,
    number: view.number,
    title: view.title,
    agency: view.agency,
    status: view.status,
    decision: decisionStep
      ? { step: decisionStep.step, name: decisionStep.name, on: decisionStep.on, by: decisionStep.by, approvedBy: decisionStep.approvedBy, majorDecision: view.majorDecision.major, proof: decisionStep.proof }
      : null,
    steps,
    reviews,
    collectiveDiscussion: discussion,
    extensions: view.approvals.filter((a) => a.purpose === 'extension').map((a) => ({ clock: a.clock, days: a.days, approvedBy: a.approvedBy, on: a.on, opinion: a.opinion })),
    ruleVersions: {
      procedure: view.procedure,
      catalog: { id: view.majorDecision.catalogId, version: view.majorDecision.catalogVersion, matched: view.majorDecision.matched, versionsApplied: catalogs.rows.map((c) => ({ id: c.id, version: c.version, effectiveFrom: c.effective_from })) },
      avRuleSets: avSets.rows.map((a) => ({ id: a.id, version: a.version, effectiveFrom: a.effective_from })),
    },
    generatedAt: new Date().toISOString(),
  });
}

export type Accountability = Awaited<ReturnType<typeof caseAccountability>>;

/** The account as lines of text: what the PDF prints (and what a test can read back). */
export function accountabilityLines(a: Accountability): string[] {
  const out: string[] = [];
  out.push(`案号：${a.number}　案件：${a.title}　执法主体：${a.agency.name}`);
  out.push(a.decision ? `执法决定：${a.decision.name}，${a.decision.on}，${a.decision.approvedBy ? `经${a.decision.approvedBy.roleLabel}${a.decision.approvedBy.name}批准` : '无批准记录'}` : '执法决定：尚未作出');
  out.push('', '一、各环节承办人员与批准人');
  for (const s of a.steps) {
    const officers = s.officers.length ? s.officers.map((o) => `${o.name}（${o.certificateNumber}）`).join('、') : '—';
    out.push(`${s.seq}. ${s.on} ${s.name}：办理 ${s.by.name || s.by.roleLabel}；执法人员 ${officers}${s.approvedBy ? `；批准 ${s.approvedBy.name}（${s.approvedBy.roleLabel}，${s.approvedBy.on}）` : ''}${s.proof?.ledgerIndex != null ? `；账本 #${s.proof.ledgerIndex}` : ''}`);
  }
  out.push('', '二、法制审核');
  if (!a.reviews.length) out.push('无');
  for (const r of a.reviews) {
    const result = r.result === 'passed' ? '审核通过' : r.result === 'problems' ? '存在问题，退回补正' : '待审核';
    out.push(`第 ${r.round} 次：${r.submittedOn} ${r.submittedBy} 报送；审核人员 ${r.reviewer ?? r.assignedTo ?? '—'}；${result}${r.on ? `（${r.on}）` : ''}${r.problems.length ? `；问题：${r.problems.join('；')}` : ''}`);
    for (const x of r.answers) out.push(`　　逐项说明 问题 ${x.problem + 1}${x.problemText ? `（${x.problemText}）` : ''}：${x.answer}`);
  }
  out.push('', '三、集体讨论');
  if (!a.collectiveDiscussion.length) out.push('无');
  for (const d of a.collectiveDiscussion) out.push(`${d.on} 由 ${d.by.name || d.by.roleLabel} 主持${d.participants.length ? `，参加人员 ${d.participants.join('、')}` : ''}${d.conclusion ? `；结论：${d.conclusion}` : ''}`);
  out.push('', '四、适用的规则版本');
  out.push(`程序：${a.ruleVersions.procedure.name}（${a.ruleVersions.procedure.id} 第 ${a.ruleVersions.procedure.version} 版）`);
  out.push(`重大执法决定法制审核目录：${a.ruleVersions.catalog.versionsApplied.length ? a.ruleVersions.catalog.versionsApplied.map((c) => `第 ${c.version} 版（${c.effectiveFrom} 起施行）`).join('、') : '默认目录'}`);
  out.push(`音像记录事项清单：${a.ruleVersions.avRuleSets.length ? a.ruleVersions.avRuleSets.map((s) => `第 ${s.version} 版（${s.effectiveFrom} 起施行）`).join('、') : '法定底线'}`);
  return out;
}

/** R-L09: the account as an A4 PDF in the documents' Chinese face (src/cases/documents/fonts.ts). */
export async function accountabilityPdf(ctx: AppContext, actor: Actor, caseId: string): Promise<{ pdf: Buffer; filename: string }> {
  const a = await caseAccountability(ctx, actor, caseId);
  const title = '执法决定责任追溯表';
  let lines = accountabilityLines(a);
  const font = await fontSubset('regular', title + lines.join(''));
  // A character the face lacks (a rare name) is shown as □ rather than refusing the whole account.
  if (font.missing.length) lines = lines.map((l) => [...l].map((ch) => (font.missing.includes(ch) ? '□' : ch)).join(''));
  const PDFDocument = await loadPdfKit();
  const pdf = new PDFDocument({ size: 'A4', margins: { top: 60, bottom: 60, left: 64, right: 64 }, lang: 'zh-CN', displayTitle: true, info: { Title: `${title} ${a.number}`, Creator: '三项 sanxiang', Producer: '三项 sanxiang' } });
  const chunks: Buffer[] = [];
  pdf.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', () => resolve());
    pdf.on('error', reject);
  });
  pdf.registerFont('R', font.data);
  pdf.font('R').fontSize(18).text(title, { align: 'center' }).moveDown(0.8);
  pdf.fontSize(10.5);
  for (const l of lines) pdf.text(l || ' ', { lineGap: 3 });
  pdf.moveDown().fontSize(9).text(`生成时间：${a.generatedAt}。各环节、审核意见和批准均可按其账本位置在 /api/v1/ledger 核验。`);
  pdf.end();
  await done;
  return { pdf: Buffer.concat(chunks), filename: `责任追溯-${a.number.replace(/[^\p{L}\p{N}]+/gu, '-')}.pdf` };
}
