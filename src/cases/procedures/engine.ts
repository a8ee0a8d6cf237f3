// The one engine that runs every procedure definition (DESIGN §3). Pure: the definition, the case state,
// the request, the calendar and today's date come in; a decision and a new state go out. No I/O, no
// clock reads, no mutation of its inputs. The case service wraps each call in one transaction with the
// domain rows, the event and the ledger entry (DESIGN §2).
//
// A case stands at its last main step (the cursor). The steps available are the transitions of that
// step whose conditions hold, and the side steps (inquiries, inspections, …) that may be done while the
// case stands there. A requested step is checked against every rule of its definition; all refusals are
// collected, each with a stable code and a Chinese reason, so that an officer sees at once everything
// that stands in the way.
import { ROLE_LABELS, type Role } from '../../platform/actor.ts';
import { isIsoDate } from '../../platform/calendar/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { jurisdictionPrefix } from '../../platform/jurisdiction.ts';
import { currentClock, computeDeadline, limitText, type ProcedureCalendar } from './clocks.ts';
import { describeCondition, evaluate, factLabel, unknownFacts, withDefaults, type Facts } from './conditions.ts';
import { documentName } from './documents.ts';
import {
  AV_LEVEL_LABELS, AV_LEVELS, STAGE_LABELS, valueFits,
  type AvLevel, type ClockDef, type FactDef, type FactValue, type ProcedureDefinition, type Stage, type StepDef,
} from './schema.ts';
import type { Approval, ClockState, ProcedureState, StepRecord } from './state.ts';

// ---------------------------------------------------------------------------------------------------
// Types of the API

/** Refusal and warning codes. Programs read the code; people read the reason. */
export const REFUSAL_CODES = {
  definition_mismatch: '案件所用程序版本与给定定义不一致',
  step_unknown: '程序中没有该环节',
  step_not_available: '当前不能办理该环节',
  date_invalid: '办理日期不合法',
  role_not_allowed: '无权办理该环节',
  approval_required: '须经批准',
  officers_insufficient: '现场执法人员不足',
  certificate_invalid: '执法证无效',
  certificate_out_of_scope: '执法证的执法类别或区域不符',
  presider_required: '须指定主持人',
  presider_conflict: '主持人须回避',
  fact_missing: '案件事实尚未确定',
  fact_not_settable: '该环节不能设置此事实',
  fact_invalid: '事实取值不合法',
  document_missing: '缺少应有的文书',
  document_unknown: '未知的文书类型',
  output_missing: '缺少本环节应制作的文书',
  review_required: '未经法制审核或审核未通过',
  av_required: '缺少必需的音像记录',
  av_recommended: '宜进行音像记录',
  deadline_passed: '已超过法定期限',
  too_early: '法定期间尚未届满',
  clock_running: '相关期限尚未办结',
  clock_state: '期限状态不允许此操作',
  pause_reason_invalid: '中止期限须有法定事由',
  extension_not_allowed: '该期限依法不能延长',
  extension_exhausted: '延长次数已用完',
  extension_too_long: '延长天数超过法定上限',
  reason_required: '须说明理由',
  // Guard codes come from definitions; the built-in ones:
  summary_limit_exceeded: '超出简易程序适用范围',
  onsite_collection_not_allowed: '不符合当场收缴罚款的条件',
  heavier_than_notified: '处罚重于事先告知的内容',
  emergency_approval_missing: '紧急实施的强制措施未补办批准手续',
  remedy_period_running: '复议、诉讼期限尚未届满',
  facts_not_confirmed: '违法事实不确凿或没有法定依据',
} as const;
export type RefusalCode = keyof typeof REFUSAL_CODES;

export interface Refusal {
  /** A code of REFUSAL_CODES, or a guard code of the definition. */
  code: string;
  reason: string;
  basis?: string;
  step?: string;
  clock?: string;
  document?: string;
  officerId?: string;
  facts?: string[];
}

/** An officer named on a step, with the certificate data the registry holds (R-P03, R-P08). */
export interface OfficerCredential {
  id: string;
  name: string;
  certificate: {
    number: string;
    status: 'valid' | 'suspended' | 'revoked';
    validFrom: string;
    validTo: string;
    /** Enforcement categories (执法类别), e.g. ['市场监管']. */
    categories: readonly string[];
    /** Enforcement areas (执法区域): region codes (330100 covers 330106) or names (杭州市 covers 杭州市西湖区). */
    areas: readonly string[];
  };
}

export interface StepRequest {
  step: string;
  /** The legal date of the act (Asia/Shanghai), YYYY-MM-DD. */
  on: string;
  actor: { id: string; role: Role };
  officers?: readonly OfficerCredential[];
  approval?: { by: string; name?: string; role: Role; on: string };
  presidedBy?: string;
  facts?: Readonly<Record<string, FactValue>>;
  /** Documents made by this step: one of each kind in the step's `produces`. */
  documents?: readonly { type: string; ref: string }[];
  /** R-R03: `requirement` is what the agency's AV-record list says for this step's rule; `present` whether AV records are attached. */
  av?: { requirement?: AvLevel; present: boolean };
  /** For a step that pauses a clock: which of the clock's legal reasons applies. */
  pauseReason?: string;
  note?: string;
}

export interface EngineContext {
  calendar: ProcedureCalendar;
  /** Today in Asia/Shanghai (todayInShanghai()); steps cannot be dated after it. */
  today: string;
}

export interface CheckOptions {
  /** 'ignore': check everything except the documents the step must produce (to ask before drafting them). */
  outputs?: 'require' | 'ignore';
}

export interface CheckResult {
  ok: boolean;
  refusals: Refusal[];
  warnings: Refusal[];
}

export interface ClockChange {
  clock: string;
  name: string;
  action: 'started' | 'restarted' | 'stopped' | 'paused' | 'resumed' | 'extended';
  on: string;
  /** Deadline after the change (for a stopped clock: the deadline it had). */
  deadline: string;
  provisional: boolean;
  /** For a stop: it came after the deadline. */
  late: boolean;
}

export type ApplyResult =
  | { ok: true; state: ProcedureState; record: StepRecord; clockChanges: ClockChange[]; warnings: Refusal[] }
  | { ok: false; refusals: Refusal[]; warnings: Refusal[] };

export interface AvailableStep {
  key: string;
  name: string;
  stage: Stage;
  stageName: string;
  kind: 'main' | 'side';
  roles: Role[];
  approvalRoles: Role[] | null;
  onSite: boolean;
  /** Documents that must exist first, as things stand (conditional ones resolved on the facts). */
  requires: { type: string; name: string; present: boolean }[];
  produces: { type: string; name: string }[];
  /** Facts the person recording the step states with it (the step form asks for them). */
  sets: FactDef[];
  /** A hearing's presider must come from outside these stages (行政处罚法第六十四条). */
  presider: { notFromStages: Stage[]; basis: string } | null;
  /** What would refuse it today regardless of who asks (missing documents, review, clocks, facts). */
  blockers: Refusal[];
}

export interface Availability {
  steps: AvailableStep[];
  /** Facts that must be settled before more transitions can be offered (e.g. majorDecision from the catalog). */
  pendingFacts: { key: string; label: string }[];
}

// ---------------------------------------------------------------------------------------------------
// State

export function initialState(
  def: ProcedureDefinition,
  init: { matter: { category: string; area: string }; facts?: Readonly<Record<string, FactValue>> },
): ProcedureState {
  const bad = factProblems(def, init.facts ?? {});
  if (bad.length) throw new AppError('validation', { detail: bad.map((r) => r.reason).join('；'), extra: { refusals: bad } });
  return {
    definition: { id: def.id, version: def.version },
    matter: { category: init.matter.category, area: init.matter.area },
    cursor: null,
    finished: false,
    steps: [],
    documents: [],
    facts: { ...(init.facts ?? {}) },
    clocks: [],
  };
}

/**
 * Facts decided outside the steps: the major-decision catalog's answer (majorDecision, R-L04), the review
 * domain's outcome (reviewPassed, R-L01), the party type from the registry. Returns a new state.
 */
export function setFacts(def: ProcedureDefinition, state: ProcedureState, facts: Readonly<Record<string, FactValue>>): { ok: true; state: ProcedureState } | { ok: false; refusals: Refusal[] } {
  const bad = [...mismatch(def, state), ...factProblems(def, facts)];
  if (bad.length) return { ok: false, refusals: bad };
  return { ok: true, state: { ...clone(state), facts: { ...state.facts, ...facts } } };
}

/** A document that no step produced (e.g. the party's written statement); seq null. */
export function recordDocument(state: ProcedureState, doc: { type: string; ref: string; on: string }): ProcedureState {
  const next = clone(state);
  next.documents.push({ type: doc.type, ref: doc.ref, on: doc.on, seq: null });
  return next;
}

export function hasDocument(state: ProcedureState, type: string): boolean {
  return state.documents.some((d) => d.type === type);
}

// ---------------------------------------------------------------------------------------------------
// Availability

/** Steps that can be done next, with what would still refuse them today. */
export function availableSteps(def: ProcedureDefinition, state: ProcedureState, ctx?: EngineContext): Availability {
  if (mismatch(def, state).length) return { steps: [], pendingFacts: [] };
  const facts = withDefaults(def, state.facts);
  const pending = new Set<string>();
  const steps = candidates(def, state, facts, pending).map((s) => {
    const blockers = ctx ? preconditions(def, state, s, { on: ctx.today, facts }, ctx) : [];
    return {
      key: s.key,
      name: s.name,
      stage: s.stage,
      stageName: STAGE_LABELS[s.stage],
      kind: s.kind,
      roles: s.roles,
      approvalRoles: s.approval && evaluate(s.approval.unless ?? NEVER, facts) !== true ? s.approval.roles : null,
      onSite: s.onSite,
      requires: s.requires
        .filter((r) => !r.when || evaluate(r.when, facts) !== false)
        .map((r) => ({ type: r.document, name: documentName(r.document, def.documents), present: hasDocument(state, r.document) })),
      produces: s.produces.filter((r) => !r.when || evaluate(r.when, facts) !== false).map((r) => ({ type: r.document, name: documentName(r.document, def.documents) })),
      sets: s.sets.map((k) => def.facts.find((f) => f.key === k)!),
      presider: s.presider ?? null,
      blockers,
    };
  });
  return { steps, pendingFacts: [...pending].map((k) => ({ key: k, label: factLabel(def, k) })) };
}

function candidates(def: ProcedureDefinition, state: ProcedureState, facts: Facts, pending?: Set<string>): StepDef[] {
  if (state.finished) return [];
  const byKey = stepMap(def);
  if (state.cursor === null) return [byKey.get(def.start)!];
  const host = byKey.get(state.cursor);
  if (!host) return [];
  const out: StepDef[] = [];
  const seen = new Set<string>();
  for (const t of host.next) {
    const v = t.when ? evaluate(t.when, facts) : true;
    if (v === undefined) for (const f of unknownFacts(t.when!, facts)) pending?.add(f);
    if (v !== true || seen.has(t.to)) continue;
    seen.add(t.to);
    out.push(byKey.get(t.to)!);
  }
  for (const s of def.steps) {
    if (s.kind !== 'side' || !s.during.includes(host.key)) continue;
    if (!s.repeatable && state.steps.some((r) => r.step === s.key)) continue;
    const v = s.when ? evaluate(s.when, facts) : true;
    if (v === undefined) for (const f of unknownFacts(s.when!, facts)) pending?.add(f);
    if (v === true) out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Checking a step

export function checkStep(def: ProcedureDefinition, state: ProcedureState, req: StepRequest, ctx: EngineContext, opts: CheckOptions = {}): CheckResult {
  const refusals: Refusal[] = [];
  const warnings: Refusal[] = [];
  const early = mismatch(def, state);
  if (early.length) return { ok: false, refusals: early, warnings };
  const step = stepMap(def).get(req.step);
  if (!step) return { ok: false, refusals: [{ code: 'step_unknown', reason: `程序「${def.name}」中没有环节“${req.step}”`, step: req.step }], warnings };

  // Dates: a legal date, not in the future, not before the step it follows (R-R01: the record is a sequence).
  if (!isIsoDate(req.on)) return { ok: false, refusals: [{ code: 'date_invalid', reason: `办理日期“${req.on}”不是有效日期（YYYY-MM-DD）`, step: step.key }], warnings };
  if (req.on > ctx.today) refusals.push({ code: 'date_invalid', reason: `办理日期 ${req.on} 晚于今天（${ctx.today}）`, step: step.key });
  const last = state.steps.at(-1);
  if (last && req.on < last.on) refusals.push({ code: 'date_invalid', reason: `办理日期 ${req.on} 早于上一环节「${stepName(def, last.step)}」的日期 ${last.on}`, step: step.key });

  const stateFacts = withDefaults(def, state.facts);
  if (!candidates(def, state, stateFacts).some((s) => s.key === step.key)) refusals.push(notAvailable(def, state, step, stateFacts));

  // Who: the step's roles (role_not_allowed maps to 403).
  if (!step.roles.includes(req.actor.role)) {
    refusals.push({ code: 'role_not_allowed', reason: `「${step.name}」须由${roleList(step.roles)}办理，当前为${ROLE_LABELS[req.actor.role]}`, step: step.key });
  }

  // Facts recorded with the step: only those it may set, of the right type.
  const given = req.facts ?? {};
  for (const [k, v] of Object.entries(given)) {
    if (!step.sets.includes(k)) refusals.push({ code: 'fact_not_settable', reason: `「${step.name}」环节不能设置“${factLabel(def, k)}”`, step: step.key, facts: [k] });
    else {
      const f = def.facts.find((x) => x.key === k)!;
      if (!valueFits(f, v)) refusals.push({ code: 'fact_invalid', reason: `“${f.label}”的取值 ${JSON.stringify(v)} 不合法`, step: step.key, facts: [k] });
    }
  }
  const facts = withDefaults(def, { ...state.facts, ...given, ...step.assigns });

  // Approval by the head (立案、先行登记保存、查封扣押、决定…), unless the definition's exception holds (行政强制法第十九条).
  if (step.approval && evaluate(step.approval.unless ?? NEVER, facts) !== true) {
    const a = req.approval;
    const basis = step.approval.basis;
    if (!a) refusals.push({ code: 'approval_required', reason: `「${step.name}」须经${roleList(step.approval.roles)}批准`, step: step.key, ...(basis ? { basis } : {}) });
    else if (!step.approval.roles.includes(a.role)) refusals.push({ code: 'approval_required', reason: `「${step.name}」须经${roleList(step.approval.roles)}批准，批准人为${ROLE_LABELS[a.role]}`, step: step.key, ...(basis ? { basis } : {}) });
    else if (!isIsoDate(a.on) || a.on > req.on) refusals.push({ code: 'approval_required', reason: `「${step.name}」的批准日期应不晚于办理日期 ${req.on}`, step: step.key, ...(basis ? { basis } : {}) });
  }

  refusals.push(...checkOfficers(def, state, step, req));
  refusals.push(...checkPresider(def, state, step, req));

  // R-R04: AV where the law or the agency's list makes it mandatory; the list can only make it stricter.
  if (step.av) {
    const level = stricter(step.av.minimum, req.av?.requirement ?? step.av.minimum);
    if (level === 'mandatory' && !req.av?.present) refusals.push({ code: 'av_required', reason: `「${step.name}」须${AV_LEVEL_LABELS.mandatory}，尚未提交音像记录`, basis: 'R-R04', step: step.key });
    else if (level === 'as_needed' && !req.av?.present) warnings.push({ code: 'av_recommended', reason: `「${step.name}」宜根据实际情况进行音像记录`, basis: 'R-R04', step: step.key });
  }

  const pre = preconditions(def, state, step, { on: req.on, facts }, ctx);
  // A clock stops counting only for a reason its law names (行政强制法第二十五条, 行政许可法第四十五条).
  for (const x of step.clocks.pause) {
    const d = def.clocks.find((c) => c.key === x.clock)!;
    const reasons = d.pause?.reasons ?? [];
    const reason = x.reason ?? req.pauseReason;
    if (!reason || !reasons.includes(reason)) {
      refusals.push({ code: 'pause_reason_invalid', reason: `中止${d.name}须注明法定事由之一：${reasons.join('、')}`, step: step.key, clock: x.clock, ...(d.pause ? { basis: d.pause.basis } : {}) });
    }
  }
  for (const r of pre) (r.code === 'deadline_passed' && (r as WarnableRefusal).warnOnly ? warnings : refusals).push(stripWarn(r));

  // Documents this step makes.
  const produced = new Set((req.documents ?? []).map((d) => d.type));
  for (const d of req.documents ?? []) {
    if (!documentKnown(def, d.type)) refusals.push({ code: 'document_unknown', reason: `未知的文书类型“${d.type}”`, step: step.key, document: d.type });
  }
  if (opts.outputs !== 'ignore') {
    for (const p of step.produces) {
      if (p.when && evaluate(p.when, facts) !== true) continue;
      if (!produced.has(p.document)) refusals.push({ code: 'output_missing', reason: `「${step.name}」应制作${documentName(p.document, def.documents)}`, step: step.key, document: p.document });
    }
  }
  return { ok: refusals.length === 0, refusals, warnings };
}

type WarnableRefusal = Refusal & { warnOnly?: boolean };
const stripWarn = ({ warnOnly: _w, ...r }: WarnableRefusal): Refusal => r;
const NEVER = { fact: '__never__', set: true } as const;

/**
 * What refuses a step whoever asks: facts not known, documents missing, review not passed, guards,
 * clocks. Shared by checkStep and by availableSteps (which shows them as blockers).
 */
function preconditions(def: ProcedureDefinition, state: ProcedureState, step: StepDef, at: { on: string; facts: Facts }, ctx: EngineContext): WarnableRefusal[] {
  const out: WarnableRefusal[] = [];
  const { on, facts } = at;

  for (const k of step.needsFacts) {
    if (facts[k] === undefined) out.push({ code: 'fact_missing', reason: `尚未确定“${factLabel(def, k)}”，不能办理「${step.name}」`, step: step.key, facts: [k] });
  }

  for (const r of step.requires) {
    if (r.when && evaluate(r.when, facts) === false) continue;
    if (!hasDocument(state, r.document)) {
      const cond = r.when ? `（${describeCondition(def, r.when)}的）` : '';
      out.push({ code: 'document_missing', reason: `缺少${documentName(r.document, def.documents)}${cond}，不能办理「${step.name}」`, step: step.key, document: r.document });
    }
  }

  // R-L01: no major decision without a passed legal review; the head's approval or co-signature does not replace it.
  if (step.requiresReview && facts.reviewPassed !== true) {
    const need = evaluate(step.requiresReview, facts);
    if (need === true) {
      out.push({ code: 'review_required', reason: `重大执法决定未经法制审核或审核未通过，不得作出决定（${describeCondition(def, step.requiresReview)}）`, basis: 'R-L01', step: step.key });
    } else if (need === undefined) {
      const missing = unknownFacts(step.requiresReview, facts);
      out.push({ code: 'review_required', reason: `尚未确定${missing.map((k) => `“${factLabel(def, k)}”`).join('、')}，无法判断是否须经法制审核，不得作出决定`, basis: 'R-L01', step: step.key, facts: missing });
    }
  }

  for (const g of step.guards) {
    const v = evaluate(g.when, facts);
    if (v === true) continue;
    if (v === undefined) {
      const missing = unknownFacts(g.when, facts);
      out.push({ code: 'fact_missing', reason: `尚未确定${missing.map((k) => `“${factLabel(def, k)}”`).join('、')}，无法判断：${g.label}`, step: step.key, facts: missing, ...(g.basis ? { basis: g.basis } : {}) });
    } else out.push({ code: g.code, reason: g.reason, step: step.key, ...(g.basis ? { basis: g.basis } : {}) });
  }

  const clockDefs = new Map(def.clocks.map((c) => [c.key, c]));
  const live = (k: string) => {
    const c = currentClock(state, k);
    return c && c.status !== 'stopped' ? c : undefined;
  };
  const deadlineOf = (d: ClockDef, c: ClockState) => computeDeadline(d, c, on, ctx.calendar).deadline;

  for (const w of step.within) {
    const d = clockDefs.get(w.clock)!;
    const c = live(w.clock);
    if (!c) continue;
    const deadline = deadlineOf(d, c);
    if (on > deadline) {
      out.push({
        code: 'deadline_passed',
        reason: `已超过${d.name}（${limitText(d)}，至 ${deadline} 届满）${w.onPassed === 'refuse' ? `，不能再办理「${step.name}」` : ''}`,
        basis: d.basis,
        step: step.key,
        clock: d.key,
        warnOnly: w.onPassed === 'warn',
      });
    }
  }
  for (const w of step.notBefore) {
    const d = clockDefs.get(w.clock)!;
    const c = live(w.clock);
    if (!c) continue;
    const deadline = deadlineOf(d, c);
    if (w.sameDay ? on < deadline : on <= deadline) {
      out.push({ code: 'too_early', reason: `${d.name}（${limitText(d)}）尚未届满，${w.sameDay ? `${deadline} 起` : `${deadline} 以后`}方可办理「${step.name}」`, basis: d.basis, step: step.key, clock: d.key });
    }
  }
  for (const k of step.blockedWhileRunning) {
    const d = clockDefs.get(k)!;
    const c = live(k);
    if (c) out.push({ code: 'clock_running', reason: `须先办结${d.name}（至 ${deadlineOf(d, c)} 届满）的事项，才能办理「${step.name}」`, basis: d.basis, step: step.key, clock: k });
  }
  // Pauses may overlap (a test still running when a hearing is asked for): the days of their union are not counted.
  for (const { clock: k } of step.clocks.pause) {
    const d = clockDefs.get(k)!;
    const c = live(k);
    if (!c) out.push({ code: 'clock_state', reason: `${d.name}未在计算中，不能中止`, step: step.key, clock: k });
    else if (on > deadlineOf(d, c)) out.push({ code: 'deadline_passed', reason: `${d.name}已于 ${deadlineOf(d, c)} 届满，不能再中止`, basis: d.basis, step: step.key, clock: k });
  }
  for (const k of step.clocks.resume) {
    const d = clockDefs.get(k)!;
    const c = live(k);
    if (!c || !c.pauses.some((p) => p.to === null)) out.push({ code: 'clock_state', reason: `${d.name}未中止，无须恢复`, step: step.key, clock: k });
  }
  return out;
}

/** R-P08: at least N officers on the scene, each with a certificate valid that day and covering the matter. */
function checkOfficers(def: ProcedureDefinition, state: ProcedureState, step: StepDef, req: StepRequest): Refusal[] {
  const out: Refusal[] = [];
  const officers = dedupe(req.officers ?? []);
  for (const o of officers) {
    const c = o.certificate;
    const who = `执法人员${o.name}的执法证（${c.number}）`;
    const base = { step: step.key, officerId: o.id, basis: 'R-P08' };
    if (c.status === 'revoked') out.push({ code: 'certificate_invalid', reason: `${who}已被吊销`, ...base });
    else if (c.status === 'suspended') out.push({ code: 'certificate_invalid', reason: `${who}已被暂扣`, ...base });
    else if (req.on > c.validTo) out.push({ code: 'certificate_invalid', reason: `${who}已于 ${c.validTo} 过期`, ...base });
    else if (req.on < c.validFrom) out.push({ code: 'certificate_invalid', reason: `${who}自 ${c.validFrom} 起才生效`, ...base });
    if (!c.categories.includes(state.matter.category)) {
      out.push({ code: 'certificate_out_of_scope', reason: `${who}的执法类别为“${c.categories.join('、') || '无'}”，不包括本案的“${state.matter.category}”`, ...base });
    }
    if (!c.areas.some((a) => coversArea(a, state.matter.area))) {
      out.push({ code: 'certificate_out_of_scope', reason: `${who}的执法区域为“${c.areas.join('、') || '无'}”，不包括本案的“${state.matter.area}”`, ...base });
    }
  }
  if (step.onSite && officers.length < def.minOnSiteOfficers) {
    out.push({
      code: 'officers_insufficient',
      reason: `现场执法须由${chineseCount(def.minOnSiteOfficers)}名以上持有效执法证的执法人员进行（本次${officers.length}名）`,
      basis: 'R-P08；《行政处罚法》第四十二条、第五十五条',
      step: step.key,
    });
  }
  return out;
}

/** 听证主持人 may not be one who investigated (行政处罚法第六十四条、行政许可法第四十八条). */
function checkPresider(def: ProcedureDefinition, state: ProcedureState, step: StepDef, req: StepRequest): Refusal[] {
  if (!step.presider) return [];
  if (!req.presidedBy) return [{ code: 'presider_required', reason: `「${step.name}」须指定主持人`, basis: step.presider.basis, step: step.key }];
  const stages = new Set<Stage>(step.presider.notFromStages);
  const byKey = stepMap(def);
  const conflict = state.steps.find((r) => stages.has(byKey.get(r.step)?.stage ?? 'archive') && r.officers.some((o) => o.id === req.presidedBy));
  if (!conflict) return [];
  return [{ code: 'presider_conflict', reason: `主持人参与过本案「${stepName(def, conflict.step)}」（${step.presider.notFromStages.map((s) => STAGE_LABELS[s]).join('、')}），不得主持「${step.name}」`, basis: step.presider.basis, step: step.key, officerId: req.presidedBy }];
}

/** Does a certificate's area cover the matter's? Region codes by prefix (GB/T 2260), names by prefix. */
export function coversArea(certArea: string, matterArea: string): boolean {
  const code = /^\d{6}$/;
  if (code.test(certArea) && code.test(matterArea)) return matterArea.startsWith(jurisdictionPrefix(certArea));
  return matterArea === certArea || matterArea.startsWith(certArea);
}

// ---------------------------------------------------------------------------------------------------
// Applying a step

export function applyStep(def: ProcedureDefinition, state: ProcedureState, req: StepRequest, ctx: EngineContext): ApplyResult {
  const check = checkStep(def, state, req, ctx);
  if (!check.ok) return { ok: false, refusals: check.refusals, warnings: check.warnings };
  const step = stepMap(def).get(req.step)!;
  const next = clone(state);
  const seq = state.steps.length + 1;
  const officers = dedupe(req.officers ?? []).map((o) => ({ id: o.id, name: o.name, certificateNumber: o.certificate.number }));
  const record: StepRecord = {
    seq,
    step: step.key,
    on: req.on,
    actor: { id: req.actor.id, role: req.actor.role },
    officers,
    approval: req.approval ? { by: req.approval.by, name: req.approval.name ?? '', role: req.approval.role, on: req.approval.on } : null,
    presidedBy: req.presidedBy ?? null,
    facts: { ...(req.facts ?? {}) },
    documents: (req.documents ?? []).map((d) => ({ type: d.type, ref: d.ref })),
    av: step.av ? { requirement: stricter(step.av.minimum, req.av?.requirement ?? step.av.minimum), present: !!req.av?.present } : null,
    warnings: check.warnings.map((w) => w.code),
    note: req.note ?? null,
  };
  next.steps.push(record);
  for (const d of record.documents) next.documents.push({ type: d.type, ref: d.ref, on: req.on, seq });
  Object.assign(next.facts, req.facts ?? {}, step.assigns);
  for (const k of step.clears) delete next.facts[k];

  const changes: ClockChange[] = [];
  const defs = new Map(def.clocks.map((c) => [c.key, c]));
  const view = (d: ClockDef, c: ClockState) => computeDeadline(d, c, req.on, ctx.calendar);
  for (const k of step.clocks.stop) {
    const c = currentClock(next, k);
    if (!c || c.status === 'stopped') continue;
    const d = defs.get(k)!;
    closePause(c, req.on);
    const dl = view(d, c);
    Object.assign(c, { status: 'stopped', stoppedOn: req.on, stoppedBySeq: seq, stopReason: 'step' });
    changes.push({ clock: k, name: d.name, action: 'stopped', on: req.on, deadline: dl.deadline, provisional: dl.provisional, late: req.on > dl.deadline });
  }
  for (const { clock: k, reason } of step.clocks.pause) {
    const c = currentClock(next, k)!;
    const d = defs.get(k)!;
    c.pauses.push({ from: req.on, to: null, reason: reason ?? req.pauseReason!, seq });
    c.status = 'paused';
    const dl = view(d, c);
    changes.push({ clock: k, name: d.name, action: 'paused', on: req.on, deadline: dl.deadline, provisional: dl.provisional, late: false });
  }
  for (const k of step.clocks.resume) {
    const c = currentClock(next, k)!;
    const d = defs.get(k)!;
    // The latest open pause ends; the clock runs again when none is left open.
    const open = c.pauses.filter((p) => p.to === null).at(-1)!;
    open.to = req.on;
    c.status = c.pauses.some((p) => p.to === null) ? 'paused' : 'running';
    const dl = view(d, c);
    changes.push({ clock: k, name: d.name, action: 'resumed', on: req.on, deadline: dl.deadline, provisional: dl.provisional, late: false });
  }
  const facts = withDefaults(def, next.facts);
  for (const s of step.clocks.start) {
    if (s.when && evaluate(s.when, facts) !== true) continue;
    const d = defs.get(s.clock)!;
    const running = currentClock(next, s.clock);
    const restarted = !!running && running.status !== 'stopped';
    if (running && restarted) {
      closePause(running, req.on);
      Object.assign(running, { status: 'stopped', stoppedOn: req.on, stoppedBySeq: seq, stopReason: 'restarted' });
    }
    // 行政许可法第三十二条: an application not answered within the acceptance limit counts as accepted on
    // the day it was received, so the decision limit counts from then.
    let startedOn = req.on;
    if (s.backdateWhenOverdue) {
      const o = currentClock(next, s.backdateWhenOverdue);
      if (o && req.on > computeDeadline(defs.get(o.key)!, o, req.on, ctx.calendar).deadline) startedOn = o.startedOn;
    }
    const c: ClockState = { key: s.clock, startedOn, startedBySeq: seq, status: 'running', stoppedOn: null, stoppedBySeq: null, stopReason: null, pauses: [], extensions: [] };
    next.clocks.push(c);
    const dl = view(d, c);
    changes.push({ clock: s.clock, name: d.name, action: restarted ? 'restarted' : 'started', on: startedOn, deadline: dl.deadline, provisional: dl.provisional, late: false });
  }

  if (step.kind === 'main') {
    next.cursor = step.key;
    next.finished = step.next.length === 0;
  }
  return { ok: true, state: next, record, clockChanges: changes, warnings: check.warnings };
}

/** A clock that stops ends every pause still open. */
function closePause(c: ClockState, on: string) {
  for (const p of c.pauses) if (p.to === null) p.to = on;
}

// ---------------------------------------------------------------------------------------------------
// Extending a clock (行政强制法第二十五条, 行政许可法第四十二条)

export interface ExtensionRequest {
  clock: string;
  on: string;
  days: number;
  actor: { id: string; role: Role };
  approval: { by: string; name?: string; role: Role; on: string };
  reason: string;
  /** The written notice to the party, where the rule asks for one. */
  document?: { type: string; ref: string };
}

export function extendClock(
  def: ProcedureDefinition,
  state: ProcedureState,
  req: ExtensionRequest,
  ctx: EngineContext,
): { ok: true; state: ProcedureState; clockChange: ClockChange } | { ok: false; refusals: Refusal[] } {
  const refusals: Refusal[] = [...mismatch(def, state)];
  if (refusals.length) return { ok: false, refusals };
  const d = def.clocks.find((c) => c.key === req.clock);
  const c = currentClock(state, req.clock);
  if (!d || !c || c.status === 'stopped') return { ok: false, refusals: [{ code: 'clock_state', reason: `${d?.name ?? req.clock}未在计算中，不能延长`, clock: req.clock }] };
  const ext = d.extension;
  if (!ext) return { ok: false, refusals: [{ code: 'extension_not_allowed', reason: `${d.name}依法不能延长`, basis: d.basis, clock: d.key }] };
  if (!isIsoDate(req.on) || req.on > ctx.today || req.on < c.startedOn) refusals.push({ code: 'date_invalid', reason: `延长日期 ${req.on} 不合法（应在 ${c.startedOn} 至今天之间）`, clock: d.key });
  if (!['officer', 'agency_head'].includes(req.actor.role)) refusals.push({ code: 'role_not_allowed', reason: `延长期限须由执法人员或机关负责人办理，当前为${ROLE_LABELS[req.actor.role]}`, clock: d.key });
  if (c.extensions.length >= ext.maxTimes) refusals.push({ code: 'extension_exhausted', reason: `${d.name}已延长${c.extensions.length}次，依法至多延长${ext.maxTimes}次`, basis: ext.basis, clock: d.key });
  if (!Number.isInteger(req.days) || req.days < 1 || req.days > ext.maxLength) {
    refusals.push({ code: 'extension_too_long', reason: `${d.name}每次至多延长${ext.maxLength}${d.unit === 'working' ? '个工作日' : '日'}，申请延长 ${req.days} 日`, basis: ext.basis, clock: d.key });
  }
  if (!ext.approverRoles.includes(req.approval.role) || !isIsoDate(req.approval.on) || req.approval.on > req.on) {
    refusals.push({ code: 'approval_required', reason: `延长${d.name}须经${roleList(ext.approverRoles)}批准（批准日期不晚于延长日期）`, basis: ext.basis, clock: d.key });
  }
  if (isIsoDate(req.on)) {
    const deadline = computeDeadline(d, c, req.on, ctx.calendar).deadline;
    if (req.on > deadline) refusals.push({ code: 'deadline_passed', reason: `${d.name}已于 ${deadline} 届满，届满后不能再延长`, basis: ext.basis, clock: d.key });
  }
  if (ext.requiresDocument && req.document?.type !== ext.requiresDocument) {
    refusals.push({ code: 'document_missing', reason: `延长${d.name}应制作${documentName(ext.requiresDocument, def.documents)}并告知当事人`, basis: ext.basis, clock: d.key, document: ext.requiresDocument });
  }
  if (!req.reason.trim()) refusals.push({ code: 'reason_required', reason: `延长${d.name}须说明理由`, basis: ext.basis, clock: d.key });
  if (refusals.length) return { ok: false, refusals };

  const next = clone(state);
  const nc = currentClock(next, req.clock)!;
  const approval: Approval = { by: req.approval.by, name: req.approval.name ?? '', role: req.approval.role, on: req.approval.on };
  nc.extensions.push({ on: req.on, days: req.days, approval, reason: req.reason.trim(), document: req.document ? { ...req.document } : null });
  if (req.document) next.documents.push({ type: req.document.type, ref: req.document.ref, on: req.on, seq: null });
  const dl = computeDeadline(d, nc, req.on, ctx.calendar);
  return { ok: true, state: next, clockChange: { clock: d.key, name: d.name, action: 'extended', on: req.on, deadline: dl.deadline, provisional: dl.provisional, late: false } };
}

// ---------------------------------------------------------------------------------------------------
// Errors for the HTTP layer

/** Refusals as one AppError (problem+json): 403 when only the role is wrong, 409 otherwise; the list in `refusals`. */
export function refusalError(refusals: readonly Refusal[]): AppError {
  const code = refusals.length > 0 && refusals.every((r) => r.code === 'role_not_allowed') ? 'forbidden' : 'invalid_state';
  return new AppError(code, { detail: refusals.map((r) => r.reason).join('；'), extra: { refusals } });
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function mismatch(def: ProcedureDefinition, state: ProcedureState): Refusal[] {
  if (state.definition.id === def.id && state.definition.version === def.version) return [];
  return [{ code: 'definition_mismatch', reason: `案件按「${state.definition.id}」第${state.definition.version}版办理，给定的是「${def.id}」第${def.version}版` }];
}

function factProblems(def: ProcedureDefinition, facts: Readonly<Record<string, FactValue>>): Refusal[] {
  const out: Refusal[] = [];
  for (const [k, v] of Object.entries(facts)) {
    const f = def.facts.find((x) => x.key === k);
    if (!f) out.push({ code: 'fact_invalid', reason: `程序「${def.name}」没有事实“${k}”`, facts: [k] });
    else if (!valueFits(f, v)) out.push({ code: 'fact_invalid', reason: `“${f.label}”的取值 ${JSON.stringify(v)} 不合法`, facts: [k] });
  }
  return out;
}

function notAvailable(def: ProcedureDefinition, state: ProcedureState, step: StepDef, facts: Facts): Refusal {
  if (state.finished) return { code: 'step_not_available', reason: `案件已办结（${stepName(def, state.cursor ?? '')}），不能再办理「${step.name}」`, step: step.key };
  const now = candidates(def, state, facts).map((s) => `「${s.name}」`);
  const here = state.cursor ? `案件当前处于「${stepName(def, state.cursor)}」，` : '';
  return { code: 'step_not_available', reason: `${here}不能办理「${step.name}」${now.length ? `；现在可以办理：${now.join('、')}` : ''}`, step: step.key };
}

const stepMaps = new WeakMap<ProcedureDefinition, Map<string, StepDef>>();
function stepMap(def: ProcedureDefinition): Map<string, StepDef> {
  let m = stepMaps.get(def);
  if (!m) stepMaps.set(def, (m = new Map(def.steps.map((s) => [s.key, s]))));
  return m;
}

function stepName(def: ProcedureDefinition, key: string): string {
  return stepMap(def).get(key)?.name ?? key;
}

function documentKnown(def: ProcedureDefinition, type: string): boolean {
  return documentName(type, def.documents) !== type;
}

function roleList(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join('或');
}

function stricter(a: AvLevel, b: AvLevel): AvLevel {
  return AV_LEVELS.indexOf(a) >= AV_LEVELS.indexOf(b) ? a : b;
}

function dedupe(officers: readonly OfficerCredential[]): OfficerCredential[] {
  const seen = new Set<string>();
  return officers.filter((o) => !seen.has(o.id) && seen.add(o.id));
}

const CN = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];
function chineseCount(n: number): string {
  return CN[n] ?? String(n);
}

function clone<T>(v: T): T {
  return structuredClone(v);
}
