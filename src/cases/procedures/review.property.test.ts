// R-L01 as a property: whatever sequence of steps officers, reviewers and heads manage to get accepted,
// no case reaches a decision (stage 决定) while it is major without a legal review that passed, after the
// last thing that voided it. Also checked on every step: the engine never mutates its input, and every
// state reads back through its JSON schema. fast-check drives random walks through the real definitions
// with random facts, dates and choices; most requests are lawful (two certified officers, approvals,
// documents, AV), so walks get far.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../platform/calendar/dates.ts';
import { applyStep, availableSteps, getDefinition, initialState, ProcedureStateSchema, type FactValue, type ProcedureDefinition, type ProcedureState, type StepDef } from './index.ts';
import { ctx, MATTER, request, WANG } from './test-helpers.ts';

const NUMBERS = [0, 100, 200, 3000, 50000];

function randomFacts(def: ProcedureDefinition, step: StepDef, seed: number): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  step.sets.forEach((k, i) => {
    const f = def.facts.find((x) => x.key === k)!;
    const r = Math.floor(seed / 7 ** i) % 7;
    if (f.type === 'boolean') out[k] = r % 2 === 0;
    else if (f.type === 'enum') out[k] = f.values![r % f.values!.length]!.value;
    else if (f.type === 'number') out[k] = NUMBERS[r % NUMBERS.length]!;
    else out[k] = '说明';
  });
  return out;
}

/** Before the step just applied (the last record): is there a legal_review that passed, after every step that voids reviews? */
function reviewedBefore(def: ProcedureDefinition, s: ProcedureState): boolean {
  const clears = new Set(def.steps.filter((x) => x.clears.includes('reviewPassed')).map((x) => x.key));
  let passed = false;
  for (const r of s.steps.slice(0, -1)) {
    if (clears.has(r.step)) passed = false;
    if (r.step === 'legal_review') passed = r.facts.reviewPassed === true;
  }
  return passed;
}

const choice = fc.record({ pick: fc.nat(), days: fc.integer({ min: 0, max: 9 }), seed: fc.nat({ max: 7 ** 4 }) });

function walk(def: ProcedureDefinition, initial: Record<string, FactValue>, choices: { pick: number; days: number; seed: number }[], onApplied: (s: ProcedureState, step: StepDef) => void) {
  let s = initialState(def, { matter: MATTER, facts: initial });
  let date = '2026-03-02';
  const c = ctx('2030-12-31');
  for (const ch of choices) {
    const offered = availableSteps(def, s).steps;
    if (offered.length === 0) break;
    const step = def.steps.find((x) => x.key === offered[ch.pick % offered.length]!.key)!;
    date = addDays(date, ch.days);
    const pauseReason = step.clocks.pause.length ? def.clocks.find((k) => k.key === step.clocks.pause[0]!.clock)!.pause!.reasons[0] : undefined;
    const req = request(def, s, step.key, date, { facts: randomFacts(def, step, ch.seed), presidedBy: WANG.id, ...(pauseReason ? { pauseReason } : {}) });
    const before = JSON.stringify(s);
    const r = applyStep(def, s, req, c);
    expect(JSON.stringify(s)).toBe(before);
    if (!r.ok) continue;
    s = r.state;
    expect(ProcedureStateSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
    onApplied(s, step);
  }
}

describe.each(['penalty-general', 'licensing'])('R-L01 property: %s', (id) => {
  const def = getDefinition(id);

  it('never reaches 决定 without a passed review when majorDecision is true', () => {
    let decisions = 0;
    fc.assert(
      fc.property(fc.array(choice, { minLength: 5, maxLength: 60 }), (choices) => {
        walk(def, { majorDecision: true }, choices, (s, step) => {
          if (step.stage !== 'decide') return;
          decisions++;
          expect(s.facts.majorDecision).toBe(true);
          expect(reviewedBefore(def, s)).toBe(true);
        });
      }),
      { numRuns: 400, seed: 20260930 },
    );
    // Not vacuous: the walks do reach decisions.
    expect(decisions).toBeGreaterThan(20);
  });

  it('never decides after a hearing without a passed review, major or not (R-L04)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(choice, { minLength: 5, maxLength: 60 }), (major, choices) => {
        walk(def, { majorDecision: major }, choices, (s, step) => {
          const heard = s.steps.some((r) => r.step === 'hearing');
          if (step.stage === 'decide' && (major || heard)) expect(reviewedBefore(def, s)).toBe(true);
        });
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
