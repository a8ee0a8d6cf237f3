// The procedure definition format (DESIGN §3): a case type is data, versioned, interpreted by one
// engine (engine.ts) and drawn by one renderer (flowchart.ts), so the chart people see is the procedure
// the system enforces (R-P06). Every time limit, officer count, amount limit and guard is a value here,
// never a constant in code. `parseDefinition` checks the shape (zod) and then the meaning (references,
// reachability) and answers in Chinese.
import { z } from 'zod';
import { ROLES, type Role } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { DOCUMENT_TYPES } from './documents.ts';
import { STAGES, STAGE_LABELS, type Stage } from '../labels.ts';

// ---------------------------------------------------------------------------------------------------
// Vocabulary

export { STAGES, STAGE_LABELS, type Stage };

export const CASE_TYPES = ['penalty_general', 'penalty_summary', 'inspection', 'coercion', 'licensing'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  penalty_general: '行政处罚（普通程序）',
  penalty_summary: '行政处罚（简易程序）',
  inspection: '行政检查',
  coercion: '行政强制措施',
  licensing: '行政许可',
};

/** R-R03/R-R04: what the AV-record list may say of a step, from the weakest to the strictest. */
export const AV_LEVELS = ['optional', 'as_needed', 'mandatory'] as const;
export type AvLevel = (typeof AV_LEVELS)[number];
export const AV_LEVEL_LABELS: Record<AvLevel, string> = { optional: '可不音像记录', as_needed: '根据实际情况音像记录', mandatory: '全程音像记录' };

export type FactValue = boolean | number | string;

const KEY = /^[a-z][a-z0-9_]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const key = (label: string) => z.string({ error: `${label}必须是文本` }).regex(KEY, `${label}只能由小写字母、数字和下划线组成，且以字母开头`);
const factKey = z.string({ error: '事实名必须是文本' }).regex(CAMEL, '事实名应为小驼峰英文标识，如 hearingRequested');
const text = (label: string, max = 500) => z.string({ error: `${label}必须是文本` }).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 字`);
const role = z.enum(ROLES, `角色应为 ${ROLES.join('、')} 之一`);
const roles = z.array(role).min(1, '至少指定一个角色');
const stage = z.enum(STAGES, `阶段应为 ${STAGES.join('、')} 之一`);
const factValue = z.union([z.boolean(), z.number().finite(), z.string()], { error: '事实值应为布尔值、数字或文本' });

// ---------------------------------------------------------------------------------------------------
// Conditions on case facts: transitions, conditional documents, guards, review requirements.

/** A number to compare with: a constant, or another fact (e.g. the fine notified in advance). */
export type NumberOperand = number | { fact: string };
export type FactTest = {
  fact: string;
  eq?: FactValue;
  ne?: FactValue;
  in?: FactValue[];
  lt?: NumberOperand;
  lte?: NumberOperand;
  gt?: NumberOperand;
  gte?: NumberOperand;
  /** true: the fact has a value; false: it has none. */
  set?: boolean;
};
export type Condition = FactTest | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const FACT_OPS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'set'] as const;
const numberOperand = z.union([z.number().finite(), z.strictObject({ fact: factKey })]);
const FactTestSchema = z
  .strictObject({
    fact: factKey,
    eq: factValue.optional(),
    ne: factValue.optional(),
    in: z.array(factValue).min(1).optional(),
    lt: numberOperand.optional(),
    lte: numberOperand.optional(),
    gt: numberOperand.optional(),
    gte: numberOperand.optional(),
    set: z.boolean().optional(),
  })
  .refine((t) => FACT_OPS.filter((op) => t[op] !== undefined).length === 1, '每个条件须有且只有一个比较（eq、ne、in、lt、lte、gt、gte、set）');

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    FactTestSchema,
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
  ]),
);

// ---------------------------------------------------------------------------------------------------
// Facts, clocks, steps

export const FactDefSchema = z
  .strictObject({
    key: factKey,
    label: text('事实名称', 120),
    type: z.enum(['boolean', 'number', 'enum', 'text']),
    unit: text('单位', 10).optional(),
    /** For enums: the allowed values with their Chinese labels. */
    values: z.array(z.strictObject({ value: z.string().min(1), label: text('取值名称', 40) })).min(1).optional(),
    /** For booleans: how a flowchart states true and false. */
    trueLabel: text('真值说明', 60).optional(),
    falseLabel: text('假值说明', 60).optional(),
    /** Value when nothing has set the fact; without one the fact is unknown until set. */
    default: factValue.optional(),
  })
  .superRefine((f, c) => {
    if (f.type === 'enum' && !f.values) c.addIssue({ code: 'custom', path: ['values'], message: `枚举事实 ${f.key} 须列出取值` });
    if (f.type !== 'enum' && f.values) c.addIssue({ code: 'custom', path: ['values'], message: `只有枚举事实可列出取值（${f.key}）` });
  });
export type FactDef = z.output<typeof FactDefSchema>;

export const ClockDefSchema = z
  .strictObject({
    key: key('期限标识'),
    name: text('期限名称', 60),
    /** Article of the law or rule that sets the limit. */
    basis: text('期限依据', 300),
    /**
     * deadline: the agency must act before it runs out (shorter is stricter).
     * period: time the law guarantees the party or that must pass first (longer is stricter).
     */
    kind: z.enum(['deadline', 'period']),
    unit: z.enum(['working', 'calendar']),
    length: z.number().int('期限天数应为整数').min(1, '期限至少 1 日').max(3650, '期限过长'),
    /** Calendar-day limits only: move a deadline that falls on a rest day to the next working day. */
    extendPastRestDay: z.boolean().default(true),
    warnBeforeDays: z.number().int().min(0).max(365).default(0),
    extension: z
      .strictObject({
        maxTimes: z.number().int().min(1).max(10),
        /** Longest single extension, in the clock's unit. */
        maxLength: z.number().int().min(1).max(3650),
        approverRoles: roles,
        /** The written notice the law asks for (e.g. 行政强制法第二十五条: 书面告知当事人并说明理由). */
        requiresDocument: key('文书类型').optional(),
        basis: text('延长依据', 300),
      })
      .optional(),
    /** Periods the law does not count (e.g. 检测、检验 under 行政强制法第二十五条), with the reasons it names. */
    pause: z.strictObject({ reasons: z.array(text('中止事由', 40)).min(1), basis: text('中止依据', 300) }).optional(),
    description: text('说明', 500).optional(),
  })
  .superRefine((k, c) => {
    if (k.unit === 'working' && k.extendPastRestDay === false) c.addIssue({ code: 'custom', path: ['extendPastRestDay'], message: '工作日期限本身不会落在休息日，不应设置 extendPastRestDay' });
  });
export type ClockDef = z.output<typeof ClockDefSchema>;

const docRef = z.strictObject({ document: key('文书类型'), when: ConditionSchema.optional() });

export const StepDefSchema = z
  .strictObject({
    key: key('环节标识'),
    name: text('环节名称', 40),
    stage,
    /** main: moves the case on; side: may be done (again) while the case is at one of `during`. */
    kind: z.enum(['main', 'side']).default('main'),
    during: z.array(key('环节标识')).default([]),
    /** Side steps: availability condition. */
    when: ConditionSchema.optional(),
    /** Side steps: false = at most once per case. */
    repeatable: z.boolean().default(true),
    description: text('说明', 500).optional(),
    basis: z.array(text('依据', 300)).default([]),
    /** A step the law requires: an agency's adaptation may not drop or loosen it. */
    statutory: z.boolean().default(true),
    roles,
    approval: z
      .strictObject({ roles, unless: ConditionSchema.optional(), basis: text('批准依据', 300).optional() })
      .optional(),
    /** R-P08: done on the scene by at least `minOnSiteOfficers` officers with valid, covering certificates. */
    onSite: z.boolean().default(false),
    /** The person presiding must not have taken part in steps of these stages (e.g. 听证主持人非本案调查人员). */
    presider: z.strictObject({ notFromStages: z.array(stage).min(1), basis: text('依据', 300) }).optional(),
    requires: z.array(docRef).default([]),
    produces: z.array(docRef).default([]),
    /** Facts that must be known before the step. */
    needsFacts: z.array(factKey).default([]),
    /** Facts the person recording the step may set with it. */
    sets: z.array(factKey).default([]),
    /** Facts the step itself sets (e.g. 申请听证 → hearingRequested = true). */
    assigns: z.record(factKey, factValue).default({}),
    /** Facts the step makes unknown again (e.g. 补充调查 voids an earlier passed review). */
    clears: z.array(factKey).default([]),
    /** R-L01: when this holds, the step needs `reviewPassed` = true. */
    requiresReview: ConditionSchema.optional(),
    guards: z
      .array(
        z.strictObject({
          /** Stable refusal code, e.g. summary_limit_exceeded. */
          code: key('拒绝代码'),
          /** Must hold for the step to be allowed. */
          when: ConditionSchema,
          /** Chinese reason given with the refusal. */
          reason: text('拒绝理由', 300),
          /** Short form for the flowchart. */
          label: text('简述', 60),
          basis: text('依据', 300).optional(),
        }),
      )
      .default([]),
    /** R-R03/R-R04: the key of this step in the agency's AV-record list, and the floor the law sets. */
    av: z.strictObject({ rule: key('音像记录规则'), minimum: z.enum(AV_LEVELS) }).optional(),
    clocks: z
      .strictObject({
        start: z.array(z.strictObject({ clock: key('期限标识'), when: ConditionSchema.optional(), backdateWhenOverdue: key('期限标识').optional() })).default([]),
        stop: z.array(key('期限标识')).default([]),
        /** `reason`: the legal reason, fixed by the definition (e.g. 听证); without it the request names one. */
        pause: z.array(z.strictObject({ clock: key('期限标识'), reason: text('中止事由', 40).optional() })).default([]),
        resume: z.array(key('期限标识')).default([]),
      })
      .default({ start: [], stop: [], pause: [], resume: [] }),
    /** The step is due before these clocks run out: refused, or allowed with a warning, once they have. */
    within: z.array(z.strictObject({ clock: key('期限标识'), onPassed: z.enum(['refuse', 'warn']) })).default([]),
    /** The step may not be done until these running clocks have run (sameDay: on the last day itself). */
    notBefore: z.array(z.strictObject({ clock: key('期限标识'), sameDay: z.boolean() })).default([]),
    /** The step is refused while any of these clocks is running. */
    blockedWhileRunning: z.array(key('期限标识')).default([]),
    next: z.array(z.strictObject({ to: key('环节标识'), when: ConditionSchema.optional(), label: text('条件说明', 60).optional() })).default([]),
  })
  .superRefine((s, c) => {
    if (s.kind === 'side') {
      if (s.during.length === 0) c.addIssue({ code: 'custom', path: ['during'], message: `附随环节「${s.name}」须指明在哪些环节期间可办理` });
      if (s.next.length > 0) c.addIssue({ code: 'custom', path: ['next'], message: `附随环节「${s.name}」不改变案件进程，不能有后续环节` });
    } else {
      if (s.during.length > 0) c.addIssue({ code: 'custom', path: ['during'], message: `主环节「${s.name}」不应设置 during` });
      if (s.when) c.addIssue({ code: 'custom', path: ['when'], message: `主环节「${s.name}」的条件写在前一环节的流转上` });
    }
  });
export type StepDef = z.output<typeof StepDefSchema>;
export type Transition = StepDef['next'][number];

export const ProcedureDefinitionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,80}$/, '程序标识只能由小写字母、数字、点和连字符组成'),
  version: z.number().int().min(1),
  name: text('程序名称', 60),
  caseType: z.enum(CASE_TYPES),
  legalBasis: z.array(text('法律依据', 300)).min(1, '至少列出一项法律依据'),
  description: text('说明', 1000).optional(),
  /** Set on an agency's adaptation (adapt.ts): the agency and the definition it derives from. */
  agencyId: z.string().min(1).nullable().default(null),
  basedOn: z.strictObject({ id: z.string(), version: z.number().int().min(1) }).nullable().default(null),
  /** R-P08: officers on the scene. The law says at least two; a definition can only ask for more. */
  minOnSiteOfficers: z.number().int().min(2, '现场执法人员不得少于两人（R-P08）').max(10),
  /** Document kinds of this definition beyond the standard list (documents.ts). */
  documents: z.array(z.strictObject({ key: key('文书类型'), name: text('文书名称', 60) })).default([]),
  facts: z.array(FactDefSchema).default([]),
  clocks: z.array(ClockDefSchema).default([]),
  start: key('环节标识'),
  steps: z.array(StepDefSchema).min(1),
});
export type ProcedureDefinition = z.output<typeof ProcedureDefinitionSchema>;
export type ProcedureDefinitionInput = z.input<typeof ProcedureDefinitionSchema>;

// ---------------------------------------------------------------------------------------------------
// Meaning: references and reachability.

export interface DefinitionProblem {
  path: string;
  message: string;
}

/** Everything wrong with a parsed definition beyond its shape; empty when it is sound. */
export function definitionProblems(def: ProcedureDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const steps = new Map<string, StepDef>();
  def.steps.forEach((s, i) => {
    if (steps.has(s.key)) add(`steps.${i}.key`, `环节标识重复：${s.key}`);
    steps.set(s.key, s);
  });
  const facts = new Map<string, FactDef>();
  def.facts.forEach((f, i) => {
    if (facts.has(f.key)) add(`facts.${i}.key`, `事实重复：${f.key}`);
    facts.set(f.key, f);
    if (f.default !== undefined && !valueFits(f, f.default)) add(`facts.${i}.default`, `事实 ${f.key} 的默认值类型不符`);
  });
  const clocks = new Map<string, ClockDef>();
  def.clocks.forEach((k, i) => {
    if (clocks.has(k.key)) add(`clocks.${i}.key`, `期限标识重复：${k.key}`);
    clocks.set(k.key, k);
    if (k.extension?.requiresDocument && !docKnown(def, k.extension.requiresDocument)) add(`clocks.${i}.extension.requiresDocument`, `未知的文书类型：${k.extension.requiresDocument}`);
  });
  const localDocs = new Set<string>();
  def.documents.forEach((d, i) => {
    if (localDocs.has(d.key) || DOCUMENT_TYPES.has(d.key)) add(`documents.${i}.key`, `文书类型重复：${d.key}`);
    localDocs.add(d.key);
  });

  const start = steps.get(def.start);
  if (!start) add('start', `起始环节不存在：${def.start}`);
  else if (start.kind !== 'main') add('start', '起始环节须为主环节');

  const checkCondition = (cond: Condition | undefined, path: string) => {
    if (!cond) return;
    for (const [t, p] of factTests(cond, path)) {
      const f = facts.get(t.fact);
      if (!f) {
        add(p, `条件引用了未定义的事实：${t.fact}`);
        continue;
      }
      for (const op of ['lt', 'lte', 'gt', 'gte'] as const) {
        const v = t[op];
        if (v === undefined) continue;
        if (f.type !== 'number') add(p, `事实 ${t.fact} 不是数值，不能用 ${op} 比较`);
        if (typeof v === 'object' && facts.get(v.fact)?.type !== 'number') add(p, `比较对象 ${v.fact} 应为已定义的数值事实`);
      }
      for (const v of [t.eq, t.ne, ...(t.in ?? [])]) if (v !== undefined && !valueFits(f, v)) add(p, `事实 ${t.fact} 不能取值 ${JSON.stringify(v)}`);
    }
  };
  const checkClock = (k: string, path: string) => {
    if (!clocks.has(k)) add(path, `未定义的期限：${k}`);
  };
  const checkFact = (k: string, path: string) => {
    if (!facts.has(k)) add(path, `未定义的事实：${k}`);
  };

  def.steps.forEach((s, i) => {
    const p = `steps.${i}`;
    for (const h of s.during) {
      const host = steps.get(h);
      if (!host) add(`${p}.during`, `附随环节「${s.name}」所依附的环节不存在：${h}`);
      else if (host.kind !== 'main') add(`${p}.during`, `附随环节只能依附主环节：${h}`);
    }
    checkCondition(s.when, `${p}.when`);
    s.requires.forEach((d, j) => {
      if (!docKnown(def, d.document)) add(`${p}.requires.${j}`, `未知的文书类型：${d.document}`);
      checkCondition(d.when, `${p}.requires.${j}.when`);
    });
    s.produces.forEach((d, j) => {
      if (!docKnown(def, d.document)) add(`${p}.produces.${j}`, `未知的文书类型：${d.document}`);
      checkCondition(d.when, `${p}.produces.${j}.when`);
    });
    s.needsFacts.forEach((f) => checkFact(f, `${p}.needsFacts`));
    s.sets.forEach((f) => checkFact(f, `${p}.sets`));
    s.clears.forEach((f) => checkFact(f, `${p}.clears`));
    for (const [f, v] of Object.entries(s.assigns)) {
      const fd = facts.get(f);
      if (!fd) add(`${p}.assigns`, `未定义的事实：${f}`);
      else if (!valueFits(fd, v)) add(`${p}.assigns`, `事实 ${f} 不能取值 ${JSON.stringify(v)}`);
    }
    if (s.requiresReview) {
      checkCondition(s.requiresReview, `${p}.requiresReview`);
      if (facts.get('reviewPassed')?.type !== 'boolean') add(`${p}.requiresReview`, '须法制审核的环节要求定义布尔事实 reviewPassed（R-L01）');
    }
    checkCondition(s.approval?.unless, `${p}.approval.unless`);
    s.guards.forEach((g, j) => checkCondition(g.when, `${p}.guards.${j}.when`));
    s.clocks.start.forEach((c, j) => {
      checkClock(c.clock, `${p}.clocks.start.${j}`);
      checkCondition(c.when, `${p}.clocks.start.${j}.when`);
      if (c.backdateWhenOverdue) checkClock(c.backdateWhenOverdue, `${p}.clocks.start.${j}.backdateWhenOverdue`);
    });
    s.clocks.stop.forEach((k) => checkClock(k, `${p}.clocks.stop`));
    for (const k of [...s.clocks.pause.map((x) => x.clock), ...s.clocks.resume]) {
      checkClock(k, `${p}.clocks`);
      if (clocks.get(k) && !clocks.get(k)!.pause) add(`${p}.clocks`, `期限「${clocks.get(k)!.name}」依法不能中止，不能由环节暂停或恢复`);
    }
    for (const x of s.clocks.pause) {
      const reasons = clocks.get(x.clock)?.pause?.reasons;
      if (x.reason && reasons && !reasons.includes(x.reason)) add(`${p}.clocks.pause`, `“${x.reason}”不是期限「${clocks.get(x.clock)!.name}」的法定中止事由`);
    }
    s.within.forEach((w) => checkClock(w.clock, `${p}.within`));
    s.notBefore.forEach((w) => checkClock(w.clock, `${p}.notBefore`));
    s.blockedWhileRunning.forEach((k) => checkClock(k, `${p}.blockedWhileRunning`));
    s.next.forEach((t, j) => {
      const to = steps.get(t.to);
      if (!to) add(`${p}.next.${j}`, `后续环节不存在：${t.to}`);
      else if (to.kind !== 'main') add(`${p}.next.${j}`, `流转只能指向主环节：${t.to}`);
      checkCondition(t.when, `${p}.next.${j}.when`);
    });
  });

  // Every main step is reachable from the start, and from every main step some final step is reachable:
  // no part of the chart is dead, and no case can be trapped where nothing ends it.
  if (start && start.kind === 'main') {
    const reached = new Set<string>([start.key]);
    const queue = [start.key];
    while (queue.length) for (const t of steps.get(queue.shift()!)?.next ?? []) if (!reached.has(t.to) && steps.has(t.to)) reached.add(t.to), queue.push(t.to);
    for (const s of def.steps) if (s.kind === 'main' && !reached.has(s.key)) add('steps', `环节「${s.name}」从起始环节无法到达`);
    const ends = new Set(def.steps.filter((s) => s.kind === 'main' && s.next.length === 0).map((s) => s.key));
    if (ends.size === 0) add('steps', '程序没有终结环节');
    const canEnd = new Set(ends);
    for (let changed = true; changed; ) {
      changed = false;
      for (const s of def.steps) if (s.kind === 'main' && !canEnd.has(s.key) && s.next.some((t) => canEnd.has(t.to))) canEnd.add(s.key), (changed = true);
    }
    for (const s of def.steps) if (s.kind === 'main' && reached.has(s.key) && !canEnd.has(s.key)) add('steps', `环节「${s.name}」之后无法到达终结环节`);
  }
  return out;
}

function docKnown(def: ProcedureDefinition, k: string): boolean {
  return DOCUMENT_TYPES.has(k) || def.documents.some((d) => d.key === k);
}

/** Does `v` have the fact's type (and, for an enum, one of its values)? */
export function valueFits(f: FactDef, v: FactValue): boolean {
  switch (f.type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'enum':
      return typeof v === 'string' && (f.values ?? []).some((x) => x.value === v);
    case 'text':
      return typeof v === 'string';
  }
}

/** The fact tests inside a condition, with their paths. */
export function factTests(cond: Condition, path = ''): [FactTest, string][] {
  if ('all' in cond) return cond.all.flatMap((c, i) => factTests(c, `${path}.all.${i}`));
  if ('any' in cond) return cond.any.flatMap((c, i) => factTests(c, `${path}.any.${i}`));
  if ('not' in cond) return factTests(cond.not, `${path}.not`);
  return [[cond, path]];
}

/** Parse and check a definition (built-in data or an agency's stored JSON); throws AppError('validation') in Chinese. */
export function parseDefinition(input: unknown): ProcedureDefinition {
  const r = safeParseDefinition(input);
  if (!r.ok) {
    throw new AppError('validation', {
      detail: `程序定义${idOf(input)}不合法：${r.problems.map((p) => (p.path ? `${p.path}：${p.message}` : p.message)).join('；')}`,
      errors: r.problems.map((p) => ({ field: p.path, message: p.message })),
    });
  }
  return r.definition;
}

function idOf(input: unknown): string {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? `「${id}」` : '';
}

export function safeParseDefinition(input: unknown): { ok: true; definition: ProcedureDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const parsed = ProcedureDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const problems = definitionProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.data };
}

export type { Role };
