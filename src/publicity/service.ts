// Publicity use cases (issue 8): a draft for every served decision (or an exclusion with its reason),
// confirmation by the head with the redactions highlighted, publication into the ledger, withdrawal after
// a revoking remedy, new versions, correction requests, expiry. Each change goes through recordChange in
// its transaction (event + ledger entry + outbox row), the published text with its unsalted digest.
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { getCalendar, type WorkingCalendar } from '../platform/calendar/index.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { addDays } from '../platform/calendar/index.ts';
import { canConfirm, canHandle, canManageRules, canReadPublications, readScope, seesSource } from './policy.ts';
import { applyRedactions, findRedactions, maskedName, redactString, resolve, segmenter, type Span } from './redact.ts';
import { DEFAULT_RULES, RuleSetBody, addMonths, evaluate, stricterProblems, type Kind } from './rules.ts';
import * as repo from './store.ts';
import { canReadCorrectionEvidence, checkEvidence, storeCorrectionEvidence, type EvidenceFile } from './correction-evidence.ts';
import { scopeSql } from '../registry/policy.ts';
import { evaluatePublicationAlerts } from '../supervision/alerts.ts';

/** Which case steps make a decision public (served, or for licensing decided), by procedure. */
export const TRIGGERS: { procedure: string; step: string; documents: { type: string; kind: Kind }[] }[] = [
  { procedure: 'penalty-general', step: 'service', documents: [{ type: 'penalty_decision', kind: 'penalty' }, { type: 'no_penalty_decision', kind: 'other' }] },
  { procedure: 'penalty-summary', step: 'onsite_decision', documents: [{ type: 'onsite_penalty_decision', kind: 'penalty' }] },
  { procedure: 'licensing', step: 'grant', documents: [{ type: 'licence_decision', kind: 'licensing' }] },
  { procedure: 'licensing', step: 'refusal', documents: [{ type: 'licence_refusal', kind: 'licensing' }] },
  { procedure: 'coercion-seizure', step: 'seizure', documents: [{ type: 'seizure_decision', kind: 'coercion' }] },
  { procedure: 'inspection', step: 'inspection_result', documents: [{ type: 'inspection_result_notice', kind: 'inspection' }] },
];

export function publicationTrigger(procedureId: string, step: string) {
  return TRIGGERS.find((t) => t.procedure === procedureId && t.step === step) ?? null;
}

export interface DecisionInput {
  agencyId: string;
  caseId: string | null;
  procedureId: string;
  kind: Kind;
  /** The decision's date (作出决定之日): the deadline counts from it. */
  decidedOn: string;
  documentNumber: string;
  title: string;
  /** The decision as served, personal data included; redaction works on a copy (R-P14). */
  text: string;
  party: { name: string; type: 'citizen' | 'organisation'; idNumber: string | null; legalRepresentative?: string | null; creditCode?: string | null };
  penaltyKinds: string[];
  fineAmount: number;
  /** 违法行为类型 / 许可内容 and 处罚内容 for the summary (redacted like the text). */
  violation: string;
  content: string;
  basis: string;
  exchange?: Record<string, unknown>;
  actorId: string | null;
  previousId?: string | null;
  version?: number;
  /** No exclusion applies again (a new version of a published decision). */
  note?: string;
}

export interface EffectiveRules {
  body: RuleSetBody;
  id: string | null;
  version: number;
}

export async function effectiveRules(db: Queryable, agencyId: string, on: string): Promise<EffectiveRules> {
  const row = await repo.effectiveRuleSet(db, agencyId, on);
  if (!row) return { body: DEFAULT_RULES, id: null, version: 0 };
  return { body: RuleSetBody.parse(row.rules), id: row.id, version: row.version };
}

function summaryOf(input: DecisionInput, agencyName: string, partyDisplay: string, ctxR: Parameters<typeof redactString>[1]) {
  return {
    documentNumber: input.documentNumber,
    party: partyDisplay,
    violation: redactString(input.violation, ctxR),
    content: redactString(input.content, ctxR),
    basis: redactString(input.basis, ctxR),
    agency: agencyName,
    decidedOn: input.decidedOn,
  };
}

/**
 * Called by the cases domain inside the step's transaction (src/cases/publication-hook.ts): a draft,
 * or an exclusion with its reason, and the rule version that decided (R-P11, R-P14). The calendar
 * comes from the caller (PGlite has one connection: no query outside the transaction).
 */
export async function draftFromDecision(tx: Queryable, cal: Pick<WorkingCalendar, 'addWorkingDays'>, input: DecisionInput): Promise<{ id: string; status: 'draft' | 'excluded' }> {
  const rules = await effectiveRules(tx, input.agencyId, input.decidedOn);
  const ev = evaluate(rules.body, {
    kind: input.kind, procedureId: input.procedureId, partyType: input.party.type, partyIdNumber: input.party.idNumber,
    decidedOn: input.decidedOn, penaltyKinds: input.penaltyKinds, fineAmount: input.fineAmount,
  });
  const agency = (await repo.agency(tx, input.agencyId))!;
  const id = crypto.randomUUID();
  const fullName = rules.body.naturalPersonName === 'full';
  const rctx = { partyType: input.party.type, partyName: input.party.name, fullName, publicNames: input.party.legalRepresentative ? [input.party.legalRepresentative] : [] };
  const partyDisplay = input.party.type === 'citizen' && !fullName ? maskedName(input.party.name) : input.party.name;
  const common = {
    id, agency_id: input.agencyId, case_id: input.caseId, kind: input.kind, version: input.version ?? 1, previous_id: input.previousId ?? null,
    document_number: input.documentNumber, title: redactString(input.title, rctx), party_display: partyDisplay, party_type: input.party.type,
    decided_on: input.decidedOn, rule_set_id: rules.id, rule_set_version: rules.version, rule_key: ev.item?.key ?? '',
  };
  if (!ev.publish) {
    await repo.insert(tx, { ...common, status: 'excluded', exclusion: ev.reason });
    await recordChange(tx, {
      kind: 'publicity.excluded', agencyId: input.agencyId, subjectType: 'publication', subjectId: id, actorId: input.actorId,
      data: { publicationId: id, caseId: input.caseId, kind: input.kind, code: ev.code, reason: ev.reason, ruleSet: { id: rules.id, version: rules.version, item: ev.item?.key ?? null } },
    });
    return { id, status: 'excluded' };
  }
  const spans = findRedactions(input.text, rctx);
  const deadline = cal.addWorkingDays(input.decidedOn, ev.deadlineWorkingDays).deadline;
  await repo.insert(tx, {
    ...common, status: 'draft', deadline, publicity_months: ev.periodMonths, public_until: addMonths(input.decidedOn, ev.periodMonths),
    source_text: input.text, redactions: spans, summary: summaryOf(input, agency.name, partyDisplay, rctx),
    exchange: { ...(input.exchange ?? {}), partyCategory: input.party.type === 'citizen' ? '自然人' : '法人及非法人组织', partyCreditCode: input.party.type === 'organisation' ? (input.party.creditCode ?? '') : '', legalRepresentative: input.party.type === 'organisation' ? (input.party.legalRepresentative ?? '') : '', penaltyKinds: input.penaltyKinds, fineAmount: input.fineAmount },
  });
  await recordChange(tx, {
    kind: 'publicity.draft_created', agencyId: input.agencyId, subjectType: 'publication', subjectId: id, actorId: input.actorId,
    data: { publicationId: id, caseId: input.caseId, kind: input.kind, deadline, periodMonths: ev.periodMonths, previousId: input.previousId ?? null, ruleSet: { id: rules.id, version: rules.version, item: ev.item.key }, redactions: spans.length },
    outbox: [{ topic: 'publicity.draft_created', payload: { publicationId: id, agencyId: input.agencyId, deadline } }],
  });
  // R-R08: a draft made after its deadline already (a decision entered late) is overdue at once.
  await evaluatePublicationAlerts(tx, [id], cal);
  return { id, status: 'draft' };
}

async function loadInScope(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, forUpdate = false, db: Queryable = ctx.db) {
  const row = await repo.get(db, id, { forUpdate });
  if (!row || !canReadPublications(actor, { id: row.agency_id, region_code: row.agency_region })) throw notFound('公示信息');
  return row;
}

async function deny(ctx: AppContext, req: FastifyRequest | null, actor: Actor, action: string, detail: Record<string, unknown>, message: string): Promise<never> {
  await audit(ctx.db, req, { action, outcome: 'denied', ...actorAudit(actor), detail });
  throw forbidden(message);
}

/** What the back office sees of one publication: staff of the agency see the source text and the spans. */
export function staffView(actor: Actor, row: repo.PublicationRow, today = todayInShanghai()) {
  const source = seesSource(actor, row.agency_id);
  return {
    id: row.id, agencyId: row.agency_id, agencyName: row.agency_name, caseId: row.case_id, kind: row.kind, status: row.status, version: row.version, previousId: row.previous_id,
    documentNumber: row.document_number, title: row.title, party: row.party_display, decidedOn: row.decided_on, deadline: row.deadline,
    overdue: row.status === 'draft' && row.deadline !== null && row.deadline < today,
    publicUntil: row.public_until, publicityMonths: row.publicity_months, ruleSetVersion: row.rule_set_version, ruleKey: row.rule_key, exclusion: row.exclusion,
    summary: row.summary, publishedOn: row.published_on, withdrawnOn: row.withdrawn_on, withdrawalReason: row.withdrawal_reason, contentSha256: row.content_sha256,
    publicText: row.public_text ?? (row.status === 'draft' ? applyRedactions(row.source_text, row.redactions) : null),
    ...(source ? { sourceText: row.source_text, redactions: row.redactions } : {}),
  };
}

export async function getForStaff(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string) {
  return staffView(actor, await loadInScope(ctx, req, actor, id));
}

export interface ListFilter {
  status?: string;
  overdue?: boolean;
  /** The drill-down of the assessment's 公示及时率: one agency's publications published in a year. */
  agencyId?: string;
  publishedYear?: number;
  limit: number;
  offset: number;
}

export async function listForStaff(ctx: AppContext, actor: Actor, f: ListFilter) {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) throw forbidden('令牌缺少 cases:read 权限');
  const params: unknown[] = [];
  const where = [scopeSql(readScope(actor), 'a', params)];
  if (f.status) {
    params.push(f.status);
    where.push(`p.status = $${params.length}`);
  }
  if (f.agencyId) where.push(`p.agency_id = $${params.push(f.agencyId)}`);
  if (f.publishedYear) where.push(`p.published_on BETWEEN $${params.push(`${f.publishedYear}-01-01`)}::date AND $${params.push(`${f.publishedYear}-12-31`)}::date`);
  if (f.overdue) {
    params.push(todayInShanghai());
    where.push(`p.status = 'draft' AND p.deadline < $${params.length}`);
  }
  params.push(f.limit, f.offset);
  const { rows } = await ctx.db.query<repo.PublicationRow & { total: number }>(
    `SELECT ${repo.COLUMNS}, count(*) OVER ()::int AS total FROM ${repo.FROM} WHERE ${where.join(' AND ')} ORDER BY p.deadline NULLS LAST, p.created_at DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const today = todayInShanghai();
  return { items: rows.map((r) => { const v = staffView(actor, r, today); return { ...v, sourceText: undefined, redactions: undefined, publicText: undefined }; }), total: rows[0]?.total ?? 0 };
}

/** Overdue drafts and correction requests of the actor's scope: the agency's and the supervisor's home pages. */
export async function overview(ctx: AppContext, actor: Actor) {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) throw forbidden('令牌缺少 cases:read 权限');
  const params: unknown[] = [];
  const scope = scopeSql(readScope(actor), 'a', params);
  params.push(todayInShanghai());
  const t = `$${params.length}`;
  const { rows } = await ctx.db.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE p.status = 'draft')::int AS drafts,
            count(*) FILTER (WHERE p.status = 'draft' AND p.deadline < ${t})::int AS overdue,
            count(*) FILTER (WHERE p.status = 'published')::int AS published,
            count(*) FILTER (WHERE p.status = 'withdrawn')::int AS withdrawn,
            count(*) FILTER (WHERE p.status = 'excluded')::int AS excluded,
            (SELECT count(*)::int FROM publication_corrections c JOIN agencies a ON a.id = c.agency_id WHERE ${scope} AND c.status = 'pending') AS "pendingCorrections",
            (SELECT count(*)::int FROM publication_corrections c JOIN agencies a ON a.id = c.agency_id WHERE ${scope} AND c.status = 'pending' AND c.due_on < ${t}) AS "overdueCorrections"
       FROM ${repo.FROM} WHERE ${scope}`,
    params,
  );
  return rows[0]!;
}

export interface AddedRedaction {
  text?: string;
  start?: number;
  end?: number;
}

/** R-P14: the confirmer adds spans (a phrase everywhere it occurs, or a range); a rule's span cannot be removed. */
export function withAdded(source: string, spans: Span[], added: AddedRedaction[], by: string): Span[] {
  const extra: Span[] = [];
  for (const [i, a] of added.entries()) {
    if (a.text !== undefined) {
      if (!source.includes(a.text)) throw new AppError('validation', { detail: '要隐去的内容不在决定书正文中', errors: [{ field: `redactions.${i}.text`, message: '正文中没有这段文字' }] });
      for (let at = source.indexOf(a.text); at >= 0; at = source.indexOf(a.text, at + a.text.length)) extra.push({ start: at, end: at + a.text.length, rule: 'manual', label: '人工隐去', replacement: '［已隐去］', by });
    } else if (a.start !== undefined && a.end !== undefined && a.start < a.end && a.end <= source.length) {
      extra.push({ start: a.start, end: a.end, rule: 'manual', label: '人工隐去', replacement: '［已隐去］', by });
    } else {
      throw new AppError('validation', { detail: '隐去范围不合法', errors: [{ field: `redactions.${i}`, message: '范围应在正文之内且起点小于终点' }] });
    }
  }
  return resolve([...spans, ...extra]);
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Search tokens (jieba, search mode) of everything public about a publication, and of a query. '§' is
 * reserved for the publication-week lexemes (0162): stripped here, no text or query can reach them.
 */
export function searchTokens(text: string): string {
  return segmenter()
    .cutForSearch(text, true)
    .map((w) => w.replace(/§/g, ' ').trim().toLowerCase())
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .join(' ');
}

async function index(tx: Queryable, row: { id: string; document_number: string; party_display: string; title: string; summary: Record<string, string> }, agencyName: string, text: string) {
  const all = [row.document_number, row.party_display, agencyName, row.title, row.summary.violation ?? '', row.summary.content ?? '', text].join('\n');
  await repo.setSearch(tx, row.id, searchTokens(all), [row.document_number, row.party_display, agencyName, row.title, row.summary.violation ?? ''].join(' '));
}

/**
 * The head confirms a draft (谁执法谁公示): it goes public with the rule spans and any the head adds;
 * the exact public text goes into the ledger with its unsalted SHA-256 (R-P11, DESIGN §5). A new version
 * withdraws the one it replaces in the same transaction.
 */
export async function confirmAndPublish(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { redactions: AddedRedaction[] }) {
  const pre = await loadInScope(ctx, req, actor, id);
  if (!canConfirm(actor, { id: pre.agency_id, region_code: pre.agency_region })) await deny(ctx, req, actor, 'publicity.publish', { id }, '公示信息由本机关负责人确认后发布');
  const today = todayInShanghai();
  const cal = await getCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const row = (await repo.get(tx, id, { forUpdate: true }))!;
    if (row.status !== 'draft') throw new AppError('invalid_state', { detail: `该公示信息当前状态为「${row.status}」，只能确认草稿` });
    const spans = withAdded(row.source_text, row.redactions, body.redactions, actor.id);
    const text = applyRedactions(row.source_text, spans);
    const digest = sha256Hex(text);
    await repo.update(tx, id, { status: 'published', redactions: spans, public_text: text, content_sha256: digest, confirmed_by: actor.id, confirmed_at: new Date(), published_on: today });
    await index(tx, row, row.agency_name, text);
    await recordChange(tx, {
      kind: 'publicity.published', agencyId: row.agency_id, subjectType: 'publication', subjectId: id, actorId: actor.id,
      data: { publicationId: id, version: row.version, previousId: row.previous_id, contentSha256: digest, publishedOn: today, deadline: row.deadline, late: row.deadline !== null && today > row.deadline, added: spans.filter((s) => s.by !== 'rule').length },
      publicDigest: digest,
      outbox: [{ topic: 'publicity.published', payload: { publicationId: id, agencyId: row.agency_id, contentSha256: digest } }],
    });
    if (row.previous_id) {
      const prev = (await repo.get(tx, row.previous_id, { forUpdate: true }))!;
      if (prev.status === 'published') await withdrawInTx(tx, prev, actor.id, today, '信息已更正，以新版本为准', '政府信息公开条例第41条');
    }
    // R-R08: a publication after its deadline raises 公示超期 with the publication.
    await evaluatePublicationAlerts(tx, [id], cal, today);
    return { id, status: 'published', contentSha256: digest, publishedOn: today };
  });
}

/** The head excludes a draft for a reason the law gives (secrets, privacy, security): recorded with its reason (R-P14). */
export const EXCLUSION_REASONS = {
  state_secret: '涉及国家秘密（政府信息公开条例第14条）',
  trade_secret: '涉及商业秘密（政府信息公开条例第15条）',
  privacy: '涉及个人隐私（政府信息公开条例第15条）',
  security: '公开后可能危及国家安全、公共安全、经济安全或社会稳定（政府信息公开条例第14条）',
} as const;

export async function excludeDraft(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, body: { reason: keyof typeof EXCLUSION_REASONS; note: string }) {
  const pre = await loadInScope(ctx, req, actor, id);
  if (!canConfirm(actor, { id: pre.agency_id, region_code: pre.agency_region })) await deny(ctx, req, actor, 'publicity.exclude', { id }, '不予公开由本机关负责人决定');
  return ctx.db.transaction(async (tx) => {
    const row = (await repo.get(tx, id, { forUpdate: true }))!;
    if (row.status !== 'draft') throw new AppError('invalid_state', { detail: '只能对草稿决定不予公开' });
    const reason = `${EXCLUSION_REASONS[body.reason]}：${body.note}`;
    await repo.update(tx, id, { status: 'excluded', exclusion: reason });
    await recordChange(tx, { kind: 'publicity.excluded', agencyId: row.agency_id, subjectType: 'publication', subjectId: id, actorId: actor.id, data: { publicationId: id, code: body.reason, reason } });
    return { id, status: 'excluded', exclusion: reason };
  });
}

/** The withdrawal notice that replaces the page: its digest goes into the ledger too. */
export function withdrawalNotice(row: { document_number: string; agency_name: string }, on: string, reason: string): string {
  return `撤回公告：${row.agency_name}于${on}撤回${row.document_number}的公示信息。理由：${reason}`;
}

async function withdrawInTx(tx: Queryable, row: repo.PublicationRow, actorId: string | null, on: string, reason: string, basis: string) {
  const notice = withdrawalNotice(row, on, reason);
  await repo.update(tx, row.id, { status: 'withdrawn', withdrawn_on: on, withdrawal_reason: reason, withdrawal_basis: basis });
  await recordChange(tx, {
    kind: 'publicity.withdrawn', agencyId: row.agency_id, subjectType: 'publication', subjectId: row.id, actorId,
    data: { publicationId: row.id, withdrawnOn: on, reason, basis, notice, contentSha256: row.content_sha256 },
    publicDigest: sha256Hex(notice),
    outbox: [{ topic: 'publicity.withdrawn', payload: { publicationId: row.id, agencyId: row.agency_id } }],
  });
}

export const REMEDY_OUTCOMES = {
  upheld: '维持',
  dismissed: '驳回',
  changed: '变更',
  revoked: '撤销',
  annulled: '确认无效',
  confirmed_illegal: '确认违法',
} as const;
const WITHDRAWING = new Set(['changed', 'revoked', 'annulled', 'confirmed_illegal']);
export const REMEDY_KINDS = { reconsideration: '行政复议', litigation: '行政诉讼' } as const;

export interface RemedyInput {
  kind: keyof typeof REMEDY_KINDS;
  outcome: keyof typeof REMEDY_OUTCOMES;
  decidedOn: string;
  body: string;
  note: string;
  /** For a changed decision: the decision text as changed; it becomes a new draft version. */
  changedText?: string;
}

/**
 * R-P12 (行政处罚法第48条): a changing, revoking, annulling or illegality-confirming outcome withdraws
 * the publication with its reason in the same transaction, within the rule's days of the outcome
 * (the withdrawal records whether it was late); a changed decision becomes a new draft version.
 */
export async function recordRemedy(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: RemedyInput) {
  const pre = await loadInScope(ctx, req, actor, id);
  if (!canHandle(actor, { id: pre.agency_id, region_code: pre.agency_region })) await deny(ctx, req, actor, 'publicity.remedy', { id }, '救济结果由本机关执法人员或负责人登记');
  const today = todayInShanghai();
  if (input.decidedOn > today) throw new AppError('validation', { detail: '复议、诉讼结果的日期不能晚于今天', errors: [{ field: 'decidedOn', message: '不能晚于今天' }] });
  if (input.outcome === 'changed' && !input.changedText) throw new AppError('validation', { detail: '变更决定须提交变更后的决定书正文', errors: [{ field: 'changedText', message: '变更决定须提交变更后的决定书正文' }] });
  const cal = await getCalendar(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const row = (await repo.get(tx, id, { forUpdate: true }))!;
    if (!['published', 'draft'].includes(row.status)) throw new AppError('invalid_state', { detail: '只有草稿或已公示的信息可以登记救济结果' });
    const rules = await effectiveRules(tx, row.agency_id, input.decidedOn);
    const withdraws = WITHDRAWING.has(input.outcome);
    const withdrawBy = withdraws ? addDays(input.decidedOn, rules.body.withdrawalDays) : null;
    const remedyId = crypto.randomUUID();
    const label = `${REMEDY_KINDS[input.kind]}${REMEDY_OUTCOMES[input.outcome]}`;
    const { eventId } = await recordChange(tx, {
      kind: 'publicity.remedy_recorded', agencyId: row.agency_id, subjectType: 'publication', subjectId: id, actorId: actor.id,
      data: { publicationId: id, remedyId, kind: input.kind, outcome: input.outcome, decidedOn: input.decidedOn, body: input.body, withdrawBy },
    });
    await tx.query(
      `INSERT INTO publication_remedies (id, publication_id, kind, outcome, decided_on, withdraw_by, body, note, created_by, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [remedyId, id, input.kind, input.outcome, input.decidedOn, withdrawBy, input.body, input.note, actor.id, eventId],
    );
    let newVersion: string | null = null;
    if (withdraws) {
      const reason = `${input.body}${label}该决定（${input.decidedOn}）${input.note ? `：${input.note}` : ''}`;
      if (row.status === 'published') await withdrawInTx(tx, row, actor.id, today, reason, '行政处罚法第48条');
      else {
        await repo.update(tx, id, { status: 'excluded', exclusion: `决定已被${label}，不再公示` });
        await recordChange(tx, { kind: 'publicity.excluded', agencyId: row.agency_id, subjectType: 'publication', subjectId: id, actorId: actor.id, data: { publicationId: id, code: 'remedy', reason: label } });
      }
      if (input.outcome === 'changed') {
        const d = await newVersionDraft(tx, cal, row, input.changedText!, actor.id, input.decidedOn);
        newVersion = d.id;
      }
      // R-R08: a withdrawal after withdrawBy (a remedy registered late) raises 撤回超期 with it.
      await evaluatePublicationAlerts(tx, [id], cal, today);
    }
    return { remedyId, withdrawn: withdraws, withdrawBy, late: withdrawBy !== null && today > withdrawBy, newVersionId: newVersion };
  });
}

async function newVersionDraft(tx: Queryable, cal: Pick<WorkingCalendar, 'addWorkingDays'>, prev: repo.PublicationRow, text: string, actorId: string, decidedOn: string) {
  const ex = prev.exchange as { partyCategory?: string; penaltyKinds?: string[]; fineAmount?: number };
  // The party's own name is known to the source text only: keep the previous masking by redacting the new text with the previous rule spans' originals.
  const originals = [...new Set(prev.redactions.map((s) => prev.source_text.slice(s.start, s.end)))].filter((o) => text.includes(o));
  const partyName = prev.party_type === 'citizen' ? prev.source_text.slice(...firstPartySpan(prev)) : prev.party_display;
  const d = await draftFromDecision(tx, cal, {
    agencyId: prev.agency_id, caseId: prev.case_id, procedureId: '', kind: prev.kind as Kind, decidedOn, documentNumber: prev.document_number, title: prev.title, text,
    party: { name: partyName || prev.party_display, type: prev.party_type as 'citizen' | 'organisation', idNumber: null },
    penaltyKinds: ex.penaltyKinds ?? [], fineAmount: ex.fineAmount ?? 0, violation: prev.summary.violation ?? '', content: prev.summary.content ?? '', basis: prev.summary.basis ?? '',
    exchange: prev.exchange, actorId, previousId: prev.id, version: prev.version + 1,
  });
  if (d.status === 'draft' && originals.length) {
    const row = (await repo.get(tx, d.id))!;
    await repo.update(tx, d.id, { redactions: withAdded(text, row.redactions, originals.map((o) => ({ text: o })), 'rule') });
  }
  return d;
}

function firstPartySpan(prev: repo.PublicationRow): [number, number] {
  const s = prev.redactions.find((r) => r.rule === 'party_name');
  return s ? [s.start, s.end] : [0, 0];
}

// ---- corrections (R-P13) ----

const recent = new Map<string, number[]>();
/** Public writes are throttled per address: a few requests per hour are plenty for a person. */
export function throttle(key: string, limit = 5, windowMs = 3_600_000) {
  const now = Date.now();
  const list = (recent.get(key) ?? []).filter((t) => now - t < windowMs);
  if (list.length >= limit) throw new AppError('too_many_requests', { detail: '提交过于频繁，请稍后再试。' });
  list.push(now);
  recent.set(key, list);
}

export async function submitCorrection(ctx: AppContext, req: FastifyRequest | null, publicationId: string, input: { contact: string; text: string; evidence?: EvidenceFile | null }) {
  throttle(`correction:${req?.ip ?? 'local'}`);
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  const open = (row: repo.PublicationRow | undefined): row is repo.PublicationRow => !!row && row.status === 'published' && (row.public_until === null || row.public_until >= today);
  // The file is checked, and the publication found, before a byte is stored; it is stored (attached to the
  // handling agency) before the request's transaction, as the evidence store commits on its own.
  const file = input.evidence ? checkEvidence(input.evidence) : null;
  let evidence: Awaited<ReturnType<typeof storeCorrectionEvidence>> | null = null;
  if (file) {
    const row = await repo.get(ctx.db, publicationId);
    if (!open(row)) throw notFound('公示信息');
    evidence = await storeCorrectionEvidence(ctx, row.agency_id, file);
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.get(tx, publicationId);
    if (!open(row)) throw notFound('公示信息');
    const rules = await effectiveRules(tx, row.agency_id, today);
    const id = crypto.randomUUID();
    const tracking = `GZ${today.replace(/-/g, '')}${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
    const due = cal.addWorkingDays(today, rules.body.correctionWorkingDays).deadline;
    await tx.query(
      `INSERT INTO publication_corrections (id, tracking_number, publication_id, agency_id, contact, request_text, status, due_on, evidence_sha256, evidence_filename, evidence_media_type, evidence_size)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11)`,
      [id, tracking, publicationId, row.agency_id, input.contact, input.text, due, evidence?.sha256 ?? null, evidence?.filename ?? null, evidence?.mediaType ?? null, evidence?.size ?? null],
    );
    await recordChange(tx, {
      kind: 'publicity.correction_requested', agencyId: row.agency_id, subjectType: 'publication_correction', subjectId: id, actorId: null,
      data: { correctionId: id, publicationId, tracking, dueOn: due, evidence: evidence?.sha256 ?? null },
      outbox: [{ topic: 'publicity.correction_requested', payload: { correctionId: id, agencyId: row.agency_id } }],
    });
    return { trackingNumber: tracking, dueOn: due, url: `/decisions/corrections/${tracking}` };
  });
}

/** What the public sees of a correction request: its status and answer, never the contact. */
export async function correctionStatus(ctx: AppContext, tracking: string) {
  const c = await repo.correctionByTracking(ctx.db, tracking);
  if (!c) throw notFound('更正申请');
  return { trackingNumber: c.tracking_number, publicationId: c.publication_id, status: c.status, submittedOn: c.created_at.toISOString().slice(0, 10), dueOn: c.due_on, answer: c.answer, answeredOn: c.answered_on, newPublicationId: c.new_publication_id };
}

export async function listCorrections(ctx: AppContext, actor: Actor, f: { status?: string; limit: number; offset: number }) {
  if (actor.kind === 'token' && !actor.scopes.includes('cases:read')) throw forbidden('令牌缺少 cases:read 权限');
  const params: unknown[] = [];
  const where = [scopeSql(readScope(actor), 'a', params)];
  if (f.status) {
    params.push(f.status);
    where.push(`c.status = $${params.length}`);
  }
  params.push(f.limit, f.offset);
  const { rows } = await ctx.db.query<repo.CorrectionRow & { document_number: string; region_code: string; total: number }>(
    `SELECT c.*, p.document_number, a.region_code, count(*) OVER ()::int AS total FROM publication_corrections c JOIN agencies a ON a.id = c.agency_id JOIN publications p ON p.id = c.publication_id
      WHERE ${where.join(' AND ')} ORDER BY c.status = 'pending' DESC, c.due_on LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const today = todayInShanghai();
  return {
    items: rows.map((c) => ({
      id: c.id, trackingNumber: c.tracking_number, publicationId: c.publication_id, documentNumber: c.document_number, status: c.status, dueOn: c.due_on,
      overdue: c.status === 'pending' && c.due_on < today, request: c.request_text, answer: c.answer, answeredOn: c.answered_on,
      ...(seesSource(actor, c.agency_id) ? { contact: c.contact } : {}),
      // The file itself only through GET /api/v1/publication-corrections/{id}/evidence.
      evidence: c.evidence_sha256 && canReadCorrectionEvidence(actor, { id: c.agency_id, region_code: c.region_code })
        ? { filename: c.evidence_filename, mediaType: c.evidence_media_type, size: Number(c.evidence_size), url: `/api/v1/publication-corrections/${c.id}/evidence` } : null,
    })),
    total: rows[0]?.total ?? 0,
  };
}

/** The agency verifies: corrects (a new draft version of the corrected text) or refuses with reasons (R-P13). */
export async function answerCorrection(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: { decision: 'correct' | 'refuse'; answer: string; correctedText?: string }) {
  const c0 = await repo.correction(ctx.db, id);
  const agency = c0 ? await repo.agency(ctx.db, c0.agency_id) : undefined;
  if (!c0 || !agency || !canReadPublications(actor, agency)) throw notFound('更正申请');
  if (!canHandle(actor, agency)) await deny(ctx, req, actor, 'publicity.correction', { id }, '更正申请由本机关执法人员或负责人办理');
  if (input.decision === 'correct' && !input.correctedText) throw new AppError('validation', { detail: '更正须提交更正后的决定书正文', errors: [{ field: 'correctedText', message: '更正须提交更正后的决定书正文' }] });
  const cal = await getCalendar(ctx.db);
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const c = (await repo.correction(tx, id, true))!;
    if (c.status !== 'pending') throw new AppError('invalid_state', { detail: '该更正申请已办结' });
    let newId: string | null = null;
    if (input.decision === 'correct') {
      const prev = (await repo.get(tx, c.publication_id, { forUpdate: true }))!;
      newId = (await newVersionDraft(tx, cal, prev, input.correctedText!, actor.id, prev.decided_on)).id;
    }
    const status = input.decision === 'correct' ? 'corrected' : 'refused';
    await tx.query(`UPDATE publication_corrections SET status = $2, answer = $3, answered_on = $4, new_publication_id = $5, updated_at = now() WHERE id = $1`, [id, status, input.answer, today, newId]);
    await recordChange(tx, {
      kind: 'publicity.correction_answered', agencyId: c.agency_id, subjectType: 'publication_correction', subjectId: id, actorId: actor.id,
      data: { correctionId: id, status, answer: input.answer, answeredOn: today, late: today > c.due_on, newPublicationId: newId },
    });
    return { id, status, answeredOn: today, newPublicationId: newId };
  });
}

// ---- rule sets ----

export async function listRuleSets(ctx: AppContext, actor: Actor, agencyId: string) {
  const agency = await repo.agency(ctx.db, agencyId);
  if (!agency || !canReadPublications(actor, agency)) throw notFound('执法机关');
  const sets = await repo.ruleSets(ctx.db, agencyId);
  return { default: DEFAULT_RULES, items: sets.map((s) => ({ id: s.id, version: s.version, effectiveFrom: s.effective_from, rules: s.rules, note: s.note })) };
}

export async function publishRuleSet(ctx: AppContext, req: FastifyRequest | null, actor: Actor, input: { agencyId: string; effectiveFrom: string; rules: RuleSetBody; note: string }) {
  const agency = await repo.agency(ctx.db, input.agencyId);
  if (!agency || !canReadPublications(actor, agency)) throw notFound('执法机关');
  if (!canManageRules(actor, agency)) await deny(ctx, req, actor, 'publicity.rules', { agencyId: input.agencyId }, '公示规则由本机关管理员发布');
  const problems = stricterProblems(input.rules);
  if (problems.length) throw new AppError('validation', { detail: `规则只能比法定默认规则更严格：${problems.map((p) => p.message).join('；')}`, errors: problems.map((p) => ({ field: `rules.${p.field}`, message: p.message })) });
  return ctx.db.transaction(async (tx) => {
    const id = crypto.randomUUID();
    const version = await repo.nextRuleVersion(tx, input.agencyId);
    const { eventId } = await recordChange(tx, { kind: 'publicity.rule_set_published', agencyId: input.agencyId, subjectType: 'publication_rule_set', subjectId: id, actorId: actor.id, data: { id, version, effectiveFrom: input.effectiveFrom, rules: input.rules } });
    await tx.query(`INSERT INTO publication_rule_sets (id, agency_id, version, effective_from, rules, note, created_by, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [id, input.agencyId, version, input.effectiveFrom, JSON.stringify(input.rules), input.note, actor.id, eventId]);
    return { id, version, effectiveFrom: input.effectiveFrom };
  });
}

// ---- 信用修复: early end of the publicity period ----

/** 45号令 第14条: never early for these. */
export const NEVER_EARLY = ['责令停产停业', '限制开展生产经营活动', '限制从业', '降低资质等级', '吊销许可证件', '吊销营业执照'];
/** 市场监督管理信用修复管理办法 第6条: after 6 months of publication (食品、药品、特种设备: 1 year). */
export const REPAIR_MIN_MONTHS = 6;

/**
 * On a granted 信用修复 the entry leaves listings, search, feeds and exports before its period ends,
 * where the rule allows it; the reason is recorded and the ledger keeps the published text's hash.
 */
export async function endEarly(ctx: AppContext, req: FastifyRequest | null, actor: Actor, id: string, input: { reason: string; minMonths?: number }) {
  const pre = await loadInScope(ctx, req, actor, id);
  if (!canConfirm(actor, { id: pre.agency_id, region_code: pre.agency_region })) await deny(ctx, req, actor, 'publicity.repair', { id }, '提前停止公示由本机关负责人决定');
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const row = (await repo.get(tx, id, { forUpdate: true }))!;
    if (row.status !== 'published') throw new AppError('invalid_state', { detail: '只有公示中的信息可以提前停止公示' });
    const kinds = ((row.exchange as { penaltyKinds?: string[] }).penaltyKinds ?? []).filter((k) => NEVER_EARLY.includes(k));
    if (kinds.length) throw new AppError('invalid_state', { detail: `含有${kinds.join('、')}的处罚不得提前停止公示（市场监督管理行政处罚信息公示规定第14条）` });
    const earliest = addMonths(row.published_on ?? row.decided_on, input.minMonths ?? REPAIR_MIN_MONTHS);
    if (today < earliest) throw new AppError('invalid_state', { detail: `公示满 ${input.minMonths ?? REPAIR_MIN_MONTHS} 个月后（${earliest} 起）方可申请信用修复` });
    const reason = `信用修复，提前停止公示：${input.reason}`;
    await repo.update(tx, id, { status: 'expired', expired_on: today, expiry_reason: reason });
    await recordChange(tx, {
      kind: 'publicity.expired', agencyId: row.agency_id, subjectType: 'publication', subjectId: id, actorId: actor.id,
      data: { publicationId: id, expiredOn: today, reason, early: true }, outbox: [{ topic: 'publicity.expired', payload: { publicationId: id } }],
    });
    return { id, status: 'expired', expiredOn: today, reason };
  });
}

// ---- expiry ----

/**
 * R-P11 公示期限: at the end of the period the entry leaves listings, search, feeds and exports (the
 * public queries filter on public_until already); this records the reason and the ledger keeps the hash.
 */
export async function expireDue(ctx: AppContext, limit = 500): Promise<number> {
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; agency_id: string }>(
      `SELECT id, agency_id FROM publications WHERE status IN ('published', 'withdrawn') AND public_until < $1 ORDER BY public_until LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    for (const r of rows) {
      await repo.update(tx, r.id, { status: 'expired', expired_on: today, expiry_reason: '公示期限届满' });
      await recordChange(tx, { kind: 'publicity.expired', agencyId: r.agency_id, subjectType: 'publication', subjectId: r.id, actorId: null, data: { publicationId: r.id, expiredOn: today, reason: '公示期限届满' }, outbox: [{ topic: 'publicity.expired', payload: { publicationId: r.id } }] });
    }
    return rows.length;
  });
}

// ---- reads for other domains (supervision alerts and assessment call these, never the tables) ----

/** What supervision needs of one publication to judge its timeliness (公示超期, 撤回超期). */
export interface PublicationFacts {
  id: string;
  agencyId: string;
  regionCode: string;
  caseId: string | null;
  documentNumber: string;
  status: string;
  decidedOn: string;
  deadline: string | null;
  publishedOn: string | null;
  withdrawnOn: string | null;
  /** Remedies whose outcome required a withdrawal (withdraw_by set), oldest first. */
  withdrawals: { remedyId: string; decidedOn: string; withdrawBy: string }[];
}

/**
 * Publications by id, or every publication with a deadline or a withdrawing remedy of the agencies
 * within a region prefix, paged by id. Reads inside the caller's transaction when given one.
 */
export async function publicationFacts(db: Queryable, f: { ids?: readonly string[]; regionPrefix?: string | null; afterId?: string | null; limit?: number }): Promise<PublicationFacts[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.ids) where.push(`p.id = ANY($${params.push(f.ids)}::uuid[])`);
  else where.push(`(p.deadline IS NOT NULL OR EXISTS (SELECT 1 FROM publication_remedies r WHERE r.publication_id = p.id AND r.withdraw_by IS NOT NULL))`);
  if (f.regionPrefix) where.push(`a.region_code LIKE $${params.push(f.regionPrefix)} || '%'`);
  if (f.afterId) where.push(`p.id > $${params.push(f.afterId)}::uuid`);
  const limit = f.limit ? ` LIMIT ${Number(f.limit)}` : '';
  const { rows } = await db.query<{ id: string; agency_id: string; region_code: string; case_id: string | null; document_number: string; status: string; decided_on: string; deadline: string | null; published_on: string | null; withdrawn_on: string | null; withdrawals: { remedyId: string; decidedOn: string; withdrawBy: string }[] | null }>(
    `SELECT p.id, p.agency_id, a.region_code, p.case_id, p.document_number, p.status, p.decided_on::text, p.deadline::text, p.published_on::text, p.withdrawn_on::text,
            (SELECT json_agg(json_build_object('remedyId', r.id, 'decidedOn', r.decided_on::text, 'withdrawBy', r.withdraw_by::text) ORDER BY r.decided_on, r.id)
               FROM publication_remedies r WHERE r.publication_id = p.id AND r.withdraw_by IS NOT NULL) AS withdrawals
       FROM publications p JOIN agencies a ON a.id = p.agency_id WHERE ${where.join(' AND ')} ORDER BY p.id${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id, agencyId: r.agency_id, regionCode: r.region_code, caseId: r.case_id, documentNumber: r.document_number, status: r.status, decidedOn: r.decided_on,
    deadline: r.deadline, publishedOn: r.published_on, withdrawnOn: r.withdrawn_on, withdrawals: r.withdrawals ?? [],
  }));
}

/** Per agency: publications published in the period, and how many of them on or before their deadline (公示及时率). */
export async function publicationTimeliness(db: Queryable, from: string, to: string): Promise<Map<string, { published: number; onTime: number }>> {
  const { rows } = await db.query<{ agency_id: string; published: number; on_time: number }>(
    `SELECT agency_id, count(*)::int AS published, count(*) FILTER (WHERE deadline IS NULL OR published_on <= deadline)::int AS on_time
       FROM publications WHERE published_on BETWEEN $1::date AND $2::date GROUP BY agency_id`,
    [from, to],
  );
  return new Map(rows.map((r) => [r.agency_id, { published: r.published, onTime: r.on_time }]));
}
