// Conditions on case facts, evaluated in three values: a test on a fact nobody has set yet is unknown,
// not false. Callers decide what unknown means where it matters: a guard or a review requirement that
// cannot be decided refuses the step and names the missing fact (R-L01: "we did not know it was major"
// must never let a decision through), a transition that cannot be decided is simply not offered yet.
import type { Condition, FactDef, FactTest, FactValue, NumberOperand, ProcedureDefinition } from './schema.ts';

export type Facts = Readonly<Record<string, FactValue>>;
/** true, false, or undefined when a fact it depends on is unknown. */
export type Truth = boolean | undefined;

/** The facts with the definition's defaults filled in where nothing has been set. */
export function withDefaults(def: ProcedureDefinition, facts: Facts): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const f of def.facts) if (f.default !== undefined) out[f.key] = f.default;
  return Object.assign(out, facts);
}

export function evaluate(cond: Condition, facts: Facts): Truth {
  if ('all' in cond) {
    let unknown = false;
    for (const c of cond.all) {
      const v = evaluate(c, facts);
      if (v === false) return false;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('any' in cond) {
    let unknown = false;
    for (const c of cond.any) {
      const v = evaluate(c, facts);
      if (v === true) return true;
      if (v === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in cond) {
    const v = evaluate(cond.not, facts);
    return v === undefined ? undefined : !v;
  }
  return test(cond, facts);
}

function test(t: FactTest, facts: Facts): Truth {
  const v = facts[t.fact];
  if (t.set !== undefined) return (v !== undefined) === t.set;
  if (v === undefined) return undefined;
  if (t.eq !== undefined) return v === t.eq;
  if (t.ne !== undefined) return v !== t.ne;
  if (t.in !== undefined) return t.in.includes(v);
  const num = (o: NumberOperand): number | undefined => {
    const x = typeof o === 'number' ? o : facts[o.fact];
    return typeof x === 'number' ? x : undefined;
  };
  if (typeof v !== 'number') return undefined;
  for (const [op, cmp] of [
    ['lt', (a: number, b: number) => a < b],
    ['lte', (a: number, b: number) => a <= b],
    ['gt', (a: number, b: number) => a > b],
    ['gte', (a: number, b: number) => a >= b],
  ] as const) {
    const o = t[op];
    if (o === undefined) continue;
    const b = num(o);
    return b === undefined ? undefined : cmp(v, b);
  }
  return undefined;
}

/** Facts the condition reads that have no value: what must be settled before it can be decided. */
export function unknownFacts(cond: Condition, facts: Facts): string[] {
  const out = new Set<string>();
  const walk = (c: Condition) => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else {
      if (c.set === undefined && facts[c.fact] === undefined) out.add(c.fact);
      for (const op of ['lt', 'lte', 'gt', 'gte'] as const) {
        const o = c[op];
        if (o !== undefined && typeof o === 'object' && facts[o.fact] === undefined) out.add(o.fact);
      }
    }
  };
  walk(cond);
  return [...out];
}

// ---------------------------------------------------------------------------------------------------
// Chinese wording, for flowcharts, refusals and the accessible text version.

export function factLabel(def: ProcedureDefinition, key: string): string {
  return def.facts.find((f) => f.key === key)?.label ?? key;
}

export function describeCondition(def: ProcedureDefinition, cond: Condition): string {
  return describe(def, cond, false);
}

function describe(def: ProcedureDefinition, cond: Condition, nested: boolean): string {
  const wrap = (s: string, n: number) => (nested && n > 1 ? `（${s}）` : s);
  if ('all' in cond) {
    const parts = flatten('all', cond.all);
    return wrap(parts.map((c) => describe(def, c, true)).join('，且'), parts.length);
  }
  if ('any' in cond) {
    const parts = flatten('any', cond.any);
    return wrap(parts.map((c) => describe(def, c, true)).join('，或'), parts.length);
  }
  if ('not' in cond) return `并非${describe(def, cond.not, true)}`;
  const f = def.facts.find((x) => x.key === cond.fact);
  return describeTest(def, f, cond);
}

/** `all` inside `all` (and `any` inside `any`) reads as one list. */
function flatten(op: 'all' | 'any', list: Condition[]): Condition[] {
  return list.flatMap((c) => (op in c ? flatten(op, (c as Record<typeof op, Condition[]>)[op]) : [c]));
}

function describeTest(def: ProcedureDefinition, f: FactDef | undefined, t: FactTest): string {
  const label = f?.label ?? t.fact;
  const val = (v: FactValue) => valueLabel(f, v);
  const operand = (o: NumberOperand) => (typeof o === 'number' ? `${o}${f?.unit ?? ''}` : factLabel(def, o.fact));
  if (t.set !== undefined) return t.set ? `已确定${label}` : `尚未确定${label}`;
  if (t.eq !== undefined) {
    if (f?.type === 'boolean') return t.eq === true ? (f.trueLabel ?? label) : (f.falseLabel ?? `非${label}`);
    return `${label}为${val(t.eq)}`;
  }
  if (t.ne !== undefined) {
    if (f?.type === 'boolean') return t.ne === true ? (f.falseLabel ?? `非${label}`) : (f.trueLabel ?? label);
    return `${label}不为${val(t.ne)}`;
  }
  if (t.in !== undefined) return `${label}为${t.in.map(val).join('或')}`;
  if (t.lt !== undefined) return `${label}低于${operand(t.lt)}`;
  if (t.lte !== undefined) return `${label}不超过${operand(t.lte)}`;
  if (t.gt !== undefined) return `${label}超过${operand(t.gt)}`;
  if (t.gte !== undefined) return `${label}不低于${operand(t.gte)}`;
  return label;
}

export function valueLabel(f: FactDef | undefined, v: FactValue): string {
  if (f?.type === 'enum') return `“${f.values?.find((x) => x.value === v)?.label ?? String(v)}”`;
  if (f?.type === 'boolean') return v ? '是' : '否';
  if (f?.type === 'number') return `${v}${f.unit ?? ''}`;
  return `“${String(v)}”`;
}
