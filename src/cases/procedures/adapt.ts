// Agency adaptation (issue 4): an agency derives a new version of a definition to add what its own rules
// ask for (an internal approval, a stricter limit, a period for statements and defence) but can never drop
// or loosen what the law sets: statutory steps, guards, review requirements, documents, officer counts,
// AV floors, transitions and time limits. The derived definition is a new version; cases that started on
// the old one keep it (the engine runs whichever definition object it is given).
//
// "Stricter" is decided structurally, so that the rule is predictable and explainable:
// - a deadline (the agency must act by) may get shorter, a period (the party's time, or time that must
//   pass first) may get longer; calendar-day deadlines are never longer than the same number of working days;
// - a guard may gain conditions (`all: [base, …]`), a review requirement may gain cases (`any: [base, …]`);
// - a step may be inserted into a transition, but no new path may join two statutory steps that the law
//   does not join, and the flow between them keeps the law's condition.
import { documentName } from './documents.ts';
import { AV_LEVELS, safeParseDefinition, type ClockDef, type Condition, type FactDef, type ProcedureDefinition, type ProcedureDefinitionInput, type StepDef } from './schema.ts';
import { describeCondition } from './conditions.ts';

export interface AdaptationProblem {
  code: string;
  reason: string;
  path?: string;
}

type StepInput = ProcedureDefinitionInput['steps'][number];
type ClockInput = NonNullable<ProcedureDefinitionInput['clocks']>[number];
type FactInput = NonNullable<ProcedureDefinitionInput['facts']>[number];

/** The changes an agency asks for, applied to a base definition by `adaptDefinition`. */
export interface Adaptation {
  agencyId: string;
  version: number;
  /** Default `<base id>.<agency id>`. */
  id?: string;
  name?: string;
  description?: string;
  /** A new step placed on the transition from → to (e.g. 部门负责人审核 between 调查终结 and 事先告知). */
  insertSteps?: { between: [from: string, to: string]; step: StepInput }[];
  /** New side steps, or steps wired by their own transitions. */
  addSteps?: StepInput[];
  addFacts?: FactInput[];
  addClocks?: ClockInput[];
  addDocuments?: { key: string; name: string }[];
  /** Changes to existing clocks (only stricter ones pass the check). */
  clocks?: Record<string, Partial<Pick<ClockInput, 'length' | 'unit' | 'warnBeforeDays' | 'extendPastRestDay' | 'extension' | 'pause'>>>;
  /** Changes to existing steps, merged over them (only stricter ones pass the check). */
  steps?: Record<string, Partial<StepInput>>;
  minOnSiteOfficers?: number;
}

export type AdaptResult = { ok: true; definition: ProcedureDefinition } | { ok: false; problems: AdaptationProblem[] };

/** Build the derived definition and check it against its base. */
export function adaptDefinition(base: ProcedureDefinition, a: Adaptation): AdaptResult {
  const problems: AdaptationProblem[] = [];
  const d = structuredClone(base) as ProcedureDefinitionInput & { steps: StepInput[] };
  d.id = a.id ?? `${base.id}.${a.agencyId.toLowerCase()}`;
  d.version = a.version;
  d.agencyId = a.agencyId;
  d.basedOn = { id: base.id, version: base.version };
  if (a.name) d.name = a.name;
  if (a.description) d.description = a.description;
  if (a.minOnSiteOfficers !== undefined) d.minOnSiteOfficers = a.minOnSiteOfficers;
  d.facts = [...(d.facts ?? []), ...(a.addFacts ?? [])];
  d.clocks = [...(d.clocks ?? []), ...(a.addClocks ?? [])];
  d.documents = [...(d.documents ?? []), ...(a.addDocuments ?? [])];
  for (const [k, patch] of Object.entries(a.clocks ?? {})) {
    const c = d.clocks.find((x) => x.key === k);
    if (!c) problems.push({ code: 'clock_unknown', reason: `基础程序没有期限“${k}”`, path: `clocks.${k}` });
    else Object.assign(c, patch);
  }
  for (const [k, patch] of Object.entries(a.steps ?? {})) {
    const s = d.steps.find((x) => x.key === k);
    if (!s) problems.push({ code: 'step_unknown', reason: `基础程序没有环节“${k}”`, path: `steps.${k}` });
    else Object.assign(s, patch);
  }
  for (const ins of a.insertSteps ?? []) {
    const [from, to] = ins.between;
    const host = d.steps.find((x) => x.key === from);
    const edges = host?.next?.filter((t) => t.to === to) ?? [];
    if (edges.length === 0) {
      problems.push({ code: 'transition_unknown', reason: `基础程序没有从“${from}”到“${to}”的流转，无法插入环节「${ins.step.name}」`, path: `insertSteps.${ins.step.key}` });
      continue;
    }
    for (const t of edges) t.to = ins.step.key;
    d.steps.push({ ...ins.step, next: ins.step.next ?? [{ to }] });
  }
  d.steps.push(...(a.addSteps ?? []));
  if (problems.length) return { ok: false, problems };
  return checkDerived(base, d);
}

/** Check an agency's derived definition (as stored JSON) against its base. */
export function checkDerived(base: ProcedureDefinition, derivedInput: unknown): AdaptResult {
  const parsed = safeParseDefinition(derivedInput);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ code: 'invalid_definition', reason: p.message, path: p.path })) };
  const problems = adaptationProblems(base, parsed.definition);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.definition };
}

/** Everything in `derived` that drops or loosens what `base` sets; empty when it is a lawful adaptation. */
export function adaptationProblems(base: ProcedureDefinition, derived: ProcedureDefinition): AdaptationProblem[] {
  const out: AdaptationProblem[] = [];
  const add = (code: string, reason: string, path?: string) => out.push({ code, reason, ...(path ? { path } : {}) });

  if (!derived.basedOn || derived.basedOn.id !== base.id || derived.basedOn.version !== base.version) {
    add('basis_mismatch', `派生程序应注明基于「${base.id}」第${base.version}版`, 'basedOn');
  }
  if (!derived.agencyId) add('agency_required', '派生程序须注明制定机关', 'agencyId');
  if (derived.caseType !== base.caseType) add('step_changed', '不得改变案件类型', 'caseType');
  if (derived.id === base.id && derived.version <= base.version) add('basis_mismatch', `派生版本号应大于第${base.version}版`, 'version');
  // R-P08: never fewer officers on the scene.
  if (derived.minOnSiteOfficers < base.minOnSiteOfficers) {
    add('min_officers_lowered', `现场执法人员不得少于${base.minOnSiteOfficers}名（R-P08）`, 'minOnSiteOfficers');
  }

  // Facts keep their meaning: the conditions of the law read them.
  const baseFacts = new Map(base.facts.map((f) => [f.key, f]));
  for (const f of base.facts) {
    const g = derived.facts.find((x) => x.key === f.key);
    if (!g || !sameFact(f, g)) add('fact_changed', `不得删除或改变法定事实“${f.label}”的类型、取值或默认值`, `facts.${f.key}`);
  }
  for (const doc of base.documents) if (!derived.documents.some((x) => x.key === doc.key)) add('document_removed', `不得删除文书类型「${doc.name}」`, `documents.${doc.key}`);

  // Clocks: statutory limits only get stricter.
  const baseClocks = new Set(base.clocks.map((c) => c.key));
  for (const b of base.clocks) {
    const c = derived.clocks.find((x) => x.key === b.key);
    if (!c) {
      add('clock_removed', `不得删除法定期限「${b.name}」`, `clocks.${b.key}`);
      continue;
    }
    out.push(...clockProblems(b, c));
  }

  const baseSteps = new Map(base.steps.map((s) => [s.key, s]));
  const derivedSteps = new Map(derived.steps.map((s) => [s.key, s]));
  const isNewFact = (k: string) => !baseFacts.has(k);

  for (const b of base.steps) {
    const s = derivedSteps.get(b.key);
    const at = `steps.${b.key}`;
    if (!s) {
      if (b.statutory) add('step_removed', `不得删除法定环节「${b.name}」`, at);
      continue;
    }
    out.push(...stepProblems(base, b, s, isNewFact, baseClocks));
  }
  for (const s of derived.steps) {
    if (baseSteps.has(s.key)) continue;
    const at = `steps.${s.key}`;
    // A new step may not decide the law's facts (e.g. set reviewPassed) or move its clocks.
    for (const k of [...s.sets, ...Object.keys(s.assigns), ...s.clears]) {
      if (!isNewFact(k)) add('fact_override', `新增环节「${s.name}」不得设置或清除法定事实“${baseFacts.get(k)!.label}”`, at);
    }
    const touched = [...s.clocks.start.map((x) => x.clock), ...s.clocks.stop, ...s.clocks.pause.map((x) => x.clock), ...s.clocks.resume].filter((k) => baseClocks.has(k));
    for (const k of new Set(touched)) add('clock_actions_changed', `新增环节「${s.name}」不得起算、终止或中止法定期限「${clockName(base, k)}」`, at);
  }

  out.push(...flowProblems(base, derived));
  return out;
}

function clockProblems(b: ClockDef, c: ClockDef): AdaptationProblem[] {
  const out: AdaptationProblem[] = [];
  const at = `clocks.${b.key}`;
  const add = (code: string, reason: string) => out.push({ code, reason, path: at });
  const unit = (k: ClockDef) => (k.unit === 'working' ? '个工作日' : '日');
  if (c.kind !== b.kind) add('clock_changed', `不得改变期限「${b.name}」的性质`);
  if (b.kind === 'deadline') {
    // N calendar days never end after N working days; the converse does not hold.
    const ok = c.length <= b.length && (c.unit === b.unit || (b.unit === 'working' && c.unit === 'calendar'));
    if (!ok) add('clock_loosened', `「${b.name}」不得长于法定的${b.length}${unit(b)}（拟定为${c.length}${unit(c)}）`);
    if (b.unit === 'calendar' && c.unit === 'calendar' && !b.extendPastRestDay && c.extendPastRestDay) add('clock_loosened', `「${b.name}」届满日不得顺延至节假日后`);
  } else {
    // A period protects the party (time to ask for a hearing, notice before it): it may only get longer.
    const ok = c.length >= b.length && (c.unit === b.unit || (b.unit === 'calendar' && c.unit === 'working'));
    if (!ok) add('clock_loosened', `「${b.name}」不得短于法定的${b.length}${unit(b)}（拟定为${c.length}${unit(c)}）`);
    if (b.unit === 'calendar' && c.unit === 'calendar' && b.extendPastRestDay && !c.extendPastRestDay) add('clock_loosened', `「${b.name}」届满日遇节假日应当顺延`);
  }
  if (c.extension) {
    const be = b.extension;
    if (!be) add('extension_loosened', `「${b.name}」依法不能延长`);
    else {
      if (c.extension.maxTimes > be.maxTimes) add('extension_loosened', `「${b.name}」至多延长${be.maxTimes}次`);
      if (c.extension.maxLength > be.maxLength) add('extension_loosened', `「${b.name}」每次至多延长${be.maxLength}${unit(b)}`);
      if (!subset(c.extension.approverRoles, be.approverRoles)) add('extension_loosened', `延长「${b.name}」的批准人不得超出法定范围`);
      if (be.requiresDocument && c.extension.requiresDocument !== be.requiresDocument) add('extension_loosened', `延长「${b.name}」应当书面告知当事人`);
    }
  }
  if (c.pause) {
    if (!b.pause) add('pause_loosened', `「${b.name}」依法不能中止计算`);
    else if (!subset(c.pause.reasons, b.pause.reasons)) add('pause_loosened', `「${b.name}」的中止事由限于：${b.pause.reasons.join('、')}`);
  }
  return out;
}

function stepProblems(base: ProcedureDefinition, b: StepDef, s: StepDef, isNewFact: (k: string) => boolean, baseClocks: Set<string>): AdaptationProblem[] {
  const out: AdaptationProblem[] = [];
  const at = `steps.${b.key}`;
  const add = (code: string, reason: string) => out.push({ code, reason, path: at });
  const n = `「${b.name}」`;
  if (s.kind !== b.kind || s.stage !== b.stage) add('step_changed', `不得改变环节${n}的阶段或类型`);
  if (b.statutory && !s.statutory) add('step_changed', `不得将法定环节${n}改为非法定环节`);
  if (s.kind === 'side' && (!subset(b.during, s.during) || !sameJson(b.when, s.when) || b.repeatable !== s.repeatable)) add('step_changed', `不得改变附随环节${n}的办理时机`);
  if (!subset(s.roles, b.roles)) add('roles_widened', `环节${n}的办理人不得超出${b.roles.join('、')}`);
  if (b.approval) {
    if (!s.approval) add('approval_loosened', `不得取消环节${n}的批准`);
    else {
      if (!subset(s.approval.roles, b.approval.roles)) add('approval_loosened', `环节${n}的批准人不得超出法定范围`);
      if (s.approval.unless && !sameJson(s.approval.unless, b.approval.unless)) add('approval_loosened', `不得增加环节${n}免予批准的情形`);
    }
  }
  if (b.onSite && !s.onSite) add('on_site_removed', `环节${n}须由两名以上持证执法人员现场办理（R-P08）`);
  if (b.presider && (!s.presider || !subset(b.presider.notFromStages, s.presider.notFromStages))) add('presider_loosened', `不得放宽环节${n}主持人的回避要求`);
  for (const r of b.requires) {
    if (!s.requires.some((x) => x.document === r.document && (!x.when || sameJson(x.when, r.when)))) add('requirement_removed', `不得取消环节${n}对${describeDoc(base, r.document)}的要求`);
  }
  for (const r of b.produces) {
    if (!s.produces.some((x) => x.document === r.document && (!x.when || sameJson(x.when, r.when)))) add('output_removed', `不得取消环节${n}应制作的${describeDoc(base, r.document)}`);
  }
  if (!subset(b.needsFacts, s.needsFacts)) add('requirement_removed', `不得取消环节${n}须先确定的事实`);
  for (const k of s.sets) if (!b.sets.includes(k) && !isNewFact(k)) add('fact_override', `环节${n}不得设置法定事实“${factName(base, k)}”`);
  for (const [k, v] of Object.entries(b.assigns)) if (s.assigns[k] !== v) add('fact_override', `不得改变环节${n}对“${factName(base, k)}”的认定`);
  for (const k of Object.keys(s.assigns)) if (!(k in b.assigns) && !isNewFact(k)) add('fact_override', `环节${n}不得认定法定事实“${factName(base, k)}”`);
  if (!subset(b.clears, s.clears)) add('fact_override', `不得改变环节${n}清除的事实`);
  for (const k of s.clears) if (!b.clears.includes(k) && !isNewFact(k)) add('fact_override', `环节${n}不得清除法定事实“${factName(base, k)}”`);
  // R-L01: review may be required in more cases, never in fewer.
  if (b.requiresReview && !widens(b.requiresReview, s.requiresReview, 'any')) {
    add('review_loosened', `不得减少环节${n}须经法制审核的情形（${describeCondition(base, b.requiresReview)}）`);
  }
  for (const g of b.guards) {
    const h = s.guards.find((x) => x.code === g.code);
    if (!h || !widens(g.when, h.when, 'all')) add('guard_loosened', `不得取消或放宽环节${n}的限制：${g.label}`);
  }
  if (b.av && (!s.av || AV_LEVELS.indexOf(s.av.minimum) < AV_LEVELS.indexOf(b.av.minimum))) add('av_loosened', `环节${n}的音像记录要求不得低于“${b.av.minimum}”（R-R04）`);
  // The law's clocks keep the same starts, stops and pauses.
  const actions = (x: StepDef) =>
    [
      ...x.clocks.start.map((c) => `start:${c.clock}:${stable(c.when)}:${c.backdateWhenOverdue ?? ''}`),
      ...x.clocks.stop.map((c) => `stop:${c}`),
      ...x.clocks.pause.map((c) => `pause:${c.clock}:${c.reason ?? ''}`),
      ...x.clocks.resume.map((c) => `resume:${c}`),
    ]
      .filter((k) => baseClocks.has(k.split(':')[1]!))
      .sort();
  if (!sameJson(actions(b), actions(s))) add('clock_actions_changed', `不得改变环节${n}对法定期限的起算、终止或中止`);
  for (const w of b.within) {
    const v = s.within.find((x) => x.clock === w.clock);
    if (!v || (w.onPassed === 'refuse' && v.onPassed !== 'refuse')) add('deadline_loosened', `不得放宽环节${n}须在「${clockName(base, w.clock)}」内办理的要求`);
  }
  for (const w of b.notBefore) {
    const v = s.notBefore.find((x) => x.clock === w.clock);
    if (!v || (!w.sameDay && v.sameDay)) add('wait_loosened', `不得缩短环节${n}须待「${clockName(base, w.clock)}」届满的要求`);
  }
  if (!subset(b.blockedWhileRunning, s.blockedWhileRunning)) add('guard_loosened', `不得取消环节${n}须待相关期限办结的要求`);
  return out;
}

/**
 * Transitions: every statutory transition survives (directly, or through inserted new steps that keep its
 * condition), and no new route joins two statutory steps that the law does not join.
 */
function flowProblems(base: ProcedureDefinition, derived: ProcedureDefinition): AdaptationProblem[] {
  const out: AdaptationProblem[] = [];
  const baseKeys = new Set(base.steps.map((s) => s.key));
  const dmap = new Map(derived.steps.map((s) => [s.key, s]));
  const name = (k: string) => base.steps.find((s) => s.key === k)?.name ?? dmap.get(k)?.name ?? k;

  /** Base steps reachable from `from` through new steps only; with the condition of the first edge, when every later edge is unconditional. */
  type Route = { to: string; when: Condition | undefined; plain: boolean; via: string[] };
  const routes = (from: string): Route[] => {
    const found: Route[] = [];
    for (const t of dmap.get(from)?.next ?? []) {
      if (baseKeys.has(t.to)) {
        found.push({ to: t.to, when: t.when, plain: true, via: [] });
        continue;
      }
      const seen = new Set<string>();
      const walk = (k: string, plain: boolean, via: string[]) => {
        if (seen.has(k)) return;
        seen.add(k);
        for (const u of dmap.get(k)?.next ?? []) {
          const p = plain && !u.when;
          if (baseKeys.has(u.to)) found.push({ to: u.to, when: t.when, plain: p, via: [...via, k] });
          else walk(u.to, p, [...via, k]);
        }
      };
      walk(t.to, true, []);
    }
    return found;
  };

  for (const b of base.steps) {
    if (!dmap.has(b.key)) continue;
    const r = routes(b.key);
    for (const t of b.next) {
      if (!dmap.has(t.to)) continue;
      if (!r.some((x) => x.to === t.to && x.plain && sameJson(x.when, t.when))) {
        out.push({ code: 'transition_removed', reason: `不得删除或改变法定流转：「${b.name}」→「${name(t.to)}」${t.when ? `（${describeCondition(base, t.when)}）` : ''}`, path: `steps.${b.key}.next` });
      }
    }
    for (const x of r) {
      if (!b.next.some((t) => t.to === x.to && sameJson(t.when, x.when))) {
        out.push({ code: 'transition_added', reason: `不得新增或放宽法定环节之间的流转：「${b.name}」→「${name(x.to)}」`, path: `steps.${b.key}.next` });
      }
      // A step put in front of a statutory step waits as long as that step does (e.g. the party's five
      // days to ask for a hearing must not be cut short by an internal approval in between).
      const waits = base.steps.find((s) => s.key === x.to)?.notBefore ?? [];
      for (const k of x.via) {
        const v = dmap.get(k)!;
        for (const w of waits) {
          if (!v.notBefore.some((y) => y.clock === w.clock && (w.sameDay || !y.sameDay))) {
            out.push({ code: 'wait_loosened', reason: `新增环节「${v.name}」位于「${name(x.to)}」之前，也须待「${clockName(base, w.clock)}」届满后办理`, path: `steps.${k}.notBefore` });
          }
        }
      }
    }
  }
  // A new first step must lead to the statutory start and nowhere else.
  if (derived.start !== base.start) {
    const startNew = !baseKeys.has(derived.start);
    const r = startNew ? reachBase(derived.start, dmap, baseKeys) : [];
    if (!startNew || r.length !== 1 || r[0] !== base.start) out.push({ code: 'transition_added', reason: `程序须从「${name(base.start)}」开始，或由新增环节引至该环节`, path: 'start' });
  }
  return out;
}

function reachBase(from: string, dmap: Map<string, StepDef>, baseKeys: Set<string>): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const t of dmap.get(k)?.next ?? []) (baseKeys.has(t.to) ? out.add(t.to) : walk(t.to));
  };
  walk(from);
  return [...out];
}

/** `derived` is `base`, or `{op: [base, …]}`: more cases (any) or more conditions (all). */
function widens(base: Condition, derived: Condition | undefined, op: 'any' | 'all'): boolean {
  if (!derived) return false;
  if (sameJson(base, derived)) return true;
  const list = (derived as Record<string, unknown>)[op];
  return Array.isArray(list) && list.some((c) => sameJson(c, base));
}

function sameFact(a: FactDef, b: FactDef): boolean {
  const vals = (f: FactDef) => (f.values ?? []).map((v) => v.value).sort();
  return a.type === b.type && sameJson(vals(a), vals(b)) && a.default === b.default;
}

function subset<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.every((x) => b.includes(x));
}

function stable(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function clockName(def: ProcedureDefinition, k: string): string {
  return def.clocks.find((c) => c.key === k)?.name ?? k;
}

function factName(def: ProcedureDefinition, k: string): string {
  return def.facts.find((f) => f.key === k)?.label ?? k;
}

function describeDoc(def: ProcedureDefinition, k: string): string {
  return documentName(k, def.documents);
}
