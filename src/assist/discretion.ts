// Discretion at the decision (issue 13, R-I03): the officer picks the violation and ticks the
// circumstances; the benchmark in force when the case was filed (pinned on the case's record) proposes
// the level and its band; the amount is checked against the statutory range and the band; an amount
// outside the band needs the head's or a collective discussion's approval (调整适用), recorded in the
// case's events; a 首违 claim is checked against the party's record. The penalty decision step calls
// `discretionAtDecision` in its own transaction, so a decision cannot be made against these rules.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../platform/actor.ts';
import { audit, actorAudit } from '../platform/audit.ts';
import { recordChange } from '../platform/changes.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { todayInShanghai } from '../platform/validation.ts';
import { loadCase, loadCaseForWork, agencyRef, actorUserId } from '../cases/access.ts';
import { canApprove } from '../cases/policy.ts';
import type { CaseRow } from '../cases/store.ts';
import {
  benchmarkById, benchmarkFor, checkAmount, circumstance, formatAmount, proposeLevel,
  type Benchmark, type Level, type LevelBand,
} from './benchmarks.ts';
import { RANGE_KIND_LABELS, type LegalRange, type Violation } from './library.ts';
import type { DiscretionInput } from './schema.ts';
import * as repo from './store.ts';
import { findViolation } from './laws.ts';
import { tokenize } from './text.ts';

/** The day the case started: the first step's day (the benchmark in force then governs the case). */
export function caseStart(row: Pick<CaseRow, 'state'>): string {
  return row.state.steps[0]?.on ?? todayInShanghai();
}

/** The party as the record of its violations knows it: its ID number, or its name when it has none. */
export const partyKey = (row: Pick<CaseRow, 'party_id_number' | 'party_name'>) => row.party_id_number?.trim() || `name:${row.party_name}`;

/** Two years (24 months) before a day, as the lookback of 首违不罚 counts them. */
export function monthsBefore(on: string, months: number): string {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface FirstOffenseAnswer {
  eligible: boolean;
  lookbackFrom: string;
  prior: { decidedOn: string } | null;
}

/**
 * 首违: no same-kind violation decided within the 24 months before the day (a decision exactly 24
 * months before is outside). Only the date of the prior decision is answered, never its case.
 */
export async function firstOffense(q: Queryable, party: string, violationCode: string, on: string, exceptCaseId: string | null, months = 24): Promise<FirstOffenseAnswer> {
  const from = monthsBefore(on, months);
  const prior = await repo.priorViolation(q, party, violationCode, from, on, exceptCaseId);
  return { eligible: !prior, lookbackFrom: from, prior: prior ? { decidedOn: prior } : null };
}

const rangeText = (r: LegalRange) =>
  r.kind === 'fixed' ? `处 ${formatAmount(r, r.min)}罚款`
    : r.kind === 'maxOnly' ? `处 ${formatAmount(r, r.max)}以下罚款`
      : r.kind === 'multiple' ? `处${r.base ?? ''} ${r.min} 倍以上 ${r.max} 倍以下罚款`
        : `处 ${formatAmount(r, r.min)}以上 ${formatAmount(r, r.max)}以下罚款`;

const bandText = (r: LegalRange, b: LevelBand) => (b.level === '不予处罚' ? '不予处罚' : `${formatAmount(r, b.min)}至${formatAmount(r, b.max)}`);

export interface Evaluation {
  benchmark: { id: string; version: number; issuer: string; document: string; effectiveFrom: string };
  violation: { code: string; name: string; violated: string; penalty: string };
  legalRange: LegalRange & { text: string };
  proposal: { level: Level; min: number; max: number; reasons: string[] };
  firstOffense: FirstOffenseAnswer | null;
}

function benchmarkOf(b: Benchmark) {
  return { id: b.id, version: b.version, issuer: b.issuer, document: b.document, effectiveFrom: b.effectiveFrom };
}

/** The benchmark a case uses for a violation: the pinned one if the case has it, else the one in force at filing. */
async function governing(q: Queryable, row: CaseRow, v: Violation): Promise<Benchmark> {
  const rec = await repo.getDiscretion(q, row.id);
  const pinned = rec && rec.violation_code === v.code ? benchmarkById(rec.benchmark_id) : undefined;
  const b = pinned ?? benchmarkFor(v.code, row.agency_region, caseStart(row));
  if (!b) throw new AppError('validation', { detail: `“${v.name}”在本机关所在地区尚无公布的裁量基准`, errors: [{ field: 'violationCode', message: '无适用的裁量基准' }] });
  return b;
}

async function evaluate(q: Queryable, row: CaseRow, code: string, circumstances: readonly string[], on: string): Promise<{ v: Violation; b: Benchmark; e: Evaluation }> {
  const v = await findViolation(q, code);
  if (!v) throw new AppError('validation', { detail: `违法行为 ${code} 不在法律法规库中`, errors: [{ field: 'violationCode', message: '未知的违法行为' }] });
  const b = await governing(q, row, v);
  const p = proposeLevel(b, circumstances);
  let fo: FirstOffenseAnswer | null = null;
  if (b.firstOffense) {
    fo = await firstOffense(q, partyKey(row), v.code, on, row.id, b.firstOffense.lookbackMonths);
    if (p.level === '不予处罚' && circumstances.includes('F1') && !fo.eligible) {
      // 初次违法 ticked, but the record shows a same-kind violation: the exemption does not apply.
      const rest = proposeLevel(b, circumstances.filter((c) => c !== 'F1'));
      p.level = rest.level;
      p.band = rest.band;
      p.reasons = [`当事人于 ${fo.prior!.decidedOn} 曾因同一种违法行为受到处理，二年内不属初次违法，不适用首违不罚`, ...rest.reasons];
    }
  }
  return {
    v, b,
    e: {
      benchmark: benchmarkOf(b),
      violation: { code: v.code, name: v.name, violated: v.violated, penalty: v.penalty },
      legalRange: { ...v.range, text: rangeText(v.range) },
      proposal: { level: p.level, min: p.band.min, max: p.band.max, reasons: p.reasons },
      firstOffense: fo,
    },
  };
}

/** The 裁量说明 paragraph the decision carries (R-R09: the decision states how the benchmark was applied). */
export function explanation(v: Violation, b: Benchmark, r: { level: Level; circumstances: readonly string[]; amount: number; baseAmount: number | null; mitigationGround: string | null; deviation: { reason: string; mode: 'head' | 'collective'; on: string } | null }): string {
  const band = b.levels.find((l) => l.level === r.level)!;
  const labels = r.circumstances.map((c) => circumstance(c)?.label).filter(Boolean);
  const parts = [
    `当事人的行为违反了${v.violated}的规定，依据${v.penalty}，应当${rangeText(v.range)}。`,
    `依据${b.document}（${b.issuer}发布，第 ${b.version} 版，${b.effectiveFrom} 起施行）对“${v.name}”的裁量规定，`,
    labels.length ? `当事人具有${labels.join('、')}的情形，` : '当事人无从轻、从重情形，',
    `适用“${r.level}”阶次（${bandText(v.range, band)}）。`,
  ];
  if (r.level === '不予处罚') parts.push('依据《中华人民共和国行政处罚法》第三十三条第一款，不予行政处罚，并对当事人进行教育。');
  else {
    const value = v.range.kind === 'multiple' && r.baseAmount ? `（${r.baseAmount.toLocaleString('zh-CN')} 元的 ${Math.round((r.amount / r.baseAmount) * 100) / 100} 倍）` : '';
    parts.push(`本机关决定罚款 ${r.amount.toLocaleString('zh-CN')} 元${value}`);
    if (r.level === '减轻' && r.mitigationGround) parts.push(`，减轻处罚的事由：${r.mitigationGround}`);
    if (r.deviation) parts.push(`，超出该阶次幅度，经${r.deviation.mode === 'head' ? '本机关主要负责人批准' : '本机关负责人集体讨论决定'}（${r.deviation.on}）调整适用，理由：${r.deviation.reason}。`);
    else parts.push('，在该阶次幅度内。');
  }
  return parts.join('');
}

/** POST /cases/{id}/discretion/proposal: the level and band the circumstances lead to. */
export async function propose(ctx: AppContext, actor: Actor, caseId: string, input: { violationCode: string; circumstances: string[] }) {
  const row = await loadCase(ctx.db, actor, caseId);
  return (await evaluate(ctx.db, row, input.violationCode, input.circumstances, todayInShanghai())).e;
}

function checkRecord(v: Violation, b: Benchmark, input: Pick<DiscretionInput, 'level' | 'amount' | 'circumstances'> & { baseAmount: number | null; mitigationGround: string | null; firstOffenseClaim: boolean }, fo: FirstOffenseAnswer | null) {
  const c = checkAmount(b, v.range, input.level, input.amount, input.baseAmount, input.mitigationGround);
  const errors = [...c.errors];
  // Rule 2 (supervision.md §5.3): a 首违 claim against the party's record.
  if (input.firstOffenseClaim && !b.firstOffense) errors.push({ code: 'first_offense_not_listed', reason: '该违法行为不在首违不罚清单内' });
  if (input.firstOffenseClaim && fo && !fo.eligible) errors.push({ code: 'first_offense_prior', reason: `当事人于 ${fo.prior!.decidedOn} 曾因同一种违法行为受到处理（${fo.lookbackFrom} 之后），不属二年内初次违法` });
  const warnings: { code: string; reason: string }[] = [];
  const heavy = input.circumstances.some((x) => circumstance(x)?.effect === 'heavier');
  const light = input.circumstances.some((x) => circumstance(x)?.effect === 'lighter');
  if (heavy && !light && (input.level === '从轻' || input.level === '减轻')) warnings.push({ code: 'level_inconsistent', reason: `记载了从重情形，却适用“${input.level}”阶次` });
  if (light && !heavy && input.level === '从重') warnings.push({ code: 'level_inconsistent', reason: '记载了从轻情形，却适用“从重”阶次' });
  return { errors, warnings, outsideBand: c.outsideBand, value: c.value };
}

/** PUT /cases/{id}/discretion: records the officer's choice; what breaks the law is refused here already. */
export async function recordDiscretion(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: DiscretionInput) {
  await loadCaseForWork(ctx, req, actor, caseId, 'assist.discretion');
  const today = todayInShanghai();
  return ctx.db.transaction(async (tx) => {
    const row = (await loadCase(tx, actor, caseId, { forUpdate: true }))!;
    if (row.status !== 'open') throw new AppError('invalid_state', { detail: '案件已办结，不能再修改裁量' });
    if (row.state.steps.some((s) => s.step === 'penalty_decision' || s.step === 'no_penalty_decision')) throw new AppError('invalid_state', { detail: '处罚决定已作出，裁量不能再修改' });
    const { v, b, e } = await evaluate(tx, row, input.violationCode, input.circumstances, today);
    const base = input.baseAmount ?? null;
    const ground = input.mitigationGround?.trim() || null;
    const chk = checkRecord(v, b, { ...input, baseAmount: base, mitigationGround: ground, firstOffenseClaim: !!input.firstOffenseClaim }, e.firstOffense);
    if (chk.errors.length) throw new AppError('discretion_refused', { detail: chk.errors.map((x) => x.reason).join('；'), extra: { refusals: chk.errors } });
    if (chk.outsideBand && !input.deviationReason?.trim()) {
      throw new AppError('validation', { detail: '金额超出该阶次幅度，须说明调整适用的理由并报请批准', errors: [{ field: 'deviationReason', message: '请填写调整适用的理由' }] });
    }
    const old = await repo.getDiscretion(tx, caseId);
    // An approval covers the amount, level and reason it approved: any change asks again.
    const keepApproval = !!old?.deviation_approved_by && old.amount === input.amount && old.level === input.level && old.violation_code === input.violationCode && old.deviation_reason === (input.deviationReason?.trim() || null);
    const deviation = chk.outsideBand && keepApproval ? { reason: old!.deviation_reason!, mode: old!.deviation_mode!, on: old!.deviation_approved_on! } : null;
    const facts = input.factsText ?? old?.facts_text ?? '';
    const text = explanation(v, b, { level: input.level, circumstances: input.circumstances, amount: input.amount, baseAmount: base, mitigationGround: ground, deviation });
    await recordChange(tx, {
      kind: 'assist.discretion_recorded', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: { caseId, violationCode: v.code, benchmark: { id: b.id, version: b.version }, circumstances: input.circumstances, level: input.level, amount: input.amount, baseAmount: base, suggestion: input.suggestion ?? null, outsideBand: chk.outsideBand },
    });
    await repo.upsertDiscretion(tx, {
      caseId, agencyId: row.agency_id, regionCode: row.agency_region, partyKey: partyKey(row), violationCode: v.code, benchmarkId: b.id, benchmarkVersion: b.version,
      circumstances: input.circumstances, level: input.level, amount: input.amount, baseAmount: base, mitigationGround: ground, firstOffenseClaim: !!input.firstOffenseClaim,
      suggestion: input.suggestion ?? null, factsText: facts, tokens: tokenize(facts), deviationReason: chk.outsideBand ? input.deviationReason!.trim() : null,
      keepApproval: chk.outsideBand && keepApproval, explanation: text,
    });
    return discretionView(tx, row);
  });
}

/** POST /cases/{id}/discretion/deviation-approval: the head approves 调整适用 (R-L09: the head answers for it). */
export async function approveDeviation(ctx: AppContext, req: FastifyRequest | null, actor: Actor, caseId: string, input: { mode: 'head' | 'collective'; opinion: string; on: string }) {
  const pre = await loadCase(ctx.db, actor, caseId);
  if (!canApprove(actor, agencyRef(pre))) {
    await audit(ctx.db, req, { action: 'assist.deviation_approval', outcome: 'denied', ...actorAudit(actor), detail: { subject: caseId } });
    throw new AppError('forbidden', { detail: '调整适用须经本机关主要负责人批准或者集体讨论决定' });
  }
  if (input.on > todayInShanghai()) throw new AppError('validation', { detail: '批准日期不能晚于今天', errors: [{ field: 'on', message: '不能晚于今天' }] });
  return ctx.db.transaction(async (tx) => {
    const row = (await loadCase(tx, actor, caseId, { forUpdate: true }))!;
    const rec = await repo.getDiscretion(tx, caseId);
    if (!rec || !rec.deviation_reason) throw new AppError('invalid_state', { detail: '本案没有待批准的调整适用' });
    if (rec.decided_on) throw new AppError('invalid_state', { detail: '处罚决定已作出' });
    const v = (await findViolation(tx, rec.violation_code))!;
    const b = benchmarkById(rec.benchmark_id)!;
    const deviation = { reason: rec.deviation_reason, mode: input.mode, on: input.on };
    const text = explanation(v, b, { level: rec.level as Level, circumstances: rec.circumstances, amount: rec.amount, baseAmount: rec.base_amount, mitigationGround: rec.mitigation_ground, deviation });
    const { eventId } = await recordChange(tx, {
      kind: 'assist.deviation_approved', agencyId: row.agency_id, subjectType: 'case', subjectId: caseId, actorId: actorUserId(actor),
      data: { caseId, mode: input.mode, opinion: input.opinion, on: input.on, amount: rec.amount, level: rec.level, reason: rec.deviation_reason, benchmark: { id: b.id, version: b.version } },
    });
    await repo.approveDeviation(tx, caseId, { mode: input.mode, opinion: input.opinion, by: actor.id, on: input.on, eventId, explanation: text });
    return discretionView(tx, row);
  });
}

async function discretionView(q: Queryable, row: CaseRow) {
  const rec = await repo.getDiscretion(q, row.id);
  if (!rec) return { record: null };
  const v = await findViolation(q, rec.violation_code);
  const b = benchmarkById(rec.benchmark_id);
  const band = b?.levels.find((l) => l.level === rec.level);
  const outsideBand = !!(v && b && checkAmount(b, v.range, rec.level as Level, rec.amount, rec.base_amount, rec.mitigation_ground).outsideBand);
  return {
    record: {
      violation: v ? { code: v.code, name: v.name, violated: v.violated, penalty: v.penalty } : { code: rec.violation_code },
      legalRange: v ? { ...v.range, text: rangeText(v.range), kindLabel: RANGE_KIND_LABELS[v.range.kind] } : null,
      benchmark: b ? benchmarkOf(b) : { id: rec.benchmark_id, version: rec.benchmark_version },
      circumstances: rec.circumstances, level: rec.level, band: band ? { min: band.min, max: band.max } : null,
      amount: rec.amount, baseAmount: rec.base_amount, mitigationGround: rec.mitigation_ground, firstOffenseClaim: rec.first_offense_claim,
      suggestion: rec.suggestion, factsText: rec.facts_text, outsideBand,
      deviation: rec.deviation_reason ? { reason: rec.deviation_reason, status: rec.deviation_approved_by ? 'approved' : 'pending', mode: rec.deviation_mode, opinion: rec.deviation_opinion, approvedOn: rec.deviation_approved_on } : null,
      explanation: rec.explanation, decidedOn: rec.decided_on,
    },
  };
}

/** GET /cases/{id}/discretion. */
export async function getDiscretion(ctx: AppContext, actor: Actor, caseId: string) {
  const row = await loadCase(ctx.db, actor, caseId);
  return discretionView(ctx.db, row);
}

/**
 * The decision step's check, in the step's transaction (perform-step.ts). A case without a discretion
 * record decides as before; with one, the decided fine must be the recorded amount, within the law, and
 * within the band or with the approved deviation; a 首违 claim is checked again on the decision day.
 */
export async function discretionAtDecision(tx: Queryable, row: CaseRow, step: string, fineAmount: unknown, on: string): Promise<void> {
  if (step !== 'penalty_decision' && step !== 'no_penalty_decision') return;
  const rec = await repo.getDiscretion(tx, row.id);
  if (!rec) return;
  const v = await findViolation(tx, rec.violation_code);
  const b = benchmarkById(rec.benchmark_id);
  if (!v || !b) throw new AppError('discretion_refused', { detail: '案件记载的违法行为或裁量基准已不在库中' });
  const fo = b.firstOffense ? await firstOffense(tx, rec.party_key, v.code, on, row.id, b.firstOffense.lookbackMonths) : null;
  const chk = checkRecord(v, b, { level: rec.level as Level, amount: rec.amount, circumstances: rec.circumstances, baseAmount: rec.base_amount, mitigationGround: rec.mitigation_ground, firstOffenseClaim: rec.first_offense_claim }, fo);
  const refusals = [...chk.errors];
  if (step === 'penalty_decision' && rec.level === '不予处罚') refusals.push({ code: 'level_not_punished', reason: '裁量阶次为不予处罚，应当作出不予行政处罚决定' });
  if (step === 'penalty_decision' && typeof fineAmount === 'number' && fineAmount !== rec.amount) refusals.push({ code: 'amount_differs', reason: `决定的罚款金额（${fineAmount} 元）与裁量记录（${rec.amount} 元）不一致` });
  if (chk.outsideBand && !rec.deviation_approved_by) refusals.push({ code: 'deviation_not_approved', reason: '罚款金额超出裁量阶次幅度，调整适用尚未经主要负责人批准或集体讨论决定' });
  if (refusals.length) throw new AppError('discretion_refused', { detail: refusals.map((x) => x.reason).join('；'), extra: { refusals } });
  await repo.markDecided(tx, row.id, on);
}

export type AppliedDiscretion = NonNullable<Awaited<ReturnType<typeof applied>>>;

/**
 * What the supervision domain needs for 同案不同罚 / 裁量阶次不符 (issue 12): the applied discretion of
 * decided cases, by case id, in one query whatever their number (the recomputation reads a batch).
 */
export async function appliedDiscretions(q: Queryable, caseIds: readonly string[]): Promise<Map<string, AppliedDiscretion>> {
  const out = new Map<string, AppliedDiscretion>();
  for (const rec of await repo.getDiscretions(q, caseIds)) {
    const a = await applied(q, rec);
    if (a) out.set(rec.case_id, a);
  }
  return out;
}

async function applied(q: Queryable, rec: repo.DiscretionRow) {
  if (!rec.decided_on) return null;
  const v = await findViolation(q, rec.violation_code);
  const b = benchmarkById(rec.benchmark_id);
  const band = b?.levels.find((l) => l.level === rec.level) ?? null;
  const outsideBand = !!(v && b && checkAmount(b, v.range, rec.level as Level, rec.amount, rec.base_amount, rec.mitigation_ground).outsideBand);
  return {
    violationCode: rec.violation_code, level: rec.level, amount: rec.amount, baseAmount: rec.base_amount, decidedOn: rec.decided_on,
    benchmark: { id: rec.benchmark_id, version: rec.benchmark_version }, band: band ? { min: band.min, max: band.max } : null,
    outsideBand, deviationApproved: !!rec.deviation_approved_by, regionCode: rec.region_code,
  };
}

/** The peers of a decided case (same violation and level, region prefix, period) for the P10–P90 signal. */
export async function discretionPeers(q: Queryable, f: { violationCode: string; level: string; regionPrefix: string; from: string; to: string }) {
  return repo.peers(q, f);
}

/** What the drafts of the 告知书 and 决定书 take from the discretion record: facts, 违则, 罚则, 裁量说明. */
export async function discretionPrefill(q: Queryable, caseId: string, type: string): Promise<Record<string, unknown>> {
  if (type !== 'prior_notice' && type !== 'penalty_decision' && type !== 'no_penalty_decision') return {};
  const rec = await repo.getDiscretion(q, caseId);
  if (!rec) return {};
  const v = await findViolation(q, rec.violation_code);
  return {
    ...(rec.facts_text ? { facts: rec.facts_text } : {}),
    // The 不予处罚决定书 has no 裁量/违则/罚则 fields of its own: its facts only.
    ...(type !== 'no_penalty_decision' ? { discretion: rec.explanation, ...(v ? { violatedProvisions: v.violated, penaltyBasis: v.penalty } : {}) } : {}),
  };
}
